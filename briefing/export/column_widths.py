"""Table column widths from what the cells hold, so no word is cut when a wider column fits.

ReportLab cuts a word wider than its column into pieces ("Nagorno-K|arabakh").
Each column here gets at least its longest word, at most its longest line, and
otherwise its share of the page by a designed weight; what is left over goes to
the one column that reads in long lines (the timeline's Event). Only when the
longest words of all columns together are wider than the page can a word be cut.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph

from briefing.export import lines

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


LEAST = 24.0
"""No column is cut narrower than this (points): room for a short word and any cell padding."""
_GAPS = re.compile(r"[ \t\r\n\u200b]+")
"""Where ReportLab may break a line (a no-break space is not among them)."""


@lru_cache(maxsize=65536)
def _width(text: str, font: str, size: float) -> float:
    return stringWidth(text, font, size)


def measure(paragraph: Paragraph) -> Bounds:
    """The paragraph's longest word and longest line (its ``<br/>`` breaks kept), unpadded.

    Read from its fragments with widths remembered per word, so measuring every
    cell of a 1,000-row table costs a fraction of laying it out. A shaped
    paragraph (one that needs HarfBuzz: Arabic, Hebrew, Indic) is measured by the
    code that lays it out, by its shaped words and lines in the same way.
    """
    if getattr(paragraph, "_complex", False):
        return Bounds(*lines.extent(paragraph.shaped()))  # type: ignore[attr-defined]
    frags = paragraph.frags
    low = high = line = word = 0.0
    for frag in frags:
        if getattr(frag, "lineBreak", False):
            low, word = max(low, word), 0.0
            high, line = max(high, line), 0.0
            continue
        text = getattr(frag, "text", "")
        if not text:
            continue
        font, size = frag.fontName, frag.fontSize
        line += _width(text, font, size)
        parts = _GAPS.split(text)
        for index, part in enumerate(parts):
            if index:  # a gap came before this part: the word before it ended
                low, word = max(low, word), 0.0
            if part:
                word += _width(part, font, size)
    return Bounds(max(low, word), max(high, line))


def column_bounds(
    rows: Sequence[Sequence[Cell]], column: int, padding: float, widest: bool = True
) -> Bounds:
    """The narrowest and widest width column ``column`` of ``rows`` needs, padding included.

    ``widest=False`` leaves the widest unmeasured (for the column that takes what is left).
    """
    low = high = 0.0
    for row in rows:
        for paragraph in _paragraphs(row[column]):
            indent = paragraph.style.leftIndent + paragraph.style.rightIndent
            found = measure(paragraph)
            low = max(low, found.low + indent)
            if widest:
                high = max(high, found.high + indent)
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
    narrowest widths do not fit, the widest are cut down alike (:func:`_cut_widest`).
    """
    lows = [b.low for b in bounds]
    others = sum(lows) - lows[flex]
    lows[flex] = max(lows[flex], min(floor, total - others))
    highs = [float("inf") if i == flex else b.high for i, b in enumerate(bounds)]
    if sum(lows) >= total:
        return _cut_widest(lows, total, flex)

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


def _cut_widest(lows: list[float], total: float, flex: int) -> list[float]:
    """Widths when the longest words do not fit: the widest columns cut to one width.

    Narrow columns (a row number, a grade) keep their words whole; only words in
    the columns cut down (a 20,000-letter "word", say) are broken across lines.
    """
    low, high = 0.0, max(lows)
    for _ in range(40):
        middle = (low + high) / 2
        if sum(min(w, middle) for w in lows) > total:
            high = middle
        else:
            low = middle
    widths = [min(w, max(low, LEAST)) for w in lows]
    if sum(widths) > total:  # so many columns that not even the least width fits
        widths = [w * total / sum(widths) for w in widths]
    widths[flex] += total - sum(widths)
    return widths
