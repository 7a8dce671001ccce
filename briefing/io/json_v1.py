"""Reading interchange version 1: an entry's single figures become casualty claims.

Version 1 held one killed, wounded and captured figure per entry, with the party
that reported them and a note. They become claims about all sides, claimed by
that party, exactly as opening a file of format 1 converts them; each claim's
UUID derives from the entry's, so importing the same document again updates the
same claims rather than adding new ones.
"""

from __future__ import annotations

import uuid as uuid_module
from typing import Any

from briefing.model.vocab import ClaimSide

OLD_FIGURES = ("killed", "wounded", "captured")
_NAMESPACE = uuid_module.UUID("0b7e2c1e-6a57-4d2b-9d0c-3f1f6c0a2a11")


def upgrade_entries(entries: Any) -> None:
    """Turn version-1 entries (dicts) into version-2 ones, in place; anything else is left."""
    if not isinstance(entries, list):
        return
    for entry in entries:
        if isinstance(entry, dict):
            _upgrade(entry)


def _upgrade(entry: dict[str, Any]) -> None:
    figures = {k: entry.pop(k) for k in OLD_FIGURES if k in entry}
    claimant = entry.pop("casualties_reported_by", None)
    note = entry.pop("casualty_note", "")
    if "claims" in entry:
        return
    claims = []
    for category in OLD_FIGURES:
        value = figures.get(category)
        if value is None:
            continue
        claims.append(
            {
                "uuid": _claim_uuid(entry, category),
                "side": ClaimSide.ALL_SIDES.value,
                "party": None,
                "category": category,
                "low": None,
                "best": value,
                "high": None,
                "words": "" if claims else note,
                "claimant": claimant,
                "source": None,
                "claimed_at": None,
            }
        )
    if note and not claims and isinstance(note, str):
        description = entry.get("description") or ""
        if isinstance(description, str):
            entry["description"] = f"{description}\n\nCasualties: {note}" if description else note
    if claims or figures or claimant is not None:
        entry["claims"] = claims


def _claim_uuid(entry: dict[str, Any], category: str) -> str:
    return str(uuid_module.uuid5(_NAMESPACE, f"{entry.get('uuid')}/{category}"))
