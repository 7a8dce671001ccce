"""A row of flat tool buttons that drops its button names when the pane is narrow.

Panes in the middle of the window may get only a third of a 1200-pixel screen.
Rather than push the docks aside (or the window past the screen's edge), the
buttons with icons then show the icon alone, their name in the tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QToolButton, QWidget

BESIDE = Qt.ToolButtonStyle.ToolButtonTextBesideIcon
ICON_ONLY = Qt.ToolButtonStyle.ToolButtonIconOnly


class ToolStrip(QWidget):
    """Buttons for actions (and other small widgets) in a row that may shrink to icons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.buttons: list[QToolButton] = []
        self.compact = False

    def add_action(self, action: QAction) -> QToolButton:
        """A flat button for ``action``: its name beside its icon when there is room."""
        button = QToolButton()
        button.setDefaultAction(action)
        button.setAutoRaise(True)
        if not action.icon().isNull():
            button.setToolButtonStyle(ICON_ONLY if self.compact else BESIDE)
            self.buttons.append(button)
        self.row.addWidget(button)
        return button

    def add_widget(self, widget: QWidget) -> None:
        self.row.addWidget(widget)

    def add_spacing(self, size: int) -> None:
        self.row.addSpacing(size)

    def add_stretch(self) -> None:
        self.row.addStretch(1)

    def _names_width(self) -> int:
        """How much wider the row is with the names shown than with icons alone."""
        metrics = self.fontMetrics()
        space = metrics.horizontalAdvance(" ")
        return sum(
            metrics.horizontalAdvance(b.text().replace("&", "")) + 2 * space + 4
            for b in self.buttons
        )

    def _full_width(self) -> int:
        """The least width that shows every name."""
        width = super().minimumSizeHint().width()
        return width + self._names_width() if self.compact else width

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        if not self.compact:
            hint.setWidth(hint.width() - self._names_width())
        return hint

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        compact = self.width() < self._full_width()
        if compact != self.compact:
            self.compact = compact
            for button in self.buttons:
                button.setToolButtonStyle(ICON_ONLY if compact else BESIDE)
