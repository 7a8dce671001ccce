"""Long table cells: the start in the table, the rest continued in an annex.

A table cell holding a whole report (100,000 characters) would fill pages with
one narrow column. A cell keeps as many whole pieces of its text (cut between
sentences, :func:`briefing.export.text.pieces`) as make about :data:`CELL_LINES`
lines in its column; a line then says "continued on p. N" and links to the annex
at the end of the brief, where the rest follows in full at the prose measure,
headed by what the row is and the page it continues. Nothing is printed twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table

from briefing.export.chunked import ChunkedTable
from briefing.export.pages import Marks, PageRef, anchor, heading
from briefing.export.styles import TABLE_SIZE, Styles
from briefing.export.text import CachedParagraph, clean, plain

CELL_LINES = 24
"""About how many lines of a column a cell may take before its text is continued."""
CHARACTER = 0.47 * TABLE_SIZE
"""Average width of a character of table text (DejaVu Sans Condensed)."""
TITLE = "Annex: continued texts"


@dataclass
class Overflow:
    """The rests of long cells, gathered while the story is finished, for the annex."""

    marks: Marks
    st: Styles
    items: list[tuple[str, str, list[Flowable]]] = field(default_factory=list)

    def cap(self, story: list[Flowable]) -> list[Flowable]:
        """Shorten long cells of the story's tables in place; returns the story."""
        for flowable in story:
            if isinstance(flowable, Table):
                for row in flowable._cellvalues:
                    self._row(flowable, row)
            elif isinstance(flowable, ChunkedTable):
                flowable.cap(lambda row, table=flowable: self._row(table, row))
            elif isinstance(flowable, KeepTogether):
                self.cap(flowable._content)
        return story

    def _row(self, table: Table | ChunkedTable, row: list[Any]) -> None:
        for column, cell in enumerate(row):
            if isinstance(cell, list) and len(cell) > 1:
                limit = CELL_LINES * max(table._argW[column] - 6, 40) / CHARACTER
                self._cell(table, cell, int(limit))

    def _cell(self, table: Flowable, cell: list[Flowable], limit: int) -> None:
        used = 0
        for index, flowable in enumerate(cell):
            if not isinstance(flowable, Paragraph):
                continue
            used += len(flowable.getPlainText())
            end = index + 1
            while end < len(cell) and _piece(cell[end]):
                end += 1
            if used > limit and end > index + 1:
                self._move(table, cell, index + 1, end)
                return

    def _move(self, table: Flowable, cell: list[Flowable], start: int, end: int) -> None:
        """Move the pieces ``cell[start:end]`` to the annex; a line takes their place."""
        number = len(self.items) + 1
        key, back = f"annex-{number}", f"annex-{number}-from"
        rest = cell[start:end]
        cell[start:end] = [PageRef(f"Continued in A{number}, p.", key, self.marks)]
        anchor(table, *getattr(table, "_anchors", ()), back)
        moved: list[Flowable] = [PageRef("Continued from the table on p.", back, self.marks)]
        moved += [_restyled(f, self.st) for f in rest]
        self.items.append((key, f"A{number}. {_context(cell)}", moved))

    def annex(self) -> list[Flowable]:
        """The annex's heading and items (nothing when no cell was shortened)."""
        if not self.items:
            return []
        head = heading(TITLE, self.st.heading, "annex", TITLE)
        head._heading = True  # type: ignore[attr-defined]
        flow: list[Flowable] = [head]
        for key, title, parts in self.items:
            item = heading(plain(title), self.st.block_heading, key, title, level=1)
            item._heading = True  # type: ignore[attr-defined]
            flow += [item, *parts]
        return flow


def _restyled(piece: Flowable, st: Styles) -> Flowable:
    """A piece of a cell's text set as body text (quotes in italics stay so)."""
    assert isinstance(piece, Paragraph)
    return CachedParagraph(piece.text, st.body)


def _piece(flowable: Flowable) -> bool:
    """Whether a flowable is a further piece of the text before it."""
    return isinstance(flowable, Paragraph) and flowable.style.name.endswith("-continued")


def _context(cell: list[Flowable]) -> str:
    """What the cell is, from its first line (an entry's title, who said a quote)."""
    first = cell[0]
    text = clean(first.getPlainText()) if isinstance(first, Paragraph) else ""
    text = " ".join(text.split())
    return text if len(text) <= 90 else text[:89].rstrip() + "…"
