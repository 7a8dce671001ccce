"""Fields that link records: pick a party, list an entry's sources, mark contradictions.

Links are stored by UUID (the codec's form). Lists of linked records also take
records dragged in from the library.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QGridLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QToolTip,
    QWidget,
)

from briefing.gui import dialogs
from briefing.gui.document import ProjectDocument
from briefing.gui.inspector.fields import Field, Invalid
from briefing.gui.library.mime import MIME_TYPE, decode_records
from briefing.gui.plain_tip import plain_tip
from briefing.model.vocab import PartyRole
from briefing.services import record_choices, records
from briefing.services.record_choices import Choice


def popup_width(widget: QWidget, labels: list[str]) -> int:
    """A pop-up as wide as its longest entry (within reason), so no name is cut."""
    metrics = widget.fontMetrics()
    longest = max((metrics.horizontalAdvance(label) for label in labels), default=0)
    return min(longest + 48, 900)


NOUNS = {"party": "party", "source": "source", "entry": "timeline entry", "statement": "statement"}


class Lookup:
    """Records to choose from, per kind, read once and dropped when that kind changes."""

    def __init__(self, document: ProjectDocument) -> None:
        self.document = document
        self._cache: dict[str, list[Choice]] = {}
        self.generation = 0
        """Goes up whenever a list is dropped, so pickers know to list their records again."""

    def choices(self, kind: str) -> list[Choice]:
        if kind not in self._cache:
            with self.document.project.engine.connect() as connection:
                self._cache[kind] = record_choices.choices(connection, kind)
        return self._cache[kind]

    def find(self, kind: str, uuid: str) -> Choice | None:
        found = next((c for c in self.choices(kind) if c.uuid == uuid), None)
        if found is None:
            with self.document.project.engine.connect() as connection:
                found = record_choices.choice_for_uuid(connection, kind, uuid)
        return found

    def find_id(self, kind: str, record_id: int) -> Choice | None:
        found = next((c for c in self.choices(kind) if c.id == record_id), None)
        if found is None:
            record = self.document.record(kind, record_id)
            found = self.find(kind, record["uuid"]) if record else None
        return found

    def forget(self, kinds: set[str] | None = None) -> None:
        for kind in list(self._cache) if kinds is None else kinds:
            if self._cache.pop(kind, None) is not None:
                self.generation += 1


class ChoiceCombo(QComboBox):
    """An editable combo listing records of one kind; typing any part of a name finds it."""

    def __init__(self, lookup: Lookup, kind: str, blank: str | None) -> None:
        super().__init__()
        self.lookup = lookup
        self.kind = kind
        self.blank = blank
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(8)
        self._filled_from: tuple[int, str | None] | None = None

    def fill(self, exclude: str | None = None) -> None:
        """List the records to choose from, unless the list already shown is still current."""
        stamp = (self.lookup.generation, exclude)
        if stamp == self._filled_from:
            return
        self._filled_from = stamp
        current = self.currentData()
        self.blockSignals(True)
        self.clear()
        if self.blank is not None:
            self.addItem(self.blank, None)
        for choice in self.lookup.choices(self.kind):
            if choice.uuid != exclude:
                self.addItem(choice.label, choice.uuid)
        labels = [self.itemText(i) for i in range(self.count())]
        completer = QCompleter(labels, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompleter(completer)
        widest = popup_width(self, labels)
        self.view().setMinimumWidth(widest)
        completer.popup().setMinimumWidth(widest)
        self.set_uuid(current)
        self.blockSignals(False)

    def offered(self) -> list[Choice]:
        """The records in the list, without the blank line."""
        items = ((self.itemData(i), self.itemText(i)) for i in range(self.count()))
        return [Choice(0, uuid, label) for uuid, label in items if uuid is not None]

    def set_uuid(self, uuid: str | None) -> None:
        index = self.findData(uuid)
        if index < 0 and uuid is not None:
            found = self.lookup.find(self.kind, uuid)
            if found is not None:
                self.addItem(found.label, found.uuid)
                index = self.count() - 1
        if index < 0:
            index = 0 if self.blank is not None else -1
        self.setCurrentIndex(index)
        if index < 0:
            self.setEditText("")
        typed = self.lineEdit()
        if typed is not None:
            typed.setCursorPosition(0)  # show the start of a long name

    def chosen_uuid(self) -> str | None:
        """The record whose name is in the box; raises Invalid for text naming none."""
        typed = self.currentText().strip()
        if not typed or (self.blank is not None and typed == self.blank):
            if self.blank is None:
                raise Invalid(f"Choose a {NOUNS[self.kind]}.")
            return None
        found = record_choices.matching(self.offered(), typed)
        if len(found) == 1:
            return found[0].uuid
        noun = NOUNS[self.kind]
        if found:
            names = " or ".join(c.label for c in found[:3]) + (" or …" if len(found) > 3 else "")
            raise Invalid(f"‘{typed}’ could be {names}; type more of the name.")
        raise Invalid(f"‘{typed}’ is not a {noun} in this project.")

    def complete_typed(self) -> str | None:
        """Show the one record the typed text means; the text left unmatched, if any."""
        typed = self.currentText().strip()
        if not typed or typed == self.blank:
            return None
        found = record_choices.matching(self.offered(), typed)
        if len(found) == 1:
            self.set_uuid(found[0].uuid)
            return None
        return typed if not found else None


class RecordChoiceField(Field):
    """One linked record (speaker, parent party, the entry a statement is about…)."""

    def __init__(self, key: str, lookup: Lookup, kind: str, blank: str | None = "(none)") -> None:
        super().__init__((key,))
        self.combo = ChoiceCombo(lookup, kind, blank)
        self.combo.setObjectName(f"field_{key}")
        self.combo.activated.connect(self.edited)
        typed = self.combo.lineEdit()
        if typed is not None:
            typed.editingFinished.connect(self._on_typed)
        self.widget = self.combo
        self.not_self = False
        self._record_uuid: str | None = None

    def _on_typed(self) -> None:
        """A typed name picks the one record it means, or offers to create a new party."""
        unknown = self.combo.complete_typed()
        if unknown is not None and self.combo.kind == "party":
            created = self._create_party(unknown)
            if created is not None:
                self.combo.fill(exclude=self._record_uuid if self.not_self else None)
                self.combo.set_uuid(created)
        self.edited.emit()

    def _create_party(self, name: str) -> str | None:
        """Ask whether to add the typed name as a new party; its UUID once added."""
        kind = dialogs.ask_new_party_kind(self.combo, name)
        if kind is None:
            return None
        document = self.combo.lookup.document
        change = document.run(
            lambda p: records.create_record(p, "party", {"name": name, "kind": kind})
        )
        if change is None or not change.created_uuids:
            return None
        self.combo.lookup.forget({"party"})
        return change.created_uuids[0]

    def load(self, record: dict[str, Any]) -> None:
        self._record_uuid = record.get("uuid")
        self.combo.fill(exclude=record.get("uuid") if self.not_self else None)
        self.combo.set_uuid(record.get(self.keys[0]))

    def values(self) -> dict[str, Any]:
        return {self.keys[0]: self.combo.chosen_uuid()}

    def set_read_only(self, read_only: bool) -> None:
        self.combo.setEnabled(not read_only)


class _DropList(QListWidget):
    """A list that accepts records of one kind dragged from the library."""

    recordsDropped = Signal(list)

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)

    def _accepts(self, event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> bool:
        return any(k == self.kind for k, _ in decode_records(event.mimeData()))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(MIME_TYPE) and self._accepts(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._accepts(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        ids = [i for k, i in decode_records(event.mimeData()) if k == self.kind]
        if ids:
            event.acceptProposedAction()
            self.recordsDropped.emit(ids)


class LinkListField(Field):
    """Several linked records (an entry's sources, the statements one contradicts)."""

    def __init__(self, key: str, lookup: Lookup, kind: str, extra: QWidget | None = None) -> None:
        super().__init__((key,))
        self.lookup = lookup
        self.kind = kind
        self.own_uuid: str | None = None
        self.list = _DropList(kind)
        self.list.setObjectName(f"field_{key}")
        self.list.setToolTip(f"Drag a {NOUNS[kind]} here from the library, or choose one below")
        self.list.recordsDropped.connect(self._on_dropped)
        self.picker = ChoiceCombo(lookup, kind, None)
        self.add_button = QPushButton("Add")
        self.remove_button = QPushButton("Remove")
        self.add_button.clicked.connect(self._on_add)
        self.remove_button.clicked.connect(self._on_remove)
        self.extra = extra
        self.widget = self._lay_out()
        self.list.setFixedHeight(self.list.fontMetrics().lineSpacing() * 5 + 12)

    def _lay_out(self) -> QWidget:
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(4)
        grid.addWidget(self.list, 0, 0, 1, 4)
        grid.addWidget(self.picker, 1, 0, 1, 3)
        if self.extra is not None:  # under the picker: a narrow inspector still shows both
            grid.addWidget(self.extra, 2, 0, 1, 3)
        grid.addWidget(self.add_button, 1, 3)
        grid.addWidget(self.remove_button, 2, 3)
        grid.setColumnStretch(0, 1)
        for button in (self.add_button, self.remove_button):  # may narrow to their words
            button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        return box

    def load(self, record: dict[str, Any]) -> None:
        self.own_uuid = record.get("uuid")
        self.picker.fill(exclude=self.own_uuid)
        self.picker.setCurrentIndex(-1)
        self.picker.setEditText("")
        self.list.clear()
        for value in record.get(self.keys[0]) or []:
            self._append(value)

    def _append(self, value: Any) -> None:
        found = self.lookup.find(self.kind, self._uuid_of(value))
        item = QListWidgetItem(self._label(value, found.label if found else "(missing)"))
        item.setToolTip(plain_tip(item.text()))
        item.setData(Qt.ItemDataRole.UserRole, value)
        self.list.addItem(item)

    def _uuid_of(self, value: Any) -> str:
        return str(value)

    def _label(self, value: Any, name: str) -> str:
        return name

    def _new_value(self, uuid: str) -> Any:
        return uuid

    def values(self) -> dict[str, Any]:
        items = [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())]
        return {self.keys[0]: self._normalised(items)}

    def _normalised(self, items: list[Any]) -> list[Any]:
        return sorted(set(items))

    def _add_value(self, value: Any) -> None:
        current = self.values()[self.keys[0]]
        if value in current:
            return
        self._append(value)
        self.edited.emit()

    def _on_add(self) -> None:
        try:
            uuid = self.picker.chosen_uuid()
        except Invalid as problem:  # said at the picker; nothing is added
            self.picker.setToolTip(plain_tip(str(problem)))
            QToolTip.showText(self.picker.mapToGlobal(QPoint(0, self.picker.height())),
                              plain_tip(str(problem)), self.picker)  # fmt: skip
            return
        self.picker.setToolTip("")
        if uuid is not None and uuid != self.own_uuid:
            self._add_value(self._new_value(uuid))

    def _on_dropped(self, ids: list[int]) -> None:
        for record_id in ids:
            found = self.lookup.find_id(self.kind, record_id)
            if found is not None and found.uuid != self.own_uuid:
                self._add_value(self._new_value(found.uuid))

    def _on_remove(self) -> None:
        rows = sorted({self.list.row(i) for i in self.list.selectedItems()}, reverse=True)
        for row in rows:
            self.list.takeItem(row)
        if rows:
            self.edited.emit()

    def set_read_only(self, read_only: bool) -> None:
        for widget in (self.picker, self.extra, self.add_button, self.remove_button):
            if widget is not None:
                widget.setEnabled(not read_only)
        self.list.setAcceptDrops(not read_only)


class PartyRolesField(LinkListField):
    """The parties of a timeline entry, each with its role (initiator, target, involved)."""

    def __init__(self, lookup: Lookup) -> None:
        self.role = QComboBox()
        self.role.setObjectName("field_party_role")
        for role in PartyRole:
            self.role.addItem(role.value, role.value)
        super().__init__("parties", lookup, "party", extra=self.role)

    def _uuid_of(self, value: Any) -> str:
        return str(value["party"])

    def _label(self, value: Any, name: str) -> str:
        return f"{value['role']}: {name}"

    def _new_value(self, uuid: str) -> Any:
        return {"party": uuid, "role": self.role.currentData()}

    def _normalised(self, items: list[Any]) -> list[Any]:
        unique = {(i["role"], i["party"]): i for i in items}
        return [unique[k] for k in sorted(unique)]
