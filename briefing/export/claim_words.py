"""A casualty claim's figures in words, both ways: as every display writes them, and as typed.

One home for "40–60 (best 49)": the PDF, the Word document and the window's
claims table write figures with :func:`figures_text`, and the window reads what
the analyst types with :func:`parse_figures`, which accepts what it writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefing.model.claim_figures import HasFigures

SIDE_WORDS = {"civilians": "Civilians", "unknown": "Side unknown", "all sides": "All sides"}
UNATTRIBUTED = "Unattributed"
UNSPECIFIED = "unspecified"
FIGURE_HINT = "a whole number (49), a range (40–60), a range with a best estimate (40–60 (49)), "
FIGURE_HINT += "‘at least 3’ or ‘up to 12’; the claimant's words go in ‘Words’"

_NUMBER = r"(\d[\d,  ]*)"
_DASH = r"\s*[-–—]\s*"
_FORMS = (
    (re.compile(rf"{_NUMBER}"), ("best",)),
    (re.compile(rf"{_NUMBER}{_DASH}{_NUMBER}"), ("low", "high")),
    (re.compile(rf"{_NUMBER}{_DASH}{_NUMBER}\s*\(\s*(?:best\s*)?{_NUMBER}\s*\)"),
     ("low", "high", "best")),
    (re.compile(rf"(?:at least|≥|>=|min\.?)\s*{_NUMBER}", re.IGNORECASE), ("low",)),
    (re.compile(rf"(?:up to|≤|<=|max\.?)\s*{_NUMBER}", re.IGNORECASE), ("high",)),
)  # fmt: skip


@dataclass(frozen=True)
class Figures:
    low: int | None = None
    best: int | None = None
    high: int | None = None


class UnreadableFigures(ValueError):
    """What was typed is not a figure; ``str()`` says what is."""


def side_text(side: str) -> str:
    """The side affected as a reader sees it: a party's label, ``Civilians``, ``Side unknown``."""
    return SIDE_WORDS.get(side, side) or SIDE_WORDS["unknown"]


def _number(value: object) -> str:
    """``1,200``; a stored value that is not a whole number (a damaged file) as it is."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def figures_text(claim: HasFigures) -> str:
    """``49``; ``40–60 (best 49)``; ``40–60``; ``at least 3``; ``up to 12``; '' when none."""
    low, best, high = claim.low, claim.best, claim.high
    if low is not None and high is not None and low != high:
        span = f"{_number(low)}–{_number(high)}"
        return f"{span} (best {_number(best)})" if best is not None else span
    if best is not None:
        return _number(best)
    if low is not None and high is not None:
        return _number(low)
    if low is not None:
        return f"at least {_number(low)}"
    if high is not None:
        return f"up to {_number(high)}"
    return ""


def quoted(words: str) -> str:
    return f"“{' '.join(words.split())}”" if words.strip() else ""


def figure_text(claim: HasFigures, words: str = "") -> str:
    """The figure, else the claimant's words quoted, else ``unspecified``."""
    return figures_text(claim) or quoted(words) or UNSPECIFIED


def parse_figures(typed: str) -> Figures:
    """Figures as typed into a figure box ('' is none); :class:`UnreadableFigures` if not one."""
    text = " ".join(typed.replace("(best", "(").split())
    if not text or text.casefold() in (UNSPECIFIED, "?", "—", "-"):
        return Figures()
    for pattern, keys in _FORMS:
        match = pattern.fullmatch(text)
        if match:
            values = [int(re.sub(r"[,  ]", "", g)) for g in match.groups()]
            found = dict(zip(keys, values, strict=True))
            return Figures(found.get("low"), found.get("best"), found.get("high"))
    raise UnreadableFigures(f"‘{typed.strip()}’ is not a figure: write {FIGURE_HINT}.")
