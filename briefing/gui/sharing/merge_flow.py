"""File ▸ Merge Project…: pick a colleague's file, settle the conflicts, merge as one undo step."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtWidgets import QWidget
from sqlalchemy.exc import SQLAlchemyError

from briefing.errors import BriefingError
from briefing.gui.document import ProjectDocument
from briefing.gui.sharing import ask
from briefing.gui.sharing.commands import attempt, push_merge
from briefing.gui.sharing.merge_dialog import MergeDialog
from briefing.services.merge import MergePlan, MergeReport, apply_merge, plan_merge
from briefing.services.merge_view import record_names
from briefing.store.errors import database_reason

TITLE = "Merge Project"


def read_plan(parent: QWidget | None, document: ProjectDocument, path: Path) -> MergePlan | None:
    """The plan, or None after saying in a sentence why the other file was refused."""
    try:
        return plan_merge(document.project, path)
    except BriefingError as error:
        message = str(error)
    except OSError as error:
        message = f"{path.name} cannot be read ({error.strerror or error}); nothing was changed."
    except (SQLAlchemyError, sqlite3.Error) as error:
        reason = database_reason(error)
        message = f"{path.name} cannot be read ({reason}); nothing was changed."
    ask.show_refusal(parent, TITLE, message)
    return None


def report_detail(report: MergeReport) -> str:
    lines = [outcome.describe() + "." for outcome in report.conflicts]
    lines += report.lines()
    lines.append("Edit ▸ Undo puts the project back as it was before the merge.")
    return "\n".join(lines)


def merge_from_file(parent: QWidget | None, document: ProjectDocument) -> MergeReport | None:
    """The whole flow; the report, or None if nothing was merged."""
    project = document.project
    if project.read_only:
        ask.show_refusal(parent, TITLE, f"{project.name} is open read-only; nothing was changed.")
        return None
    path = ask.ask_other_project(parent, str(project.path.parent))
    if path is None:
        return None
    plan = read_plan(parent, document, path)
    if plan is None:
        return None
    if plan.changes_nothing:
        # Nothing to choose or undo; the merge only notes how far the files agree.
        attempt(document, lambda: apply_merge(project, plan))
        message = f"{plan.their_name} holds nothing new for {project.name}; nothing changed."
        ask.show_report(parent, TITLE, message, "\n".join(plan.left_out_sentences))
        return None
    dialog = MergeDialog(plan, record_names(project, plan), parent)
    try:
        accepted = ask.exec_dialog(dialog)
        choices = dialog.choices()
    finally:
        dialog.deleteLater()
    if not accepted:
        return None
    report = push_merge(document, plan, choices)
    if report is not None:
        ask.show_report(parent, TITLE, report.summary, report_detail(report))
    return report
