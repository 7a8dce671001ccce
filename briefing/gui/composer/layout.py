"""Small layout pieces the composer's panes share: headings, the TLP banner, tool rows."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QWidget,
)

NARROW_WIDTH = 760
"""Below this width the composer's two halves become two tabs."""

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


def tool_row(container: QWidget, actions: list[QAction]) -> list[QToolButton]:
    """A row of flat buttons for ``actions``, so they can be found without a context menu."""
    layout = QHBoxLayout(container)
    layout.setContentsMargins(0, 0, 0, 0)
    buttons = []
    for action in actions:
        button = QToolButton()
        button.setDefaultAction(action)
        button.setAutoRaise(True)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        layout.addWidget(button)
        buttons.append(button)
    layout.addStretch(1)
    return buttons


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
        self.addWidget(self.splitter)
        self.addWidget(self.tabs)
        self.narrow: bool | None = None
        self._arrange(narrow=False)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 5)

    def _arrange(self, narrow: bool) -> None:
        if narrow == self.narrow:
            return
        self.narrow = narrow
        if narrow:
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
