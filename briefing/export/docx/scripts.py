"""Which font Word and LibreOffice should use for each script, and which text runs right to left.

Word picks a run's font by the character's class (ASCII, high ANSI, complex script,
East Asian), not by its script, so a run naming only one font shows Georgian or
Arabic as boxes on a machine whose default font lacks them. The writer cuts text
into runs of one script and names that script's font for every class. Latin and
Cyrillic keep the style's font (the house template's, or DejaVu Sans).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator

SANS = "DejaVu Sans"
CONDENSED = "DejaVu Sans Condensed"
MONO = "DejaVu Sans Mono"
CJK = "Noto Sans CJK SC"

_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0530, 0x058F, SANS),  # Armenian
    (0x0590, 0x05FF, "Noto Sans Hebrew"),
    (0x0600, 0x06FF, "Noto Naskh Arabic"),
    (0x0700, 0x074F, "Noto Sans Syriac"),
    (0x0750, 0x077F, "Noto Naskh Arabic"),
    (0x0780, 0x07BF, "Noto Sans Thaana"),
    (0x08A0, 0x08FF, "Noto Naskh Arabic"),
    (0x0900, 0x097F, "Noto Sans Devanagari"),
    (0x0980, 0x09FF, "Noto Sans Bengali"),
    (0x0E00, 0x0E7F, "Noto Sans Thai"),
    (0x1000, 0x109F, "Noto Sans Myanmar"),
    (0x10A0, 0x10FF, "Noto Sans Georgian"),
    (0x1100, 0x11FF, CJK),  # Hangul jamo
    (0x1200, 0x139F, "Noto Sans Ethiopic"),
    (0x1C90, 0x1CBF, "Noto Sans Georgian"),
    (0x2D00, 0x2D2F, "Noto Sans Georgian"),
    (0x2D80, 0x2DDF, "Noto Sans Ethiopic"),
    (0x2E80, 0x9FFF, CJK),
    (0xA960, 0xA97F, CJK),
    (0xAC00, 0xD7AF, CJK),
    (0xF900, 0xFAFF, CJK),
    (0xFB13, 0xFB17, SANS),  # Armenian ligatures
    (0xFB1D, 0xFB4F, "Noto Sans Hebrew"),
    (0xFB50, 0xFDFF, "Noto Naskh Arabic"),
    (0xFE70, 0xFEFF, "Noto Naskh Arabic"),
    (0xFF00, 0xFFEF, CJK),
    (0x20000, 0x3FFFF, CJK),
)
_STARTS = [start for start, _, _ in _RANGES]
_NAMED = re.compile("[\u0530-\U0003ffff]")
"""Characters at or above Armenian: only these may need a font of their own."""
_RTL = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
_RTL_CLASSES = {"R", "AL"}
_NEUTRAL = ("Z", "P", "N", "S", "M", "C")


def font_of(char: str) -> str | None:
    """The font named for a character's script; None where the style's font serves."""
    code = ord(char)
    if code < 0x0530:
        return None
    at = bisect_right(_STARTS, code) - 1
    if at >= 0:
        start, end, font = _RANGES[at]
        if start <= code <= end:
            return font
    return None


def script_runs(text: str) -> Iterator[tuple[str, str | None]]:
    """``text`` cut where the script's font changes; spaces and marks stay with their neighbours."""
    if text.isascii() or not _NAMED.search(text):
        yield text, None
        return
    start, current = 0, None
    decided = False
    for at, char in enumerate(text):
        if char.isascii():
            if not char.isalpha():
                continue  # spaces, digits, punctuation go with either neighbour
            font = None
        else:
            font = font_of(char)
            if font is None and unicodedata.category(char)[0] in _NEUTRAL:
                continue
        if not decided:
            current, decided = font, True
        elif font != current:
            yield text[start:at], current
            start, current = at, font
    yield text[start:], current


def is_rtl(text: str) -> bool:
    """Whether a text reads right to left: its first strong character is Hebrew, Arabic, etc."""
    for char in text:
        if char.isascii() and not char.isalpha():
            continue
        direction = unicodedata.bidirectional(char)
        if direction in _RTL_CLASSES:
            return True
        if direction == "L":
            return False
    return False


def has_rtl(text: str) -> bool:
    """Whether any character reads right to left (the run needs Word's ``rtl`` mark)."""
    return not text.isascii() and _RTL.search(text) is not None
