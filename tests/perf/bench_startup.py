"""Start-up time of the application bundle beside ``python -m briefing`` from the environment.

Run by hand after ``packaging/build.sh``:  python tests/perf/bench_startup.py [RUNS]
Prints the median wall and CPU time of each command, the bundle's beside the
interpreter's (the baseline, measured in the same run), and the bundle's size on disk.
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
COMMANDS = {
    "--version": ["--version"],
    "info demo.brief": ["info", "demo.brief"],
    "gui demo.brief (window up, then closed)": ["gui", "demo.brief"],
}


def timed_run(argv: list[str], cwd: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of one run; CPU time (user + system) barely moves when
    other work shares the machine, wall time does."""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "BRIEFING_QUIT_AFTER_MS": "1",
        "BRIEFING_ANALYST": "Benchmark",
        "BRIEFING_DATA_DIR": str(cwd / "data"),
    }
    start = time.perf_counter()
    child = subprocess.Popen(
        argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise subprocess.CalledProcessError(child.returncode, argv)
    return wall, usage.ru_utime + usage.ru_stime


def medians(argv: list[str], cwd: Path, runs: int) -> tuple[float, float]:
    """Median wall and CPU time over runs, after one warm-up run."""
    timed_run(argv, cwd)
    walls, cpus = zip(*(timed_run(argv, cwd) for _ in range(runs)), strict=True)
    return statistics.median(walls), statistics.median(cpus)


def show(label: str, wall: float, cpu: float) -> str:
    return f"{label:<26}{wall * 1000:7.0f} ms wall {cpu * 1000:7.0f} ms CPU"


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
        print(show("python -c pass (floor)", *medians([sys.executable, "-c", "pass"], cwd, runs)))
        for label, args in COMMANDS.items():
            baseline = medians([sys.executable, "-m", "briefing", *args], cwd, runs)
            bundled = medians([str(program), *args], cwd, runs)
            print(f"briefing {label}")
            print(show("  bundle", *bundled) + f"   x{bundled[1] / baseline[1]:.2f} CPU")
            print(show("  python -m briefing (base)", *baseline))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
