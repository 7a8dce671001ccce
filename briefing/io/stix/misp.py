"""Write one briefing as a MISP event (the JSON MISP imports), built with PyMISP.

The briefing's text is the event report (Markdown); each place with coordinates
is a ``geolocation`` object; each source a ``link`` attribute (a ``text`` one
when it has no URL); each key judgment a ``text`` attribute. Tags come from the
MISP taxonomies: ``tlp`` (TLP 2.0 names), ``admiralty-scale`` for source
reliability and information credibility, ``estimative-language`` for likelihood
and analytic confidence. UUIDs are derived from ours, so a second export of the
same records gives the same event, which MISP then updates rather than copies.
"""

from __future__ import annotations

import uuid as uuid_module
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pymisp import MISPAttribute, MISPEvent, MISPObject

from briefing import files
from briefing.errors import BriefingError
from briefing.io.stix import ids
from briefing.io.stix.export import Records, allowed_records, briefing_selection
from briefing.io.stix.objects import report_text
from briefing.model import codec
from briefing.model.claim_figures import claim_line
from briefing.model.vocab import Tlp
from briefing.store.project import Project


@dataclass(frozen=True)
class MispSummary:
    path: Path
    title: str
    attributes: int
    objects: int
    left_out: int


def tlp_tag(label: Tlp) -> str:
    return f"tlp:{label.value.lower()}"


def reliability_tag(reliability: str) -> str:
    return f'admiralty-scale:source-reliability="{reliability.lower()}"'


def credibility_tag(credibility: int) -> str:
    return f'admiralty-scale:information-credibility="{credibility}"'


def likelihood_tag(likelihood: str) -> str:
    return f'estimative-language:likelihood-probability="{likelihood.replace(" ", "-")}"'


def confidence_tag(confidence: str) -> str:
    return f'estimative-language:confidence-in-analytic-judgment="{confidence}"'


def _uuid(*parts: str) -> str:
    return str(uuid_module.uuid5(ids.NAMESPACE, ":".join(("misp", *parts))))


def _label(record: dict[str, Any]) -> Tlp:
    return Tlp(record.get("tlp") or "CLEAR")


def build_event(records: Records, briefing: dict[str, Any]) -> MISPEvent:
    """The MISP event of one briefing and the records it uses (already filtered)."""
    label = _label(briefing)
    event = MISPEvent()
    event.uuid = briefing["uuid"]
    event.info = briefing["title"] + (
        f" — {briefing['subtitle']}" if briefing.get("subtitle") else ""
    )
    event.date = briefing["as_of"][:10]
    event.distribution = 0  # this organisation only: the analyst widens it in MISP
    event.threat_level_id = 4
    event.analysis = 2 if briefing.get("status") == "final" else 1
    event.add_tag(tlp_tag(label))
    report = event.add_event_report(name=briefing["title"], content=report_text(briefing) or "")
    report.uuid = _uuid("report", briefing["uuid"])
    for entry in records.get("entry") or []:
        if entry.get("latitude") is not None and entry.get("longitude") is not None:
            event.add_object(_place(entry, label))
    for source in records.get("source") or []:
        _source(event, source, label)
    names = {p["uuid"]: p.get("short_name") or p["name"] for p in records.get("party") or []}
    for entry in records.get("entry") or []:
        for claim in entry.get("claims") or []:
            _claim(event, entry, claim, names, label)
    for judgment in briefing.get("judgments") or []:
        attribute = _attribute(event, "text", judgment["text"], "Other", "Key judgment")
        attribute.uuid = judgment["uuid"]
        attribute.add_tag(likelihood_tag(judgment["likelihood"]))
        attribute.add_tag(confidence_tag(judgment["confidence"]))
    return event


def _attribute(
    event: MISPEvent, kind: str, value: str, category: str, comment: str
) -> MISPAttribute:
    """One attribute, not for detection (``to_ids`` off): these are notes, not indicators."""
    attribute = event.add_attribute(kind, value, category=category, comment=comment, to_ids=False)
    assert isinstance(attribute, MISPAttribute)  # a list only when given a list of values
    return attribute


def _place(entry: dict[str, Any], label: Tlp) -> MISPObject:
    place = MISPObject("geolocation", standalone=False)
    place.uuid = _uuid("place", entry["uuid"])
    place.comment = entry["title"]
    place.add_attribute("latitude", value=float(entry["latitude"]))
    place.add_attribute("longitude", value=float(entry["longitude"]))
    text = place.add_attribute("text", value=entry.get("place") or entry["title"])
    if isinstance(text, MISPAttribute):
        text.add_tag(credibility_tag(int(entry.get("credibility") or 6)))
        if _label(entry) != label:
            text.add_tag(tlp_tag(_label(entry)))
    for attribute in place.attributes:
        attribute.uuid = _uuid("place", entry["uuid"], attribute.object_relation)
    return place


def _claim(
    event: MISPEvent,
    entry: dict[str, Any],
    claim: dict[str, Any],
    names: dict[str, str],
    label: Tlp,
) -> None:
    """A casualty claim as a text note: who, how many, per whom; never a sum of claims."""
    if claim.get("party") is not None and claim["party"] not in names:
        return  # about a party the event leaves out
    kept = {**claim, "source": None}
    if kept.get("claimant") not in names:
        kept["claimant"] = None
    value = claim_line(kept, lambda uuid: names.get(uuid, "?"))
    attribute = _attribute(event, "text", value, "Other", f"Casualty claim: {entry['title']}")
    attribute.uuid = claim["uuid"]
    if _label(entry) != label:
        attribute.add_tag(tlp_tag(_label(entry)))


def _source(event: MISPEvent, source: dict[str, Any], label: Tlp) -> None:
    comment = ", ".join(p for p in (source["title"], source.get("publisher")) if p)
    if source.get("url"):
        attribute = _attribute(event, "link", source["url"], "External analysis", comment)
    else:
        attribute = _attribute(event, "text", source["title"], "External analysis", comment)
    attribute.uuid = source["uuid"]
    attribute.add_tag(reliability_tag(source.get("reliability") or "F"))
    if _label(source) != label:
        attribute.add_tag(tlp_tag(_label(source)))


def export_misp(
    project: Project, path: Path, briefing_id: int, ceiling: Tlp | None = None
) -> MispSummary:
    """Write one briefing as a MISP event, leaving out what ``ceiling`` forbids."""
    path = Path(path)
    with project.engine.connect() as connection:
        records = codec.dump_all(connection)
        uuid = codec.uuids_for_ids(connection, codec.table("briefing"), [briefing_id])
        if briefing_id not in uuid:
            raise BriefingError("That briefing no longer exists.")
        selection = briefing_selection(records, uuid[briefing_id])
        kept, left_out = allowed_records(connection, selection, ceiling)
    if not kept.get("briefing"):
        assert ceiling is not None
        raise BriefingError(
            f"The briefing is marked more strictly than {ceiling.marking}; nothing was written."
        )
    briefing = kept["briefing"][0]
    event = build_event(kept, briefing)
    files.write_text(path, event.to_json(indent=2) + "\n")
    return MispSummary(path, briefing["title"], len(event.attributes), len(event.objects), left_out)
