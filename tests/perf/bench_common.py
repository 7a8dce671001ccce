"""What the store and scale benchmarks share: generated text, timing, and the printed row.

Not a benchmark itself. Every figure is printed by :func:`row` beside a baseline
measured in the same run, with the target when there is one.
"""

from __future__ import annotations

import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scenario_words import WORDS

ROOT = Path(__file__).resolve().parents[2]

LOADED_TABLES = (
    "party",
    "source",
    "timeline_entry",
    "entry_party",
    "entry_source",
    "statement",
    "statement_contradiction",
    "relationship",
    "relationship_source",
)
"""The tables a JSON import fills, for the raw ``executemany`` baseline."""


# ---------------------------------------------------------------------------- text


def _vocabulary(size: int = 20_000) -> tuple[list[str], list[float]]:
    """Words with Zipf frequencies, as in real prose: a few very common, most rare.

    The scenario's words sit at ranks 20 onwards, so searching for them matches
    a realistic few percent of records rather than nearly all of them.
    """
    rng = random.Random(7)
    syllables = [c + v for c in "bdgklmnprstvz" for v in "aeiou"]
    synthetic = {"".join(rng.choices(syllables, k=rng.randrange(2, 5))) for _ in range(size)}
    words = sorted(synthetic - set(WORDS))
    words = words[:20] + WORDS + words[20:size]
    weights = [1 / (rank + 1) for rank in range(len(words))]
    total, running, cumulative = sum(weights), 0.0, []
    for weight in weights:
        running += weight / total
        cumulative.append(running)
    return words, cumulative


VOCABULARY, CUMULATIVE = _vocabulary()


def prose(rng: random.Random, words: int) -> str:
    return " ".join(rng.choices(VOCABULARY, cum_weights=CUMULATIVE, k=words))


def moment(rng: random.Random) -> str:
    """A time in 2020-2023, as the interchange document writes it."""
    seconds = rng.randrange(0, 4 * 365 * 86400)
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(1_577_836_800 + seconds))


def stamp(u: str) -> dict[str, Any]:
    """The fields every record of the interchange document carries."""
    return {
        "uuid": u,
        "created_at": "2021-11-16T18:00:00Z",
        "updated_at": "2021-11-16T18:00:00Z",
        "updated_by": "Bench",
        "tlp": "CLEAR",
        "tags": "",
        "notes": "",
    }


# ---------------------------------------------------------------------------- timing


class Clock:
    """Wall and CPU seconds of a block; CPU time suffers less from a busy machine."""

    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def median_ms(action: Callable[[], object], times: int = 7) -> float:
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def child(code: str, env: dict[str, str] | None = None) -> tuple[float, float, dict]:
    """Run Python ``code`` in a fresh process: (wall s, CPU s, the JSON it printed last)."""
    wall, cpu, out = _run([sys.executable, "-c", code], env)
    lines = out.strip().splitlines()
    return wall, cpu, json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}


def process(*argv: str, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Run ``python ARGV`` in a fresh process: (wall s, CPU s)."""
    wall, cpu, _ = _run([sys.executable, *argv], env)
    return wall, cpu


def _run(command: list[str], env: dict[str, str] | None) -> tuple[float, float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    run = subprocess.run(
        command,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        check=True,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, run.stdout


def evict(path: Path) -> bool:
    """Drop one file's pages from the page cache, so the next read is cold; False if not possible.

    ``posix_fadvise(DONTNEED)`` needs no privilege and leaves every other file
    (other people's work on a shared machine) cached.
    """
    if not hasattr(os, "posix_fadvise"):
        return False
    os.sync()
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(descriptor)
    return True


def load_average() -> str:
    """The machine's load over 1, 5 and 15 minutes, printed beside the figures."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} cores"


# ---------------------------------------------------------------------------- printing


def row(
    label: str, value: float, unit: str, baseline: float, base_label: str, target: str = ""
) -> None:
    """One figure beside its baseline (and the ratio), with its target when it has one."""
    ratio = value / baseline if baseline else float("nan")
    line = (
        f"{label:<46}{value:>10.3f} {unit:<3}  {base_label:<34}{baseline:>9.3f} {unit:<3}"
        f" ×{ratio:6.2f}"
    )
    print(f"{line}   target {target}" if target else line, flush=True)
