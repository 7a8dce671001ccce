"""Small layout pieces the composer's panes share: headings, the TLP banner, tool rows."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

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


def tool_row(container: QWidget, actions: list[QAction]) -> None:
    """A row of flat buttons for ``actions``, so they can be found without a context menu."""
    layout = QHBoxLayout(container)
    layout.setContentsMargins(0, 0, 0, 0)
    for action in actions:
        button = QToolButton()
        button.setDefaultAction(action)
        button.setAutoRaise(True)
        layout.addWidget(button)
    layout.addStretch(1)
