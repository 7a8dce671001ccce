"""ACLED import benchmark: seconds and peak memory at 100,000 rows, beside reading the CSV alone.

Run by hand: ``python tests/perf/bench_acled.py [--rows N] [--folder DIR]``. A
deterministic ACLED file of N rows (and one of N/4, for memory) is written into
DIR (default ``/tmp/briefing-acled``); each measurement runs in its own process,
with the CSV baseline and floor (the import's rows copied by SQLite alone)
of ``import_bench.py``; a bare ``executemany`` of the entry and claim rows,
a batch of 5,000 at a time, is the other baseline. ``--only-full`` skips N/4.
The ACLED import writes through the same bulk path as the UCDP GED import, and
reads a large export in a second process when a core is free, whose CPU is
printed apart (0 when it read in one process).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
from pathlib import Path
from typing import Any

from import_bench import (
    CLAIM_INSERT,
    ENTRY_INSERT,
    Clock,
    Figures,
    bare_project,
    child_floor,
    child_floor_python,
    child_import,
    child_main,
    child_parse,
    line,
    run_child,
)

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "acled" / "events.csv"
ACTORS = [f"Military Forces of Country {n} (2000-)" for n in range(40)] + [
    f"Militia {n}" for n in range(400)
]


def write_acled(path: Path, rows: int) -> None:
    """N invented events in ACLED's columns, written row by row."""
    with FIXTURE.open(encoding="utf-8", newline="") as stream:
        template = next(csv.DictReader(stream))
    rng = random.Random(1121)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, list(template))
        writer.writeheader()
        for n in range(rows):
            a, b = rng.sample(ACTORS, 2)
            day = f"20{rng.randint(10, 23)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            writer.writerow(
                {**template, "event_id_cnty": f"BEN{n + 1}", "event_date": day,
                 "year": day[:4], "actor1": a, "actor2": b,
                 "latitude": f"{rng.uniform(-60, 70):.4f}",
                 "longitude": f"{rng.uniform(-170, 170):.4f}",
                 "location": f"Place {rng.randint(1, 5000)}",
                 "fatalities": str(rng.randint(0, 40)), "timestamp": str(1637107200 + n)}
            )  # fmt: skip


def child_acled(path: Path, project: Path) -> Figures:
    from briefing.io.acled import run_acled_import

    return child_import(run_acled_import, path, project)


def child_executemany(path: Path, project: Path) -> Figures:
    """The entry and claim rows of an export, inserted with nothing but executemany."""
    connection = bare_project(project)
    clock = Clock()
    entries: list[tuple[Any, ...]] = []
    claims: list[tuple[Any, ...]] = []
    with path.open(encoding="utf-8", newline="") as stream:
        for n, row in enumerate(csv.DictReader(stream), start=1):
            entries.append(
                (n, f"e-{n}", row["actor1"], row["event_date"] + "T00:00:00.000000Z",
                 float(row["latitude"]), float(row["longitude"]), row["event_id_cnty"])
            )  # fmt: skip
            claims.append((f"c-{n}", n, 0, "all sides", "killed", int(row["fatalities"])))
            if len(entries) >= 5000:
                connection.executemany(ENTRY_INSERT, entries)
                connection.executemany(CLAIM_INSERT, claims)
                entries, claims = [], []
    connection.executemany(ENTRY_INSERT, entries)
    connection.executemany(CLAIM_INSERT, claims)
    connection.commit()
    rows = connection.execute("SELECT count(*) FROM timeline_entry").fetchone()[0]
    connection.close()
    return clock.figures(rows)


def _run(*args: str) -> Figures:
    return run_child(Path(__file__), *args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--folder", type=Path, default=Path("/tmp/briefing-acled"))
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument(
        "--only-full", action="store_true", help="measure N rows only, not N/4 as well"
    )
    args = parser.parse_args()
    if args.child:
        actions = {"parse": child_parse, "import": child_acled,
                   "executemany": child_executemany, "floor": child_floor,
                   "floor-python": child_floor_python}  # fmt: skip
        child_main(actions, args.child)
        return
    args.folder.mkdir(parents=True, exist_ok=True)
    print(f"ACLED import, {args.rows:,} rows")
    sizes = (args.rows,) if args.only_full else (max(args.rows // 4, 1), args.rows)
    for rows in sizes:
        path = args.folder / f"acled-{rows}.csv"
        if not path.exists():
            write_acled(path, rows)
        project = args.folder / f"import-{rows}.brief"
        bare_project = args.folder / f"bare-{rows}.brief"
        floor_project = args.folder / f"floor-{rows}.brief"
        bound_project = args.folder / f"bound-{rows}.brief"
        for made in (project, bare_project, floor_project, bound_project):
            made.unlink(missing_ok=True)
        parse = _run("parse", str(path))
        bare = _run("executemany", str(path), str(bare_project))
        full = _run("import", str(path), str(project))
        assert full["rows"] == rows, full
        floor = _run("floor", str(project), str(floor_project))
        bound = _run("floor-python", str(project), str(bound_project))
        print(line(rows, full, parse, bare, floor, bound))
    print(f"  load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("  target: 1,000,000 rows ≤ 90 s")


if __name__ == "__main__":
    main()
