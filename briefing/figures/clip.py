"""Cutting projected rings and lines to the rectangle a map shows."""

from __future__ import annotations

from collections.abc import Callable, Sequence

Point = tuple[float, float]
Rect = tuple[float, float, float, float]
"""x0, y0, x1, y1 with x0 < x1 and y0 < y1."""


def _cut(
    ring: list[Point], inside: Callable[[Point], bool], cross: Callable[[Point, Point], Point]
) -> list[Point]:
    out: list[Point] = []
    if not ring:
        return out
    previous = ring[-1]
    for point in ring:
        if inside(point):
            if not inside(previous):
                out.append(cross(previous, point))
            out.append(point)
        elif inside(previous):
            out.append(cross(previous, point))
        previous = point
    return out


def _at_x(x: float) -> Callable[[Point, Point], Point]:
    def cross(a: Point, b: Point) -> Point:
        t = (x - a[0]) / (b[0] - a[0])
        return x, a[1] + t * (b[1] - a[1])

    return cross


def _at_y(y: float) -> Callable[[Point, Point], Point]:
    def cross(a: Point, b: Point) -> Point:
        t = (y - a[1]) / (b[1] - a[1])
        return a[0] + t * (b[0] - a[0]), y

    return cross


def clip_ring(ring: Sequence[Point], rect: Rect) -> list[Point]:
    """Sutherland–Hodgman: the part of a closed ring inside the rectangle (may be empty)."""
    x0, y0, x1, y1 = rect
    out = list(ring)
    out = _cut(out, lambda p: p[0] >= x0, _at_x(x0))
    out = _cut(out, lambda p: p[0] <= x1, _at_x(x1))
    out = _cut(out, lambda p: p[1] >= y0, _at_y(y0))
    out = _cut(out, lambda p: p[1] <= y1, _at_y(y1))
    return out if len(out) >= 3 else []


def _segment(a: Point, b: Point, rect: Rect) -> tuple[Point, Point] | None:
    """Liang–Barsky: the part of segment ab inside the rectangle."""
    x0, y0, x1, y1 = rect
    dx, dy = b[0] - a[0], b[1] - a[1]
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, a[0] - x0), (dx, x1 - a[0]), (-dy, a[1] - y0), (dy, y1 - a[1])):
        if p == 0:
            if q < 0:
                return None
            continue
        t = q / p
        if p < 0:
            if t > t1:
                return None
            t0 = max(t0, t)
        else:
            if t < t0:
                return None
            t1 = min(t1, t)
    return (a[0] + t0 * dx, a[1] + t0 * dy), (a[0] + t1 * dx, a[1] + t1 * dy)


def clip_line(line: Sequence[Point], rect: Rect) -> list[list[Point]]:
    """The pieces of an open line inside the rectangle."""
    x0, y0, x1, y1 = rect
    pieces: list[list[Point]] = []
    current: list[Point] = []
    for a, b in zip(line, line[1:], strict=False):
        if x0 <= a[0] <= x1 and y0 <= a[1] <= y1 and x0 <= b[0] <= x1 and y0 <= b[1] <= y1:
            part: tuple[Point, Point] | None = (a, b)
        else:
            part = _segment(a, b, rect)
        if part is None:
            if len(current) >= 2:
                pieces.append(current)
            current = []
            continue
        if not current or current[-1] != part[0]:
            if len(current) >= 2:
                pieces.append(current)
            current = [part[0]]
        current.append(part[1])
        if part[1] != b:
            pieces.append(current)
            current = []
    if len(current) >= 2:
        pieces.append(current)
    return pieces
