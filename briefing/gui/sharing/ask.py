"""The sharing flows' small dialogs, one function each, so tests can answer them by replacing it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QProgressDialog, QWidget

from briefing.gui.dialogs import FILE_FILTER
from briefing.io.acled_csv import BadRow
from briefing.model.vocab import counted

CSV_FILTER = "ACLED CSV exports (*.csv);;All files (*)"
SHOWN_PROBLEMS = 200
"""Bad rows listed in the dialog; a file with more is wrong as a whole, not row by row."""
SHOWN_AT_ONCE = 8

StatusLine = Callable[[str], None]
"""Shows a sentence in the window's status bar."""


def exec_dialog(dialog: QDialog) -> bool:
    """Show a dialog modally; True if the user accepted it."""
    return dialog.exec() == QDialog.DialogCode.Accepted


def ask_other_project(parent: QWidget | None, folder: str) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(
        parent, "Merge a Colleague's Project", folder, FILE_FILTER
    )
    return Path(name) if name else None


def ask_csv_path(parent: QWidget | None, folder: str) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, "Import Event Data", folder, CSV_FILTER)
    return Path(name) if name else None


def ask_share_path(parent: QWidget | None, suggested: Path) -> Path | None:
    """Where to write the copy; the file dialog itself asks before replacing a file."""
    name, _ = QFileDialog.getSaveFileName(
        parent, "Save a Copy for Sharing", str(suggested), FILE_FILTER
    )
    if not name:
        return None
    path = Path(name)
    return path if path.suffix else path.with_suffix(".brief")


def _box(
    parent: QWidget | None, icon: QMessageBox.Icon, title: str, message: str, detail: str = ""
) -> QMessageBox:
    box = QMessageBox(icon, title, message, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if detail:
        box.setInformativeText(detail)
    return box


def show_refusal(parent: QWidget | None, title: str, message: str) -> None:
    """Something could not be done and nothing was changed; the sentence says why."""
    _box(parent, QMessageBox.Icon.Warning, title, message).exec()


def show_report(parent: QWidget | None, title: str, message: str, detail: str = "") -> None:
    """What an action did, in a sentence, with the particulars below it."""
    _box(parent, QMessageBox.Icon.Information, title, message, detail).exec()


def ask_skip_bad_rows(
    parent: QWidget | None, file_name: str, problems: tuple[BadRow, ...], count: int = 0
) -> bool:
    """Some rows are wrong: import the others (True) or nothing (False).

    ``count`` is how many rows are wrong, when ``problems`` lists only the first.
    """
    count = max(count, len(problems))
    listed = [str(problem) for problem in problems[:SHOWN_PROBLEMS]]
    if count > len(listed):
        listed.append(f"… and {count - len(listed)} more")
    first = "\n".join(listed[:SHOWN_AT_ONCE])
    if len(listed) > SHOWN_AT_ONCE:
        first += "\n(all of them under Show Details)"
    box = _box(
        parent,
        QMessageBox.Icon.Warning,
        "Bad rows in the event data file",
        f"{file_name} has {counted('bad row', count)}; nothing has been imported yet.",
        f"{first}\n\nImport the other rows and leave {'it' if count == 1 else 'them'} out, "
        "or cancel and "
        "correct the file.",
    )
    if len(listed) > SHOWN_AT_ONCE:
        box.setDetailedText("\n".join(listed))
    skip = box.addButton("Import the Other Rows", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(skip)
    box.exec()
    return box.clickedButton() is skip


def progress_dialog(parent: QWidget | None, title: str) -> QProgressDialog:
    """A window-modal progress dialog that shows itself only for a long task."""
    dialog = QProgressDialog(title, "Cancel", 0, 100, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)
    dialog.setAutoReset(False)
    dialog.setAutoClose(False)
    return dialog
