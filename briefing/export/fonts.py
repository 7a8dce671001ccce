"""The shipped DejaVu fonts, registered as ReportLab families and embedded (subset) in PDFs.

DejaVu covers Latin (with Azerbaijani ə and Turkish ş ğ ı), Cyrillic and
Armenian. Before a build, :func:`missing_glyphs` finds any character the fonts
cannot draw, so that no name ever comes out as a box.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from briefing.resources import resource_path

SANS = "DejaVuSans"
CONDENSED = "DejaVuSansCondensed"
_FACES = {"": "", "-Bold": "-Bold", "-Oblique": "-Oblique", "-BoldOblique": "-BoldOblique"}
IGNORED_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}
"""Control and invisible formatting characters, which the exporter drops rather than draws."""


def bold(family: str) -> str:
    return f"{family}-Bold"


def italic(family: str) -> str:
    return f"{family}-Oblique"


@cache
def register_fonts() -> tuple[TTFont, ...]:
    """Register both families once per process; returns every face for glyph checks."""
    faces = []
    for family in (SANS, CONDENSED):
        for suffix in _FACES:
            name = f"{family}{suffix}"
            face = TTFont(name, str(resource_path("fonts", f"{name}.ttf")))
            pdfmetrics.registerFont(face)
            faces.append(face)
        pdfmetrics.registerFontFamily(
            family,
            normal=family,
            bold=bold(family),
            italic=italic(family),
            boldItalic=f"{family}-BoldOblique",
        )
    return tuple(faces)


@cache
def _covered() -> frozenset[int]:
    """Code points every registered face can draw."""
    faces = register_fonts()
    common = set(faces[0].face.charToGlyph)
    for face in faces[1:]:
        common &= set(face.face.charToGlyph)
    return frozenset(common)


def missing_glyphs(texts: Iterable[str]) -> list[str]:
    """Characters (in first-seen order) that some face used by the exporter cannot draw."""
    covered = _covered()
    missing: dict[str, None] = {}
    for text in texts:
        for char in unicodedata.normalize("NFC", text):
            if ord(char) in covered or char in missing or char.isspace():
                continue
            if unicodedata.category(char) not in IGNORED_CATEGORIES:
                missing[char] = None
    return list(missing)
