"""Where a printed map writes each marker's row numbers, so that no two overlap.

Each marker's numbers go beside it if there is room (right, left, above, below,
then the corners), else further out on a short leader line back to the marker.
A spot is taken only if its box stays inside the map panel and touches no other
marker and no number already placed; markers are served largest first, since a
group's numbers say most. A label that finds no spot at all (a map so crowded
that even the ring of spots 40 points out is full) joins the nearest placed
label, which then lists both markers' numbers: a grouped label, never an overlap.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from briefing.figures.clip import Rect
from briefing.figures.projection import Point

NUMBER_SIZE = 7.5
DIGIT_WIDTH = 0.64
"""A number's width per character, as a share of the size (bold condensed digits, with room)."""
GAPS = (1.5, 8.0, 16.0, 26.0, 40.0)
"""How far from the marker's edge a label is tried; beyond the first a leader line is drawn."""
DIRECTIONS = (0.0, 180.0, 90.0, 270.0, 45.0, 315.0, 135.0, 225.0)
"""Right, left, above, below, then the corners (degrees, y up)."""


@dataclass(frozen=True)
class Circle:
    x: float
    y: float
    radius: float
    text: str
    """The numbers to write ("" for a marker without a row number)."""


@dataclass(frozen=True)
class NumberLabel:
    """A placed label: its text's left baseline, its box and, if it stands off, a leader."""

    text: str
    x: float
    y: float
    box: Rect
    leader: tuple[Point, Point] | None
    owners: tuple[int, ...]
    """Indexes of the circles whose numbers it lists."""


def text_box(text: str, left: float, baseline: float, size: float = NUMBER_SIZE) -> Rect:
    """The box a number written from ``left`` on ``baseline`` covers."""
    return (
        left - 0.5,
        baseline - size * 0.25,
        left + len(text) * size * DIGIT_WIDTH + 0.5,
        (baseline + size * 0.8),
    )


def _overlap(a: Rect, b: Rect) -> bool:
    return a[0] < b[2] and a[2] > b[0] and a[1] < b[3] and a[3] > b[1]


def _touches(box: Rect, circle: Circle) -> bool:
    nearest_x = min(max(circle.x, box[0]), box[2])
    nearest_y = min(max(circle.y, box[1]), box[3])
    return math.hypot(circle.x - nearest_x, circle.y - nearest_y) < circle.radius + 0.5


def _candidates(circle: Circle, text: str) -> list[tuple[float, float, Rect, float]]:
    """Label spots around ``circle``: text origin, box and the gap to the marker's edge."""
    width = len(text) * NUMBER_SIZE * DIGIT_WIDTH
    height = NUMBER_SIZE * 1.05
    found = []
    for gap in GAPS:
        reach = circle.radius + gap
        for degrees in DIRECTIONS:
            dx, dy = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
            # the box's nearest side or corner sits ``reach`` from the centre
            left = circle.x + dx * reach - (0 if dx > 0.1 else width if dx < -0.1 else width / 2)
            bottom = (
                circle.y + dy * reach - (0 if dy > 0.1 else height if dy < -0.1 else height / 2)
            )
            baseline = bottom + NUMBER_SIZE * 0.25
            found.append((left, baseline, text_box(text, left, baseline), gap))
    return found


def _leader(circle: Circle, box: Rect) -> tuple[Point, Point]:
    """From the marker's edge towards the label's nearest point, ending at the label."""
    tx = min(max(circle.x, box[0]), box[2])
    ty = min(max(circle.y, box[1]), box[3])
    length = math.hypot(tx - circle.x, ty - circle.y) or 1.0
    start = (circle.x + (tx - circle.x) * circle.radius / length,
             circle.y + (ty - circle.y) * circle.radius / length)  # fmt: skip
    return start, (tx, ty)


def _crosses(line: tuple[Point, Point], circles: Sequence[Circle], own: int) -> bool:
    """Whether a leader passes over another marker (it would point at the wrong one)."""
    (x0, y0), (x1, y1) = line
    for index, c in enumerate(circles):
        if index == own:
            continue
        dx, dy = x1 - x0, y1 - y0
        t = max(0.0, min(1.0, ((c.x - x0) * dx + (c.y - y0) * dy) / (dx * dx + dy * dy or 1.0)))
        if math.hypot(x0 + t * dx - c.x, y0 + t * dy - c.y) < c.radius:
            return True
    return False


def place_numbers(circles: Sequence[Circle], panel: Rect) -> list[NumberLabel]:
    """A label for every circle with numbers, no two boxes overlapping, none over a marker."""
    placed: list[NumberLabel] = []
    homeless: list[int] = []
    order = sorted(range(len(circles)), key=lambda i: -circles[i].radius)
    for index in order:
        circle = circles[index]
        if not circle.text:
            continue
        label = _spot(circles, index, circle.text, panel, placed)
        if label is None:
            homeless.append(index)
        else:
            placed.append(label)
    for index in homeless:
        if not _join_nearest(circles, index, panel, placed):
            placed.append(_beside(circles[index], index))
    return placed


def _beside(circle: Circle, index: int) -> NumberLabel:
    """The last resort where no clear spot is left: right beside the marker, overlap or not.

    A crowded map may print numbers over each other, but never leaves a row unnumbered.
    """
    left, baseline, box, _ = _candidates(circle, circle.text)[0]
    return NumberLabel(circle.text, left, baseline, box, None, (index,))


def _spot(
    circles: Sequence[Circle], index: int, text: str, panel: Rect, placed: list[NumberLabel]
) -> NumberLabel | None:
    circle = circles[index]
    for left, baseline, box, gap in _candidates(circle, text):
        inside = box[0] >= panel[0] and box[2] <= panel[2] and box[1] >= panel[1]
        if not (inside and box[3] <= panel[3]):
            continue
        if any(_overlap(box, p.box) for p in placed):
            continue
        if any(_touches(box, c) for c in circles):
            continue
        leader = _leader(circle, box) if gap > GAPS[0] else None
        if leader is not None and _crosses(leader, circles, index):
            continue
        return NumberLabel(text, left, baseline, box, leader, (index,))
    return None


def _join_nearest(
    circles: Sequence[Circle], index: int, panel: Rect, placed: list[NumberLabel]
) -> bool:
    """Add a circle's numbers to the nearest label that still fits with them; False if none."""
    circle = circles[index]
    by_distance = sorted(
        range(len(placed)),
        key=lambda n: math.hypot(placed[n].box[0] - circle.x, placed[n].box[1] - circle.y),
    )
    for n in by_distance:
        label = placed[n]
        text = f"{label.text}; {circle.text}"
        box = text_box(text, label.x, label.y)
        others = [p for m, p in enumerate(placed) if m != n]
        if box[2] > panel[2] or any(_overlap(box, p.box) for p in others):
            continue
        if any(_touches(box, c) for c in circles):
            continue
        placed[n] = NumberLabel(text, label.x, label.y, box, label.leader, (*label.owners, index))
        return True
    return False
