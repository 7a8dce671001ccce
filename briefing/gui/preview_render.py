"""Laying out a preview on a worker thread, dropped as soon as what it shows is out of date.

The briefing is read from the project on the window's thread (the project file is
not shared between threads); the layout, which takes the time, runs on a worker
and is asked after every page whether it is still wanted. A newer start or
:meth:`PreviewRender.cancel` makes the running one stop at its next page; its
result, if it gets that far, is never shown.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from briefing.errors import BriefingError
from briefing.export.markings import MarkingError
from briefing.export.pdf import PdfResult, pdf_steps
from briefing.services.briefing_snapshot import build_snapshot
from briefing.store.project import Project


class PreviewRender(QObject):
    """One background layout at a time; signals carry the run's number."""

    finished = Signal(int, object)
    """(run, PdfResult) of a run still wanted."""
    failed = Signal(int, str, bool)
    """(run, sentence, refused for its marking) of a run still wanted."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.run = 0
        self._worker: threading.Thread | None = None

    @property
    def busy(self) -> bool:
        return self._worker is not None and self._worker.is_alive()

    def start(self, project: Project, briefing_id: int, path: Path, changes: bool) -> int:
        """Begin a layout (dropping any running one); the run's number."""
        self.run += 1
        run = self.run
        try:
            snapshot = build_snapshot(project, briefing_id, changes, None)
        except BriefingError as error:
            self.failed.emit(run, str(error), isinstance(error, MarkingError))
            return run
        self._worker = threading.Thread(
            target=self._lay_out, args=(run, snapshot, path), name="preview", daemon=True
        )
        self._worker.start()
        return run

    def cancel(self) -> None:
        """Drop the running layout: it stops at its next page."""
        self.run += 1

    def wait(self, seconds: float = 30.0) -> None:
        """Let a running layout stop (closing the pane)."""
        if self._worker is not None:
            self._worker.join(seconds)

    def _lay_out(self, run: int, snapshot: object, path: Path) -> None:
        steps = pdf_steps(snapshot, path)  # type: ignore[arg-type]
        try:
            while True:
                if run != self.run:
                    steps.close()
                    return
                next(steps)
        except StopIteration as done:
            result: PdfResult = done.value
            if run == self.run:
                self.finished.emit(run, result)
            else:
                path.unlink(missing_ok=True)
        except BriefingError as error:
            if run == self.run:
                self.failed.emit(run, str(error), isinstance(error, MarkingError))
        except Exception as error:  # noqa: BLE001 - a worker must say, never die silently
            if run == self.run:
                self.failed.emit(run, f"The preview could not be laid out: {error}", False)
