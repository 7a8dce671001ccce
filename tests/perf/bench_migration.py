"""Migration benchmark: a 100,000-entry file of format 1 upgraded to format 2, in seconds.

Run by hand: ``python tests/perf/bench_migration.py [--entries N] [--folder DIR]``.
A format-1 file is built with the format-1 migration alone and filled with plain
``executemany`` (every entry with figures, a reporter and two parties), then
opened the way the program opens it: backup, migration, full-text rebuild.
Baselines in the same run: the backup alone, and copying the entries table with
one ``INSERT … SELECT`` (what rebuilding a table costs at the least).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import time
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine
from sqlalchemy.pool import StaticPool

from briefing.store import open_project
from briefing.store.migrate import alembic_config
from briefing.store.schema import APPLICATION_ID

STAMP = "2024-01-01T00:00:00.000000Z"


def build_format_1(path: Path, entries: int) -> None:
    engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(path), poolclass=StaticPool)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        command.upgrade(alembic_config(connection), "0001")
        connection.exec_driver_sql("PRAGMA user_version = 1")
    engine.dispose()
    rng = random.Random(1121)
    db = sqlite3.connect(path)
    common = (STAMP, STAMP, "", "CLEAR", "", "")
    db.executemany(
        "INSERT INTO party (id, uuid, name, short_name, kind, colour, description, created_at, "
        "updated_at, updated_by, tlp, tags, notes) VALUES (?, ?, ?, '', 'state', '#607080', '', "
        "?, ?, ?, ?, ?, ?)",
        [(n, f"00000000-0000-4000-8000-{n:012d}", f"Party {n}", *common) for n in range(1, 201)],
    )
    rows = []
    for n in range(1, entries + 1):
        figures = [rng.choice([None, rng.randint(0, 50)]) for _ in range(3)]
        rows.append(
            (n, f"10000000-0000-4000-8000-{n:012d}", f"Entry {n}", "A description.",
             f"2021-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T07:00:00.000000Z",
             *figures, rng.randint(1, 200), rng.choice(["", "figures unclear"]), *common)
        )  # fmt: skip
    db.executemany(
        "INSERT INTO timeline_entry (id, uuid, title, description, start_utc, zone, precision, "
        "place, killed, wounded, captured, casualties_reported_by_id, casualty_note, status, "
        "credibility, created_at, updated_at, updated_by, tlp, tags, notes) VALUES (?, ?, ?, ?, "
        "?, 'UTC', 'minute', '', ?, ?, ?, ?, ?, 'reported', 6, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    db.executemany(
        "INSERT INTO entry_party (entry_id, party_id, role) VALUES (?, ?, 'involved')",
        [(n, p) for n in range(1, entries + 1) for p in (n % 200 + 1, (n + 7) % 200 + 1)],
    )
    db.commit()
    db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--folder", type=Path, default=Path("/tmp/briefing-migration"))
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    template = args.folder / f"format1-{args.entries}.brief"
    if not template.exists():
        build_format_1(template, args.entries)
    work = args.folder / "work.brief"
    for old in args.folder.glob("work*"):
        old.unlink()
    shutil.copyfile(template, work)
    size = work.stat().st_size / 1e6

    start = time.perf_counter()
    source = sqlite3.connect(work)
    target = sqlite3.connect(args.folder / "work-backup-baseline.brief")
    source.backup(target)
    target.close()
    backup = time.perf_counter() - start
    start = time.perf_counter()
    source.execute("CREATE TEMP TABLE copied AS SELECT * FROM timeline_entry")
    copy = time.perf_counter() - start
    source.close()

    start, cpu = time.perf_counter(), time.process_time()
    opened = open_project(work, "Bench")
    upgrade, cpu = time.perf_counter() - start, time.process_time() - cpu
    with opened.engine.connect() as connection:
        claims = connection.exec_driver_sql("SELECT count(*) FROM casualty_claim").scalar_one()
    opened.close()
    print(f"Migration of {args.entries:,} entries ({size:.0f} MB) from format 1 to 2")
    print(f"  open with upgrade (verify, backup, migrate, reindex) {upgrade:6.2f} s"
          f" (CPU {cpu:5.2f} s) → {claims:,} claims")  # fmt: skip
    print(f"  baseline: backup alone {backup:6.2f} s; INSERT … SELECT of the entries {copy:5.2f} s")
    print(f"  load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
