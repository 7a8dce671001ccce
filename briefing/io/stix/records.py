"""STIX objects → records in the codec's dict form, and the objects that map to nothing.

Objects we wrote come back whole (our record extension carries what STIX has no
property for). Objects from a platform map as far as they go: an identity is a
party, an event a timeline entry, a note a statement, a relationship between two
identities an alliance tie (when its type is one of our kinds), a report a
briefing whose one section lists what the report refers to, and an external
reference with a URL a source. Anything else is listed as skipped.
"""

from __future__ import annotations

import re
import uuid as uuid_module
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from briefing.io.stix import ids, scales
from briefing.io.stix.claims import claims_of
from briefing.io.stix.markings import label_of_definition, strictest
from briefing.io.stix.objects import PRODUCER, RECORD_EXTENSION, ROLE_TYPES
from briefing.io.stix.reading import StixObject
from briefing.model.vocab import (
    BriefingStatus,
    Confidence,
    Likelihood,
    PartyKind,
    Precision,
    RelationshipKind,
    RelationshipStatus,
    Reliability,
    SourceKind,
    StatementKind,
    Tlp,
    Verification,
)

Records = dict[str, list[dict[str, Any]]]

_CLASS_KINDS = {"individual": "official", "group": "armed group"}
_ROLES = {stix_type: role for role, stix_type in ROLE_TYPES.items()}
_EVENT_VERIFICATION = {
    "occurred": "reported",
    "ongoing": "reported",
    "not-occurred": "refuted",
    "pending": "unconfirmed",
    "undetermined": "unconfirmed",
}
_FIDELITY = {"second": "minute", "year": "month"}
_TIE_KINDS = {k.value.replace(" ", "-"): k.value for k in RelationshipKind}
_RELIABILITY = re.compile(r"reliability\W+([A-F])\b", re.IGNORECASE)


class Mapper:
    """Maps the objects of one bundle; ``exists(kind, uuid)`` asks the project for the rest."""

    def __init__(self, objects: dict[str, StixObject], exists: Callable[[str, str], bool]) -> None:
        self.objects = objects
        self.exists = exists
        self.records: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        self.skipped: list[tuple[str, str]] = []
        self.kind_of: dict[str, tuple[str, str]] = {}
        """STIX id → (record kind, record uuid) of every object that maps to a record."""
        self.relations: dict[str, list[StixObject]] = defaultdict(list)
        self.judgments: dict[str, list[StixObject]] = defaultdict(list)
        self.places: dict[str, StixObject] = {}
        self._labels = {
            o.id: label_of_definition(o.data)
            for o in objects.values()
            if o.type == "marking-definition"
        }

    # ------------------------------------------------------------------ plan

    def run(self) -> Records:
        """Every record the bundle holds, in the codec's form."""
        used_locations = self._plan()
        for o in self.objects.values():
            if o.type == "identity" and o.id != PRODUCER:
                self._party(o)
            elif o.type == "location" and o.id not in used_locations:
                self._state(o)
        for o in self.objects.values():
            if o.type == "event":
                self._entry(o)
            elif o.type == "note" and not o.ours.get("judgment"):
                self._statement(o)
        for o in self.objects.values():
            if o.type == "event" and o.ours and _uuid(o) in self.records["entry"]:
                self.records["entry"][_uuid(o)]["claims"] = claims_of(self, o)  # sources known now
        for o in self.objects.values():
            if o.type == "relationship":
                self._relationship(o)
        for o in self.objects.values():
            if o.type == "report":
                self._briefing(o)
        self._skip_leftovers()
        return {kind: list(batch.values()) for kind, batch in self.records.items()}

    def _plan(self) -> set[str]:
        """Give each mappable object its kind and uuid first, so references resolve in any order."""
        used_locations = set()
        for o in self.objects.values():
            if o.type == "relationship":
                self.relations[str(o.get("source_ref"))].append(o)
                if o.get("relationship_type") == "located-at":
                    target = self.objects.get(str(o.get("target_ref")))
                    source = self.objects.get(str(o.get("source_ref")))
                    if target and source and target.type == "location" and source.type == "event":
                        used_locations.add(target.id)
                        self.places.setdefault(source.id, target)
            elif o.type == "note" and o.ours.get("judgment"):
                for ref in o.refs("object_refs")[:1]:
                    self.judgments[ref].append(o)
        kinds = {"identity": "party", "event": "entry", "note": "statement", "report": "briefing"}
        for o in self.objects.values():
            kind = kinds.get(o.type)
            if o.type == "location" and o.id not in used_locations and _is_state(o):
                kind = "party"
            if kind and o.id != PRODUCER and not (o.type == "note" and o.ours.get("judgment")):
                self.kind_of[o.id] = (kind, _uuid(o))
        return used_locations

    def known_source(self, value: object) -> str | None:
        """The UUID of a source (sources travel as external references), if it is known."""
        source = ids.uuid_of(f"s--{value}")
        if source is None:
            return None
        return source if source in self.records["source"] or self.exists("source", source) else None

    def ref(self, kind: str, stix_id: object) -> str | None:
        """The uuid of the record an identifier names: in this bundle, or already in the project."""
        if not isinstance(stix_id, str):
            return None
        mapped = self.kind_of.get(stix_id)
        if mapped is not None:
            return mapped[1] if mapped[0] == kind else None
        uuid = ids.uuid_of(stix_id)
        if uuid is None or ids.type_of(stix_id) != ids.PRIMARY_TYPES[kind]:
            return None
        return uuid if self.exists(kind, uuid) else None

    def label(self, o: StixObject) -> Tlp:
        """The strictest TLP label among an object's markings (CLEAR when it has none we know)."""
        found = []
        for marking in o.refs("object_marking_refs"):
            label = self._labels.get(marking) or label_of_definition({"id": marking})
            if label is not None:
                found.append(label)
        return strictest(found)

    def _common(self, o: StixObject) -> dict[str, Any]:
        record: dict[str, Any] = {"uuid": _uuid(o), "tlp": self.label(o).value, "tags": o.labels()}
        created, modified = o.time("created"), o.time("modified")
        if created:
            record["created_at"] = created
        if modified or created:
            record["updated_at"] = modified or created
        return record

    # ------------------------------------------------------------------ kinds

    def _party(self, o: StixObject) -> None:
        record = self._common(o)
        kind = o.choice("kind", PartyKind, None)
        if kind is None:
            identity_class = o.text("identity_class")
            kind = PartyKind(_CLASS_KINDS.get(identity_class, "organisation"))
        record.update(name=o.text("name") or "Unnamed party", description=o.text("description"))
        record["kind"] = kind.value
        if o.ours:
            record["short_name"] = o.text("short_name", ours=True)
            record["colour"] = o.text("colour", "#607080", ours=True)
        self.records["party"][record["uuid"]] = record

    def _state(self, o: StixObject) -> None:
        """A country (or region) without coordinates, as platforms write states: a party."""
        if not _is_state(o):
            self.skipped.append((o.type, o.id))
            return
        record = self._common(o)
        name = o.text("name") or o.text("country") or o.text("region") or "Unnamed state"
        record.update(name=name, description=o.text("description"), kind="state")
        self.records["party"][record["uuid"]] = record

    def _entry(self, o: StixObject) -> None:
        record = self._common(o)
        start = o.time("start_time") or o.time("created")
        if start is None:
            raise o.refuse("start_time", "is missing (a timeline entry needs a start)")
        fidelity = o.text("start_time_fidelity") or "minute"
        precision = Precision(_FIDELITY.get(fidelity, fidelity))
        status = o.text("status") or "occurred"
        verification = o.choice("verification", Verification, None)
        record.update(
            title=o.text("name") or o.text("description")[:120] or "Untitled event",
            description=o.text("description"),
            start_utc=start,
            end_utc=o.time("end_time") or o.time("stop_time"),
            precision=precision.value,
            status=(
                verification or Verification(_EVENT_VERIFICATION.get(status, "reported"))
            ).value,
            credibility=scales.credibility_of_confidence(o.get("confidence")),
        )
        if o.ours:
            record.update(
                zone=o.text("zone", "UTC", ours=True),
                external_id=o.optional_text("external_id") or None,
                place=o.text("place", ours=True),
            )
        place = self.places.get(o.id)
        if place is not None:
            record.update(_coordinates(place))
            record["place"] = record.get("place") or place.text("name") or _place_name(place)
        record["parties"] = self._roles(o)
        record["sources"] = self._sources(o)
        own = [] if o.ours.get("cites_no_source") is True else o.ours.get("entry_sources")
        if isinstance(own, list):  # the others are cited by the entry's claims only
            record["sources"] = [s for s in record["sources"] if s in own]
        self.records["entry"][record["uuid"]] = record

    def _roles(self, o: StixObject) -> list[dict[str, str]]:
        parts = []
        for relation in self.relations.get(o.id, []):
            role = _ROLES.get(str(relation.get("relationship_type")))
            party = self.ref("party", relation.get("target_ref"))
            if role and party:
                parts.append({"party": party, "role": role})
                self.kind_of.setdefault(relation.id, ("role", ""))
        unique = {(p["party"], p["role"]): p for p in parts}
        return sorted(unique.values(), key=lambda p: (p["role"], p["party"]))

    def _statement(self, o: StixObject) -> None:
        record = self._common(o)
        refs = o.refs("object_refs")
        speaker = o.ours.get("speaker_ref") if o.ours else _first(refs, "identity")
        entry = o.ours.get("entry_ref") if o.ours else _first(refs, "event")
        authors = o.get("authors") or []
        person = authors[0] if isinstance(authors, list) and authors else ""
        person = o.checked_text("authors", person)
        quote = o.text("content")
        if not quote.strip():
            raise o.refuse("content", "is empty (a statement needs its quote)")
        record.update(
            quote=quote,
            person=person,
            speaker=self.ref("party", speaker),
            entry=self.ref("entry", entry),
            kind=(o.choice("kind", StatementKind, StatementKind.CLAIM) or "claim"),
        )
        if o.ours:
            record.update(
                person_title=o.text("person_title", ours=True),
                said_at=o.time("said_at", ours=True),
                zone=o.text("zone", "UTC", ours=True),
                precision=(o.choice("precision", Precision, Precision.DAY) or "day"),
                language=o.text("language", "en", ours=True),
                translation=o.text("translation", ours=True),
            )
        sources = self._sources(o)
        record["source"] = sources[0] if sources else None
        record["contradicts"] = []
        self.records["statement"][record["uuid"]] = record

    def _relationship(self, o: StixObject) -> None:
        kind = str(o.get("relationship_type"))
        source, target = o.get("source_ref"), o.get("target_ref")
        if o.id in self.kind_of or kind in ("located-at",) and o.get("source_ref") in self.places:
            return
        if kind == "part-of" and self.ref("party", source) and self.ref("party", target):
            child = self.records["party"].get(self.ref("party", source) or "")
            if child is not None:
                child["parent"] = self.ref("party", target)
                return
        if kind == "contradicts":
            a, b = self.ref("statement", source), self.ref("statement", target)
            if a and b and a in self.records["statement"]:
                self.records["statement"][a]["contradicts"].append(b)
                return
        tie = o.choice("kind", RelationshipKind, None) or _TIE_KINDS.get(kind)
        a, b = self.ref("party", source), self.ref("party", target)
        if tie is None or not (a and b):
            self.skipped.append((o.type, o.id))
            return
        record = self._common(o)
        record.update(
            party_a=a,
            party_b=b,
            kind=str(tie),
            description=o.text("description"),
            title=o.text("title", ours=True) or o.text("description")[:120] or str(tie),
            since=o.text("since", ours=True) if o.ours else _date(o.get("start_time")),
            until=o.text("until", ours=True) if o.ours else _date(o.get("stop_time")),
            status=(
                o.choice("status", RelationshipStatus, RelationshipStatus.IN_FORCE) or "in force"
            ),
            sources=self._sources(o),
        )
        self.records["relationship"][record["uuid"]] = record
        self.kind_of[o.id] = ("relationship", record["uuid"])

    def _briefing(self, o: StixObject) -> None:
        self._sources(o)  # first: sections may list the sources the report cites
        record = self._common(o)
        as_of = o.time("published") or o.time("modified") or o.time("created")
        record.update(
            title=o.text("name") or "Untitled report",
            as_of=as_of,
            judgments=self._judgments(o),
        )
        if o.ours:
            record.update(
                subtitle=o.text("subtitle", ours=True),
                zone=o.text("zone", "UTC", ours=True),
                authors=o.text("authors", ours=True),
                status=(o.choice("status", BriefingStatus, BriefingStatus.DRAFT) or "draft"),
                bluf=o.text("bluf", ours=True),
                sections=self._sections(o),
            )
        else:
            record.update(bluf=o.text("description"), sections=[self._contents(o)])
        self.records["briefing"][record["uuid"]] = record

    def _judgments(self, o: StixObject) -> list[dict[str, Any]]:
        found = []
        for note in self.judgments.get(o.id, []):
            body = note.ours.get("judgment")
            if not isinstance(body, dict):
                raise note.refuse("judgment", "must be an object")
            position = body.get("position")
            likelihood = body.get("likelihood")
            if likelihood not in {t.value for t in Likelihood}:
                likelihood = scales.likelihood_of_confidence(note.get("confidence")).value
            confidence = body.get("confidence")
            if confidence not in {c.value for c in Confidence}:
                raise note.refuse("confidence", "must be low, moderate or high")
            found.append(
                (
                    position if isinstance(position, int) and not isinstance(position, bool) else 0,
                    note.id,
                    {
                        "uuid": _uuid(note),
                        "text": note.text("content"),
                        "likelihood": likelihood,
                        "confidence": confidence,
                    },
                )
            )
            self.kind_of.setdefault(note.id, ("judgment", ""))
        return [j for _, _, j in sorted(found, key=lambda f: (f[0], f[1]))]

    def _sections(self, o: StixObject) -> list[dict[str, Any]]:
        sections = o.ours.get("sections") or []
        if not isinstance(sections, list):
            raise o.refuse("sections", "must be a list")
        result = []
        for section in sections:
            section_uuid = (
                ids.uuid_of(f"s--{section.get('uuid')}") if isinstance(section, dict) else None
            )
            if section_uuid is None:
                raise o.refuse("sections", "must hold sections with a uuid each")
            items = []
            for item in section.get("items") or []:
                resolved = self._item(item)
                if resolved is not None:
                    items.append(resolved)
            heading = o.checked_text("sections", section.get("heading"))
            body = o.checked_text("sections", section.get("body", ""))
            result.append({"uuid": section_uuid, "heading": heading, "body": body, "items": items})
        return result

    def _item(self, item: object) -> dict[str, str] | None:
        if not isinstance(item, dict):
            return None
        item_uuid = ids.uuid_of(f"i--{item.get('uuid')}")
        if item_uuid is None:
            return None
        if item.get("map") is True:
            return {"uuid": item_uuid, "kind": "map"}
        if "source" in item:
            source = self.known_source(item["source"])
            return {"uuid": item_uuid, "kind": "source", "ref": source} if source else None
        mapped = self.kind_of.get(str(item.get("ref")))
        if mapped is None or mapped[0] not in ids.PRIMARY_TYPES:
            kind = _kind_of_type(str(item.get("ref")))
            uuid = self.ref(kind, item.get("ref")) if kind else None
            return {"uuid": item_uuid, "kind": kind, "ref": uuid} if kind and uuid else None
        return {"uuid": item_uuid, "kind": mapped[0], "ref": mapped[1]}

    def _contents(self, o: StixObject) -> dict[str, Any]:
        """A platform's report: one section listing the records it refers to, in its order."""
        items = []
        for ref in o.refs("object_refs"):
            mapped = self.kind_of.get(ref)
            if mapped is not None and mapped[0] in ids.PRIMARY_TYPES:
                item_uuid = str(uuid_module.uuid5(ids.NAMESPACE, f"item:{o.id}:{ref}"))
                items.append({"uuid": item_uuid, "kind": mapped[0], "ref": mapped[1]})
        section_uuid = str(uuid_module.uuid5(ids.NAMESPACE, f"section:{o.id}"))
        return {"uuid": section_uuid, "heading": "Contents", "body": "", "items": items}

    def _sources(self, o: StixObject) -> list[str]:
        """Sources cited in an object's external references (created on first sight)."""
        references = o.get("external_references") or []
        if not isinstance(references, list):
            raise o.refuse("external_references", "must be a list")
        details = o.ours.get("sources") if isinstance(o.ours.get("sources"), dict) else {}
        found = []
        for reference in references:
            if not isinstance(reference, dict):
                raise o.refuse("external_references", "must hold objects")
            source = self._source(o, reference, details or {})
            if source is not None:
                found.append(source)
        return sorted(set(found))

    def _source(
        self, o: StixObject, reference: dict[str, Any], details: dict[str, Any]
    ) -> str | None:
        own = ids.uuid_of(f"s--{reference.get('external_id')}")
        detail = details.get(own) if own else None
        url = reference.get("url")
        if detail is None and not isinstance(url, str):
            return None
        uuid = own if detail is not None else str(uuid_module.uuid5(ids.NAMESPACE, f"source:{url}"))
        assert uuid is not None
        carrier = StixObject({**reference, "id": o.id, "type": o.type}, "")
        description = carrier.text("description")
        grade = _RELIABILITY.search(description)
        record: dict[str, Any] = {
            "uuid": uuid,
            "title": carrier.text("source_name") or carrier.text("url") or "Source",
            "url": carrier.text("url"),
            "reliability": (grade.group(1).upper() if grade else Reliability.F.value),
            "tlp": self.label(o).value,
        }
        if isinstance(detail, dict):
            reader = StixObject({"id": o.id, "type": o.type, "extensions": {"_": detail}}, "_")
            record.update(
                publisher=reader.text("publisher", ours=True),
                author=reader.text("author", ours=True),
                published_at=reader.time("published_at", ours=True),
                accessed_at=reader.time("accessed_at", ours=True),
                kind=(reader.choice("kind", SourceKind, SourceKind.OTHER) or "other"),
                description=reader.text("description", ours=True),
                tags=reader.text("tags", ours=True),
                url=reader.text("url", record["url"], ours=True),
                tlp=(reader.choice("tlp", Tlp, Tlp.CLEAR) or Tlp.CLEAR).value,
            )
            for key in ("created_at", "updated_at"):
                moment = reader.time(key, ours=True)
                if moment:
                    record[key] = moment
        else:
            record["kind"] = SourceKind.OTHER.value
            earlier = self.records["source"].get(uuid)
            if earlier is not None:
                record["tlp"] = min(Tlp(earlier["tlp"]), Tlp(record["tlp"]), key=lambda t: t.rank)
        self.records["source"][uuid] = record
        return uuid

    def _skip_leftovers(self) -> None:
        """List every object no record took."""
        taken = set(self.kind_of)
        for o in self.objects.values():
            if o.id in taken or o.id == PRODUCER or (o.type, o.id) in self.skipped:
                continue
            if o.type == "marking-definition" and self._labels.get(o.id) is not None:
                continue
            if o.type == "extension-definition" and o.id == RECORD_EXTENSION:
                continue
            if o.type == "relationship" and (o.get("relationship_type") == "located-at"):
                if o.get("source_ref") in self.places:
                    continue
            if o.type == "relationship" and self._consumed(o):
                continue
            if o.type == "location" and o.id in {p.id for p in self.places.values()}:
                continue
            self.skipped.append((o.type, o.id))

    def _consumed(self, o: StixObject) -> bool:
        kind = o.get("relationship_type")
        if kind in ("part-of", "contradicts"):
            owner = "party" if kind == "part-of" else "statement"
            return bool(
                self.ref(owner, o.get("source_ref")) and self.ref(owner, o.get("target_ref"))
            )
        return kind in _ROLES and bool(self.ref("entry", o.get("source_ref")))


def _uuid(o: StixObject) -> str:
    uuid = ids.uuid_of(o.id)
    assert uuid is not None  # checked when the bundle was read
    return uuid


def _first(refs: list[str], stix_type: str) -> str | None:
    return next((r for r in refs if r.startswith(f"{stix_type}--")), None)


def _kind_of_type(stix_id: str) -> str | None:
    stix_type = stix_id.split("--", 1)[0]
    return next((k for k, t in ids.PRIMARY_TYPES.items() if t == stix_type), None)


def _is_state(o: StixObject) -> bool:
    return o.get("latitude") is None and bool(o.get("country") or o.get("region") or o.get("name"))


def _place_name(o: StixObject) -> str:
    parts = [o.text(k) for k in ("city", "administrative_area", "country")]
    return ", ".join(p for p in parts if p)


def _coordinates(o: StixObject) -> dict[str, float]:
    latitude, longitude = o.get("latitude"), o.get("longitude")
    if isinstance(latitude, (int, float)) and isinstance(longitude, (int, float)):
        return {"latitude": float(latitude), "longitude": float(longitude)}
    return {}


def _date(value: object) -> str:
    """A STIX timestamp → the ISO date our relationships keep (``1997-08-29``)."""
    moment = ids.document_time(value)
    return moment[:10] if moment else ""
