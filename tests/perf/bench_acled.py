"""ACLED import benchmark: seconds and peak memory at 100,000 rows, beside reading the CSV alone.

Run by hand: ``python tests/perf/bench_acled.py [--rows N] [--folder DIR]``. A
deterministic ACLED file of N rows (and one of N/4, for memory) is written into
DIR (default ``/tmp/briefing-acled``); each measurement runs in its own process,
as in ``bench_ucdp.py``, whose CSV baseline this shares. The ACLED import writes
through the same bulk path as the UCDP GED import.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import time
from pathlib import Path

from bench_ucdp import child_parse, run_child

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


def child_import(path: Path, project: Path) -> dict[str, float]:
    from briefing.io.acled import run_acled_import
    from briefing.store import create_project

    with create_project(project, "Bench") as opened:
        start, cpu = time.perf_counter(), time.process_time()
        report = run_acled_import(opened, path)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "cpu": cpu, "peak_mb": peak, "rows": report.added}


def _run(*args: str) -> dict[str, float]:
    return run_child(Path(__file__), *args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--folder", type=Path, default=Path("/tmp/briefing-acled"))
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *paths = args.child
        action = {"parse": child_parse, "import": child_import}
        print(json.dumps(action[kind](*map(Path, paths))))
        return
    args.folder.mkdir(parents=True, exist_ok=True)
    print(f"ACLED import, {args.rows:,} rows")
    for rows in (max(args.rows // 4, 1), args.rows):
        path = args.folder / f"acled-{rows}.csv"
        if not path.exists():
            write_acled(path, rows)
        project = args.folder / f"import-{rows}.brief"
        project.unlink(missing_ok=True)
        parse = _run("parse", str(path))
        full = _run("import", str(path), str(project))
        assert full["rows"] == rows, full
        print(f"  {rows:>7,} rows: import {full['seconds']:6.2f} s (CPU {full['cpu']:5.2f} s),"
              f" peak {full['peak_mb']:4.0f} MB"
              f" | csv parsing {parse['seconds']:5.2f} s (CPU {parse['cpu']:5.2f} s)")  # fmt: skip
    print(f"  load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
