"""Long fuzz run over mutated project files (the suite runs a few dozen of the same cases).

Run by hand, from the repository root::

    python tests/fuzz/fuzz_project_files.py --cases 10000 [--seed 1] [--start 0]

Each case copies the demo project, spoils it with one mutation drawn by a seeded
generator (:mod:`project_mutations`: flipped bytes, swapped or cut pages, edited
``sqlite_master`` rows, hostile triggers and views, objects hidden under
SQLite's reserved names, planted journals, write-ahead logs and lock files,
values the program never writes), and checks the invariant: refused in one
sentence with every file beside it byte for byte unchanged, or accepted and
then usable (open, ``check``, ``info``, ``search``, merge into a copy of the
demo, which must still pass ``check``; and, once ``check`` passes, JSON export
and PDF export of each briefing; see :mod:`project_mutations`).
Case N of seed S is always the same mutation, so a failure can be replayed
with ``--start N --cases 1``. Prints the number of cases run, refused and
accepted, and every failure; exits 1 if there was any.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "unit"))
os.environ.setdefault("BRIEFING_ANALYST", "Fuzz")

from project_mutations import apply, check_invariant, random_mutation  # noqa: E402

from briefing.services.demo import create_demo_project  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start", type=int, default=0, help="first case number")
    args = parser.parse_args()
    refused = accepted = 0
    failures: list[str] = []
    unchecked: list[str] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="briefing-fuzz-") as root:
        template = Path(root) / "demo.brief"
        create_demo_project(template, "Fuzz").close()
        size = template.stat().st_size
        for number in range(args.start, args.start + args.cases):
            mutation = random_mutation(random.Random(f"{args.seed}:{number}"), size)
            folder = Path(root) / "case"
            (folder / "file").mkdir(parents=True)
            path = folder / "file" / template.name
            shutil.copyfile(template, path)
            apply(path, mutation)
            outcome = check_invariant(path, template, folder)
            refused += outcome.refused
            accepted += not outcome.refused
            if outcome.failure:
                failures.append(f"case {number}: {mutation}: {outcome.failure}")
                print(failures[-1], flush=True)
            if outcome.unchecked:
                unchecked.append(f"case {number}: {mutation}: {outcome.unchecked}")
                print("(a file check refuses) " + unchecked[-1], flush=True)
            shutil.rmtree(folder)
            done = number - args.start + 1
            if done % 500 == 0:
                minutes = (time.perf_counter() - started) / 60
                print(f"{done} cases, {len(failures)} failures, {minutes:.1f} min", flush=True)
    print(
        f"cases run: {args.cases} (seed {args.seed}, from {args.start}); refused: {refused}; "
        f"accepted: {accepted}; failures: {len(failures)}; exports failing on files "
        f"that open but that check refuses: {len(unchecked)}"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
