"""The Editions tab: a briefing's frozen editions, freezing the next one, and what changed.

The first row of the list is the current draft, showing what changed since the
latest edition (what freezing now would record); each edition row shows what
that edition changed since the one before it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from briefing.errors import BriefingError
from briefing.gui.document import ProjectDocument
from briefing.gui.sharing.changes_tree import ChangesTree
from briefing.gui.sharing.commands import push_freeze
from briefing.services.briefings import list_briefings
from briefing.services.editions import EditionDiff, EditionInfo, edition_changes, list_editions
from briefing.services.records import Change

NUMBER_ROLE = Qt.ItemDataRole.UserRole + 1
DRAFT = 0
"""The number role of the current draft's row."""


def frozen_text(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC"


def edition_heading(diff: EditionDiff, editions: dict[int, EditionInfo]) -> str:
    """What the change list below shows, in a sentence."""
    if diff.old_number is None:
        if diff.new_number is None:
            return "No edition yet. Freezing the briefing now makes edition 1 of all of this:"
        return f"Edition {diff.new_number} is the first: everything in it was new."
    old = editions.get(diff.old_number)
    frozen = f" (frozen {frozen_text(old.frozen_at)} by {old.frozen_by})" if old else ""
    if diff.new_number is None:
        return f"Changes in the current draft since edition {diff.old_number}{frozen}:"
    return f"Changes in edition {diff.new_number} since edition {diff.old_number}{frozen}:"


class EditionsPanel(QWidget):
    """Editions of one briefing, following the briefing open in the composer when shown."""

    def __init__(
        self,
        document: ProjectDocument,
        open_briefing: Callable[[], int | None] = lambda: None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("editionsPanel")
        self.document = document
        self._open_briefing = open_briefing
        self._editions: dict[int, EditionInfo] = {}
        self._titles: dict[int, str] = {}
        self._next_number = 1
        self._stale = True
        self._build()
        document.changed.connect(self._on_changed)
        document.reloaded.connect(self._on_changed)

    def _build(self) -> None:
        self.briefings = QComboBox()
        self.briefings.setObjectName("editionBriefing")
        self.briefings.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.briefings.setMinimumContentsLength(12)  # takes the row's room; long titles elide
        self.briefings.activated.connect(lambda _index: self.refresh())
        self.freeze_button = QPushButton("Freeze as Edition 1")
        self.freeze_button.setObjectName("freezeEdition")
        self.freeze_button.clicked.connect(self.freeze)
        top = QHBoxLayout()
        top.addWidget(QLabel("Briefing:"))
        top.addWidget(self.briefings, 1)
        top.addWidget(self.freeze_button)
        self.list = QTreeWidget()
        self.list.setObjectName("editionList")
        self.list.setHeaderLabels(["Edition", "Frozen", "By"])
        self.list.setRootIsDecorated(False)
        self.list.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.list.currentItemChanged.connect(lambda *_: self._show_changes())
        self.heading = QLabel()
        self.heading.setObjectName("editionHeading")
        self.heading.setWordWrap(True)
        self.changes = ChangesTree()
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.heading)
        right_layout.addWidget(self.changes, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)  # the workspace is often narrow
        splitter.addWidget(self.list)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([130, 600])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

    # ------------------------------------------------------------------ showing

    @property
    def briefing_id(self) -> int | None:
        data = self.briefings.currentData()
        return int(data) if data is not None else None

    def show_briefing(self, briefing_id: int | None) -> None:
        """Show the editions of this briefing (the composer's, when the tab is shown)."""
        index = self.briefings.findData(briefing_id)
        if index >= 0 and index != self.briefings.currentIndex():
            self.briefings.setCurrentIndex(index)
            self._stale = True
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fill_briefings()
        wanted = self._open_briefing()
        if wanted is not None and wanted != self.briefing_id:
            self.show_briefing(wanted)
        elif self._stale:
            self.refresh()

    def _on_changed(self, change: Change | None = None) -> None:
        self._stale = True
        if self.isVisible():
            self.refresh()

    def _fill_briefings(self) -> None:
        if self.document.project.closed:
            return
        current = self.briefing_id
        rows = list_briefings(self.document.project)
        self.briefings.blockSignals(True)
        self.briefings.clear()
        self._titles = {row.id: row.title for row in rows}
        for row in rows:
            self.briefings.addItem(f"{row.title} ({row.tlp.marking})", row.id)
        index = self.briefings.findData(current)
        self.briefings.setCurrentIndex(index if index >= 0 else 0 if rows else -1)
        self.briefings.blockSignals(False)

    def refresh(self) -> None:
        """Read the briefing's editions again and show the selected row's changes."""
        if self.document.project.closed:
            return
        self._stale = False
        self._fill_briefings()
        chosen = self.list.currentItem()
        keep = chosen.data(0, NUMBER_ROLE) if chosen is not None else DRAFT
        self.list.blockSignals(True)
        self.list.clear()
        briefing_id = self.briefing_id
        editions = list_editions(self.document.project, briefing_id) if briefing_id else []
        self._editions = {e.number: e for e in editions}
        self._next_number = max(self._editions, default=0) + 1
        draft = QTreeWidgetItem(["Current draft", "not frozen", ""])
        draft.setData(0, NUMBER_ROLE, DRAFT)
        self.list.addTopLevelItem(draft)
        for edition in reversed(editions):
            row = QTreeWidgetItem(
                [f"Edition {edition.number}", frozen_text(edition.frozen_at), edition.frozen_by]
            )
            row.setData(0, NUMBER_ROLE, edition.number)
            self.list.addTopLevelItem(row)
        rows = [self.list.topLevelItem(i) for i in range(self.list.topLevelItemCount())]
        kept = [row for row in rows if row is not None and row.data(0, NUMBER_ROLE) == keep]
        self.list.setCurrentItem(kept[0] if kept else draft)
        self.list.blockSignals(False)
        self._show_changes()

    def _show_changes(self) -> None:
        briefing_id = self.briefing_id
        item = self.list.currentItem()
        if briefing_id is None or item is None:
            self.heading.setText("This project holds no briefing.")
            self.changes.show_diff(None)
            self._update_freeze(None)
            return
        number = item.data(0, NUMBER_ROLE) or None
        try:
            diff = edition_changes(self.document.project, briefing_id, number)
            draft = diff if number is None else edition_changes(self.document.project, briefing_id)
        except (BriefingError, SQLAlchemyError) as error:
            self.heading.setText(str(error) if isinstance(error, BriefingError) else "")
            self.changes.show_diff(None)
            self._update_freeze(None)
            return
        self.heading.setText(edition_heading(diff, self._editions))
        self.changes.show_diff(diff)
        self._update_freeze(draft)

    def _update_freeze(self, draft: EditionDiff | None) -> None:
        number = self._next_number
        self.freeze_button.setText(f"Freeze as Edition {number}")
        unchanged = draft is not None and draft.is_empty and number > 1
        self.freeze_button.setEnabled(
            draft is not None and not unchanged and not self.document.read_only
        )
        self.freeze_button.setToolTip(
            f"Nothing changed since edition {number - 1}."
            if unchanged
            else f"Keep the briefing as it stands now as edition {number}; Edit ▸ Undo removes it."
        )

    # ------------------------------------------------------------------ freezing

    def freeze(self) -> EditionInfo | None:
        """Freeze the briefing as its next edition: one undo step."""
        briefing_id = self.briefing_id
        if briefing_id is None:
            return None
        edition = push_freeze(self.document, briefing_id, self._titles.get(briefing_id, ""))
        if self._stale:  # not shown: ``changed`` only marked the list as out of date
            self.refresh()
        return edition
