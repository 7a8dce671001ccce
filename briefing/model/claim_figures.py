"""What casualty claims add up to, for a summary line, a chart bar or a map marker.

Claims are never added up across claimants. For each side and category the
figure used is the lowest estimate any claimant gives (what all of them at least
claim); sides are then added. A claim about ``all sides`` stands for the whole
event: the total is the larger of that figure and the sum of the separate sides,
so a data set that gives both (UCDP's deaths per side and its best estimate) is
not counted twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from briefing.model.vocab import ClaimCategory, ClaimSide

CASUALTY_CATEGORIES = (
    ClaimCategory.KILLED,
    ClaimCategory.WOUNDED,
    ClaimCategory.CAPTURED,
    ClaimCategory.MISSING,
)
"""The categories a casualty total adds (people displaced are counted apart)."""

SIDE_ABBREVIATIONS = {
    ClaimSide.CIVILIANS.value: "civ",
    ClaimSide.UNKNOWN.value: "unk",
    ClaimSide.ALL_SIDES.value: "all",
}


class HasFigures(Protocol):
    """Anything shaped like a claim: the snapshot's claims, :class:`ClaimFigures`."""

    @property
    def side(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def low(self) -> int | None: ...
    @property
    def best(self) -> int | None: ...
    @property
    def high(self) -> int | None: ...


@dataclass(frozen=True)
class ClaimFigures:
    """The figures of one claim; ``side`` is the party's label or the side's word."""

    side: str
    category: str
    low: int | None
    best: int | None
    high: int | None
    claimant: str = ""


def count(value: object) -> int | None:
    """A stored figure as a number; anything that is not a whole number counts as no figure."""
    return value if type(value) is int and value >= 0 else None


def estimate(claim: HasFigures) -> int | None:
    """The figure a claim stands for: its best estimate, else its low, else its high one."""
    for value in (claim.best, claim.low, claim.high):
        if count(value) is not None:
            return value
    return None


def _lowest_by_side(claims: Iterable[HasFigures]) -> dict[str, dict[str, int]]:
    """Category → side → the lowest estimate any claimant gives."""
    found: dict[str, dict[str, int]] = defaultdict(dict)
    for claim in claims:
        value = estimate(claim)
        if value is None:
            continue
        sides = found[str(claim.category)]
        side = str(claim.side)
        sides[side] = value if side not in sides else min(sides[side], value)
    return found


def best_estimates(claims: Iterable[HasFigures]) -> dict[str, int]:
    """Category → the event's best-estimate total (see the module's rule); only known ones."""
    totals = {}
    for category, sides in _lowest_by_side(claims).items():
        whole = sides.pop(ClaimSide.ALL_SIDES.value, 0)
        totals[category] = max(whole, sum(sides.values()))
    return totals


def casualty_total(claims: Iterable[HasFigures]) -> int | None:
    """Killed, wounded, captured and missing by best estimate; None when no claim has a figure."""
    totals = best_estimates(claims)
    known = [totals[c.value] for c in CASUALTY_CATEGORIES if c.value in totals]
    return sum(known) if known else None


def _figure(claim: HasFigures) -> str:
    low, best, high = count(claim.low), count(claim.best), count(claim.high)
    if best is None and low is not None and high is not None:
        return f"{low}–{high}"
    value = estimate(claim)
    if value is None:
        return "?"
    if best is None and low is None:
        return f"≤{value}"
    return str(value)


def compact_summary(claims: Iterable[HasFigures], short: dict[str, str] | None = None) -> str:
    """A one-line summary such as ``AM 49 k, 4 w · AZ 50 k``; differing claims joined by ``/``.

    ``short`` maps a side's label to a shorter one (e.g. a party's short name);
    civilians, unknown and all sides become ``civ``, ``unk`` and ``all``. An
    unspecified claim shows as ``?``.
    """
    order = {c.value: n for n, c in enumerate(ClaimCategory)}
    per_side: dict[str, dict[str, list[str]]] = {}
    for claim in claims:
        side = str(claim.side)
        figures = per_side.setdefault(side, {}).setdefault(str(claim.category), [])
        figure = _figure(claim)
        if figure not in figures:
            figures.append(figure)
    parts = []
    for side, categories in per_side.items():
        name = (short or {}).get(side) or SIDE_ABBREVIATIONS.get(side, side)
        shown = [
            f"{'/'.join(categories[category])} {category[:1]}"
            for category in sorted(categories, key=lambda c: order.get(c, len(order)))
        ]
        parts.append(f"{name} {', '.join(shown)}")
    return " · ".join(parts)


SIDE_WORDS = {
    ClaimSide.CIVILIANS.value: "Civilians",
    ClaimSide.UNKNOWN.value: "Side unknown",
    ClaimSide.ALL_SIDES.value: "All sides",
}


def figures_words(claim: HasFigures) -> str:
    """``49``; ``40–60 (best 49)``; ``40–60``; ``at least 3``; ``up to 12``; '' when none.

    A stored value that is not a whole number reads as no figure.
    """
    low, best, high = count(claim.low), count(claim.best), count(claim.high)
    if low is not None and high is not None and low != high:
        span = f"{low:,}–{high:,}"
        return f"{span} (best {best:,})" if best is not None else span
    if best is not None:
        return f"{best:,}"
    if low is not None and high is not None:
        return f"{low:,}"
    if low is not None:
        return f"at least {low:,}"
    if high is not None:
        return f"up to {high:,}"
    return ""


def claim_line(claim: dict[str, Any], name: Callable[[str], str]) -> str:
    """A claim in the codec's form as one line: ``Armenia: 4 wounded, per Armenian MoD``.

    ``name`` gives a party's or source's name from its UUID. For places where a
    claim is text among other fields: an edition's frozen content, the merge's
    comparison, a MISP note.
    """
    side = name(claim["party"]) if claim.get("party") else claim["side"]
    figures = ClaimFigures(side, claim["category"], claim.get("low"), claim.get("best"),
                           claim.get("high"))  # fmt: skip
    words = " ".join((claim.get("words") or "").split())
    shown = figures_words(figures)
    said = f"“{words}”" if words else ""
    line = f"{SIDE_WORDS.get(side, side)}: {shown or said or 'unspecified'} {claim['category']}"
    if shown and said:
        line += f" {said}"
    if claim.get("claimant"):
        line += f", per {name(claim['claimant'])}"
    if claim.get("source"):
        line += f" ({name(claim['source'])})"
    return line
