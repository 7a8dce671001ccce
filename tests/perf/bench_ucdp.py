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
before any Python runs, and the same rows handed to SQLite by ``executemany``,
which is the least a writer in Python pays. Wall and
CPU seconds are both printed: on a loaded machine the wall time says more about
the load than about the import. Target: import ≤ 10 s and ≤ 2× the bare
executemany, memory flat in the number of rows. The import reads a large file in
a second process when a core is free (``briefing.io.child_rows.spare_core``); its
CPU is printed apart ("reading"), beside the writer's, and is 0 when the machine
was too busy and the import read the file in one process; at the full size the
import is run once more with the second process whatever the load.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import uuid
from pathlib import Path

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


def child_executemany(path: Path, project: Path, random_ids: bool = False) -> Figures:
    """The entry and claim rows a GED file gives, inserted with nothing but executemany.

    With ``random_ids`` the rows carry UUIDs (as the import's do, in no order) instead of
    short keys in insertion order: every unique index then takes its inserts at random.
    """
    connection = bare_project(project)
    clock = Clock()
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
        connection.executemany(ENTRY_INSERT, entries)
        connection.executemany(CLAIM_INSERT, claims)
    connection.close()
    return clock.figures(len(entries))


def _key(kind: str, n: int, random_ids: bool) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_OID, f"{kind}-{n}")) if random_ids else f"{kind}-{n}"


def child_executemany_uuids(path: Path, project: Path) -> Figures:
    return child_executemany(path, project, random_ids=True)


def child_ucdp(path: Path, project: Path) -> Figures:
    from briefing.io.ucdp import run_ucdp_import

    return child_import(run_ucdp_import, path, project)


def child_ucdp_two(path: Path, project: Path) -> Figures:
    """The import with its reading process started however busy the machine is."""
    from briefing.io import child_rows

    child_rows.spare_core = lambda: True  # this process only: it runs one measurement
    return child_ucdp(path, project)


def _run(*args: str) -> Figures:
    return run_child(Path(__file__), *args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--folder", type=Path, default=Path("/tmp/briefing-ucdp"))
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        actions = {"parse": child_parse, "executemany": child_executemany,
                   "executemany-uuids": child_executemany_uuids, "import": child_ucdp,
                   "import-two": child_ucdp_two,
                   "floor": child_floor, "floor-python": child_floor_python}  # fmt: skip
        child_main(actions, args.child)
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
        names = ("import", "bare", "uuids", "floor", "bound", "two")
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
        bound = _run("floor-python", str(args.folder / f"import-{rows}.brief"),
                     str(args.folder / f"bound-{rows}.brief"))  # fmt: skip
        print(line(rows, full, parse, bare, floor, bound))
        print(f"             executemany with UUIDs {uuids['seconds']:6.2f} s"
              f" (CPU {uuids['cpu']:6.2f} s); import wall ="
              f" {full['seconds'] / bare['seconds']:.1f}× executemany's")  # fmt: skip
        if rows == args.rows:
            two = _run("import-two", str(path), str(args.folder / f"two-{rows}.brief"))
            print(f"             in two processes whatever the load: {two['seconds']:6.2f} s"
                  f" wall, CPU {two['cpu']:6.2f} s writing + {two['reader_cpu']:6.2f} s"
                  f" reading, load {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"  load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("  target: import ≤ 10 s at 100,000 rows; peak memory flat in the number of rows")


if __name__ == "__main__":
    main()
