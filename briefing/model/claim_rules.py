"""The rules of a casualty claim (held inside a timeline entry, as ``claims``).

Listed in plain words under "Casualty claims" in :mod:`briefing.model.rules`;
a claim's single values obey :mod:`briefing.model.field_rules`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from briefing.model import field_rules as field
from briefing.model.field_rules import MAX_COUNT, MAX_LINE, shown
from briefing.model.vocab import ClaimCategory, ClaimSide

CLAIM_REFERENCES = {"party": "party", "claimant": "party", "source": "source"}
"""References a casualty claim holds: field → kind referred to."""

_CLAIM_FIELDS: tuple[tuple[str, Callable[[Any], str | None]], ...] = (
    ("uuid", field.uuid),
    ("party", field.uuid),
    ("low", field.count),
    ("best", field.count),
    ("high", field.count),
    ("words", field.line),
    ("claimant", field.uuid),
    ("source", field.uuid),
    ("claimed_at", field.time),
)
_CLAIM_SIDE = field.choice(s.value for s in ClaimSide)
_CLAIM_CATEGORY = field.choice(c.value for c in ClaimCategory)


_SIDE_WORDS = frozenset(s.value for s in ClaimSide)
_CATEGORY_WORDS = frozenset(c.value for c in ClaimCategory)


def _plain_count(value: Any) -> bool:
    return value is None or (type(value) is int and 0 <= value <= MAX_COUNT)


def _plain_ref(value: Any) -> bool:
    return value is None or (type(value) is str and len(value) == 36 and _is_uuid(value))


@lru_cache(maxsize=4096)
def _is_uuid(value: str) -> bool:
    """Cached: an import's claims name the same few parties and sources again and again."""
    return bool(field.UUID_PATTERN.fullmatch(value))


def _plainly_valid(claim: Any) -> bool:
    """The usual claim, quickly (imports check hundreds of thousands): nothing unusual in it."""
    if type(claim) is not dict:
        return False
    get = claim.get
    words, side, category = get("words"), get("side"), get("category")
    return (
        type(side) is str and side in _SIDE_WORDS
        and type(category) is str and category in _CATEGORY_WORDS
        and _plain_count(get("low")) and _plain_count(get("best")) and _plain_count(get("high"))
        and (words is None or (type(words) is str and len(words) <= MAX_LINE
                               and words.isascii() and "\x00" not in words))
        and _plain_ref(get("uuid")) and _plain_ref(get("party"))
        and _plain_ref(get("claimant")) and _plain_ref(get("source"))
        and get("claimed_at") is None
    )  # fmt: skip


def check_claim(claim: Any) -> tuple[str, str] | None:
    """The first broken rule of one casualty claim as (field, reason), or None when valid."""
    if _plainly_valid(claim):
        return _claim_across(claim)
    if not isinstance(claim, Mapping):
        return "", f"must be a casualty claim (not {shown(claim)})"
    for key, check in (("side", _CLAIM_SIDE), ("category", _CLAIM_CATEGORY)):
        value = claim.get(key)
        reason = "is missing" if value is None else check(value)
        if reason is not None:
            return key, reason
    for key, check in _CLAIM_FIELDS:
        value = claim.get(key)
        if value is not None and not (key == "claimed_at" and value == ""):
            reason = check(value)
            if reason is not None:
                return key, reason
    return _claim_across(claim)


def _claim_across(claim: Mapping[str, Any]) -> tuple[str, str] | None:
    """The rules joining a claim's fields: side and party, the order of figures, something said."""
    if (claim.get("side") == ClaimSide.PARTY.value) != (claim.get("party") is not None):
        if claim.get("party") is None:
            return "party", "is missing; a claim about a party names it"
        return "party", "must be left out: the claim is not about one party"
    low, best, high = (claim.get(k) for k in ("low", "best", "high"))
    if low is not None and best is not None and low > best:
        return "low", "is above the best figure"
    if high is not None and best is not None and high < best:
        return "high", "is below the best figure"
    if low is not None and high is not None and high < low:
        return "high", "is below the low figure"
    if low is None and best is None and high is None and not (claim.get("words") or "").strip():
        return "words", "is missing; give a figure, or the words the claimant used"
    return None
