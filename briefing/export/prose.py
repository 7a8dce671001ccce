"""Markdown prose → ReportLab flowables, parsed by markdown-it-py with raw HTML disabled.

Only the structure Markdown describes becomes markup (bold, italic, lists,
links, headings, quotes, code); every piece of text is escaped, links other
than http(s) and mailto print as text, and images print as their description.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from xml.sax.saxutils import escape

from markdown_it import MarkdownIt
from markdown_it.token import Token
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.flowables import HRFlowable

from briefing.export.fonts import CONDENSED
from briefing.export.styles import LINK, RULE, Styles
from briefing.export.text import attribute, clean, plain, safe_url

_PARSER = MarkdownIt("commonmark", {"html": False})
_INDENT = 13.0
_TAGS = {
    "strong_open": "<b>",
    "strong_close": "</b>",
    "em_open": "<i>",
    "em_close": "</i>",
    "softbreak": " ",
    "hardbreak": "<br/>",
}


def inline_markup(children: list[Token]) -> str:
    """Paragraph markup for one inline run; text is escaped, links are checked."""
    parts: list[str] = []
    open_links: list[bool] = []
    for token in children:
        kind = token.type
        if kind in _TAGS:
            parts.append(_TAGS[kind])
        elif kind == "link_open":
            target = safe_url(str(token.attrGet("href") or ""))
            open_links.append(target is not None)
            if target is not None:
                parts.append(f'<a href="{attribute(target)}" color="{LINK}">')
        elif kind == "link_close":
            if open_links.pop():
                parts.append("</a>")
        elif kind == "code_inline":
            parts.append(f'<font face="{CONDENSED}">{escape(token.content)}</font>')
        elif kind == "image":
            parts.append(escape(f"[image: {token.content or 'no description'}]"))
        else:
            parts.append(escape(token.content))
    return "".join(parts)


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
        paragraph = _block(token, state, st)
        if paragraph is not None:
            flowables.append(paragraph)
    return flowables


def _block(token: Token, state: _State, st: Styles) -> Flowable | None:
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
        return _paragraph(inline_markup(token.children or []), state, st)
    elif kind in ("fence", "code_block"):
        return Paragraph(plain(token.content.rstrip("\n")), _nested(st.code, 0, state.quotes))
    elif kind == "hr":
        return HRFlowable(width="100%", thickness=0.5, color=RULE, spaceBefore=4, spaceAfter=6)
    return None


def _paragraph(markup: str, state: _State, st: Styles) -> Paragraph:
    if state.heading:
        return Paragraph(markup, st.subheading)
    if state.lists:
        bullet, state.bullet = state.bullet, None
        style = _nested(st.bullet, len(state.lists), state.quotes)
        return Paragraph(markup, style, bulletText=bullet)
    base = st.quote if state.quotes else st.body
    return Paragraph(markup, _nested(base, 0, max(state.quotes - 1, 0)))
