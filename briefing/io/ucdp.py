"""Import UCDP GED events as timeline entries (``briefing import FILE ged.csv``).

Each event becomes a timeline entry: title from the dyad and place, dates from
``date_start``/``date_end`` at local midnight in the country's zone with
``date_prec`` as the precision (and in words in the description, with
``where_prec``), place and coordinates, the source text UCDP cites, and the two
sides as parties (created once, by UCDP actor id or name). The figures become
casualty claims by the party "UCDP", citing one "UCDP GED" source: deaths of side
A and B, of civilians and of unknown affiliation (each when above zero), and
``low``/``best``/``high`` as the event's total for all sides. ``id`` (or
``relid``) is the entry's external id, so importing a later release updates the
entries: UCDP's fields and claims are replaced; the analyst's status,
credibility, label, notes and own claims stay; parties, sources and tags are
only ever added. An event whose entry the analyst deleted stays deleted.

The file is read as a stream and stored in batches inside one transaction, so
memory does not grow with the file; a bad row (named by its line) rolls the
whole import back unless bad rows are to be skipped. :func:`import_ucdp` is a
generator yielding progress, like the ACLED import.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from briefing.io.acled import utc_text
from briefing.io.csv_rows import BadRow, text_lines
from briefing.io.event_import import (
    BATCH,
    MAX_LISTED,
    EventReport,
    EventRowsError,
    EventWriter,
    ImportProgress,
    bulk_transaction,
    buried,
    last_report,
    parties_by_name,
    rows_error,
    union_links,
)
from briefing.io.ucdp_csv import GedEvent, GedSide, read_rows
from briefing.model import codec
from briefing.model.base import join_tags, split_tags
from briefing.model.vocab import PartyKind
from briefing.store.project import Project

NAMESPACE = uuid.UUID("5d0c8f3a-2b61-4c7e-8a9f-1e2d3c4b5a69")
_PREFIX = NAMESPACE.bytes
TAG = "ucdp"


def uuid_for(kind: str, key: str) -> str:
    """A UUID (version 5, as :func:`uuid.uuid5` makes it) derived from the event data.

    Written out by hand: the standard function costs more than the rest of a row's
    work when every row makes six of them.
    """
    digest = hashlib.sha1(_PREFIX + f"{kind}:{key}".encode()).hexdigest()
    variant = "89ab"[int(digest[16], 16) & 3]
    return f"{digest[:8]}-{digest[8:12]}-5{digest[13:16]}-{variant}{digest[17:20]}-{digest[20:32]}"


CLAIMANT = {
    "uuid": uuid_for("party", "UCDP"),
    "name": "Uppsala Conflict Data Program",
    "short_name": "UCDP",
    "kind": PartyKind.ORGANISATION.value,
    "description": "Uppsala Conflict Data Program: claims the figures of its event data.",
    "tags": TAG,
}
SOURCE = {
    "uuid": uuid_for("source", "UCDP GED"),
    "title": "UCDP Georeferenced Event Dataset (GED)",
    "publisher": "Uppsala Conflict Data Program (UCDP)",
    "url": "https://ucdp.uu.se",
    "kind": "dataset",
    "reliability": "B",
    "description": "Events imported from UCDP GED CSV files.",
}


GedRowsError = EventRowsError
GedReport = EventReport


def run_ucdp_import(project: Project, path: Path, skip_bad_rows: bool = False) -> EventReport:
    """Import without showing progress; returns the report."""
    return last_report(import_ucdp(project, path, skip_bad_rows))


def import_ucdp(
    project: Project, path: Path, skip_bad_rows: bool = False
) -> Iterator[ImportProgress]:
    """Read, check and store the events of one GED file, yielding progress (bytes read)."""
    path = Path(path)
    bad: list[BadRow] = []
    bad_count = 0
    with text_lines(path, "UCDP") as lines, bulk_transaction(project) as connection:
        total = max(path.stat().st_size, 1)
        writer = _Writer(connection, project.analyst)
        batch: dict[str, GedEvent] = {}
        for row in read_rows(lines, path.name):
            if isinstance(row, BadRow):
                bad_count += 1
                if len(bad) < MAX_LISTED:
                    bad.append(row)
                continue
            batch.pop(row.event_id, None)
            batch[row.event_id] = row
            if len(batch) >= BATCH:
                if not bad_count or skip_bad_rows:
                    writer.write(list(batch.values()))
                batch.clear()
                yield ImportProgress(min(lines.bytes_read(), total), total, "Importing events")
        if bad_count and not skip_bad_rows:
            raise rows_error(path.name, bad, bad_count)
        if batch:
            writer.write(list(batch.values()))
    report = EventReport(
        path.name,
        writer.added,
        writer.updated,
        writer.unchanged,
        writer.parties_added,
        tuple(bad),
        bad_count,
        writer.deleted_here,
    )
    yield ImportProgress(total, total, "Done", report)


class _Writer(EventWriter):
    """GED events as entries, stored batch by batch in the caller's transaction."""

    def __init__(self, connection: Connection, analyst: str) -> None:
        super().__init__(connection, analyst)
        self.added = self.updated = self.unchanged = 0
        self._started = False
        self._tags: dict[str, str] = {}
        """The tags of a new entry, per type of violence."""

    def _start(self) -> None:
        """Know the parties by name, and store the claimant and the source once."""
        self._started = True
        self.parties.update(parties_by_name(self.connection))
        fixed: codec.Records = {}
        if not codec.ids_for_uuids(self.connection, codec.table("party"), [CLAIMANT["uuid"]]):
            fixed["party"] = [dict(CLAIMANT)]
            self.parties_added += 1
        if not codec.ids_for_uuids(self.connection, codec.table("source"), [SOURCE["uuid"]]):
            fixed["source"] = [dict(SOURCE)]
        if fixed:
            self.store(fixed, {kind: {} for kind in fixed})

    def write(self, events: list[GedEvent]) -> None:
        if not self._started:
            self._start()
        self._write_parties(events)
        uuids = [uuid_for("entry", e.event_id) for e in events]
        found = codec.ids_for_uuids(self.connection, codec.table("entry"), uuids)
        deleted = buried(self.connection, [u for u in uuids if u not in found])
        current = {r["uuid"]: r for r in codec.dump(self.connection, "entry", list(found.values()))}
        entries = []
        for event, entry_uuid in zip(events, uuids, strict=True):
            if entry_uuid in deleted:
                self.deleted_here += 1
                continue
            entries.append(self._entry(event, entry_uuid, current.get(entry_uuid)))
        if not entries:
            return
        unchanged = self.store({"entry": entries}, {"entry": current})
        same = unchanged.get("entry", 0)
        fresh = len(entries) - len(found.keys() & {e["uuid"] for e in entries})
        self.added += fresh
        self.updated += len(entries) - fresh - same
        self.unchanged += same

    def _write_parties(self, events: list[GedEvent]) -> None:
        new = []
        for event in events:
            for side in (event.side_a, event.side_b):
                if side is None or _is_civilians(side) or side.name.casefold() in self.parties:
                    continue
                record = {
                    "uuid": uuid_for("party", side.ucdp_id or side.name),
                    "name": side.name,
                    "kind": _kind(side.name).value,
                    "description": f"UCDP actor id {side.ucdp_id}." if side.ucdp_id else "",
                    "tags": TAG,
                }
                self.parties[side.name.casefold()] = record["uuid"]
                new.append(record)
        if new:
            taken = codec.ids_for_uuids(
                self.connection, codec.table("party"), [r["uuid"] for r in new]
            )
            new = [r for r in new if r["uuid"] not in taken]  # same id, renamed by UCDP
            self.store({"party": new}, {"party": {}})
            self.parties_added += len(new)

    def _party(self, side: GedSide | None) -> str | None:
        if side is None or _is_civilians(side):
            return None
        return self.parties[side.name.casefold()]

    def _entry(
        self, event: GedEvent, entry_uuid: str, current: dict[str, Any] | None
    ) -> dict[str, Any]:
        record: dict[str, Any] = dict(current) if current else {"uuid": entry_uuid}
        sides = (self._party(event.side_a), self._party(event.side_b))
        parties = [{"party": party, "role": "involved"} for party in sides if party is not None]
        own_tags = [TAG, *([event.violence] if event.violence else [])]
        if current is None:  # the usual case of a first import: nothing of ours to keep
            tags = self._tags.get(event.violence) or self._tags.setdefault(
                event.violence, join_tags(own_tags)
            )
            links, sources = union_links([], parties), [SOURCE["uuid"]]
        else:
            tags = join_tags([*split_tags(record.get("tags", "")), *own_tags])
            links = union_links(record.get("parties") or [], parties)
            sources = sorted({*(record.get("sources") or []), SOURCE["uuid"]})
        record.update(
            title=event.title,
            description=event.description,
            start_utc=utc_text(event.start_utc),
            end_utc=utc_text(event.end_utc) if event.end_utc else None,
            zone=event.zone,
            precision=event.precision.value,
            place=event.place,
            latitude=event.latitude,
            longitude=event.longitude,
            external_id=f"UCDP-GED:{event.event_id}",
            tags=tags,
            parties=links,
            sources=sources,
            claims=self._claims(event, sides, record.get("claims") or []),
        )
        if current is None and event.clarity == "1":
            record["credibility"] = 2
        return record

    def _claims(
        self, event: GedEvent, sides: tuple[str | None, str | None], claims: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """UCDP's claims for the event, then the others (an update replaces UCDP's own).

        ``sides`` are the UUIDs of the parties of side A and B (None for civilians).
        """
        ours = []
        figures = event.figures
        columns = (
            ("deaths_a", event.side_a, sides[0]),
            ("deaths_b", event.side_b, sides[1]),
            ("deaths_civilians", None, None),
            ("deaths_unknown", None, None),
        )
        for column, side, party in columns:
            value = figures[column]
            if not value:
                continue
            if side is not None and party is None:
                continue  # side B is "Civilians": the same deaths as deaths_civilians
            if column == "deaths_unknown":
                where: tuple[str, str | None] = ("unknown", None)
            elif party is None:
                where = ("civilians", None)
            else:
                where = ("party", party)
            ours.append(self._claim(event, column, where, None, value, None))
        low, best, high = figures["low"], figures["best"], figures["high"]
        if low is not None or best is not None or high is not None:
            ours.append(self._claim(event, "total", ("all sides", None), low, best, high))
        if not claims:
            return ours
        return [*ours, *(c for c in claims if c["claimant"] != CLAIMANT["uuid"])]

    def _claim(
        self,
        event: GedEvent,
        key: str,
        where: tuple[str, str | None],
        low: int | None,
        best: int | None,
        high: int | None,
    ) -> dict[str, Any]:
        return {
            "uuid": uuid_for("claim", f"{event.event_id}/{key}"),
            "side": where[0],
            "party": where[1],
            "category": "killed",
            "low": low,
            "best": best,
            "high": high,
            "words": "",
            "claimant": CLAIMANT["uuid"],
            "source": SOURCE["uuid"],
            "claimed_at": None,
        }


def _is_civilians(side: GedSide) -> bool:
    return side.name.strip().casefold() == "civilians"


def _kind(name: str) -> PartyKind:
    if name.startswith("Government of"):
        return PartyKind.STATE
    return PartyKind.NON_STATE_ARMED_GROUP
