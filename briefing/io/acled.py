"""Import ACLED events as timeline entries (``briefing import FILE events.csv``).

Each event becomes a timeline entry: title from the sub-event type and location,
description from the notes, start at local midnight of the event date in the
country's zone, place with coordinates, fatalities as a casualty claim by the
party "ACLED" (about civilians when ACLED codes the event as civilian
targeting, else about all sides; the analyst's own claims stay), actor1 as
initiator, actor2 as target and associated actors as involved parties (each
created once, by name), and a link to one "ACLED event data" source (kind
dataset). ``event_id_cnty`` is the entry's external id, so importing a newer
export updates entries instead of duplicating them: a row is written again only
when its ACLED ``timestamp`` is newer than the one imported before (kept in
``project_setting`` as ``acled:<event id>``), and an entry whose content comes
out the same keeps its stamp and counts as unchanged. On update, the fields ACLED
provides are replaced; the analyst's status, credibility, label and notes stay,
and parties, sources and tags are only ever added. An event whose entry the
analyst deleted stays deleted when a later export is imported.

Entries and parties made here have UUIDs derived from the ACLED ids and actor
names, so two analysts importing the same export hold the same records and a
merge matches them. The whole import is one transaction; :func:`import_acled`
is a generator yielding progress, so a window can draw a bar without threads.
"""

from __future__ import annotations

import uuid
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, text

from briefing.io import import_changes
from briefing.io.acled_csv import AcledError, AcledEvent, BadRow, read_rows, read_text
from briefing.model import codec
from briefing.model.base import join_tags, split_tags
from briefing.model.vocab import PartyKind, counted
from briefing.store.project import Project

NAMESPACE = uuid.UUID("0b6c2d4e-7a51-4f0e-9d3c-5a1e2f3b4c5d")
SETTING = "acled:"
BATCH = 5000

# ACLED ``inter`` codes (or, in newer exports, their names) → party kind.
_KINDS = {
    "1": PartyKind.ARMED_FORCE,
    "2": PartyKind.NON_STATE_ARMED_GROUP,
    "3": PartyKind.MILITIA,
    "4": PartyKind.MILITIA,
    "8": PartyKind.ARMED_FORCE,
    "state forces": PartyKind.ARMED_FORCE,
    "rebel group": PartyKind.NON_STATE_ARMED_GROUP,
    "rebel groups": PartyKind.NON_STATE_ARMED_GROUP,
    "political militia": PartyKind.MILITIA,
    "political militias": PartyKind.MILITIA,
    "identity militia": PartyKind.MILITIA,
    "identity militias": PartyKind.MILITIA,
    "external/other forces": PartyKind.ARMED_FORCE,
}


class AcledRowsError(AcledError):
    """Some rows are wrong; ``problems`` lists each with its line number."""

    def __init__(self, message: str, problems: tuple[BadRow, ...]) -> None:
        super().__init__(message)
        self.problems = problems


@dataclass(frozen=True)
class AcledReport:
    file_name: str
    added: int
    updated: int
    unchanged: int
    parties_added: int
    skipped: tuple[BadRow, ...]
    deleted_here: int = 0

    @property
    def summary(self) -> str:
        text = (
            f"Imported {self.file_name}: {counted('entry', self.added)} added, "
            f"{self.updated} updated, {self.unchanged} unchanged; "
            f"{counted('party', self.parties_added)} added"
        )
        if self.deleted_here:
            text += f"; {self.deleted_here} deleted here and left out"
        if self.skipped:
            text += f"; {len(self.skipped)} bad rows skipped"
        return text + "."


@dataclass(frozen=True)
class ImportProgress:
    """Work done out of the total, for a progress bar; the last one carries the report."""

    done: int
    total: int
    stage: str
    report: AcledReport | None = None


def run_acled_import(project: Project, path: Path, skip_bad_rows: bool = False) -> AcledReport:
    """Import without showing progress; returns the report."""
    report = None
    for step in import_acled(project, path, skip_bad_rows):
        report = step.report or report
    assert report is not None
    return report


def uuid_for(kind: str, key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


def import_acled(
    project: Project, path: Path, skip_bad_rows: bool = False
) -> Iterator[ImportProgress]:
    """Read, check and store the events of one export, yielding progress as it goes.

    Progress counts rows read and then entries written; closing the generator
    before the end rolls everything back.
    """
    path = Path(path)
    content = read_text(path)
    lines = max(content.count("\n"), 1)
    events, bad = yield from _read(content, path.name, lines)
    if bad and not skip_bad_rows:
        first = "; ".join(str(b) for b in bad[:3])
        raise AcledRowsError(
            f"{path.name} has {len(bad)} bad row{'s' if len(bad) > 1 else ''} ({first}); "
            "nothing was imported.",
            tuple(bad),
        )
    with project.transaction() as session:
        writer = _Writer(session.connection(), project.analyst)
        fresh, changed, unchanged = writer.sort(events)
        writer.write_parties_and_source([*fresh, *changed])
        todo = [*fresh, *changed]
        for start in range(0, len(todo), BATCH):
            writer.write_entries(todo[start : start + BATCH])
            done = lines + lines * min(start + BATCH, len(todo)) // len(todo)
            yield ImportProgress(done, 2 * lines, "Writing entries")
        writer.remember(todo)
    report = AcledReport(
        path.name,
        len(fresh),
        len(changed) - writer.same,
        unchanged + writer.same,
        writer.parties_added,
        tuple(bad),
        writer.deleted_here,
    )
    yield ImportProgress(2 * lines, 2 * lines, "Done", report)


def _read(
    content: str, name: str, lines: int
) -> Generator[ImportProgress, None, tuple[list[AcledEvent], list[BadRow]]]:
    """Rows as events (the newest row of each event id) and bad rows, with progress."""
    events: dict[str, AcledEvent] = {}
    bad: list[BadRow] = []
    for count, row in enumerate(read_rows(content, name), start=1):
        if isinstance(row, BadRow):
            bad.append(row)
        else:
            known = events.get(row.event_id)
            if known is None or (row.timestamp or 0) >= (known.timestamp or 0):
                events[row.event_id] = row
        if count % 1000 == 0:
            yield ImportProgress(min(count, lines), 2 * lines, "Reading rows")
    return list(events.values()), bad


class _Writer:
    """Turns events into records and stores them in bulk inside the caller's transaction."""

    def __init__(self, connection: Connection, analyst: str) -> None:
        self.connection = connection
        self.analyst = analyst
        self.parties: dict[str, str] = {}
        self.parties_added = 0
        self.existing: dict[str, tuple[int, str]] = {}
        self.uuids: dict[str, str] = {}
        self.deleted_here = 0
        self.same = 0
        """Entries of events changed in ACLED whose content here came out the same."""
        self.source = uuid_for("source", "ACLED")
        self.claimant = uuid_for("party", "ACLED")

    def sort(self, events: list[AcledEvent]) -> tuple[list[AcledEvent], list[AcledEvent], int]:
        """New events, events changed since the last import, and the count of unchanged ones.

        An event whose entry the analyst deleted here stays deleted (and is counted).
        """
        rows = self.connection.execute(
            text("SELECT external_id, id, uuid FROM timeline_entry WHERE external_id IS NOT NULL")
        )
        self.existing = {ext: (row_id, row_uuid) for ext, row_id, row_uuid in rows}
        stamps = {
            key[len(SETTING) :]: value
            for key, value in self.connection.execute(
                text("SELECT key, value FROM project_setting WHERE key LIKE 'acled:%'")
            )
        }
        self.uuids = {e.event_id: uuid_for("entry", e.event_id) for e in events}
        by_uuid = codec.ids_for_uuids(
            self.connection,
            codec.table("entry"),
            [self.uuids[e.event_id] for e in events if e.event_id not in self.existing],
        )
        for event in events:
            found = by_uuid.get(self.uuids[event.event_id])
            if event.event_id not in self.existing and found is not None:
                self.existing[event.event_id] = (found, self.uuids[event.event_id])
        buried = {
            row[0]
            for row in self.connection.execute(
                text("SELECT uuid FROM tombstone WHERE kind = 'entry'")
            )
        }
        fresh: list[AcledEvent] = []
        changed: list[AcledEvent] = []
        unchanged = 0
        for event in events:
            if event.event_id not in self.existing:
                if self.uuids[event.event_id] in buried:
                    self.deleted_here += 1
                else:
                    fresh.append(event)
                continue
            seen = stamps.get(event.event_id, "")
            if seen.isdigit() and event.timestamp is not None and event.timestamp <= int(seen):
                unchanged += 1
            else:
                changed.append(event)
        return fresh, changed, unchanged

    def write_parties_and_source(self, events: list[AcledEvent]) -> None:
        names = {actor[0]: actor[2] for event in events for actor in event.actors}
        for name, existing_uuid in self.connection.execute(text("SELECT name, uuid FROM party")):
            self.parties.setdefault(name.casefold(), existing_uuid)
        new_parties = []
        for name, inter in names.items():
            if name.casefold() in self.parties:
                continue
            record = {
                "uuid": uuid_for("party", name),
                "name": name,
                "kind": _KINDS.get(inter.lower(), PartyKind.ORGANISATION).value,
                "tags": "acled",
            }
            self.parties[name.casefold()] = record["uuid"]
            new_parties.append(record)
        if any(e.fatalities is not None for e in events):
            found = self.parties.setdefault("acled", self.claimant)
            self.claimant = found
            if found == uuid_for("party", "ACLED") and not self._exists("party", found):
                new_parties.append(dict(CLAIMANT))
        self.parties_added = len(new_parties)
        source = self._source_record(events)
        self._load({"party": new_parties, "source": [source]})

    def _exists(self, kind: str, uuid_: str) -> bool:
        return bool(codec.ids_for_uuids(self.connection, codec.table(kind), [uuid_]))

    def _source_record(self, events: list[AcledEvent]) -> dict[str, Any]:
        """The one ACLED source; its publication time is that of the newest event imported.

        Nothing in it depends on who imports when, so two analysts importing the
        same export hold the same source.
        """
        found = codec.ids_for_uuids(self.connection, codec.table("source"), [self.source])
        record: dict[str, Any] = (
            codec.dump(self.connection, "source", list(found.values()))[0]
            if found
            else {
                "uuid": self.source,
                "title": "ACLED event data",
                "publisher": "Armed Conflict Location & Event Data (ACLED)",
                "url": "https://acleddata.com",
                "kind": "dataset",
                "description": "Events imported from ACLED CSV exports.",
            }
        )
        stamps = [e.timestamp for e in events if e.timestamp is not None]
        if stamps:
            newest = codec.time_to_text(datetime.fromtimestamp(max(stamps), UTC))
            record["published_at"] = max(filter(None, [record.get("published_at"), newest]))
        return record

    def write_entries(self, batch: list[AcledEvent]) -> None:
        """Store a batch of events in one bulk load, over what an update keeps."""
        current = self._current([e for e in batch if e.event_id in self.existing])
        entries = [self._entry(event, current.get(event.event_id)) for event in batch]
        unchanged = self._load({"entry": entries})
        self.same += unchanged.get("entry", 0)

    def _load(self, records: codec.Records) -> dict[str, int]:
        """Store records; those equal in content to ours keep their stamps (returned counts)."""
        before = import_changes.current(self.connection, records)
        result = codec.load(self.connection, records, analyst=self.analyst)
        _, unchanged = import_changes.settle(
            self.connection, records, before, result.updated, self.analyst
        )
        return unchanged

    def _current(self, events: list[AcledEvent]) -> dict[str, dict[str, Any]]:
        by_id = {self.existing[e.event_id][0]: e.event_id for e in events}
        return {
            by_id[r["_id"]]: r
            for r in codec.dump(self.connection, "entry", list(by_id), with_ids=True)
        }

    def _entry(self, event: AcledEvent, current: dict[str, Any] | None) -> dict[str, Any]:
        tags = ["acled", event.event_type.lower()]
        if event.civilian_targeting:
            tags.append("civilian targeting")
        parties = [
            {"party": self.parties[name.casefold()], "role": role} for name, role, _ in event.actors
        ]
        record: dict[str, Any] = dict(current) if current else {"uuid": self._uuid(event)}
        record.pop("_id", None)
        old_tags = record.get("tags", "")
        record.update(
            title=event.title,
            description=event.description,
            start_utc=_utc_text(event.start_utc),
            zone=event.zone,
            precision=event.precision.value,
            place=event.place,
            latitude=event.latitude,
            longitude=event.longitude,
            external_id=event.event_id,
            claims=self._claims(event, record.get("claims") or []),
            tags=join_tags([*split_tags(old_tags), *tags]) if old_tags else _tags(tuple(tags)),
            parties=_union(record.get("parties") or [], parties),
            sources=sorted({*(record.get("sources") or []), self.source}),
        )
        return record

    def _claims(self, event: AcledEvent, claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The analyst's claims, and ACLED's fatalities as its own claim (replaced on update)."""
        ours = uuid_for("claim", event.event_id)
        kept = [c for c in claims if c["uuid"] != ours]
        if event.fatalities is None:
            return kept
        claim = {
            "uuid": ours,
            "side": "civilians" if event.civilian_targeting else "all sides",
            "party": None,
            "category": "killed",
            "low": None,
            "best": event.fatalities,
            "high": None,
            "words": "",
            "claimant": self.claimant,
            "source": self.source,
            "claimed_at": None,
        }
        return [claim, *kept]

    def _uuid(self, event: AcledEvent) -> str:
        return self.uuids[event.event_id]

    def remember(self, events: list[AcledEvent]) -> None:
        """Keep each event's ACLED timestamp, to tell a newer export's changes."""
        rows = [
            {"k": SETTING + e.event_id, "v": str(e.timestamp)}
            for e in events
            if e.timestamp is not None
        ]
        if rows:
            self.connection.execute(
                text(
                    "INSERT INTO project_setting(key, value) VALUES (:k, :v) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value"
                ),
                rows,
            )


CLAIMANT = {
    "uuid": uuid_for("party", "ACLED"),
    "name": "ACLED",
    "short_name": "ACLED",
    "kind": PartyKind.ORGANISATION.value,
    "description": "Armed Conflict Location & Event Data: claims its fatality counts.",
    "tags": "acled",
}
"""The party that claims ACLED's fatality figures."""


def _union(first: list[dict[str, str]], second: list[dict[str, str]]) -> list[dict[str, str]]:
    merged = {(p["role"], p["party"]): p for p in [*first, *second]}
    return [merged[key] for key in sorted(merged)]


@lru_cache(maxsize=4096)
def _utc_text(moment: datetime) -> str:
    return codec.time_to_text(moment) or ""


@lru_cache(maxsize=256)
def _tags(tags: tuple[str, ...]) -> str:
    return join_tags(list(tags))
