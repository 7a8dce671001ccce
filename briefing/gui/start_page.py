"""The start page (no project open) and the project overview tab of the workspace."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from briefing.gui.document import ProjectDocument
from briefing.services.overview import summarise

if TYPE_CHECKING:
    from briefing.gui.main_window import MainWindow

KIND_TITLES = {
    "entry": "Timeline entries",
    "statement": "Statements",
    "relationship": "Relationships",
    "party": "Parties",
    "source": "Sources",
    "briefing": "Briefings",
}


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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 32, 40, 32)
        layout.addWidget(title)
        layout.addLayout(buttons)
        layout.addSpacing(16)
        layout.addWidget(QLabel("<b>Recent projects</b>"))
        layout.addWidget(self.recent, 1)

    def refresh(self, recent: list[Path]) -> None:
        self.recent.clear()
        for path in recent:
            item = QListWidgetItem(f"{path.name}    {path.parent}")
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setToolTip(str(path))
            self.recent.addItem(item)

    def _on_recent(self, item: QListWidgetItem) -> None:
        self.window_.open_path(Path(item.data(Qt.ItemDataRole.UserRole)))


class ProjectOverview(QTextBrowser):
    """The project at a glance: its title, file, what it holds, and its briefings."""

    recordActivated = Signal(str, int)

    def __init__(self, document: ProjectDocument) -> None:
        super().__init__()
        self.setObjectName("projectOverview")
        self.document = document
        self.setOpenLinks(False)
        self.anchorClicked.connect(self._on_link)
        self.refresh()

    def refresh(self) -> None:
        if self.document.project.closed:
            return
        summary = summarise(self.document.project)
        project = self.document.project
        rows = "".join(
            f"<tr><td>{KIND_TITLES[kind]}</td><td align='right'>&nbsp;&nbsp;{count:,}</td></tr>"
            for kind, count in summary.counts.items()
        )
        briefings = (
            "".join(
                f"<li><a href='briefing:{b.id}'>{escape(b.title)}</a> — TLP:{escape(b.tlp)}, "
                f"{escape(b.status)}</li>"
                for b in summary.briefings
            )
            or "<li>None yet.</li>"
        )
        state = "read-only" if project.read_only else "every change is saved as you make it"
        self.setHtml(
            f"<h2>{escape(summary.title)}</h2>"
            f"<p>{escape(str(project.path))}<br>File format {summary.schema_version}; {state}; "
            f"editing as {escape(project.analyst or 'unknown')}.</p>"
            f"<h3>Library</h3><table>{rows}</table>"
            f"<h3>Briefings</h3><ul>{briefings}</ul>"
        )

    def _on_link(self, url: QUrl) -> None:
        kind, _, number = url.toString().partition(":")
        if number.isdigit():
            self.recordActivated.emit(kind, int(number))
