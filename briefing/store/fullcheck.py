"""The whole-file check, split into pieces that run side by side on their own connections.

What it runs (steps 4 and 5 of :mod:`briefing.store.verify`):

- SQLite's ``quick_check`` on the whole file: every page's structure, each page
  used once, rows in rowid order, NOT NULL.
- ``integrity_check`` of each table that has indexes: each index holds exactly
  the table's rows, in order. ``quick_check`` does not look at this, so a file
  whose index pages were swapped passes it and then answers look-ups with the
  wrong rows; this is what costs most (about 0.7 µs per index entry).
- The stored values (:mod:`briefing.store.values`), each large table in rowid
  ranges, and the foreign keys, table by table; the editions' frozen content.

Pieces run on as many threads as the machine has cores (at most
``MAX_WORKERS``); SQLite works without Python's lock held, so two cores check
at nearly twice the speed. Every connection reads through memory-mapped I/O.
``progress`` is called on the calling thread only; if it raises (a window's
Cancel), the running statements are interrupted and the exception goes on.
"""

from __future__ import annotations

import os
import queue
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.store.trust import Progress, mmap_size

if TYPE_CHECKING:
    from briefing.store.values import TableCheck

MAX_WORKERS = 4
RANGE_ROWS = 100_000
"""A large table's value scan is split into ranges of about this many rowids ..."""
MAX_RANGES = 64
"""... in at most this many (a hostile file's rowids may span 2**64)."""

SCALE = 1000
"""Progress is told in thousandths."""

_DAMAGE, _VALUES, _LINKS = 0, 1, 2


@dataclass(frozen=True)
class Piece:
    """One statement of the check, its weight for the progress bar, and what its rows mean."""

    order: tuple[int, int, int]
    weight: int
    run: Callable[[sqlite3.Connection], list[str]]


def workers() -> int:
    try:
        cores = len(os.sched_getaffinity(0))  # type: ignore[attr-defined]
    except AttributeError:
        cores = os.cpu_count() or 1
    return max(1, min(MAX_WORKERS, cores))


def _one_line(report: str) -> str:
    return " ".join(report.replace("*** in database main ***", "").split())


def _pragma(statement: str) -> Callable[[sqlite3.Connection], list[str]]:
    def run(connection: sqlite3.Connection) -> list[str]:
        rows = [str(r[0]) for r in connection.execute(statement)]
        return [] if rows == ["ok"] else [_one_line(row) for row in rows]

    return run


def _indexed_tables(connection: sqlite3.Connection) -> list[tuple[str, int]]:
    """Tables with at least one index, with how many (checked: names come from the schema)."""
    rows = connection.execute(
        "SELECT tbl_name, count(*) FROM sqlite_master WHERE type = 'index' GROUP BY tbl_name"
    )
    return [(str(t), int(n)) for t, n in rows]


def _row_range(connection: sqlite3.Connection, table: str) -> tuple[int, int]:
    low, high = connection.execute(f'SELECT min(rowid), max(rowid) FROM "{table}"').fetchone()
    return (int(low), int(high)) if low is not None else (0, -1)


def pieces(connection: sqlite3.Connection, limit: int) -> list[Piece]:
    """The check split into pieces, largest first (so two threads finish together)."""
    from briefing.store.values import table_checks  # the model's rules: only for this check

    sizes = {c.table: _row_range(connection, c.table) for c in table_checks(connection)}
    rows = {t: max(0, high - low + 1) for t, (low, high) in sizes.items()}
    total = sum(rows.values()) or 1
    found: list[Piece] = [Piece((_DAMAGE, 0, 0), total, _pragma(f"PRAGMA quick_check({limit})"))]
    for number, (table, indexes) in enumerate(_indexed_tables(connection), start=1):
        size = rows.get(table, 1)
        found.append(
            Piece(
                (_DAMAGE, number, 0),
                size * indexes * 3,
                _pragma(f'PRAGMA integrity_check("{table.replace(chr(34), "")}")'),
            )
        )
    for number, check in enumerate(table_checks(connection)):
        for start, end in _ranges(*sizes[check.table]):
            order = (_VALUES, number, start)
            weight = max(1, end - start + 1) * 2
            found.append(Piece(order, weight, _values(check, start, end, limit)))
        found.append(Piece((_LINKS, number, 0), rows[check.table], _links(check.table, limit)))
    editions = rows.get("edition", 0) * 50  # read in Python: slower per row than SQL
    after_tables = len(table_checks(connection))
    found.append(Piece((_VALUES, after_tables, 0), max(1, editions), _editions(limit)))
    return sorted(found, key=lambda p: -p.weight)


def _ranges(low: int, high: int) -> list[tuple[int, int]]:
    """Rowid ranges covering ``low`` to ``high`` (one, empty, for an empty table)."""
    if high < low:
        return [(low, high)]
    count = min(MAX_RANGES, (high - low) // RANGE_ROWS + 1)
    step = (high - low) // count + 1
    return [(start, min(high, start + step - 1)) for start in range(low, high + 1, step)]


def _values(
    check: TableCheck, start: int, end: int, limit: int
) -> Callable[[sqlite3.Connection], list[str]]:
    from briefing.store.values import describe

    def run(connection: sqlite3.Connection) -> list[str]:
        found = []
        for (rowid,) in connection.execute(check.range_scan(limit), (start, end)):
            found.append(describe(connection, check, rowid))
        return found

    return run


def _editions(limit: int) -> Callable[[sqlite3.Connection], list[str]]:
    from briefing.store.values import edition_problems

    def run(connection: sqlite3.Connection) -> list[str]:
        return edition_problems(connection, limit)

    return run


def _links(table: str, limit: int) -> Callable[[sqlite3.Connection], list[str]]:
    from briefing.store.values import broken_links_of

    def run(connection: sqlite3.Connection) -> list[str]:
        return broken_links_of(connection, table, limit)

    return run


def whole_file_problems(
    path: Path,
    name: str,
    connect: Callable[[], sqlite3.Connection],
    progress: Progress | None = None,
    limit: int = 1,
) -> list[str]:
    """Every problem the whole-file check finds (at most ``limit`` of each kind), damage first."""
    first = connect()
    try:
        size = Path(path).stat().st_size
        todo = pieces(first, limit)
    finally:
        first.close()
    total = sum(p.weight for p in todo) or 1
    jobs: queue.Queue[Piece] = queue.Queue()
    for piece in todo:
        jobs.put(piece)
    done: queue.Queue[tuple[Piece, list[str] | BaseException]] = queue.Queue()
    stop = threading.Event()
    connections: list[sqlite3.Connection] = []
    lock = threading.Lock()

    def work() -> None:
        try:
            connection = connect()
            connection.execute(f"PRAGMA mmap_size = {mmap_size(size)}")
        except BaseException as error:  # noqa: BLE001 - handed to the caller
            done.put((Piece((9, 0, 0), 0, _pragma("")), error))
            return
        with lock:
            connections.append(connection)
        try:
            while not stop.is_set():
                try:
                    piece = jobs.get_nowait()
                except queue.Empty:
                    return
                try:
                    done.put((piece, piece.run(connection)))
                except BaseException as error:  # noqa: BLE001 - handed to the caller
                    done.put((piece, error))
        finally:
            with lock:
                connections.remove(connection)
                connection.close()

    threads = [threading.Thread(target=work, daemon=True) for _ in range(workers())]
    for thread in threads:
        thread.start()
    found: list[tuple[tuple[int, int, int], list[str]]] = []
    progressed = 0
    try:
        if progress is not None:
            progress("checking", 0, SCALE)
        for _ in range(len(todo)):
            piece, result = _next(done, threads)
            if isinstance(result, BaseException):
                raise result
            found.append((piece.order, result))
            progressed += piece.weight
            if progress is not None:
                progress("checking", progressed * SCALE // total, SCALE)
    finally:
        stop.set()
        with lock:
            for connection in connections:
                connection.interrupt()
        for thread in threads:
            thread.join()
    return _sentences(name, sorted(found), limit)


def _next(done: queue.Queue, threads: list[threading.Thread]):  # type: ignore[no-untyped-def]
    while True:
        try:
            return done.get(timeout=0.05)
        except queue.Empty:
            if not any(t.is_alive() for t in threads) and done.empty():
                raise sqlite3.DatabaseError("the check stopped before it ended") from None


def _sentences(
    name: str, found: list[tuple[tuple[int, int, int], list[str]]], limit: int
) -> list[str]:
    from briefing.store.values import file_message

    damage = [f"{name} is damaged: {p}." for order, ps in found if order[0] == _DAMAGE for p in ps]
    if damage:
        return damage[:limit]
    values = [p for order, ps in found if order[0] != _DAMAGE for p in ps]
    return [file_message(name, p) for p in values[:limit]]
