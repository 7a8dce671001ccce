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


def test_of_two_rows_with_one_timestamp_the_later_wins(
    demo_project, tmp_path: Path, small_batches
) -> None:
    table = rows()
    stamp = table[0]["timestamp"]
    later = {**table[0], "notes": "Second telling, same timestamp.", "timestamp": stamp}
    path = write(tmp_path / "events.csv", [*table, later])
    assert run_acled_import(demo_project, path).added == 5
    entry = imported(demo_project)[table[0]["event_id_cnty"]]
    assert "Second telling, same timestamp." in entry["description"]


def test_a_reimport_looks_up_only_the_batch_it_writes(
    demo_project, tmp_path: Path, small_batches, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the project holds of earlier imports is asked for a batch at a time, never whole,
    so memory stays flat however many events the project holds; the counts are as before."""
    table = rows()
    path = write(tmp_path / "events.csv", table)
    first = run_acled_import(demo_project, path)
    held: list[int] = []
    real = acled._Writer.sort

    def sort(self: acled._Writer, events: list) -> tuple:
        found = real(self, events)
        held.append(len(self.existing) + len(self.stamps))
        return found

    monkeypatch.setattr(acled._Writer, "sort", sort)
    newer = [{**row, "timestamp": str(int(row["timestamp"]) + 1)} for row in table[:2]]
    again = run_acled_import(demo_project, write(tmp_path / "newer.csv", [*newer, *table[2:]]))
    assert (again.added, again.updated + again.unchanged) == (0, first.added)
    assert again.unchanged >= first.added - 2
    assert held and max(held) <= 2 * acled.BATCH


def _party_kinds(project) -> dict[str, str]:
    with project.engine.connect() as connection:
        return dict(connection.exec_driver_sql("SELECT name, kind FROM party").all())


def test_a_new_partys_kind_does_not_depend_on_the_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.store import create_project

    table = rows()[:4]
    for row in table:
        row.update(actor1="", assoc_actor_1="", inter1="", actor2="", assoc_actor_2="", inter2="")
    table[0].update(actor1="Lachin Volunteers", inter1="3", assoc_actor_1="Border Watch")
    table[1].update(actor1="Lachin Volunteers", inter1="2")
    table[2].update(actor1="Border Watch", inter1="1")
    table[3].update(actor1="Border Watch", inter1="Rebel group")
    path = write(tmp_path / "events.csv", table)
    kinds = []
    for batch in (1, 2, 3, 1000):
        monkeypatch.setattr(acled, "BATCH", batch)
        with create_project(tmp_path / f"batch-{batch}.brief", "Kinds") as project:
            run_acled_import(project, path)
            kinds.append(_party_kinds(project))
    # the first inter the file gives an actor, even after it came as an associated actor
    assert kinds[0]["Lachin Volunteers"] == "militia"
    assert kinds[0]["Border Watch"] == "armed force"
    assert all(found == kinds[0] for found in kinds)
