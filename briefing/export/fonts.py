"""The shipped fonts, registered as ReportLab families and embedded (subset) in PDFs.

DejaVu is the base: Latin (with Azerbaijani ə and Turkish ş ğ ı), Cyrillic,
Greek and Armenian. :data:`SCRIPT_FONTS` adds one family per further script an
analyst quotes; the table names families and files only, so the window (Qt)
and the Word export can use the same fonts. :func:`font_chain` is the fallback
chain that :mod:`briefing.export.scripts` walks for each run of text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from briefing.export import scripts, shaping
from briefing.export.cmap import code_points
from briefing.export.scripts import Coverage
from briefing.resources import resource_path

SANS = "DejaVuSans"
CONDENSED = "DejaVuSansCondensed"
_FACES = {"": "", "-Bold": "-Bold", "-Oblique": "-Oblique", "-BoldOblique": "-BoldOblique"}
IGNORED_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}
"""Control and invisible formatting characters, which the exporter drops rather than draws."""


@dataclass(frozen=True)
class ScriptFont:
    """One shipped family for a script: names, files and the blocks it owns.

    ``family`` is the name the PDF export registers; ``family_name`` is the family
    the font file declares, which the window (Qt) and a Word document use.

    ``ranges`` are the blocks this family draws even where DejaVu has a glyph too
    (DejaVu's Arabic or Georgian is a stop-gap); other characters fall to it only
    when no earlier font in the chain has them.
    """

    script: str
    family: str
    family_name: str
    regular: str
    bold: str | None
    ranges: tuple[tuple[int, int], ...]
    licence: str
    subfont: int = 0


SCRIPT_FONTS: tuple[ScriptFont, ...] = (
    ScriptFont("Arabic", "NotoSansArabic", "Noto Sans Arabic", "NotoSansArabic-Regular.ttf",
               "NotoSansArabic-Bold.ttf",
               ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF),
                (0xFE70, 0xFEFF)), "LICENSE-Noto.txt"),
    ScriptFont("Hebrew", "NotoSansHebrew", "Noto Sans Hebrew", "NotoSansHebrew-Regular.ttf",
               "NotoSansHebrew-Bold.ttf", ((0x0590, 0x05FF), (0xFB1D, 0xFB4F)),
               "LICENSE-Noto.txt"),
    ScriptFont("Georgian", "NotoSansGeorgian", "Noto Sans Georgian",
               "NotoSansGeorgian-Regular.ttf", "NotoSansGeorgian-Bold.ttf",
               ((0x10A0, 0x10FF), (0x1C90, 0x1CBF), (0x2D00, 0x2D2F)), "LICENSE-Noto.txt"),
    ScriptFont("Ethiopic", "NotoSansEthiopic", "Noto Sans Ethiopic",
               "NotoSansEthiopic-Regular.ttf", "NotoSansEthiopic-Bold.ttf",
               ((0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F)), "LICENSE-Noto.txt"),
    ScriptFont("Myanmar", "NotoSansMyanmar", "Noto Sans Myanmar", "NotoSansMyanmar-Regular.ttf",
               "NotoSansMyanmar-Bold.ttf", ((0x1000, 0x109F), (0xA9E0, 0xA9FF), (0xAA60, 0xAA7F)),
               "LICENSE-Noto.txt"),
    ScriptFont("Devanagari", "NotoSansDevanagari", "Noto Sans Devanagari",
               "NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf",
               ((0x0900, 0x097F), (0xA8E0, 0xA8FF)), "LICENSE-Noto.txt"),
    ScriptFont("Thai", "NotoSansThai", "Noto Sans Thai", "NotoSansThai-Regular.ttf",
               "NotoSansThai-Bold.ttf", ((0x0E00, 0x0E7F),), "LICENSE-Noto.txt"),
    ScriptFont("Chinese, Japanese, Korean", "WenQuanYiMicroHei", "WenQuanYi Micro Hei",
               "WenQuanYiMicroHei.ttc", None,
               ((0x1100, 0x11FF), (0x2E80, 0x2FDF), (0x3000, 0x9FFF), (0xAC00, 0xD7AF),
                (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF), (0x20000, 0x2FFFF)),
               "LICENSE-WenQuanYi.txt"),
    ScriptFont("Symbols and emoji", "Symbola", "Symbola", "Symbola.ttf", None,
               ((0x1F000, 0x1FAFF),), "LICENSE-Symbola.txt"),
)  # fmt: skip
"""Script → family and file, in fallback order after DejaVu (shared with the Word export)."""

BASE_FILES = {SANS: "DejaVuSans.ttf", CONDENSED: "DejaVuSansCondensed.ttf"}
"""The base families and their regular files (bold and oblique sit beside them)."""


def bold(family: str) -> str:
    return f"{family}-Bold"


def italic(family: str) -> str:
    return f"{family}-Oblique"


def font_files() -> list[str]:
    """Every shipped font file, base first, for registering them with the window."""
    files = [f"{family}{suffix}.ttf" for family in (SANS, CONDENSED) for suffix in _FACES]
    for font in SCRIPT_FONTS:
        files += [font.regular] + ([font.bold] if font.bold else [])
    return files


def _register_script_font(font: ScriptFont) -> TTFont:
    regular = TTFont(font.family, str(resource_path("fonts", font.regular)),
                     subfontIndex=font.subfont)  # fmt: skip
    pdfmetrics.registerFont(regular)
    bold_name = font.family
    if font.bold:
        bold_name = bold(font.family)
        pdfmetrics.registerFont(TTFont(bold_name, str(resource_path("fonts", font.bold))))
    pdfmetrics.registerFontFamily(
        font.family, normal=font.family, bold=bold_name, italic=font.family, boldItalic=bold_name
    )
    # Italic and bold italic reuse the upright faces; name each face for what it is.
    addMapping(font.family, 0, 0, font.family)
    addMapping(font.family, 1, 0, bold_name)
    return regular


@cache
def register_fonts() -> tuple[TTFont, ...]:
    """Register every family once per process; returns the DejaVu faces."""
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
    for font in SCRIPT_FONTS:
        _register_script_font(font)
    shaping.install()
    return tuple(faces)


def _points(file: str, subfont: int = 0) -> frozenset[int]:
    return code_points(resource_path("fonts", file), subfont)


@cache
def font_chain() -> tuple[Coverage, ...]:
    """The fallback chain: DejaVu (what every DejaVu face draws), then each script family.

    Read from the fonts' cmap tables alone, so asking costs no font registration.
    """
    common = set(_points(f"{SANS}.ttf"))
    for family in (SANS, CONDENSED):
        for suffix in _FACES:
            common &= _points(f"{family}{suffix}.ttf")
    chain = [Coverage(SANS, frozenset(common), ())]
    for font in SCRIPT_FONTS:
        points = _points(font.regular, font.subfont)
        if font.bold:
            points &= _points(font.bold)
        chain.append(Coverage(font.family, points, font.ranges))
    return tuple(chain)


def unknown_characters(text: str) -> list[str]:
    """Characters of ``text`` no shipped font draws (they print as the placeholder)."""
    if text.isascii():
        return []
    return scripts.unknown(text, font_chain())
