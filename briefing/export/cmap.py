"""The code points a TrueType font (or one face of a collection) maps to glyphs.

Reads only the font's ``cmap`` table, so the window can tell which characters
the shipped fonts lack without parsing whole fonts (the CJK font alone holds
tens of thousands of glyphs).
"""

from __future__ import annotations

import struct
from pathlib import Path


def _table(data: bytes, base: int, tag: bytes) -> int:
    count = struct.unpack_from(">H", data, base + 4)[0]
    for n in range(count):
        entry = base + 12 + 16 * n
        if data[entry : entry + 4] == tag:
            return struct.unpack_from(">I", data, entry + 8)[0]
    raise ValueError(f"no {tag.decode()} table")


def _format12(data: bytes, at: int) -> set[int]:
    groups = struct.unpack_from(">I", data, at + 12)[0]
    points: set[int] = set()
    for n in range(groups):
        start, end, glyph = struct.unpack_from(">III", data, at + 16 + 12 * n)
        if glyph:
            points.update(range(start, end + 1))
        elif end > start:
            points.update(range(start + 1, end + 1))
    return points


def _format4(data: bytes, at: int) -> set[int]:
    segments = struct.unpack_from(">H", data, at + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", data, at + 14)
    starts = struct.unpack_from(f">{segments}H", data, at + 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}h", data, at + 16 + 4 * segments)
    offsets_at = at + 16 + 6 * segments
    offsets = struct.unpack_from(f">{segments}H", data, offsets_at)
    points: set[int] = set()
    for n, (start, end) in enumerate(zip(starts, ends, strict=True)):
        for point in range(start, min(end, 0xFFFE) + 1):
            if offsets[n] == 0:
                glyph = (point + deltas[n]) & 0xFFFF
            else:
                where = offsets_at + 2 * n + offsets[n] + 2 * (point - start)
                glyph = struct.unpack_from(">H", data, where)[0]
                glyph = (glyph + deltas[n]) & 0xFFFF if glyph else 0
            if glyph:
                points.add(point)
    return points


def code_points(path: Path, face: int = 0) -> frozenset[int]:
    """Every code point the font's Unicode cmap maps to a glyph other than .notdef."""
    data = path.read_bytes()
    base = 0
    if data[:4] == b"ttcf":
        base = struct.unpack_from(">I", data, 12 + 4 * face)[0]
    cmap = _table(data, base, b"cmap")
    count = struct.unpack_from(">H", data, cmap + 2)[0]
    found: dict[tuple[int, int], int] = {}
    for n in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * n)
        found[(platform, encoding)] = cmap + offset
    for key in ((3, 10), (0, 4), (0, 6), (3, 1), (0, 3), (0, 1)):
        if key in found:
            at = found[key]
            kind = struct.unpack_from(">H", data, at)[0]
            if kind == 12:
                return frozenset(_format12(data, at))
            if kind == 4:
                return frozenset(_format4(data, at))
    raise ValueError(f"{path.name} has no Unicode cmap")
