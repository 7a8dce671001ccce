"""A table whose key does not fit under it sends only its last row overleaf with the key."""

from __future__ import annotations

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from briefing.export.fonts import register_fonts
from briefing.export.tables import BriefTable

WIDTH = 400.0


@pytest.mark.parametrize("heights", [(14.7, 65.7, 35.1), (20.0, 40.0, 40.0), (10.0, 10.0, 10.0)])
def test_every_row_but_the_last_stays_when_only_the_key_does_not_fit(heights) -> None:
    register_fonts()
    table = BriefTable(
        [["#", "Event"], ["1", "Clashes"], ["2", "Captives"]],
        colWidths=[100, 300],
        rowHeights=list(heights),
        repeatRows=1,
    )
    table.kept_below = Paragraph("Claims are set side by side. " * 8, ParagraphStyle("key"))
    whole = sum(heights)
    room = whole + 5  # the table fits; the key under it does not
    assert table.wrap(WIDTH, room)[1] > room  # the frame is told to split instead
    parts = table.split(WIDTH, room)
    assert len(parts) == 2, "the whole table went overleaf, leaving its heading alone"
    first, rest = parts
    assert [row[0] for row in first._cellvalues] == ["#", "1"]
    assert [row[0] for row in rest._cellvalues] == ["#", "2"]
    assert first.kept_below is None and rest.kept_below is table.kept_below
