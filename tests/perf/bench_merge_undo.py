"""Undoing a large merge, beside the merge itself measured in the same run.

Run by hand: ``python tests/perf/bench_merge_undo.py [--entries N]``. Builds the
same two diverged 100,000-entry files as ``bench_sharing.py`` (10,000 records
differ), merges them, undoes the merge (Edit ▸ Undo in the window) and merges
again. Prints figures; asserts nothing. The baseline is the merge: an undo that
takes much longer than the merge it undoes would be the thing to fix. The time
the merge spends keeping what its undo needs is printed too.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

os.environ.setdefault("BRIEFING_ANALYST", "Bench")
sys.path.insert(0, str(Path(__file__).parent))

from bench_sharing import build_base, diverge  # noqa: E402

from briefing.services import merge  # noqa: E402
from briefing.services.merge_undo import MergeUndo  # noqa: E402
from briefing.store import open_project  # noqa: E402

T = TypeVar("T")


def timed(action: Callable[[], T]) -> tuple[T, float, float]:
    """The action's result, wall seconds and CPU seconds."""
    start, cpu = time.perf_counter(), time.process_time()
    result = action()
    return result, time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-merge-undo-"))
    captured: list[float] = []
    capture = merge.capture_undo

    def capture_timed(*values: Any) -> MergeUndo:
        result, wall, _ = timed(lambda: capture(*values))
        captured.append(wall)
        return result

    merge.capture_undo = capture_timed
    try:
        base, ours, theirs = (folder / f"{n}.brief" for n in ("base", "ours", "theirs"))
        print(f"building a {args.entries:,}-entry project …", flush=True)
        build_base(base, args.entries)
        shutil.copyfile(base, ours)
        shutil.copyfile(base, theirs)
        diverge(ours, theirs, args.entries)
        with open_project(ours, "Ana") as project:
            plan = merge.plan_merge(project, theirs)
            report, wall, cpu = timed(lambda: merge.apply_merge(project, plan))
            print(f"  {report.summary}")
            print(f"merge (baseline): {wall:6.2f} s wall, {cpu:5.2f} s CPU")
            print(f"  of which kept for undo: {captured[0]:5.2f} s")
            assert report.undo is not None
            undo = report.undo
            _, wall, cpu = timed(lambda: merge.undo_merge(project, undo))
            print(f"undo:             {wall:6.2f} s wall, {cpu:5.2f} s CPU")
            again, wall, cpu = timed(lambda: merge.merge_project(project, theirs))
            print(f"merge again:      {wall:6.2f} s wall, {cpu:5.2f} s CPU   ({again.summary})")
    finally:
        merge.capture_undo = capture
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
