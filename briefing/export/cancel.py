"""Stopping an export while its content is put together, not only between pages.

A window runs an export on a worker thread and may be told to stop at any time.
Between steps the worker asks the window; inside a long step (the brief's story
of 10,000 timeline rows, a Word table as long) the builder calls a *check*
every few rows, which raises :class:`ExportCancelled` once the window has set
the :class:`CancelFlag`. Nothing is written before the last step, so a stopped
export leaves no file.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

Check = Callable[[], None]
"""Called inside long loops; raises :class:`ExportCancelled` to stop them."""


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
