"""Small layout pieces the composer's panes share: headings, the TLP banner, two panes."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QLabel,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QWidget,
)

NARROW_WIDTH = 760
"""Below this width the composer's two halves become two tabs."""
SHARES = (1, 1)
"""How the two halves share the width side by side: cover and outline alike."""

BANNER_STYLE = (
    "QLabel { background: #FFF4CE; color: #3D2E00; border: 1px solid #C19C00;"
    " border-radius: 3px; padding: 6px; }"
)


def heading_label(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def banner_label() -> QLabel:
    """A warning strip that is hidden until there is something to warn about."""
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(BANNER_STYLE)
    label.setObjectName("tlpWarning")
    label.setVisible(False)
    return label


class TwoPanes(QStackedWidget):
    """Two halves side by side in a splitter when there is room, else as two tabs.

    The composer sits between the library and the inspector, where it may get
    only a third of the window; tabs keep each half readable there.
    """

    def __init__(self, left: QWidget, right: QWidget, titles: tuple[str, str]) -> None:
        super().__init__()
        self.halves = (left, right)
        self.titles = titles
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        # A record dragged from the library over "Outline" opens that tab to be dropped in.
        self.tabs.tabBar().setChangeCurrentOnDrag(True)
        self.tabs.tabBar().setAcceptDrops(True)
        self.addWidget(self.splitter)
        self.addWidget(self.tabs)
        self.narrow: bool | None = None
        self._shares = list(SHARES)
        self._shared = False
        self._arrange(narrow=False)
        self.splitter.setStretchFactor(0, SHARES[0])
        self.splitter.setStretchFactor(1, SHARES[1])

    def _arrange(self, narrow: bool) -> None:
        if narrow == self.narrow:
            return
        self.narrow = narrow
        if narrow:
            sizes = self.splitter.sizes()
            if self._shared and all(size > 0 for size in sizes):
                self._shares = sizes  # as the analyst left them, for when there is room again
            self._shared = False
            for half, title in zip(self.halves, self.titles, strict=True):
                self.tabs.addTab(half, title)
            self.setCurrentWidget(self.tabs)
        else:
            self.tabs.clear()
            for half in self.halves:
                self.splitter.addWidget(half)
                half.show()
            self.setCurrentWidget(self.splitter)

    def minimumSizeHint(self) -> QSize:
        """As small as the narrow arrangement allows, so the window may shrink into it."""
        hints = [half.minimumSizeHint() for half in self.halves]
        bar = self.tabs.tabBar().sizeHint().height()
        return QSize(max(h.width() for h in hints) + 8, max(h.height() for h in hints) + bar)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange(self.width() < NARROW_WIDTH)
        if not self.narrow and not self._shared:
            QTimer.singleShot(0, self._share)  # once the splitter has laid out its halves

    def _share(self) -> None:
        """Share the splitter's real width between the halves, once it has one."""
        if self.narrow or self._shared or not all(self.splitter.sizes()):
            return
        self._shared = True
        total, parts = sum(self.splitter.sizes()), sum(self._shares)
        self.splitter.setSizes([total * share // parts for share in self._shares])
