"""A long table laid out a page at a time, its rows made only when their page is.

One ReportLab table of 10,000 timeline rows holds every cell's paragraphs (and
the lines they wrap into) until the document is finished: about 100 KB a row.
A :class:`ChunkedTable` holds a way to make row *i* instead. When a page is laid
out it makes a :class:`~briefing.export.tables.BriefTable` of the header and as
many rows as fit; the rows that do not fit wait in a new ChunkedTable for the
next page, and rows already drawn are dropped. The look is the one long table's:
the header repeated at the top of each page, the shading restarting on each page
(as ReportLab restarts it), a row split only when it must be. Column widths are
measured first, in one pass that makes each row and drops it once measured.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.platypus import Flowable, TableStyle

from briefing.export.cancel import Check, never
from briefing.export.column_widths import Bounds, column_bounds
from briefing.export.tables import BriefTable

Row = list[Any]
STEP = 8
"""Rows made at a time while a page is filled (then as many again as are waiting)."""


def _long(row: Row) -> bool:
    """Whether a cell holds a text in several pieces, which the overflow may shorten."""
    return any(isinstance(cell, list) and len(cell) > 1 for cell in row)


@dataclass
class RowSource:
    """What every piece of one long table shares: the header, the rows, widths and style."""

    head: list[Row]
    count: int
    make: Callable[[int], Row]
    widths: list[float] = field(default_factory=list)
    styles: list[TableStyle] = field(default_factory=list)
    long_rows: list[int] = field(default_factory=list)
    """Rows with a cell in several pieces, found while measuring (see :meth:`ChunkedTable.cap`)."""
    kept: dict[int, Row] = field(default_factory=dict)
    """Rows made ahead (and shortened), handed out as they are instead of made again."""

    def carried(self) -> list[TableStyle]:
        """The styles of a piece that continues the table after a break between rows.

        Where ReportLab splits a table between rows, a line below the rows it
        splits (the rule between rows) is also drawn above the first row of the
        next page, over the header's own line, just before that rule; a
        continuing piece draws it so too. A row split inside itself carries none.
        """
        first = len(self.head)
        styles = []
        for style in self.styles:
            commands = []
            for command in style.getCommands():
                op, (sc, sr), (ec, er), *rest = command
                if op == "LINEBELOW" and (er < 0 or er >= first) and sr <= first:
                    commands.append(("LINEABOVE", (sc, first), (ec, first), *rest))
                commands.append(command)
            styles.append(TableStyle(commands))
        return styles

    def row(self, index: int) -> Row:
        kept = self.kept.pop(index, None)
        return kept if kept is not None else self.make(index)

    def measure(self, padding: float, flex: int, check: Check = never) -> list[Bounds]:
        """Each column's bounds over the header and every row, made one at a time and dropped.

        Folding :func:`column_bounds` row by row gives what it gives over all rows at once.
        """
        columns = len(self.head[0])
        found = [Bounds(0.0, 0.0)] * columns
        for index in range(-len(self.head), self.count):
            if index >= 0:
                check()
            row = self.head[index] if index < 0 else self.make(index)
            if index >= 0 and _long(row):
                self.long_rows.append(index)
            found = [
                _wider(found[c], column_bounds([row], c, padding, widest=c != flex))
                for c in range(columns)
            ]
        return found


def _wider(a: Bounds, b: Bounds) -> Bounds:
    return Bounds(max(a.low, b.low), max(a.high, b.high))


class ChunkedTable(Flowable):
    """The rows of a :class:`RowSource` from ``start`` on, after the ``waiting`` ones."""

    def __init__(
        self,
        source: RowSource,
        start: int = 0,
        waiting: Sequence[Row] = (),
        continued: bool = False,
    ) -> None:
        super().__init__()
        self.source = source
        self.continued = continued
        """A piece after a break between rows: it carries the split's lines (:meth:`carried`)."""
        self.next = start
        self.waiting = list(waiting)
        self.hAlign = "LEFT"
        self._piece: BriefTable | None = None
        self.kept_below: Flowable | None = None
        """The table's key (see ``BriefTable.kept_below``), held by the piece with the last rows."""

    @property
    def _argW(self) -> list[float]:  # noqa: N802 - ReportLab's name, read by the overflow
        return self.source.widths

    @property
    def rows_left(self) -> int:
        """Rows not yet laid out (the progress bar's measure of work left)."""
        return len(self.waiting) + self.source.count - self.next

    def cap(self, shorten: Callable[[Row], None]) -> None:
        """Let ``shorten`` change the long rows in place; they are kept until laid out."""
        kept = self.source.kept
        for index in self.source.long_rows:
            if index not in kept:
                kept[index] = self.source.make(index)
            shorten(kept[index])

    def _table(self, rows: list[Row]) -> BriefTable:
        head = self.source.head
        table = BriefTable([*head, *rows], colWidths=self.source.widths, repeatRows=len(head))
        for style in self.source.carried() if self.continued else self.source.styles:
            table.setStyle(style)
        anchors = getattr(self, "_anchors", None)
        if anchors:
            table._anchors = anchors  # type: ignore[attr-defined]
        if hasattr(self, "_frame"):
            table._frame = self._frame  # type: ignore[attr-defined]
        if self.next >= self.source.count:
            table.kept_below = self.kept_below
        return table

    def _take(self, count: int) -> None:
        while count > 0 and self.next < self.source.count:
            self.waiting.append(self.source.row(self.next))
            self.next += 1
            count -= 1

    def _fill(self, width: float, height: float) -> tuple[BriefTable, float]:
        """A table of the waiting rows, more made until it is taller than ``height`` or whole."""
        if not self.waiting:
            self._take(STEP)
        while True:
            table = self._table(self.waiting)
            _, tall = table.wrapOn(self.canv, width, height)
            if tall > height or self.next >= self.source.count:
                return table, tall
            self._take(max(len(self.waiting), STEP))

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self._piece, tall = self._fill(availWidth, availHeight)
        self.width, self.height = self._piece._width, tall
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        table, _ = self._fill(availWidth, availHeight)
        parts = table.splitOn(self.canv, availWidth, availHeight)
        if len(parts) < 2:
            return parts
        first, rest = parts
        head = len(self.source.head)
        waiting = rest._cellvalues[head:]
        inside = len(first._cellvalues) + len(rest._cellvalues) > len(table._cellvalues) + head
        if isinstance(first, BriefTable):
            first.kept_below = None  # the key goes with the rows after it
        rest_piece = ChunkedTable(self.source, self.next, waiting, continued=not inside)
        rest_piece.kept_below = self.kept_below
        return [first, rest_piece]

    def draw(self) -> None:
        """The piece drawn where this stands, as the one long table draws it (no extra state)."""
        assert self._piece is not None
        self._piece.canv = self.canv
        try:
            self._piece.draw()
        finally:
            del self._piece.canv

    def _probe(self) -> BriefTable:
        if not self.waiting:
            self._take(1)
        return self._table(self.waiting[:1])

    def start_height(self, width: float) -> float:
        """Height of the header and the first row: what must fit below a heading."""
        return self._probe().start_height(width)

    def oversized(self, width: float) -> bool:
        """Whether the first row may be split wherever the page ends (see ``BriefTable``)."""
        return self._probe().oversized(width)
