"""The window's small dialogs, each one function, so tests can answer them by replacing it.

Opening a file also lives here, because what can go wrong when opening (a
refused file, a lock held by a colleague) is answered by the user in a dialog.
"""

from __future__ import annotations

import getpass
import sqlite3
from enum import Enum
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from briefing import __version__
from briefing.errors import BriefingError
from briefing.model.vocab import PartyKind
from briefing.store import ProjectLocked, open_project
from briefing.store.errors import database_reason
from briefing.store.project import Project
from briefing.store.schema import FILE_SUFFIX
from briefing.store.trust import VerifiedFiles

APP_TITLE = "Conflict Briefing"


class LockChoice(Enum):
    READ_ONLY = "read-only"
    TAKE_OVER = "take over"
    CANCEL = "cancel"


def about_text(data_folder: Path, settings_file: str) -> str:
    """What Help ▸ About says: the version, and where the program keeps its files."""
    return (
        f"<h3>{APP_TITLE} {__version__}</h3>"
        "<p>A desktop editor for conflict analysts: timeline entries, party statements and "
        "alliance context, assembled into briefings and exported to PDF.</p>"
        "<p>Every edit is saved as you make it. Licensed under the GNU GPL, version 3 or "
        "later. Fonts: DejaVu.</p>"
        f"<p>Version {__version__}<br>Data folder: {escape(str(data_folder))}<br>"
        f"Settings: {escape(settings_file)}<br>"
        "(BRIEFING_DATA_DIR and BRIEFING_SETTINGS_DIR choose other folders.)</p>"
    )


def show_about(parent: QWidget | None, data_folder: Path, settings_file: str) -> None:
    QMessageBox.about(parent, f"About {APP_TITLE}", about_text(data_folder, settings_file))


def ask_new_party_kind(parent: QWidget | None, name: str) -> str | None:
    """Offer to add a typed name as a new party; the kind chosen, or None to leave it."""
    kinds = [k.value for k in PartyKind]
    kind, accepted = QInputDialog.getItem(
        parent,
        "New party",
        f"No party in this project is called ‘{name}’.\nAdd it as a new party of this kind:",
        kinds,
        0,
        False,
    )
    return kind if accepted and kind in kinds else None


def ask_two_parties(
    parent: QWidget | None, choices: list[tuple[str, str]]
) -> tuple[str, str] | None:
    """Ask which two parties a new relationship links; their UUIDs, or None if cancelled.

    ``choices`` are (UUID, name) pairs. Typing in either list finds a party.
    """
    dialog = QDialog(parent)
    dialog.setWindowTitle("New relationship")
    boxes = []
    form = QFormLayout(dialog)
    for label in ("Party:", "With:"):
        box = QComboBox()
        box.setObjectName("party_a" if label == "Party:" else "party_b")
        for uuid, name in choices:
            box.addItem(name, uuid)
        box.setCurrentIndex(-1)
        form.addRow(label, box)
        boxes.append(box)
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    first, second = (box.currentData() for box in boxes)
    return (first, second) if first and second else None


QUOTE_PLACEHOLDER = "What was said, word for word, in the language it was said in"
NAME_QUESTIONS = {
    "entry": ("New timeline entry", "&Title:", "What happened, e.g. Shelling near Jermuk"),
    "party": ("New party", "&Name:", "e.g. Armenian Ministry of Defence"),
    "source": ("New source", "&Title:", "The report's headline, or what the post or video is"),
}
"""Dialog title, label and placeholder asking a new record's name, by kind."""


def ask_statement_quote(parent: QWidget | None) -> str | None:
    """The verbatim quote a new statement starts from (it has none until typed); None if cancelled.

    The box starts empty with a placeholder, so no made-up words are ever saved as a quote.
    """
    return _ask_text(parent, "New statement", "&Quote:", QUOTE_PLACEHOLDER, QPlainTextEdit())


def ask_record_name(parent: QWidget | None, kind: str) -> str | None:
    """The title or name a new entry, party or source starts with; None if cancelled.

    Like the quote, it starts empty with a greyed hint: nothing made up is saved.
    """
    title, label, placeholder = NAME_QUESTIONS[kind]
    return _ask_text(parent, title, label, placeholder, QLineEdit())


def _ask_text(
    parent: QWidget | None,
    title: str,
    label_text: str,
    placeholder: str,
    box: QLineEdit | QPlainTextEdit,
) -> str | None:
    """One text box, empty with a placeholder; OK (Enter, or Ctrl+Return) once it holds words."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    layout = QVBoxLayout(dialog)
    label = QLabel(label_text)
    multiline = isinstance(box, QPlainTextEdit)
    box.setObjectName("quote" if multiline else "name")
    box.setPlaceholderText(placeholder)
    label.setBuddy(box)
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setEnabled(False)
    text = box.toPlainText if isinstance(box, QPlainTextEdit) else box.text
    changed = box.textChanged
    changed.connect(lambda *_: ok.setEnabled(bool(text().strip())))
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    done = QShortcut(QKeySequence("Ctrl+Return"), dialog)
    done.activated.connect(lambda: ok.isEnabled() and dialog.accept())
    ok.setToolTip("Enter" if not multiline else "Ctrl+Return")
    if isinstance(box, QPlainTextEdit):
        box.setTabChangesFocus(True)
    layout.addWidget(label)
    layout.addWidget(box)
    layout.addWidget(buttons)
    dialog.resize(560, 260 if multiline else 120)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return text().strip() or None


def ask_project_title(parent: QWidget | None) -> str | None:
    """The new project's title (shown in the window and on exports); None if cancelled."""
    title, accepted = QInputDialog.getText(
        parent, "New Project", "Title of the new project, e.g. the conflict it follows:"
    )
    return " ".join(title.split()) if accepted and title.strip() else None


def ask_analyst_name(parent: QWidget | None) -> str | None:
    """Ask once who is editing, for the record of who changed what; None if cancelled."""
    try:
        suggestion = getpass.getuser()
    except (KeyError, OSError):
        suggestion = ""
    name, accepted = QInputDialog.getText(
        parent,
        "Your name",
        "Your name is stored with every change you make, so colleagues\n"
        "sharing a project file can see who changed what:",
        text=suggestion,
    )
    return name.strip() if accepted and name.strip() else None


def tell(parent: QWidget | None, icon: QMessageBox.Icon, title: str, message: str) -> None:
    """A message box with one sentence (or a few), shown as plain text, never as markup."""
    box = QMessageBox(icon, title, message, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()


def ask_to(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    message: str,
    button: str,
    other: QMessageBox.StandardButton | str = QMessageBox.StandardButton.Cancel,
    informative: str = "",
) -> bool:
    """A message box offering one thing to do (the default) or ``other``; True if it was chosen."""
    box = QMessageBox(icon, title, message, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if informative:
        box.setInformativeText(informative)
    chosen = box.addButton(button, QMessageBox.ButtonRole.AcceptRole)
    if isinstance(other, str):
        box.addButton(other, QMessageBox.ButtonRole.RejectRole)
    else:
        box.addButton(other)
    box.setDefaultButton(chosen)
    box.exec()
    return box.clickedButton() is chosen


def show_refusal(parent: QWidget | None, message: str) -> None:
    """A file could not be opened; the store's sentence says why."""
    tell(parent, QMessageBox.Icon.Warning, "Cannot open the project", message)


def show_failure(parent: QWidget | None, message: str) -> None:
    """An action failed and changed nothing."""
    tell(parent, QMessageBox.Icon.Warning, "Not changed", message)


def ask_reload(parent: QWidget | None, message: str) -> bool:
    """An edit was refused because someone else changed the record; True to reload now."""
    warning, title = QMessageBox.Icon.Warning, "Changed by someone else"
    return ask_to(parent, warning, title, message, "&Reload", "Keep Editing")


def show_unexpected(parent: QWidget | None, message: str) -> None:
    tell(parent, QMessageBox.Icon.Critical, "Something went wrong", message)


def ask_lock_choice(parent: QWidget | None, message: str) -> LockChoice:
    """Another analyst holds the lock: open read-only, take the lock over, or cancel."""
    box = QMessageBox(QMessageBox.Icon.Question, "The project is in use", message, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setInformativeText(
        "Two people editing one file at once can lose each other's work. "
        "Take over the lock only if the other copy is no longer open."
    )
    read_only = box.addButton("Open Read-Only", QMessageBox.ButtonRole.AcceptRole)
    take_over = box.addButton("Take Over the Lock", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(read_only)
    box.exec()
    clicked = box.clickedButton()
    if clicked is read_only:
        return LockChoice.READ_ONLY
    if clicked is take_over:
        return LockChoice.TAKE_OVER
    return LockChoice.CANCEL


def confirm_delete(parent: QWidget | None, message: str) -> bool:
    answer = QMessageBox.question(
        parent,
        "Delete",
        message,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


def open_with_dialogs(
    parent: QWidget | None, path: Path, analyst: str, read_only: bool = False
) -> Project | None:
    """Open a project, asking what to do about a lock; None (after saying why) if not opened."""
    from briefing.gui.open_check import check_first

    memory = VerifiedFiles.default()
    try:
        if not check_first(parent, path, memory):  # a file new to this computer, with progress
            return None
        try:
            return open_project(path, analyst, read_only=read_only, memory=memory)
        except ProjectLocked as locked:
            choice = ask_lock_choice(parent, str(locked))
            if choice is LockChoice.CANCEL:
                return None
            if choice is LockChoice.READ_ONLY:
                return open_project(path, analyst, read_only=True, memory=memory)
            return open_project(path, analyst, take_over=True, memory=memory)
    except BriefingError as error:
        show_refusal(parent, str(error))
    except OSError as error:
        show_refusal(parent, f"{Path(path).name} cannot be opened ({error.strerror or error}).")
    except (SQLAlchemyError, sqlite3.Error) as error:
        reason = database_reason(error)
        show_refusal(parent, f"{Path(path).name} cannot be opened ({reason}).")
    return None


FILE_FILTER = "Conflict Briefing projects (*.brief);;All files (*)"


def ask_open_path(parent: QWidget | None, folder: str = "") -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, "Open Project", folder, FILE_FILTER)
    return Path(name) if name else None


def ask_save_path(parent: QWidget | None, caption: str, suggested: str = "") -> Path | None:
    """A file name to create; the .brief suffix is added when missing."""
    name, _ = QFileDialog.getSaveFileName(parent, caption, suggested, FILE_FILTER)
    if not name:
        return None
    path = Path(name)
    return path if path.suffix else path.with_suffix(FILE_SUFFIX)
