"""The whole-file check of a new file: index contents, pieces side by side, progress, cancel."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from briefing.store import ProjectRefused, open_project
from briefing.store.fullcheck import pieces
from briefing.store.trust import VerifiedFiles
from briefing.store.verify import check_file, verify_file

COPIES = 600
"""Enough entries for the start-time index to fill several leaf pages."""


def _grow(path: Path) -> None:
    """Copies of the first entry with new UUIDs and spread start times (all valid values)."""
    connection = sqlite3.connect(path)
    try:
        connection.execute(
            f"""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {COPIES})
            INSERT INTO timeline_entry (title, description, start_utc, end_utc, zone, precision,
                place, latitude, longitude, status, credibility, external_id, uuid, created_at,
                updated_at, updated_by, tlp, tags, notes)
            SELECT title, description,
                printf('%04d-%02d-01T00:00:00.000000Z', 1900 + i / 12, 1 + i % 12), NULL, zone,
                precision, place, latitude, longitude, status, credibility, NULL,
                printf('00000000-0000-4000-8000-%012d', i), created_at, updated_at,
                updated_by, tlp, tags, notes
            FROM n, (SELECT * FROM timeline_entry ORDER BY id LIMIT 1)
            """
        )
        connection.commit()
    finally:
        connection.close()


def _leaf_pages(path: Path, index: str) -> list[int]:
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute(
            "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno",
            (index,),
        ).fetchall()
    except sqlite3.OperationalError:
        pytest.skip("this SQLite has no dbstat table to find an index's pages")
    finally:
        connection.close()
    return [r[0] for r in rows]


def _swap_pages(path: Path, a: int, b: int) -> None:
    data = bytearray(path.read_bytes())
    size = int.from_bytes(data[16:18], "big")
    first = data[(a - 1) * size : a * size]
    data[(a - 1) * size : a * size] = data[(b - 1) * size : b * size]
    data[(b - 1) * size : b * size] = first
    path.write_bytes(bytes(data))


def _quick_check(path: Path) -> list[str]:
    connection = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return [r[0] for r in connection.execute("PRAGMA quick_check")]
    finally:
        connection.close()


@pytest.fixture
def swapped(demo_path: Path) -> Path:
    """A file whose start-time index has two leaf pages swapped: quick_check passes it."""
    _grow(demo_path)
    verify_file(demo_path)  # sound before the swap
    leaves = _leaf_pages(demo_path, "ix_timeline_entry_start_utc")
    assert len(leaves) >= 3
    _swap_pages(demo_path, leaves[0], leaves[-1])
    assert _quick_check(demo_path) == ["ok"]
    return demo_path


def test_swapped_index_pages_are_refused_at_the_first_open(swapped: Path, tmp_path: Path) -> None:
    before = swapped.read_bytes()
    memory = VerifiedFiles(tmp_path / "memory.json")
    with pytest.raises(ProjectRefused, match="is damaged: .*ix_timeline_entry_start_utc"):
        open_project(swapped, "Analyst", memory=memory)
    assert swapped.read_bytes() == before
    assert not memory.path.exists()


def test_briefing_check_names_the_broken_index(swapped: Path) -> None:
    problems = check_file(swapped)
    assert problems and all("is damaged" in p for p in problems)
    assert any("ix_timeline_entry_start_utc" in p for p in problems)


def test_a_file_swapped_after_it_was_remembered_is_checked_again(
    demo_path: Path, tmp_path: Path
) -> None:
    _grow(demo_path)
    memory = VerifiedFiles(tmp_path / "memory.json")
    open_project(demo_path, "Analyst", memory=memory).close()
    leaves = _leaf_pages(demo_path, "ix_timeline_entry_start_utc")
    copy = tmp_path / "copy.brief"
    shutil.copyfile(demo_path, copy)
    _swap_pages(copy, leaves[0], leaves[-1])
    shutil.copyfile(copy, demo_path)  # same size, same header: only the file times differ
    with pytest.raises(ProjectRefused, match="is damaged"):
        open_project(demo_path, "Analyst", memory=memory)


def test_progress_rises_to_the_end_on_the_calling_thread(demo_path: Path) -> None:
    import threading

    seen: list[tuple[str, int, int, str]] = []
    verify_file(
        demo_path,
        progress=lambda s, d, t: seen.append((s, d, t, threading.current_thread().name)),
    )
    checking = [(d, t) for s, d, t, _ in seen if s == "checking"]
    assert checking[0] == (0, 1000) and checking[-1] == (1000, 1000)
    assert [d for d, _ in checking] == sorted(d for d, _ in checking)
    assert {name for *_, name in seen} == {threading.current_thread().name}


class Cancelled(Exception):
    pass


def test_a_progress_callback_that_raises_calls_the_check_off(demo_path: Path) -> None:
    calls = []

    def cancel(stage: str, done: int, total: int) -> None:
        calls.append(stage)
        if stage == "checking" and done > 0:
            raise Cancelled

    with pytest.raises(Cancelled):
        verify_file(demo_path, progress=cancel)
    assert calls.count("checking") == 2  # nothing more was reported once it was called off


def test_the_pieces_cover_every_table_and_index_once(demo_path: Path) -> None:
    from briefing.store.verify import open_read_only

    connection = open_read_only(demo_path)
    try:
        found = pieces(connection, 1)
        tables = {
            r[0]
            for r in connection.execute("SELECT tbl_name FROM sqlite_master WHERE type='index'")
        }
    finally:
        connection.close()
    damage = [p for p in found if p.order[0] == 0]
    assert len(damage) == len(tables) + 1  # quick_check of the whole file, then each table


def test_a_file_remembered_before_index_checks_existed_is_checked_again(
    demo_path: Path, tmp_path: Path
) -> None:
    import dataclasses

    from briefing.store.trust import stamp_of

    memory = VerifiedFiles(tmp_path / "memory.json")
    stamp = stamp_of(demo_path)
    assert stamp is not None
    memory.remember(demo_path, dataclasses.replace(stamp, level="open-1"))
    seen: list[str] = []
    open_project(
        demo_path, "Analyst", memory=memory, progress=lambda s, d, t: seen.append(s)
    ).close()
    assert "checking" in seen
    assert memory.knows(demo_path, stamp_of(demo_path))
