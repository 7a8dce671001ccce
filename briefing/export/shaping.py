"""HarfBuzz shaping of one run of text (one font, one direction) into ReportLab glyphs.

ReportLab draws a :class:`ShapedStr` glyph by glyph with HarfBuzz's offsets, but
its own shaper guesses the direction from the text and gives a contextual form
(an Arabic letter joined on both sides) a private-use code, which a reader
copying from the PDF gets back as gibberish. Here the direction is the one the
bidirectional algorithm resolved, and such a form gets its Unicode presentation
form instead (U+FE91 for beh joined on the left), which normalises back to the
letter (NFKC), so copying and searching the PDF work.

Uses ReportLab's shaped-text internals (``ShapedStr``, ``ShapeData``, the face's
glyph maps); pyproject bounds the ReportLab version accordingly.
"""

from __future__ import annotations

import unicodedata
from functools import cache

import uharfbuzz as hb
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr

_FEATURES = {"kern": True, "liga": True}
_FORMS = ("isolated", "final", "initial", "medial")


@cache
def _presentation_forms() -> dict[tuple[str, str], str]:
    """(letters, form) → Arabic presentation-form character, from Unicode's decompositions."""
    table: dict[tuple[str, str], str] = {}
    for point in list(range(0xFB50, 0xFE00)) + list(range(0xFE70, 0xFF00)):
        parts = unicodedata.decomposition(chr(point)).split()
        if len(parts) >= 2 and parts[0].strip("<>") in _FORMS:
            letters = "".join(chr(int(p, 16)) for p in parts[1:])
            table.setdefault((letters, parts[0].strip("<>")), chr(point))
    return table


def _joins(letter: str) -> tuple[bool, bool]:
    """Whether an Arabic letter joins to the next letter (left) and to the previous (right)."""
    forms = _presentation_forms()
    return (letter, "initial") in forms or (letter, "medial") in forms, (letter, "final") in forms


def _form(text: str, start: int, end: int) -> str:
    """The contextual form of ``text[start:end]`` among its neighbours (marks are skipped)."""

    def neighbour(index: int, step: int) -> str:
        while 0 <= index < len(text) and unicodedata.category(text[index]) == "Mn":
            index += step
        return text[index] if 0 <= index < len(text) else ""

    before, after = neighbour(start - 1, -1), neighbour(end, 1)
    joins_next, joins_previous = _joins(text[start])
    if end - start > 1:
        joins_next = _joins(text[end - 1])[0]
    right = joins_previous and bool(before) and _joins(before)[0]
    left = joins_next and bool(after) and _joins(after)[1]
    return {(True, True): "medial", (True, False): "final", (False, True): "initial"}.get(
        (right, left), "isolated"
    )


@cache
def _hb_font(name: str) -> hb.Font:
    face = pdfmetrics.getFont(name).face
    return hb.Font(hb.Face(hb.Blob(face._ttf_data)))


def _code_for(font: object, gid: int, name: str, text: str, start: int, end: int) -> int:
    """A character code for a glyph the font's cmap does not reach."""
    face = font.face  # type: ignore[attr-defined]
    letters = text[start:end].rstrip(
        "".join(c for c in text[start:end] if unicodedata.category(c) == "Mn")
    )
    form = _presentation_forms().get((letters, _form(text, start, end))) if letters else None
    if form is not None and ord(form) not in face.charToGlyph:
        point = ord(form)
        face.charToGlyph[point] = gid
        face.glyphToChar.setdefault(gid, []).append(point)
        face.charWidths[point] = face.charWidths.get(point, 0)
        return point
    font.hbFont()  # type: ignore[attr-defined]  # sets up ReportLab's private-use table
    return font.hbAddPrivate(name, gid, 0)  # type: ignore[attr-defined]


def shape(text: str, font_name: str, size: float, rtl: bool) -> tuple[str, float]:
    """The run as glyphs in display order (left to right) and its width in points."""
    font = pdfmetrics.getFont(font_name)
    hb_font = _hb_font(font_name)
    buffer = hb.Buffer()
    buffer.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS
    buffer.add_str(text)
    buffer.guess_segment_properties()
    buffer.direction = "rtl" if rtl else "ltr"
    hb.shape(hb_font, buffer, _FEATURES)
    infos, positions = buffer.glyph_infos, buffer.glyph_positions
    clusters = sorted({info.cluster for info in infos}) + [len(text)]
    ends = dict(zip(clusters, clusters[1:], strict=False))
    face = font.face
    chars, data, width = [], [], 0.0
    for info, pos in zip(infos, positions, strict=True):
        gid = info.codepoint
        points = face.glyphToChar.get(gid)
        if points:
            point = points[0]
        else:
            end = ends.get(info.cluster, len(text))
            point = _code_for(font, gid, hb_font.glyph_to_string(gid), text, info.cluster, end)
        advance = font.pdfScale(pos.x_advance)
        char_width = face.charWidths.get(point, 0)
        if not points and not char_width:
            face.charWidths[point] = char_width = advance
        chars.append(chr(point))
        data.append(
            ShapeData(info.cluster, advance, font.pdfScale(pos.y_advance),
                      font.pdfScale(pos.x_offset), font.pdfScale(pos.y_offset), char_width)
        )  # fmt: skip
        width += advance
    return ShapedStr("".join(chars), shapeData=data), width * size / 1000
