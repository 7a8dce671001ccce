"""Project text → ReportLab paragraph markup that can only ever mean literal text.

Every string from a project passes through :func:`plain` (or the Markdown
renderer, which escapes the same way) before it reaches a Paragraph, so a
statement holding ``<img src="/etc/passwd"/>`` or ``&`` prints as written.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from briefing.export.fonts import IGNORED_CATEGORIES

SAFE_SCHEMES = {"http", "https", "mailto"}
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
    """The URL if it may become a link (http, https, mailto), else None: no file, no script."""
    url = clean(url).strip()
    if not url or any(c.isspace() for c in url):
        return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in SAFE_SCHEMES else None


def link(url: str, label: str | None = None) -> str:
    """A clickable link for a safe URL; anything else prints as plain text."""
    target = safe_url(url)
    text = plain(label if label is not None else url)
    if target is None:
        return text
    return f'<a href="{attribute(target)}" color="#1F4E79">{text}</a>'
