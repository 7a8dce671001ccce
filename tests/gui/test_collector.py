"""Python's cycle collector runs on the window's thread, never on a worker thread."""

from __future__ import annotations

import gc
import threading

from PySide6.QtCore import QObject

from briefing.gui import collector


class _Cycle:
    """Garbage in a reference cycle holding a Qt object; notes the thread that frees it."""

    def __init__(self, freed_on: list[str]) -> None:
        self.me = self
        self.qt = QObject()
        self.freed_on = freed_on

    def __del__(self) -> None:
        self.freed_on.append(threading.current_thread().name)


def _allocate_on_a_worker() -> list[list]:
    """Containers made on a worker thread, far past the first generation's threshold."""
    made: list[list] = []
    worker = threading.Thread(target=lambda: made.extend([] for _ in range(50_000)), name="worker")
    worker.start()
    worker.join()
    return made


def test_a_cycle_left_while_a_worker_allocates_is_freed_on_the_window_thread(qtbot):
    assert not gc.isenabled()
    freed_on: list[str] = []
    _Cycle(freed_on)
    made = _allocate_on_a_worker()
    assert freed_on == []  # the worker's allocations started no collection
    qtbot.waitUntil(lambda: freed_on != [], timeout=5000)
    assert freed_on == [threading.main_thread().name]
    assert len(made) == 50_000


def test_without_it_the_worker_would_have_collected(qtbot):
    """The case the collector prevents: automatic collection frees the cycle on the worker."""
    freed_on: list[str] = []
    gc.collect()
    gc.enable()
    try:
        _Cycle(freed_on)
        assert len(_allocate_on_a_worker()) == 50_000
    finally:
        gc.disable()
    assert freed_on == ["worker"]


def test_the_due_generation_follows_python_s_rule():
    thresholds = (700, 10, 10)
    assert collector.generation_due((10, 0, 0), thresholds) is None
    assert collector.generation_due((701, 3, 0), thresholds) == 0
    assert collector.generation_due((701, 11, 3), thresholds) == 1
    assert collector.generation_due((701, 11, 11), thresholds) == 2
    assert collector.generation_due((10_000, 0, 0), (0, 10, 10)) is None  # collection off
