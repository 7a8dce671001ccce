"""Key judgments: text, ICD 203 likelihood term and confidence, each in its own column.

Likelihood and confidence stay in separate columns on purpose: analysts state
them separately and never in one sentence.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from briefing.gui.document import ProjectDocument
from briefing.gui.plain_tip import plain_tip
from briefing.model.vocab import Confidence, Likelihood
from briefing.services import briefings
from briefing.services.briefings import BriefingContent, Judgment

AnyIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


def likelihood_label(term: Likelihood) -> str:
    """``likely (probable, 55–80 %)``: the term with its row of the ICD 203 table."""
    return f"{term.value} ({term.alternative}, {term.probability})"


LIKELIHOOD_CHOICES = [(t.value, likelihood_label(t)) for t in Likelihood]
CONFIDENCE_CHOICES = [(c.value, f"{c.value} confidence") for c in Confidence]


class JudgmentsModel(QAbstractTableModel):
    """The open briefing's key judgments; an edit in a cell is one action."""

    COLUMNS = ("Key judgment", "Likelihood", "Confidence")
    FIELDS = ("text", "likelihood", "confidence")

    def __init__(self, document: ProjectDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._content: BriefingContent | None = None

    def set_content(self, content: BriefingContent | None) -> None:
        """Show ``content``; the same briefing is updated in place, never reset.

        A reset would close the open editor and move the current cell to row 1,
        where the next keystrokes would overwrite another judgment.
        """
        old = self._content
        if old is None or content is None or old.id != content.id:
            self.beginResetModel()
            self._content = content
            self.endResetModel()
            return
        before, after = len(old.judgments), len(content.judgments)
        if after > before:
            self.beginInsertRows(_ROOT, before, after - 1)
            self._content = content
            self.endInsertRows()
        elif after < before:
            self.beginRemoveRows(_ROOT, after, before - 1)
            self._content = content
            self.endRemoveRows()
        self._content = content
        if after:
            last = self.index(after - 1, len(self.COLUMNS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def _judgments(self) -> tuple[Judgment, ...]:
        return self._content.judgments if self._content is not None else ()

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._judgments())

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section] if 0 <= section < len(self.COLUMNS) else None
        return str(section + 1)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._judgments()):
            return None
        judgment = self._judgments()[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return judgment.text
            if column == 1:
                return likelihood_label(judgment.likelihood)
            return judgment.confidence.value
        if role == Qt.ItemDataRole.EditRole:
            return str(getattr(judgment, self.FIELDS[column]))
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            return plain_tip(judgment.text)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and not self._document.read_only:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self._content is None:
            return False
        name = self.FIELDS[index.column()]
        if str(value) == str(getattr(self._judgments()[index.row()], name)):
            return False
        briefing_id, row = self._content.id, index.row()
        values, seen = {name: str(value)}, self._content.stamp
        return (
            self._document.run(
                lambda p: briefings.edit_judgment(p, briefing_id, row, loaded=seen, **values)
            )
            is not None
        )


class ChoiceDelegate(QStyledItemDelegate):
    """Edits a cell with a list of (value, label) choices."""

    def __init__(self, choices: list[tuple[str, str]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._choices = choices

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        box = QComboBox(parent)
        for value, label in self._choices:
            box.addItem(label, value)
        box.activated.connect(lambda: self.commitData.emit(box))
        return box

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class JudgmentsEditor(QWidget):
    """The table of key judgments with buttons to add, remove and reorder them."""

    addRequested = Signal()
    removeRequested = Signal(int)
    moveRequested = Signal(int, int)
    """(row, new row)."""

    def __init__(self, model: JudgmentsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.table = QTableView()
        self.table.setModel(model)
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setItemDelegateForColumn(1, ChoiceDelegate(LIKELIHOOD_CHOICES, self))
        self.table.setItemDelegateForColumn(2, ChoiceDelegate(CONFIDENCE_CHOICES, self))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(1, 125)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        model.modelReset.connect(self.table.resizeRowsToContents)
        # Wrapped text needs its rows measured again once columns have settled on a width.
        self._measure = QTimer(self)
        self._measure.setSingleShot(True)
        self._measure.setInterval(0)
        self._measure.timeout.connect(self.table.resizeRowsToContents)
        header.sectionResized.connect(lambda *_: self._measure.start())
        self.add = QPushButton("Add")
        self.add.setToolTip("Add a key judgment")
        self.remove = QPushButton("Remove")
        self.up = QPushButton("Move Up")
        self.down = QPushButton("Move Down")
        self.add.clicked.connect(self.addRequested)
        self.remove.clicked.connect(lambda: self._on_row_button(None))
        self.up.clicked.connect(lambda: self._on_row_button(-1))
        self.down.clicked.connect(lambda: self._on_row_button(+1))
        buttons = QHBoxLayout()
        for button in (self.add, self.remove, self.up, self.down):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def current_row(self) -> int | None:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else None

    def _on_row_button(self, delta: int | None) -> None:
        row = self.current_row()
        if row is None:
            return
        if delta is None:
            self.removeRequested.emit(row)
        elif 0 <= row + delta < self.model.rowCount():
            self.moveRequested.emit(row, row + delta)

    def set_read_only(self, read_only: bool) -> None:
        for button in (self.add, self.remove, self.up, self.down):
            button.setEnabled(not read_only)
