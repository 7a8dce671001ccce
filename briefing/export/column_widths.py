"""Table column widths from what the cells hold, so no word is cut when a wider column fits.

ReportLab cuts a word wider than its column into pieces ("Nagorno-K|arabakh").
Each column here gets at least its longest word, at most its longest line, and
otherwise its share of the page by a designed weight; what is left over goes to
the one column that reads in long lines (the timeline's Event). Only when the
longest words of all columns together are wider than the page can a word be cut.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph

Cell = Flowable | Sequence[Flowable] | str | None


@dataclass(frozen=True)
class Bounds:
    """A column's narrowest width without a cut word, and its widest useful width."""

    low: float
    high: float


def _paragraphs(cell: Cell) -> list[Paragraph]:
    if isinstance(cell, Paragraph):
        return [cell]
    if isinstance(cell, Sequence) and not isinstance(cell, str):
        return [p for p in cell if isinstance(p, Paragraph)]
    return []


def _line_width(paragraph: Paragraph) -> float:
    """The paragraph's longest line when nothing is wrapped (its ``<br/>`` breaks kept)."""
    if getattr(paragraph, "_complex", False):  # shaped text: its runs end to end, at most
        return sum(stringWidth(f.text, f.fontName, f.fontSize) for f in paragraph.frags)
    paragraph.wrap(1e6, 1e6)
    widths = paragraph.getActualLineWidths0()
    return max(widths, default=0.0)


def column_bounds(
    rows: Sequence[Sequence[Cell]], column: int, padding: float, widest: bool = True
) -> Bounds:
    """The narrowest and widest width column ``column`` of ``rows`` needs, padding included.

    ``widest=False`` skips measuring whole lines (for the column that takes what is left).
    """
    low = high = 0.0
    for row in rows:
        for paragraph in _paragraphs(row[column]):
            indent = paragraph.style.leftIndent + paragraph.style.rightIndent
            low = max(low, paragraph.minWidth() + indent)
            if widest:
                high = max(high, _line_width(paragraph) + indent)
    return Bounds(low + padding + 0.5, max(high, low) + padding + 0.5)


def fitted_widths(
    weights: Sequence[float],
    bounds: Sequence[Bounds],
    total: float,
    flex: int,
    floor: float = 0.0,
) -> list[float]:
    """Widths summing to ``total``: each weight's share, held between its column's bounds.

    The share is one scale for every column (found by halving), so columns keep
    their designed proportions wherever the content allows. Room left when every
    column is at its widest goes to column ``flex``, which is given at least
    ``floor`` as far as the other columns' longest words allow. When even the
    narrowest widths do not fit, they shrink in proportion (a word may then be cut).
    """
    lows = [b.low for b in bounds]
    others = sum(lows) - lows[flex]
    lows[flex] = max(lows[flex], min(floor, total - others))
    highs = [float("inf") if i == flex else b.high for i, b in enumerate(bounds)]
    if sum(lows) >= total:
        return [low * total / sum(lows) for low in lows]

    def at(scale: float) -> list[float]:
        return [min(max(w * scale, lo), hi) for w, lo, hi in zip(weights, lows, highs, strict=True)]

    low_scale, high_scale = 0.0, total / min(w for w in weights if w > 0)
    for _ in range(40):
        middle = (low_scale + high_scale) / 2
        if sum(at(middle)) > total:
            high_scale = middle
        else:
            low_scale = middle
    widths = at(low_scale)
    widths[flex] += total - sum(widths)
    return widths
