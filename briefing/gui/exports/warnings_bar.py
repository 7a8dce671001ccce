"""What an editor would send back, shown in the window after an export, not in a box to click away.

A brief exported without a bottom line, without key judgments, or with a
confirmed entry resting on a source graded E or F is still written; the strip
across the top of the window lists why it may come back, and stays until the
analyst dismisses it or exports again.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QSizePolicy, QToolBar, QToolButton

STRIP_STYLE = (
    "QToolBar#exportWarnings { background: #FDECEA; border: none;"
    " border-bottom: 1px solid #E8A29A; padding: 0; }"
    "QLabel#exportWarningsText { color: #5C1A12; padding: 5px 8px; }"
)


def warnings_text(file_name: str, warnings: Sequence[str]) -> str:
    """One line per warning, after a line naming the file they are about."""
    head = f"{file_name} was exported with {len(warnings)} "
    head += "warning:" if len(warnings) == 1 else "warnings:"
    return "\n".join([head, *(f"• {w}" for w in warnings)])


class ExportWarnings:
    """The strip: hidden until an export has warnings; Dismiss hides it."""

    def __init__(self, window: QMainWindow) -> None:
        self.bar = QToolBar("Export warnings", window)
        self.bar.setObjectName("exportWarnings")
        self.bar.setMovable(False)
        self.bar.setFloatable(False)
        self.bar.setStyleSheet(STRIP_STYLE)
        self.bar.toggleViewAction().setVisible(False)
        self.label = QLabel()
        self.label.setObjectName("exportWarningsText")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.bar.addWidget(self.label)
        self.dismiss = QToolButton()
        self.dismiss.setObjectName("exportWarningsDismiss")
        self.dismiss.setText("Dismiss")
        self.dismiss.clicked.connect(self.clear)
        self.bar.addWidget(self.dismiss)
        window.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.bar)
        self.bar.setVisible(False)

    def show(self, file_name: str, warnings: Sequence[str]) -> None:
        """List the export's warnings, or hide the strip when it had none."""
        if not warnings:
            self.clear()
            return
        self.label.setText(warnings_text(file_name, warnings))
        self.bar.setVisible(True)

    def clear(self) -> None:
        self.label.clear()
        self.bar.setVisible(False)

    @property
    def shown(self) -> bool:
        return not self.bar.isHidden()
