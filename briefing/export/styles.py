"""The brief's type and grid system, written down in one place.

Grid. A4 with print margins (20 mm sides, 22 mm top, 20 mm foot, the running
header and footer inside them). Tables and
figures use the full frame; running prose is set on a narrower *measure* of
about 70 characters, the line length a reader takes in without losing the next
line. A long timeline turns to a landscape page (:data:`WIDE_SIZE`) with the same
margins, so its Event column reads in long lines and a page holds twice the rows.

Type. One family (DejaVu Sans, condensed in tables), the sizes of
:mod:`briefing.export.type_scale` (shared with the Word document). Leading is
1.4 for prose and 1.2 for tables. Every heading has
the same space above it, dropped at the top of a page, so headings at the top of
pages line up; headings are kept with what follows (:mod:`briefing.export.tables`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from briefing.export.fonts import CONDENSED, SANS, bold, italic, register_fonts
from briefing.export.type_scale import (
    BODY_SIZE,
    HEADING_SIZE,
    SMALL_SIZE,
    SUBHEADING_SIZE,
    TABLE_LEADING,
    TABLE_SIZE,
    TITLE_SIZE,
)

PAGE_SIZE = A4
WIDE_SIZE = landscape(A4)
MARGIN_X = 20 * mm
WIDE_MARGIN_X = 12 * mm
"""Side margins of a landscape page: its long lines need less white beside them."""
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 20 * mm
FRAME_WIDTH = PAGE_SIZE[0] - 2 * MARGIN_X
FRAME_HEIGHT = PAGE_SIZE[1] - MARGIN_TOP - MARGIN_BOTTOM
WIDE_WIDTH = WIDE_SIZE[0] - 2 * WIDE_MARGIN_X
WIDE_HEIGHT = WIDE_SIZE[1] - MARGIN_TOP - MARGIN_BOTTOM

MEASURE = 72 * 0.514 * BODY_SIZE
"""Width of running prose: about 70 characters of DejaVu Sans at the body size."""
PROSE_INDENT = FRAME_WIDTH - MEASURE
"""Right indent that sets full-frame prose on the measure."""
HEADING_SPACE = 18.0
"""Space above every heading (none at the top of a page)."""
WIDE_ROWS = 12
"""A timeline longer than this many rows is printed on landscape pages (unless chosen otherwise)."""
TIMELINE_PAGES = {
    "auto": "By length (landscape for more than 12 rows)",
    "landscape": "Landscape",
    "portrait": "Portrait",
}
"""How timeline tables are printed: the analyst's choice, by its name, with words for it."""


def wide_timeline(rows: int, pages: str = "auto") -> bool:
    """Whether a timeline of ``rows`` rows goes on landscape pages (unknown choice: by length)."""
    if pages in ("landscape", "portrait"):
        return pages == "landscape"
    return rows > WIDE_ROWS


def side_margin(page_width: float) -> float:
    """The left and right margin of a page of this width (portrait or landscape)."""
    return WIDE_MARGIN_X if page_width > PAGE_SIZE[0] + 1 else MARGIN_X


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
    cell_body: ParagraphStyle
    bullet: ParagraphStyle
    quote: ParagraphStyle
    code: ParagraphStyle
    small: ParagraphStyle
    meta_label: ParagraphStyle
    meta: ParagraphStyle
    toc: ParagraphStyle
    toc_sub: ParagraphStyle
    summary: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_head: ParagraphStyle
    cell_small: ParagraphStyle
    cell_note: ParagraphStyle
    card_head: ParagraphStyle
    card_quote: ParagraphStyle
    card_text: ParagraphStyle
    card_meta: ParagraphStyle


def _style(name: str, font: str = SANS, size: float = BODY_SIZE, leading: float | None = None,
           **extra: object) -> ParagraphStyle:  # fmt: skip
    return ParagraphStyle(
        name,
        fontName=font,
        fontSize=size,
        leading=leading or round(size * 1.4, 1),
        textColor=extra.pop("textColor", INK),
        alignment=extra.pop("alignment", TA_LEFT),
        allowWidows=0,
        allowOrphans=0,
        **extra,
    )


def _cell(name: str, font: str = CONDENSED, **extra: object) -> ParagraphStyle:
    return _style(name, font, TABLE_SIZE, TABLE_LEADING, **extra)


@cache
def styles() -> Styles:
    """The paragraph styles; fonts are registered first."""
    register_fonts()
    prose = {"rightIndent": PROSE_INDENT}
    return Styles(
        title=_style("title", bold(SANS), TITLE_SIZE, 29, spaceAfter=6, textColor=ACCENT),
        subtitle=_style("subtitle", SANS, 13, 17, spaceAfter=12, textColor=MUTED),
        heading=_style("heading", bold(SANS), HEADING_SIZE, 19, spaceBefore=HEADING_SPACE,
                       spaceAfter=7, textColor=ACCENT),
        subheading=_style("subheading", bold(SANS), SUBHEADING_SIZE, 15,
                          spaceBefore=HEADING_SPACE * 0.7, spaceAfter=5),
        block_heading=_style("block_heading", bold(SANS), SUBHEADING_SIZE, 15,
                             spaceBefore=HEADING_SPACE * 0.7, spaceAfter=5),
        body=_style("body", SANS, BODY_SIZE, 14, spaceAfter=7, **prose),
        cell_body=_style("cell_body", SANS, 9.5, 13),
        bullet=_style("bullet", SANS, BODY_SIZE, 14, spaceAfter=3, bulletFontName=SANS, **prose),
        quote=_style("quote", italic(SANS), BODY_SIZE, 14, leftIndent=14, spaceAfter=7,
                     textColor=MUTED, **prose),
        code=_style("code", CONDENSED, TABLE_SIZE, 11.5, leftIndent=10, spaceAfter=7,
                    backColor=SHADE, borderPadding=3),
        small=_style("small", SANS, SMALL_SIZE, 11, textColor=MUTED, spaceBefore=3,
                     spaceAfter=7),
        meta_label=_style("meta_label", bold(SANS), 9, 12, textColor=MUTED),
        meta=_style("meta", SANS, 9.5, 13),
        toc=_style("toc", SANS, BODY_SIZE, 15),
        toc_sub=_style("toc_sub", SANS, 9, 13, leftIndent=14, textColor=MUTED),
        summary=_style("summary", SANS, 11, 15.5, spaceAfter=8, **prose),
        cell=_cell("cell"),
        cell_bold=_cell("cell_bold", bold(CONDENSED)),
        cell_head=_cell("cell_head", bold(CONDENSED)),
        cell_small=_cell("cell_small", CONDENSED, textColor=MUTED),
        cell_note=_cell("cell_note", italic(CONDENSED)),
        card_head=_style("card_head", bold(SANS), 9, 12),
        card_quote=_style("card_quote", SANS, 9.5, 13.3, spaceBefore=2),
        card_text=_style("card_text", italic(SANS), 9, 12.5, spaceBefore=3, textColor=MUTED),
        card_meta=_style("card_meta", SANS, SMALL_SIZE, 11, textColor=MUTED),
    )  # fmt: skip
