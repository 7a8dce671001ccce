"""An ACLED export is read row by row, twice, and stored a batch at a time."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_acled import imported, rows, write

from briefing.io import acled
from briefing.io.acled import AcledRowsError, run_acled_import


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(acled, "BATCH", 2)


def test_the_file_is_never_read_whole(demo_project, tmp_path: Path, small_batches, monkeypatch):
    def whole(path: Path) -> str:
        raise AssertionError("the whole file was read into memory")

    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: whole(self))
    report = run_acled_import(demo_project, write(tmp_path / "events.csv", rows()))
    assert report.added == 5


def test_the_newest_row_of_an_event_wins_across_batches(
    demo_project, tmp_path: Path, small_batches
) -> None:
    table = rows()
    newer = {**table[0], "notes": "Revised: shelling lasted two hours.", "timestamp": "1999999999"}
    older = {**table[1], "event_id_cnty": table[1]["event_id_cnty"], "timestamp": "1"}
    path = write(tmp_path / "events.csv", [*table, newer, older])
    report = run_acled_import(demo_project, path)
    assert report.added == 5
    entries = imported(demo_project)
    assert (
        "Revised: shelling lasted two hours." in entries[table[0]["event_id_cnty"]]["description"]
    )
    assert len(entries) == 5


def test_a_bad_row_late_in_the_file_stores_nothing(
    demo_project, tmp_path: Path, small_batches
) -> None:
    table = rows()
    table[-1]["latitude"] = "north"
    with pytest.raises(AcledRowsError):
        run_acled_import(demo_project, write(tmp_path / "events.csv", table))
    assert imported(demo_project) == {}


def test_skipped_bad_rows_and_counts_add_up_over_batches(
    demo_project, tmp_path: Path, small_batches
) -> None:
    table = rows()
    table[2]["longitude"] = "east"
    path = write(tmp_path / "events.csv", table)
    report = run_acled_import(demo_project, path, skip_bad_rows=True)
    assert (report.added, len(report.skipped)) == (4, 1)
    again = run_acled_import(demo_project, path, skip_bad_rows=True)
    assert (again.added, again.updated, again.unchanged, again.parties_added) == (0, 0, 4, 0)
