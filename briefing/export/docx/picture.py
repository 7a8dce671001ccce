"""The PDF's ReportLab drawings as PNG pictures, painted with Pillow.

ReportLab's own bitmap renderer needs a Cairo binding that is not always
installed; the alliance diagram uses only rectangles, lines, curves drawn as
polylines, arrowheads and strings, which Pillow paints with the same shipped
fonts. No Qt, so the CLI can run it.
"""

from __future__ import annotations

import io
import math
from functools import cache

from PIL import Image, ImageDraw, ImageFont, features
from reportlab.graphics.shapes import Drawing, Group, Line, Polygon, PolyLine, Rect, String
from reportlab.lib.colors import Color
from reportlab.pdfbase.ttfonts import ShapedStr

from briefing.export import scripts
from briefing.export.fonts import SANS, SCRIPT_FONTS, bold, font_files
from briefing.export.shaping import glyph_texts
from briefing.resources import resource_path

SCALE = 3.0
"""Pixels per point: about 216 dots per inch, sharp in print."""


@cache
def _files() -> dict[str, tuple[str, int]]:
    """Shipped font file and face index by the name the PDF export registers it under."""
    files = {file.removesuffix(".ttf"): (file, 0) for file in font_files() if "DejaVu" in file}
    for font in SCRIPT_FONTS:
        files[font.family] = (font.regular, font.subfont)
        files[bold(font.family)] = (font.bold, 0) if font.bold else (font.regular, font.subfont)
    return files


@cache
def _font(name: str, size: float) -> ImageFont.FreeTypeFont:
    file, index = _files().get(name, (f"{SANS}.ttf", 0))
    path = resource_path("fonts", file)
    return ImageFont.truetype(str(path), max(1, round(size * SCALE)), index=index)


def _rgb(colour: Color | None) -> tuple[int, int, int] | None:
    if colour is None:
        return None
    return tuple(round(c * 255) for c in colour.rgb())  # type: ignore[return-value]


def _stroke(width: float | None) -> int:
    return max(1, round((width or 0) * SCALE))


def _dashed(draw: ImageDraw.ImageDraw, line: list[tuple[float, float]], dashes: list[float],
            fill: tuple[int, int, int], width: int) -> None:  # fmt: skip
    """A dashed line through ``line``'s points, its dashes running on across the corners."""
    pattern = [d * SCALE for d in dashes]
    index, left = 0, pattern[0]
    for start, end in zip(line, line[1:], strict=False):
        length = math.dist(start, end)
        if length == 0:
            continue
        ux, uy = (end[0] - start[0]) / length, (end[1] - start[1]) / length
        at = 0.0
        while at < length:
            stop = min(at + left, length)
            if index % 2 == 0:
                piece = [(start[0] + ux * at, start[1] + uy * at),
                         (start[0] + ux * stop, start[1] + uy * stop)]  # fmt: skip
                draw.line(piece, fill=fill, width=width)
            left -= stop - at
            at = stop
            if left <= 1e-9:
                index += 1
                left = pattern[index % len(pattern)]


def _paint(draw: ImageDraw.ImageDraw, shape: object, height: float) -> None:
    def point(x: float, y: float) -> tuple[float, float]:
        return x * SCALE, (height - y) * SCALE

    if isinstance(shape, Rect):
        x0, y1 = point(shape.x, shape.y)
        x1, y0 = point(shape.x + shape.width, shape.y + shape.height)
        outline = _rgb(shape.strokeColor)
        draw.rounded_rectangle(
            [x0, y0, x1, y1], radius=(shape.rx or 0) * SCALE, fill=_rgb(shape.fillColor),
            outline=outline, width=_stroke(shape.strokeWidth) if outline else 0,
        )  # fmt: skip
    elif isinstance(shape, Line):
        start, end = point(shape.x1, shape.y1), point(shape.x2, shape.y2)
        fill = _rgb(shape.strokeColor) or (0, 0, 0)
        width = max(1, round(shape.strokeWidth * SCALE))
        if shape.strokeDashArray:
            _dashed(draw, [start, end], list(shape.strokeDashArray), fill, width)
        else:
            draw.line([start, end], fill=fill, width=width)
    elif isinstance(shape, PolyLine):
        points = shape.points
        line = [point(points[i], points[i + 1]) for i in range(0, len(points) - 1, 2)]
        fill = _rgb(shape.strokeColor) or (0, 0, 0)
        width = max(1, round(shape.strokeWidth * SCALE))
        if shape.strokeDashArray:
            _dashed(draw, line, list(shape.strokeDashArray), fill, width)
        else:
            draw.line(line, fill=fill, width=width, joint="curve")
    elif isinstance(shape, Polygon):
        points = shape.points
        corners = [point(points[i], points[i + 1]) for i in range(0, len(points) - 1, 2)]
        draw.polygon(corners, fill=_rgb(shape.fillColor), outline=_rgb(shape.strokeColor))
    elif isinstance(shape, Group):
        for part in shape.contents:  # the diagram's groups hold shapes at drawing coordinates
            _paint(draw, part, height)
    elif isinstance(shape, String):
        font = _font(shape.fontName, shape.fontSize)
        anchor = {"middle": "ms", "end": "rs"}.get(shape.textAnchor, "ls")
        text, direction = _logical(shape)
        draw.text(point(shape.x, shape.y), text, font=font, fill=_rgb(shape.fillColor),
                  anchor=anchor, direction=direction)  # fmt: skip


def _logical(shape: String) -> tuple[str, str | None]:
    """A label's text in reading order and its direction, for Pillow to shape and place.

    A run the PDF export shaped holds glyph codes in display order (a private-use
    code for a joined Arabic letter, which Pillow's font does not have); its
    text is read back and reversed if it runs right to left.
    """
    if not isinstance(shape.text, ShapedStr):
        return shape.text, None
    pieces = glyph_texts(shape.text, shape.fontName)
    if not scripts.has_rtl("".join(pieces)) or not features.check("raqm"):
        return "".join(pieces), None
    return "".join(reversed(pieces)), "rtl"


def drawing_png(drawing: Drawing) -> bytes:
    """The drawing as PNG bytes at :data:`SCALE` pixels per point."""
    size = (round(drawing.width * SCALE), round(drawing.height * SCALE))
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    for shape in drawing.contents:
        _paint(draw, shape, drawing.height)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False)
    return out.getvalue()
