"""The start page: what the window shows with no project open."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from briefing.gui.plain_tip import plain_tip

if TYPE_CHECKING:
    from briefing.gui.main_window import MainWindow


class StartPage(QWidget):
    """What the window shows with no project open: start something or pick a recent file."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.window_ = window
        title = QLabel("<h2>Conflict Briefing</h2>"
                       "<p>Assemble briefings from timeline entries, statements and alliance "
                       "context kept in one project file. Every change is saved as you make it."
                       "</p>")  # fmt: skip
        title.setWordWrap(True)
        buttons = QHBoxLayout()
        for text, slot in (
            ("Open the Demo Project", window.open_demo),
            ("New Project…", window.new_project),
            ("Open Project…", window.open_project_dialog),
        ):
            button = QPushButton(text)
            button.clicked.connect(lambda checked=False, s=slot: s())
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.recent = QListWidget()
        self.recent.setObjectName("recentProjects")
        self.recent.itemActivated.connect(self._on_recent)
        self.recent.setMaximumHeight(self.recent.fontMetrics().lineSpacing() * 12)
        column = QWidget()
        column.setMaximumWidth(760)
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addLayout(buttons)
        layout.addSpacing(16)
        layout.addWidget(QLabel("<b>Recent projects</b> (double-click to open)"))
        layout.addWidget(self.recent)
        layout.addStretch(1)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(40, 32, 40, 32)
        outer.addWidget(column, 1)
        outer.addStretch(0)

    def refresh(self, recent: list[Path]) -> None:
        self.recent.clear()
        for path in recent:
            item = QListWidgetItem(f"{path.name}    {path.parent}")
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setToolTip(plain_tip(str(path)))
            self.recent.addItem(item)

    def _on_recent(self, item: QListWidgetItem) -> None:
        self.window_.open_path(Path(item.data(Qt.ItemDataRole.UserRole)))
