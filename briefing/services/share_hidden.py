"""What a share copy could not show, kept when the copy is merged back.

A share copy leaves out records stricter than its label (so its records lose the
links to them) and may blank the notes. When a colleague edits such a record and
the copy is merged back, their version must not remove what they never saw:
before the two versions are compared, the links to our hidden records and our
notes are put back into theirs.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, text

from briefing.model import codec
from briefing.model.codec import KINDS, TABLE_NAMES
from briefing.model.marking import ReleaseFilter
from briefing.model.rules import CLAIM_REFERENCES
from briefing.model.vocab import Tlp

SHARED_LABEL = "share:max_tlp"
"""Setting in a share copy: the strictest label it may hold."""
SHARED_WITHOUT_NOTES = "share:notes_stripped"
SHARED_FROM = "share:from"


def share_settings(connection: Connection) -> tuple[Tlp | None, bool]:
    """The label a file was shared under (None if it is not a share copy), and if notes went."""
    rows: dict[str, str] = dict(
        connection.execute(
            text("SELECT key, value FROM project_setting WHERE key IN (:a, :b)"),
            {"a": SHARED_LABEL, "b": SHARED_WITHOUT_NOTES},
        ).all()
    )
    label = rows.get(SHARED_LABEL)
    tlp = Tlp(label) if label in {t.value for t in Tlp} else None
    return tlp, rows.get(SHARED_WITHOUT_NOTES) == "yes"


def hidden_records(connection: Connection, label: Tlp) -> dict[str, set[str]]:
    """Our records a copy shared under ``label`` left out, by kind (the marking rule's)."""
    release = ReleaseFilter(connection, label)
    hidden: dict[str, set[str]] = {}
    for kind in KINDS:
        rows = connection.execute(text(f"SELECT uuid FROM {TABLE_NAMES[kind]}"))
        hidden[kind] = {row[0] for row in rows} - release.allowed(kind)
    return hidden


def restore_hidden(
    kind: str,
    ours: dict[str, Any],
    theirs: dict[str, Any],
    hidden: dict[str, set[str]],
    keep_notes: bool,
) -> None:
    """Put back into ``theirs`` our notes and our links to records the copy left out."""
    if keep_notes and not theirs.get("notes"):
        theirs["notes"] = ours.get("notes", "")
    for f in codec.fields(kind):
        value = ours.get(f.key)
        if f.ref_kind is not None and theirs.get(f.key) is None and value in hidden[f.ref_kind]:
            theirs[f.key] = value
    if "parties" in theirs:
        extra = [p for p in ours.get("parties") or [] if p["party"] in hidden["party"]]
        merged = {(p["role"], p["party"]): p for p in [*theirs["parties"], *extra]}
        theirs["parties"] = [merged[key] for key in sorted(merged)]
    for key, ref_kind in (("sources", "source"), ("contradicts", "statement")):
        if key in theirs:
            extra_refs = {u for u in ours.get(key) or [] if u in hidden[ref_kind]}
            theirs[key] = sorted(set(theirs[key]) | extra_refs)
    if "sections" in theirs:
        _restore_items(ours, theirs, hidden)
    if "claims" in theirs:
        _restore_claims(ours, theirs, hidden)


def _restore_claims(
    ours: dict[str, Any], theirs: dict[str, Any], hidden: dict[str, set[str]]
) -> None:
    """Claims about hidden parties go back at their place; cut claimants and sources too."""
    mine = {c["uuid"]: c for c in ours.get("claims") or []}
    for claim in theirs["claims"]:
        our_claim = mine.get(claim.get("uuid"))
        for key, ref_kind in CLAIM_REFERENCES.items():
            value = (our_claim or {}).get(key)
            if claim.get(key) is None and value in hidden[ref_kind]:
                claim[key] = value
                if key == "party":
                    claim["side"] = our_claim["side"]  # type: ignore[index]
    present = {c.get("uuid") for c in theirs["claims"]}
    for index, claim in enumerate(ours.get("claims") or []):
        if claim.get("party") in hidden["party"] and claim["uuid"] not in present:
            theirs["claims"].insert(min(index, len(theirs["claims"])), dict(claim))


def _restore_items(
    ours: dict[str, Any], theirs: dict[str, Any], hidden: dict[str, set[str]]
) -> None:
    """Hidden items go back into the same section, at the place they had."""
    our_sections = {s["uuid"]: s for s in ours.get("sections") or []}
    for section in theirs["sections"]:
        mine = our_sections.get(section.get("uuid"))
        if mine is None:
            continue
        present = {i.get("uuid") for i in section["items"]}
        for index, item in enumerate(mine["items"]):
            if item.get("ref") in hidden.get(item["kind"], ()) and item["uuid"] not in present:
                section["items"].insert(min(index, len(section["items"])), dict(item))
