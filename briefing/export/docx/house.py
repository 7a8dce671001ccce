"""The document every Word export starts from: the house template, or our clean default.

Everything the writer adds uses a style by name, so an organisation's template
(styles, page size, margins, a logo in its header) decides how the brief looks.
Styles the template lacks are added with our look; without a template, the
built-in styles are given the PDF's fonts, sizes and colours.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_LINE_SPACING
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import BaseStyle, CharacterStyle, ParagraphStyle
from lxml.etree import XMLSyntaxError

from briefing.errors import BriefingError, not_a_file
from briefing.export.docx.scripts import CJK, CONDENSED, MONO, SANS
from briefing.export.type_scale import SMALL_SIZE, TABLE_LEADING, TABLE_SIZE

INK = RGBColor(0x1A, 0x1A, 0x1A)
MUTED = RGBColor(0x5A, 0x62, 0x70)
ACCENT = RGBColor(0x1F, 0x4E, 0x79)
RULE = "B8C2CC"
SHADE = "EEF2F6"
HEADER_SHADE = "DCE4EC"

TABLE = "Briefing Table"


@dataclass(frozen=True)
class Spec:
    """Our look for one style: used for the clean default and for styles a template lacks."""

    size: float | None = None
    bold: bool | None = None
    italic: bool | None = None
    colour: RGBColor | None = None
    before: float | None = None
    after: float | None = None
    indent: float | None = None
    base: str = "Normal"
    font: str | None = None
    keep_with_next: bool = False
    leading: float | None = None
    """Exact line pitch in points: a table line keeps its height whatever the script's font
    (Noto Sans Arabic's own line is nearly twice DejaVu's, which opened gaps in table cells)."""


PARAGRAPHS: dict[str, Spec] = {
    "Normal": Spec(9.5, colour=INK, after=6, font=SANS, base=""),
    "Title": Spec(24, True, colour=ACCENT, after=6),
    "Subtitle": Spec(13, False, False, MUTED, after=14),
    "Heading 1": Spec(14, True, colour=ACCENT, before=14, after=6, keep_with_next=True),
    "Heading 2": Spec(10.5, True, False, INK, before=8, after=4, keep_with_next=True),
    "Heading 3": Spec(10, True, True, MUTED, before=6, after=3, keep_with_next=True),
    "Quote": Spec(9.5, False, True, MUTED, indent=7, after=6),
    "List Bullet": Spec(after=3),
    "List Bullet 2": Spec(after=3),
    "List Bullet 3": Spec(after=3),
    "List Number": Spec(after=3),
    "List Number 2": Spec(after=3),
    "List Number 3": Spec(after=3),
    "Caption": Spec(SMALL_SIZE, False, False, MUTED, before=2, after=8),
    "Header": Spec(8, colour=MUTED, after=0),
    "Footer": Spec(8, colour=MUTED, after=0),
    "TOC Heading": Spec(10.5, True, False, INK, before=18, after=4),
    "TOC 1": Spec(10, after=3),
    "Table Text": Spec(TABLE_SIZE, colour=INK, before=0, after=1, leading=TABLE_LEADING),
    "Table Heading": Spec(
        TABLE_SIZE, True, colour=INK, before=0, after=1, base="Table Text", leading=TABLE_LEADING
    ),
    "Table Note": Spec(
        TABLE_SIZE, False, True, MUTED, before=0, after=1, base="Table Text", leading=TABLE_LEADING
    ),
    "Attribution": Spec(9, True, colour=INK, before=8, after=1, keep_with_next=True),
    "Cover Label": Spec(9, True, colour=MUTED, after=2),
    "Code": Spec(TABLE_SIZE, font=MONO, indent=5, after=6),
    "Marking": Spec(8, colour=MUTED, after=0, base="Header"),
}
CHARACTERS: dict[str, Spec] = {
    "Hyperlink": Spec(colour=ACCENT, base=""),
    "Muted": Spec(colour=MUTED, base=""),
}


def _fonts(style: BaseStyle, font: str) -> None:
    r_pr = style.element.get_or_add_rPr()
    fonts = r_pr.get_or_add_rFonts()
    for name in list(fonts.attrib):
        del fonts.attrib[name]
    for slot in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(slot), font)
    fonts.set(qn("w:eastAsia"), CJK)


def _complex_script(style: BaseStyle, spec: Spec) -> None:
    """The size, bold and italic of right-to-left and complex-script runs (Arabic, Hebrew).

    Word and LibreOffice set such runs by ``w:szCs``, ``w:bCs`` and ``w:iCs``, not
    by ``w:sz``/``w:b``/``w:i``: without them Arabic in an 8.5 pt table cell came
    out at the default 11 pt, with line gaps to match.
    """
    r_pr = style.element.get_or_add_rPr()
    for tag, wanted in (("w:bCs", spec.bold), ("w:iCs", spec.italic)):
        if wanted is not None:
            _replace(r_pr, tag, None if wanted else "0")
    size = r_pr.find(qn("w:sz"))
    if spec.size is not None and size is not None:
        _replace(r_pr, "w:szCs", size.get(qn("w:val")))  # the half-points python-docx wrote


_RPR_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
    "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof",
    "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern",
    "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
    "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
    "w:specVanish", "w:oMath",
)  # fmt: skip
"""Run properties in the order the schema wants them (Word refuses another order)."""


def _replace(r_pr, tag: str, value: str | None) -> None:
    """Set run property ``tag`` (with ``w:val`` = ``value`` unless None) in schema order."""
    old = r_pr.find(qn(tag))
    if old is not None:
        r_pr.remove(old)
    element = OxmlElement(tag)
    if value is not None:
        element.set(qn("w:val"), value)
    later = _RPR_ORDER[_RPR_ORDER.index(tag) + 1 :]
    r_pr.insert_element_before(element, *later)


def _apply(style: BaseStyle, spec: Spec) -> None:
    assert isinstance(style, CharacterStyle)  # paragraph styles are character styles too
    font = style.font
    if spec.size is not None:
        font.size = Pt(spec.size)
    if spec.bold is not None:
        font.bold = spec.bold
    if spec.italic is not None:
        font.italic = spec.italic
    _complex_script(style, spec)
    if spec.colour is not None:
        font.color.rgb = spec.colour
    if spec.font:
        _fonts(style, spec.font)
    if not isinstance(style, ParagraphStyle):
        return
    fmt = style.paragraph_format
    if spec.before is not None:
        fmt.space_before = Pt(spec.before)
    if spec.after is not None:
        fmt.space_after = Pt(spec.after)
    if spec.indent is not None:
        fmt.left_indent = Mm(spec.indent)
    if spec.keep_with_next:
        fmt.keep_with_next = True
    if spec.leading is not None:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(spec.leading)


def _clean_look(document: Document) -> None:
    """Give python-docx's built-in styles the PDF's look: DejaVu Sans, our sizes and colours."""
    for name, spec in PARAGRAPHS.items():
        if name in document.styles:
            style = document.styles[name]
            _apply(style, spec)
            if name != "Normal" and spec.font is None:
                _fonts(style, SANS)
    for name in ("Title", "Subtitle"):
        r_pr = document.styles[name].element.rPr
        spacing = r_pr.find(qn("w:spacing")) if r_pr is not None else None
        if spacing is not None:
            r_pr.remove(spacing)  # the built-in letter spacing reads as a typing error
    title = document.styles["Title"].element.pPr
    border = title.find(qn("w:pBdr")) if title is not None else None
    if border is not None:
        title.remove(border)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(15)
    section.top_margin, section.bottom_margin = Mm(24), Mm(22)
    section.header_distance = section.footer_distance = Mm(9)


def _table_style(document: Document) -> None:
    """Rules between rows and a shaded header row, as the PDF's tables."""
    style = document.styles.add_style(TABLE, WD_STYLE_TYPE.TABLE)
    style.base_style = (
        document.styles["Normal Table"] if "Normal Table" in document.styles else None
    )
    style.element.append(
        parse_xml(
            f"<w:tblPr {nsdecls('w')}><w:tblBorders>"
            f'<w:top w:val="single" w:sz="4" w:color="{RULE}"/>'
            f'<w:bottom w:val="single" w:sz="4" w:color="{RULE}"/>'
            f'<w:insideH w:val="single" w:sz="2" w:color="{RULE}"/>'
            '</w:tblBorders><w:tblCellMar><w:left w:w="57" w:type="dxa"/>'
            '<w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        )
    )
    style.element.append(
        parse_xml(
            f'<w:tblStylePr {nsdecls("w")} w:type="firstRow"><w:rPr><w:b/></w:rPr>'
            f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{HEADER_SHADE}"/></w:tcPr>'
            "</w:tblStylePr>"
        )
    )


def ensure_styles(document: Document) -> None:
    """Add, with our look, every style the writer uses that the document lacks."""
    styles = document.styles
    for kind, specs in (
        (WD_STYLE_TYPE.PARAGRAPH, PARAGRAPHS),
        (WD_STYLE_TYPE.CHARACTER, CHARACTERS),
    ):
        for name, spec in specs.items():
            if name in styles:
                continue
            style = styles.add_style(name, kind)
            if spec.base and spec.base in styles:
                style.base_style = styles[spec.base]
            _apply(style, spec)
    if "Hyperlink" in styles:
        styles["Hyperlink"].font.underline = True
    if TABLE not in styles:
        _table_style(document)


def _empty_body(document: Document) -> None:
    """Remove a template's sample text, keeping its last section (page size, margins, header)."""
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def open_house(template: Path | None) -> Document:
    """The document to write into: the template emptied, or the clean default."""
    if template is None:
        document = docx.Document()
        _clean_look(document)
        ensure_styles(document)
        for name in ("Table Text", "Table Heading", "Table Note"):
            _fonts(document.styles[name], CONDENSED)  # the PDF's table cells
        return document
    document = _open_template(Path(template))
    _empty_body(document)
    ensure_styles(document)
    return document


_TEMPLATE_TYPE = b"wordprocessingml.template.main+xml"
_DOCUMENT_TYPE = b"wordprocessingml.document.main+xml"


def _as_document(data: bytes) -> io.BytesIO:
    """A Word template (.dotx) read as a document: only its declared content type differs."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "[Content_Types].xml":
                content = content.replace(_TEMPLATE_TYPE, _DOCUMENT_TYPE)
            target.writestr(item, content)
    out.seek(0)
    return out


def _open_template(path: Path) -> Document:
    if not path.is_file():
        raise BriefingError(not_a_file(path.name, path.is_dir(), "a Word template"))
    try:
        return docx.Document(_as_document(path.read_bytes()))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError,
            XMLSyntaxError) as error:  # fmt: skip
        raise BriefingError(
            f"The template {path.name} is not a Word document that can be read."
        ) from error


def style_ids(document: Document) -> dict[str, str]:
    """Style ids by name, looked up once (python-docx searches every style on each lookup)."""
    return {style.name: style.style_id for style in document.styles if style.name}
