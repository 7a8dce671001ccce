"""The window's small dialogs, each one function, so tests can answer them by replacing it.

Opening a file also lives here, because what can go wrong when opening (a
refused file, a lock held by a colleague) is answered by the user in a dialog.
"""

from __future__ import annotations

import getpass
import sqlite3
from enum import Enum
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget
from sqlalchemy.exc import SQLAlchemyError

from briefing import __version__
from briefing.errors import BriefingError
from briefing.store import ProjectLocked, open_project
from briefing.store.project import Project
from briefing.store.schema import FILE_SUFFIX
from briefing.store.trust import VerifiedFiles

APP_TITLE = "Conflict Briefing"


class LockChoice(Enum):
    READ_ONLY = "read-only"
    TAKE_OVER = "take over"
    CANCEL = "cancel"


def show_about(parent: QWidget | None) -> None:
    QMessageBox.about(
        parent,
        f"About {APP_TITLE}",
        f"<h3>{APP_TITLE} {__version__}</h3>"
        "<p>A desktop editor for conflict analysts: timeline entries, party statements and "
        "alliance context, assembled into briefings and exported to PDF.</p>"
        "<p>Every edit is saved as you make it. Licensed under the GNU GPL, version 3 or "
        "later. Fonts: DejaVu.</p>",
    )


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


def show_refusal(parent: QWidget | None, message: str) -> None:
    """A file could not be opened; the store's sentence says why."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Cannot open the project", message, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()


def show_failure(parent: QWidget | None, message: str) -> None:
    """An action failed and changed nothing."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Not changed", message, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()


def show_unexpected(parent: QWidget | None, message: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Critical, "Something went wrong", message, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()


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
    memory = VerifiedFiles.default()
    try:
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
        reason = getattr(error, "orig", None) or error
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
