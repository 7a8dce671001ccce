"""Markdown text shown formatted, and as its Markdown while the analyst edits it.

The bottom line and a section's prose are written in Markdown; reading them with
their ``**`` and ``-`` marks is hard, so the field shows the formatted text until
the analyst clicks it, presses Enter or Tabs into it, and formats it again when
they leave (which also saves it). Raw HTML in the text is shown as text.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QTextDocument
from PySide6.QtWidgets import QStackedWidget, QTextBrowser, QWidget

from briefing.gui.composer.text_edit import CommittingTextEdit
from briefing.services.stamps import Stamp

EDIT_HINT = "Click, or press Enter, to edit the Markdown"


class _Formatted(QTextBrowser):
    """The formatted text; taking the focus asks for the editor."""

    editWanted = Signal()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.editWanted.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2):
            self.editWanted.emit()
            return
        super().keyPressEvent(event)


class _Editor(CommittingTextEdit):
    left = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)  # saves
        if event.reason() != Qt.FocusReason.PopupFocusReason:  # a context menu is not leaving
            self.left.emit()


class FormattedTextEdit(QStackedWidget):
    """A Markdown field: formatted while read, its Markdown while edited; saves as it goes."""

    committed = Signal(str)
    setAside = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.formatted = _Formatted()
        self.formatted.setObjectName("formattedText")
        self.formatted.setOpenLinks(False)
        self.formatted.setToolTip(EDIT_HINT)
        self.formatted.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.editor = _Editor()
        self.addWidget(self.formatted)
        self.addWidget(self.editor)
        self.formatted.editWanted.connect(self.start_editing)
        self.editor.committed.connect(self.committed)
        self.editor.setAside.connect(self.setAside)
        self.editor.left.connect(self.show_formatted)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFocusProxy(self.formatted)

    # ------------------------------------------------------------------ the editor's interface

    @property
    def pending(self) -> bool:
        return self.editor.pending

    @property
    def seen(self) -> Stamp:
        """The stamp the saved text was read with (see :class:`CommittingTextEdit`)."""
        return self.editor.seen

    def set_saved_text(self, text: str, force: bool = False, seen: Stamp = None) -> None:
        self.editor.set_saved_text(text, force, seen)
        if self.currentWidget() is self.formatted or force:
            self._format(self.editor.toPlainText())

    def commit(self) -> None:
        self.editor.commit()

    def toPlainText(self) -> str:
        return self.editor.toPlainText()

    def setPlaceholderText(self, text: str) -> None:
        self.editor.setPlaceholderText(text)
        self.formatted.setPlaceholderText(text)

    def setReadOnly(self, read_only: bool) -> None:
        self.editor.setReadOnly(read_only)

    def isReadOnly(self) -> bool:
        return self.editor.isReadOnly()

    # ------------------------------------------------------------------ modes

    @property
    def editing(self) -> bool:
        return self.currentWidget() is self.editor

    def start_editing(self) -> None:
        """Show the Markdown, the cursor where it was, ready to type."""
        if self.isReadOnly():
            return
        self.formatted.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Shift+Tab leaves, not loops
        self.setFocusProxy(self.editor)
        self.setCurrentWidget(self.editor)
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_formatted(self) -> None:
        self._format(self.editor.toPlainText())
        self.setFocusProxy(self.formatted)
        self.setCurrentWidget(self.formatted)
        self.formatted.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def _format(self, text: str) -> None:
        document = self.formatted.document()
        document.setMarkdown(text, QTextDocument.MarkdownFeature.MarkdownNoHTML)

    def formatted_text(self) -> str:
        """The text as shown formatted, without its Markdown marks (for tests and tips)."""
        return self.formatted.toPlainText()
