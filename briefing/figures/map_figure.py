"""A finished map of events at a given size, for print and picture files.

Everything is placed in drawing units (points, y up): the map panel, the legend
column on its right and the caption below. The PDF, the Word document and the
CLI each paint this same figure; the window builds its interactive map from the
same pieces (:mod:`briefing.figures.basemap`, :mod:`briefing.figures.markers`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from briefing.figures.basemap import (
    ATTRIBUTION,
    BORDERS_CAPTION,
    BaseMap,
    Place,
    base_layers,
    load_base_map,
    places_in,
)
from briefing.figures.clip import Rect
from briefing.figures.map_layout import (
    Label,
    LegendItem,
    Measure,
    NorthArrow,
    ScaleBar,
    Transform,
    legend_items,
    north_arrow,
    place_labels,
    scale_bar,
)
from briefing.figures.map_numbers import Circle, NumberLabel, place_numbers
from briefing.figures.markers import (
    BY_STATUS,
    MapEvent,
    group_markers,
    group_radius,
    marker_radius,
    number_ranges,
)
from briefing.figures.projection import REACH_KM, Azimuthal, Point, centred_on

CONTEXT_KM = 400.0
"""Capitals this close to an event are kept in the frame: a reader places a clash by them."""
MIN_SPAN_KM = 160.0
"""The narrowest map: enough around a single clash to show the nearest towns."""
LEGEND_WIDTH = 128.0
CAPTION_HEIGHT = 30.0
GROUP_CELL = 11.0
"""Markers whose centres are closer than this (points) are drawn as one group."""


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    radius: float
    colour: str
    count: int
    label: str
    """Row numbers of the events in the timeline table (``3`` or ``1–3, 7``)."""
    keys: tuple[int, ...]
    shares: tuple[tuple[str, int], ...] = ()
    """A group's (colour, events), the largest first: its ring (see ``markers.ring_arcs``)."""


@dataclass(frozen=True)
class MapFigure:
    width: float
    height: float
    frame: Rect
    """The map panel; everything drawn from the base map lies inside it."""
    land: list[list[Point]]
    coasts: list[list[Point]]
    borders: list[list[Point]]
    labels: list[Label]
    markers: list[Marker]
    scale: ScaleBar
    scale_at: Point
    north: NorthArrow
    north_at: Point
    legend: list[LegendItem]
    legend_at: Point
    """Top-left of the legend column."""
    caption: tuple[str, ...]
    off_map: tuple[MapEvent, ...]
    numbers: tuple[NumberLabel, ...] = ()
    """The markers' row numbers, placed clear of each other (:mod:`.map_numbers`)."""


def with_capitals(
    projection: Azimuthal, points: list[Point], places: Sequence[Place]
) -> list[Point]:
    """The events and the capitals within :data:`CONTEXT_KM` of one, for orientation."""
    found = list(points)
    for place in places:
        if not place.capital:
            continue
        x, y = projection.forward(place.lon, place.lat)
        if any(math.hypot(x - px, y - py) <= CONTEXT_KM for px, py in points):
            found.append((x, y))
    return found


def _extent(projection: Azimuthal, points: Sequence[Point], aspect: float) -> Rect:
    """The points with a margin, at least :data:`MIN_SPAN_KM` across, shaped like the panel."""
    if points:
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    else:
        x0 = x1 = y0 = y1 = 0.0
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    w = max((x1 - x0) * 1.3, MIN_SPAN_KM)
    h = max((y1 - y0) * 1.3, MIN_SPAN_KM * 0.6)
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    w, h = min(w, 2 * REACH_KM), min(h, 2 * REACH_KM)
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def map_figure(
    events: Sequence[MapEvent],
    width: float,
    height: float,
    by: str = BY_STATUS,
    off_map: Sequence[MapEvent] = (),
    base: BaseMap | None = None,
    measure: Measure | None = None,
) -> MapFigure:
    """Lay out a map of ``events`` (all with valid positions) in ``width`` × ``height`` points.

    ``measure``: the drawn width of a place name (estimated if None).
    """
    base = base or load_base_map()
    frame = (0.0, CAPTION_HEIGHT, width - LEGEND_WIDTH, height)
    panel_w, panel_h = frame[2] - frame[0], frame[3] - frame[1]
    projection = centred_on((e.lon, e.lat) for e in events)
    points = projection.forward_many((e.lon, e.lat) for e in events)
    framed = with_capitals(projection, points, base.places) if len(points) < 5000 else points
    extent = _extent(projection, framed, panel_w / panel_h)
    scale = panel_w / (extent[2] - extent[0])
    to_drawing = Transform(scale, (extent[0], extent[1]), (frame[0], frame[1]))
    layers = base_layers(base, projection, extent, base.level_for(1.0 / scale))

    def drawn(lines: list[list[Point]]) -> list[list[Point]]:
        return [[to_drawing(x, y) for x, y in line] for line in lines]

    markers = _markers(events, points, to_drawing, by)
    taken: list[Rect] = [
        (m.x - m.radius, m.y - m.radius, m.x + m.radius, m.y + m.radius) for m in markers
    ]
    numbers = place_numbers([Circle(m.x, m.y, m.radius, m.label) for m in markers], frame)
    taken += [(b[0] - 2, b[1] - 1, b[2] + 2, b[3] + 1) for b in (n.box for n in numbers)]
    bar = scale_bar(scale, panel_w * 0.28)
    scale_at = (frame[0] + 10, frame[1] + 12)
    north_at = (frame[2] - 18, frame[3] - 24)
    furniture = [
        (scale_at[0] - 4, scale_at[1] - 6, scale_at[0] + bar.length + 30, scale_at[1] + 14),
        (north_at[0] - 12, north_at[1] - 16, north_at[0] + 12, north_at[1] + 20),
    ]
    inset = (frame[0] + 2, frame[1] + 2, frame[2] - 2, frame[3] - 2)
    places, countries = places_in(base, projection, extent)
    labels = place_labels(
        places, countries, projection, to_drawing, inset, taken, 7.5, 24, measure, furniture
    )
    centre_km = to_drawing.back(*north_at)
    caption = (
        BORDERS_CAPTION,
        ATTRIBUTION + " Azimuthal equidistant projection, centred on the events.",
    )
    return MapFigure(
        width=width,
        height=height,
        frame=frame,
        land=drawn(layers.land),
        coasts=drawn(layers.coasts),
        borders=drawn(layers.borders),
        labels=labels,
        markers=markers,
        scale=bar,
        scale_at=scale_at,
        north=north_arrow(projection, *centre_km),
        north_at=north_at,
        legend=legend_items(events, by),
        legend_at=(frame[2] + 10, height - 4),
        caption=caption,
        off_map=tuple(off_map),
        numbers=tuple(numbers),
    )


def _markers(
    events: Sequence[MapEvent], points: Sequence[Point], to_drawing: Transform, by: str
) -> list[Marker]:
    drawn = [to_drawing(x, y) for x, y in points]
    markers = []
    for group in group_markers(events, drawn, GROUP_CELL, by):
        members = [events[i] for i in group.members]
        numbers = [e.number for e in members if e.number is not None]
        if group.count == 1:
            radius = marker_radius(group.casualties)
            colour = group.colour
        else:
            radius = max(
                group_radius(group.count), marker_radius(max(e.casualties for e in members))
            )
            colour = group.colour
        markers.append(
            Marker(
                x=group.x,
                y=group.y,
                radius=radius,
                colour=colour,
                count=group.count,
                label=number_ranges(numbers) if numbers else "",
                keys=tuple(e.key for e in members),
                shares=group.shares,
            )
        )
    markers.sort(key=lambda m: -m.radius)  # small ones drawn last stay visible
    return markers


def frame_contains(figure: MapFigure, x: float, y: float) -> bool:
    x0, y0, x1, y1 = figure.frame
    return x0 <= x <= x1 and y0 <= y <= y1 and math.isfinite(x) and math.isfinite(y)
