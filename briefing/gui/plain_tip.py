"""Tooltips that show text as it was written, never as markup.

Qt shows a tooltip as rich text when its first line looks like markup (a tag
such as ``<b>``): a record titled ``Shelling <b>near</b> Sotk`` showed "near" in
bold and hid the tags, and a title could restyle or hide its own tooltip. Every
tooltip built from text that a user, a file or another program wrote goes
through :func:`plain_tip`, which escapes it and keeps its line breaks and spaces.
"""

from __future__ import annotations

from html import escape

LONGEST_TIP = 2000
"""Characters a tooltip shows at most; a tooltip is for a glance, the inspector holds the rest."""


def plain_tip(text: str | None) -> str:
    """``text`` as a tooltip Qt shows character for character (empty for no tooltip)."""
    if not text:
        return ""
    if len(text) > LONGEST_TIP:
        text = text[:LONGEST_TIP] + "…"
    lines = escape(text, quote=False).splitlines() or [""]
    return "<p style='white-space:pre-wrap'>" + "<br>".join(lines) + "</p>"
