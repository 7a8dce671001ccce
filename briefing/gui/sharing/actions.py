"""The window's sharing commands: merge, ACLED import, share copy, and the Editions tab.

:class:`SharingActions` makes the actions the window puts in its File menu and
registers the Editions workspace tab; each action runs one flow module with the
open document.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from briefing.gui.sharing.acled_flow import import_acled_file
from briefing.gui.sharing.editions_panel import EditionsPanel
from briefing.gui.sharing.merge_flow import merge_from_file
from briefing.gui.sharing.share_dialog import save_share_copy

if TYPE_CHECKING:
    from briefing.gui.document import ProjectDocument
    from briefing.gui.main_window import MainWindow

STATUS_MS = 10000


class SharingActions(QObject):
    """File ▸ Save a Copy for Sharing…, Merge Project…, Import Event Data…; the Editions tab."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.share_action = self._action(
            "Save a Copy for S&haring…",
            self.save_share_copy,
            "Write a compacted copy without records stricter than a chosen TLP label",
            window.project_actions,  # reads the project, writes only the copy
        )
        self.merge_action = self._action(
            "&Merge Project…",
            self.merge_project,
            "Merge a colleague's copy of the project into this one",
            window.editing_actions,
        )
        self.import_action = self._action(
            "&Import Event Data (ACLED, UCDP GED)…",
            self.import_acled,
            "Add or update timeline entries from an ACLED or UCDP GED CSV export",
            window.editing_actions,
        )
        window.register_workspace("Editions", self._editions_panel, lazy=True)

    def _action(self, text: str, slot: object, tip: str, group: list[QAction]) -> QAction:
        """An action the window places in its File menu and enables with ``group``."""
        action = QAction(text, self.window)
        action.setStatusTip(tip)
        action.triggered.connect(lambda checked=False: slot())  # type: ignore[operator]
        self.window.addAction(action)
        group.append(action)
        action.setEnabled(False)
        return action

    def _editions_panel(self, document: ProjectDocument) -> EditionsPanel:
        def open_briefing() -> int | None:
            composer = self.window.composer
            return composer.briefing_id if composer is not None else None

        return EditionsPanel(document, open_briefing)

    def _status(self, message: str) -> None:
        self.window.statusBar().showMessage(message, STATUS_MS)

    def _ready(self) -> ProjectDocument | None:
        """The open document, with any text still being typed saved first."""
        document = self.window.document
        if document is not None and self.window.inspector is not None:
            self.window.inspector.commit_pending()
        return document

    # ------------------------------------------------------------------ slots

    def merge_project(self) -> None:
        document = self._ready()
        if document is not None:
            report = merge_from_file(self.window, document)
            if report is not None:
                self._status(report.summary)

    def import_acled(self) -> None:
        document = self._ready()
        if document is not None:
            import_acled_file(self.window, document, self._status)

    def save_share_copy(self) -> None:
        document = self._ready()
        if document is not None:
            report = save_share_copy(self.window, document.project)
            if report is not None:
                self._status(report.summary)
