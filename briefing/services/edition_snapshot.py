"""The frozen content of a briefing edition, as plain JSON-ready data.

An edition must read the same years later, whatever happens to the library, so
each item carries the content of the record it referenced, with references to
other records replaced by their names (a party's name, a source's title). The
analyst's private notes and the bookkeeping stamps are left out: an edition is
what readers saw.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection

from briefing.errors import BriefingError
from briefing.model import codec

SNAPSHOT_FORMAT = 1

LEFT_OUT = frozenset({"_id", "uuid", "created_at", "updated_at", "updated_by", "notes"})
BRIEFING_FIELDS = ("title", "subtitle", "as_of", "zone", "authors", "tlp", "status", "bluf", "tags")

_LABEL_SQL = {
    "party": "SELECT uuid, name FROM party",
    "source": "SELECT uuid, title FROM source",
    "entry": "SELECT uuid, title FROM timeline_entry",
    "statement": "SELECT uuid, quote FROM statement",
    "relationship": "SELECT uuid, title FROM relationship",
}


def short(value: str, limit: int = 80) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _labels(connection: Connection, kind: str, uuids: set[str]) -> dict[str, str]:
    rows = codec.rows_where_in(connection, _LABEL_SQL[kind], "uuid", uuids)
    return {uuid: short(label) for uuid, label in rows}


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
    return wanted


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
    labels = {kind: _labels(connection, kind, refs.get(kind, set())) for kind in _LABEL_SQL}
    sections = []
    for section in briefing["sections"]:
        items = []
        for item in section["items"]:
            record = contents[item["kind"]].get(item["ref"], {})
            resolved = _resolved(item["kind"], record, labels)
            items.append({"kind": item["kind"], "ref": item["ref"], "record": resolved})
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
