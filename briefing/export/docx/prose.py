"""Markdown prose as Word paragraphs: headings, lists, quotes, code, bold, italic and links.

The Markdown is read by :mod:`briefing.export.markdown`, the same walk for every
format. Lists use the house's List Bullet and List Number styles, and each
numbered list restarts at its own first number.
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.text.paragraph import Paragraph

from briefing.export.docx.runs import Look, add_link, add_text, mark_direction
from briefing.export.docx.sheet import Container, Sheet
from briefing.export.markdown import ProseBlock, Span, prose_blocks

CONTINUED_INDENT = 6.35
"""Millimetres per list level for an item's second paragraph."""


class Lists:
    """Numbering for the document's Markdown lists: one Word list per list in the text."""

    def __init__(self, sheet: Sheet) -> None:
        self.sheet = sheet
        self.numbers: dict[tuple[int, int], int] = {}
        self.count = 0
        self.has_numbers: dict[str, bool] = {}

    def style(self, block: ProseBlock) -> str:
        kind = "List Number" if block.ordered else "List Bullet"
        depth = min(block.depth, 3)
        return kind if depth == 1 else f"{kind} {depth}"

    def number(self, style_name: str, block: ProseBlock, start: int) -> int | None:
        """A new numbering instance restarting at ``start`` for a numbered list; None if none."""
        key = (self.count, block.list_id)
        if key in self.numbers:
            return self.numbers[key]
        numbering = _style_numbering(self.sheet, style_name)
        if numbering is None:
            return None
        part, abstract = numbering
        num = part.add_num(abstract)
        num.add_lvlOverride(ilvl=0).add_startOverride(start)
        self.numbers[key] = num.numId
        return num.numId

    def numbered(self, style_name: str) -> bool:
        """Whether the style brings its own bullets or numbers (a template's may not)."""
        if style_name not in self.has_numbers:
            self.has_numbers[style_name] = _style_numbering(self.sheet, style_name) is not None
        return self.has_numbers[style_name]

    def next_text(self) -> None:
        """A new Markdown text begins: its list 1 is not the previous text's list 1."""
        self.count += 1


def _style_numbering(sheet: Sheet, style_name: str):
    style = sheet.document.styles[style_name].element
    num_pr = style.pPr.numPr if style.pPr is not None else None
    if num_pr is None or num_pr.numId is None:
        return None
    try:
        part = sheet.document.part.numbering_part.element
        abstract = part.num_having_numId(num_pr.numId.val).abstractNumId.val
    except (KeyError, AttributeError, NotImplementedError):
        return None
    return part, abstract


def add_spans(sheet: Sheet, paragraph: Paragraph, spans: tuple[Span, ...]) -> None:
    link_style = sheet.style("Hyperlink")
    for span in spans:
        if span.line_break:
            paragraph.add_run().add_break()
            continue
        look = Look(span.bold, span.italic, span.code)
        if span.href:
            add_link(paragraph, span.text, span.href, look, link_style)
        else:
            add_text(paragraph, span.text, look)
    mark_direction(paragraph, "".join(s.text for s in spans))


def add_prose(sheet: Sheet, where: Container, source: str, lists: Lists) -> None:
    """The blocks of a Markdown text, appended to ``where``."""
    lists.next_text()
    for block in prose_blocks(source):
        _block(sheet, where, block, lists)


def _block(sheet: Sheet, where: Container, block: ProseBlock, lists: Lists) -> None:
    if block.kind == "heading":
        add_spans(sheet, sheet.para(where, "Heading 3"), block.spans)
    elif block.kind == "item":
        _item(sheet, where, block, lists)
    elif block.kind == "code":
        for line in block.spans[0].text.split("\n"):
            sheet.para(where, "Code", line, Look(code=True))
    elif block.kind == "rule":
        _rule(sheet.para(where, "Caption"))
    else:
        add_spans(sheet, sheet.para(where, "Quote" if block.quotes else "Normal"), block.spans)


def _item(sheet: Sheet, where: Container, block: ProseBlock, lists: Lists) -> None:
    name = lists.style(block)
    paragraph = sheet.para(where, name)
    if not block.first:
        _number(paragraph, 0)  # a second paragraph of an item: indented, no bullet
        paragraph.paragraph_format.left_indent = Mm(CONTINUED_INDENT * block.depth)
    elif block.ordered and block.marker.rstrip(".").isdigit():
        num_id = lists.number(name, block, int(block.marker.rstrip(".")))
        if num_id is not None:
            _number(paragraph, num_id)
    if block.first and not lists.numbered(name):
        add_text(paragraph, f"{block.marker}\u00a0")
    add_spans(sheet, paragraph, block.spans)


def _number(paragraph: Paragraph, num_id: int) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = num_id


def _rule(paragraph: Paragraph) -> None:
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "1"), ("w:color", "B8C2CC")):
        bottom.set(qn(key), value)
    border.append(bottom)
    paragraph._p.get_or_add_pPr().insert_element_before(
        border, "w:shd", "w:tabs", "w:bidi", "w:spacing", "w:ind", "w:jc", "w:rPr"
    )
