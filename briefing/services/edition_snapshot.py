"""The frozen content of a briefing edition, as plain JSON-ready data.

An edition must read the same years later, whatever happens to the library, so
each item carries the content of the record it referenced, with references to
other records replaced by their names (a party's name, a source's title). The
analyst's private notes and the bookkeeping stamps are left out: an edition is
what readers saw. Each item also lists the records its content names, with their
labels at freeze time (``refs``: kind, UUID, label), so that the marking rule
(:mod:`briefing.model.marking`) can tell later whether the frozen text may go
into a copy or a document marked at some label.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection

from briefing.errors import BriefingError
from briefing.model import codec
from briefing.model.marking import NAME_SQL, shorten
from briefing.model.rules import CLAIM_REFERENCES, MAP_ITEM

SNAPSHOT_FORMAT = 1

LEFT_OUT = frozenset({"_id", "uuid", "created_at", "updated_at", "updated_by", "notes"})
BRIEFING_FIELDS = ("title", "subtitle", "as_of", "zone", "authors", "tlp", "status", "bluf", "tags")

short = shorten


def _labels(
    connection: Connection, kind: str, uuids: set[str], marks: dict[tuple[str, str], str]
) -> dict[str, str]:
    """Names of the records of ``kind``; their TLP labels go into ``marks``."""
    rows = codec.rows_where_in(connection, NAME_SQL[kind], "uuid", uuids)
    marks.update(((kind, uuid), tlp) for uuid, _, tlp in rows)
    return {uuid: short(label) for uuid, label, _ in rows}


def _refs(kind: str, record: dict[str, Any], marks: dict[tuple[str, str], str]) -> list:
    """[kind, uuid, label] of each record the item's frozen content names."""
    return sorted(
        [ref_kind, uuid, marks[(ref_kind, uuid)]]
        for ref_kind, uuids in _references(kind, record).items()
        for uuid in uuids
        if (ref_kind, uuid) in marks
    )


def _references(kind: str, record: dict[str, Any]) -> dict[str, set[str]]:
    wanted: dict[str, set[str]] = defaultdict(set)
    for f in codec.fields(kind):
        if f.ref_kind is not None and record.get(f.key):
            wanted[f.ref_kind].add(record[f.key])
    for party in record.get("parties") or []:
        wanted["party"].add(party["party"])
    for source in record.get("sources") or []:
        wanted["source"].add(source)
    for other in record.get("contradicts") or []:
        wanted["statement"].add(other)
    for claim in record.get("claims") or []:
        for key, ref_kind in CLAIM_REFERENCES.items():
            if claim.get(key):
                wanted[ref_kind].add(claim[key])
    return wanted


def _claim(claim: dict[str, Any], labels: dict[str, dict[str, str]]) -> dict[str, Any]:
    """A claim as readers of the edition saw it: figures, and parties and source by name."""

    def name(kind: str, uuid: str | None) -> str:
        return labels[kind].get(uuid, "?") if uuid else ""

    return {
        "uuid": claim["uuid"],
        "side": name("party", claim["party"]) if claim.get("party") else claim["side"],
        **{k: claim.get(k) for k in ("category", "low", "best", "high", "words")},
        "claimant": name("party", claim.get("claimant")),
        "source": name("source", claim.get("source")),
    }


def _resolved(kind: str, record: dict[str, Any], labels: dict[str, dict[str, str]]) -> dict:
    """A record's content with references written as names, for readers of the edition."""
    result: dict[str, Any] = {}
    refs = {f.key: f.ref_kind for f in codec.fields(kind) if f.ref_kind is not None}
    for key, value in record.items():
        if key in LEFT_OUT:
            continue
        if key in refs:
            value = labels[refs[key]].get(value, "") if value else None
        elif key == "parties":
            value = [f"{labels['party'].get(p['party'], '?')} ({p['role']})" for p in value]
        elif key == "sources":
            value = sorted(labels["source"].get(s, "?") for s in value)
        elif key == "contradicts":
            value = sorted(labels["statement"].get(s, "?") for s in value)
        elif key == "claims":
            value = [_claim(c, labels) for c in value]
        result[key] = value
    return result


def snapshot_briefing(connection: Connection, briefing_id: int) -> dict[str, Any]:
    """The briefing with its judgments, sections and every item's resolved content."""
    found = codec.dump(connection, "briefing", [briefing_id])
    if not found:
        raise BriefingError("That briefing no longer exists.")
    briefing = found[0]
    wanted: dict[str, set[str]] = defaultdict(set)
    for section in briefing["sections"]:
        for item in section["items"]:
            if item["kind"] != MAP_ITEM:
                wanted[item["kind"]].add(item["ref"])
    contents: dict[str, dict[str, dict[str, Any]]] = {}
    for kind, uuids in wanted.items():
        ids = codec.ids_for_uuids(connection, codec.table(kind), uuids)
        contents[kind] = {r["uuid"]: r for r in codec.dump(connection, kind, list(ids.values()))}
    refs: dict[str, set[str]] = defaultdict(set)
    for kind, records in contents.items():
        for record in records.values():
            for ref_kind, uuids in _references(kind, record).items():
                refs[ref_kind] |= uuids
    marks: dict[tuple[str, str], str] = {}
    labels = {kind: _labels(connection, kind, refs.get(kind, set()), marks) for kind in NAME_SQL}
    sections = []
    for section in briefing["sections"]:
        items = []
        for item in section["items"]:
            if item["kind"] == MAP_ITEM:
                items.append({"kind": MAP_ITEM, "ref": item["uuid"], "record": {}, "refs": []})
                continue
            record = contents[item["kind"]].get(item["ref"], {})
            resolved = _resolved(item["kind"], record, labels)
            items.append(
                {
                    "kind": item["kind"],
                    "ref": item["ref"],
                    "record": resolved,
                    "refs": _refs(item["kind"], record, marks),
                }
            )
        sections.append(
            {
                "uuid": section["uuid"],
                "heading": section["heading"],
                "body": section["body"],
                "items": items,
            }
        )
    return {
        "format": SNAPSHOT_FORMAT,
        "briefing": {"uuid": briefing["uuid"], **{k: briefing[k] for k in BRIEFING_FIELDS}},
        "judgments": briefing["judgments"],
        "sections": sections,
    }
