"""Keeping things whole: table rows within a page, headings with what follows them."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    LongTable,
    Paragraph,
    TableStyle,
)

from briefing.export.fonts import SANS
from briefing.export.styles import FRAME_HEIGHT

MIN_START = 100.0
"""Least room, in points, worth starting a row that is split anyway."""


def frame_height(flowable: Flowable) -> float:
    """The full height of the frame a flowable is laid out in (portrait or landscape page)."""
    frame = getattr(flowable, "_frame", None)
    if frame is None:
        try:
            frame = flowable._doctemplateAttr("frame")
        except AttributeError:
            frame = None
    return float(frame._aH) if frame is not None else FRAME_HEIGHT


class BriefTable(LongTable):
    """A table that splits between rows, and inside a row only when it must.

    ReportLab's ``splitInRow`` would cut the first row wherever the page ends; a
    reader wants a timeline entry or a quote whole on one page. Only a row taller
    than half a page (a 100 KB quote) is split across pages, and only where at
    least :data:`MIN_START` points are left.
    """

    kept_below: Flowable | None = None
    """A note printed under the table (a key) that must never open a page alone: when the
    table fits but the note does not, the last row goes overleaf with it."""

    def __init__(self, rows: list[list[Any]], **options: Any) -> None:
        options.setdefault("splitInRow", 1)
        options.setdefault("hAlign", "LEFT")
        super().__init__(rows, **options)
        self.styles_given: list[Any] = []
        # The cells hold paragraphs; without this the table selects Helvetica, unembedded.
        self.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), SANS)]))

    def setStyle(self, tblstyle: Any) -> None:
        self.styles_given.append(tblstyle)
        super().setStyle(tblstyle)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        width, height = super().wrap(availWidth, availHeight)
        if self._note_left_alone(availWidth, availHeight, height):
            return width, availHeight + 1  # too tall: the frame asks for a split instead
        return width, height

    def _note_left_alone(self, width: float, room: float, height: float) -> bool:
        """Whether the whole table fits in ``room`` but the note under it would not.

        At the top of a page a one-row table is left whole: moving it on would not help.
        """
        below = self.kept_below
        if below is None or height > room:
            return False
        need = below.wrap(width, room)[1] + below.getSpaceBefore()
        rows = len(self._cellvalues) - self.repeatRows
        at_top = room >= frame_height(self) - 1
        return height + need > room and (rows > 1 or not at_top)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        parts = self._split(availWidth, availHeight)
        if parts and hasattr(self, "_anchors"):
            parts[0]._anchors = self._anchors  # links point at where the table starts
        for part in parts:  # ReportLab copies the styles itself; the probes need them too
            if isinstance(part, BriefTable):
                part.styles_given = list(self.styles_given)
                part.kept_below = self.kept_below if part is parts[-1] else None
        return parts

    def _split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        self._calc(availWidth, availHeight)
        if self._note_left_alone(availWidth, availHeight, self._height):
            # The last row goes overleaf with the note: cut half-way down it, so every
            # row above it (whose heights sum to exactly the rest) stays on this page.
            last = self._rowHeights[-1]
            return self._splitRows(self._height - last / 2, doInRowSplit=False)
        whole_rows = self._splitRows(availHeight, doInRowSplit=False)
        at_top = availHeight >= frame_height(self) - 1
        if whole_rows or not (at_top or availHeight >= MIN_START and self.oversized(availWidth)):
            return whole_rows
        return self._splitRows(availHeight, doInRowSplit=True)

    def start_height(self, width: float) -> float:
        """Height of the header rows and the first row: what must fit below a heading."""
        count = min(self.repeatRows + 1, len(self._cellvalues))
        probe = LongTable(self._cellvalues[:count], colWidths=self._argW)
        for style in self.styles_given:
            probe.setStyle(style)
        return probe.wrap(width, FRAME_HEIGHT)[1]

    def oversized(self, width: float) -> bool:
        """Whether the first row is so tall that it may be split wherever the page ends."""
        return self.start_height(width) > FRAME_HEIGHT / 2


def _start_height(flowable: Flowable, canvas: Any, width: float) -> float:
    if isinstance(flowable, BriefTable) or hasattr(flowable, "oversized"):  # or a ChunkedTable
        return MIN_START if flowable.oversized(width) else flowable.start_height(width)
    height = flowable.wrapOn(canvas, width, FRAME_HEIGHT)[1]
    if isinstance(flowable, KeepTogether):
        height = flowable._H  # its wrap answers "too tall" on purpose, to be split
    elif isinstance(flowable, Paragraph):
        height = min(height, 3 * flowable.style.leading)
    return min(height, FRAME_HEIGHT) + flowable.getSpaceBefore()


class Guard(CondPageBreak):
    """A page break unless the headings and the start of what follows them fit.

    A figure among the headings (marked ``_figure``: the alliance diagram) only
    needs room for itself and the headings above it. Moving a diagram on with its
    table's first row left up to half a page empty; a table starting overleaf
    under its figure is what a report does anyway.

    Cheaper than ``keepWithNext``, which lays out all of a 1,000-row table just to
    decide whether its heading fits above it.
    """

    def __init__(self, headings: list[Flowable], following: Flowable) -> None:
        super().__init__(0)
        self.headings = headings
        self.following = following

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        canvas = self._doctemplateAttr("canv")
        own = sum(
            h.wrapOn(canvas, availWidth, availHeight)[1] + h.getSpaceBefore() + h.getSpaceAfter()
            for h in self.headings
        )
        self.height = own + _start_height(self.following, canvas, availWidth)
        if any(getattr(h, "_figure", False) for h in self.headings):
            self.height = own  # a figure that fits stays: its table may start overleaf
        if availHeight >= frame_height(self) - 1:
            return 0, 0  # at the top of a page already: breaking would not help
        return super().wrap(availWidth, availHeight)


def guard_headings(story: list[Flowable]) -> list[Flowable]:
    """Put a :class:`Guard` before each run of headings (flowables marked ``_heading``)."""
    guarded: list[Flowable] = []
    headings: list[Flowable] = []
    for flowable in story:
        if getattr(flowable, "_heading", False):
            headings.append(flowable)
            continue
        if headings:
            guarded += [Guard(headings, flowable), *headings]
            headings = []
        guarded.append(flowable)
    return guarded + headings
