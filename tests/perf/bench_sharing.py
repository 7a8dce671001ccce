"""Merge and ACLED import benchmarks, each figure beside a raw baseline from the same run.

Run by hand: ``python tests/perf/bench_sharing.py [--entries N] [--rows N]``.
Prints figures; asserts nothing. Targets (issue 5): merging two 100,000-entry
files that differ in 10,000 records ≤ 10 s; importing a 50,000-row ACLED-shaped
CSV ≤ 10 s. Baselines: for the merge, raw sqlite3 reading both files' stamps and
writing the same 10,000 changes with executemany; for the import, the csv module
reading the file alone, and raw sqlite3 executemany inserting the same rows into
a bare table. Wall and CPU seconds are both printed: on a machine shared with
other work, CPU seconds are the steadier figure. All data is invented.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import sqlite3
import tempfile
import time
import uuid
from pathlib import Path

os.environ.setdefault("BRIEFING_ANALYST", "Bench")

from briefing.io.acled import run_acled_import  # noqa: E402
from briefing.model import codec  # noqa: E402
from briefing.model.base import to_utc_text, utc_now  # noqa: E402
from briefing.services.merge import merge_project  # noqa: E402
from briefing.store import create_project, open_project  # noqa: E402

WORDS = "artillery border clash ceasefire village position shelling drone report".split()
PLACES = (("Sotk", "ARM", 51, "Armenia"), ("Jermuk", "ARM", 51, "Armenia"),
          ("Kalbajar", "AZE", 31, "Azerbaijan"), ("Tovuz", "AZE", 31, "Azerbaijan"),
          ("Gori", "GEO", 268, "Georgia"))  # fmt: skip


def stamp(n: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime(1_640_000_000 + n))


def entry(n: int, rng: random.Random, parties: list[str], sources: list[str]) -> dict:
    return {
        "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "title": f"{rng.choice(WORDS).capitalize()} near {rng.choice(PLACES)[0]} #{n}",
        "description": " ".join(rng.choices(WORDS, k=20)),
        "start_utc": stamp(n * 60)[:19] + "Z",
        "place": rng.choice(PLACES)[0],
        "updated_at": stamp(n),
        "created_at": stamp(n),
        "parties": [{"party": rng.choice(parties), "role": "involved"}],
        "sources": [rng.choice(sources)],
    }


def build_base(path: Path, entries: int) -> None:
    rng = random.Random(5)
    old = {"created_at": stamp(0), "updated_at": stamp(0)}
    parties = [
        {"uuid": str(uuid.uuid4()), "name": f"P{i}", "kind": "state", **old} for i in range(9)
    ]
    sources = [
        {"uuid": str(uuid.uuid4()), "title": f"S{i}", "kind": "news", **old} for i in range(9)
    ]
    pu, su = [p["uuid"] for p in parties], [s["uuid"] for s in sources]
    project = create_project(path, "Bench")
    with project.transaction() as session:
        codec.load(session.connection(), {"party": parties, "source": sources})
        for start in range(0, entries, 20_000):
            batch = [entry(n, rng, pu, su) for n in range(start, min(entries, start + 20_000))]
            codec.load(session.connection(), {"entry": batch})
    project.close()


def diverge(ours: Path, theirs: Path, entries: int) -> dict[str, int]:
    """Theirs: 4,000 edited, 3,000 added, 1,000 deleted; ours: 2,000 edited (100 overlapping)."""
    plan = {
        "their edits": 4000,
        "their additions": 3000,
        "their deletions": 1000,
        "our edits": 2000,
    }
    rng = random.Random(9)
    picked = rng.sample(range(1, entries + 1), 7000)
    theirs_edit, theirs_delete = picked[:4000], picked[4000:5000]
    ours_edit = picked[5000:6900] + theirs_edit[:100]
    later = to_utc_text(utc_now())
    with sqlite3.connect(theirs) as connection:
        connection.execute("PRAGMA foreign_keys = ON")
        connection.executemany(
            "UPDATE timeline_entry SET title = title || ' (revised)', updated_at = ?, "
            "updated_by = 'Bob' WHERE id = ?",
            [(later, i) for i in theirs_edit],
        )
        rows = connection.execute(
            f"SELECT uuid FROM timeline_entry WHERE id IN ({','.join(map(str, theirs_delete))})"
        ).fetchall()
        connection.executemany(
            "INSERT INTO tombstone(uuid, kind, deleted_at, deleted_by) "
            "VALUES (?, 'entry', ?, 'Bob')",
            [(u, later) for (u,) in rows],
        )
        connection.execute(
            f"DELETE FROM timeline_entry WHERE id IN ({','.join(map(str, theirs_delete))})"
        )
    project = open_project(theirs, "Bob")
    rng2 = random.Random(11)
    with project.engine.connect() as c:
        pu = [r[0] for r in c.exec_driver_sql("SELECT uuid FROM party")]
        su = [r[0] for r in c.exec_driver_sql("SELECT uuid FROM source")]
    with project.transaction() as session:
        added = [entry(entries + n, rng2, pu, su) for n in range(3000)]
        for record in added:
            record["updated_at"] = later
        codec.load(session.connection(), {"entry": added})
    project.close()
    with sqlite3.connect(ours) as connection:
        connection.executemany(
            "UPDATE timeline_entry SET place = 'Goris', updated_at = ?, updated_by = 'Ana' "
            "WHERE id = ?",
            [(to_utc_text(utc_now()), i) for i in ours_edit],
        )
    return plan


def baseline_merge(ours: Path, theirs: Path) -> float:
    """Raw sqlite3: both files' stamps read, then the same 8,000 rows written and 1,000 deleted."""
    scratch = ours.with_name("baseline.brief")
    shutil.copyfile(ours, scratch)
    start = time.perf_counter()
    with sqlite3.connect(theirs) as other:
        their_rows = {
            r[0]: r for r in other.execute("SELECT uuid, updated_at, title FROM timeline_entry")
        }
    with sqlite3.connect(scratch) as connection:
        connection.execute("PRAGMA foreign_keys = ON")
        our_rows = {
            r[0]: r[1] for r in connection.execute("SELECT uuid, updated_at FROM timeline_entry")
        }
        changed = [
            (r[2], r[1], u) for u, r in their_rows.items() if u in our_rows and our_rows[u] != r[1]
        ]
        connection.executemany(
            "UPDATE timeline_entry SET title = ?, updated_at = ? WHERE uuid = ?", changed
        )
        fresh = [(u, r[2], r[1]) for u, r in their_rows.items() if u not in our_rows]
        connection.executemany(
            "INSERT INTO timeline_entry(uuid, title, description, start_utc, zone, precision,"
            " place, status, credibility, created_at, updated_at, updated_by, tlp,"
            " tags, notes) VALUES (?, ?, '', '2021-01-01T00:00:00.000000Z', 'UTC', 'day', '',"
            " 'reported', 6, ?, ?, '', 'CLEAR', '', '')",
            [(u, t, s, s) for u, t, s in fresh],
        )
        gone = [(u,) for u in our_rows if u not in their_rows]
        connection.executemany("DELETE FROM timeline_entry WHERE uuid = ?", gone)
    return time.perf_counter() - start


def bench_merge(folder: Path, entries: int) -> None:
    base = folder / "base.brief"
    print(f"building a {entries:,}-entry project …", flush=True)
    build_base(base, entries)
    ours, theirs = folder / "ours.brief", folder / "theirs.brief"
    shutil.copyfile(base, ours)
    shutil.copyfile(base, theirs)
    plan = diverge(ours, theirs, entries)
    print("  differences: " + ", ".join(f"{v:,} {k}" for k, v in plan.items()))
    raw_cpu = time.process_time()
    raw = baseline_merge(ours, theirs)
    raw_cpu = time.process_time() - raw_cpu
    project = open_project(ours, "Ana")
    start, cpu = time.perf_counter(), time.process_time()
    report = merge_project(project, theirs)
    took, cpu = time.perf_counter() - start, time.process_time() - cpu
    project.close()
    print(f"  {report.summary}")
    print(f"merge:     {took:6.2f} s wall, {cpu:5.2f} s CPU   (target ≤ 10 s)")
    print(f"baseline:  {raw:6.2f} s wall, {raw_cpu:5.2f} s CPU   raw sqlite3 stamps + "
          f"executemany of the same changes (merge = {cpu / raw_cpu:.1f}× its CPU)")  # fmt: skip
    start = time.perf_counter()
    project = open_project(ours, "Ana")
    again = merge_project(project, theirs)
    project.close()
    print(f"again:     {time.perf_counter() - start:6.2f} s   ({again.summary})")


def write_acled(path: Path, rows: int) -> None:
    rng = random.Random(3)
    actors = [f"Invented Militia {i} (Armenia)" for i in range(150)] + [
        f"Made-up Forces {i} (Azerbaijan)" for i in range(150)
    ]
    header = ("event_id_cnty,event_date,year,time_precision,disorder_type,event_type,"
              "sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,"
              "interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,"
              "latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,"
              "timestamp").split(",")  # fmt: skip
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        for n in range(rows):
            place, alpha, iso, country = rng.choice(PLACES)
            day = time.strftime(
                "%Y-%m-%d", time.gmtime(1_600_000_000 + rng.randrange(0, 80_000_000))
            )
            writer.writerow([
                f"{alpha}{100000 + n}", day, day[:4], rng.choice("123"), "Political violence",
                "Battles", "Armed clash", rng.choice(actors), "", "2", rng.choice(actors),
                "", "1", "12", "", iso, "Caucasus", country, "Admin", "", "", place,
                f"{40 + rng.random():.4f}", f"{45 + rng.random():.4f}", "1", "Invented Wire",
                "National", "Invented event: " + " ".join(rng.choices(WORDS, k=15)),
                rng.randrange(0, 5), "", 1_600_000_000 + n,
            ])  # fmt: skip


def baseline_csv(path: Path) -> tuple[float, list[list[str]]]:
    start = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as stream:
        table = list(csv.reader(stream))[1:]
    return time.perf_counter() - start, table


def baseline_insert(folder: Path, table: list[list[str]]) -> float:
    path = folder / "raw.sqlite"
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute(
        "CREATE TABLE event(id INTEGER PRIMARY KEY, uuid TEXT UNIQUE, external_id TEXT UNIQUE,"
        " title TEXT, description TEXT, start TEXT, place TEXT, latitude REAL, longitude REAL,"
        " killed INTEGER)"
    )
    start = time.perf_counter()
    with connection:
        connection.executemany(
            "INSERT INTO event(uuid, external_id, title, description, start, place, latitude,"
            " longitude, killed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(str(uuid.uuid4()), r[0], f"{r[6]} in {r[21]}", r[27], r[1], r[21], float(r[22]),
              float(r[23]), int(r[28])) for r in table],
        )  # fmt: skip
    connection.close()
    return time.perf_counter() - start


def bench_acled(folder: Path, rows: int) -> None:
    path = folder / "events.csv"
    write_acled(path, rows)
    parse, table = baseline_csv(path)
    raw = baseline_insert(folder, table)
    project = create_project(folder / "acled.brief", "Bench")
    start, cpu = time.perf_counter(), time.process_time()
    report = run_acled_import(project, path)
    took, cpu = time.perf_counter() - start, time.process_time() - cpu
    project.close()
    print(f"  {report.summary}")
    print(f"import:    {took:6.2f} s   {rows / took:8,.0f} rows/s   (target ≤ 10 s; "
          f"{cpu:.2f} s CPU, {rows / cpu:,.0f} rows per CPU second)")  # fmt: skip
    print(f"baseline:  {parse:6.2f} s   {rows / parse:8,.0f} rows/s   csv module parsing alone")
    print(
        f"baseline:  {raw:6.2f} s   {rows / raw:8,.0f} rows/s   raw sqlite3 executemany, bare table"
    )
    project = open_project(folder / "acled.brief", "Bench")
    start = time.perf_counter()
    again = run_acled_import(project, path)
    project.close()
    print(f"re-import: {time.perf_counter() - start:6.2f} s   ({again.summary})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=50_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-sharing-"))
    try:
        print(f"ACLED import of {args.rows:,} rows")
        bench_acled(folder, args.rows)
        print(f"Merge of two {args.entries:,}-entry files")
        bench_merge(folder, args.entries)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
