"""What the ACLED and UCDP GED import benchmarks share: their children, baselines and line.

Not a benchmark itself. Each measurement runs in a process of its own
(:func:`run_child`), so its peak memory is its own. The baselines, measured in
the same run as the import: reading the CSV with the ``csv`` module alone
(:func:`child_parse`), a bare ``executemany`` of the entry and claim rows into a
fresh project (:func:`bare_project`, :data:`ENTRY_INSERT`, :data:`CLAIM_INSERT`),
and the floor (:func:`child_floor`): the very rows the import wrote copied into a
fresh project by SQLite alone, and the same rows handed to SQLite by Python's
``executemany`` (:func:`child_floor_python`), which is the least any writer in
Python pays. :func:`child_import` times an import and the CPU of its reading
process apart from the writer's.
"""

from __future__ import annotations

import csv
import json
import os
import resource
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
Figures = dict[str, float]

ENTRY_INSERT = (
    "INSERT INTO timeline_entry (id, uuid, title, description, start_utc, zone, "
    "precision, place, latitude, longitude, status, credibility, external_id, "
    "created_at, updated_at, updated_by, tlp, tags, notes) VALUES (?, ?, ?, '', ?, "
    "'UTC', 'day', '', ?, ?, 'reported', 6, ?, '2024-01-01T00:00:00.000000Z', "
    "'2024-01-01T00:00:00.000000Z', '', 'CLEAR', '', '')"
)
"""One entry row: (id, uuid, title, start, latitude, longitude, external id)."""
CLAIM_INSERT = (
    "INSERT INTO casualty_claim (uuid, entry_id, position, side, category, best, words) "
    "VALUES (?, ?, ?, ?, ?, ?, '')"
)
"""One claim row: (uuid, entry id, position, side, category, best)."""
FLOOR_TABLES = ("party", "source", "timeline_entry", "entry_party", "entry_source",
                "casualty_claim", "project_setting")  # fmt: skip


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_cpu() -> float:
    """CPU seconds of this process's ended children (an import's reading process)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


class Clock:
    """Wall and CPU seconds since it was made."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def figures(self, rows: int, **more: float) -> Figures:
        return {"seconds": time.perf_counter() - self.wall, "cpu": time.process_time() - self.cpu,
                "peak_mb": peak_mb(), "rows": rows, **more}  # fmt: skip


def child_parse(path: Path) -> Figures:
    clock = Clock()
    with path.open(encoding="utf-8", newline="") as stream:
        count = sum(1 for _ in csv.reader(stream))
    return clock.figures(count - 1)


def bare_project(project: Path) -> sqlite3.Connection:
    """A fresh project opened with sqlite3 alone, foreign keys on as in the program."""
    from briefing.store import create_project

    create_project(project, "Bench").close()
    connection = sqlite3.connect(project)
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("PRAGMA foreign_keys = ON")
    return connection


def child_import(importer: Callable[[Any, Path], Any], path: Path, project: Path) -> Figures:
    """``importer(project, path)`` into a fresh project: the writer's and the reader's CPU."""
    from briefing.store import create_project

    with create_project(project, "Bench") as opened:
        clock, reader = Clock(), children_cpu()
        report = importer(opened, path)
        figures = clock.figures(report.added, reader_cpu=children_cpu() - reader)
    figures["reader_peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return figures


def _floor_project(project: Path) -> sqlite3.Connection:
    """A fresh project opened by sqlite3 alone, set as an import sets its file."""
    from briefing.io.event_import import BULK_CACHE_KIB
    from briefing.store import create_project

    create_project(project, "Bench").close()
    connection = sqlite3.connect(project, isolation_level=None)
    for pragma in (
        "synchronous = FULL",
        "foreign_keys = ON",
        "secure_delete = ON",
        f"cache_size = -{BULK_CACHE_KIB}",
        "ignore_check_constraints = ON",
    ):
        connection.execute(f"PRAGMA {pragma}")  # fmt: skip
    return connection


def child_floor(imported: Path, project: Path) -> Figures:
    """The rows an import wrote, copied into a fresh project by SQLite alone: the floor.

    Table by table with ``INSERT … SELECT`` (every index and foreign key kept up row
    by row, CHECK constraints and page cache as the import has them), then the
    search index's rows, tokenised again. No Python per row at all.
    """
    connection = _floor_project(project)
    connection.execute("ATTACH DATABASE ? AS src", (str(imported),))
    clock = Clock()
    connection.execute("BEGIN")
    for table in FLOOR_TABLES:  # WHERE keeps SQLite from copying the b-trees whole
        connection.execute(f"DELETE FROM main.{table}")
        connection.execute(f"INSERT INTO main.{table} SELECT * FROM src.{table} WHERE 1 = 1")
    connection.execute("DELETE FROM main.search_index")
    connection.execute(
        "INSERT INTO main.search_index (rowid, title, body) "
        "SELECT rowid, title, body FROM src.search_index"
    )
    connection.execute("COMMIT")
    rows = connection.execute("SELECT count(*) FROM main.timeline_entry").fetchone()[0]
    figures = clock.figures(rows)
    connection.close()
    return figures


def child_floor_python(imported: Path, project: Path) -> Figures:
    """The rows an import wrote, handed to SQLite by ``executemany``: the floor of Python.

    The rows are read into memory before the clock starts; then each table's rows
    and the search index's are inserted with one ``executemany`` each, with the
    import's own settings: page cache, CHECK constraints tested apart, and the
    indexes an import builds after its load (:data:`bulk_writes.LATER_INDEXES`)
    dropped and built again at the end. What this costs is what binding the
    rows' values from Python adds to SQLite's own work, with no other Python at all.
    """
    from briefing.io.bulk_writes import LATER_INDEXES

    with sqlite3.connect(imported) as source:
        rows = {t: source.execute(f"SELECT * FROM {t}").fetchall() for t in FLOOR_TABLES}
        words = source.execute("SELECT rowid, title, body FROM search_index").fetchall()
    connection = _floor_project(project)
    clock = Clock()
    connection.execute("BEGIN")
    later = []
    for name in (n for names in LATER_INDEXES.values() for n in names):
        sql = connection.execute("SELECT sql FROM sqlite_master WHERE name = ?", (name,))
        later.append(sql.fetchone()[0])
        connection.execute(f"DROP INDEX {name}")
    for table, values in rows.items():
        connection.execute(f"DELETE FROM {table}")
        if values:
            marks = ", ".join("?" * len(values[0]))
            connection.executemany(f"INSERT INTO {table} VALUES ({marks})", values)
    connection.execute("DELETE FROM search_index")
    connection.executemany("INSERT INTO search_index (rowid, title, body) VALUES (?, ?, ?)", words)
    for statement in later:
        connection.execute(statement)
    connection.execute("COMMIT")
    figures = clock.figures(len(rows["timeline_entry"]))
    connection.close()
    return figures


def run_child(script: Path, *args: str) -> Figures:
    """Run one measurement of ``script`` in a fresh process (``--child``); its figures back."""
    done = subprocess.run(
        [sys.executable, str(script), "--child", *args],
        check=True, capture_output=True, text=True, cwd=ROOT,
        env={"PYTHONPATH": f"{ROOT}:{ROOT / 'tests' / 'perf'}", "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def child_main(actions: dict[str, Callable[..., Figures]], arguments: list[str]) -> None:
    """In a child: run the measurement named first, print its figures as JSON."""
    kind, *paths = arguments
    print(json.dumps(actions[kind](*map(Path, paths))))


def line(
    rows: int, full: Figures, parse: Figures, bare: Figures, floor: Figures, bound: Figures
) -> str:
    """One size's figures, each beside the baselines of the same run.

    ``floor`` is :func:`child_floor`'s, ``bound`` :func:`child_floor_python`'s.
    """
    return (
        f"  {rows:>9,} rows: import {full['seconds']:6.2f} s wall, CPU {full['cpu']:6.2f} s"
        f" writing + {full['reader_cpu']:6.2f} s reading in the second process,"
        f" peak {full['peak_mb']:4.0f} MB (reading process {full['reader_peak_mb']:4.0f} MB)"
        f" | csv parsing {parse['seconds']:6.2f} s (CPU {parse['cpu']:6.2f} s)"
        f" | bare executemany {bare['seconds']:6.2f} s (CPU {bare['cpu']:6.2f} s),"
        f" peak {bare['peak_mb']:4.0f} MB"
        f" | the import's rows copied by SQLite alone {floor['seconds']:6.2f} s"
        f" (CPU {floor['cpu']:6.2f} s), by executemany {bound['seconds']:6.2f} s"
        f" (CPU {bound['cpu']:6.2f} s)"
        f" | writer CPU = {full['cpu'] / floor['cpu']:.1f}× the floor's,"
        f" {full['cpu'] / bare['cpu']:.1f}× executemany's"
        f" | load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
