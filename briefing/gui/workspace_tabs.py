"""The workspace's tab bar: whole titles where they fit, the usual short names where they do not.

At 1280 pixels the docks leave the workspace about 530 pixels, too few for
seven whole titles; eliding them left "Bri…" and "Contradic…". A few titles
have a short name an analyst reads just as well ("Chart" for "Timeline
Chart"), so the bar uses those first and elides only what still does not fit.
The tab keeps its whole title (``tabText``, the tooltip); only the painting
and the tab's width change.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import (
    QStyle,
    QStyleOptionTab,
    QStyleOptionTabBarBase,
    QStylePainter,
    QTabBar,
    QWidget,
)

SHORT_TITLES = {
    "Timeline Chart": "Chart",
    "Alliance Diagram": "Diagram",
    "PDF Preview": "Preview",
}


class WorkspaceTabBar(QTabBar):
    """Paints short titles while :meth:`fit_to` says the whole ones do not fit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.compact = False

    def shown_title(self, index: int) -> str:
        """The title as painted on the tab."""
        title = self.tabText(index)
        return SHORT_TITLES.get(title, title) if self.compact else title

    def whole_width(self) -> int:
        """The width every tab needs with its whole title."""
        return sum(super(WorkspaceTabBar, self).tabSizeHint(i).width() for i in range(self.count()))

    def fit_to(self, width: int) -> None:
        """Use the short titles when the whole ones need more than ``width`` pixels."""
        compact = self.whole_width() > width
        if compact != self.compact:
            self.compact = compact
            self.setElideMode(self.elideMode())  # lays the tabs out again with the new widths

    def tabSizeHint(self, index: int) -> QSize:
        hint = super().tabSizeHint(index)
        shown = self.shown_title(index)
        title = self.tabText(index)
        if shown != title:
            metrics = self.fontMetrics()
            hint.setWidth(
                hint.width() - metrics.horizontalAdvance(title) + metrics.horizontalAdvance(shown)
            )
        return hint

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.compact:
            super().paintEvent(event)
            return
        painter = QStylePainter(self)
        base = QStyleOptionTabBarBase()
        base.initFrom(self)
        base.shape = self.shape()
        base.documentMode = self.documentMode()
        overlap = self.style().pixelMetric(QStyle.PixelMetric.PM_TabBarBaseOverlap, None, self)
        base.rect = QRect(0, self.height() - overlap, self.width(), overlap)  # tabs on top
        for index in range(self.count()):
            base.tabBarRect = base.tabBarRect.united(self.tabRect(index))
        selected = self.currentIndex()
        order = [i for i in range(self.count()) if i != selected]
        if selected >= 0:
            base.selectedTabRect = self.tabRect(selected)
            order.append(selected)  # drawn last, over its neighbours
        if self.drawBase():
            painter.drawPrimitive(QStyle.PrimitiveElement.PE_FrameTabBarBase, base)
        for index in order:
            option = QStyleOptionTab()
            self.initStyleOption(option, index)
            room = (
                self.style()
                .subElementRect(QStyle.SubElement.SE_TabBarTabText, option, self)
                .width()
            )
            option.text = self.fontMetrics().elidedText(
                self.shown_title(index), Qt.TextElideMode.ElideRight, max(room, 1)
            )
            painter.drawControl(QStyle.ControlElement.CE_TabBarTab, option)
