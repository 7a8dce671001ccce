"""The export history of one briefing: when, by whom, which file, how many pages, which bytes.

The SHA-256 lets a reader check that a PDF in hand is the one exported here;
the list shows its first characters and the whole digest as a tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from briefing.gui.plain_tip import plain_tip
from briefing.services.pdf_export import ExportEntry, export_history
from briefing.store.project import Project

SHORT_DIGEST = 12
COLUMNS = ("Exported (UTC)", "Analyst", "File", "Pages", "SHA-256")

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


def short_digest(sha256: str) -> str:
    return sha256[:SHORT_DIGEST]


class ExportHistoryModel(QAbstractTableModel):
    """A briefing's exports, newest first; a handful of rows, so all are held."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entries: list[ExportEntry] = []

    @property
    def entries(self) -> list[ExportEntry]:
        return list(self._entries)

    def set_entries(self, entries: list[ExportEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section] if 0 <= section < len(COLUMNS) else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry, column = self._entries[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return _cell(entry, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == 4:
            return f"SHA-256 {entry.sha256}"
        if role == Qt.ItemDataRole.ToolTipRole and column == 2:
            return plain_tip(entry.file_name)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def _cell(entry: ExportEntry, column: int) -> str:
    if column == 0:
        return entry.exported_at.strftime("%Y-%m-%d %H:%M")
    if column == 1:
        return entry.analyst
    if column == 2:
        return entry.file_name
    if column == 3:
        return str(entry.pages) if entry.pages else "—"  # a Word file: Word lays out its pages
    return short_digest(entry.sha256)


class ExportHistoryView(QWidget):
    """A heading and the table; :meth:`show_briefing` reads the history again."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ExportHistoryModel(self)
        self.heading = QLabel("Export history")
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setEnabled(False)
        self.table = QTableView()
        self.table.setObjectName("exportHistory")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.heading)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)

    def show_briefing(self, project: Project, briefing_id: int | None, title: str = "") -> None:
        """Read the briefing's history from the project (nothing when no briefing is open)."""
        entries = [] if briefing_id is None else export_history(project, briefing_id)
        self.model.set_entries(entries)
        self.heading.setText(f"Export history of ‘{title}’" if title else "Export history")
        self.empty.setText(_empty_text(briefing_id, bool(entries), project.read_only))
        self.empty.setVisible(not entries)


def _empty_text(briefing_id: int | None, any_entries: bool, read_only: bool) -> str:
    if any_entries:
        return ""
    if briefing_id is None:
        return "No briefing is open."
    text = "Not exported yet. File ▸ Export PDF… records each export here."
    if read_only:
        text += " (The project is open read-only, so exports from here are not recorded.)"
    return text
