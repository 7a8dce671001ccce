"""Python's cycle collector, run on the window's thread only.

The collector normally runs on whichever thread happens to allocate. The window
reads, checks, draws maps and lays out exports on worker threads; a collection
started there may free a Qt object's Python wrapper left in a reference cycle,
and Shiboken then hands the C++ object to the window's thread to delete at an
arbitrary later moment, which can crash the program. So automatic collection is
switched off while the window runs, and a light timer on the window's thread
collects whenever the allocation counts pass the collector's own thresholds,
the way automatic collection would have.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

CHECK_MS = 200
"""How often the window's thread looks at the counts; most looks find nothing to do."""


class MainThreadCollector(QObject):
    """Owns collection from its making until :meth:`stop`."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_MS)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start()

    def collect_due(self) -> int:
        """Collect the oldest generation whose count passed its threshold; the number found."""
        due = generation_due(gc.get_count(), gc.get_threshold())
        return 0 if due is None else gc.collect(due)

    def stop(self) -> None:
        """Give collection back to Python (as it was before) and stop looking."""
        self._timer.stop()
        if self._was_enabled:
            gc.enable()


def generation_due(counts: tuple[int, int, int], thresholds: tuple[int, ...]) -> int | None:
    """The generation Python would collect now, or None (the same rule as automatic collection)."""
    if not thresholds or thresholds[0] <= 0 or counts[0] <= thresholds[0]:
        return None
    due = 0
    for generation in (1, 2):
        if counts[generation] > thresholds[generation]:
            due = generation
    return due


def install(app: QObject) -> MainThreadCollector:
    """The application's one collector, made on first use."""
    collector = app.findChild(MainThreadCollector)
    return collector if collector is not None else MainThreadCollector(app)
