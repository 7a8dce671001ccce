"""The composer's TLP warning: exactly what Export PDF would refuse, found the same way.

A briefing prints more than its own items: the parties named in them, the
sources cited, the statements they contradict. The export refuses when any of
those is marked more strictly than the briefing, so the warning asks the
export's own check (:func:`export_label` on the export's snapshot) rather than
counting items. The check runs once the analyst pauses, not on every keystroke,
and only while the composer is in view. The snapshot is read as an export reads
it, a few hundred records to a step (:func:`snapshot_steps`), one step per turn
of the window's event loop, so a briefing of ten thousand records never holds
the window; a newer check, or the project closing, drops the read under way.
"""

from __future__ import annotations

from collections.abc import Callable, Generator

from PySide6.QtCore import QObject, QTimer, Signal
from sqlalchemy.exc import SQLAlchemyError

from briefing.errors import BriefingError
from briefing.export.cancel import Progress
from briefing.export.markings import MarkingError, export_label
from briefing.services.briefing_snapshot import snapshot_steps
from briefing.store.interface import ProjectStore

PAUSE_MS = 250


def refusal_steps(project: ProjectStore, briefing_id: int) -> Generator[Progress, None, str]:
    """The sentence Export PDF would refuse the briefing with for its marking, or ``""``.

    A step at a time; a briefing gone or unreadable is ``""`` (the composer says so
    elsewhere).
    """
    try:
        snapshot = yield from snapshot_steps(project, briefing_id)
        export_label(snapshot)
    except MarkingError as refused:
        return str(refused)
    except (BriefingError, SQLAlchemyError):
        return ""
    return ""


class MarkingCheck(QObject):
    """Runs :func:`refusal_steps` for the open briefing after a pause; announces the result."""

    checked = Signal(str)
    """The refusal sentence, or ``""`` when the export would carry the briefing's label."""

    def __init__(
        self, project: ProjectStore, in_view: Callable[[], bool], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._project = project
        self._in_view = in_view
        self._briefing_id: int | None = None
        self._steps: Generator[Progress, None, str] | None = None
        self.pending = False
        self._timer = QTimer(self, singleShot=True, interval=PAUSE_MS)
        self._timer.timeout.connect(self.run)
        self._stepper = QTimer(self, interval=0)
        self._stepper.timeout.connect(self._step)

    @property
    def busy(self) -> bool:
        """A check is due (once the pause is over) or its read is under way."""
        return self._steps is not None or self._timer.isActive()

    def schedule(self, briefing_id: int | None, now: bool = False) -> None:
        """Check this briefing again soon (or ``now``); None clears the warning."""
        self.stop()
        self._briefing_id = briefing_id
        self.pending = True
        if now:
            self.run()
        else:
            self._timer.start()

    def run(self) -> None:
        """Begin the check, if the warning is in view; else when it comes into view."""
        self._timer.stop()
        if not self._in_view():
            return
        self.stop()
        self.pending = False
        if self._briefing_id is None or self._project.closed:
            self.checked.emit("")
            return
        self._steps = refusal_steps(self._project, self._briefing_id)
        self._stepper.start()

    def stop(self) -> None:
        """Drop the read under way (its session ends); its result is never announced."""
        self._stepper.stop()
        if self._steps is not None:
            steps, self._steps = self._steps, None
            steps.close()

    def _step(self) -> None:
        if self._steps is None:
            self._stepper.stop()
            return
        try:
            next(self._steps)
        except StopIteration as done:
            self._stepper.stop()
            self._steps = None
            self.checked.emit(done.value)
