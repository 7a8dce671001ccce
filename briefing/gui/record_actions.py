"""Creating and deleting library records from the window's menus and keys."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence

from briefing.errors import RecordError
from briefing.gui import dialogs
from briefing.gui.library.view import LibraryTabs
from briefing.model.codec import time_to_text
from briefing.model.vocab import counted
from briefing.services import records
from briefing.services.library_query import LIST_KINDS
from briefing.services.records import KIND_NAMES
from briefing.services.stamps import Stamp, stamp_of

if TYPE_CHECKING:
    from briefing.gui.main_window import MainWindow

MENU_NAMES = {
    "entry": "Timeline Entry",
    "statement": "Statement",
    "relationship": "Relationship",
    "party": "Party",
    "source": "Source",
}


class RecordActions(QObject):
    """New record (one action per kind) and Delete, acting on the current library list."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.library: LibraryTabs | None = None
        self.new_actions: list[QAction] = []
        for kind in LIST_KINDS:
            action = QAction(f"New {MENU_NAMES[kind]}", window)
            action.triggered.connect(lambda checked=False, k=kind: self.create(k))
            self.new_actions.append(action)
            window.addAction(action)
        self.new_here_action = QAction("New Record in This List", window)
        self.new_here_action.setShortcut(QKeySequence("Ctrl+Shift+N"))
        self.new_here_action.triggered.connect(self._create_here)
        window.addAction(self.new_here_action)
        self.new_actions.insert(0, self.new_here_action)
        self.delete_action = QAction("&Delete", window)
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.delete_action.triggered.connect(self._delete_selected)

    def attach(self, library: LibraryTabs | None) -> None:
        """Act on this library (None when no project is open)."""
        if self.library is not None:
            self.library.removeAction(self.delete_action)
        self.library = library
        if library is not None:
            library.addAction(self.delete_action)
        self.update_enabled()

    def update_enabled(self) -> None:
        document = self.window.document
        writable = document is not None and not document.read_only
        for action in self.new_actions:
            action.setEnabled(writable)
        has_selection = self.library is not None and bool(
            self.library.current_pane().selected_ids()
        )
        self.delete_action.setEnabled(writable and has_selection)
        if self.library is not None:
            noun = MENU_NAMES[self.library.current_kind]
            self.new_here_action.setText(f"New {noun} in This List")

    # ------------------------------------------------------------------ create

    def _create_here(self) -> None:
        if self.library is not None:
            self.create(self.library.current_kind)

    def create(self, kind: str) -> int | None:
        """Create a record with sensible first values, select it and put the cursor in it."""
        document = self.window.document
        if document is None or self.library is None:
            return None
        if document.read_only:  # refused with the read-only sentence, before any question
            document.run(lambda p: records.create_record(p, kind, {}))
            return None
        try:
            values = self._initial_values(kind)
        except RecordError as error:
            dialogs.show_failure(self.window, str(error))
            return None
        if values is None:  # the analyst cancelled
            return None
        change = document.run(lambda p: records.create_record(p, kind, values))
        if change is None:
            return None
        record_id = change.ids[kind][0]
        self.window.library_dock.show()
        self.library.select_record(kind, record_id)
        if self.window.inspector is not None:
            QTimer.singleShot(0, self.window.inspector.focus_first_field)
        return record_id

    def _relationship_values(self) -> dict[str, Any] | None:
        """A relationship links two parties the analyst chooses; None when cancelled."""
        parties = self.window.inspector.lookup.choices("party") if self.window.inspector else []
        if len(parties) < 2:
            raise RecordError("A relationship links two parties; add the parties first.")
        chosen = dialogs.ask_two_parties(self.window, [(p.uuid, p.label) for p in parties])
        if chosen is None:
            return None
        if chosen[0] == chosen[1]:
            raise RecordError("A relationship links two different parties; choose another.")
        names = {p.uuid: p.label for p in parties}
        title = f"{names.get(chosen[0], '')} – {names.get(chosen[1], '')}"  # theirs, not made up
        return {"title": title, "kind": "political backing",
                "party_a": chosen[0], "party_b": chosen[1]}  # fmt: skip

    def _initial_values(self, kind: str) -> dict[str, Any] | None:
        """What a new record starts with: its name as typed in a dialog, never a made-up one."""
        now = datetime.now(UTC).replace(second=0, microsecond=0)
        if kind in ("entry", "party", "source"):
            name = dialogs.ask_record_name(self.window, kind)
            if name is None:
                return None
        if kind == "entry":
            return {"title": name, "start_utc": time_to_text(now),
                    "zone": self._current_zone(), "precision": "minute"}  # fmt: skip
        if kind == "statement":
            quote = dialogs.ask_statement_quote(self.window)
            if quote is None:
                return None
            return {"quote": quote, "kind": "claim", "said_at": time_to_text(now),
                    "zone": self._current_zone(), "precision": "day"}  # fmt: skip
        if kind == "relationship":
            return self._relationship_values()
        if kind == "party":
            return {"name": name, "kind": "organisation"}
        return {"title": name, "kind": "news", "reliability": "F"}

    def _current_zone(self) -> str:
        """The zone of the entry in view: new records of one conflict share it."""
        document = self.window.document
        inspector = self.window.inspector
        if document is None or inspector is None or inspector.current is None:
            return "UTC"
        record = document.record(*inspector.current)
        return str((record or {}).get("zone") or "UTC")

    # ------------------------------------------------------------------ delete

    def _delete_selected(self) -> None:
        if self.library is not None:
            pane = self.library.current_pane()
            self.delete_records(pane.kind, pane.selected_ids())

    def delete_records(self, kind: str, ids: list[int] | int) -> bool:
        """Delete records, asking first when a briefing includes them."""
        document = self.window.document
        ids = [ids] if isinstance(ids, int) else list(ids)
        if document is None or not ids:
            return False
        loaded = self._seen_stamps(kind, ids)
        said = records.delete_consequences(document.project, kind, ids)
        if said:
            subject = f"this {KIND_NAMES[kind]}" if len(ids) == 1 else counted(kind, len(ids))
            question = (
                f"Delete {subject}? Also:\n"
                + "".join(f"  • {line}\n" for line in said)
                + "\nUndo brings everything back."
            )
            if not dialogs.confirm_delete(self.window, question):
                return False
        return document.run(lambda p: records.delete_records(p, kind, ids, loaded)) is not None

    def _seen_stamps(self, kind: str, ids: list[int]) -> dict[int, Stamp]:
        """The records' stamps as the analyst sees them: the inspector's, else as read now.

        A deletion expects them, so an edit someone else makes meanwhile (while the
        question is open, or since the inspector showed the record) refuses it.
        """
        document, inspector = self.window.document, self.window.inspector
        assert document is not None
        seen: dict[int, Stamp] = {}
        form = inspector.current_form() if inspector is not None else None
        for record_id in ids:
            if form is not None and form.kind == kind and form.record_id == record_id:
                seen[record_id] = stamp_of(form.record)
                continue
            record = document.record(kind, record_id)
            if record is not None:
                seen[record_id] = stamp_of(record)
        return seen
