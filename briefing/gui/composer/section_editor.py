"""The heading and Markdown prose of the section chosen in the outline, edited in place."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from briefing.gui.composer.formatted_text import FormattedTextEdit
from briefing.services.briefings import OutlineSection
from briefing.services.stamps import Stamp

MARKDOWN_HINT = "Markdown: *italic*, **bold**, - list items, blank line between paragraphs."


class SectionEditor(QWidget):
    """Announces edits with their section's UUID, so a move cannot misplace them."""

    headingEdited = Signal(str, str)
    """(section UUID, heading)."""
    bodyEdited = Signal(str, str)
    """(section UUID, Markdown text)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._uuid = ""
        self._heading_saved = ""
        self.title = QLabel("Section")
        self.heading = QLineEdit()
        self.heading.setPlaceholderText("Section heading")
        self.body = FormattedTextEdit()
        self.body.setPlaceholderText("What this section says, in Markdown.")
        hint = QLabel(MARKDOWN_HINT)
        hint.setWordWrap(True)
        hint.setEnabled(False)
        self.heading.editingFinished.connect(self._on_heading)
        self.body.committed.connect(lambda text: self.bodyEdited.emit(self._uuid, text))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.heading)
        layout.addWidget(self.body, 1)
        layout.addWidget(hint)
        self.show_section(None)

    @property
    def section_uuid(self) -> str:
        return self._uuid

    def show_section(
        self, section: OutlineSection | None, force: bool = False, seen: Stamp = None
    ) -> None:
        """Show a section; a different section first saves what was typed into the last one."""
        if section is None or section.uuid != self._uuid:
            self.commit()
            force = True
        self._uuid = section.uuid if section else ""
        self.setEnabled(section is not None)
        self.title.setText("Section text" if section else "Choose a section in the outline")
        heading = section.heading if section else ""
        if force or not self.heading.hasFocus():
            self.heading.setText(heading)
        self._heading_saved = heading
        self.body.set_saved_text(section.body if section else "", force=force, seen=seen)

    def commit(self) -> None:
        """Save pending text now (before another action or before the section changes)."""
        self.body.commit()
        if self.heading.text().strip() and self.heading.text() != self._heading_saved:
            self._on_heading()

    def set_read_only(self, read_only: bool) -> None:
        self.heading.setReadOnly(read_only)
        self.body.setReadOnly(read_only)

    def _on_heading(self) -> None:
        text = self.heading.text().strip()
        if self._uuid and text != self._heading_saved:
            self._heading_saved = text
            self.headingEdited.emit(self._uuid, text)
