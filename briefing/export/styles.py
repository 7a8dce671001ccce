"""Page geometry, colours and paragraph styles of the brief, in one place."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from briefing.export.fonts import CONDENSED, SANS, bold, italic, register_fonts

PAGE_SIZE = A4
MARGIN_X = 15 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 22 * mm
FRAME_WIDTH = PAGE_SIZE[0] - 2 * MARGIN_X
FRAME_HEIGHT = PAGE_SIZE[1] - MARGIN_TOP - MARGIN_BOTTOM

INK = colors.HexColor("#1A1A1A")
MUTED = colors.HexColor("#5A6270")
ACCENT = colors.HexColor("#1F4E79")
RULE = colors.HexColor("#B8C2CC")
SHADE = colors.HexColor("#EEF2F6")
HEADER_SHADE = colors.HexColor("#DCE4EC")
LINK = "#1F4E79"


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    block_heading: ParagraphStyle
    body: ParagraphStyle
    bullet: ParagraphStyle
    quote: ParagraphStyle
    code: ParagraphStyle
    small: ParagraphStyle
    meta_label: ParagraphStyle
    meta: ParagraphStyle
    toc: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_head: ParagraphStyle
    cell_small: ParagraphStyle
    cell_note: ParagraphStyle
    card_head: ParagraphStyle
    card_quote: ParagraphStyle
    card_text: ParagraphStyle
    card_meta: ParagraphStyle


def _style(name: str, font: str = SANS, size: float = 9.5, leading: float | None = None,
           **extra: object) -> ParagraphStyle:  # fmt: skip
    return ParagraphStyle(
        name,
        fontName=font,
        fontSize=size,
        leading=leading or round(size * 1.32, 1),
        textColor=extra.pop("textColor", INK),
        alignment=extra.pop("alignment", TA_LEFT),
        **extra,
    )


@cache
def styles() -> Styles:
    """The paragraph styles; fonts are registered first."""
    register_fonts()
    return Styles(
        title=_style("title", bold(SANS), 24, 29, spaceAfter=6, textColor=ACCENT),
        subtitle=_style("subtitle", SANS, 13, 17, spaceAfter=14, textColor=MUTED),
        heading=_style("heading", bold(SANS), 14, 18, spaceBefore=14, spaceAfter=6,
                       textColor=ACCENT),
        subheading=_style("subheading", bold(SANS), 10.5, 14, spaceBefore=8, spaceAfter=4,
                          keepWithNext=1),
        block_heading=_style("block_heading", bold(SANS), 10.5, 14, spaceBefore=8,
                             spaceAfter=4),
        body=_style("body", SANS, 9.5, 13.5, spaceAfter=6),
        bullet=_style("bullet", SANS, 9.5, 13.5, spaceAfter=3, bulletFontName=SANS),
        quote=_style("quote", italic(SANS), 9.5, 13.5, leftIndent=14, spaceAfter=6,
                     textColor=MUTED),
        code=_style("code", CONDENSED, 8.5, 11.5, leftIndent=10, spaceAfter=6,
                    backColor=SHADE, borderPadding=3),
        small=_style("small", SANS, 7.5, 10, textColor=MUTED, spaceAfter=6),
        meta_label=_style("meta_label", bold(SANS), 9, 12, textColor=MUTED),
        meta=_style("meta", SANS, 9.5, 12.5),
        toc=_style("toc", SANS, 10, 14),
        cell=_style("cell", CONDENSED, 7.8, 9.8),
        cell_bold=_style("cell_bold", bold(CONDENSED), 7.8, 9.8),
        cell_head=_style("cell_head", bold(CONDENSED), 7.8, 9.8, textColor=INK),
        cell_small=_style("cell_small", CONDENSED, 7, 8.8, textColor=MUTED),
        cell_note=_style("cell_note", italic(CONDENSED), 6.8, 8.6),
        card_head=_style("card_head", bold(SANS), 8.8, 11.5),
        card_quote=_style("card_quote", SANS, 9, 12.5, spaceBefore=3),
        card_text=_style("card_text", italic(SANS), 8.5, 11.5, spaceBefore=3, textColor=MUTED),
        card_meta=_style("card_meta", SANS, 7.5, 10, textColor=MUTED),
    )  # fmt: skip
