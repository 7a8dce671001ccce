"""A tree whose long texts wrap onto more lines instead of ending in "…".

Two versions of a quote or a bottom line side by side are only useful when they
can be read whole. QTreeView draws wrapped text but sizes rows without knowing
the column's width, so rows stay one line high; this delegate measures each
text at the width its column has, and the tree lays its rows out again when a
column is resized.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QWidget,
)

PADDING = 8
"""Room the style leaves around a cell's text, left and right together."""


def _depth(index: QModelIndex | QPersistentModelIndex) -> int:
    depth, parent = 0, index.parent()
    while parent.isValid():
        depth, parent = depth + 1, parent.parent()
    return depth


class _WrappingDelegate(QStyledItemDelegate):
    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self._tree = tree

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        """Text starts at the top of its cell, level with the first line beside it."""
        super().initStyleOption(option, index)
        option.displayAlignment = Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        hint = super().sizeHint(option, index)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not text:
            return hint
        width = self._column_width(index) - PADDING
        if index.column() == 0:
            width -= self._tree.indentation() * (_depth(index) + 1)
        styled = QStyleOptionViewItem(option)
        self.initStyleOption(styled, index)
        bounds = styled.fontMetrics.boundingRect(
            QRect(0, 0, max(width, 40), 100_000), Qt.TextFlag.TextWordWrap, str(text)
        )
        return QSize(hint.width(), max(hint.height(), bounds.height() + 4))

    def _column_width(self, index: QModelIndex | QPersistentModelIndex) -> int:
        """The width the text has: its column's, or the whole row's when the row spans them."""
        tree = self._tree
        if index.column() == 0 and tree.isFirstColumnSpanned(index.row(), index.parent()):
            return tree.viewport().width()
        return tree.header().sectionSize(index.column())


class WrappingTree(QTreeWidget):
    """A :class:`QTreeWidget` whose cells wrap long text onto as many lines as it needs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self.setItemDelegate(_WrappingDelegate(self))
        self._relayout = QTimer(self)
        self._relayout.setSingleShot(True)
        self._relayout.setInterval(0)
        self._relayout.timeout.connect(self.doItemsLayout)
        self.header().sectionResized.connect(lambda *_: self._relayout.start())
