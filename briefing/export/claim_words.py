"""A casualty claim's figures in words, both ways: as every display writes them, and as typed.

Figures are written by :func:`briefing.model.claim_figures.figures_words`, the one
home of "40–60 (best 49)" (edition changes and MISP notes use it too); here the
PDF, the Word document and the window add the claimant's words, and the window
reads what the analyst types with :func:`parse_figures`, which accepts what it writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefing.model.claim_figures import SIDE_WORDS, HasFigures, figures_words

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


def figures_text(claim: HasFigures) -> str:
    """``49``; ``40–60 (best 49)``; ``40–60``; ``at least 3``; ``up to 12``; '' when none."""
    return figures_words(claim)


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
