"""A plain-text editor that saves by itself: on leaving the field or after a pause in typing.

Each save is one action, so one undo step, rather than one step per keystroke;
the editor's own Ctrl+Z still undoes typing that has not been saved yet.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QFocusEvent, QGuiApplication
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from briefing.gui.direction import follow_direction
from briefing.gui.text_wrap import fit_wrapping
from briefing.services.stamps import Stamp

PAUSE_MS = 1500


class CommittingTextEdit(QPlainTextEdit):
    """Emits ``committed(text)`` when the user's text differs from the last saved text."""

    committed = Signal(str)
    setAside = Signal(str)
    """The analyst's own text, refused and replaced by what is stored, went to the clipboard."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._saved = ""
        self._refusable = ""
        """The text last sent to be saved, until the project's text is shown again."""
        self.seen: Stamp = None
        """What the saved text was read with (the record's stamp): typing pending when a
        colleague's version arrives keeps the older one, so saving it is refused."""
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(PAUSE_MS)
        self._pause.timeout.connect(self.commit)
        self.textChanged.connect(self._on_text_changed)
        self.textChanged.connect(lambda: follow_direction(self))
        self.setTabChangesFocus(True)

    @property
    def pending(self) -> bool:
        """Whether the user typed something not yet saved."""
        return self.toPlainText() != self._saved

    def set_saved_text(self, text: str, force: bool = False, seen: Stamp = None) -> None:
        """Show text from the project, unless the user is in the middle of changing it."""
        if self.pending and self.hasFocus() and not force:
            return
        own = self.toPlainText()
        if force and own.strip() and own != text and (self.pending or own == self._refusable):
            QGuiApplication.clipboard().setText(own)  # refused, never silently lost
            self.setAside.emit(own)
        self._refusable = ""
        self._saved = text
        self.seen = seen
        if self.toPlainText() != text:
            self.blockSignals(True)
            fit_wrapping(self, text)
            self.setPlainText(text)
            self.blockSignals(False)
            follow_direction(self)
        self._pause.stop()

    def commit(self) -> None:
        self._pause.stop()
        if self.pending and not self.isReadOnly():
            self._saved = self._refusable = self.toPlainText()
            self.committed.emit(self._saved)

    def _on_text_changed(self) -> None:
        self._pause.start()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.commit()
        super().focusOutEvent(event)
