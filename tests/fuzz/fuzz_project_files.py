"""Long fuzz run over mutated project files (the suite runs a few dozen of the same cases).

Run by hand, from the repository root::

    python tests/fuzz/fuzz_project_files.py --cases 10000 [--seed 1] [--start 0]

Each case copies the demo project (its briefing cut to one section, so the PDF
export each accepted case runs stays quick), spoils it with one mutation drawn by a seeded
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
import signal
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "unit"))
os.environ.setdefault("BRIEFING_ANALYST", "Fuzz")

from project_mutations import apply, check_invariant, random_mutation  # noqa: E402

from briefing.services.demo import create_demo_project  # noqa: E402


def make_template(path: Path) -> None:
    """The demo project with its briefing cut to one section and one key judgment."""
    create_demo_project(path, "Fuzz").close()
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("DELETE FROM section WHERE id <> (SELECT min(id) FROM section)")
    connection.execute("DELETE FROM key_judgment WHERE id <> (SELECT min(id) FROM key_judgment)")
    connection.commit()
    connection.execute("VACUUM")
    connection.close()


@dataclass
class Tally:
    refused: int = 0
    accepted: int = 0
    failures: list[str] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)

    def line(self, seed: int, start: int) -> str:
        return (
            f"cases run: {self.refused + self.accepted} (seed {seed}, from {start}); "
            f"refused: {self.refused}; accepted: {self.accepted}; failures: "
            f"{len(self.failures)}; exports failing on files that open but that check "
            f"refuses: {len(self.unchecked)}"
        )


def _stop(number: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def run_case(number: int, seed: int, root: Path, template: Path, tally: Tally) -> None:
    mutation = random_mutation(random.Random(f"{seed}:{number}"), template.stat().st_size)
    folder = root / "case"
    (folder / "file").mkdir(parents=True)
    path = folder / "file" / template.name
    shutil.copyfile(template, path)
    apply(path, mutation)
    outcome = check_invariant(path, template, folder)
    shutil.rmtree(folder)
    if outcome.refused:
        tally.refused += 1
    else:
        tally.accepted += 1
    if outcome.failure:
        tally.failures.append(f"case {number}: {mutation}: {outcome.failure}")
        print(tally.failures[-1], flush=True)
    if outcome.unchecked:
        tally.unchecked.append(f"case {number}: {mutation}: {outcome.unchecked}")
        print("(a file check refuses) " + tally.unchecked[-1], flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start", type=int, default=0, help="first case number")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, _stop)
    tally = Tally()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="briefing-fuzz-") as folder:
        root = Path(folder)
        template = root / "demo.brief"
        make_template(template)
        try:
            for number in range(args.start, args.start + args.cases):
                run_case(number, args.seed, root, template, tally)
                if (number - args.start + 1) % 100 == 0:
                    minutes = (time.perf_counter() - started) / 60
                    print(f"{tally.line(args.seed, args.start)}; {minutes:.1f} min", flush=True)
        except KeyboardInterrupt:
            print("stopped before the last case", flush=True)
    print(tally.line(args.seed, args.start))
    return 1 if tally.failures else 0


if __name__ == "__main__":
    sys.exit(main())
