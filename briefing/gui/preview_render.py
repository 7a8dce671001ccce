"""Reading and laying out a preview a step at a time between the window's events.

The briefing is read a few hundred records to a step, as an export reads it
(:func:`~briefing.services.pdf_export.job_steps`), then laid out a page at a
time. Both run on the window's own thread (the project's connection lives there,
and ReportLab and its font registry are not safe to share with a worker), one
step per turn of the event loop, so the window keeps answering keys and clicks
while a long briefing is read and laid out. Each step's progress is announced;
a newer start or :meth:`PreviewRender.cancel` (the pane's Cancel) drops the
running one at its next step, closing its read; its result is never shown.
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path
from typing import cast

from PySide6.QtCore import QObject, QTimer, Signal

from briefing.errors import BriefingError
from briefing.export.cancel import scaled
from briefing.export.markings import MarkingError
from briefing.export.pdf import PdfResult, Progress
from briefing.services.pdf_export import READ_SHARE, job_steps
from briefing.store.errors import database_reason
from briefing.store.project import Project


class PreviewRender(QObject):
    """One layout at a time; signals carry the run's number."""

    finished = Signal(int, object)
    """(run, PdfResult) of a run still wanted."""
    failed = Signal(int, str, bool)
    """(run, sentence, refused for its marking) of a run still wanted."""
    progressed = Signal(int, float, str)
    """(run, fraction done from 0 to 1, what it is doing) after each step of a run."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.run = 0
        self._steps: Generator[Progress, None, PdfResult] | None = None
        self._path: Path | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._step)
        self._held = False

    def hold(self, held: bool) -> None:
        """Pause stepping while an export lays out on a worker: ReportLab is not thread-safe."""
        self._held = held
        if held:
            self._timer.stop()
        elif self._steps is not None:
            self._timer.start()

    @property
    def busy(self) -> bool:
        return self._steps is not None

    def start(self, project: Project, briefing_id: int, path: Path, changes: bool) -> int:
        """Begin a layout (dropping any running one); the run's number."""
        self.cancel()
        run = self.run
        self._steps = _read_and_lay_out(project, briefing_id, path, changes)
        self._path = path
        if not self._held:
            self._timer.start()
        return run

    def cancel(self) -> None:
        """Drop the running layout."""
        self.run += 1
        self._timer.stop()
        if self._steps is not None:
            self._steps.close()
            self._steps = None
        if self._path is not None:
            self._path.unlink(missing_ok=True)
            self._path = None

    def _step(self) -> None:
        steps, run = self._steps, self.run
        if steps is None or self._held:
            self._timer.stop()
            return
        try:
            step = next(steps)
            self.progressed.emit(run, step.fraction, step.message)
            return
        except StopIteration as done:
            self._finish()
            self.finished.emit(run, done.value)
        except BriefingError as error:
            self._finish()
            self.failed.emit(run, str(error), isinstance(error, MarkingError))
        except Exception as error:  # noqa: BLE001 - said in one sentence, never a traceback
            self._finish()
            reason = database_reason(error)
            self.failed.emit(run, f"The preview could not be laid out ({reason}).", False)

    def _finish(self) -> None:
        self._timer.stop()
        self._steps = None
        self._path = None  # the finished file belongs to the preview now


def _read_and_lay_out(
    project: Project, briefing_id: int, path: Path, changes: bool
) -> Generator[Progress, None, PdfResult]:
    """The read and the layout as one run of steps, on one bar (as an export's)."""
    job = yield from scaled(job_steps(project, briefing_id, path, None, changes), 0.0, READ_SHARE)
    result = yield from scaled(job.steps(), READ_SHARE, 1.0)
    return cast(PdfResult, result)
