"""What the commands print differently for a person at a terminal and for a pipe or a file.

Long steps (the first check of a large file, a large import) report
``progress(stage, done, total)``; :func:`terminal_progress` turns that into one
line redrawn in place on stderr, cleared when the step ends, and nothing when
stderr is not a terminal. A list of results (:func:`print_rows`) gets a header
line and aligned columns on a terminal, and stays one tab-separated line per
result without a header when piped, so scripts can rely on it.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
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


def one_line(value: object) -> str:
    """A cell's text with each run of spaces, tabs and line breaks made one space.

    Other control characters show as U+FFFD: text read from a project file (a
    colleague's, or one written by another program) may hold escape sequences a
    terminal would obey (retitle the window, write the clipboard, clear the screen).
    """
    return " ".join(str(value).split()).translate(_CONTROLS)


_CONTROLS = {c: "\ufffd" for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))}


@dataclass(frozen=True)
class Column:
    """A column of a list of results: its label and, on a terminal, its width."""

    label: str
    width: int = 0
    right: bool = False

    def cell(self, value: object) -> str:
        text = one_line(value)
        return text.rjust(self.width) if self.right else text.ljust(self.width)


def print_rows(
    columns: Sequence[Column], rows: Iterable[Sequence[object]], stream: TextIO | None = None
) -> None:
    """Results as a table with a header line on a terminal, else as tab-separated lines.

    Piped, a cell's tabs and line breaks become spaces, so each result is one line
    of exactly ``len(columns)`` fields.
    """
    stream = stream or sys.stdout
    if not stream.isatty():
        for row in rows:
            print("\t".join(one_line(value) for value in row), file=stream)
        return
    line = "  ".join(column.cell(column.label) for column in columns)
    print(line.rstrip(), file=stream)
    for row in rows:
        cells = (column.cell(value) for column, value in zip(columns, row, strict=True))
        print("  ".join(cells).rstrip(), file=stream)
