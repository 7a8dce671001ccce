"""A progress bar on a terminal, and nothing when the output goes to a pipe or a file.

Long steps (the first check of a large file, a large import) report
``progress(stage, done, total)``; :func:`terminal_progress` turns that into one
line redrawn in place on stderr, cleared when the step ends.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

ProgressCallback = Callable[[str, int, int], None]

BAR_WIDTH = 30
REDRAW_SECONDS = 0.1
SHOW_AFTER_SECONDS = 0.5
"""Steps shorter than this draw nothing at all."""


class _Bar:
    def __init__(self, label: str, stream: TextIO) -> None:
        self.label = label
        self.stream = stream
        self.started = time.monotonic()
        self.drawn_at = 0.0
        self.drawn = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.started < SHOW_AFTER_SECONDS or now - self.drawn_at < REDRAW_SECONDS:
            return
        share = min(max(done / total, 0.0), 1.0) if total > 0 else 0.0
        filled = round(share * BAR_WIDTH)
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self.stream.write(f"\r{self.label}: [{bar}] {share:4.0%} {stage}\033[K")
        self.stream.flush()
        self.drawn_at, self.drawn = now, True

    def clear(self) -> None:
        if self.drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()


@contextmanager
def terminal_progress(
    label: str, stream: TextIO | None = None
) -> Iterator[ProgressCallback | None]:
    """A progress callback drawing on ``stream`` (stderr) if it is a terminal, else None."""
    stream = stream or sys.stderr
    if not stream.isatty():
        yield None
        return
    bar = _Bar(label, stream)
    try:
        yield bar
    finally:
        bar.clear()
