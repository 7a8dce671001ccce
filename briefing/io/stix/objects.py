"""Records (in the codec's dict form) → STIX 2.1 objects, as plain dicts.

Objects are built with ``stix2`` classes, so each is checked as it is made, then
kept as dicts. Standard properties carry what platforms read (names, texts,
times, confidence, markings); the fields STIX has no place for travel in our own
property extension (:data:`RECORD_EXTENSION`), so an import gets them back whole.
Sources are not objects in STIX: each becomes an external reference of the
objects that cite it, graded on the Admiralty scale.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from typing import Any
from urllib.parse import quote

import stix2
from stix2.properties import EnumProperty, ListProperty, StringProperty, TimestampProperty

from briefing.io.stix import ids, scales
from briefing.io.stix.markings import KNOWN_IDS, marking_id, strictest
from briefing.model.base import split_tags
from briefing.model.vocab import RELIABILITY_LABELS, Reliability, Tlp

EVENT_EXTENSION = "extension-definition--4ca6de00-5b0d-45ef-a1dc-ea7279ea910e"
"""The OASIS event SDO (oasis-open/cti-stix-common-objects, incident-core/event)."""

RECORD_EXTENSION = ids.derived_id("extension-definition", "conflict-briefing", "record")
PRODUCER = ids.derived_id("identity", "conflict-briefing", "producer")
_PRODUCER_TIME = "2026-01-01T00:00:00.000Z"

_FIDELITY = ["second", "minute", "hour", "day", "month", "year"]
EVENT_STATUS = ["ongoing", "occurred", "not-occurred", "pending", "undetermined"]


@stix2.v21.CustomObject(
    "event",
    [
        ("name", StringProperty()),
        ("description", StringProperty()),
        ("status", EnumProperty(EVENT_STATUS, required=True)),
        ("start_time", TimestampProperty()),
        ("start_time_fidelity", EnumProperty(_FIDELITY)),
        ("end_time", TimestampProperty()),
        ("end_time_fidelity", EnumProperty(_FIDELITY)),
        ("event_types", ListProperty(StringProperty)),
    ],
    extension_name=EVENT_EXTENSION,
)
class Event:
    """The OASIS event SDO; stix2 3.0 has no class of its own for it, so one is registered."""


ROLE_TYPES = {"initiator": "attributed-to", "target": "targets", "involved": "related-to"}
VERIFICATION_STATUS = {
    "confirmed": "occurred",
    "reported": "occurred",
    "unconfirmed": "undetermined",
    "disputed": "undetermined",
    "refuted": "not-occurred",
}
_INDIVIDUALS = {"official"}
_GROUPS = {"armed group"}


def relationship_type(kind: str) -> str:
    """Our relationship kind as a STIX type: ``defence treaty`` → ``defence-treaty``."""
    return kind.replace(" ", "-")


def _plain(stix_object: Any) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(stix_object.serialize())
    return result


def producer_objects() -> list[dict[str, Any]]:
    """The identity that defines our record extension, and the extension definition itself."""
    producer = stix2.v21.Identity(
        id=PRODUCER,
        created=_PRODUCER_TIME,
        modified=_PRODUCER_TIME,
        name="Conflict Briefing",
        identity_class="system",
        description="The desktop editor for conflict analysts that wrote this bundle.",
        object_marking_refs=[marking_id(Tlp.CLEAR)],
    )
    extension = stix2.v21.ExtensionDefinition(
        id=RECORD_EXTENSION,
        created_by_ref=PRODUCER,
        created=_PRODUCER_TIME,
        modified=_PRODUCER_TIME,
        name="Conflict Briefing record",
        description=(
            "Fields of a Conflict Briefing record that STIX 2.1 has no property for: "
            "party kind and colour, time zones and precision, verification status, "
            "casualty figures, statement attribution, key judgments and briefing sections."
        ),
        schema="https://github.com/conflict-briefing/conflict-briefing/blob/main/README.md",
        version="1.0.0",
        extension_types=["property-extension"],
        object_marking_refs=[marking_id(Tlp.CLEAR)],
    )
    return [_plain(producer), _plain(extension)]


class Builder:
    """Turns one selection of records into STIX objects; refers only to records it holds."""

    def __init__(self, records: dict[str, list[dict[str, Any]]]) -> None:
        self.by_uuid: dict[str, dict[str, dict[str, Any]]] = {
            kind: {r["uuid"]: r for r in batch} for kind, batch in records.items()
        }
        self.objects: list[dict[str, Any]] = []

    # ------------------------------------------------------------------ helpers

    def has(self, kind: str, uuid: str | None) -> bool:
        return uuid is not None and uuid in self.by_uuid.get(kind, {})

    def ref(self, kind: str, uuid: str | None) -> str | None:
        return ids.primary_id(kind, uuid) if uuid is not None and self.has(kind, uuid) else None

    def _common(self, record: dict[str, Any], label: Tlp | None = None) -> dict[str, Any]:
        created = ids.timestamp(record.get("created_at")) or _PRODUCER_TIME
        modified = ids.timestamp(record.get("updated_at")) or created
        common: dict[str, Any] = {
            "created": created,
            "modified": max(created, modified),
            "object_marking_refs": [marking_id(label or Tlp(record.get("tlp") or "CLEAR"))],
        }
        tags = split_tags(str(record.get("tags") or ""))
        if tags:
            common["labels"] = tags
        return common

    def _extension(self, fields: dict[str, Any]) -> dict[str, Any]:
        """Our fields; an empty text is written (so an update can empty a field), a null is not."""
        body = {k: v for k, v in fields.items() if v is not None and v != [] and v != {}}
        return {RECORD_EXTENSION: {"extension_type": "property-extension", **body}}

    def _cited(
        self, source_uuids: Iterable[str], holder: Tlp
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
        """External references, granular markings and source details for cited sources.

        A source marked more strictly than the object citing it gets a granular
        marking on its reference, so the object's own marking never understates it.
        """
        references: list[dict[str, Any]] = []
        granular: list[dict[str, Any]] = []
        details: dict[str, Any] = {}
        for uuid in sorted(u for u in set(source_uuids) if self.has("source", u)):
            source = self.by_uuid["source"][uuid]
            reliability = Reliability(source.get("reliability") or "F")
            reference: dict[str, Any] = {
                "source_name": source["title"] or "source",
                "description": (
                    f"Admiralty source reliability {reliability.value} "
                    f"({RELIABILITY_LABELS[reliability]})."
                ),
                "external_id": uuid,
            }
            url = source.get("url") or ""
            if url:
                reference["url"] = uri(url)
            label = Tlp(source.get("tlp") or "CLEAR")
            if label != holder:
                granular.append(
                    {
                        "marking_ref": marking_id(label),
                        "selectors": [f"external_references.[{len(references)}]"],
                    }
                )
            references.append(reference)
            details[uuid] = {
                key: source.get(key)
                for key in ("publisher", "author", "published_at", "accessed_at", "kind", "tags")
            } | {"description": source.get("description") or "", "tlp": label.value}
            if url and uri(url) != url:
                details[uuid]["url"] = url
            details[uuid] = {k: v for k, v in details[uuid].items() if v not in (None, "")}
            if source.get("created_at"):
                details[uuid]["created_at"] = source["created_at"]
                details[uuid]["updated_at"] = source.get("updated_at")
        return references, granular, details

    def _with_sources(
        self, properties: dict[str, Any], sources: Iterable[str], fields: dict[str, Any]
    ) -> None:
        holder = KNOWN_IDS[properties["object_marking_refs"][0]]
        references, granular, details = self._cited(sources, holder)
        if references:
            properties["external_references"] = references
        if granular:
            properties["granular_markings"] = granular
        if details:
            fields["sources"] = details

    def _relationship(
        self,
        key: tuple[str, ...],
        kind: str,
        source_ref: str,
        target_ref: str,
        records: list[dict[str, Any]],
    ) -> None:
        label = strictest([Tlp(r.get("tlp") or "CLEAR") for r in records])
        relationship = stix2.v21.Relationship(
            id=ids.derived_id("relationship", *key),
            relationship_type=kind,
            source_ref=source_ref,
            target_ref=target_ref,
            **self._common(records[0], label),
        )
        self.objects.append(_plain(relationship))

    # ------------------------------------------------------------------ kinds

    def party(self, party: dict[str, Any]) -> None:
        kind = party.get("kind") or "organisation"
        identity_class = (
            "individual" if kind in _INDIVIDUALS else "group" if kind in _GROUPS else "organization"
        )
        properties = self._common(party)
        if party.get("description"):
            properties["description"] = party["description"]
        fields = {
            "kind": kind,
            "short_name": party.get("short_name"),
            "colour": party.get("colour"),
        }
        identity = stix2.v21.Identity(
            id=ids.primary_id("party", party["uuid"]),
            name=party["name"],
            identity_class=identity_class,
            extensions=self._extension(fields),
            **properties,
        )
        self.objects.append(_plain(identity))
        parent = str(party.get("parent") or "")
        if self.has("party", parent):
            self._relationship(
                ("part-of", party["uuid"]),
                "part-of",
                identity.id,
                ids.primary_id("party", parent),
                [party, self.by_uuid["party"][parent]],
            )

    def entry(self, entry: dict[str, Any]) -> None:
        uuid = entry["uuid"]
        event_id = ids.primary_id("entry", uuid)
        properties = self._common(entry)
        precision = entry.get("precision") or "minute"
        properties.update(
            name=entry["title"],
            status=VERIFICATION_STATUS[entry.get("status") or "reported"],
            start_time=ids.timestamp(entry["start_utc"]),
            start_time_fidelity=precision,
        )
        if entry.get("description"):
            properties["description"] = entry["description"]
        if entry.get("end_utc"):
            properties.update(end_time=ids.timestamp(entry["end_utc"]), end_time_fidelity=precision)
        confidence = scales.confidence_of_credibility(entry.get("credibility"))
        if confidence is not None:
            properties["confidence"] = confidence
        located = entry.get("latitude") is not None and entry.get("longitude") is not None
        fields: dict[str, Any] = {
            "zone": entry.get("zone"),
            "verification": entry.get("status"),
            "place": None if located else entry.get("place"),
            "claims": [self._claim(c) for c in entry.get("claims") or [] if self._claim_shown(c)],
            "external_id": entry.get("external_id"),
        }
        own = sorted(entry.get("sources") or [])
        cited = {*own, *(c["source"] for c in entry.get("claims") or [] if c.get("source"))}
        if cited != set(own):  # a claim cites a source the entry does not: list the entry's
            fields["entry_sources"] = [u for u in own if self.has("source", u)] or None
            fields["cites_no_source"] = True if not fields["entry_sources"] else None
        self._with_sources(properties, cited, fields)
        event = Event(  # type: ignore[call-arg]  # stix2's class decorator adds these
            id=event_id, extensions=self._extension(fields), **properties
        )
        self.objects.append(_plain(event))
        if located:
            self._location(entry, event_id)
        for part in entry.get("parties") or []:
            if self.has("party", part["party"]):
                self._relationship(
                    ("role", uuid, part["party"], part["role"]),
                    ROLE_TYPES[part["role"]],
                    event_id,
                    ids.primary_id("party", part["party"]),
                    [entry, self.by_uuid["party"][part["party"]]],
                )

    def _claim_shown(self, claim: dict[str, Any]) -> bool:
        """A claim about a party the bundle leaves out is left out with it."""
        return claim.get("party") is None or self.has("party", claim["party"])

    def _claim(self, claim: dict[str, Any]) -> dict[str, Any]:
        """A casualty claim in our extension: figures as numbers, parties and source as refs."""
        body = {
            "claim_id": claim["uuid"],
            "side": claim["side"],
            "party_ref": self.ref("party", claim.get("party")),
            "category": claim["category"],
            "low": claim.get("low"),
            "best": claim.get("best"),
            "high": claim.get("high"),
            "words": claim.get("words") or None,
            "claimant_ref": self.ref("party", claim.get("claimant")),
            "source": claim["source"] if self.has("source", claim.get("source")) else None,
            "claimed_at": ids.timestamp(claim.get("claimed_at")),
        }
        return {k: v for k, v in body.items() if v is not None}

    def _location(self, entry: dict[str, Any], event_id: str) -> None:
        location_id = ids.derived_id("location", "place", entry["uuid"])
        properties = self._common(entry)
        if entry.get("place"):
            properties["name"] = entry["place"]
        location = stix2.v21.Location(
            id=location_id,
            latitude=float(entry["latitude"]),
            longitude=float(entry["longitude"]),
            **properties,
        )
        self.objects.append(_plain(location))
        self._relationship(
            ("located-at", entry["uuid"]), "located-at", event_id, location_id, [entry]
        )

    def statement(self, statement: dict[str, Any], reports: list[str]) -> None:
        uuid = statement["uuid"]
        speaker = self.ref("party", statement.get("speaker"))
        entry = self.ref("entry", statement.get("entry"))
        refs = [r for r in (speaker, entry) if r] or reports or [PRODUCER]
        properties = self._common(statement)
        person = statement.get("person") or ""
        if person:
            properties["authors"] = [person]
        kind = statement.get("kind") or "claim"
        fields = {
            "kind": kind,
            "person_title": statement.get("person_title"),
            "said_at": statement.get("said_at"),
            "zone": statement.get("zone"),
            "precision": statement.get("precision"),
            "language": statement.get("language"),
            "translation": statement.get("translation"),
            "speaker_ref": speaker,
            "entry_ref": entry,
        }
        source = statement.get("source")
        self._with_sources(properties, [source] if source else [], fields)
        note = stix2.v21.Note(
            id=ids.primary_id("statement", uuid),
            abstract=f"{kind.capitalize()} by {person or 'an unnamed speaker'}",
            content=statement["quote"],
            object_refs=refs,
            extensions=self._extension(fields),
            **properties,
        )
        self.objects.append(_plain(note))
        for other in statement.get("contradicts") or []:
            if other > uuid and self.has("statement", other):
                self._relationship(
                    ("contradicts", uuid, other),
                    "contradicts",
                    ids.primary_id("statement", uuid),
                    ids.primary_id("statement", other),
                    [statement, self.by_uuid["statement"][other]],
                )

    def relationship(self, tie: dict[str, Any]) -> None:
        a, b = str(tie.get("party_a") or ""), str(tie.get("party_b") or "")
        if not (self.has("party", a) and self.has("party", b)):
            return
        properties = self._common(tie)
        if tie.get("description"):
            properties["description"] = tie["description"]
        start, stop = _partial_date(tie.get("since")), _partial_date(tie.get("until"))
        if start:
            properties["start_time"] = start
        if stop and (start is None or stop > start):
            properties["stop_time"] = stop
        fields = {
            "kind": tie.get("kind"),
            "title": tie.get("title"),
            "since": tie.get("since"),
            "until": tie.get("until"),
            "status": tie.get("status"),
        }
        self._with_sources(properties, tie.get("sources") or [], fields)
        relationship = stix2.v21.Relationship(
            id=ids.primary_id("relationship", tie["uuid"]),
            relationship_type=relationship_type(tie.get("kind") or "related to"),
            source_ref=ids.primary_id("party", a),
            target_ref=ids.primary_id("party", b),
            extensions=self._extension(fields),
            **properties,
        )
        self.objects.append(_plain(relationship))

    def briefing(self, briefing: dict[str, Any], contents: list[str], sources: list[str]) -> None:
        report_id = ids.primary_id("briefing", briefing["uuid"])
        judgment_ids = []
        for position, judgment in enumerate(briefing.get("judgments") or []):
            judgment_ids.append(self._judgment(judgment, position, briefing, report_id))
        sections = []
        for section in briefing.get("sections") or []:
            items = []
            for item in section.get("items") or []:
                if item["kind"] == "map":
                    items.append({"uuid": item["uuid"], "map": True})
                elif item["kind"] == "source":
                    if self.has("source", item["ref"]):
                        items.append({"uuid": item["uuid"], "source": item["ref"]})
                elif self.has(item["kind"], item["ref"]):
                    items.append(
                        {"uuid": item["uuid"], "ref": ids.primary_id(item["kind"], item["ref"])}
                    )
            sections.append(
                {
                    "uuid": section["uuid"],
                    "heading": section["heading"],
                    "body": section.get("body") or "",
                    "items": items,
                }
            )
        properties = self._common(briefing)
        fields = {
            "subtitle": briefing.get("subtitle"),
            "zone": briefing.get("zone"),
            "authors": briefing.get("authors"),
            "status": briefing.get("status"),
            "bluf": briefing.get("bluf"),
            "sections": sections,
        }
        self._with_sources(properties, sources, fields)
        refs = list(dict.fromkeys([*contents, *judgment_ids])) or [PRODUCER]
        report = stix2.v21.Report(
            id=report_id,
            name=briefing["title"],
            description=report_text(briefing) or briefing["title"],
            published=ids.timestamp(briefing["as_of"]),
            report_types=["threat-report"],
            object_refs=refs,
            extensions=self._extension(fields),
            **properties,
        )
        self.objects.append(_plain(report))

    def _judgment(
        self, judgment: dict[str, Any], position: int, briefing: dict[str, Any], report_id: str
    ) -> str:
        note = stix2.v21.Note(
            id=f"note--{judgment['uuid']}",
            abstract="Key judgment",
            content=judgment["text"],
            confidence=scales.confidence_of_likelihood(judgment["likelihood"]),
            object_refs=[report_id],
            extensions=self._extension(
                {
                    "judgment": {
                        "likelihood": judgment["likelihood"],
                        "confidence": judgment["confidence"],
                        "position": position,
                    }
                }
            ),
            **self._common(briefing),
        )
        self.objects.append(_plain(note))
        return str(note.id)


def uri(url: str) -> str:
    """A URL as STIX wants it (an RFC 3986 URI): spaces, ``<>`` and non-ASCII percent-encoded."""
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~")


def _partial_date(text: object) -> str | None:
    """``1997``, ``1997-08`` or ``1997-08-29`` → the STIX timestamp of its first instant."""
    if not isinstance(text, str):
        return None
    parts = text.strip().split("-")
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
        return None
    numbers = [int(p) for p in parts] + [1] * (3 - len(parts))
    try:
        day = date(*numbers)
    except ValueError:
        return None
    return f"{day.isoformat()}T00:00:00.000Z"


def report_text(briefing: dict[str, Any]) -> str:
    """The briefing as Markdown: bottom line up front, key judgments, then the sections."""
    parts = []
    if briefing.get("bluf"):
        parts.append(f"## Bottom line up front\n\n{briefing['bluf']}")
    judgments = briefing.get("judgments") or []
    if judgments:
        lines = [
            f"- {j['text']} Likelihood: {j['likelihood']}. Confidence: {j['confidence']}."
            for j in judgments
        ]
        parts.append("## Key judgments\n\n" + "\n".join(lines))
    for section in briefing.get("sections") or []:
        body = section.get("body") or ""
        parts.append(f"## {section['heading']}\n\n{body}".rstrip())
    return "\n\n".join(parts)
