"""Markdown prose → plain blocks of styled text, for every export format to lay out.

markdown-it-py parses with raw HTML disabled, so only the structure Markdown
describes survives (paragraphs, headings, lists, quotes, code, rules, bold,
italic, links); every piece of text stays text. A link keeps its target only when
it is http(s) or mailto; an image becomes its description in brackets.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from briefing.export.text import clean, safe_url

PARSER = MarkdownIt("commonmark", {"html": False})


@dataclass(frozen=True)
class Span:
    """A piece of inline text and how it looks; ``href`` only for a safe link."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None
    line_break: bool = False


@dataclass(frozen=True)
class ProseBlock:
    """One paragraph-like block.

    ``kind`` is ``paragraph``, ``heading``, ``item``, ``code`` or ``rule``;
    ``depth`` the list nesting (1 for a top-level item), ``quotes`` the quote
    depth, ``marker`` an item's bullet (``•``) or number (``3.``), ``first``
    whether the block starts its list item.
    """

    kind: str
    spans: tuple[Span, ...] = ()
    depth: int = 0
    quotes: int = 0
    marker: str = ""
    ordered: bool = False
    first: bool = True
    level: int = 0
    list_id: int = 0
    """Which list an item belongs to (numbered from 1 in the text), so numbering can restart."""


@dataclass
class _Walk:
    lists: list[int | None] = field(default_factory=list)
    list_ids: list[int] = field(default_factory=list)
    made: int = 0
    marker: str | None = None
    quotes: int = 0
    heading: int = 0
    blocks: list[ProseBlock] = field(default_factory=list)


def inline_spans(children: list[Token]) -> tuple[Span, ...]:
    """The spans of one inline run; unsafe link targets are dropped, their text kept."""
    spans: list[Span] = []
    bold = italic = 0
    links: list[str | None] = []
    for token in children:
        kind = token.type
        href = next((h for h in reversed(links) if h), None)
        if kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "link_open":
            links.append(safe_url(str(token.attrGet("href") or "")))
        elif kind == "link_close":
            links.pop()
        elif kind == "softbreak":
            spans.append(Span(" ", bool(bold), bool(italic), href=href))
        elif kind == "hardbreak":
            spans.append(Span("", line_break=True))
        elif kind == "image":
            spans.append(Span(f"[image: {token.content or 'no description'}]", href=href))
        else:
            code = kind == "code_inline"
            spans.append(Span(token.content, bool(bold), bool(italic), code, href))
    return tuple(s for s in spans if s.text or s.line_break)


def prose_blocks(source: str) -> list[ProseBlock]:
    """The blocks of a Markdown text (bottom line, section bodies) in reading order."""
    walk = _Walk()
    for token in PARSER.parse(clean(source)):
        _step(token, walk)
    return walk.blocks


def _step(token: Token, walk: _Walk) -> None:
    kind = token.type
    if kind in ("bullet_list_open", "ordered_list_open"):
        start = int(str(token.attrGet("start") or 1)) if kind == "ordered_list_open" else None
        walk.lists.append(start)
        walk.made += 1
        walk.list_ids.append(walk.made)
    elif kind in ("bullet_list_close", "ordered_list_close"):
        walk.lists.pop()
        walk.list_ids.pop()
    elif kind == "list_item_open":
        number = walk.lists[-1]
        walk.marker = "•" if number is None else f"{number}."
        if number is not None:
            walk.lists[-1] = number + 1
    elif kind == "blockquote_open":
        walk.quotes += 1
    elif kind == "blockquote_close":
        walk.quotes -= 1
    elif kind == "heading_open":
        walk.heading = int(token.tag[1:]) if token.tag[1:].isdigit() else 1
    elif kind == "heading_close":
        walk.heading = 0
    elif kind == "inline":
        walk.blocks.append(_inline_block(token, walk))
    elif kind in ("fence", "code_block"):
        text = token.content.rstrip("\n")
        walk.blocks.append(ProseBlock("code", (Span(text, code=True),), quotes=walk.quotes))
    elif kind == "hr":
        walk.blocks.append(ProseBlock("rule", quotes=walk.quotes))


def _inline_block(token: Token, walk: _Walk) -> ProseBlock:
    spans = inline_spans(token.children or [])
    if walk.heading:
        return ProseBlock("heading", spans, quotes=walk.quotes, level=walk.heading)
    if walk.lists:
        marker, walk.marker = walk.marker, None
        return ProseBlock(
            "item",
            spans,
            depth=len(walk.lists),
            quotes=walk.quotes,
            marker=marker or "",
            ordered=walk.lists[-1] is not None,
            first=marker is not None,
            list_id=walk.list_ids[-1],
        )
    return ProseBlock("paragraph", spans, quotes=walk.quotes)
