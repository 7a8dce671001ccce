"""Run an export's steps on a worker thread, under a progress dialog with Cancel.

The briefing is read first on the window's thread (its connection lives there),
a few hundred records to a step, the window painting and answering Cancel
between steps (:func:`read_here`); Cancel then closes the read, which ends its
session, and nothing is written.

The steps are a generator over a plain snapshot (no project, no Qt), so a worker
may advance it while the window stays painted and answers the mouse. After each
step the worker waits for the window's word: go on, or stop. Inside a long step
(putting a 10,000-row brief together) the steps call a check that the window's
:class:`~briefing.export.cancel.CancelFlag` trips as soon as Cancel is pressed,
so Cancel never waits for that step to end. Stopping closes the generator before
it writes; the file is written whole at the end (see :mod:`briefing.files`), so
a cancelled export leaves no file, partial or not. Cancel is no longer honoured
once the file is written (the step at 100 %).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Generator
from typing import Any

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication, QProgressDialog

from briefing.export.cancel import CancelFlag, ExportCancelled
from briefing.export.pdf import Progress

POLL_SECONDS = 0.03
"""How long the window waits for a step before it paints and listens again."""
GO, STOP = "go", "stop"

Steps = Generator[Progress, None, Any]


class _Worker:
    """Advances the steps one at a time, each after the window said to go on."""

    def __init__(self, steps: Steps) -> None:
        self.steps = steps
        self.out: queue.Queue[tuple[str, Any]] = queue.Queue()
        self.word: queue.Queue[str] = queue.Queue()
        self.thread = threading.Thread(target=self._run, name="export", daemon=True)

    def _run(self) -> None:
        try:
            while True:
                try:
                    progress = next(self.steps)
                except StopIteration as done:
                    self.out.put(("done", done.value))
                    return
                self.out.put(("step", progress))
                if self.word.get() == STOP:
                    self.steps.close()
                    self.out.put(("stopped", None))
                    return
        except ExportCancelled:
            self.out.put(("stopped", None))
        except BaseException as error:  # noqa: BLE001 - raised again on the window's thread
            self.out.put(("error", error))


def read_here(dialog: QProgressDialog, steps: Steps) -> Any:
    """The read's result, or None if Cancel was pressed; the steps run on this thread."""
    while True:
        QApplication.processEvents()
        if dialog.wasCanceled():
            steps.close()
            return None
        try:
            progress = next(steps)
        except StopIteration as done:
            return done.value
        dialog.setLabelText(progress.message)
        dialog.setValue(round(progress.fraction * 100))


def run_steps(
    dialog: QProgressDialog, steps: Steps, written: list[bool], flag: CancelFlag | None = None
) -> Any:
    """The steps' result, or None if cancelled; ``written[0]`` tells whether the file was written.

    ``flag`` is the one the steps check inside a long step: it is set the moment
    Cancel is pressed (the steps no longer check it once they write the file). A
    failure inside the steps is raised here, on the window's thread.
    """
    if flag is not None:  # the steps check it only before the file is written
        dialog.canceled.connect(flag.cancel)
    worker = _Worker(steps)
    worker.thread.start()
    try:
        while True:
            try:
                kind, value = worker.out.get(timeout=POLL_SECONDS)
            except queue.Empty:
                QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
                continue
            if kind == "step":
                written[0] = value.fraction >= 1.0
                dialog.setLabelText(value.message)
                dialog.setValue(round(value.fraction * 100))
                QApplication.processEvents()
                stop = dialog.wasCanceled() and not written[0]
                worker.word.put(STOP if stop else GO)
            elif kind == "error":
                raise value
            else:
                return value
    finally:
        worker.word.put(STOP)  # a worker still waiting for a word stops; a finished one ignores it
        worker.thread.join()
