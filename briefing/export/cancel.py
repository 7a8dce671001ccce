"""Stopping an export while its content is put together, not only between pages.

A window reads the briefing on its own thread, a step at a time, then runs the
rest of the export on a worker thread; it may be told to stop at any time.
Between steps the worker asks the window; inside a long step (the brief's story
of 10,000 timeline rows, a Word table as long) the builder calls a *check*
every few rows, which raises :class:`ExportCancelled` once the window has set
the :class:`CancelFlag`. Nothing is written before the last step, so a stopped
export leaves no file.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")
Check = Callable[[], None]
"""Called inside long loops; raises :class:`ExportCancelled` to stop them."""
Told = Callable[[str, int, int], None]
"""Told ``(message, done, of)`` after each step: a terminal's progress bar."""


@dataclass(frozen=True)
class Progress:
    """How far an export is (0 to 1) and what it is doing, in words for a progress bar."""

    fraction: float
    message: str


class ExportCancelled(Exception):
    """The export was cancelled; nothing was written."""


def never() -> None:
    """The check of an export that cannot be cancelled (the command line, the tests)."""


class CancelFlag:
    """Set on one thread (the window's), checked on another (the worker's)."""

    def __init__(self) -> None:
        self._set = threading.Event()

    def cancel(self) -> None:
        self._set.set()

    @property
    def cancelled(self) -> bool:
        return self._set.is_set()

    def check(self) -> None:
        if self._set.is_set():
            raise ExportCancelled


def scaled(
    steps: Generator[Progress, None, T], start: float, end: float
) -> Generator[Progress, None, T]:
    """The steps of one part of a longer run, their progress mapped onto ``start``–``end``.

    The read of the briefing and the writing of the file share one bar this way.
    Closing the run closes the part, so a stopped read ends its session.
    """
    try:
        while True:
            try:
                step = next(steps)
            except StopIteration as done:
                return done.value
            share = end if step.fraction >= 1.0 else start + (end - start) * step.fraction
            yield Progress(share, step.message)
    finally:
        steps.close()


def run_to_end(steps: Generator[Progress, None, T], progress: Told | None = None) -> T:
    """Run steps to the end, telling ``progress`` (in thousandths) how far they are."""
    while True:
        try:
            step = next(steps)
        except StopIteration as done:
            return done.value
        if progress is not None:
            progress(step.message, round(step.fraction * 1000), 1000)
