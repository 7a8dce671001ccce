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

import copy
import uuid
from collections.abc import Generator, Iterator
from contextlib import closing
from datetime import UTC, datetime
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, text

from briefing.io.acled_csv import AcledEvent, BadRow, count_lines, streamed_rows
from briefing.io.child_rows import Check, never, produced
from briefing.io.event_import import (
    BATCH,
    EventReport,
    EventRowsError,
    EventWriter,
    ImportProgress,
    bulk_transaction,
    last_report,
    name_uuid,
    parties_by_name,
    rows_error,
    union_links,
)
from briefing.model import codec, rules
from briefing.model.base import join_tags, split_tags
from briefing.model.vocab import PartyKind
from briefing.store.project import Project

NAMESPACE = uuid.UUID("0b6c2d4e-7a51-4f0e-9d3c-5a1e2f3b4c5d")
SETTING = "acled:"

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


def _kind(inter: str) -> str:
    """The party kind of an ACLED ``inter`` code or name (organisation when unknown)."""
    return _KINDS.get(inter.lower(), PartyKind.ORGANISATION).value


AcledRowsError = EventRowsError
AcledReport = EventReport


def run_acled_import(project: Project, path: Path, skip_bad_rows: bool = False) -> EventReport:
    """Import without showing progress; returns the report."""
    return last_report(import_acled(project, path, skip_bad_rows))


def uuid_for(kind: str, key: str) -> str:
    return name_uuid(NAMESPACE, f"{kind}:{key}")


def import_acled(
    project: Project, path: Path, skip_bad_rows: bool = False, check: Check = never
) -> Iterator[ImportProgress]:
    """Read, check and store the events of one export, yielding progress as it goes.

    The file is read twice, row by row, never whole: first to find the bad rows
    and the newest row of each event id, then to store those rows a batch at a
    time, so memory stays flat in the file's size (one small entry per event id).
    Progress counts rows read and then rows written; closing the generator
    before the end rolls everything back; so does what ``check`` raises while the
    import waits for its reading process (:func:`briefing.io.child_rows.produced`).
    """
    path = Path(path)
    lines = max(count_lines(path), 1)
    keep, bad = yield from _survey(path, lines, check)
    if bad and not skip_bad_rows:
        raise rows_error(path.name, bad, len(bad))
    fresh = changed = unchanged = 0
    with bulk_transaction(project, _size(path)) as connection:
        writer = _Writer(connection, project.analyst)
        writer.load_known()
        for line, batch, shaped in _batches(path, keep, writer, check):
            new, updated, same = writer.sort(batch)
            todo = [*new, *updated]
            if todo:
                writer.write_parties_and_source(todo)
                writer.write_entries(todo, shaped)
                writer.remember(todo)
            fresh, changed, unchanged = fresh + len(new), changed + len(updated), unchanged + same
            yield ImportProgress(lines + min(line, lines), 2 * lines, "Writing entries")
    report = EventReport(
        path.name,
        fresh,
        changed - writer.same,
        unchanged + writer.same,
        writer.parties_added,
        tuple(bad),
        len(bad),
        writer.deleted_here,
    )
    yield ImportProgress(2 * lines, 2 * lines, "Done", report)


def _survey(
    path: Path, lines: int, check: Check
) -> Generator[ImportProgress, None, tuple[frozenset[int], list[BadRow]]]:
    """The lines of the newest row of each event id, and the bad rows, with progress.

    Each event id's newest row is held as one number, its timestamp and line
    together (:data:`_LINE_BITS`): a third of a pair's memory at a million events.
    """
    newest: dict[str, int] = {}
    bad: list[BadRow] = []
    rows = produced(partial(_surveyed, path), _size(path), path.name, check)
    with closing(rows):  # a stop ends the reading process at once
        for count, row in enumerate(rows, start=1):
            if isinstance(row, BadRow):
                bad.append(row)
            else:
                event_id, stamp, line = row
                packed = stamp << _LINE_BITS | line  # a later line wins a tie: it is larger
                if packed > newest.get(event_id, -1):
                    newest[event_id] = packed
            if count % 1000 == 0:
                yield ImportProgress(min(count, lines), 2 * lines, "Reading rows")
    lines_kept = (1 << _LINE_BITS) - 1
    return frozenset(packed & lines_kept for packed in newest.values()), bad


_LINE_BITS = 40
"""Bits of a line number in :func:`_survey`'s packed (timestamp, line) numbers."""


def _surveyed(path: Path) -> Iterator[tuple[str, int, int] | BadRow]:
    """(event id, timestamp, line) of every good row, and the bad rows, in file order."""
    with streamed_rows(path) as rows:
        for row in rows:
            yield row if isinstance(row, BadRow) else (row.event_id, row.timestamp or 0, row.line)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


Shaped = dict[str, tuple[dict[str, Any], bool]]
"""Event id → the entry a first import makes of it, and whether it kept the rules as it is."""


def _batches(
    path: Path, keep: frozenset[int], writer: _Writer, check: Check
) -> Iterator[tuple[int, list[AcledEvent], Shaped]]:
    """(last line read, events, their new entries) a batch at a time, each event id's newest row.

    The rows are read and shaped into entries in a second process for a large
    file (:mod:`briefing.io.child_rows`), from what ``writer`` knows now.
    """
    batch: list[AcledEvent] = []
    shaped: Shaped = {}
    made = produced(partial(_shaped, path, keep, _shaper(writer)), _size(path), path.name, check)
    with closing(made):  # a refusal or a stop ends the reading process at once
        for event, record, checked in made:
            batch.append(event)
            shaped[event.event_id] = (record, checked)
            if len(batch) >= BATCH:
                yield event.line, batch, shaped
                batch, shaped = [], {}
    if batch:
        yield batch[-1].line, batch, shaped


def _shaper(writer: _Writer) -> _Writer:
    """A copy of what ``writer`` knows that shaping needs, without its connection: small to send.

    The writer's own knowledge stays as it is.
    """
    shaper = copy.copy(writer)
    shaper.connection = None  # type: ignore[assignment]
    shaper.existing, shaper.stamps, shaper.buried = {}, {}, set()
    shaper.parties = dict(writer.parties)
    shaper.claimant = writer.parties.get("acled", writer.claimant)
    return shaper


def _shaped(
    path: Path, keep: frozenset[int], shaper: _Writer
) -> Iterator[tuple[AcledEvent, dict[str, Any], bool]]:
    """Each row kept, the entry a first import makes of it, and whether it keeps the rules.

    Works on ``shaper``, a copy of the writer's knowledge (:func:`_shaper`): parties
    named here for the first time get the UUID the writer will give them, and the
    writer takes an entry only if its parties and claim come out the same
    (:meth:`_Writer.write_entries`).
    """
    for event in _newest_rows(path, keep):
        for name, _, _ in event.actors:
            shaper.parties.setdefault(name.casefold(), uuid_for("party", name))
        shaper.uuids = {event.event_id: uuid_for("entry", event.event_id)}
        record = shaper.entry(event, None)
        yield event, record, not rules.check_record("entry", record)


def _newest_rows(path: Path, keep: frozenset[int]) -> Iterator[AcledEvent]:
    """The good rows on the lines kept (the newest row of each event id), in file order."""
    with streamed_rows(path) as rows:
        for row in rows:
            if not isinstance(row, BadRow) and row.line in keep:
                yield row


class _Writer(EventWriter):
    """ACLED events as entries, stored in bulk inside the caller's transaction."""

    def __init__(self, connection: Connection, analyst: str) -> None:
        super().__init__(connection, analyst)
        self.existing: dict[str, tuple[int, str]] = {}
        self.stamps: dict[str, str] = {}
        self.buried: set[str] = set()
        self.uuids: dict[str, str] = {}
        self.same = 0
        """Entries of events changed in ACLED whose content here came out the same."""
        self.source = uuid_for("source", "ACLED")
        self.claimant = uuid_for("party", "ACLED")
        self._kindless: dict[str, dict[str, Any]] = {}
        """Parties this import made for actors no row has yet given an ``inter``, by name."""

    def load_known(self) -> None:
        """What the project holds that every batch needs: its deletions and parties by name.

        Entries by event id and their ACLED timestamps are looked up a batch at a
        time (:meth:`sort`), so memory stays flat however many the project holds.
        """
        self.buried = {
            row[0]
            for row in self.connection.execute(
                text("SELECT uuid FROM tombstone WHERE kind = 'entry'")
            )
        }
        for name, existing_uuid in parties_by_name(self.connection).items():
            self.parties.setdefault(name, existing_uuid)

    def _look_up(self, events: list[AcledEvent]) -> None:
        """The project's entries and ACLED timestamps of this batch's event ids, by event id.

        Each event id comes once in an import (its newest row), so what earlier
        batches wrote is never asked for again.
        """
        ids = [e.event_id for e in events]
        rows = codec.rows_where_in(
            self.connection, "SELECT external_id, id, uuid FROM timeline_entry", "external_id", ids
        )
        self.existing = {ext: (row_id, row_uuid) for ext, row_id, row_uuid in rows}
        keys = [SETTING + event_id for event_id in ids]
        rows = codec.rows_where_in(
            self.connection, "SELECT key, value FROM project_setting", "key", keys
        )
        self.stamps = {key[len(SETTING) :]: value for key, value in rows}

    def sort(self, events: list[AcledEvent]) -> tuple[list[AcledEvent], list[AcledEvent], int]:
        """New events, events changed since the last import, and the count of unchanged ones.

        An event whose entry the analyst deleted here stays deleted (and is counted).
        """
        self._look_up(events)
        uuids = {e.event_id: uuid_for("entry", e.event_id) for e in events}
        self.uuids = uuids  # this batch's: the writes that follow ask for no other
        by_uuid = codec.ids_for_uuids(
            self.connection,
            codec.table("entry"),
            [uuids[e.event_id] for e in events if e.event_id not in self.existing],
        )
        for event in events:
            found = by_uuid.get(uuids[event.event_id])
            if event.event_id not in self.existing and found is not None:
                self.existing[event.event_id] = (found, uuids[event.event_id])
        fresh: list[AcledEvent] = []
        changed: list[AcledEvent] = []
        unchanged = 0
        for event in events:
            if event.event_id not in self.existing:
                if uuids[event.event_id] in self.buried:
                    self.deleted_here += 1
                else:
                    fresh.append(event)
                continue
            seen = self.stamps.get(event.event_id, "")
            if seen.isdigit() and event.timestamp is not None and event.timestamp <= int(seen):
                unchanged += 1
            else:
                changed.append(event)
        return fresh, changed, unchanged

    def write_parties_and_source(self, events: list[AcledEvent]) -> None:
        """The batch's new actors as parties (and ACLED as claimant), and the ACLED source.

        A new party's kind is that of the first ``inter`` the file gives its actor,
        whichever batch it comes in: a party this import made without one (an
        associated actor) takes the kind a later row gives.
        """
        names: dict[str, str] = {}
        for event in events:
            for name, _, inter in event.actors:
                if not names.get(name):
                    names[name] = inter
        for name, existing_uuid in parties_by_name(self.connection).items():
            self.parties.setdefault(name, existing_uuid)
        new_parties, settled = [], []
        for name, inter in names.items():
            folded = name.casefold()
            if folded in self.parties:
                made = self._kindless.get(folded)
                if made is not None and inter:
                    del self._kindless[folded]
                    settled.append({**made, "kind": _kind(inter)})
                continue
            record = {
                "uuid": uuid_for("party", name),
                "name": name,
                "kind": _kind(inter),
                "tags": "acled",
            }
            self.parties[folded] = record["uuid"]
            if not inter:
                self._kindless[folded] = record
            new_parties.append(record)
        if any(e.fatalities is not None for e in events):
            found = self.parties.setdefault("acled", self.claimant)
            self.claimant = found
            made = any(p["uuid"] == found for p in new_parties)  # an actor named ACLED
            if (
                found == uuid_for("party", "ACLED")
                and not made
                and not self._exists("party", found)
            ):
                new_parties.append(dict(CLAIMANT))
        self.parties_added += len(new_parties)
        source = self._source_record(events)
        self.store({"party": [*new_parties, *settled], "source": [source]})

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

    def write_entries(self, batch: list[AcledEvent], shaped: Shaped) -> None:
        """Store a batch of events in one bulk load, over what an update keeps.

        A new event's entry shaped while reading is taken as it is when it names
        the parties and claimant this writer gives it; it was held to the rules then.
        """
        current = self._current([e for e in batch if e.event_id in self.existing])
        entries = []
        checked = True
        for event in batch:
            held = current.get(event.event_id)
            made = shaped.get(event.event_id)
            if held is None and made is not None and self._as_shaped(event, made[0]):
                entries.append(made[0])
                checked = checked and made[1]
            else:
                entries.append(self.entry(event, held))
                checked = False
        before = {"entry": {record["uuid"]: record for record in current.values()}}
        unchanged = self.store({"entry": entries}, before, checked=checked)
        self.same += unchanged.get("entry", 0)

    def _as_shaped(self, event: AcledEvent, record: dict[str, Any]) -> bool:
        """Whether ``record`` is the entry this writer makes of the new event."""
        links = [
            {"party": self.parties[name.casefold()], "role": role} for name, role, _ in event.actors
        ]
        claims = record["claims"]
        return (
            record["uuid"] == self._uuid(event)
            and record["parties"] == union_links([], links)
            and len(claims) == (event.fatalities is not None)
            and all(c["claimant"] == self.claimant and c["source"] == self.source for c in claims)
            and record["sources"] == [self.source]
        )

    def _current(self, events: list[AcledEvent]) -> dict[str, dict[str, Any]]:
        by_id = {self.existing[e.event_id][0]: e.event_id for e in events}
        return {
            by_id[r["_id"]]: r
            for r in codec.dump(self.connection, "entry", list(by_id), with_ids=True)
        }

    def entry(self, event: AcledEvent, current: dict[str, Any] | None) -> dict[str, Any]:
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
            start_utc=utc_text(event.start_utc),
            zone=event.zone,
            precision=event.precision.value,
            place=event.place,
            latitude=event.latitude,
            longitude=event.longitude,
            external_id=event.event_id,
            claims=self._claims(event, record.get("claims") or []),
            tags=join_tags([*split_tags(old_tags), *tags]) if old_tags else _tags(tuple(tags)),
            parties=union_links(record.get("parties") or [], parties),
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
        rows = [(SETTING + e.event_id, str(e.timestamp)) for e in events if e.timestamp is not None]
        if rows:
            self.connection.exec_driver_sql(
                "INSERT INTO project_setting(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                rows,  # type: ignore[arg-type]
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


@lru_cache(maxsize=4096)
def utc_text(moment: datetime) -> str:
    """A day's start as document time text (cached: many events share a day)."""
    return codec.time_to_text(moment) or ""


@lru_cache(maxsize=256)
def _tags(tags: tuple[str, ...]) -> str:
    return join_tags(list(tags))
