"""The document being written: paragraphs and tables by style name, in body or table cells.

Style ids are looked up once; every paragraph and table the writer makes goes
through here, so none is left without a named style.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml.etree import SubElement

from briefing.export.docx.house import TABLE, style_ids
from briefing.export.docx.parked import ParkedRows
from briefing.export.docx.runs import PLAIN, Bookmarks, Look, add_text, mark_direction

Container = Document | _Cell
_P, _PPR, _PSTYLE, _VAL = qn("w:p"), qn("w:pPr"), qn("w:pStyle"), qn("w:val")
_TR, _TRPR, _CANT_SPLIT = qn("w:tr"), qn("w:trPr"), qn("w:cantSplit")
_TC, _TCPR, _TCW, _W, _TYPE = qn("w:tc"), qn("w:tcPr"), qn("w:tcW"), qn("w:w"), qn("w:type")


def text_width(section: Section) -> int:
    """The width between the margins, in EMU."""
    return (section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0)


class Sheet:
    """Adds styled paragraphs and tables to the document or to a table cell."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.ids = style_ids(document)
        self.bookmarks = Bookmarks()
        self.text_width = text_width(document.sections[-1])
        self.parked = ParkedRows(document.element)
        """Finished table rows out of the tree until the file is packed (:mod:`.parked`)."""
        self._end = document.element.body.find(qn("w:sectPr"))
        if self._end is None:
            self._end = SubElement(document.element.body, qn("w:sectPr"))

    def style(self, name: str) -> str:
        return self.ids[name]

    def muted(self, bold: bool = False) -> Look:
        """Secondary text (zones, roles, grades' meanings) in the house's muted character style."""
        return Look(bold=bold, style=self.ids["Muted"])

    def para(self, where: Container, style: str, text: str = "", look: Look = PLAIN) -> Paragraph:
        """A new paragraph in ``style`` holding ``text`` (the cell's first, empty one if fresh)."""
        paragraph = self._new_paragraph(where)
        SubElement(SubElement(paragraph._p, _PPR), _PSTYLE).set(_VAL, self.ids[style])
        if text:
            add_text(paragraph, text, look)
            mark_direction(paragraph, text)
        return paragraph

    def _new_paragraph(self, where: Container) -> Paragraph:
        if isinstance(where, _Cell):
            tc = where._tc
            last = tc[-1]
            if last.tag == _P and len(last) == 0 and len(tc) <= 2:
                return Paragraph(last, where)
            return Paragraph(SubElement(tc, _P), where)
        p = self._end.makeelement(_P, {})
        self._end.addprevious(p)
        return Paragraph(p, where)

    def table(self, headers: Sequence[str], shares: Sequence[float]) -> Table:
        """A table in the house table style whose header row repeats on every page."""
        table = self.document.add_table(rows=1, cols=len(headers))
        table.style = self.document.styles[TABLE]
        total = sum(shares)
        widths = [int(self.text_width * share / total) for share in shares]
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        row = table.rows[0]
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:tblHeader"))
        for cell, title, width in zip(row.cells, headers, widths, strict=True):
            cell.width = width
            cell.paragraphs[0]._p.style = self.ids["Table Heading"]
            if title:
                add_text(cell.paragraphs[0], title)
        table._widths = widths  # type: ignore[attr-defined]
        return table

    def row(self, table: Table) -> list[_Cell]:
        """A new row's cells; each cell's first paragraph is used by the first :meth:`para`."""
        tr = SubElement(table._tbl, _TR)
        SubElement(SubElement(tr, _TRPR), _CANT_SPLIT)
        cells = []
        for width in table._widths:  # type: ignore[attr-defined]
            tc = SubElement(tr, _TC)
            SubElement(SubElement(tc, _TCPR), _TCW, {_W: str(width // 635), _TYPE: "dxa"})
            SubElement(tc, _P)
            cells.append(_Cell(tc, table))
        self.parked.added(tr, table._tbl)
        return cells

    def key(self, table: Table, text: str) -> Paragraph:
        """A key under ``table``, its last row kept on the key's page (never the key alone)."""
        rows = table._tbl.findall(_TR)
        if len(rows) > 1:  # a header alone repeats anyway
            for p in rows[-1].iter(_P):
                Paragraph(p, table).paragraph_format.keep_with_next = True
        return self.para(self.document, "Caption", text)

    def gap(self) -> Paragraph:
        """An empty small paragraph after a table, so two tables never run together."""
        return self.para(self.document, "Caption")
