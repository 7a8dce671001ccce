"""An azimuthal equidistant projection centred on what the map shows.

Distances and directions from the centre are true, and at the scale of a region
(a few hundred kilometres) shapes are not visibly distorted. Being centred on the
data rather than on Greenwich, it has no seam at the antimeridian; the poles are
ordinary points. Only the antipode of the centre is singular, so points farther
than :data:`REACH_KM` are pulled in to that circle (see :func:`clamp`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

EARTH_RADIUS_KM = 6371.0088
HALF_WORLD_KM = math.pi * EARTH_RADIUS_KM
REACH_KM = 0.8 * HALF_WORLD_KM
"""Points beyond this distance from the centre are drawn on its circle, not at the antipode."""
DEFAULT_CENTRE = (45.5, 40.3)
"""Lon/lat centre when there is nothing to centre on: the Armenia–Azerbaijan border."""

Point = tuple[float, float]


def wrap_lon(lon: float) -> float:
    """A longitude in [-180, 180)."""
    return (lon + 180.0) % 360.0 - 180.0


@dataclass(frozen=True)
class Azimuthal:
    """Lon/lat in degrees to kilometres east (x) and north (y) of the centre, and back."""

    lon0: float
    lat0: float

    def forward(self, lon: float, lat: float) -> Point:
        phi0, phi = math.radians(self.lat0), math.radians(lat)
        dlon = math.radians(lon - self.lon0)
        sin0, cos0 = math.sin(phi0), math.cos(phi0)
        sinp, cosp = math.sin(phi), math.cos(phi)
        cosd = math.cos(dlon)
        cos_c = max(-1.0, min(1.0, sin0 * sinp + cos0 * cosp * cosd))
        c = math.acos(cos_c)
        if c < 1e-12:
            return 0.0, 0.0
        sin_c = math.sin(c)
        if sin_c < 1e-12:  # the antipode: every direction; put it on the rim, never the centre
            return 0.0, -HALF_WORLD_KM
        k = c / sin_c
        x = EARTH_RADIUS_KM * k * cosp * math.sin(dlon)
        y = EARTH_RADIUS_KM * k * (cos0 * sinp - sin0 * cosp * cosd)
        return x, y

    def inverse(self, x: float, y: float) -> Point:
        rho = math.hypot(x, y)
        if rho < 1e-9:
            return wrap_lon(self.lon0), self.lat0
        c = min(rho, HALF_WORLD_KM) / EARTH_RADIUS_KM
        phi0 = math.radians(self.lat0)
        sin_c, cos_c = math.sin(c), math.cos(c)
        lat = math.asin(
            max(-1.0, min(1.0, cos_c * math.sin(phi0) + y * sin_c * math.cos(phi0) / rho))
        )
        lon = math.radians(self.lon0) + math.atan2(
            x * sin_c, rho * math.cos(phi0) * cos_c - y * math.sin(phi0) * sin_c
        )
        return wrap_lon(math.degrees(lon)), math.degrees(lat)

    def forward_many(self, points: Iterable[Point]) -> list[Point]:
        """:meth:`forward` for many points, with the centre's trigonometry done once."""
        radians, sin, cos, acos = math.radians, math.sin, math.cos, math.acos
        phi0 = radians(self.lat0)
        sin0, cos0, lon0 = sin(phi0), cos(phi0), self.lon0
        out = []
        for lon, lat in points:
            phi, dlon = radians(lat), radians(lon - lon0)
            sinp, cosp, cosd = sin(phi), cos(phi), cos(dlon)
            cos_c = sin0 * sinp + cos0 * cosp * cosd
            cos_c = -1.0 if cos_c < -1.0 else 1.0 if cos_c > 1.0 else cos_c
            c = acos(cos_c)
            sin_c = sin(c)
            if sin_c < 1e-12:
                out.append((0.0, 0.0) if c < 1 else (0.0, -HALF_WORLD_KM))
                continue
            k = EARTH_RADIUS_KM * c / sin_c
            out.append((k * cosp * sin(dlon), k * (cos0 * sinp - sin0 * cosp * cosd)))
        return out

    def forward_arrays(self, lons: np.ndarray, lats: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`forward` over arrays of degrees, for a hundred thousand events at once."""
        phi0 = math.radians(self.lat0)
        phi, dlon = np.radians(lats), np.radians(lons - self.lon0)
        sinp, cosp, cosd = np.sin(phi), np.cos(phi), np.cos(dlon)
        cos_c = np.clip(math.sin(phi0) * sinp + math.cos(phi0) * cosp * cosd, -1.0, 1.0)
        c = np.arccos(cos_c)
        sin_c = np.sin(c)
        safe = sin_c > 1e-12
        k = EARTH_RADIUS_KM * np.where(safe, c / np.where(safe, sin_c, 1.0), 1.0)
        xs = k * cosp * np.sin(dlon)
        ys = k * (math.cos(phi0) * sinp - math.sin(phi0) * cosp * cosd)
        antipode = ~safe & (c > 1)
        xs = np.where(antipode, 0.0, np.where(safe, xs, 0.0))
        ys = np.where(antipode, -HALF_WORLD_KM, np.where(safe, ys, 0.0))
        return xs, ys

    def north(self, x: float, y: float) -> Point:
        """The unit vector pointing to the North Pole at a projected point."""
        lon, lat = self.inverse(x, y)
        if lat > 89.99:
            return 0.0, 1.0
        nx, ny = self.forward(lon, min(lat + 0.01, 90.0))
        length = math.hypot(nx - x, ny - y) or 1.0
        return (nx - x) / length, (ny - y) / length


def clamp(x: float, y: float, reach: float = REACH_KM) -> Point:
    """A projected point pulled in onto the circle of radius ``reach`` if it lies beyond."""
    rho = math.hypot(x, y)
    if rho <= reach:
        return x, y
    return x * reach / rho, y * reach / rho


def centred_on(points: Iterable[Point]) -> Azimuthal:
    """The projection centred on the points' mean position on the sphere.

    The mean of unit vectors, not of degrees: points on both sides of the
    antimeridian centre near it, not on Greenwich.
    """
    sx = sy = sz = 0.0
    count = 0
    for lon, lat in points:
        lam, phi = math.radians(lon), math.radians(lat)
        sx += math.cos(phi) * math.cos(lam)
        sy += math.cos(phi) * math.sin(lam)
        sz += math.sin(phi)
        count += 1
    norm = math.sqrt(sx * sx + sy * sy + sz * sz)
    if count == 0 or norm < 1e-9 * count:
        return Azimuthal(*DEFAULT_CENTRE)
    lat = math.degrees(math.asin(sz / norm))
    lon = math.degrees(math.atan2(sy, sx)) if math.hypot(sx, sy) > 1e-12 else 0.0
    return Azimuthal(wrap_lon(lon), lat)


def centred_on_arrays(lons: np.ndarray, lats: np.ndarray) -> Azimuthal:
    """:func:`centred_on` for arrays of degrees."""
    if len(lons) == 0:
        return Azimuthal(*DEFAULT_CENTRE)
    lam, phi = np.radians(lons), np.radians(lats)
    sx = float(np.sum(np.cos(phi) * np.cos(lam)))
    sy = float(np.sum(np.cos(phi) * np.sin(lam)))
    sz = float(np.sum(np.sin(phi)))
    norm = math.sqrt(sx * sx + sy * sy + sz * sz)
    if norm < 1e-9 * len(lons):
        return Azimuthal(*DEFAULT_CENTRE)
    lon = math.degrees(math.atan2(sy, sx)) if math.hypot(sx, sy) > 1e-12 else 0.0
    return Azimuthal(wrap_lon(lon), math.degrees(math.asin(sz / norm)))


def great_circle_km(a: Point, b: Point) -> float:
    """Distance between two lon/lat points along the sphere (haversine)."""
    (lon1, lat1), (lon2, lat2) = a, b
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
