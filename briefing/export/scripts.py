"""Which font draws each run of text, and in which direction it reads.

Pure functions over strings (no Qt, no ReportLab), shared by every exporter:

- :func:`font_runs` walks a fallback chain of :class:`Coverage` and cuts text into
  runs, each drawn by the first font that has its letters; punctuation, digits,
  spaces and combining marks stay with the run they sit in when its font has them.
  A character no font has becomes :data:`PLACEHOLDER`.
- :func:`base_direction` is the paragraph direction of the Unicode bidirectional
  algorithm (first strong letter); :func:`bidi_levels` and :func:`visual_order`
  are its embedding levels and line reordering. python-bidi resolves the levels
  with its pure-Python algorithm, which predates the rule pairing brackets (N0):
  a bracket between runs of different directions may face the other way than a
  browser would show it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from bidi import algorithm as uba
from bidi.mirror import MIRRORED

PLACEHOLDER = "\u25a1"
"""What prints for a character no shipped font has: a white square, visibly not a letter."""

INVISIBLE = re.compile("[\u200e\u200f\u061c\u2066-\u2069\u202a-\u202e]")
"""Direction marks and isolates: they steer the bidirectional algorithm and print nothing."""
_RTL = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
_STRONG_RTL = {"R", "AL"}
BRACKET_DEPTH = 63
"""Open brackets the pairing looks through, as the algorithm specifies."""
_MIXING = {"L", "EN", "AN", "LRE", "LRO", "RLE", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}
_COMPLEX = re.compile(
    "[\u0590-\u08ff\u0900-\u0dff\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f\u1780-\u18af"
    "\u1100-\u11ff\ua8e0-\ua8ff\ua9e0-\ua9ff\uaa60-\uaa7f\ufb1d-\ufdff\ufe70-\ufeff"
    "\U0001f3fb-\U0001f3ff\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
)
"""Text that needs more than one glyph per character: shaping, marks, or right to left."""


@dataclass(frozen=True)
class Coverage:
    """A font in the chain: its name, the code points it draws, the blocks it owns."""

    name: str
    points: frozenset[int]
    ranges: tuple[tuple[int, int], ...]

    def owns(self, point: int) -> bool:
        return any(low <= point <= high for low, high in self.ranges)


def _keeps_font(char: str) -> bool:
    """Punctuation, digits, spaces, symbols and marks: they stay in the run they sit in."""
    return not unicodedata.category(char).startswith("L")


_FREE = "free"
"""An owners-table entry: no font of the chain claims the code point's block."""


@cache
def _owners(chain: tuple[Coverage, ...]) -> dict[int, Coverage | str | None]:
    """Code point → the font owning its block (None: owned, but that font lacks it).

    Filled as characters are met, so each block lookup happens once per process.
    """
    return {}


def _owner(point: int, chain: tuple[Coverage, ...], owners: dict) -> Coverage | str | None:
    found = owners.get(point, _FREE if point < 0x0590 else False)
    if found is False:
        found = next(
            ((f if point in f.points else None) for f in chain[1:] if f.owns(point)), _FREE
        )
        owners[point] = found
    return found


def _font_for(point: int, char: str, current: Coverage | None, chain: tuple[Coverage, ...],
              owners: dict) -> Coverage | None:  # fmt: skip
    owner = _owner(point, chain, owners)
    if owner is not _FREE:
        return owner  # type: ignore[return-value]
    if current is not None and point in current.points and _keeps_font(char):
        return current
    return next((font for font in chain if point in font.points), None)


@cache
def _base_only(chain: tuple[Coverage, ...]) -> frozenset[int]:
    """Code points the base font draws and no other font of the chain owns."""
    return frozenset(p for p in chain[0].points if not any(f.owns(p) for f in chain[1:]))


def font_runs(text: str, chain: tuple[Coverage, ...]) -> list[tuple[str, str]]:
    """``text`` cut into ``(font name, text)`` runs; unknown characters become the placeholder.

    The first font of the chain is the base; text it draws alone is one run, found
    without a loop over the characters.
    """
    if not text:
        return []
    base = chain[0]
    simple = _base_only(chain)
    if text.isascii() or all(ord(c) in simple for c in set(text)):
        return [(base.name, text)]
    runs: list[tuple[str, list[str]]] = []
    current: Coverage | None = None
    owners = _owners(chain)
    for char in text:
        font = _font_for(ord(char), char, current, chain, owners)
        if char == "\n":  # a line break is no glyph: it stays in the run it ends
            font = current or base
        if font is None:
            font, char = base, PLACEHOLDER
        current = font
        if runs and runs[-1][0] == font.name:
            runs[-1][1].append(char)
        else:
            runs.append((font.name, [char]))
    return [(name, "".join(chars)) for name, chars in runs]


def unknown(text: str, chain: tuple[Coverage, ...]) -> list[str]:
    """Characters of ``text`` (first-seen order) that no font in the chain draws."""
    found: dict[str, None] = {}
    for char in set(text):
        point = ord(char)
        if char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            continue
        if _font_for(point, char, None, chain, _owners(chain)) is None:
            found[char] = None
    return sorted(found, key=text.index)


def is_complex(text: str) -> bool:
    """Whether ``text`` needs shaping or right-to-left layout (not one glyph per letter)."""
    return _COMPLEX.search(text) is not None


def has_rtl(text: str) -> bool:
    return _RTL.search(text) is not None


def base_direction(text: str) -> str:
    """``"rtl"`` when the first strong letter reads right to left, else ``"ltr"`` (rules P2, P3)."""
    if not has_rtl(text):
        return "ltr"
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in _STRONG_RTL:
            return "rtl"
    return "ltr"


def bidi_levels(text: str, rtl: bool) -> list[int]:
    """The resolved embedding level of each character (odd: right to left).

    Text without anything to resolve (no letter against the base direction, no
    digit) is all at the base level, without running the algorithm.
    """
    base = 1 if rtl else 0
    kinds = {unicodedata.bidirectional(c) for c in set(text)}
    if not (kinds & (_MIXING if rtl else _STRONG_RTL | {"AN"})):
        return [base] * len(text)
    storage = uba.get_empty_storage()
    storage["base_level"] = base
    storage["base_dir"] = ("L", "R")[base]
    uba.get_embedding_levels(text, storage)
    uba.explicit_embed_and_overrides(storage)
    uba.resolve_weak_types(storage)
    for run in storage["runs"]:
        _resolve_brackets(storage["chars"][run["start"] : run["start"] + run["length"]], run)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    levels = [c["level"] for c in storage["chars"]]
    if len(levels) != len(text):  # explicit embedding marks were removed: no reordering
        return [base] * len(text)
    return levels


def _resolve_brackets(chars: list[dict[str, Any]], run: dict[str, Any]) -> None:
    """Rule N0: a pair of brackets takes one direction, from what it encloses.

    The legacy algorithm predates the rule, so "(١٦ نوفمبر)" after Arabic in an
    English sentence would print with its brackets pointing apart. A pair enclosing
    text of the run's own direction takes that direction; one enclosing only the
    other direction takes it when the text before the pair reads that way too.
    """
    own = "R" if chars and chars[0]["level"] % 2 else "L"
    for opening, closing in _bracket_pairs(chars):
        inside = {_strong(c["type"]) for c in chars[opening + 1 : closing]} - {None}
        if not inside:
            continue
        if own in inside:
            chosen = own
        else:
            before = next(
                (_strong(c["type"]) for c in reversed(chars[:opening]) if _strong(c["type"])),
                run["sor"],
            )
            chosen = before
        chars[opening]["type"] = chars[closing]["type"] = chosen


def _bracket_pairs(chars: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Rule BD16: opening brackets matched to closing ones, in the order they open."""
    stack: list[tuple[str, int]] = []
    pairs: list[tuple[int, int]] = []
    for index, char in enumerate(chars):
        text = char["ch"]
        if char["type"] != "ON" or text not in MIRRORED:
            continue
        kind = unicodedata.category(text)
        if kind == "Ps":
            if len(stack) == BRACKET_DEPTH:
                break
            stack.append((MIRRORED[text], index))
        elif kind == "Pe":
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == text:
                    pairs.append((stack[depth][1], index))
                    del stack[depth:]
                    break
    return sorted(pairs)


def _strong(kind: str) -> str | None:
    """The direction a type counts as inside and around brackets (numbers read as R)."""
    if kind == "L":
        return "L"
    return "R" if kind in ("R", "AL", "EN", "AN") else None


def visual_order(levels: Sequence[int]) -> list[int]:
    """Indices of items in display order, left to right (rule L2: reverse from the top level)."""
    order = list(range(len(levels)))
    if not levels:
        return order
    highest = max(levels)
    odd = [level for level in levels if level % 2]
    lowest_odd = min(odd) if odd else highest + 1
    for level in range(highest, lowest_odd - 1, -1):
        start = None
        for i in range(len(order) + 1):
            inside = i < len(order) and levels[order[i]] >= level
            if inside and start is None:
                start = i
            elif not inside and start is not None:
                order[start:i] = order[start:i][::-1]
                start = None
    return order


def mirrored(char: str) -> str:
    """The mirror image of a bracket or similar, for right-to-left runs (rule L4)."""
    return MIRRORED.get(char, char)


def visual_text(text: str) -> str:
    """One line of text in display order, for places that draw characters one by one."""
    if not has_rtl(text):
        return text
    rtl = base_direction(text) == "rtl"
    levels = bidi_levels(text, rtl)
    return "".join(mirrored(text[i]) if levels[i] % 2 else text[i] for i in visual_order(levels))
