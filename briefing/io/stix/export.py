"""Write records as a STIX 2.1 bundle: the whole project, or one briefing and what it uses.

Records stricter than the ceiling (``--max-tlp``) are left out before any object
is made, and an object only ever refers to records that were kept, so nothing
stricter can leak through a reference. The same records always give the same
bytes: identifiers come from UUIDs, objects are sorted, and the bundle's own
identifier is computed from its objects' identifiers and versions.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from briefing import files
from briefing.io.stix import ids
from briefing.io.stix.markings import KNOWN_IDS, marking_definition
from briefing.io.stix.objects import Builder, producer_objects
from briefing.model import codec
from briefing.model.marking import ReleaseFilter
from briefing.model.rules import CLAIM_REFERENCES, MAP_ITEM
from briefing.model.vocab import Tlp
from briefing.store.project import Project

Records = dict[str, list[dict[str, Any]]]

_TYPE_ORDER = {
    t: n
    for n, t in enumerate(
        ["marking-definition", "extension-definition", "identity", "location", "event", "note"]
        + ["relationship", "report"]
    )
}


@dataclass(frozen=True)
class StixSummary:
    """What an export wrote: objects per STIX type, and records left out by the ceiling."""

    path: Path
    objects: dict[str, int]
    left_out: int = 0
    briefings: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.objects.values())


def allowed_records(
    connection: Connection, records: Records, ceiling: Tlp | None
) -> tuple[Records, int]:
    """The records a bundle marked at ``ceiling`` may hold, and how many were left out.

    The marking rule decides (:class:`briefing.model.marking.ReleaseFilter`): a
    record stricter than the ceiling is out, and so is every link to it.
    """
    if ceiling is None:
        return records, 0
    release = ReleaseFilter(connection, ceiling)
    kept = {kind: release.trim_all(kind, batch) for kind, batch in records.items()}
    return kept, sum(len(records[k]) - len(kept[k]) for k in records)


def briefing_selection(records: Records, briefing_uuid: str) -> Records:
    """One briefing and every record it shows or that those records refer to."""
    by_uuid = {kind: {r["uuid"]: r for r in batch} for kind, batch in records.items()}
    wanted: dict[str, set[str]] = defaultdict(set)
    pending: list[tuple[str, str]] = [("briefing", briefing_uuid)]
    while pending:
        kind, uuid = pending.pop()
        record = by_uuid.get(kind, {}).get(uuid)
        if record is None or uuid in wanted[kind]:
            continue
        wanted[kind].add(uuid)
        pending.extend(_references(kind, record))
    return {
        kind: [r for r in batch if r["uuid"] in wanted[kind]] for kind, batch in records.items()
    }


def _references(kind: str, record: dict[str, Any]) -> list[tuple[str, str]]:
    found: list[tuple[str, str | None]] = []
    if kind == "briefing":
        for section in record.get("sections") or []:
            found += [(i["kind"], i.get("ref")) for i in section.get("items") or []]
    elif kind == "party":
        found.append(("party", record.get("parent")))
    elif kind == "entry":
        found += [("party", p["party"]) for p in record.get("parties") or []]
        found += [("source", s) for s in record.get("sources") or []]
        for claim in record.get("claims") or []:
            found += [(kind, claim.get(key)) for key, kind in CLAIM_REFERENCES.items()]
    elif kind == "statement":
        found += [("party", record.get("speaker")), ("entry", record.get("entry"))]
        found.append(("source", record.get("source")))
    elif kind == "relationship":
        found += [("party", record.get("party_a")), ("party", record.get("party_b"))]
        found += [("source", s) for s in record.get("sources") or []]
    return [(k, u) for k, u in found if u]


def build_bundle(records: Records) -> dict[str, Any]:
    """A bundle of every record given (already selected and filtered)."""
    builder = Builder(records)
    reports_of: dict[str, list[str]] = defaultdict(list)
    for briefing in records.get("briefing") or []:
        for section in briefing.get("sections") or []:
            for item in section.get("items") or []:
                if item["kind"] == "statement":
                    reports_of[item["ref"]].append(ids.primary_id("briefing", briefing["uuid"]))
    made: dict[str, list[str]] = defaultdict(list)

    def track(uuid: str, action: Any, *args: Any) -> None:
        before = len(builder.objects)
        action(*args)
        made[uuid] += [o["id"] for o in builder.objects[before:]]

    for party in records.get("party") or []:
        track(party["uuid"], builder.party, party)
    for entry in records.get("entry") or []:
        track(entry["uuid"], builder.entry, entry)
    for statement in records.get("statement") or []:
        reports = sorted(set(reports_of[statement["uuid"]]))
        track(statement["uuid"], builder.statement, statement, reports)
    for tie in records.get("relationship") or []:
        track(tie["uuid"], builder.relationship, tie)
    for briefing in records.get("briefing") or []:
        contents, sources = _contents(builder, briefing, made)
        builder.briefing(briefing, contents, sources)
    return _bundle(builder.objects)


def _contents(
    builder: Builder, briefing: dict[str, Any], made: dict[str, list[str]]
) -> tuple[list[str], list[str]]:
    """A report's object references in reading order, and the sources it cites."""
    contents: list[str] = []
    sources: list[str] = []
    for section in briefing.get("sections") or []:
        for item in section.get("items") or []:
            kind, uuid = item["kind"], item.get("ref")
            if kind == MAP_ITEM or not builder.has(kind, uuid):
                continue
            if kind == "source":
                sources.append(uuid)
                continue
            contents += made.get(uuid, [])
            record = builder.by_uuid[kind][uuid]
            sources += record.get("sources") or []
            if record.get("source"):
                sources.append(record["source"])
    return contents, sources


def _bundle(objects: list[dict[str, Any]]) -> dict[str, Any]:
    rest = producer_objects() + sorted(
        objects, key=lambda o: (_TYPE_ORDER.get(o["type"], 99), o["id"])
    )
    used: set[str] = set()
    for stix_object in rest:
        used.update(stix_object.get("object_marking_refs") or [])
        used.update(g["marking_ref"] for g in stix_object.get("granular_markings") or [])
    labels = sorted({KNOWN_IDS[m] for m in used}, key=lambda t: t.rank)
    everything = [marking_definition(label) for label in labels] + rest
    versions = "\n".join(f"{o['id']} {o.get('modified', '')}" for o in everything)
    return {"type": "bundle", "id": ids.derived_id("bundle", versions), "objects": everything}


def bundle_text(bundle: dict[str, Any]) -> str:
    return json.dumps(bundle, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def export_stix(
    project: Project, path: Path, briefing_id: int | None = None, ceiling: Tlp | None = None
) -> StixSummary:
    """Write a bundle of the project (or of one briefing), leaving out what ``ceiling`` forbids."""
    path = Path(path)
    with project.engine.connect() as connection:
        records = codec.dump_all(connection)
        if briefing_id is not None:
            uuid = codec.uuids_for_ids(connection, codec.table("briefing"), [briefing_id])
            records = briefing_selection(records, uuid[briefing_id])
        kept, left_out = allowed_records(connection, records, ceiling)
    bundle = build_bundle(kept)
    files.write_text(path, bundle_text(bundle))
    counts = Counter(o["type"] for o in bundle["objects"])
    titles = [b["title"] for b in kept.get("briefing") or []]
    return StixSummary(path, dict(counts), left_out, titles)
