"""Markdown prose → ReportLab flowables, parsed by markdown-it-py with raw HTML disabled.

Only the structure Markdown describes becomes markup (bold, italic, lists,
links, headings, quotes, code); every piece of text is escaped, links other
than http(s) and mailto print as text, and images print as their description.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.flowables import HRFlowable

from briefing.export.fonts import CONDENSED
from briefing.export.styles import LINK, RULE, Styles
from briefing.export.text import (
    LIMIT,
    CachedParagraph,
    attribute,
    clean,
    cut_point,
    literal,
    paragraphs,
    safe_url,
)

_PARSER = MarkdownIt("commonmark", {"html": False})
_INDENT = 13.0
_OPEN = {"strong_open": ("<b>", "</b>"), "em_open": ("<i>", "</i>")}
_CLOSE = {"strong_close", "em_close"}


class _Markup:
    """Paragraph markup being built, cut into pieces of about ``LIMIT`` characters of text.

    At a cut, open tags are closed and reopened in the next piece, so each piece is
    well-formed markup on its own.
    """

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.parts: list[str] = []
        self.open: list[tuple[str, str]] = []
        self.size = 0

    def tag(self, opener: str, closer: str) -> None:
        self.parts.append(opener)
        self.open.append((opener, closer))

    def close(self) -> None:
        self.parts.append(self.open.pop()[1])

    def text(self, text: str) -> None:
        while self.size + len(text) > LIMIT:
            at = cut_point(text, LIMIT - self.size)
            if at == 0 and self.size == 0:
                at = LIMIT
            self.parts.append(literal(text[:at]))
            self.cut()
            text = text[at:]
        self.parts.append(literal(text))
        self.size += len(text)

    def cut(self) -> None:
        closers = "".join(closer for _, closer in reversed(self.open))
        self.pieces.append("".join(self.parts) + closers)
        self.parts = [opener for opener, _ in self.open]
        self.size = 0

    def finish(self) -> list[str]:
        self.cut()
        return self.pieces


def inline_markup(children: list[Token]) -> list[str]:
    """Paragraph markup for one inline run, in pieces; text is escaped, links are checked."""
    markup = _Markup()
    links: list[bool] = []
    for token in children:
        kind = token.type
        if kind in _OPEN:
            markup.tag(*_OPEN[kind])
        elif kind in _CLOSE or (kind == "link_close" and links.pop()):
            markup.close()
        elif kind == "link_open":
            target = safe_url(str(token.attrGet("href") or ""))
            links.append(target is not None)
            if target is not None:
                markup.tag(f'<a href="{attribute(target)}" color="{LINK}">', "</a>")
        elif kind in ("softbreak", "hardbreak"):
            markup.parts.append(" " if kind == "softbreak" else "<br/>")
        elif kind == "code_inline":
            markup.tag(f'<font face="{CONDENSED}">', "</font>")
            markup.text(token.content)
            markup.close()
        elif kind == "image":
            markup.text(f"[image: {token.content or 'no description'}]")
        elif kind != "link_close":
            markup.text(token.content)
    return markup.finish()


@dataclass
class _State:
    """Where the walk is: open lists (next number, or None for bullets) and quote depth."""

    lists: list[int | None] = field(default_factory=list)
    bullet: str | None = None
    quotes: int = 0
    heading: bool = False


@cache
def _nested(base: ParagraphStyle, depth: int, quotes: int) -> ParagraphStyle:
    indent = _INDENT * (depth + quotes)
    return ParagraphStyle(
        f"{base.name}-{depth}-{quotes}",
        parent=base,
        leftIndent=indent,
        bulletIndent=max(indent - _INDENT + 2, 0),
    )


def markdown_flowables(source: str, st: Styles) -> list[Flowable]:
    """Flowables for a Markdown text (BLUF, section bodies)."""
    state = _State()
    flowables: list[Flowable] = []
    for token in _PARSER.parse(clean(source)):
        flowables += _block(token, state, st)
    return flowables


def _block(token: Token, state: _State, st: Styles) -> list[Flowable]:
    kind = token.type
    if kind == "bullet_list_open":
        state.lists.append(None)
    elif kind == "ordered_list_open":
        state.lists.append(int(str(token.attrGet("start") or 1)))
    elif kind in ("bullet_list_close", "ordered_list_close"):
        state.lists.pop()
    elif kind == "list_item_open":
        number = state.lists[-1]
        state.bullet = "•" if number is None else f"{number}."
        if number is not None:
            state.lists[-1] = number + 1
    elif kind == "blockquote_open":
        state.quotes += 1
    elif kind == "blockquote_close":
        state.quotes -= 1
    elif kind in ("heading_open", "heading_close"):
        state.heading = kind == "heading_open"
    elif kind == "inline":
        return [_paragraph(m, state, st) for m in inline_markup(token.children or [])]
    elif kind in ("fence", "code_block"):
        return list(paragraphs(token.content.rstrip("\n"), _nested(st.code, 0, state.quotes)))
    elif kind == "hr":
        return [HRFlowable(width="100%", thickness=0.5, color=RULE, spaceBefore=4, spaceAfter=6)]
    return []


def _paragraph(markup: str, state: _State, st: Styles) -> Paragraph:
    if state.heading:
        return CachedParagraph(markup, st.subheading)
    if state.lists:
        bullet, state.bullet = state.bullet, None
        style = _nested(st.bullet, len(state.lists), state.quotes)
        return CachedParagraph(markup, style, bulletText=bullet)
    base = st.quote if state.quotes else st.body
    return CachedParagraph(markup, _nested(base, 0, max(state.quotes - 1, 0)))
