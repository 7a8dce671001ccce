"""Rows stay whole on a page unless taller than half a page."""

from __future__ import annotations

import pytest
from reportlab.platypus import Paragraph

from briefing.export.styles import FRAME_HEIGHT, FRAME_WIDTH, styles
from briefing.export.tables import MIN_START, BriefTable


def table(lines_per_row: list[int]) -> BriefTable:
    body = styles().body
    rows = [[Paragraph("Header", body)]]
    rows += [[Paragraph("<br/>".join(["line"] * n), body)] for n in lines_per_row]
    return BriefTable(rows, colWidths=[FRAME_WIDTH], repeatRows=1)


@pytest.mark.parametrize(
    ("rows", "room", "parts"),
    [
        ([5, 5], 120, 2),  # split between whole rows
        ([20], 150, 0),  # a 20-line row moves to the next page whole
        ([20], FRAME_HEIGHT, 1),  # ... where it fits whole
        ([80], MIN_START + 50, 2),  # a row taller than half a page splits where it is
        ([80], MIN_START - 10, 0),  # unless almost nothing is left
    ],
)
def test_split(rows: list[int], room: float, parts: int) -> None:
    t = table(rows)
    t.wrap(FRAME_WIDTH, room)
    assert len(t.split(FRAME_WIDTH, room)) == parts
