"""UCDP GED import benchmark: seconds and peak memory at 100,000 rows, beside baselines.

Run by hand: ``python tests/perf/bench_ucdp.py [--rows N] [--folder DIR]``. A
deterministic GED file of N rows (and one of N/4, to show memory does not grow
with the file) is written into DIR (default ``/tmp/briefing-ucdp``). Each
measurement runs in its own process, so its peak memory (maximum resident set)
is its own. Baselines, in the same run: reading the CSV with the ``csv`` module
alone, and a bare ``executemany`` of the same number of entry rows (and their
claims) into the project's tables, foreign keys on as in the program, and the floor:
the very rows the import wrote (entries, claims, parties, links and search index)
copied into a fresh project by SQLite alone, which is what the schema costs
before any Python runs. Wall and
CPU seconds are both printed: on a loaded machine the wall time says more about
the load than about the import. Target: import ≤ 10 s and ≤ 2× the bare
executemany, memory flat in the number of rows. The import reads a large file in
a second process when a core is free (``briefing.io.child_rows.spare_core``); its
CPU is printed apart ("reading"), beside the writer's, and is 0 when the machine
was too busy and the import read the file in one process.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "ucdp" / "ged.csv"
SIDES = [f"Government of Country {n}" for n in range(40)] + [f"Group {n}" for n in range(400)]


def write_ged(path: Path, rows: int) -> None:
    """N invented events in GED's columns, written row by row."""
    with FIXTURE.open(encoding="utf-8", newline="") as stream:
        template = next(csv.DictReader(stream))
    rng = random.Random(1121)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, list(template))
        writer.writeheader()
        for n in range(rows):
            a, b = rng.sample(SIDES, 2)
            deaths = [rng.randint(0, 20) for _ in range(4)]
            best = sum(deaths)
            day = f"20{rng.randint(10, 23)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            writer.writerow(
                {**template, "id": str(n + 1), "relid": f"BEN-{n + 1}", "side_a": a,
                 "side_b": b, "side_a_new_id": str(SIDES.index(a)),
                 "side_b_new_id": str(SIDES.index(b)), "dyad_name": f"{a} - {b}",
                 "date_start": day, "date_end": day,
                 "latitude": f"{rng.uniform(-60, 70):.4f}",
                 "longitude": f"{rng.uniform(-170, 170):.4f}",
                 "where_coordinates": f"Place {rng.randint(1, 5000)}",
                 "deaths_a": deaths[0], "deaths_b": deaths[1], "deaths_civilians": deaths[2],
                 "deaths_unknown": deaths[3], "best": best, "low": max(best - 3, 0),
                 "high": best + 5}
            )  # fmt: skip


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_parse(path: Path) -> dict[str, float]:
    start, cpu = time.perf_counter(), time.process_time()
    with path.open(encoding="utf-8", newline="") as stream:
        count = sum(1 for _ in csv.reader(stream))
    return {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu,
            "peak_mb": _peak_mb(), "rows": count - 1}  # fmt: skip


def child_executemany(path: Path, project: Path, random_ids: bool = False) -> dict[str, float]:
    """The entry and claim rows a GED file gives, inserted with nothing but executemany.

    With ``random_ids`` the rows carry UUIDs (as the import's do, in no order) instead of
    short keys in insertion order: every unique index then takes its inserts at random.
    """
    from briefing.store import create_project

    create_project(project, "Bench").close()
    connection = sqlite3.connect(project)
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("PRAGMA foreign_keys = ON")
    start, cpu = time.perf_counter(), time.process_time()
    entries, claims = [], []
    with path.open(encoding="utf-8", newline="") as stream:
        for n, row in enumerate(csv.DictReader(stream), start=1):
            entries.append(
                (n, _key("e", n, random_ids), row["dyad_name"],
                 row["date_start"] + "T00:00:00.000000Z",
                 float(row["latitude"]), float(row["longitude"]), f"UCDP-GED:{row['id']}")
            )  # fmt: skip
            for k, column in enumerate(("deaths_a", "deaths_b", "deaths_civilians", "best")):
                key = _key(f"c-{k}", n, random_ids)
                claims.append((key, n, k, "all sides", "killed", int(row[column])))
    with connection:
        connection.executemany(
            "INSERT INTO timeline_entry (id, uuid, title, description, start_utc, zone, "
            "precision, place, latitude, longitude, status, credibility, external_id, "
            "created_at, updated_at, updated_by, tlp, tags, notes) VALUES (?, ?, ?, '', ?, "
            "'UTC', 'day', '', ?, ?, 'reported', 6, ?, '2024-01-01T00:00:00.000000Z', "
            "'2024-01-01T00:00:00.000000Z', '', 'CLEAR', '', '')",
            entries,
        )
        connection.executemany(
            "INSERT INTO casualty_claim (uuid, entry_id, position, side, category, best, words) "
            "VALUES (?, ?, ?, ?, ?, ?, '')",
            claims,
        )
    connection.close()
    return {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu,
            "peak_mb": _peak_mb(), "rows": len(entries)}  # fmt: skip


def _key(kind: str, n: int, random_ids: bool) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_OID, f"{kind}-{n}")) if random_ids else f"{kind}-{n}"


def child_executemany_uuids(path: Path, project: Path) -> dict[str, float]:
    return child_executemany(path, project, random_ids=True)


FLOOR_TABLES = (
    "party",
    "source",
    "timeline_entry",
    "entry_party",
    "entry_source",
    "casualty_claim",
)


def child_floor(imported: Path, project: Path) -> dict[str, float]:
    """The rows an import wrote, copied into a fresh project by SQLite alone: the floor.

    Table by table with ``INSERT … SELECT`` (every index and foreign key kept up row
    by row, CHECK constraints and page cache as the import has them), then the
    search index's rows, tokenised again. No Python per row at all.
    """
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
    connection.execute("ATTACH DATABASE ? AS src", (str(imported),))
    start, cpu = time.perf_counter(), time.process_time()
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
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    connection.close()
    return {"seconds": seconds, "cpu": cpu, "peak_mb": _peak_mb(), "rows": rows}


def children_cpu() -> float:
    """CPU seconds of this process's ended children (the import's reading process)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def child_import(path: Path, project: Path) -> dict[str, float]:
    from briefing.io.ucdp import run_ucdp_import
    from briefing.store import create_project

    with create_project(project, "Bench") as opened:
        start, cpu, reader = time.perf_counter(), time.process_time(), children_cpu()
        report = run_ucdp_import(opened, path)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"seconds": seconds, "cpu": cpu, "reader_cpu": children_cpu() - reader,
            "reader_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            "peak_mb": _peak_mb(), "rows": report.added}  # fmt: skip


def run_child(script: Path, *args: str) -> dict[str, float]:
    """Run one measurement of ``script`` in a fresh process (``--child``); its figures back."""
    done = subprocess.run(
        [sys.executable, str(script), "--child", *args],
        check=True, capture_output=True, text=True, cwd=ROOT,
        env={"PYTHONPATH": f"{ROOT}:{ROOT / 'tests' / 'perf'}", "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def _run(*args: str) -> dict[str, float]:
    return run_child(Path(__file__), *args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--folder", type=Path, default=Path("/tmp/briefing-ucdp"))
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *paths = args.child
        action = {
            "parse": child_parse,
            "executemany": child_executemany,
            "executemany-uuids": child_executemany_uuids,
            "import": child_import,
            "floor": child_floor,
        }
        print(json.dumps(action[kind](*map(Path, paths))))
        return
    args.folder.mkdir(parents=True, exist_ok=True)
    quarter = max(args.rows // 4, 1)
    files = {}
    for rows in (quarter, args.rows):
        files[rows] = args.folder / f"ged-{rows}.csv"
        if not files[rows].exists():
            write_ged(files[rows], rows)
    print(f"UCDP GED import, {args.rows:,} rows ({files[args.rows].stat().st_size / 1e6:.0f} MB)")
    for rows, path in files.items():
        names = ("import", "bare", "uuids", "floor")
        for name in (f"{n}-{rows}.brief" for n in names):
            (args.folder / name).unlink(missing_ok=True)
        parse = _run("parse", str(path))
        bare = _run("executemany", str(path), str(args.folder / f"bare-{rows}.brief"))
        uuids = _run("executemany-uuids", str(path), str(args.folder / f"uuids-{rows}.brief"))
        full = _run("import", str(path), str(args.folder / f"import-{rows}.brief"))
        assert full["rows"] == rows, full
        floor = _run("floor", str(args.folder / f"import-{rows}.brief"),
                     str(args.folder / f"floor-{rows}.brief"))  # fmt: skip
        assert floor["rows"] == rows, floor
        print(f"  {rows:>7,} rows: import {full['seconds']:6.2f} s (CPU {full['cpu']:5.2f} s"
              f" writing + {full['reader_cpu']:5.2f} s reading in the second process),"
              f" peak {full['peak_mb']:4.0f} MB (reading process {full['reader_peak_mb']:4.0f} MB)"
              f" | csv parsing {parse['seconds']:5.2f} s (CPU {parse['cpu']:5.2f} s)"
              f" | bare executemany {bare['seconds']:5.2f} s (CPU {bare['cpu']:5.2f} s),"
              f" peak {bare['peak_mb']:4.0f} MB"
              f" | with UUIDs {uuids['seconds']:5.2f} s (CPU {uuids['cpu']:5.2f} s)"
              f" | the import's rows copied by SQLite alone {floor['seconds']:5.2f} s"
              f" (CPU {floor['cpu']:5.2f} s)"
              f" | import = {full['seconds'] / bare['seconds']:.1f}× executemany wall,"
              f" {full['cpu'] / bare['cpu']:.1f}× CPU,"
              f" {full['cpu'] / uuids['cpu']:.1f}× CPU of the one with UUIDs")  # fmt: skip
    print(f"  load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("  target: import ≤ 10 s at 100,000 rows; peak memory flat in the number of rows")


if __name__ == "__main__":
    main()
