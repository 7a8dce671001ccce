"""File ▸ Export ▸ STIX Bundle… / MISP Event…, and File ▸ Import STIX Bundle….

An export asks what to write (the whole project or one briefing, and the
strictest label it may hold), then where. An import asks for the file, runs in
one transaction, and shows what it added and every object it skipped, by type
and identifier. Like the ACLED import, it is not an undo step: the undo history
is cleared and the report says so. The small dialogs are module functions so
tests can answer them.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from briefing.errors import BriefingError
from briefing.io.import_summary import summary_lines
from briefing.model.vocab import Tlp, counted
from briefing.store.errors import database_reason

if TYPE_CHECKING:
    from briefing.gui.document import ProjectDocument
    from briefing.gui.main_window import MainWindow

STIX_FILTER = "STIX 2.1 bundles (*.stix.json *.json);;All files (*)"
MISP_FILTER = "MISP events (*.misp.json);;All files (*)"
NOT_UNDOABLE = "An import cannot be undone, so the undo history was cleared."
STATUS_MS = 10000


class ExportChoice(QDialog):
    """What an exchange export holds: the project or one briefing, and the strictest label."""

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        briefings: list[tuple[int, str]],
        chosen: int | None,
        whole_project: bool,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.scope = QComboBox()
        if whole_project:
            self.scope.addItem("The whole project", None)
        for briefing_id, name in briefings:
            self.scope.addItem(f"Briefing ‘{name}’", briefing_id)
        if chosen is not None and self.scope.findData(chosen) >= 0:
            self.scope.setCurrentIndex(self.scope.findData(chosen))
        self.ceiling = QComboBox()
        self.ceiling.addItem("No limit", None)
        for label in Tlp:
            self.ceiling.addItem(label.marking, label.value)
        form = QFormLayout()
        form.addRow("&Export:", self.scope)
        form.addRow("&Leave out records stricter than:", self.ceiling)
        note = QLabel(
            "Records marked more strictly than the chosen label are left out, with every "
            "reference to them."
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def briefing_id(self) -> int | None:
        value = self.scope.currentData()
        return None if value is None else int(value)

    def max_tlp(self) -> Tlp | None:
        value = self.ceiling.currentData()
        return None if value is None else Tlp(value)


class SkippedList(QDialog):
    """The import's summary, and every object it skipped listed by type and identifier."""

    def __init__(self, parent: QWidget | None, summary: str, skipped: list[tuple[str, str]]):
        super().__init__(parent)
        self.setWindowTitle("Import STIX Bundle")
        heading = QLabel(summary)
        heading.setWordWrap(True)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        self.objects = QListWidget()
        self.objects.addItems([f"{stix_type}  {stix_id}" for stix_type, stix_id in skipped])
        count = len(skipped)
        explained = QLabel(
            f"{count} object{'' if count == 1 else 's'} of the bundle map to no record "
            "and were skipped:"
            if count
            else "Every object of the bundle was imported."
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(explained)
        layout.addWidget(self.objects)
        self.objects.setVisible(bool(count))
        layout.addWidget(QLabel(NOT_UNDOABLE))
        layout.addWidget(buttons)
        self.resize(560, 380 if count else 160)


# ---------------------------------------------------------------------------- small dialogs


def exec_dialog(dialog: QDialog) -> bool:
    return dialog.exec() == QDialog.DialogCode.Accepted


def ask_save_path(
    parent: QWidget | None, caption: str, suggested: Path, filter_: str
) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, caption, str(suggested), filter_)
    return Path(name) if name else None


def ask_open_path(parent: QWidget | None, folder: str) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, "Import STIX Bundle", folder, STIX_FILTER)
    return Path(name) if name else None


def show_refusal(parent: QWidget | None, title: str, message: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()


def show_skipped(parent: QWidget | None, summary: str, skipped: list[tuple[str, str]]) -> None:
    exec_dialog(SkippedList(parent, summary, skipped))


def with_suffix(path: Path, suffix: str) -> Path:
    """``report`` → ``report.stix.json``; a name already ending so is kept."""
    return path if path.name.lower().endswith(suffix) else path.with_name(path.name + suffix)


def _failure(error: Exception) -> str:
    if isinstance(error, BriefingError):
        return str(error)
    if isinstance(error, OSError):
        return f"The file could not be used ({error.strerror or error}); nothing was changed."
    reason = database_reason(error)
    return f"The project file could not be written ({reason}); nothing was imported."


FAILURES = (BriefingError, OSError, SQLAlchemyError, sqlite3.Error)


# ---------------------------------------------------------------------------- actions


class ExchangeActions(QObject):
    """The window's STIX and MISP actions; the menu module decides where they stand."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.stix_export_action = self._action(
            "&STIX Bundle…",
            self.export_stix,
            "Write the project or a briefing as a STIX 2.1 bundle for a threat-intelligence "
            "platform",
            window.project_actions,
        )
        self.misp_export_action = self._action(
            "&MISP Event…",
            self.export_misp,
            "Write a briefing as a MISP event",
            window.project_actions,
        )
        self.stix_import_action = self._action(
            "Import &STIX Bundle…",
            self.import_stix,
            "Add or update records from a STIX 2.1 bundle (OpenCTI, MISP, another project)",
            window.editing_actions,
        )

    def _action(self, text: str, slot: object, tip: str, group: list[QAction]) -> QAction:
        action = QAction(text, self.window)
        action.setStatusTip(tip)
        action.triggered.connect(lambda checked=False: slot())  # type: ignore[operator]
        self.window.addAction(action)
        group.append(action)
        action.setEnabled(False)
        return action

    def _ready(self) -> ProjectDocument | None:
        document = self.window.document
        if document is not None and self.window.inspector is not None:
            self.window.inspector.commit_pending()
        return document

    def _status(self, message: str) -> None:
        self.window.statusBar().showMessage(message, STATUS_MS)

    def _choice(self, document: ProjectDocument, title: str, whole: bool) -> ExportChoice | None:
        from briefing.services.overview import summarise

        briefings = [(b.id, b.title) for b in summarise(document.project).briefings]
        if not whole and not briefings:
            show_refusal(self.window, title, f"{document.project.name} holds no briefing.")
            return None
        composer = self.window.composer
        chosen = composer.briefing_id if composer is not None else None
        dialog = ExportChoice(self.window, title, briefings, chosen, whole)
        return dialog if exec_dialog(dialog) else None

    # ------------------------------------------------------------------ slots

    def export_stix(self) -> None:
        from briefing.io.stix.export import export_stix

        document = self._ready()
        if document is None:
            return
        title = "Export STIX Bundle"
        choice = self._choice(document, title, whole=True)
        if choice is None:
            return
        project = document.project
        suggested = project.path.with_name(project.path.stem + ".stix.json")
        path = ask_save_path(self.window, title, suggested, STIX_FILTER)
        if path is None:
            return
        path = with_suffix(path, ".stix.json")
        try:
            summary = export_stix(project, path, choice.briefing_id(), choice.max_tlp())
        except FAILURES as error:
            show_refusal(self.window, title, _failure(error))
            return
        left = (
            f"; {counted('stricter record', summary.left_out)} left out" if summary.left_out else ""
        )
        self._status(f"Exported {summary.total} STIX objects to {path.name}{left}.")

    def export_misp(self) -> None:
        from briefing.io.stix.misp import export_misp

        document = self._ready()
        if document is None:
            return
        title = "Export MISP Event"
        choice = self._choice(document, title, whole=False)
        if choice is None or choice.briefing_id() is None:
            return
        project = document.project
        suggested = project.path.with_name(project.path.stem + ".misp.json")
        path = ask_save_path(self.window, title, suggested, MISP_FILTER)
        if path is None:
            return
        path = with_suffix(path, ".misp.json")
        try:
            summary = export_misp(project, path, choice.briefing_id() or 0, choice.max_tlp())
        except FAILURES as error:
            show_refusal(self.window, title, _failure(error))
            return
        self._status(f"Exported ‘{summary.title}’ as a MISP event to {path.name}.")

    def import_stix(self) -> None:
        from briefing.io.stix.importer import import_stix

        document = self._ready()
        if document is None:
            return
        title = "Import STIX Bundle"
        project = document.project
        if project.read_only:
            show_refusal(
                self.window, title, f"{project.name} is open read-only; nothing was imported."
            )
            return
        path = ask_open_path(self.window, str(project.path.parent))
        if path is None:
            return
        try:
            result = import_stix(project, path)
        except FAILURES as error:
            show_refusal(self.window, title, _failure(error))
            return
        document.undo_stack.clear()
        document.reloaded.emit()
        summary = summary_lines(path.name, result)
        self._status(f"{summary[0]} {NOT_UNDOABLE}")
        show_skipped(self.window, "\n".join(summary), result.skipped)
