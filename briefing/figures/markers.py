"""Events on a map: which may be drawn, their colour and size, and overlapping ones grouped.

Colour says the verification status (or the party that acted), the area grows with
the casualties reported, and markers closer than a marker's width are drawn as one
group with a count. Positions are projected kilometres; the cell given to
:func:`group_markers` is a marker's width in kilometres at the scale drawn.

A group is a white disc with its count inside a ring. The ring of a group whose
events share one colour is that colour; the ring of a mixed group is cut into
arcs, one per colour, each as long as that colour's share of the group
(:func:`ring_arcs`), and its count is written in :data:`MIXED_COLOUR`, a neutral
slate that is no status's or party's colour. The window and the PDF draw the
same arcs and name the mixed ring in their legends.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

import numpy as np

from briefing.figures.projection import Point
from briefing.model import rules

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
"""Ink of the legend's sample group."""
MIXED_COLOUR = "#4A5560"
"""The count of a group of events in several colours (the ring shows each colour's share)."""
MIN_ARC = 14.0
"""Degrees: the shortest arc of a mixed ring, so a single event of another colour shows."""
BY_STATUS = "status"
BY_PARTY = "party"


def on_map(latitude: object, longitude: object) -> bool:
    """Whether a position can be drawn: both given and valid by the model's rules.

    An entry without one is listed as "not on the map" rather than drawn at 0, 0.
    """
    if latitude is None or longitude is None:
        return False
    return (
        rules.check_value("entry", "latitude", latitude) is None
        and rules.check_value("entry", "longitude", longitude) is None
    )


class MapEvent(NamedTuple):
    """One timeline entry as a map shows it (a tuple: maps hold a hundred thousand)."""

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


class EventColumns(Sequence[MapEvent]):
    """Map events held as columns; a :class:`MapEvent` is made only when one is asked for.

    A hundred thousand events are drawn from arrays (positions, colours,
    casualties); making a tuple per event for every paint cost more than drawing.
    Iterating or indexing gives ordinary MapEvents, so callers see no difference.
    """

    def __init__(
        self,
        keys: Sequence[int],
        titles: Sequence[str] | Callable[[], Sequence[str]],
        lons: np.ndarray,
        lats: np.ndarray,
        statuses: Sequence[str],
        parties: Sequence[tuple[str, str]],
        casualties: Sequence[int],
    ) -> None:
        """``parties``: each event's (party label, party colour), ``("", "")`` for none.

        ``titles``: the titles, or a function giving them when first asked for (the
        markers are drawn without them; a group's list or a tooltip needs them).
        """
        self.keys, self.statuses = list(keys), list(statuses)
        self._titles = titles if callable(titles) else list(titles)
        self.lons, self.lats = np.asarray(lons, float), np.asarray(lats, float)
        self.parties, self.casualties = list(parties), list(casualties)

    @property
    def titles(self) -> list[str]:
        if callable(self._titles):
            self._titles = list(self._titles())
        return self._titles

    def __len__(self) -> int:
        return len(self.keys)

    def __getitem__(self, index: int) -> MapEvent:  # type: ignore[override]
        label, colour = self.parties[index]
        return MapEvent(
            self.keys[index], self.titles[index], float(self.lons[index]),
            float(self.lats[index]), self.statuses[index], label, colour,
            self.casualties[index],
        )  # fmt: skip

    def __iter__(self) -> Iterator[MapEvent]:
        return (self[i] for i in range(len(self.keys)))

    def take(self, index: Sequence[int]) -> EventColumns:
        """The events at these positions, in this order."""
        return EventColumns(
            [self.keys[i] for i in index], lambda: [self.titles[i] for i in index],
            self.lons[list(index)], self.lats[list(index)],
            [self.statuses[i] for i in index], [self.parties[i] for i in index],
            [self.casualties[i] for i in index],
        )  # fmt: skip

    def colours(self, by: str) -> list[str]:
        """Each event's colour, as :meth:`MapEvent.colour` says, without making the events."""
        if by == BY_PARTY:
            return [colour or NO_PARTY_COLOUR for _, colour in self.parties]
        return [STATUS_COLOURS.get(status, NO_PARTY_COLOUR) for status in self.statuses]


def colours_of(events: Sequence[MapEvent], by: str) -> list[str]:
    if isinstance(events, EventColumns):
        return events.colours(by)
    return [e.colour(by) for e in events]


def casualties_array(events: Sequence[MapEvent]) -> np.ndarray:
    if isinstance(events, EventColumns):
        return np.array(events.casualties, dtype=float)
    return np.fromiter((e.casualties for e in events), float, len(events))


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
    shares: tuple[tuple[str, int], ...] = ()
    """(colour, events) of each colour in the group, the largest first."""

    @property
    def count(self) -> int:
        return len(self.members)

    @property
    def mixed(self) -> bool:
        return len(self.shares) > 1


def ring_arcs(shares: Sequence[tuple[str, int]]) -> list[tuple[str, float, float]]:
    """(colour, start, span) in degrees, counter-clockwise from 12 o'clock, of a group's ring.

    Each colour's arc is as long as its share of the group, but at least
    :data:`MIN_ARC`, so one event of another colour among hundreds still shows.
    """
    total = sum(count for _, count in shares)
    if total <= 0:
        return []
    if len(shares) == 1:
        return [(shares[0][0], 90.0, 360.0)]
    spans = [max(360.0 * count / total, MIN_ARC) for _, count in shares]
    scale = 360.0 / sum(spans)
    arcs, start = [], 90.0
    for (colour, _), span in zip(shares, spans, strict=True):
        arcs.append((colour, start, span * scale))
        start += span * scale
    return arcs


def group_markers(
    events: Sequence[MapEvent], points: Sequence[Point], cell: float, by: str = BY_STATUS
) -> list[Group]:
    """Markers grouped so that no two drawn are closer than about ``cell``."""
    if not events:
        return []
    pools = MarkerGrid(events, points, by).pools(cell)
    return [pools.group(g) for g in range(len(pools))]


JOIN_LIMIT = 3_000
"""Above this many grid cells in use, the cells alone group the markers (joining costs more)."""


class Pools:
    """Events grouped, as arrays: one entry per group, and ``inverse``, each event's group.

    Events are first pooled per grid cell ``cell`` wide (array work, fast for a
    hundred thousand); then, unless there are very many, cells whose centres are
    still closer than ``cell`` across a grid line are joined, heaviest first.
    """

    def __init__(self, grid: MarkerGrid, cell: float) -> None:
        self.grid = grid
        kx = np.floor(grid.xs / cell).astype(np.int64)
        ky = np.floor(grid.ys / cell).astype(np.int64)
        keys = (kx - kx.min()) * (int(ky.max() - ky.min()) + 1) + (ky - ky.min())
        _, inverse, _ = np.unique(keys, return_inverse=True, return_counts=True)
        self._sum(inverse.ravel())
        if len(self.counts) <= JOIN_LIMIT:
            self._sum(self._joined(cell)[self.inverse])

    def _sum(self, inverse: np.ndarray) -> None:
        grid = self.grid
        self.inverse = inverse
        self.counts = np.bincount(inverse)
        n, colours = len(self.counts), len(grid.palette)
        self.xs = np.bincount(inverse, grid.xs, n) / self.counts
        self.ys = np.bincount(inverse, grid.ys, n) / self.counts
        self.dead = np.bincount(inverse, grid.casualties, n).astype(np.int64)
        tally = np.bincount(inverse * colours + grid.colour_ids, minlength=n * colours)
        table = tally.reshape(n, colours)
        self.table = table
        """Events of each colour (columns: the palette) in each group (rows)."""
        self.colours = table.argmax(axis=1)
        self.mixed = table.max(axis=1) < self.counts
        """Groups whose events are not all of one colour."""
        self._order: np.ndarray | None = None
        self._bounds: np.ndarray | None = None

    def _joined(self, cell: float) -> np.ndarray:
        """For each cell's pool, the group it joins: the first heavier pool near enough."""
        weight = (self.counts + self.dead).tolist()
        xs, ys = self.xs.tolist(), self.ys.tolist()
        target = np.arange(len(weight))
        seeds: dict[tuple[int, int], list[int]] = {}
        limit = cell * cell
        for pool in sorted(range(len(weight)), key=lambda p: -weight[p]):
            x, y = xs[pool], ys[pool]
            cx, cy = math.floor(x / cell), math.floor(y / cell)
            found = next(
                (
                    seed
                    for gx in (cx - 1, cx, cx + 1)
                    for gy in (cy - 1, cy, cy + 1)
                    for seed in seeds.get((gx, gy), ())
                    if (xs[seed] - x) ** 2 + (ys[seed] - y) ** 2 < limit
                ),
                -1,
            )
            if found < 0:
                seeds.setdefault((cx, cy), []).append(pool)
            else:
                target[pool] = found
        _, renumbered = np.unique(target, return_inverse=True)
        return renumbered.ravel()

    def __len__(self) -> int:
        return len(self.counts)

    def within(self, x0: float, y0: float, x1: float, y1: float) -> list[int]:
        """Groups whose centre lies in the rectangle."""
        inside = (self.xs >= x0) & (self.xs <= x1) & (self.ys >= y0) & (self.ys <= y1)
        return np.flatnonzero(inside).tolist()

    def members(self, pool: int) -> tuple[int, ...]:
        """The events of a group, by index, in their order."""
        if self._order is None:
            self._order = np.argsort(self.inverse, kind="stable")
            self._bounds = np.concatenate(([0], np.cumsum(self.counts)))
        assert self._bounds is not None
        return tuple(self._order[self._bounds[pool] : self._bounds[pool + 1]].tolist())

    def shares(self, pool: int) -> tuple[tuple[str, int], ...]:
        """(colour, events) of each colour in a group, the largest first."""
        row = self.table[pool].tolist()
        present = [(count, i) for i, count in enumerate(row) if count]
        present.sort(key=lambda pair: (-pair[0], pair[1]))
        return tuple((self.grid.palette[i], count) for count, i in present)

    def group(self, pool: int) -> Group:
        return Group(
            float(self.xs[pool]),
            float(self.ys[pool]),
            self.members(pool),
            MIXED_COLOUR if self.mixed[pool] else self.grid.palette[int(self.colours[pool])],
            int(self.dead[pool]),
            self.shares(pool),
        )


class MarkerGrid:
    """Events as arrays, so grouping a hundred thousand takes array operations, not a loop."""

    def __init__(
        self,
        events: Sequence[MapEvent],
        points: Sequence[Point] | tuple[np.ndarray, np.ndarray],
        by: str = BY_STATUS,
    ):
        """``points``: one (x, y) per event, or the arrays of xs and ys."""
        self.events = events
        self.by = by
        if isinstance(points, tuple) and len(points) == 2 and isinstance(points[0], np.ndarray):
            self.xs, self.ys = points
        else:
            self.xs = np.fromiter((p[0] for p in points), float, len(points))
            self.ys = np.fromiter((p[1] for p in points), float, len(points))
        colours = colours_of(events, by)
        self.palette = sorted(set(colours)) or [NO_PARTY_COLOUR]
        index = {c: i for i, c in enumerate(self.palette)}
        self.colour_ids = np.fromiter(map(index.__getitem__, colours), np.int64, len(colours))
        self.casualties = casualties_array(events)

    def pools(self, cell: float) -> Pools:
        return Pools(self, max(cell, 1e-9))


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
