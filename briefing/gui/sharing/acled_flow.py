"""File ▸ Import Event Data…: an ACLED or UCDP GED CSV with progress, bad rows offered to skip.

Which data set a file holds is told by its header (:func:`briefing.io.ucdp_csv.is_ged_file`).

The import is one transaction driven as a generator, so Cancel closes it and
nothing is imported. It is not an undo step: undoing by the generic inverse
would bury the imported entries, so importing the same export again would skip
them as deleted here; and commands already on the stack may no longer apply to
a library the import changed. The undo history is therefore cleared, and the
status bar and the report say so.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Generator
from pathlib import Path
from typing import cast

from PySide6.QtWidgets import QProgressDialog, QWidget
from sqlalchemy.exc import SQLAlchemyError

from briefing.errors import BriefingError
from briefing.export.cancel import CancelFlag
from briefing.gui.document import ProjectDocument
from briefing.gui.exports.worker import run_steps
from briefing.gui.sharing import ask
from briefing.gui.sharing.import_steps import Lent
from briefing.io.acled import AcledReport, AcledRowsError, ImportProgress, import_acled
from briefing.io.ucdp import import_ucdp
from briefing.io.ucdp_csv import is_ged_file
from briefing.store.errors import database_reason
from briefing.store.project import Project

TITLE = "Import Event Data"
NOT_UNDOABLE = "An import cannot be undone, so the undo history was cleared."
CANCELLED = "Import cancelled; nothing was imported."
STOPPING = "Stopping the import; nothing will be imported…"


def run_with_progress(
    parent: QWidget | None, project: Project, path: Path, skip_bad_rows: bool
) -> AcledReport | None:
    """Import under a progress dialog; None if cancelled (then nothing was imported).

    The steps run on a worker thread (:mod:`.import_steps`), so the window paints and
    answers while the file is read; after Cancel the dialog stays, saying so, until
    the import has been rolled back.
    """
    # A generator (declared as an iterator): closing it rolls the import back.
    importer = import_ucdp if is_ged_file(path) else import_acled
    flag = CancelFlag()  # also heard while the import waits for its reading process
    dialog = ask.progress_dialog(parent, "Importing events")
    dialog.canceled.connect(lambda: _stopping(dialog))
    try:
        with Lent(project.engine) as lent:
            made = importer(project, path, skip_bad_rows, lent.waiting(flag.check))
            steps = cast(Generator[ImportProgress, None, None], made)
            report = run_steps(dialog, lent.steps(steps, path.name), [False], flag)
        return cast(AcledReport | None, report)
    finally:
        dialog.close()
        dialog.deleteLater()


def _stopping(dialog: QProgressDialog) -> None:
    """Cancel pressed: keep the dialog up (the window waits) until the import is undone."""
    dialog.setLabelText(STOPPING)
    dialog.setCancelButton(None)  # type: ignore[arg-type]
    dialog.show()


def _failure(path: Path, error: Exception) -> str:
    if isinstance(error, BriefingError):
        return str(error)
    if isinstance(error, OSError):
        return f"{path.name} cannot be read ({error.strerror or error}); nothing was imported."
    reason = database_reason(error)
    return f"The project file could not be written ({reason}); nothing was imported."


def _attempt(
    parent: QWidget | None, project: Project, path: Path, skip: bool, status: ask.StatusLine
) -> AcledReport | None:
    """One run; bad rows are raised for the caller, a cancel or another failure is told here."""
    try:
        report = run_with_progress(parent, project, path, skip)
    except AcledRowsError:
        raise
    except (BriefingError, OSError, SQLAlchemyError, sqlite3.Error) as error:
        ask.show_refusal(parent, TITLE, _failure(path, error))
        return None
    if report is None:
        status(CANCELLED)
    return report


def import_acled_file(
    parent: QWidget | None, document: ProjectDocument, status: ask.StatusLine
) -> AcledReport | None:
    """The whole flow; the report, or None if nothing was imported."""
    project = document.project
    if project.read_only:
        ask.show_refusal(parent, TITLE, f"{project.name} is open read-only; nothing was imported.")
        return None
    path = ask.ask_csv_path(parent, str(project.path.parent))
    if path is None:
        return None
    try:
        report = _attempt(parent, project, path, False, status)
    except AcledRowsError as bad:
        if not ask.ask_skip_bad_rows(parent, path.name, bad.problems, count=bad.count):
            status(CANCELLED)
            return None
        try:
            report = _attempt(parent, project, path, True, status)
        except AcledRowsError as still:  # not raised when skipping, but never a traceback
            ask.show_refusal(parent, TITLE, str(still))
            return None
    if report is None:
        return None
    document.undo_stack.clear()
    document.reloaded.emit()
    status(f"{report.summary} {NOT_UNDOABLE}")
    ask.show_report(parent, TITLE, report.summary, NOT_UNDOABLE)
    return report
