"""Project text → ReportLab paragraph markup that can only ever mean literal text.

Every string from a project passes through :func:`plain` (or the Markdown
renderer, which escapes the same way) before it reaches a Paragraph, so a
statement holding ``<img src="/etc/passwd"/>`` or ``&`` prints as written.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from functools import cache, lru_cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.fonts import ps2tt
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from briefing.export import lines, scripts
from briefing.export.fonts import (
    IGNORED_CATEGORIES,
    SANS,
    SCRIPT_FONTS,
    font_chain,
    register_fonts,
)
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
    text = unicodedata.normalize("NFC", text)
    if text.replace("\n", "").isprintable():  # no control, format or odd space: nothing to do
        return text
    kept = []
    for char in text:
        if char in "\n\r":
            kept.append("\n")
        elif char.isspace():
            kept.append(" ")
        elif unicodedata.category(char) not in IGNORED_CATEGORIES:
            kept.append(char)
    return "".join(kept)


def _escaped(text: str) -> str:
    return escape(text).replace("\n", "<br/>")


def plain(text: str) -> str:
    """Literal text as paragraph markup; line breaks are kept.

    Runs that the paragraph's own font (DejaVu) cannot draw are put in the shipped
    font that can; a character no font has prints as :data:`scripts.PLACEHOLDER`.
    """
    return literal(clean(text))


def literal(text: str) -> str:
    """Already cleaned text as markup, as :func:`plain` makes it (for the Markdown renderer)."""
    if text.isascii():
        return _escaped(text)
    runs = scripts.font_runs(text, font_chain())
    if any(name != SANS for name, _ in runs):
        register_fonts()  # the paragraph parser must know the family named
    return "".join(
        _escaped(run) if name == SANS else f'<font name="{name}">{_escaped(run)}</font>'
        for name, run in runs
    )


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


LIMIT = 700
"""About the longest text one Paragraph in a table cell holds; longer texts are cut
between sentences, so that a row split across pages re-wraps only the piece at the
break (100 KB quotes stay fast) and a long cell can be continued elsewhere."""

_BREAKS = ("\n", ". ", "! ", "? ", ".” ", "。", "！", "？", "؟ ", "। ")
"""A line break or the end of a sentence (in the scripts the brief sets): where a cut may fall."""


def cut_point(text: str, limit: int) -> int:
    """Where to cut ``text`` near ``limit`` characters: after a line or a sentence.

    A cut falls after the last line break or sentence end within ``limit``, else
    after the first one beyond it (within four times the limit); only a single
    sentence longer than that is cut at a space. Returns 0 when there is no place.
    """
    window = text[:limit]
    before = [at + len(m) for m in _BREAKS if (at := window.rfind(m)) >= 0]
    if before and max(before) >= min(limit // 4, 40):
        return max(before)
    after = [at + len(m) for m in _BREAKS if (at := text.find(m, limit, limit * 4)) >= 0]
    if after:
        return min(after)
    at = window.rfind(" ")
    return at + 1 if at > 0 else 0


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


_FONT_TAG = '<font name="'
_TAGS = re.compile(r'<(/?)(b|strong)>|<font name="([^"]+)">')


def _bold_fallbacks(markup: str, style: Any) -> str:
    """Name the bold face in the font tags :func:`plain` put inside bold text.

    ReportLab's ``<font name=...>`` resets bold to that font's own weight, so a
    word in Arabic inside ``<b>`` (or a bold heading style) would come out regular.
    """
    bold = 1 if style is not None and ps2tt(style.fontName)[1] else 0
    depth = [bold]

    def replace(match: re.Match[str]) -> str:
        closing, tag, name = match.groups()
        if tag:
            if closing:
                if len(depth) > 1:
                    depth.pop()
            else:
                depth.append(1)
            return match.group()
        if depth[-1] and name in _BOLD_FACES:
            return f'<font name="{_BOLD_FACES[name]}">'
        return match.group()

    return _TAGS.sub(replace, markup)


_BOLD_FACES = {font.family: f"{font.family}-Bold" for font in SCRIPT_FONTS if font.bold}


_HEX_COLOUR = 'color="#'
_HEX = re.compile(r'color="#([0-9A-Fa-f]{6})"')


@cache
def _css_rgb(hex_digits: str) -> str:
    red, green, blue = (int(hex_digits[i : i + 2], 16) for i in (0, 2, 4))
    return f'color="rgb({red},{green},{blue})"'


def _css_colour(match: re.Match[str]) -> str:
    """A markup colour as ``rgb(…)``: ReportLab reads that form at once, a ``#`` one slowly."""
    return _css_rgb(match.group(1))


@lru_cache(maxsize=4096)
def _parsed(markup: str, style: ParagraphStyle) -> tuple[ParagraphStyle, tuple[Any, ...]]:
    """The parsed fragments of ``markup``, once per text and style.

    A long timeline repeats the same cells (the parties, a status, a claim's
    attribution) a thousand times; parsing their markup was a sixth of the export.
    Each paragraph gets its own copies of the fragments.
    """
    probe = Paragraph(markup, style)
    return probe.style, tuple(probe.frags)


class CachedParagraph(Paragraph):
    """A paragraph that remembers its layout for a width, and lays out every script.

    A table row split across many pages wraps its cells again on every page;
    unchanged pieces of a long text then cost nothing. A paragraph holding
    text that needs shaping or reads right to left is laid out by
    :mod:`briefing.export.lines` (aligned right when its text is right to left);
    ``direction`` ("rtl"/"ltr") overrides the direction found from the text.
    """

    _wrapped: tuple[float, tuple[float, float]] | None = None
    _layout: lines.Layout | None = None
    _pieces: list[lines.Piece | None] | None = None
    _fixed = False
    _last_width: float | None = None
    """The width of the last :meth:`wrap`, which :meth:`split` keeps."""

    def __init__(self, text: Any, style: Any = None, *args: Any, direction: str | None = None,
                 **kwargs: Any) -> None:  # fmt: skip
        if isinstance(text, str) and _FONT_TAG in text:
            text = _bold_fallbacks(text, style)
        if isinstance(text, str) and _HEX_COLOUR in text:
            text = _HEX.sub(_css_colour, text)
        if isinstance(text, str) and style is not None and not args and not kwargs:
            parsed_style, frags = _parsed(text, style)
            super().__init__(text, parsed_style, frags=[copy.copy(f) for f in frags])
        else:
            super().__init__(text, style, *args, **kwargs)
        source = "".join(getattr(f, "text", "") for f in self.frags)
        self._complex = scripts.is_complex(source)
        if self._complex:
            self._rtl = (direction or scripts.base_direction(source)) == "rtl"
            self._logical = list(self.frags)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self._last_width = availWidth
        if self._complex:
            return self._wrap_lines(availWidth)
        cached = self._wrapped
        if cached is not None and cached[0] == availWidth and "blPara" in self.__dict__:
            return cached[1]
        size = super().wrap(availWidth, availHeight)
        self._wrapped = (availWidth, size)
        return size

    def _wrap_lines(self, width: float) -> tuple[float, float]:
        st = self.style
        if not self._fixed and (self._layout is None or self._layout.width != width):
            inner = width - st.leftIndent - st.rightIndent
            self._layout = lines.layout(self.shaped(), [inner - st.firstLineIndent, inner])
            self._layout.width = width
        assert self._layout is not None
        self.width, self.height = width, len(self._layout.lines) * st.leading
        return self.width, self.height

    def shaped(self) -> list[lines.Piece | None]:
        """The text shaped into measured pieces, once.

        Used for every width it is laid out at, and for the width of its table
        column (:mod:`briefing.export.column_widths`).
        """
        if self._pieces is None:
            self._pieces = lines.pieces(self._logical, self._rtl)
        return self._pieces

    def minWidth(self) -> float:
        return 0.0 if self._complex else super().minWidth()

    def split(self, availWidth: float, availHeight: float) -> list[Any]:  # noqa: N803
        # A table splitting a row across pages (ReportLab's Table._splitCell) passes its
        # column's whole width, padding included, where it wrapped the cell at the width
        # inside the padding: the parts keep the width the paragraph was wrapped to.
        if self._last_width is not None:
            availWidth = self._last_width  # noqa: N806
        if not self._complex:
            return super().split(availWidth, availHeight)
        self._wrap_lines(availWidth)
        assert self._layout is not None
        fit = int((availHeight + 1e-6) // self.style.leading)
        if fit >= len(self._layout.lines):
            return [self]
        if fit <= 0:
            return []
        return [self._part(self._layout.lines[:fit]), self._part(self._layout.lines[fit:])]

    def _part(self, part: list[list[lines.Piece]]) -> CachedParagraph:
        clone = copy.copy(self)
        clone.__dict__.pop("_postponed", None)  # a part is new to the page flow, as ReportLab's are
        clone._layout = lines.Layout(part, self.width)
        clone._fixed = True
        return clone

    def draw(self) -> None:
        if not self._complex:
            super().draw()
            return
        assert self._layout is not None
        lines.draw(self.canv, self._layout, self.style, self._rtl, self.height)
        if self.bulletText and not self._fixed:
            st = self.style
            self.canv.setFont(st.bulletFontName, st.bulletFontSize)
            x = self.width - st.bulletIndent if self._rtl else st.bulletIndent
            draw_at = self.canv.drawRightString if self._rtl else self.canv.drawString
            draw_at(x, self.height - st.fontSize, self.bulletText)


def paragraphs(
    text: str, style: ParagraphStyle, before: str = "", after: str = ""
) -> list[Paragraph]:
    """Literal text as one paragraph, or several for a very long text.

    ``before`` and ``after`` are markup put around the whole (e.g. quotation marks).
    """
    parts = pieces(text)
    last = len(parts) - 1
    direction = scripts.base_direction(text)
    return [
        CachedParagraph(
            (before if i == 0 else "") + plain(part) + (after if i == last else ""),
            style if i == 0 else _continued(style),
            direction=direction,
        )
        for i, part in enumerate(parts)
    ]


@cache
def _continued(style: ParagraphStyle) -> ParagraphStyle:
    """The style for the pieces after the first: no space between them."""
    return ParagraphStyle(f"{style.name}-continued", parent=style, spaceBefore=0)
