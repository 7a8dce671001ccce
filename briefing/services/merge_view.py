"""A merge's conflicts in words: each differing field, ours beside theirs, records by name.

Records in a plan refer to each other by UUID; an analyst choosing between two
versions needs the names (a party, a source, the entry a statement is about),
times written as times, and a briefing's sections as headings with their items.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from briefing.model import codec
from briefing.model.claim_figures import claim_line
from briefing.model.rules import CLAIM_REFERENCES, MAP_ITEM
from briefing.services.editions import LABELS
from briefing.services.merge_plan import Conflict, MergePlan, title_of
from briefing.store.interface import ProjectStore

EMPTY = "—"
UNKNOWN = "(a record neither file holds)"
_TIME = re.compile(r"^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)(:\d\d(\.\d+)?)?Z$")
_NAME_SQL = {
    "party": "SELECT uuid, name FROM party",
    "source": "SELECT uuid, title FROM source",
    "entry": "SELECT uuid, title FROM timeline_entry",
    "statement": "SELECT uuid, quote FROM statement",
    "relationship": "SELECT uuid, title FROM relationship",
    "briefing": "SELECT uuid, title FROM briefing",
}


@dataclass(frozen=True)
class FieldPair:
    """One field that differs: a label a reader understands, our text and theirs."""

    field: str
    label: str
    ours: str
    theirs: str


def field_label(key: str) -> str:
    return LABELS.get(key, key.replace("_", " "))


def references(kind: str, record: Mapping[str, Any]) -> dict[str, set[str]]:
    """The UUIDs a record refers to, by kind."""
    found: dict[str, set[str]] = defaultdict(set)
    for f in codec.fields(kind):
        if f.ref_kind is not None and record.get(f.key):
            found[f.ref_kind].add(record[f.key])
    for party in record.get("parties") or []:
        found["party"].add(party["party"])
    for source in record.get("sources") or []:
        found["source"].add(source)
    for other in record.get("contradicts") or []:
        found["statement"].add(other)
    for claim in record.get("claims") or []:
        for key, ref_kind in CLAIM_REFERENCES.items():
            if claim.get(key):
                found[ref_kind].add(claim[key])
    for section in record.get("sections") or []:
        for item in section.get("items") or []:
            if item["kind"] != MAP_ITEM:
                found[item["kind"]].add(item["ref"])
    return found


def record_names(project: ProjectStore, plan: MergePlan) -> dict[str, str]:
    """Names of every record the plan's conflicts refer to: ours from the file, theirs from it."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for conflict in plan.conflicts:
        for record in (conflict.ours, conflict.theirs):
            for kind, uuids in references(conflict.kind, record).items():
                wanted[kind] |= uuids
    names = {r["uuid"]: title_of(r) for rows in plan.add.values() for r in rows}
    with project.engine.connect() as connection:
        for kind, uuids in wanted.items():
            missing = sorted(uuids - names.keys())
            for start in range(0, len(missing), 500):
                chunk = missing[start : start + 500]
                marks = ",".join(f":u{i}" for i in range(len(chunk)))
                rows = connection.execute(
                    text(f"{_NAME_SQL[kind]} WHERE uuid IN ({marks})"),
                    {f"u{i}": u for i, u in enumerate(chunk)},
                )
                names.update((uuid, title_of({"title": name})) for uuid, name in rows)
    return names


def value_text(kind: str, key: str, value: Any, names: Mapping[str, str]) -> str:
    """A field's value as a reader would write it; references by name."""
    if value is None or value == "" or value == []:
        return EMPTY
    if key in _reference_keys(kind):
        return names.get(value, UNKNOWN)
    if key == "parties":
        return "; ".join(f"{names.get(p['party'], UNKNOWN)} ({p['role']})" for p in value)
    if key in ("sources", "contradicts"):
        return "; ".join(sorted(names.get(u, UNKNOWN) for u in value))
    if key == "sections":
        return "; ".join(_section_text(s, names) for s in value)
    if key == "claims":
        return "; ".join(claim_line(c, lambda u: names.get(u, UNKNOWN)) for c in value)
    if key == "judgments":
        return "; ".join(f"{j.get('text', '')} ({j.get('likelihood', '')})" for j in value)
    return time_text(value) if isinstance(value, str) else str(value)


def time_text(value: str) -> str:
    """A stored UTC time (``2021-11-16T07:00:00Z``) as ``2021-11-16 07:00 UTC``; else as is."""
    match = _TIME.match(value)
    return f"{match.group(1)} {match.group(2)} UTC" if match else value


def _section_text(section: Mapping[str, Any], names: Mapping[str, str]) -> str:
    items = [
        "map" if i["kind"] == MAP_ITEM else names.get(i["ref"], UNKNOWN)
        for i in section.get("items") or []
    ]
    heading = section.get("heading") or "untitled section"
    return f"{heading}: {', '.join(items)}" if items else f"{heading}: no items"


def _reference_keys(kind: str) -> set[str]:
    return {f.key for f in codec.fields(kind) if f.ref_kind is not None}


def field_pairs(conflict: Conflict, names: Mapping[str, str]) -> tuple[FieldPair, ...]:
    """Each field the two versions differ in, ours beside theirs."""
    return tuple(
        FieldPair(
            key,
            field_label(key),
            value_text(conflict.kind, key, conflict.ours.get(key), names),
            value_text(conflict.kind, key, conflict.theirs.get(key), names),
        )
        for key in conflict.fields
    )
