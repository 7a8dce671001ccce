"""The Export PDF… options: which briefing, what changed since its last edition, timeline pages.

The changes section is offered for a briefing with a frozen edition (without one
there is nothing to compare); its choice is remembered for the next export and
the preview. The timeline pages (by length, landscape, portrait) are a setting of
the project, so the command line and colleagues print the same pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from briefing.export.styles import TIMELINE_PAGES
from briefing.services.briefings import BriefingRow

CHANGES_TEXT = "Add “Changes since the previous edition”"
CHANGES_NOTE = (
    "A section after the key judgments listing what was added, removed and changed "
    "since the briefing's latest edition."
)
NO_EDITION = "This briefing has no edition yet: freeze one in the Editions tab to compare with it."


@dataclass(frozen=True)
class ExportOptions:
    briefing_id: int
    changes: bool
    """Print the changes section; False when the briefing has no edition to compare with."""
    pages: str = "auto"
    """Timeline pages: a key of :data:`TIMELINE_PAGES`."""


class ExportOptionsDialog(QDialog):
    """A briefing chooser (when there are several) and the changes section's check box."""

    def __init__(
        self,
        parent: QWidget | None,
        rows: list[BriefingRow],
        current: int | None,
        with_editions: set[int],
        changes: bool,
        pages: str | None = None,
    ) -> None:
        """``pages`` is the current timeline pages choice; None offers none (Word)."""
        super().__init__(parent)
        self.setWindowTitle("Export PDF")
        self._with_editions = with_editions
        self.briefing = QComboBox()
        self.briefing.setObjectName("exportBriefing")
        for row in rows:
            self.briefing.addItem(f"{row.title} ({row.tlp.marking}, {row.status})", row.id)
        self.briefing.setCurrentIndex(max(self.briefing.findData(current), 0))
        self.briefing.currentIndexChanged.connect(lambda _index: self._update_changes())
        self.changes = QCheckBox(CHANGES_TEXT)
        self.changes.setObjectName("exportChanges")
        self.changes.setChecked(changes)
        note = QLabel(CHANGES_NOTE)
        note.setWordWrap(True)
        note.setEnabled(False)
        form = QFormLayout()
        form.addRow("Briefing:", self.briefing)
        if len(rows) == 1:
            self.briefing.setEnabled(False)
        self.pages = QComboBox()
        self.pages.setObjectName("exportPages")
        for key, words in TIMELINE_PAGES.items():
            self.pages.addItem(words, key)
        self.pages.setCurrentIndex(max(self.pages.findData(pages or "auto"), 0))
        if pages is not None:
            form.addRow("Timeline pages:", self.pages)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Choose File…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.changes)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
        self._update_changes()

    @property
    def briefing_id(self) -> int:
        return int(self.briefing.currentData())

    def _update_changes(self) -> None:
        offered = self.briefing_id in self._with_editions
        self.changes.setEnabled(offered)
        self.changes.setToolTip("" if offered else NO_EDITION)

    def options(self) -> ExportOptions:
        wanted = self.changes.isEnabled() and self.changes.isChecked()
        return ExportOptions(self.briefing_id, wanted, str(self.pages.currentData()))


def ask_export_options(
    parent: QWidget | None,
    rows: list[BriefingRow],
    current: int | None,
    with_editions: set[int],
    changes: bool,
    pages: str = "auto",
) -> ExportOptions | None:
    """The briefing, the changes section and the timeline pages; None if cancelled."""
    dialog = ExportOptionsDialog(parent, rows, current, with_editions, changes, pages)
    try:
        return dialog.options() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()
