"""A long table laid out a page at a time prints what one long table prints.

The rows of a :class:`ChunkedTable` are made when their page is laid out and
dropped once drawn; the pages read back the same, page for page, as the
one-table build, with the header on every page, and rows too tall for a page
split as before.
"""

from __future__ import annotations

import gc
import io
import weakref

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate

from briefing.export.chunked import STEP, ChunkedTable, RowSource
from briefing.export.styles import styles
from briefing.export.tables import BriefTable
from briefing.export.text import CachedParagraph, paragraphs
from briefing.export.timeline import TABLE_STYLE

WORDS = "Ceasefire <breach> & shelling near Ջերմուկ; قصف مدفعي; 停火 🚀 reported by"


def _row(index: int, tall: bool = False) -> list:
    st = styles()
    text = f"{index}. {WORDS} " * (3 + index % 5)
    if tall:
        text = f"{text}. " * 40  # taller than a page: split inside the row
    return [
        CachedParagraph(f"<b>{index}</b>", st.cell),
        paragraphs(text, st.cell),
        CachedParagraph(f"note {index % 7}", st.cell),
    ]


def _head() -> list:
    return [CachedParagraph(name, styles().cell_head) for name in ("#", "Event", "Notes")]


def _build(story: list) -> bytes:
    stream = io.BytesIO()
    SimpleDocTemplate(stream, pagesize=A4).build(story)
    return stream.getvalue()


def _pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def _drawn(data: bytes) -> list[bytes]:
    """What each page draws (its content stream): every line, fill and glyph run."""
    return [page.get_contents().get_data() for page in PdfReader(io.BytesIO(data)).pages]


WIDTHS = [24.0, 300.0, 80.0]


def _source(count: int, tall: set[int], made: list[int] | None = None) -> RowSource:
    def make(index: int) -> list:
        if made is not None:
            made.append(index)
        return _row(index, index in tall)

    return RowSource([_head()], count, make, WIDTHS, [TABLE_STYLE])


@pytest.mark.parametrize(("count", "tall"), [(1, set()), (7, set()), (150, set()), (40, {3, 17})])
def test_the_pages_read_as_one_long_table(count: int, tall: set[int]) -> None:
    whole = BriefTable(
        [_head(), *(_row(i, i in tall) for i in range(count))], colWidths=WIDTHS, repeatRows=1
    )
    whole.setStyle(TABLE_STYLE)
    expected_data = _build([whole])
    data = _build([ChunkedTable(_source(count, tall))])
    got, expected = _pages(data), _pages(expected_data)
    assert got == expected
    assert _drawn(data) == _drawn(expected_data)  # the same rules and shading, drawn alike
    assert all(page.split()[:3] == ["#", "Event", "Notes"] for page in got)  # header on each
    assert "Ջերմուկ" in got[0] and "<breach> &" in got[0]


def test_rows_are_made_as_their_page_is_laid_out_and_dropped_once_drawn() -> None:
    made: list[int] = []
    alive: weakref.WeakSet = weakref.WeakSet()
    most = [0]
    source = _source(400, set(), made)
    plain_make = source.make

    def make(index: int) -> list:
        if index % 25 == 0:
            gc.collect()
            most[0] = max(most[0], len(alive))
        row = plain_make(index)
        alive.add(row[0])
        return row

    source.make = make
    data = _build([ChunkedTable(source)])
    pages = len(PdfReader(io.BytesIO(data)).pages)
    assert made == list(range(400))  # each row made once, in order
    assert pages > 20
    assert most[0] <= 4 * STEP + 20  # a page's rows or so, never the whole table


def test_measuring_equals_measuring_all_rows_at_once() -> None:
    from briefing.export.column_widths import column_bounds

    source = _source(60, {5})
    rows = [_head(), *(source.make(i) for i in range(60))]
    found = source.measure(5.0, 1)
    for column in range(3):
        assert found[column] == column_bounds(rows, column, 5.0, widest=column != 1)
    assert source.long_rows == [i for i in range(60) if len(rows[i + 1][1]) > 1]


def test_a_piece_after_a_page_break_draws_the_rule_carried_over_the_split() -> None:
    (carried,) = _source(3, set()).carried()
    lines = [c[:3] for c in carried.getCommands() if c[0].startswith("LINE")]
    assert lines == [
        ("LINEBELOW", (0, 0), (-1, 0)),
        ("LINEABOVE", (0, 1), (-1, 1)),
        ("LINEBELOW", (0, 1), (-1, -1)),
    ]
