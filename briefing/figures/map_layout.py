"""Furniture of a map: scale bar, north arrow, legend items and which cities get a label."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from briefing.figures.basemap import CountryLabel, Place
from briefing.figures.clip import Rect
from briefing.figures.markers import (
    BY_PARTY,
    GROUP_COLOUR,
    MIXED_COLOUR,
    NO_PARTY_COLOUR,
    STATUS_COLOURS,
    EventColumns,
    MapEvent,
    group_radius,
    marker_radius,
)
from briefing.figures.projection import Azimuthal

CROWDED = 12.0
"""A city this close (in points) to one already named is left out."""
CHAR_WIDTH = 0.56
"""A label's width per character, as a share of its font size (a sans-serif average)."""
UPPER_WIDTH = 0.7
"""The same for capital letters, which country names are written in: wider, and spaced."""

Measure = Callable[[str, str, float], float]
"""The drawn width of a label's text, given its kind (``capital``, ``city``, ``country``) and
font size."""


def estimated_width(text: str, kind: str, size: float) -> float:
    """A :data:`Measure` from character counts, for drawings that cannot measure their fonts."""
    upper = sum(1 for c in text if c.isupper())
    return size * (CHAR_WIDTH * (len(text) - upper) + UPPER_WIDTH * upper)


@dataclass(frozen=True)
class ScaleBar:
    km: float
    length: float
    """In the drawing's units (pixels or points)."""
    label: str


def scale_bar(units_per_km: float, room: float) -> ScaleBar:
    """A round distance (1, 2 or 5 times a power of ten km) at most ``room`` units long."""
    km_room = room / units_per_km
    power = 10 ** math.floor(math.log10(km_room)) if km_room > 0 else 1
    km = power
    for step in (5, 2, 1):
        if step * power <= km_room:
            km = step * power
            break
    label = f"{km:g} km" if km >= 1 else f"{km * 1000:g} m"
    return ScaleBar(km, km * units_per_km, label)


@dataclass(frozen=True)
class NorthArrow:
    """Where true north points at the arrow, as a unit vector in drawing axes (y up)."""

    dx: float
    dy: float

    @property
    def degrees(self) -> float:
        """Clockwise turn from straight up."""
        return math.degrees(math.atan2(self.dx, self.dy))


def north_arrow(projection: Azimuthal, x_km: float, y_km: float) -> NorthArrow:
    dx, dy = projection.north(x_km, y_km)
    return NorthArrow(dx, dy)


@dataclass(frozen=True)
class LegendItem:
    label: str
    colour: str
    radius: float
    kind: str = "dot"
    """``dot`` a single marker, ``group`` overlapping markers with a count, ``mixed`` such a
    group of several colours, ``size`` a size key."""
    text: str = ""
    shares: tuple[tuple[str, int], ...] = ()
    """The sample ring of a ``mixed`` item."""


MIXED_LABEL = "Mixed: arcs by share"
"""The legend's words for a group of several colours (short: the PDF legend is narrow)."""


def _parties_of(events: Sequence[MapEvent]) -> Iterable[tuple[str, str]]:
    if isinstance(events, EventColumns):
        return events.parties
    return ((e.party, e.party_colour) for e in events)


def legend_items(events: Sequence[MapEvent], by: str) -> list[LegendItem]:
    """Colours in use, a grouped marker and a size key scaled to the casualties shown.

    Sizes follow each entry's best estimate of the casualties claimed, never adding
    one claimant's figure to another's (:mod:`briefing.model.claim_figures`).
    """
    items: list[LegendItem] = []
    if by == BY_PARTY:
        parties = sorted(
            {
                (label or "No party", colour or NO_PARTY_COLOUR)
                for label, colour in _parties_of(events)
            }
        )
        items += [LegendItem(name, colour, 5.0) for name, colour in parties[:8]]
        if len(parties) > 8:
            items.append(LegendItem(f"{len(parties) - 8} more parties", "#B0B0B0", 5.0))
    else:
        statuses = (
            events.statuses if isinstance(events, EventColumns) else (e.status for e in events)
        )
        shown = set(statuses) or set(STATUS_COLOURS)
        items += [
            LegendItem(status.capitalize(), colour, 5.0)
            for status, colour in STATUS_COLOURS.items()
            if status in shown
        ]
    items.append(LegendItem("Overlapping events", GROUP_COLOUR, group_radius(3), "group", "3"))
    colours = [item.colour for item in items if item.kind == "dot"][:3] or [GROUP_COLOUR]
    if len(colours) > 1:
        sample = tuple((colour, 3 - n) for n, colour in enumerate(colours))
        items.append(LegendItem(MIXED_LABEL, MIXED_COLOUR, group_radius(6), "mixed", "6", sample))
    counts = (
        events.casualties if isinstance(events, EventColumns) else (e.casualties for e in events)
    )
    most = max(counts, default=0)
    for count in _size_keys(most):
        label = (
            "No casualty figure"
            if count == 0
            else "1 casualty claimed"
            if count == 1
            else f"{count:,} casualties claimed"
        )
        items.append(LegendItem(label, "#FFFFFF", marker_radius(count), "size"))
    return items


def _size_keys(most: int) -> list[int]:
    """The largest count shown and a round one well below it, so the sizes differ."""
    if most <= 0:
        return [0]
    smaller = [k for k in (1, 5, 10, 50, 100, 500, 1000) if k <= most / 4]
    return [smaller[-1], most] if smaller else [most]


@dataclass(frozen=True)
class Label:
    text: str
    x: float
    y: float
    """The place itself."""
    tx: float
    ty: float
    """Where the text's baseline starts (``anchor`` start), ends (end) or is centred (middle)."""
    anchor: str
    size: float
    kind: str
    """``capital``, ``city`` or ``country``."""


def _spots(x: float, y: float, size: float, width: float) -> list[tuple[float, float, str, Rect]]:
    """Right, left, above and below a place, close and then clear of a marker on it.

    Each spot: text origin, anchor and the box the text covers.
    """
    base = y - size * 0.32
    spots = []
    for gap in (4.0, 10.0):
        spots += [
            (x + gap, base, "start", (x + gap, y - size * 0.6, x + gap + width, y + size * 0.6)),
            (x - gap, base, "end", (x - gap - width, y - size * 0.6, x - gap, y + size * 0.6)),
            (x, y + gap, "middle", (x - width / 2, y + gap - 1, x + width / 2, y + gap + size)),
            (
                x,
                y - gap - size * 0.8,
                "middle",
                (x - width / 2, y - gap - 1 - size, x + width / 2, y - gap + 1),
            ),
        ]
    return spots


def place_labels(
    places: Sequence[Place],
    countries: Sequence[CountryLabel],
    projection: Azimuthal,
    to_drawing: Transform,
    rect: Rect,
    taken: list[Rect],
    size: float = 7.5,
    most: int = 24,
    measure: Measure | None = None,
    furniture: Sequence[Rect] = (),
) -> list[Label]:
    """City names by rank (capitals, then population), each where it overlaps nothing.

    ``taken`` holds drawing rectangles already in use (markers, their numbers, the
    scale bar); a city's dot may sit under a marker, its name may not. Every label
    lies wholly inside ``rect``, as wide as ``measure`` says (estimated if None).
    ``furniture`` (scale bar, north arrow, legend) covers neither names nor dots.
    """
    measure = measure or estimated_width
    x0, y0, x1, y1 = rect
    labels: list[Label] = []
    names: list[Rect] = list(furniture)
    taken = taken + list(furniture)
    dots: list[tuple[float, float]] = []
    cities = 0
    for place in places:
        if cities >= most:
            break
        if not _near_side(projection, place.lon, place.lat):
            continue
        x, y = to_drawing(*projection.forward(place.lon, place.lat))
        if not (x0 + 3 <= x <= x1 - 3 and y0 + 3 <= y <= y1 - 3):
            continue
        if any(abs(x - dx) < CROWDED and abs(y - dy) < CROWDED for dx, dy in dots):
            continue  # a district of a city already named
        dot = (x - 2.5, y - 2.5, x + 2.5, y + 2.5)
        if _hits(dot, names):
            continue  # its dot would stand inside a name already placed
        kind = "capital" if place.capital else "city"
        for tx, ty, anchor, box in _spots(x, y, size, measure(place.name, kind, size)):
            if _inside(box, rect) and not _hits(box, taken):
                taken += [box, dot]
                names.append(box)
                labels.append(Label(place.name, x, y, tx, ty, anchor, size, kind))
                dots.append((x, y))
                cities += 1
                break
    for country in countries:
        if not _near_side(projection, country.lon, country.lat):
            continue
        x, y = to_drawing(*projection.forward(country.lon, country.lat))
        text = country.name.upper()
        width = measure(text, "country", size + 1)
        for dy in (0.0, -14.0, 14.0, -28.0, 28.0):
            box = _box(width, x, y + dy, size + 1)
            if _inside(box, rect) and not _hits(box, taken):
                taken.append(box)
                labels.append(Label(text, x, y, x, y + dy, "middle", size + 1, "country"))
                break
    return labels


def _near_side(projection: Azimuthal, lon: float, lat: float) -> bool:
    """Whether a point lies on the hemisphere around the centre (the far one is not labelled)."""
    return (
        projection.forward(lon, lat) != (0.0, 0.0)
        and math.hypot(*projection.forward(lon, lat)) < 0.5 * math.pi * 6371.0
    )


class Transform:
    """Projected kilometres to drawing units: ``scale`` units per km, y up, origin moved."""

    def __init__(self, scale: float, origin_km: tuple[float, float], origin: tuple[float, float]):
        self.scale = scale
        self.kx, self.ky = origin_km
        self.ox, self.oy = origin

    def __call__(self, x: float, y: float) -> tuple[float, float]:
        return self.ox + (x - self.kx) * self.scale, self.oy + (y - self.ky) * self.scale

    def back(self, x: float, y: float) -> tuple[float, float]:
        return self.kx + (x - self.ox) / self.scale, self.ky + (y - self.oy) / self.scale


def _box(width: float, x: float, y: float, size: float) -> Rect:
    """The box of a label centred on ``x`` with its baseline at ``y``."""
    left = x - width / 2
    return left, y - size * 0.35, left + width, y + size * 0.85


def _inside(box: Rect, rect: Rect) -> bool:
    return box[0] >= rect[0] and box[2] <= rect[2] and box[1] >= rect[1] and box[3] <= rect[3]


def _hits(box: Rect, taken: list[Rect]) -> bool:
    return any(box[0] < t[2] and box[2] > t[0] and box[1] < t[3] and box[3] > t[1] for t in taken)
