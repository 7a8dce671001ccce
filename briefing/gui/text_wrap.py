"""Wrapping long text in editors without stalling the window.

Qt wraps a line at word boundaries; a word longer than the editor is wide is
laid out again and again, which grows with the square of its length (a
100,000-character description without a space took a minute and a half).
Text holding such a word is shown unwrapped, with a horizontal scroll bar.
"""

from __future__ import annotations

import re

from PySide6.QtWidgets import QPlainTextEdit

LONGEST_WRAPPED_WORD = 300
"""Characters in one unbroken word beyond which an editor stops wrapping."""

_LONG_WORD = re.compile(rf"\S{{{LONGEST_WRAPPED_WORD + 1}}}")


def has_long_word(text: str) -> bool:
    """Whether the text holds a word too long to wrap quickly (one pass over the text)."""
    return _LONG_WORD.search(text) is not None


def fit_wrapping(edit: QPlainTextEdit, text: str) -> None:
    """Before ``text`` is shown: wrap at the editor's width, unless it holds a word too long.

    The editor is emptied first when the mode changes, so that the text it held is
    not laid out again in the new mode (wrapping a long word is what is slow).
    """
    mode = (
        QPlainTextEdit.LineWrapMode.NoWrap
        if has_long_word(text)
        else QPlainTextEdit.LineWrapMode.WidgetWidth
    )
    if edit.lineWrapMode() != mode:
        edit.clear()
        edit.setLineWrapMode(mode)
