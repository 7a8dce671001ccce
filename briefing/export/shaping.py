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
from functools import cache, lru_cache
from typing import Any

import uharfbuzz as hb
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr

_FEATURES = {"kern": True, "liga": True}
_TEXTS: dict[str, dict[int, str]] = {}
"""Font (PostScript name) → private-use code → the text its glyph stands for. Grows with
the glyphs shaped in this process; the same glyph and text always get the same code."""
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


def _alias(font: Any, gid: int, text: str) -> int:
    """A private-use code drawing glyph ``gid`` that a reader gets back as ``text``.

    ``text`` is empty for a second glyph of a cluster whose text went to the first
    (a conjunct after its vowel sign): it reads back as nothing.
    """
    font.hbFont()  # sets up ReportLab's private-use allocation
    code = font.hbAddPrivate(f"{gid}:{text}", gid, 0)
    name = font.face.name
    _TEXTS.setdefault(name.decode("latin-1") if isinstance(name, bytes) else name, {})[code] = text
    return code


def glyph_texts(glyphs: str, font_name: str) -> list[str]:
    """What each glyph of a shaped run stands for, in the run's (display) order.

    The same text a PDF reader gets back: a private-use code gives the text it was
    made for, a presentation form its letter. Lets a painter without these
    codes (Pillow, for the Word document's pictures) shape the text again.
    """
    name = pdfmetrics.getFont(font_name).face.name
    aliases = _TEXTS.get(name.decode("latin-1") if isinstance(name, bytes) else name, {})
    return [aliases.get(ord(c), unicodedata.normalize("NFKC", c)) for c in glyphs]


def _code_for(font: Any, gid: int, text: str, start: int, end: int, residue: str) -> int:
    """A character code for a glyph that does not stand for one of its cluster's characters."""
    face = font.face
    letters = "".join(c for c in text[start:end] if unicodedata.category(c) != "Mn")
    form = _presentation_forms().get((letters, _form(text, start, end))) if letters else None
    if form is not None and residue == text[start:end]:
        point = ord(form)
        if point not in face.charToGlyph:
            face.charToGlyph[point] = gid
            face.glyphToChar.setdefault(gid, []).append(point)
        if face.charToGlyph[point] == gid:
            return point
    return _alias(font, gid, residue)


def _cluster_ends(infos: list[Any], length: int) -> dict[int, int]:
    clusters = sorted({info.cluster for info in infos}) + [length]
    return dict(zip(clusters, clusters[1:], strict=False))


def _exact(face: Any, gid: int, cluster_text: str) -> int | None:
    """The glyph's own character when it is one of the cluster's characters."""
    points = face.glyphToChar.get(gid) or ()
    return next((p for p in points if chr(p) in cluster_text), None)


def _in_order(chars: list[str], cluster: str) -> bool:
    """Whether ``chars`` appear in ``cluster`` in that order (no vowel sign moved before)."""
    at = 0
    for char in chars:
        at = cluster.find(char, at)
        if at < 0:
            return False
        at += 1
    return True


_ALIAS_LIMIT = 4000
"""Private-use codes per font beyond which reordered clusters read back in display order."""


def _codes(font: Any, infos: list[Any], text: str, ends: dict[int, int], rtl: bool) -> list[int]:
    """A character code per glyph such that reading the codes back gives ``text``.

    A glyph that is one of its cluster's characters keeps it; other glyphs stand
    for what is left of the cluster. A cluster whose vowel sign is drawn before its
    consonant (Devanagari ि, Myanmar ေ) is read back whole from its first glyph.
    """
    face = font.face
    members: dict[int, list[int]] = {}
    for index, info in enumerate(infos):
        members.setdefault(info.cluster, []).append(index)
    codes = [0] * len(infos)
    for start, glyphs in members.items():
        cluster = text[start : ends[start]]
        exact = [_exact(face, infos[i].codepoint, cluster) for i in glyphs]
        found = [chr(p) for p in exact if p is not None]
        name = face.name.decode("latin-1") if isinstance(face.name, bytes) else face.name
        if (not rtl and len(glyphs) > 1 and not _in_order(found, cluster)
                and len(_TEXTS.get(name, {})) < _ALIAS_LIMIT):  # fmt: skip
            for n, i in enumerate(glyphs):
                codes[i] = _alias(font, infos[i].codepoint, cluster if n == 0 else "")
            continue
        residue = cluster
        for char in found:
            residue = residue.replace(char, "", 1)
        for i, point in zip(glyphs, exact, strict=True):
            if point is None:
                point = _code_for(font, infos[i].codepoint, text, start, ends[start], residue)
                residue = ""
            codes[i] = point
    return codes


@lru_cache(maxsize=8192)
def shape(text: str, font_name: str, size: float, rtl: bool) -> tuple[str, float]:
    """The run as glyphs in display order (left to right) and its width in points.

    Remembered: the same word in the same font and size is shaped once.
    """
    font = pdfmetrics.getFont(font_name)
    hb_font = _hb_font(font_name)
    buffer = hb.Buffer()
    buffer.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS
    buffer.add_str(text)
    buffer.guess_segment_properties()
    buffer.direction = "rtl" if rtl else "ltr"
    hb.shape(hb_font, buffer, _FEATURES)
    infos, positions = buffer.glyph_infos, buffer.glyph_positions
    codes = _codes(font, infos, text, _cluster_ends(infos, len(text)), rtl)
    face = font.face
    chars, data, width = [], [], 0.0
    for info, pos, point in zip(infos, positions, codes, strict=True):
        advance = font.pdfScale(pos.x_advance)
        if not face.charWidths.get(point):  # a code given here: the glyph's own advance
            face.charWidths[point] = font.pdfScale(hb_font.get_glyph_h_advance(info.codepoint))
        chars.append(chr(point))
        data.append(
            ShapeData(info.cluster, advance, font.pdfScale(pos.y_advance),
                      font.pdfScale(pos.x_offset), font.pdfScale(pos.y_offset),
                      face.charWidths[point])
        )  # fmt: skip
        width += advance
    return ShapedStr("".join(chars), shapeData=data), width * size / 1000


def _utf16(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode map, with the text of shaped glyphs and characters past U+FFFF.

    Installed in place of ``ttfonts.makeToUnicodeCMap`` (which writes a code past
    U+FFFF as five hex digits, so an emoji reads back as nothing).
    """
    texts = _TEXTS.get(fontname.split("+", 1)[-1], {})
    entries = [
        f"<{i:02X}> <{_utf16(texts[v] if v in texts else chr(v))}>" for i, v in enumerate(subset)
    ]
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo",
            f"<< /Registry ({fontname})",
            f"/Ordering ({fontname})",
            "/Supplement 0",
            ">> def",
            f"/CMapName /{fontname} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange",
            f"{len(subset)} beginbfchar",
            *entries,
            "endbfchar",
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


def install() -> None:
    """Let ReportLab write :func:`to_unicode_cmap` for every embedded TrueType font."""
    ttfonts.makeToUnicodeCMap = to_unicode_cmap
