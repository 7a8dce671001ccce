"""The briefing's outline as a two-level item model: sections, then the records they include.

The model shows a :class:`BriefingContent` read from the project and never edits
itself: a drop or an edit runs one composer action through the document, and
the model is rebuilt from the project when that action's change comes back.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QFont

from briefing.gui.composer.icons import KIND_LABELS, kind_icon
from briefing.gui.document import ProjectDocument
from briefing.gui.library.mime import MIME_TYPE as LIBRARY_MIME
from briefing.gui.library.mime import decode_records, read_payload, row_id
from briefing.gui.plain_tip import plain_tip
from briefing.gui.theme import alarm_colour
from briefing.model.vocab import counted
from briefing.services import briefings
from briefing.services.briefings import BriefingContent, OutlineItem, OutlineSection
from briefing.services.stamps import Stamp

OUTLINE_MIME = "application/x-briefing-outline"
"""JSON ``{"briefing": id, "sections": [i, ...], "items": [[s, i], ...]}`` for moves inside."""

RECORD_ROLE = Qt.ItemDataRole.UserRole + 1
"""(kind, id) of an item's record; None for a section."""
UUID_ROLE = Qt.ItemDataRole.UserRole + 2

AnyIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
_SECTION = 0  # internal id of a section row; an item's is its section's position + 1


class OutlineModel(QAbstractItemModel):
    """Sections → items of the open briefing; drops add or move through composer actions."""

    COLUMNS = ("Outline", "Details")

    def __init__(self, document: ProjectDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._content: BriefingContent | None = None
        self.before_edit: Callable[[], None] = lambda: None
        """Called before an outline edit: the composer saves text still being typed."""

    # ------------------------------------------------------------------ content

    @property
    def content(self) -> BriefingContent | None:
        return self._content

    def set_content(self, content: BriefingContent | None) -> None:
        self.beginResetModel()
        self._content = content
        self.endResetModel()

    def _sections(self) -> tuple[OutlineSection, ...]:
        return self._content.sections if self._content is not None else ()

    def section_at(self, index: AnyIndex) -> int | None:
        """The section position of a section or item index."""
        if not index.isValid():
            return None
        internal = index.internalId()
        return index.row() if internal == _SECTION else internal - 1

    def item_key(self, index: AnyIndex) -> tuple[int, int] | None:
        """(section, item) positions of an item index; None for a section."""
        if not index.isValid() or index.internalId() == _SECTION:
            return None
        return index.internalId() - 1, index.row()

    def _item(self, index: AnyIndex) -> OutlineItem | None:
        key = self.item_key(index)
        return None if key is None else self._sections()[key[0]].items[key[1]]

    def find_uuid(self, uuid: str) -> QModelIndex:
        for s, section in enumerate(self._sections()):
            if section.uuid == uuid:
                return self.index(s, 0)
            for i, item in enumerate(section.items):
                if item.uuid == uuid:
                    return self.index(i, 0, self.index(s, 0))
        return QModelIndex()

    # ------------------------------------------------------------------ structure

    def index(self, row: int, column: int, parent: AnyIndex = _ROOT) -> QModelIndex:
        if column < 0 or column >= len(self.COLUMNS) or row < 0:
            return QModelIndex()
        sections = self._sections()
        if not parent.isValid():
            return self.createIndex(row, column, _SECTION) if row < len(sections) else QModelIndex()
        if parent.internalId() != _SECTION or parent.row() >= len(sections):
            return QModelIndex()
        if row >= len(sections[parent.row()].items):
            return QModelIndex()
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: AnyIndex = _ROOT) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == _SECTION:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _SECTION)

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        sections = self._sections()
        if not parent.isValid():
            return len(sections)
        if parent.column() != 0 or parent.internalId() != _SECTION:
            return 0
        return len(sections[parent.row()].items)

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:
        return len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section] if 0 <= section < len(self.COLUMNS) else None
        return None

    # ------------------------------------------------------------------ data

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._item(index)
        if item is None:
            return self._section_data(self._sections()[index.row()], index.column(), role)
        return self._item_data(item, index.column(), role)

    def _section_data(self, section: OutlineSection, column: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == 0:
                return section.heading
            count = sum(1 for item in section.items if item.record_id)
            shown = "no records yet" if not count else counted("record", count)
            return shown + (" and the map" if count < len(section.items) else "")
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return kind_icon("section")
        if role == Qt.ItemDataRole.FontRole and column == 0:
            font = QFont()
            font.setBold(True)
            return font
        if role == UUID_ROLE:
            return section.uuid
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tip(f"Section ‘{section.heading}’ — drop records here")
        return None

    def _stricter(self, item: OutlineItem) -> bool:
        return self._content is not None and item.tlp.stricter_than(self._content.tlp)

    def _item_data(self, item: OutlineItem, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return item.title
            marking = f"{item.tlp.marking} · " if self._stricter(item) else ""
            return f"{marking}{KIND_LABELS[item.kind]} · {item.detail}"
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return kind_icon(item.kind)
        if role == Qt.ItemDataRole.ForegroundRole and self._stricter(item):
            return QBrush(alarm_colour())
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = f"{KIND_LABELS[item.kind].capitalize()}: {item.title}\n{item.detail}"
            if self._stricter(item) and self._content is not None:
                briefing_tlp = self._content.tlp.marking
                tip += f"\n{item.tlp.marking} is stricter than the briefing's {briefing_tlp}"
            return plain_tip(tip)
        if role == RECORD_ROLE:
            return (item.kind, item.record_id) if item.record_id else None  # a map: no record
        if role == UUID_ROLE:
            return item.uuid
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        flags |= Qt.ItemFlag.ItemIsDragEnabled
        if index.internalId() == _SECTION:
            flags |= Qt.ItemFlag.ItemIsDropEnabled
            if index.column() == 0 and not self._document.read_only:
                flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Renaming a section in place is one action."""
        if role != Qt.ItemDataRole.EditRole or self._content is None:
            return False
        if not index.isValid() or index.internalId() != _SECTION or index.column() != 0:
            return False
        heading = str(value).strip()
        if heading == self._sections()[index.row()].heading:
            return False
        briefing_id, uuid = self._content.id, self._sections()[index.row()].uuid
        return self._run(
            lambda p: briefings.edit_section(
                p, briefing_id, uuid, heading=heading, loaded=self._stamp()
            ),
            save_typing=False,
        )

    def removeRows(self, row: int, count: int, parent: AnyIndex = _ROOT) -> bool:
        """Views never remove rows themselves: a finished move is already in the project."""
        return False

    # ------------------------------------------------------------------ drag and drop

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [OUTLINE_MIME, LIBRARY_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = {(self.section_at(i), self.item_key(i)) for i in indexes if i.isValid()}
        sections = sorted({s for s, key in rows if key is None and s is not None})
        items = sorted({key for _, key in rows if key is not None})
        payload = {
            "briefing": self._content.id if self._content else None,
            "sections": sections[:1],
            "items": [] if sections else [list(k) for k in items],
        }
        data = QMimeData()
        data.setData(OUTLINE_MIME, json.dumps(payload).encode("utf-8"))
        return data

    def _outline_payload(self, data: QMimeData) -> dict[str, Any] | None:
        """The rows a drop moves within this briefing, as we write them; None for anything else."""
        payload = read_payload(data, OUTLINE_MIME)
        if self._content is None or not isinstance(payload, dict):
            return None
        if payload.get("briefing") != self._content.id:
            return None
        sections, items = payload.get("sections") or [], payload.get("items") or []
        if not isinstance(sections, list) or not isinstance(items, list) or len(sections) > 1:
            return None
        if any(row_id(s) is None for s in sections):
            return None
        pairs = [i for i in items if isinstance(i, list) and len(i) == 2]
        if len(pairs) != len(items) or any(row_id(n) is None for pair in pairs for n in pair):
            return None
        return {"sections": sections, "items": pairs}

    def canDropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: AnyIndex,
    ) -> bool:
        if self._content is None or self._document.read_only:
            return False
        if parent.isValid() and parent.internalId() != _SECTION:
            return False
        return self._outline_payload(data) is not None or bool(decode_records(data))

    def dropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: AnyIndex,
    ) -> bool:
        """Library records are added; outline rows are moved; each drop is one action."""
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        payload = self._outline_payload(data)
        if payload is not None and payload.get("sections"):
            return self._move_section(int(payload["sections"][0]), self._gap(row, parent))
        section, position = self._drop_target(row, parent)
        if payload is not None:
            keys = [(int(s), int(i)) for s, i in payload.get("items") or []]
            return self._move_items(keys, section, position)
        return self.add_records(decode_records(data), section, position)

    def _drop_target(self, row: int, parent: AnyIndex) -> tuple[int | None, int | None]:
        """(section, position in it) for records dropped; between sections joins the one above."""
        if parent.isValid():
            return parent.row(), (None if row < 0 else row)
        sections = self._sections()
        if row == 0 and sections:
            return 0, 0
        if row < 0 or row > len(sections):
            row = len(sections)
        return (row - 1 if sections else None), None

    def _gap(self, row: int, parent: AnyIndex) -> int:
        """The section position a dropped section should take."""
        if parent.isValid():
            return parent.row()
        return len(self._sections()) if row < 0 else row

    def _move_section(self, source: int, gap: int) -> bool:
        assert self._content is not None
        briefing_id = self._content.id
        to = gap - 1 if gap > source else gap
        if to == source:
            return False
        return self._run(
            lambda p: briefings.move_section(p, briefing_id, source, to, loaded=self._stamp())
        )

    def _move_items(
        self, keys: list[tuple[int, int]], section: int | None, position: int | None
    ) -> bool:
        assert self._content is not None
        if not keys or section is None:
            return False
        briefing_id, row = self._content.id, -1 if position is None else position
        return self._run(
            lambda p: briefings.move_items(p, briefing_id, keys, section, row, loaded=self._stamp())
        )

    def add_records(
        self, wanted: list[tuple[str, int]], section: int | None, position: int | None = None
    ) -> bool:
        """Add library records to a section as one action; False if refused."""
        if self._content is None or not wanted:
            return False
        briefing_id = self._content.id
        key = section if section is not None and 0 <= section < len(self._sections()) else None
        return self._run(
            lambda p: briefings.add_items(
                p, briefing_id, wanted, key, position, loaded=self._stamp()
            )
        )

    def _stamp(self) -> Stamp:
        """The briefing's stamp as last shown, read when the action runs.

        By then :attr:`before_edit` has saved any text still being typed.
        """
        return self._content.stamp if self._content is not None else None

    def _run(self, action: Any, save_typing: bool = True) -> bool:
        """Run an edit of the outline; text typed elsewhere in the briefing is saved first.

        Not while a heading is being committed here: that would reset the model under it.
        """
        if save_typing:
            self.before_edit()
        return self._document.run(action) is not None
