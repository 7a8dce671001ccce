"""The outline's tree view: drag and drop in and out, selection kept by UUID across refreshes."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView, QWidget

from briefing.gui.composer.outline_model import RECORD_ROLE, UUID_ROLE, OutlineModel

DETAILS_MIN_WIDTH = 480


class OutlineView(QTreeView):
    """Sections and their records; double-click or Enter on a record announces it."""

    recordActivated = Signal(str, int)

    def __init__(self, model: OutlineModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setHeaderHidden(False)
        self.setUniformRowHeights(True)
        self.setAllColumnsShowFocus(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 190)
        self.activated.connect(self._on_activated)

    @property
    def outline(self) -> OutlineModel:
        model = self.model()
        assert isinstance(model, OutlineModel)
        return model

    def selected_uuids(self) -> list[str]:
        return [i.data(UUID_ROLE) for i in self.selectionModel().selectedRows(0)]

    def collapsed_uuids(self) -> set[str]:
        model = self.outline
        rows = (model.index(r, 0) for r in range(model.rowCount()))
        return {i.data(UUID_ROLE) for i in rows if not self.isExpanded(i)}

    def restore(self, selected: list[str], current: str | None, collapsed: set[str]) -> None:
        """After a refresh: expand what was open and select what was selected, by UUID."""
        model = self.outline
        self.expandAll()
        for uuid in collapsed:
            self.collapse(model.find_uuid(uuid))
        selection = QItemSelection()
        for uuid in selected:
            index = model.find_uuid(uuid)
            if index.isValid():
                last = index.siblingAtColumn(model.columnCount() - 1)
                selection.select(index, last)
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
        self.selectionModel().select(selection, flags)
        if current:
            index = model.find_uuid(current)
            if index.isValid():
                self.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.NoUpdate
                )
                self.scrollTo(index)

    def current_uuid(self) -> str | None:
        index = self.currentIndex()
        return index.data(UUID_ROLE) if index.isValid() else None

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Give a narrow outline to the titles alone; details stay in the tooltips."""
        super().resizeEvent(event)
        self.setColumnHidden(1, self.width() < DETAILS_MIN_WIDTH)

    def _on_activated(self, index: QModelIndex) -> None:
        record = index.data(RECORD_ROLE)
        if record is not None:
            self.recordActivated.emit(*record)
