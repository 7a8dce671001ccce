"""Project text → ReportLab paragraph markup that can only ever mean literal text.

Every string from a project passes through :func:`plain` (or the Markdown
renderer, which escapes the same way) before it reaches a Paragraph, so a
statement holding ``<img src="/etc/passwd"/>`` or ``&`` prints as written.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from briefing.export.fonts import IGNORED_CATEGORIES
from briefing.model.rules import live_link

_ASCII_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")


def _ascii_control(match: re.Match[str]) -> str:
    char = match.group()
    return {"\n": "\n", "\t": " ", "\r": "\n"}.get(char, "")


def clean(text: str) -> str:
    """Normalise to NFC, turn odd spaces into spaces and drop invisible control characters."""
    text = text.replace("\r\n", "\n")
    if text.isascii():
        return _ASCII_CONTROLS.sub(_ascii_control, text)
    kept = []
    for char in unicodedata.normalize("NFC", text):
        if char in "\n\r":
            kept.append("\n")
        elif char.isspace():
            kept.append(" ")
        elif unicodedata.category(char) not in IGNORED_CATEGORIES:
            kept.append(char)
    return "".join(kept)


def plain(text: str) -> str:
    """Literal text as paragraph markup; line breaks are kept."""
    return escape(clean(text)).replace("\n", "<br/>")


def attribute(value: str) -> str:
    """A value for a double-quoted markup attribute."""
    return escape(clean(value), {'"': "&quot;"})


def safe_url(url: str) -> str | None:
    """The URL if it may become a link (:func:`briefing.model.rules.live_link`), else None."""
    url = clean(url).strip()
    return url if live_link(url) else None


def link(url: str, label: str | None = None) -> str:
    """A clickable link for a safe URL; anything else prints as plain text."""
    target = safe_url(url)
    text = plain(label if label is not None else url)
    if target is None:
        return text
    return f'<a href="{attribute(target)}" color="#1F4E79">{text}</a>'


LIMIT = 2000
"""Longest text one Paragraph holds; longer texts are cut, so that a table row split
across pages re-wraps only the piece at the break (100 KB quotes stay fast)."""


def cut_point(text: str, limit: int) -> int:
    """Where to cut ``text`` to keep at most ``limit`` characters: after a sentence or a space.

    Returns 0 when no space falls within the limit.
    """
    window = text[:limit]
    for mark in ("\n", ". ", "; ", ", ", " "):
        at = window.rfind(mark)
        if at >= limit // 2 or (mark == " " and at > 0):
            return at + len(mark)
    return 0


def pieces(text: str, limit: int = LIMIT) -> list[str]:
    """Cleaned text in pieces of at most ``limit`` characters (one piece for most texts)."""
    text = clean(text)
    found = []
    while len(text) > limit:
        at = cut_point(text, limit) or limit
        found.append(text[:at])
        text = text[at:]
    found.append(text)
    return found


class CachedParagraph(Paragraph):
    """A paragraph that remembers its layout for a width.

    A table row split across many pages wraps its cells again on every page;
    unchanged pieces of a long text then cost nothing.
    """

    _wrapped: tuple[float, tuple[float, float]] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        cached = self._wrapped
        if cached is not None and cached[0] == availWidth and "blPara" in self.__dict__:
            return cached[1]
        size = super().wrap(availWidth, availHeight)
        self._wrapped = (availWidth, size)
        return size


def paragraphs(
    text: str, style: ParagraphStyle, before: str = "", after: str = ""
) -> list[Paragraph]:
    """Literal text as one paragraph, or several for a very long text.

    ``before`` and ``after`` are markup put around the whole (e.g. quotation marks).
    """
    parts = pieces(text)
    last = len(parts) - 1
    return [
        CachedParagraph(
            (before if i == 0 else "") + plain(part) + (after if i == last else ""),
            style if i == 0 else _continued(style),
        )
        for i, part in enumerate(parts)
    ]


@cache
def _continued(style: ParagraphStyle) -> ParagraphStyle:
    """The style for the pieces after the first: no space between them."""
    return ParagraphStyle(f"{style.name}-continued", parent=style, spaceBefore=0)
