"""Casualty claims read back from our STIX extension on an event.

Each claim names its parties and source by STIX identifier; one that names a
party neither in the bundle nor in the project cannot say whom it is about and
is left out, while an unknown claimant or source is only cut. Sources travel as
external references, so a claim names its source by UUID. What the values
may be is for :mod:`briefing.model.rules`, which the codec asks when storing.
"""

from __future__ import annotations

from typing import Any, Protocol

from briefing.io.stix import ids
from briefing.io.stix.reading import StixObject
from briefing.model.vocab import ClaimSide


class Resolver(Protocol):
    def ref(self, kind: str, stix_id: object) -> str | None: ...
    def known_source(self, value: object) -> str | None: ...


def claims_of(resolver: Resolver, o: StixObject) -> list[dict[str, Any]]:
    """The claims our extension on ``o`` carries, in the codec's form."""
    raw = o.ours.get("claims")
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(c, dict) for c in raw):
        raise o.refuse("claims", "must be a list of casualty claims")
    found = []
    for claim in raw:
        party = resolver.ref("party", claim.get("party_ref"))
        if claim.get("side") == ClaimSide.PARTY.value and party is None:
            continue
        claimed_at = claim.get("claimed_at")
        found.append(
            {
                "uuid": claim.get("claim_id"),
                "side": claim.get("side"),
                "party": party if claim.get("side") == ClaimSide.PARTY.value else None,
                "category": claim.get("category"),
                "low": claim.get("low"),
                "best": claim.get("best"),
                "high": claim.get("high"),
                "words": o.checked_text("claims", claim.get("words") or ""),
                "claimant": resolver.ref("party", claim.get("claimant_ref")),
                "source": resolver.known_source(claim.get("source")),
                "claimed_at": None if claimed_at is None else ids.document_time(claimed_at),
            }
        )
        if found[-1]["uuid"] is None:
            del found[-1]["uuid"]
        if claimed_at is not None and found[-1]["claimed_at"] is None:
            raise o.refuse("claims", "holds a claim whose time is not a time in UTC (ISO 8601)")
    return found
