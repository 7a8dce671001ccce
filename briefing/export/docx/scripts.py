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

from briefing.export.fonts import SCRIPT_FONTS

SANS = "DejaVu Sans"
CONDENSED = "DejaVu Sans Condensed"
MONO = "DejaVu Sans Mono"
CJK = next(f.family_name for f in SCRIPT_FONTS if f.family == "WenQuanYiMicroHei")

_RANGES: tuple[tuple[int, int, str], ...] = tuple(
    sorted(
        [
            (0x0530, 0x058F, SANS),  # Armenian
            (0xFB13, 0xFB17, SANS),  # Armenian ligatures
            *(
                (start, end, font.family_name)
                for font in SCRIPT_FONTS
                for start, end in font.ranges
            ),
        ]
    )
)
"""Script blocks and the family Word should name for them: the fonts the PDF embeds."""
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
