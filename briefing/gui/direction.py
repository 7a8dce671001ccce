"""Text boxes that read right to left when their text does (Arabic, Hebrew, Persian…)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit

from briefing.export.scripts import base_direction


def follow_direction(edit: QPlainTextEdit) -> None:
    """Lay the text out right to left, aligned right, when its first letter is right to left.

    Qt reorders the letters of each line by itself but keeps a plain-text box
    aligned left; call this whenever the text changes.
    """
    rtl = base_direction(edit.toPlainText()) == "rtl"
    option = edit.document().defaultTextOption()
    wanted = Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
    if option.textDirection() != wanted:
        option.setTextDirection(wanted)
        option.setAlignment(Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft)
        edit.document().setDefaultTextOption(option)
