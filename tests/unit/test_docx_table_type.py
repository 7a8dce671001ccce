"""Table words have one size in the PDF and the Word document, in every script.

Both read their size from :mod:`briefing.export.type_scale`. The PDF's size is
read back from the printed page (the header word "Casualties"); the Word
document's from the styles each table paragraph and run resolves to, for Latin
(``w:sz``) and for right-to-left and complex scripts (``w:szCs``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

from briefing.export.type_scale import TABLE_SIZE
from briefing.services.docx_export import export_briefing_docx
from briefing.services.pdf_export import export_briefing

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from world import world_project  # noqa: E402


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("type")
    with world_project(folder / "world.brief") as project:
        pdf = export_briefing(project, 1, folder / "world.pdf").path
        word = export_briefing_docx(project, 1, folder / "world.docx").path
    return pdf, word


def _pdf_table_size(path: Path) -> float:
    sizes: list[float] = []

    def visit(text, cm, tm, font, size) -> None:
        if text.strip() == "Casualties":
            sizes.append(round(size * tm[0], 2))

    for page in PdfReader(path).pages:
        page.extract_text(visitor_text=visit)
    assert sizes
    return sizes[0]


def _resolved(element, style, tag: str) -> float | None:
    """The run property ``tag`` in half-points: the run's own, else its paragraph style chain's."""
    r_pr = element.find(qn("w:rPr")) if element is not None else None
    found = r_pr.find(qn(tag)) if r_pr is not None else None
    while found is None and style is not None:
        r_pr = style.element.rPr
        found = r_pr.find(qn(tag)) if r_pr is not None else None
        style = style.base_style
    return None if found is None else int(found.get(qn("w:val"))) / 2


def test_table_text_is_the_pdf_size_in_every_script(world) -> None:
    pdf, word = world
    size = _pdf_table_size(pdf)
    assert size == TABLE_SIZE
    document = docx.Document(str(word))
    checked = scripts = 0
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        if not run.text.strip():
                            continue
                        style = paragraph.style
                        assert _resolved(run._r, style, "w:sz") == size, (run.text, style.name)
                        assert _resolved(run._r, style, "w:szCs") == size, (run.text, style.name)
                        checked += 1
                        scripts += not run.text.isascii()
    assert checked > 100 and scripts > 20  # Arabic, Armenian, CJK and the rest among them


@pytest.mark.parametrize("name", ["צבא ההגנה לישראל", "وزارة الدفاع", "外交部", "Armenia"])
def test_a_diagram_label_is_painted_from_its_text_in_reading_order(name: str) -> None:
    """The Word document's picture of a diagram shapes each label again from its words."""
    from briefing.export.docx.picture import _logical
    from briefing.export.fonts import SANS, register_fonts
    from briefing.export.lines import shaped_string

    register_fonts()
    pieces = [_logical(s) for s in shaped_string(0, 0, name, SANS, 9, None).contents]
    order = [p for p, _ in pieces]
    if any(direction == "rtl" for _, direction in pieces):
        order.reverse()  # pieces stand left to right; reading order is right to left
    assert "".join(order) == name.replace(" ", "")  # spaces are gaps between the pieces


def test_a_table_key_keeps_the_last_row_on_its_page(world) -> None:
    """Word keeps a paragraph marked "keep with next" on the page of what follows it."""
    from briefing.export.timeline import GRADE_KEY

    document = docx.Document(str(world[1]))
    body = list(document.element.body)
    keys = [p for p in document.paragraphs if p.text == GRADE_KEY]
    assert len(keys) == 1
    table = body[body.index(keys[0]._p) - 1]
    assert table.tag == qn("w:tbl")
    rows = table.findall(qn("w:tr"))
    last = [p for p in rows[-1].iter(qn("w:p"))]
    assert last and all(p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None for p in last)
    assert not list(rows[1].iter(qn("w:keepNext")))  # only the last row is held
