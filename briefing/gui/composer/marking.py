"""The composer's TLP warning: exactly what Export PDF would refuse, found the same way.

A briefing prints more than its own items: the parties named in them, the
sources cited, the statements they contradict. The export refuses when any of
those is marked more strictly than the briefing, so the warning asks the
export's own check (:func:`export_label` on the export's snapshot) rather than
counting items. Reading a snapshot of a briefing of a thousand records takes a
few hundred milliseconds, so the check runs once the analyst pauses, not on
every keystroke, and only while the composer is in view.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from sqlalchemy.exc import SQLAlchemyError

from briefing.errors import BriefingError
from briefing.export.markings import MarkingError, export_label
from briefing.services.briefing_snapshot import build_snapshot
from briefing.store.interface import ProjectStore

PAUSE_MS = 250


def marking_refusal(project: ProjectStore, briefing_id: int) -> str:
    """The sentence Export PDF would refuse the briefing with for its marking, or ``""``."""
    try:
        export_label(build_snapshot(project, briefing_id))
    except MarkingError as refused:
        return str(refused)
    except (BriefingError, SQLAlchemyError):
        return ""  # gone or unreadable: the composer says so elsewhere
    return ""


class MarkingCheck(QObject):
    """Runs :func:`marking_refusal` for the open briefing after a pause; announces the result."""

    checked = Signal(str)
    """The refusal sentence, or ``""`` when the export would carry the briefing's label."""

    def __init__(
        self, project: ProjectStore, in_view: Callable[[], bool], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._project = project
        self._in_view = in_view
        self._briefing_id: int | None = None
        self.pending = False
        self._timer = QTimer(self, singleShot=True, interval=PAUSE_MS)
        self._timer.timeout.connect(self.run)

    def schedule(self, briefing_id: int | None, now: bool = False) -> None:
        """Check this briefing again soon (or ``now``); None clears the warning."""
        self._briefing_id = briefing_id
        self.pending = True
        if now:
            self.run()
        else:
            self._timer.start()

    def run(self) -> None:
        """Check now, if the warning is in view; else when it comes into view (see ``pending``)."""
        self._timer.stop()
        if not self._in_view():
            return
        self.pending = False
        if self._briefing_id is None or self._project.closed:
            self.checked.emit("")
            return
        self.checked.emit(marking_refusal(self._project, self._briefing_id))
