"""Unusual project text in a shaped (right-to-left) paragraph prints whole, within its frame.

Read back from the printed PDF with pypdf: what each text operation writes and
where it starts. Compared without whitespace, NFKC-normalised (Arabic is written
with its presentation forms), as in ``test_pdf_scripts``.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import SimpleDocTemplate, Spacer, TableStyle

from briefing.export.styles import styles
from briefing.export.tables import BriefTable
from briefing.export.text import CachedParagraph, plain

HEBREW = "משרד הביטחון מסר כי 4 חיילים נפצעו [מקור 5] (בגבול) "
WIDTH = 200.0
"""The frame's width in points: a narrow column, as in a table."""


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def printed(path: Path) -> list[tuple[str, float]]:
    """Each text operation of every page: its text and where it starts (x)."""
    found: list[tuple[str, float]] = []
    for page in PdfReader(path).pages:
        page.extract_text(
            visitor_text=lambda text, cm, tm, font, size: found.append((text, cm[4] + tm[4]))
        )
    return [(text, x) for text, x in found if text.strip()]


def build(path: Path, story: list, width: float | None = None) -> SimpleDocTemplate:
    doc = SimpleDocTemplate(str(path))
    if width is not None:
        doc.rightMargin = doc.pagesize[0] - doc.leftMargin - width
    doc.build(story)
    return doc


def test_a_right_to_left_text_longer_than_a_page_starting_at_a_page_foot_prints_whole(
    tmp_path: Path,
) -> None:
    """Pushed to the next page whole, then cut there: each part is new to the page flow.

    A part copied the mark ReportLab leaves on a flowable it pushed on, and was
    then refused as too large for any page.
    """
    st = styles()
    text = "".join(f"{HEBREW}{i} " for i in range(300))  # about two and a half pages
    doc = SimpleDocTemplate(str(tmp_path / "probe.pdf"))
    room = doc.height - 12  # the frame's padding
    story = [Spacer(1, room - st.body.leading / 3), CachedParagraph(plain(text), st.body)]
    path = tmp_path / "long.pdf"
    build(path, story)
    assert squeeze("".join(t for t, _ in printed(path))) == squeeze(text)
    assert len(PdfReader(path).pages) >= 3


def test_a_word_wider_than_its_column_is_cut_between_characters_and_stays_inside(
    tmp_path: Path,
) -> None:
    st = styles()
    word = "Supercalifragilistic" * 12 + "https://example.org/" + "a" * 120
    marked = "e\u0301" * 40  # an accent is never cut from its letter
    text = f"{HEBREW}{word} {marked} {HEBREW}"
    paragraph = CachedParagraph(plain(text), st.cell)
    path = tmp_path / "word.pdf"
    doc = build(path, [paragraph], WIDTH)
    left, right = doc.leftMargin, doc.leftMargin + WIDTH
    runs = printed(path)
    assert squeeze("".join(t for t, _ in runs)) == squeeze(text)
    latin = [(t, x) for t, x in runs if t.isascii() and len(t.strip()) > 1]
    assert sum(len(t) for t, _ in latin) >= len(word)
    for piece, x in latin:
        end = x + stringWidth(piece, st.cell.fontName, st.cell.fontSize)
        assert left - 0.5 <= x and end <= right + 0.5, (piece[:20], x, end, right)
    assert not any(t.startswith("\u0301") for t, _ in runs)


def test_a_line_break_in_text_of_any_script_is_a_line_break_not_a_box(tmp_path: Path) -> None:
    st = styles()
    text = "Привет\nмир\tи\r\nвсё"
    path = tmp_path / "breaks.pdf"
    hebrew = HEBREW + "\nשלום"
    build(path, [CachedParagraph(plain(text), st.body), CachedParagraph(plain(hebrew), st.body)])
    runs = printed(path)
    joined = "".join(t for t, _ in runs)
    assert "□" not in joined
    assert squeeze(joined) == squeeze(text + hebrew)
    lines = PdfReader(path).pages[0].extract_text().splitlines()
    assert [line.strip() for line in lines[:3]] == ["Привет", "мир и", "всё"]


def test_a_row_split_across_pages_keeps_its_text_inside_its_column(tmp_path: Path) -> None:
    """ReportLab splits a cell at the column's whole width; the parts keep the inner width."""
    st = styles()
    word = "Supercalifragilistic" * 12
    text = "".join(f"{HEBREW}{word} {i} " for i in range(60))  # taller than a page
    column = 220.0
    cells = [[CachedParagraph(plain(text), st.cell)], [CachedParagraph(plain(text), st.cell)]]
    table = BriefTable([cells], colWidths=[column, column])
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 6),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 6)]))  # fmt: skip
    path = tmp_path / "row.pdf"
    doc = build(path, [table])
    runs = printed(path)
    assert len(PdfReader(path).pages) >= 2
    middle = doc.leftMargin + 6 + column  # the frame's padding, then the first column
    for edge, side in (
        (middle - 6, lambda x: x < middle),
        (middle + column - 6, lambda x: x > middle),
    ):
        column_runs = [(t, x) for t, x in runs if side(x)]
        assert squeeze("".join(t for t, _ in column_runs)) == squeeze(text)
        for piece, x in column_runs:
            if piece.isascii() and len(piece.strip()) > 1:
                end = x + stringWidth(piece, st.cell.fontName, st.cell.fontSize)
                assert end <= edge + 0.5, (piece[:20], x, end, edge)
