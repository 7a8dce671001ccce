"""What the composer shows of briefings: the list, and one briefing resolved against the library.

Items are resolved each time a briefing is read, so a correction in the library
shows at once in every briefing that includes the record.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, text

from briefing.model import codec
from briefing.model.base import from_utc_text, utc_now
from briefing.model.marking import releasable
from briefing.model.rules import MAP_ITEM
from briefing.model.times import when_text
from briefing.model.vocab import KIND_NAMES, BriefingStatus, Confidence, Likelihood, Tlp
from briefing.services import records
from briefing.services.stamps import Stamp, stamp_of
from briefing.store.interface import ProjectStore

_MAX_TITLE = 40


def short_title(value: str) -> str:
    """A title short enough for an undo step's name or a warning sentence."""
    value = value.strip() or "untitled"
    return value if len(value) <= _MAX_TITLE else value[: _MAX_TITLE - 1] + "…"


# ---------------------------------------------------------------------------- listing


@dataclasses.dataclass(frozen=True)
class BriefingRow:
    id: int
    title: str
    tlp: Tlp
    status: str
    as_of: datetime


def list_briefings(project: ProjectStore) -> list[BriefingRow]:
    """The project's briefings, newest as-of time first."""
    with project.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT id, title, tlp, status, as_of FROM briefing ORDER BY as_of DESC, id")
        )
        return [
            BriefingRow(r.id, r.title, Tlp(r.tlp), r.status, from_utc_text(r.as_of)) for r in rows
        ]


# ---------------------------------------------------------------------------- reading


@dataclasses.dataclass(frozen=True)
class OutlineItem:
    """A section item with its record resolved now, so a library correction shows at once."""

    uuid: str
    kind: str
    record_id: int
    title: str
    detail: str
    tlp: Tlp


@dataclasses.dataclass(frozen=True)
class OutlineSection:
    uuid: str
    heading: str
    body: str
    items: tuple[OutlineItem, ...]


@dataclasses.dataclass(frozen=True)
class Judgment:
    uuid: str
    text: str
    likelihood: Likelihood
    confidence: Confidence


@dataclasses.dataclass(frozen=True)
class BriefingContent:
    """Everything the composer shows of one briefing."""

    id: int
    title: str
    subtitle: str
    as_of: datetime
    zone: str
    authors: str
    tlp: Tlp
    status: BriefingStatus
    bluf: str
    judgments: tuple[Judgment, ...]
    sections: tuple[OutlineSection, ...]
    stamp: Stamp = None
    """The briefing's change stamp as read: the composer's edits expect to find it."""

    def stricter_items(self) -> list[OutlineItem]:
        """Included records the marking rule keeps out of the briefing's label, each once."""
        found: dict[tuple[str, int], OutlineItem] = {}
        for section in self.sections:
            for item in section.items:
                if not releasable(item.tlp, self.tlp):
                    found.setdefault((item.kind, item.record_id), item)
        return list(found.values())


MAP_OUTLINE_ITEM = OutlineItem(
    "", MAP_ITEM, 0, "Map of events", "the places of the briefing's timeline entries", Tlp.CLEAR
)
"""A section's map item as the outline shows it: it names no record."""

# Per kind: SQL giving uuid, id, title, detail parts and TLP for the records named by uuid.
_ITEM_SQL = {
    "entry": "SELECT t.uuid, t.id, t.title, t.start_utc, t.zone, t.precision, t.status, t.tlp"
    " FROM timeline_entry t",
    "statement": "SELECT t.uuid, t.id, t.quote, coalesce(nullif(p.short_name, ''), p.name,"
    " 'Unattributed'), t.kind, t.tlp FROM statement t LEFT JOIN party p ON p.id = t.speaker_id",
    "relationship": "SELECT t.uuid, t.id, t.title, t.kind, coalesce(nullif(a.short_name, ''),"
    " a.name) || ' – ' || coalesce(nullif(b.short_name, ''), b.name), t.status, t.tlp"
    " FROM relationship t JOIN party a ON a.id = t.party_a_id JOIN party b ON b.id = t.party_b_id",
    "party": "SELECT t.uuid, t.id, t.name, t.kind, t.tlp FROM party t",
    "source": "SELECT t.uuid, t.id, t.title, t.publisher, t.reliability, t.tlp FROM source t",
}


def _describe(kind: str, row: Any) -> tuple[str, str]:
    """(title, detail) of a resolved item row."""
    if kind == "entry":
        return row[2], f"{when_text(from_utc_text(row[3]), row[4], row[5])} · {row[6]}"
    if kind == "statement":
        return f"“{row[2]}”", f"{row[3]} · {row[4]}"
    if kind == "relationship":
        return row[2], f"{row[4]} · {row[3]} · {row[5]}"
    if kind == "party":
        return row[2], row[3]
    return row[2], " · ".join(p for p in (row[3], f"reliability {row[4]}") if p)


def _resolve(connection: Connection, kind: str, uuids: set[str]) -> dict[str, OutlineItem]:
    found = {}
    for row in codec.rows_where_in(connection, _ITEM_SQL[kind], "t.uuid", uuids):
        title, detail = _describe(kind, row)
        found[row[0]] = OutlineItem("", kind, row[1], title, detail, Tlp(row[-1]))
    return found


def load_briefing(project: ProjectStore, briefing_id: int) -> BriefingContent:
    """The briefing with every item resolved against the library as it is now."""
    record = records.get_record(project, "briefing", briefing_id)
    wanted: dict[str, set[str]] = {}
    for section in record["sections"]:
        for item in section["items"]:
            if item["kind"] != MAP_ITEM:
                wanted.setdefault(item["kind"], set()).add(item["ref"])
    with project.engine.connect() as connection:
        resolved = {kind: _resolve(connection, kind, uuids) for kind, uuids in wanted.items()}
        resolved[MAP_ITEM] = {None: MAP_OUTLINE_ITEM}  # type: ignore[dict-item]
    sections = tuple(
        OutlineSection(
            s["uuid"],
            s["heading"],
            s["body"],
            tuple(
                dataclasses.replace(resolved[i["kind"]][i.get("ref")], uuid=i["uuid"])
                for i in s["items"]
                if i.get("ref") in resolved[i["kind"]]
            ),
        )
        for s in record["sections"]
    )
    judgments = tuple(
        Judgment(j["uuid"], j["text"], Likelihood(j["likelihood"]), Confidence(j["confidence"]))
        for j in record["judgments"]
    )
    return BriefingContent(
        id=briefing_id,
        title=record["title"],
        subtitle=record["subtitle"],
        as_of=codec.parse_time(record["as_of"], "as_of") or utc_now(),
        zone=record["zone"],
        authors=record["authors"],
        tlp=Tlp(record["tlp"]),
        status=BriefingStatus(record["status"]),
        bluf=record["bluf"],
        judgments=judgments,
        sections=sections,
        stamp=stamp_of(record),
    )


def tlp_warning(content: BriefingContent) -> str:
    """One sentence naming the records more restricted than the briefing, or ``""``."""
    stricter = content.stricter_items()
    if not stricter:
        return ""
    strictest = max((item.tlp for item in stricter), key=lambda t: t.rank)
    names = ", ".join(
        f"{KIND_NAMES[item.kind]} ‘{short_title(item.title.strip('“”'))}’ ({item.tlp.marking})"
        for item in stricter
    )
    return (
        f"This {content.tlp.marking} briefing includes more restricted records: {names}. "
        f"Mark the briefing {strictest.marking} or remove them."
    )
