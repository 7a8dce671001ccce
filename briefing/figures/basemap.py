"""The shipped base map (Natural Earth borders, GeoNames places), loaded and cut to a view.

``resources/map/basemap.json.gz`` is made by ``packaging/make_base_map.py``: the
arcs of a topology, simplified once per level, land rings and land borders made
of arcs, country label points and cities. Each level is decoded the first time
a map needs it; a view takes the coarsest level fine enough for its scale.
"""

from __future__ import annotations

import functools
import gzip
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from briefing.errors import BriefingError
from briefing.figures.clip import Rect, clip_line, clip_ring
from briefing.figures.projection import Azimuthal, Point, clamp
from briefing.resources import resource_path

KM_PER_DEGREE = 111.2
RIM_STEP = 0.1
"""Radians between the points that follow the reach circle."""
ATTRIBUTION = "Map data: Natural Earth (public domain) and GeoNames (CC BY 4.0)."
BORDERS_CAPTION = (
    "Borders as Natural Earth draws them (the de facto line of control), for orientation "
    "only; they take no side in any dispute."
)


@dataclass(frozen=True)
class Place:
    name: str
    lon: float
    lat: float
    population: int
    capital: bool


@dataclass(frozen=True)
class CountryLabel:
    name: str
    lon: float
    lat: float


@dataclass(frozen=True)
class BaseLayers:
    """Projected, clipped geometry of one view, in kilometres (y north)."""

    land: list[list[Point]]
    """Rings, filled even-odd so lakes and seas inside land stay open."""
    coasts: list[list[Point]]
    borders: list[list[Point]]


@dataclass
class BaseMap:
    tolerances: tuple[float, ...]
    encoded: list[list[list[int]]]
    grid: int
    land: list[list[list[int]]]
    borders: list[int]
    countries: list[CountryLabel]
    places: list[Place]
    _arcs: dict[int, list[list[Point]]] = field(default_factory=dict)
    _boxes: dict[int, list[tuple[float, float, float, float]]] = field(default_factory=dict)

    @functools.cached_property
    def coasts(self) -> list[int]:
        """Arcs of land outlines, less the cuts Natural Earth makes along the antimeridian."""
        used = {
            ref if ref >= 0 else ~ref for polygon in self.land for ring in polygon for ref in ring
        }
        coarse = self.arcs(len(self.tolerances) - 1)
        return sorted(i for i in used if not all(abs(lon) > 179.99 for lon, _ in coarse[i]))

    @functools.cached_property
    def land_boxes(self) -> list[tuple[float, float, float, float]]:
        """The lon/lat box of each land polygon's outer ring."""
        boxes = self.boxes(len(self.tolerances) - 1)
        found = []
        for polygon in self.land:
            parts = [boxes[r if r >= 0 else ~r] for r in polygon[0]]
            found.append(
                (
                    min(p[0] for p in parts),
                    min(p[1] for p in parts),
                    max(p[2] for p in parts),
                    max(p[3] for p in parts),
                )
            )
        return found

    def level_for(self, km_per_unit: float) -> int:
        """The coarsest level whose simplification stays under about half a pixel (or point)."""
        for level in reversed(range(len(self.tolerances))):
            if self.tolerances[level] * KM_PER_DEGREE <= 0.6 * km_per_unit:
                return level
        return 0

    def arcs(self, level: int) -> list[list[Point]]:
        if level not in self._arcs:
            scale = 1.0 / self.grid
            decoded = []
            for flat in self.encoded[level]:
                x = y = 0
                points = []
                for i in range(0, len(flat), 2):
                    x += flat[i]
                    y += flat[i + 1]
                    points.append((x * scale, y * scale))
                decoded.append(points)
            self._arcs[level] = decoded
            self._boxes[level] = [_box(points) for points in decoded]
        return self._arcs[level]

    def boxes(self, level: int) -> list[tuple[float, float, float, float]]:
        self.arcs(level)
        return self._boxes[level]


def _box(points: list[Point]) -> tuple[float, float, float, float]:
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    return min(lons), min(lats), max(lons), max(lats)


@functools.cache
def load_base_map(path: Path | None = None) -> BaseMap:
    """Read the shipped base map once per process; the data never changes while it runs."""
    path = path or resource_path("map", "basemap.json.gz")
    try:
        document = json.loads(gzip.decompress(path.read_bytes()))
    except (OSError, ValueError) as error:
        raise BriefingError(
            f"The base map {path.name} cannot be read; reinstall the program."
        ) from error
    return BaseMap(
        tolerances=tuple(level["tolerance"] for level in document["levels"]),
        encoded=[level["arcs"] for level in document["levels"]],
        grid=document["grid"],
        land=document["land"],
        borders=document["borders"],
        countries=[CountryLabel(c["name"], *c["label"]) for c in document["countries"]],
        places=[Place(n, lon, lat, pop, bool(cap)) for n, lon, lat, pop, cap in document["places"]],
    )


# ---------------------------------------------------------------------------- views


@dataclass(frozen=True)
class GeoBox:
    """The lon/lat box around a view; longitudes relative to the centre so nothing wraps."""

    west: float
    south: float
    east: float
    north: float
    lon0: float

    def meets(self, box: tuple[float, float, float, float]) -> bool:
        west, south, east, north = box
        if north < self.south or south > self.north:
            return False
        if self.east - self.west >= 360:
            return True
        for shift in (-360.0, 0.0, 360.0):
            if west + shift - self.lon0 <= self.east and east + shift - self.lon0 >= self.west:
                return True
        return False


def geo_box(projection: Azimuthal, rect: Rect) -> GeoBox:
    """The lon/lat box holding a projected rectangle, found along its edges (poles checked)."""
    x0, y0, x1, y1 = rect
    samples = [(x0 + (x1 - x0) * i / 16, y) for i in range(17) for y in (y0, y1)] + [
        (x, y0 + (y1 - y0) * i / 16) for i in range(17) for x in (x0, x1)
    ]
    lons, lats = [], []
    for x, y in samples:
        lon, lat = projection.inverse(*clamp(x, y))
        lons.append((lon - projection.lon0 + 180) % 360 - 180)
        lats.append(lat)
    south, north = min(lats), max(lats)
    west, east = min(lons), max(lons)
    for pole in (90.0, -90.0):
        px, py = projection.forward(projection.lon0, pole)
        if x0 <= px <= x1 and y0 <= py <= y1:
            south, north = min(south, pole), max(north, pole)
            west, east = -180.0, 180.0
    if math.hypot(max(abs(x0), abs(x1)), max(abs(y0), abs(y1))) > 5000:
        west, east = -180.0, 180.0  # a wide view: the edges alone say too little
    pad = 0.5
    return GeoBox(
        west - pad, max(-90.0, south - pad), east + pad, min(90.0, north + pad), projection.lon0
    )


def _project_lines(
    projection: Azimuthal, lines: list[list[Point]], reach: float
) -> list[list[Point]]:
    """Project, pulling far points onto the reach circle and following it between them.

    All lines go through the projection at once: a world view holds thousands of
    short ones.
    """
    sizes = [len(line) for line in lines]
    total = sum(sizes)
    if total == 0:
        return [[] for _ in lines]
    degrees = np.fromiter(
        (value for line in lines for point in line for value in point), float, 2 * total
    ).reshape(-1, 2)
    xs, ys = projection.forward_arrays(degrees[:, 0], degrees[:, 1])
    rho = np.hypot(xs, ys)
    far = rho > reach
    if far.any():
        pull = np.where(far, reach / np.where(far, rho, 1.0), 1.0)
        xs, ys = xs * pull, ys * pull
    points = list(zip(xs.tolist(), ys.tolist(), strict=True))
    rim = np.minimum(rho, reach) >= reach * 0.999
    follow = rim[1:] & rim[:-1]
    ends = np.cumsum(sizes)
    follow[ends[ends < total] - 1] = False  # never between the end of a line and the next
    angle = np.arctan2(ys, xs)
    turn = (angle[1:] - angle[:-1] + math.pi) % (2 * math.pi) - math.pi
    follow &= np.abs(turn) >= RIM_STEP  # a smaller turn adds no point (see _along_circle)
    along = np.flatnonzero(follow).tolist()
    out: list[list[Point]] = []
    start = 0
    for end in ends.tolist():
        out.append(points[start:end])
        start = end
    if along:
        line_of = np.searchsorted(ends, np.array(along), side="right").tolist()
        for line in sorted(set(line_of), reverse=True):
            first = int(ends[line - 1]) if line else 0
            cuts = [a - first for a, n in zip(along, line_of, strict=True) if n == line]
            out[line] = _with_rim(out[line], cuts, reach)
    return out


def _with_rim(line: list[Point], cuts: list[int], reach: float) -> list[Point]:
    """The line with the rim followed after each point in ``cuts`` (both ends on it)."""
    out: list[Point] = []
    start = 0
    for before in cuts:
        out += line[start : before + 1]
        out += _along_circle(line[before], line[before + 1], reach)
        start = before + 1
    return out + line[start:]


def _along_circle(a: Point, b: Point, reach: float) -> list[Point]:
    start, end = math.atan2(a[1], a[0]), math.atan2(b[1], b[0])
    turn = (end - start + math.pi) % (2 * math.pi) - math.pi
    steps = int(abs(turn) / RIM_STEP)
    return [
        (
            reach * math.cos(start + turn * i / (steps + 1)),
            reach * math.sin(start + turn * i / (steps + 1)),
        )
        for i in range(1, steps + 1)
    ]


def base_layers(base: BaseMap, projection: Azimuthal, rect: Rect, level: int) -> BaseLayers:
    """Land, coasts and borders of the view ``rect`` (km), drawn at ``level``."""
    x0, y0, x1, y1 = rect
    reach = min(
        max(2.5 * math.hypot(max(abs(x0), abs(x1)), max(abs(y0), abs(y1))), 3000.0),
        0.8 * math.pi * 6371.0,
    )
    box = geo_box(projection, rect)
    fine, coarse = base.arcs(level), base.arcs(len(base.tolerances) - 1)
    boxes = base.boxes(len(base.tolerances) - 1)
    seen = [box.meets(b) for b in boxes]

    def arc(ref: int) -> list[Point]:
        index = ref if ref >= 0 else ~ref
        points = fine[index] if seen[index] else coarse[index]
        return points if ref >= 0 else points[::-1]

    rings: list[list[Point]] = []
    for polygon, outline in zip(base.land, base.land_boxes, strict=True):
        if not box.meets(outline):
            continue
        for ring_refs in polygon:
            ring: list[Point] = []
            for ref in ring_refs:
                points = arc(ref)
                ring += points[1:] if ring else points
            rings.append(ring)
    land = [
        cut for ring in _project_lines(projection, rings, reach) if (cut := clip_ring(ring, rect))
    ]

    def lines(indices: list[int]) -> list[list[Point]]:
        shown = [fine[index] for index in indices if seen[index]]
        return [
            part
            for line in _project_lines(projection, shown, reach)
            for part in clip_line(line, rect)
        ]

    return BaseLayers(land=land, coasts=lines(base.coasts), borders=lines(base.borders))


def places_in(
    base: BaseMap, projection: Azimuthal, rect: Rect
) -> tuple[list[Place], list[CountryLabel]]:
    """Cities and country labels inside the view's lon/lat box, so few are projected."""
    box = geo_box(projection, rect)
    places = [p for p in base.places if box.meets((p.lon, p.lat, p.lon, p.lat))]
    countries = [c for c in base.countries if box.meets((c.lon, c.lat, c.lon, c.lat))]
    return places, countries
