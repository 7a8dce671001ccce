"""The open project as the window sees it: the project, its undo stack and change signals.

Every user action goes through :meth:`ProjectDocument.run`: the service call
commits one transaction and returns a :class:`Change`; the change becomes one
:class:`RecordCommand` on the undo stack and is announced with ``changed`` so
each view refreshes only what it shows. Undo and redo put snapshots back with
:func:`briefing.services.records.restore`, as new transactions.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from sqlalchemy.exc import SQLAlchemyError

from briefing.errors import BriefingError
from briefing.model.codec import Records
from briefing.services import records, stamps
from briefing.services.records import Change
from briefing.services.stamps import StaleRecord, Stamps
from briefing.store.errors import database_reason
from briefing.store.interface import ProjectStore

Action = Callable[[ProjectStore], Change]

EXTERNAL_CHECK_MS = 2000


def _only(source: Records, uuids: set[str]) -> Records:
    """The records of ``source`` whose UUID is in ``uuids``, by kind."""
    picked = {kind: [r for r in rows if r["uuid"] in uuids] for kind, rows in source.items()}
    return {kind: rows for kind, rows in picked.items() if rows}


def _uuids(source: Records) -> set[str]:
    return {r["uuid"] for rows in source.values() for r in rows}


class DocumentCommand(QUndoCommand):
    """An undo step on a document, which it holds weakly.

    The document's undo stack owns the command; a strong reference back would
    make a cycle that only Python's garbage collector frees, at a moment of its
    choosing, deleting Qt objects (and their timers) in the middle of whatever
    the event loop is doing then.
    """

    def __init__(self, document: ProjectDocument, text: str) -> None:
        super().__init__(text)
        self._document_ref = weakref.ref(document)

    @property
    def document(self) -> ProjectDocument | None:
        """The document, or None once it is gone (the step then does nothing)."""
        return self._document_ref()


class RecordCommand(DocumentCommand):
    """One committed user action, undone and redone by restoring snapshots."""

    def __init__(self, document: ProjectDocument, change: Change) -> None:
        super().__init__(document, change.description)
        self._change = change
        self._first_redo = True
        self._records = set(change.left())
        """(kind, UUID) of the records this step changed."""

    def redo(self) -> None:
        if self._first_redo:  # the action itself already ran and committed
            self._first_redo = False
            return
        change, document = self._change, self.document
        if document is None:
            return
        removed = _only(change.before, _uuids(change.before) - _uuids(change.after))
        self._apply(document, change.after, removed, f"Redo: {change.description}")

    def undo(self) -> None:
        change, document = self._change, self.document
        if document is None:
            return
        created = _only(change.after, _uuids(change.after) - _uuids(change.before))
        self._apply(document, change.before, created, f"Undo: {change.description}")

    def _apply(
        self, document: ProjectDocument, keep: Records, remove: Records, description: str
    ) -> None:
        expected = {key: document.left[key] for key in self._records}
        document.apply_restore(keep, remove, description, self, expected)


class ProjectDocument(QObject):
    """Owns the open project (a file or a server) for the window; views listen to its signals."""

    changed = Signal(object)
    """A :class:`Change` was committed (an action, an undo or a redo)."""
    reloaded = Signal()
    """Another program changed the file, or the project was reloaded: refresh everything."""
    failed = Signal(str)
    """An action failed and changed nothing; the sentence says why."""
    stale = Signal(object)
    """An edit, undo or redo was refused: someone else changed the record since
    (a :class:`~briefing.services.stamps.StaleRecord` saying who and when)."""
    closing = Signal()
    """The project is about to close: a read still open on it (a preview's) stops now."""

    def __init__(self, project: ProjectStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.undo_stack = QUndoStack(self)
        self.left: Stamps = {}
        """The stamps this window's own actions, undos and redos left on the records they
        changed: an undo or redo expects to find them, or someone else changed the record."""
        self._watch = QTimer(self)
        self._watch.setInterval(EXTERNAL_CHECK_MS)
        self._watch.timeout.connect(self._on_watch)
        self._watch.start()

    @property
    def read_only(self) -> bool:
        return self.project.read_only

    def run(self, action: Action) -> Change | None:
        """Perform one user action as one undo step; None (and ``failed``) if it was refused."""
        if self.project.read_only:
            self.failed.emit(f"{self.project.name} is open read-only; nothing was changed.")
            return None
        try:
            change = action(self.project)
        except StaleRecord as error:
            self.stale.emit(error)
            return None
        except BriefingError as error:
            self.failed.emit(str(error))
            return None
        except SQLAlchemyError as error:
            self.failed.emit(_storage_failure(error))
            return None
        self.left.update(change.left())
        self.undo_stack.push(RecordCommand(self, change))
        self.changed.emit(change)
        return change

    def apply_restore(
        self,
        keep: Records,
        remove: Records,
        description: str,
        command: QUndoCommand,
        expected: Stamps | None = None,
    ) -> Change | None:
        """Restore snapshots for undo/redo; a failure makes the command obsolete and says why."""
        try:
            change = records.restore(self.project, keep, remove, description, expected)
        except StaleRecord as error:
            command.setObsolete(True)
            self.stale.emit(error)
            return None
        except (BriefingError, SQLAlchemyError) as error:
            command.setObsolete(True)
            message = str(error) if isinstance(error, BriefingError) else _storage_failure(error)
            self.failed.emit(f"{description} could not be applied: {message}")
            return None
        self.left.update({**stamps.absent(remove), **stamps.stamps_of(change.after)})
        self.changed.emit(change)
        return change

    def record(self, kind: str, record_id: int) -> dict[str, Any] | None:
        """One record in the codec's dict form, or None if it no longer exists."""
        try:
            return records.get_record(self.project, kind, record_id)
        except BriefingError:
            return None

    def check_external_changes(self) -> bool:
        """Look for commits by other programs now; emits ``reloaded`` if there were any."""
        if self.project.closed:
            return False
        if self.project.changed_elsewhere():
            self.reloaded.emit()
            return True
        return False

    def _on_watch(self) -> None:
        self.check_external_changes()

    def close(self) -> None:
        self._watch.stop()
        self.closing.emit()
        self.undo_stack.clear()
        self.project.close()


def _storage_failure(error: SQLAlchemyError) -> str:
    reason = database_reason(error)
    return f"The project file could not be written ({reason}); nothing was changed."
