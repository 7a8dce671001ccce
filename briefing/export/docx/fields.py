"""Word fields and page furniture: the table of contents, page X of Y, the TLP label.

The contents is a real ``TOC`` field, so Word rebuilds it with page numbers
(the document asks to update fields when opened); until then it shows the
headings as links. The label stands in the header and footer of every section
and page kind (first, even, default) in FIRST's colours: its colour on black.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section, _Footer, _Header
from docx.shared import Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.tabstops import TabStops

from briefing.export.docx.runs import add_jump, add_text
from briefing.export.docx.sheet import Sheet, text_width
from briefing.model.vocab import Tlp

LABEL_SIZE = Pt(12)
TOC_INSTRUCTION = ' TOC \\o "1-2" \\h \\z \\u '
TITLE_LENGTH = 70
_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
    "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
    "w:captions", "w:readModeInkLockDown", "w:smartTagType",
    "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)  # fmt: skip
"""What follows ``w:updateFields`` in the settings part, in the order Word requires."""
_AFTER_SHADING = (
    "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
    "w:specVanish", "w:oMath",
)  # fmt: skip


def _char(paragraph: Paragraph, kind: str) -> None:
    run = paragraph.add_run()
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run._r.append(char)


def _instruction(paragraph: Paragraph, code: str) -> None:
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = code
    run._r.append(instr)


def add_field(paragraph: Paragraph, code: str, shown: str) -> None:
    """A field (``PAGE``, ``NUMPAGES``) showing ``shown`` until Word computes it."""
    _char(paragraph, "begin")
    _instruction(paragraph, f" {code} ")
    _char(paragraph, "separate")
    paragraph.add_run(shown)
    _char(paragraph, "end")


def add_contents(sheet: Sheet, entries: Sequence[tuple[str, str]]) -> None:
    """The contents field; its result until updated lists ``(bookmark, title)`` as links."""
    doc = sheet.document
    sheet.para(doc, "TOC Heading", "Contents")
    first = sheet.para(doc, "TOC 1")
    _char(first, "begin")
    _instruction(first, TOC_INSTRUCTION)
    _char(first, "separate")
    paragraph = first
    for index, (bookmark, title) in enumerate(entries):
        if index:
            paragraph = sheet.para(doc, "TOC 1")
        add_jump(paragraph, title, bookmark)
    _char(paragraph, "end")
    _ask_to_update(doc)


def _ask_to_update(document: Document) -> None:
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is None:
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.insert_element_before(update, *_AFTER_UPDATE_FIELDS)


def add_label(paragraph: Paragraph, label: Tlp) -> None:
    """``TLP:AMBER`` in bold 12 pt, amber on black."""
    run = paragraph.add_run(f"\u00a0{label.marking}\u00a0")
    run.bold = True
    run.font.size = LABEL_SIZE
    run.font.color.rgb = RGBColor.from_string(label.colour.lstrip("#").upper())
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), "000000")
    r_pr = run._r.get_or_add_rPr()
    r_pr.insert_element_before(shading, *_AFTER_SHADING)


def _furnish(sheet: Sheet, part: _Header | _Footer, section: Section, texts: Sequence[str],
             label: Tlp, page: bool) -> None:  # fmt: skip
    """Append one line: running text at the left (and centre), the label at the right margin."""
    width = text_width(section)
    paragraph = part.add_paragraph()
    paragraph._p.style = sheet.style("Marking")
    stops = paragraph.paragraph_format.tab_stops
    _clear_inherited_tabs(sheet, stops)
    if len(texts) + page > 1:
        stops.add_tab_stop(width // 2, WD_TAB_ALIGNMENT.CENTER)
    stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    if page:
        paragraph.add_run("Page ")
        add_field(paragraph, "PAGE", "1")
        paragraph.add_run(" of ")
        add_field(paragraph, "NUMPAGES", "1")
        paragraph.add_run("\t")
    for text in texts:
        if text:
            add_text(paragraph, text)
        paragraph.add_run("\t")
    add_label(paragraph, label)


def _clear_inherited_tabs(sheet: Sheet, stops: TabStops) -> None:
    """Clear the tab stops the Header style brings (Word's are set for US Letter)."""
    style = sheet.document.styles["Marking"]
    seen = set()
    while style is not None:
        for stop in style.paragraph_format.tab_stops:
            if stop.position not in seen:
                seen.add(stop.position)
                stops.add_tab_stop(stop.position, WD_TAB_ALIGNMENT.CLEAR)
        style = style.base_style


def short_title(title: str) -> str:
    """A running title short enough to leave the label its place."""
    title = " ".join(title.split())
    return title if len(title) <= TITLE_LENGTH else title[: TITLE_LENGTH - 1].rstrip() + "…"


def _parts(document: Document, section: Section) -> list[tuple[_Header, _Footer]]:
    parts = [(section.header, section.footer)]
    if section.different_first_page_header_footer:
        parts.append((section.first_page_header, section.first_page_footer))
    if document.settings.odd_and_even_pages_header_footer:
        parts.append((section.even_page_header, section.even_page_footer))
    return parts


def mark_every_page(sheet: Sheet, label: Tlp, running_title: str, as_of: str) -> None:
    """The label in the header and footer of every section and page kind."""
    document = sheet.document
    for index, section in enumerate(document.sections):
        for header, footer in _parts(document, section):
            if header.is_linked_to_previous and index:
                continue  # shows the previous section's, which is marked
            _furnish(sheet, header, section, [short_title(running_title)], label, page=False)
            _furnish(sheet, footer, section, [f"As of {as_of}"], label, page=True)
