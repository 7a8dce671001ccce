"""A sentence for the status bar of whatever window holds a widget.

Forms deep inside docks and tabs say what they did (a zone change kept the clock
time) without each being wired to the main window.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow, QWidget

NOTE_MS = 10000


def say(widget: QWidget, message: str) -> None:
    """Show ``message`` in the status bar of ``widget``'s main window, if it has one."""
    holder = widget.window()
    while holder is not None and not isinstance(holder, QMainWindow):
        parent = holder.parentWidget()
        holder = parent.window() if parent is not None else None
    if holder is not None:
        holder.statusBar().showMessage(message, NOTE_MS)


def kept_clock_note(wall: str, zone: str, utc: str) -> str:
    """The one sentence every zone change says: the typed clock time stays, the instant moves."""
    return f"Zone now {zone}: the clock time {wall} is kept, which is {utc} UTC."
