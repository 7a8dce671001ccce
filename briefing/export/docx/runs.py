"""Project text into Word runs: always literal, one script per run, right to left where it reads so.

python-docx stores text as XML text nodes, so ``<w:p>`` or ``{ MERGEFIELD x }`` in
a title is printed as written; what XML cannot hold at all (lone surrogates, the
noncharacters U+FFFE and U+FFFF, control characters) is dropped first. Links and
bookmarks are the elements python-docx has no call for; they are built here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from lxml.etree import SubElement

from briefing.export.docx.scripts import MONO, has_rtl, is_rtl, script_runs
from briefing.export.text import clean, safe_url

_R, _RPR, _T, _BR = qn("w:r"), qn("w:rPr"), qn("w:t"), qn("w:br")
_RSTYLE, _RFONTS, _VAL = qn("w:rStyle"), qn("w:rFonts"), qn("w:val")
_B, _BCS, _I, _ICS, _RTL = qn("w:b"), qn("w:bCs"), qn("w:i"), qn("w:iCs"), qn("w:rtl")
_FONT_SLOTS = tuple(qn(f"w:{slot}") for slot in ("ascii", "hAnsi", "eastAsia", "cs"))
_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff\x00-\x08\x0b\x0c\x0e-\x1f]")
_AFTER_BIDI = (
    "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange",
)  # fmt: skip
"""What follows ``w:bidi`` in a paragraph's properties, in the order Word requires."""


def literal(text: str) -> str:
    """Text that XML can hold, cleaned like the PDF's (NFC, no invisible controls)."""
    text = clean(text)
    return text if text.isascii() and "\x7f" not in text else _NOT_XML.sub("", text)


@dataclass(frozen=True)
class Look:
    """How a piece of text looks beyond its paragraph style."""

    bold: bool = False
    italic: bool = False
    code: bool = False
    style: str | None = None
    """A character style id."""


PLAIN = Look()


def add_text(paragraph: Paragraph, text: str, look: Look = PLAIN) -> list:
    """Append ``text`` as runs (one per script); returns the run elements.

    Built with lxml directly: python-docx's run API re-searches every element's
    children on each call, which made a 1,000-entry timeline slower than the PDF.
    """
    made = []
    p = paragraph._p
    for piece, font in script_runs(literal(text)):
        r = SubElement(p, _R)
        rtl = has_rtl(piece)
        if look.style or font or look.code or look.bold or look.italic or rtl:
            _properties(SubElement(r, _RPR), look, font, rtl)
        _text(r, piece)
        made.append(r)
    return made


def _properties(r_pr, look: Look, font: str | None, rtl: bool) -> None:
    """Run properties, in the order the schema requires."""
    if look.style:
        SubElement(r_pr, _RSTYLE).set(_VAL, look.style)
    if font or look.code:
        name = MONO if look.code and font is None else font
        fonts = SubElement(r_pr, _RFONTS)
        for slot in _FONT_SLOTS:
            fonts.set(slot, name)
    if look.bold:
        SubElement(r_pr, _B)
        if rtl:
            SubElement(r_pr, _BCS)
    if look.italic:
        SubElement(r_pr, _I)
        if rtl:
            SubElement(r_pr, _ICS)
    if rtl:
        SubElement(r_pr, _RTL)


def _text(r, piece: str) -> None:
    for index, line in enumerate(piece.split("\n")):
        if index:
            SubElement(r, _BR)
        if line:
            t = SubElement(r, _T)
            t.text = line
            if line[0] == " " or line[-1] == " ":
                t.set(_SPACE, "preserve")


def mark_direction(paragraph: Paragraph, text: str) -> None:
    """Mark the paragraph right to left when its text starts in a right-to-left script."""
    if text and not text.isascii() and is_rtl(literal(text)):
        p_pr = paragraph._p.get_or_add_pPr()
        if p_pr.find(qn("w:bidi")) is None:
            p_pr.insert_element_before(OxmlElement("w:bidi"), *_AFTER_BIDI)


def _wrap(paragraph: Paragraph, runs: list, hyperlink) -> None:
    if not runs:
        return
    runs[0].addprevious(hyperlink)
    for r in runs:
        hyperlink.append(r)


def add_link(
    paragraph: Paragraph, text: str, url: str, look: Look = PLAIN, style: str | None = None
) -> None:
    """``text`` linking to ``url`` when it is http(s) or mailto; otherwise plain text."""
    target = safe_url(literal(url))
    if target is None:
        add_text(paragraph, text, look)
        return
    runs = add_text(paragraph, text, Look(look.bold, look.italic, look.code, style))
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), paragraph.part.relate_to(target, RT.HYPERLINK, is_external=True))
    _wrap(paragraph, runs, hyperlink)


def add_jump(paragraph: Paragraph, text: str, bookmark: str, look: Look = PLAIN) -> None:
    """``text`` linking to a bookmark inside the document (a source note, a heading)."""
    runs = add_text(paragraph, text, look)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("w:anchor"), bookmark)
    _wrap(paragraph, runs, hyperlink)


class Bookmarks:
    """Gives each bookmark its number, which Word needs to be unique in the document."""

    def __init__(self) -> None:
        self.count = 0

    def add(self, paragraph: Paragraph, name: str) -> None:
        """Make the whole paragraph the bookmark ``name``."""
        self.count += 1
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(self.count))
        start.set(qn("w:name"), name)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(self.count))
        p = paragraph._p
        p_pr = p.pPr
        if p_pr is not None:
            p_pr.addnext(start)
        else:
            p.insert(0, start)
        p.append(end)
