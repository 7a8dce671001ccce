"""The project's briefings, newest first, with buttons to start a new one or delete one."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from briefing.gui.composer.metadata import tlp_icon
from briefing.gui.plain_tip import plain_tip
from briefing.services.briefings import BriefingRow
from briefing.services.charts import day_text

AnyIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
ID_ROLE = Qt.ItemDataRole.UserRole + 1
NARROW_LIST = 480


class BriefingListModel(QAbstractTableModel):
    """Rows of :class:`BriefingRow`: title, TLP, status and as-of day."""

    COLUMNS = ("Title", "TLP", "Status", "As of")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[BriefingRow] = []

    def set_rows(self, rows: list[BriefingRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_of(self, briefing_id: int | None) -> int | None:
        return next((n for n, r in enumerate(self._rows) if r.id == briefing_id), None)

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section] if 0 <= section < len(self.COLUMNS) else None
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.title, row.tlp.marking, row.status, day_text(row.as_of))[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tip(
                f"{row.title}\n{row.tlp.marking}, {row.status}, as of {day_text(row.as_of)}"
            )
        if role == Qt.ItemDataRole.DecorationRole and index.column() == 1:
            return tlp_icon(row.tlp)
        if role == ID_ROLE:
            return row.id
        return None


class BriefingList(QWidget):
    """Choosing a row opens that briefing in the composer."""

    chosen = Signal(object)
    """The chosen briefing's id, or None when none is."""
    newRequested = Signal()
    deleteRequested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._read_only = False
        self.model = BriefingListModel(self)
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setAllColumnsShowFocus(True)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.view.selectionModel().currentChanged.connect(self._on_current)
        self.new = QPushButton("New Briefing")
        self.delete = QPushButton("Delete…")
        self.delete.setToolTip("Delete Briefing")
        self.new.clicked.connect(self.newRequested)
        self.delete.clicked.connect(self._on_delete)
        buttons = QVBoxLayout()
        buttons.addWidget(self.new)
        buttons.addWidget(self.delete)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """In a narrow pane only title and TLP are shown; the rest is in the tooltip."""
        super().resizeEvent(event)
        for column in (2, 3):
            self.view.setColumnHidden(column, self.width() < NARROW_LIST)

    def current_id(self) -> int | None:
        index = self.view.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    def set_rows(self, rows: list[BriefingRow], current: int | None) -> None:
        """Show the briefings and keep ``current`` chosen, without announcing it again."""
        self.view.selectionModel().blockSignals(True)
        self.model.set_rows(rows)
        row = self.model.row_of(current)
        if row is not None:
            self.view.setCurrentIndex(self.model.index(row, 0))
        self.view.selectionModel().blockSignals(False)
        self.delete.setEnabled(row is not None and not self._read_only)

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.new.setEnabled(not read_only)
        self.delete.setEnabled(not read_only and self.current_id() is not None)

    def _on_current(self, current: QModelIndex, previous: QModelIndex) -> None:
        self.chosen.emit(current.data(ID_ROLE) if current.isValid() else None)

    def _on_delete(self) -> None:
        briefing_id = self.current_id()
        if briefing_id is not None:
            self.deleteRequested.emit(briefing_id)
