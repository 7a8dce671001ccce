"""Events on a map: which may be drawn, their colour and size, and overlapping ones grouped.

Colour says the verification status (or the party that acted), the area grows with
the casualties reported, and markers closer than a marker's width are drawn as one
group with a count. Positions are projected kilometres; the cell given to
:func:`group_markers` is a marker's width in kilometres at the scale drawn.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from briefing.figures.projection import Point

STATUS_COLOURS = {
    "confirmed": "#1B7F3B",
    "reported": "#1F4E79",
    "unconfirmed": "#6B6B6B",
    "disputed": "#B35C00",
    "refuted": "#B00020",
}
"""Colour of each verification status, shared by the timeline table and the maps."""
NO_PARTY_COLOUR = "#7A7A7A"
GROUP_COLOUR = "#2B2B2B"
BY_STATUS = "status"
BY_PARTY = "party"


def on_map(latitude: float | None, longitude: float | None) -> bool:
    """Whether a position can be drawn: both given, finite and within range.

    An entry without one is listed as "not on the map" rather than drawn at 0, 0.
    """
    if latitude is None or longitude is None:
        return False
    try:
        lat, lon = float(latitude), float(longitude)
    except (TypeError, ValueError):
        return False
    return math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180


@dataclass(frozen=True)
class MapEvent:
    """One timeline entry as a map shows it."""

    key: int
    """Entry id in the window; position in the brief's timeline elsewhere."""
    title: str
    lon: float
    lat: float
    status: str
    party: str
    party_colour: str
    casualties: int
    when: datetime | None = None
    number: int | None = None
    """The entry's row number in the brief's timeline table, where it has one."""

    def colour(self, by: str) -> str:
        if by == BY_PARTY:
            return self.party_colour or NO_PARTY_COLOUR
        return STATUS_COLOURS.get(self.status, NO_PARTY_COLOUR)


def casualties_of(*counts: int | None) -> int:
    """Killed, wounded and captured added up; unknown counts add nothing."""
    return sum(max(0, c) for c in counts if c is not None)


def marker_radius(casualties: int) -> float:
    """Radius in pixels (or points): the area grows with the casualties, within bounds."""
    return min(4.0 + 1.4 * math.sqrt(max(casualties, 0)), 15.0)


def group_radius(count: int) -> float:
    return min(8.0 + 2.5 * math.log10(max(count, 1)), 18.0)


@dataclass(frozen=True)
class Group:
    """Markers drawn as one: a single event when ``members`` holds one index."""

    x: float
    y: float
    members: tuple[int, ...]
    colour: str
    casualties: int

    @property
    def count(self) -> int:
        return len(self.members)


def group_markers(
    events: Sequence[MapEvent], points: Sequence[Point], cell: float, by: str = BY_STATUS
) -> list[Group]:
    """Join markers whose centres are closer than ``cell``; biggest markers seed groups.

    A hash of cells ``cell`` wide finds the neighbours, so this takes linear time.
    """
    if cell <= 0:
        cell = 1e-9
    order = sorted(range(len(points)), key=lambda i: -events[i].casualties)
    seeds: dict[tuple[int, int], list[int]] = {}
    seed_of: list[int] = []
    centres: list[Point] = []
    members: list[list[int]] = []
    limit = cell * cell
    floor = math.floor
    for i in order:
        x, y = points[i]
        cx, cy = floor(x / cell), floor(y / cell)
        found = -1
        for gx in (cx - 1, cx, cx + 1):
            for gy in (cy - 1, cy, cy + 1):
                for g in seeds.get((gx, gy), ()):
                    sx, sy = centres[g]
                    if (sx - x) ** 2 + (sy - y) ** 2 < limit:
                        found = g
                        break
                if found >= 0:
                    break
            if found >= 0:
                break
        if found < 0:
            found = len(centres)
            centres.append((x, y))
            members.append([])
            seeds.setdefault((cx, cy), []).append(found)
        members[found].append(i)
        seed_of.append(found)
    return [_group(events, points, m, by) for m in members]


def _group(
    events: Sequence[MapEvent], points: Sequence[Point], members: list[int], by: str
) -> Group:
    if len(members) == 1:
        i = members[0]
        return Group(points[i][0], points[i][1], (i,), events[i].colour(by), events[i].casualties)
    xs = sum(points[i][0] for i in members) / len(members)
    ys = sum(points[i][1] for i in members) / len(members)
    colours = Counter(events[i].colour(by) for i in members)
    colour = colours.most_common(1)[0][0]
    ordered = tuple(sorted(members))
    return Group(xs, ys, ordered, colour, sum(events[i].casualties for i in members))


def number_ranges(numbers: Sequence[int], room: int = 14) -> str:
    """``1–3, 7`` for numbers 1, 2, 3 and 7, cut with ``…`` past ``room`` characters."""
    parts: list[str] = []
    run: list[int] = []
    for number in sorted(set(numbers)):
        if run and number == run[-1] + 1:
            run.append(number)
            continue
        if run:
            parts.append(_run(run))
        run = [number]
    if run:
        parts.append(_run(run))
    text = ", ".join(parts)
    return text if len(text) <= room else text[: room - 1].rsplit(",", 1)[0] + ", …"


def _run(run: list[int]) -> str:
    if len(run) == 1:
        return str(run[0])
    if len(run) == 2:
        return f"{run[0]}, {run[1]}"
    return f"{run[0]}–{run[-1]}"
