"""Start-up time of the application bundle beside ``python -m briefing`` from the environment.

Run by hand after ``packaging/build.sh``:  python tests/perf/bench_startup.py [RUNS]
Prints the median wall time of each command, the bundle's beside the interpreter's
(the baseline, measured in the same run), and the bundle's size on disk.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dist" / "conflict-briefing"
COMMANDS = {"--version": ["--version"], "info demo.brief": ["info", "demo.brief"]}


def median_seconds(argv: list[str], cwd: Path, runs: int) -> float:
    """Median wall time over runs, after one warm-up so both sides start from a warm cache."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    times = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        subprocess.run(argv, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times[1:])


def folder_size(folder: Path) -> int:
    """Bytes in the folder's files; PyInstaller links some libraries, counted once."""
    return sum(
        path.lstat().st_size
        for path in folder.rglob("*")
        if path.is_file() and not path.is_symlink()
    )


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    program = BUNDLE / "briefing"
    if not program.is_file():
        print(f"error: no bundle at {BUNDLE}; run packaging/build.sh first", file=sys.stderr)
        return 1
    print(f"bundle: {BUNDLE} ({folder_size(BUNDLE) / 2**20:.0f} MiB), median of {runs} runs")
    with tempfile.TemporaryDirectory() as folder:
        cwd = Path(folder)
        subprocess.run([program, "demo", "demo.brief"], cwd=cwd, check=True, capture_output=True)
        floor = median_seconds([sys.executable, "-c", "pass"], cwd, runs)
        print(f"{'python -c pass (floor)':<28}{floor * 1000:8.0f} ms")
        for label, args in COMMANDS.items():
            baseline = median_seconds([sys.executable, "-m", "briefing", *args], cwd, runs)
            bundled = median_seconds([str(program), *args], cwd, runs)
            print(
                f"briefing {label:<19}{bundled * 1000:8.0f} ms bundle"
                f"   {baseline * 1000:8.0f} ms python -m briefing (baseline)"
                f"   x{bundled / baseline:.2f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
