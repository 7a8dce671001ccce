"""Word table rows parked out of the tree while a long table is written come back in place.

The packed file is byte for byte the one written without parking; while the
table is written the tree holds only a few hundred rows, whatever its length.
"""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from docx.oxml.ns import qn

from briefing.export.docx import parked
from briefing.export.docx.house import open_house
from briefing.export.docx.sheet import Sheet

HOSTILE = "<b>&amp; x</b> Ջերմուկ قصف 停火 🚀 end"


def _write(rows: int, tables: int = 2) -> tuple[bytes, int]:
    """A document of ``tables`` tables of ``rows`` rows; its bytes and the most rows in the tree."""
    sheet = Sheet(open_house(None))
    most = 0
    for number in range(tables):
        table = sheet.table(["#", "Event"], [1, 5])
        for index in range(rows):
            first, event = sheet.row(table)
            sheet.para(first, "Table Text", str(index))
            sheet.para(event, "Table Text", f"{number}.{index} {HOSTILE}")
            most = max(most, len(table._tbl.findall(qn("w:tr"))))
        sheet.gap()
    stream = io.BytesIO()
    sheet.document.save(stream)
    data = sheet.parked.splice(stream.getvalue(), sheet.document.part.partname.lstrip("/"))
    return data, most


def _main_part(data: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")


@pytest.mark.parametrize("rows", [1, 3, parked.PARK_EVERY + 1, 2 * parked.PARK_EVERY + 37])
def test_the_file_is_the_one_written_without_parking(monkeypatch, rows: int) -> None:
    data, most = _write(rows)
    monkeypatch.setattr(parked.ParkedRows, "added", lambda self, row, table: None)
    whole, _ = _write(rows)
    assert _main_part(data) == _main_part(whole)
    assert most <= parked.PARK_EVERY + 1  # the header and at most PARK_EVERY rows in the tree
    read = docx.Document(io.BytesIO(data))
    assert [len(t.rows) for t in read.tables] == [rows + 1, rows + 1]
    assert read.tables[1].rows[rows].cells[1].text == f"1.{rows - 1} {HOSTILE}"


def test_a_marker_in_the_text_is_only_text(monkeypatch) -> None:
    sheet = Sheet(open_house(None))
    table = sheet.table(["#"], [1])
    for _ in range(3):
        sheet.para(sheet.row(table)[0], "Table Text", f"<!--{sheet.parked.token}0-->")
    sheet.gap()
    stream = io.BytesIO()
    sheet.document.save(stream)
    data = sheet.parked.splice(stream.getvalue(), "word/document.xml")
    texts = [row.cells[0].text for row in docx.Document(io.BytesIO(data)).tables[0].rows[1:]]
    assert texts == [f"<!--{sheet.parked.token}0-->"] * 3
