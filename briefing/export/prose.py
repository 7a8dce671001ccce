"""Markdown prose → ReportLab flowables, from the walk every export shares.

:mod:`briefing.export.markdown` parses (markdown-it-py, raw HTML disabled) and
checks links; here only the structure Markdown describes becomes markup (bold,
italic, lists, links, headings, quotes, code), and every piece of text is escaped.
"""

from __future__ import annotations

from functools import cache

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable
from reportlab.platypus.flowables import HRFlowable

from briefing.export.fonts import CONDENSED
from briefing.export.markdown import ProseBlock, Span, prose_blocks
from briefing.export.styles import LINK, RULE, Styles
from briefing.export.text import (
    LIMIT,
    CachedParagraph,
    attribute,
    cut_point,
    literal,
    paragraphs,
)

_INDENT = 13.0
SHORT_INTRO = 300
"""A paragraph shorter than this that ends in a colon stays with what follows it."""
PROSE_LIMIT = 12 * LIMIT
"""Prose is one paragraph per Markdown block (the page breaks it between lines); only
a block longer than this is cut, between sentences, to keep layout time linear."""


class _Markup:
    """Paragraph markup being built, cut into pieces of about ``PROSE_LIMIT`` characters.

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
        while self.size + len(text) > PROSE_LIMIT:
            at = cut_point(text, PROSE_LIMIT - self.size)
            if at == 0 and self.size == 0:
                at = PROSE_LIMIT
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


def inline_markup(spans: tuple[Span, ...]) -> list[str]:
    """Paragraph markup for one block's spans, in pieces; text is escaped, links were checked."""
    markup = _Markup()
    for span in spans:
        if span.line_break:
            markup.parts.append("<br/>")
            continue
        opened = 0
        for wanted, opener, closer in (
            (span.href, f'<a href="{attribute(span.href or "")}" color="{LINK}">', "</a>"),
            (span.bold, "<b>", "</b>"),
            (span.italic, "<i>", "</i>"),
            (span.code, f'<font face="{CONDENSED}">', "</font>"),
        ):
            if wanted:
                markup.tag(opener, closer)
                opened += 1
        markup.text(span.text)
        for _ in range(opened):
            markup.close()
    return markup.finish()


@cache
def _nested(base: ParagraphStyle, depth: int, quotes: int) -> ParagraphStyle:
    indent = _INDENT * (depth + quotes)
    return ParagraphStyle(
        f"{base.name}-{depth}-{quotes}",
        parent=base,
        leftIndent=indent,
        bulletIndent=max(indent - _INDENT + 2, 0),
    )


def markdown_flowables(source: str, st: Styles, full_width: bool = False) -> list[Flowable]:
    """Flowables for a Markdown text (BLUF, section bodies), from the shared Markdown walk.

    Prose is set on the measure; ``full_width`` fills a box that is itself that narrow.
    """
    flowables: list[Flowable] = []
    for block in prose_blocks(source):
        flowables += _block(block, st)
    if full_width:
        for flowable in flowables:
            if isinstance(flowable, CachedParagraph):
                flowable.style = _wide(flowable.style)
    return flowables


@cache
def _wide(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}-wide", parent=style, rightIndent=0)


def _block(block: ProseBlock, st: Styles) -> list[Flowable]:
    if block.kind == "code":
        return list(paragraphs(block.spans[0].text, _nested(st.code, 0, block.quotes)))
    if block.kind == "rule":
        return [HRFlowable(width="100%", thickness=0.5, color=RULE, spaceBefore=4, spaceAfter=6)]
    pieces = inline_markup(block.spans)
    if block.kind == "heading":
        return [CachedParagraph(m, st.subheading) for m in pieces]
    if block.kind == "item":
        style = _nested(st.bullet, block.depth, block.quotes)
        bullets = [block.marker if block.first else None] + [None] * (len(pieces) - 1)
        return [
            CachedParagraph(m, style, bulletText=b) for m, b in zip(pieces, bullets, strict=True)
        ]
    base = st.quote if block.quotes else st.body
    style = _nested(base, 0, max(block.quotes - 1, 0))
    found = [CachedParagraph(m, style) for m in pieces]
    text = "".join(span.text for span in block.spans).rstrip()
    if text.endswith(":") and len(text) < SHORT_INTRO:
        found[-1]._heading = True  # type: ignore[attr-defined]  # kept with what it introduces
    return found
