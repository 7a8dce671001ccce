"""Rows read in a second process: the same items, refusals and entries as when read here
(UCDP GED and ACLED)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_acled import imported as acled_imported
from test_acled import rows as acled_rows
from test_acled import write as acled_write
from test_ucdp import imported, rows, write

from briefing.io import acled, child_rows
from briefing.io.acled import run_acled_import
from briefing.io.csv_rows import DataSetError
from briefing.io.ucdp import GedRowsError, import_ucdp, run_ucdp_import
from briefing.store import Project, open_project

pytestmark = pytest.mark.skipif(not child_rows.can_fork(), reason="no safe fork here")

STAMPS = ("created_at", "updated_at", "updated_by")


@pytest.fixture
def in_child(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file, however small, is read in a child process, however busy the machine."""
    monkeypatch.setattr(child_rows, "CHILD_FROM_BYTES", 0)
    monkeypatch.setattr(child_rows, "spare_core", lambda: True)


def numbers(count: int, fail_at: int | None = None) -> Iterator[tuple[int, int]]:
    for n in range(count):
        if n == fail_at:
            raise DataSetError("numbers.csv is not UTF-8 text, as UCDP files are.")
        yield n, os.getpid()


def test_items_arrive_in_order_from_another_process(in_child: None) -> None:
    items = list(child_rows.produced(lambda: numbers(2_345), 1, "numbers.csv"))
    assert [n for n, _ in items] == list(range(2_345))
    assert {pid for _, pid in items} != {os.getpid()}


def test_a_small_file_is_read_here() -> None:
    items = list(child_rows.produced(lambda: numbers(3), 10, "numbers.csv"))
    assert {pid for _, pid in items} == {os.getpid()}


def test_a_large_file_is_read_here_when_no_core_is_free(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(child_rows, "CHILD_FROM_BYTES", 0)
    monkeypatch.setattr(child_rows.os, "getloadavg", lambda: (64.0, 64.0, 64.0))
    items = list(child_rows.produced(lambda: numbers(3), 10**9, "numbers.csv"))
    assert {pid for _, pid in items} == {os.getpid()}


def test_a_refusal_in_the_child_is_the_same_sentence_here(in_child: None) -> None:
    made = child_rows.produced(lambda: numbers(1_200, fail_at=700), 1, "numbers.csv")
    with pytest.raises(DataSetError, match="numbers.csv is not UTF-8 text, as UCDP files are."):
        for _ in made:
            pass


def test_a_failure_that_cannot_travel_is_still_one_sentence(in_child: None) -> None:
    class Odd(Exception):
        def __init__(self, a: int, b: int) -> None:
            super().__init__(f"odd {a}")

    def failing() -> Iterator[int]:
        yield 1
        raise Odd(1, 2)

    with pytest.raises(DataSetError, match="odd 1"):
        list(child_rows.produced(failing, 1, "odd.csv"))


def test_stopping_early_ends_the_child(in_child: None) -> None:
    made = child_rows.produced(lambda: numbers(10**9), 1, "numbers.csv")
    first = next(made)
    child = first[1]
    made.close()
    with pytest.raises(ProcessLookupError):  # ended and waited for: gone
        os.kill(child, 0)


def _content(project: Project) -> dict[str, dict[str, Any]]:
    return {
        key: {k: v for k, v in entry.items() if k not in STAMPS}
        for key, entry in imported(project).items()
    }


def test_ucdp_entries_are_the_same_read_in_a_child(
    demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = [dict(rows()[n % 3], id=str(n), relid=f"R{n}") for n in range(1_200)]
    table[5]["side_a"] = "A side first seen here"
    path = write(tmp_path / "many.csv", table)
    other = tmp_path / "other.brief"
    other.write_bytes(demo_path.read_bytes())
    with open_project(demo_path, "Ana") as here:
        run_ucdp_import(here, path)
        expected = _content(here)
    monkeypatch.setattr(child_rows, "CHILD_FROM_BYTES", 0)
    monkeypatch.setattr(child_rows, "spare_core", lambda: True)
    with open_project(other, "Ana") as there:
        steps = list(import_ucdp(there, path))
        assert steps[-1].report is not None and steps[-1].report.added == 1_200
        assert _content(there) == expected
        table[0].update(best="17", high="25", deaths_b="9")
        again = run_ucdp_import(there, write(tmp_path / "later.csv", table))
        assert (again.added, again.updated, again.unchanged) == (0, 1, 1_199)


def test_bad_rows_read_in_a_child_are_named_by_line(
    in_child: None, demo_path: Path, tmp_path: Path
) -> None:
    table = rows()
    table[1]["best"] = "many"
    path = write(tmp_path / "bad.csv", table)
    before = demo_path.read_bytes()
    with open_project(demo_path, "Ana") as project, pytest.raises(GedRowsError) as refused:
        run_ucdp_import(project, path)
    assert "bad.csv has 1 bad row (line 3: best 'many' is not a number)" in str(refused.value)
    assert demo_path.read_bytes() == before
    with open_project(demo_path, "Ana") as project:
        report = run_ucdp_import(project, path, skip_bad_rows=True)
    assert (report.added, report.skipped_count) == (2, 1)


def _acled_content(project: Project) -> dict[str, dict[str, Any]]:
    return {
        key: {k: v for k, v in entry.items() if k not in STAMPS}
        for key, entry in acled_imported(project).items()
    }


def test_acled_entries_are_the_same_shaped_in_a_child(
    demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = [
        dict(row, event_id_cnty=f"{row['event_id_cnty']}-{n}")
        for n in range(300)
        for row in acled_rows()
    ]
    table[7]["actor1"] = "ACLED"  # an actor with the claimant's name
    table[9]["timestamp"] = "1"
    table.append(dict(table[9], timestamp="2", notes="A later revision."))
    path = acled_write(tmp_path / "events.csv", table)
    other = tmp_path / "other.brief"
    other.write_bytes(demo_path.read_bytes())
    with open_project(demo_path, "Ana") as here:
        first = run_acled_import(here, path)
        expected = _acled_content(here)
    monkeypatch.setattr(child_rows, "CHILD_FROM_BYTES", 0)
    monkeypatch.setattr(child_rows, "spare_core", lambda: True)
    made_here = []
    entry = acled._Writer.entry
    monkeypatch.setattr(
        acled._Writer, "entry", lambda self, *a: made_here.append(os.getpid()) or entry(self, *a)
    )
    with open_project(other, "Ana") as there:
        report = run_acled_import(there, path)
        assert (report.added, report.parties_added) == (first.added, first.parties_added)
        assert _acled_content(there) == expected
        assert made_here == []  # every new entry was taken as the child shaped it
        again = run_acled_import(there, path)
        assert (again.added, again.updated, again.unchanged) == (0, 0, first.added)
