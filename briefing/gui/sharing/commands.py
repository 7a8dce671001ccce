"""Undo steps for a merge and for freezing an edition, on the document's undo stack.

:meth:`ProjectDocument.run` undoes an action by restoring record snapshots,
stamped as edited now, and burying records the action created. That is right
for an edit, but not for a merge (the next merge would read the undo as a
decision against every one of the colleague's changes, see
:mod:`briefing.services.merge_undo`) nor for an edition, which is not a library
record. These commands carry their own inverse; like ``run``, each is one
committed transaction and announces what changed with ``document.changed``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from sqlalchemy.exc import SQLAlchemyError

from briefing.errors import BriefingError
from briefing.gui.document import DocumentCommand, ProjectDocument
from briefing.services.editions import EditionInfo, delete_edition, freeze_edition
from briefing.services.merge import MergePlan, MergeReport, Resolution, apply_merge, undo_merge
from briefing.services.records import Change
from briefing.store.errors import database_reason

T = TypeVar("T")


def attempt(document: ProjectDocument, action: Callable[[], T], context: str = "") -> T | None:
    """Call a service as ``ProjectDocument.run`` would: a refusal is announced, not raised."""
    if document.read_only:
        document.failed.emit(f"{document.project.name} is open read-only; nothing was changed.")
        return None
    try:
        return action()
    except BriefingError as error:
        message = str(error)
    except SQLAlchemyError as error:
        reason = database_reason(error)
        message = f"The project file could not be written ({reason}); nothing was changed."
    document.failed.emit(f"{context} could not be applied: {message}" if context else message)
    return None


class MergeCommand(DocumentCommand):
    """A merge already applied; undo puts the file back as it was, redo merges again."""

    def __init__(
        self,
        document: ProjectDocument,
        plan: MergePlan,
        resolutions: Mapping[str, Resolution],
        report: MergeReport,
    ) -> None:
        super().__init__(document, f"Merge {plan.their_name}")
        self._plan = plan
        self._resolutions = dict(resolutions)
        self._report = report
        self._first_redo = True

    def redo(self) -> None:
        if self._first_redo:  # the merge itself already ran and committed
            self._first_redo = False
            return
        document = self.document
        if document is None:
            return
        project = document.project
        report = attempt(
            document,
            lambda: apply_merge(project, self._plan, self._resolutions),
            f"Redo: {self.text()}",
        )
        if report is None or report.change is None:
            self.setObsolete(True)
            return
        self._report = report
        document.changed.emit(report.change)

    def undo(self) -> None:
        inverse, document = self._report.undo, self.document
        if inverse is None or document is None:
            return
        project = document.project
        change = attempt(document, lambda: undo_merge(project, inverse), f"Undo: {self.text()}")
        if change is None:
            self.setObsolete(True)
            return
        document.changed.emit(change)


def push_merge(
    document: ProjectDocument, plan: MergePlan, resolutions: Mapping[str, Resolution]
) -> MergeReport | None:
    """Apply a merge as one undo step; None (and ``document.failed``) if it was refused."""
    report = attempt(document, lambda: apply_merge(document.project, plan, resolutions))
    if report is None:
        return None
    if report.change is not None:
        document.undo_stack.push(MergeCommand(document, plan, resolutions, report))
        document.changed.emit(report.change)
    return report


class FreezeCommand(DocumentCommand):
    """An edition frozen; undo removes it again, redo freezes the briefing once more."""

    def __init__(self, document: ProjectDocument, edition: EditionInfo, title: str) -> None:
        super().__init__(document, f"Freeze edition {edition.number} of ‘{title}’")
        self._edition = edition
        self._first_redo = True

    def redo(self) -> None:
        if self._first_redo:
            self._first_redo = False
            return
        document = self.document
        if document is None:
            return
        project, briefing_id = document.project, self._edition.briefing_id
        edition = attempt(
            document, lambda: freeze_edition(project, briefing_id), f"Redo: {self.text()}"
        )
        if edition is None:
            self.setObsolete(True)
            return
        self._edition = edition
        document.changed.emit(Change(self.text()))

    def undo(self) -> None:
        document = self.document
        if document is None:
            return
        project, edition_id = document.project, self._edition.id

        def remove() -> bool:
            delete_edition(project, edition_id)
            return True

        done = attempt(document, remove, f"Undo: {self.text()}")
        if done is None:
            self.setObsolete(True)
            return
        document.changed.emit(Change(f"Undo: {self.text()}"))


def push_freeze(document: ProjectDocument, briefing_id: int, title: str) -> EditionInfo | None:
    """Freeze a briefing as its next edition, as one undo step; None if refused."""
    edition = attempt(document, lambda: freeze_edition(document.project, briefing_id))
    if edition is None:
        return None
    command = FreezeCommand(document, edition, title)
    document.undo_stack.push(command)
    document.changed.emit(Change(command.text()))
    return edition
