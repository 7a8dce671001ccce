"""Add, edit and delete an entry's casualty claims: one call, one transaction, one undo step.

A claim is part of its timeline entry (see :mod:`briefing.model.claims`), so each
function edits the entry: the entry gets a new stamp, and the returned
:class:`~briefing.services.records.Change` holds the entry before and after, which
the window's undo puts back with :func:`~briefing.services.records.restore`. With
``loaded`` (the entry's stamp as the editor saw it) an edit is refused, naming who
and when, if someone else changed the entry since (:mod:`briefing.services.stamps`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from briefing.errors import RecordError
from briefing.model import codec
from briefing.model.base import new_uuid
from briefing.model.vocab import ClaimCategory
from briefing.services import stamps
from briefing.services.records import Change
from briefing.services.stamps import Stamp
from briefing.store.interface import ProjectStore

Claims = list[dict[str, Any]]

CLAIM_DEFAULTS: dict[str, Any] = {
    "side": "unknown",
    "party": None,
    "category": ClaimCategory.KILLED.value,
    "low": None,
    "best": None,
    "high": None,
    "words": "",
    "claimant": None,
    "source": None,
    "claimed_at": None,
}
"""A new claim's fields where the caller gives none (references by UUID, as in the codec)."""


def add_claim(
    project: ProjectStore, entry_id: int, values: dict[str, Any], *, loaded: Stamp | None = None
) -> Change:
    """Add a claim at the end of the entry's claims; ``values`` as in the codec's claim form."""
    claim = {**CLAIM_DEFAULTS, **values}
    claim.setdefault("uuid", None)
    claim["uuid"] = claim["uuid"] or new_uuid()
    return _edit(
        project, entry_id, lambda claims: [*claims, claim], "Add casualty claim to", loaded
    )


def update_claim(
    project: ProjectStore,
    entry_id: int,
    claim_uuid: str,
    values: dict[str, Any],
    *,
    loaded: Stamp | None = None,
) -> Change:
    """Change some fields of one claim; the others stay."""

    def change(claims: Claims) -> Claims:
        _find(claims, claim_uuid)
        return [
            {**c, **values, "uuid": c["uuid"]} if c["uuid"] == claim_uuid else c for c in claims
        ]

    return _edit(project, entry_id, change, "Edit casualty claim of", loaded)


def delete_claim(
    project: ProjectStore, entry_id: int, claim_uuid: str, *, loaded: Stamp | None = None
) -> Change:
    """Remove one claim from its entry."""

    def change(claims: Claims) -> Claims:
        _find(claims, claim_uuid)
        return [c for c in claims if c["uuid"] != claim_uuid]

    return _edit(project, entry_id, change, "Delete casualty claim of", loaded)


def move_claim(
    project: ProjectStore,
    entry_id: int,
    claim_uuid: str,
    position: int,
    *,
    loaded: Stamp | None = None,
) -> Change:
    """Put one claim at ``position`` in its entry's list (the order tables show)."""

    def change(claims: Claims) -> Claims:
        claim = _find(claims, claim_uuid)
        rest = [c for c in claims if c["uuid"] != claim_uuid]
        rest.insert(max(0, min(position, len(rest))), claim)
        return rest

    return _edit(project, entry_id, change, "Move casualty claim of", loaded)


def set_claims(
    project: ProjectStore, entry_id: int, claims: Claims, *, loaded: Stamp | None = None
) -> Change:
    """The entry's claims become ``claims`` (a table edited in place), named by what changed.

    One claim added, removed, edited or moved is named as :func:`add_claim`,
    :func:`delete_claim`, :func:`update_claim` or :func:`move_claim` name it, so the
    undo step says what the analyst did.
    """
    wanted = [dict(c) for c in claims]
    return _edit(project, entry_id, lambda old: wanted, lambda old: _verb(old, wanted), loaded)


def _verb(old: Claims, new: Claims) -> str:
    old_ids = [c.get("uuid") for c in old]
    new_ids = [c.get("uuid") for c in new]
    if len(new) == len(old) + 1 and all(u in new_ids for u in old_ids):
        return "Add casualty claim to"
    if len(new) == len(old) - 1 and all(u in old_ids for u in new_ids):
        return "Delete casualty claim of"
    if old_ids == new_ids:
        edited = sum(1 for a, b in zip(old, new, strict=True) if a != b)
        return "Edit casualty claim of" if edited <= 1 else "Edit casualty claims of"
    if sorted(map(str, old_ids)) == sorted(map(str, new_ids)):
        return "Move casualty claim of"
    return "Edit casualty claims of"


def _find(claims: Claims, claim_uuid: str) -> dict[str, Any]:
    for claim in claims:
        if claim["uuid"] == claim_uuid:
            return claim
    raise RecordError("That casualty claim no longer exists.")


def _edit(
    project: ProjectStore,
    entry_id: int,
    change: Callable[[Claims], Claims],
    verb: str | Callable[[Claims], str],
    loaded: Stamp | None = None,
) -> Change:
    """Edit the entry's claims; with ``loaded``, only the entry as the editor saw it."""
    with project.transaction() as session:
        connection = session.connection()
        before = stamps.read_checked(connection, "entry", entry_id, loaded)
        old = [dict(c) for c in before[0]["claims"]]
        record = {**before[0], "claims": change(old)}
        verb = verb if isinstance(verb, str) else verb(before[0]["claims"])
        codec.load(connection, {"entry": [record]}, analyst=project.analyst)
        after = codec.dump(connection, "entry", [entry_id], with_ids=True)
    title = after[0]["title"]
    title = title if len(title) <= 40 else title[:39] + "…"
    return Change(
        f"{verb} ‘{title}’",
        ids={"entry": (entry_id,)},
        before={"entry": before},
        after={"entry": after},
    )
