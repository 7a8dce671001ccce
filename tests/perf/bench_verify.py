"""Verification benchmark: opening and ``briefing check`` on a large project, beside baselines.

Run by hand::

    python tests/perf/bench_verify.py [--entries N] [--project FILE] [--baseline-tree DIR]

Builds the store benchmark's project (100,000 entries, 20,000 statements, 5,000
sources) unless ``--project`` names one already built (it is built there and
kept when missing). Prints, each beside its baselines measured in the same run:

- ``briefing check`` as a whole process, beside SQLite's bare ``integrity_check``
  plus ``foreign_key_check`` on the same file and, with ``--baseline-tree``, beside
  the same command run from another checkout of the program (e.g. the code
  before value checks were added: ``git worktree add /tmp/base REV``);
- ``briefing info`` as a whole process (open, read-only), beside the same.

Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_store import make_document

from briefing.io.jsondoc import encode, import_json
from briefing.store import create_project

ROOT = Path(__file__).resolve().parents[2]


def build(path: Path, entries: int) -> None:
    document = make_document(entries, entries // 5, max(entries // 20, 10))
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "bench.json"
        source.write_text(encode(document), encoding="utf-8")
        del document
        project = create_project(path, "Bench")
        try:
            import_json(project, source)
        finally:
            project.close()


def run(tree: Path, *args: str) -> tuple[float, float]:
    """Wall and CPU seconds of one ``briefing`` process run from ``tree``."""
    environment = dict(os.environ, PYTHONPATH=str(tree))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "briefing", *args], env=environment, capture_output=True, cwd=tree
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def bare_check(path: Path) -> tuple[float, float]:
    start, cpu = time.perf_counter(), time.process_time()
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    connection.execute("PRAGMA integrity_check").fetchall()
    connection.execute("PRAGMA foreign_key_check").fetchall()
    connection.close()
    return time.perf_counter() - start, time.process_time() - cpu


def median(samples: list[tuple[float, float]], index: int) -> float:
    return statistics.median(sample[index] for sample in samples)


def row(label: str, samples: list[tuple[float, float]], baselines: dict[str, list]) -> None:
    for index, what in ((0, "wall"), (1, "CPU")):
        ours = median(samples, index)
        parts = [f"{name} {median(base, index):7.2f} s" for name, base in baselines.items()]
        print(f"{label + f' ({what})':<32}{ours:7.2f} s   baseline: {'; '.join(parts)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--project", type=Path, help="the project to measure (built if missing)")
    parser.add_argument("--baseline-tree", type=Path, help="another checkout to compare with")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.project or Path(folder) / "bench.brief"
        if not path.exists():
            build(path, args.entries)
        print(f"{path.name}: {path.stat().st_size / 1e6:.0f} MB")
        trees = {"this program": ROOT}
        if args.baseline_tree:
            trees["baseline tree"] = args.baseline_tree.resolve()
        for command in ("check", "info"):
            results = {
                name: [run(tree, command, str(path)) for _ in range(args.repeat)]
                for name, tree in trees.items()
            }
            ours = results.pop("this program")
            if command == "check":
                results["bare integrity + foreign keys"] = [
                    bare_check(path) for _ in range(args.repeat)
                ]
            row(f"briefing {command}, process", ours, results)


if __name__ == "__main__":
    main()
