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

The file is read as a stream (in a second process when it is large, see
:mod:`briefing.io.child_rows`) and stored in batches inside one transaction, so
memory does not grow with the file; a bad row (named by its line) rolls the
whole import back unless bad rows are to be skipped. :func:`import_ucdp` is a
generator yielding progress, like the ACLED import.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import closing
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import Connection

from briefing.io.acled import utc_text
from briefing.io.child_rows import Check, never, produced
from briefing.io.csv_rows import BadRow, TextLines, text_lines
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
    name_uuid,
    parties_by_name,
    rows_error,
    union_links,
)
from briefing.io.ucdp_csv import GedEvent, GedSide, read_rows
from briefing.model import codec, rules
from briefing.model.base import join_tags, split_tags
from briefing.model.vocab import PartyKind
from briefing.store.project import Project

NAMESPACE = uuid.UUID("5d0c8f3a-2b61-4c7e-8a9f-1e2d3c4b5a69")
TAG = "ucdp"


def uuid_for(kind: str, key: str) -> str:
    """A UUID (version 5, as :func:`uuid.uuid5` makes it) derived from the event data."""
    return name_uuid(NAMESPACE, f"{kind}:{key}")


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
    project: Project, path: Path, skip_bad_rows: bool = False, check: Check = never
) -> Iterator[ImportProgress]:
    """Read, check and store the events of one GED file, yielding progress (bytes read).

    Rows become entries held to the rules by :class:`_Entries`, in a second
    process for a large file (:mod:`briefing.io.child_rows`); this one stores them.
    What ``check`` raises while waiting for that process ends the import, rolled back.
    """
    path = Path(path)
    bad: list[BadRow] = []
    bad_count = 0
    size = path.stat().st_size if path.is_file() else 0
    with text_lines(path, "UCDP"), bulk_transaction(project, size) as connection:  # readable first
        total = max(size, 1)
        writer = _Writer(connection, project.analyst)
        writer.start()
        made = produced(partial(_made, path, writer.parties), total, path.name, check)
        with closing(made):  # a refusal or a stop ends the reading process at once
            batch: dict[str, Prepared] = {}
            for done, row in made:
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
                    yield ImportProgress(min(done, total), total, "Importing events")
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


class Prepared(NamedTuple):
    """One event as the entry a first import makes of it, and the parties it named first."""

    event_id: str
    record: dict[str, Any]
    checked: bool
    """Whether the record was held to the rules as it is (it was, unless it broke one)."""
    parties: list[dict[str, Any]]


def _made(path: Path, parties: dict[str, str]) -> Iterator[tuple[int, Prepared | BadRow]]:
    """(bytes read, the event's entry or the bad row) for every row of the file, in order.

    Needs only the file's path and the project's parties by name, so it runs as
    well in the reading process (:mod:`briefing.io.child_rows`).
    """
    with text_lines(path, "UCDP") as lines:
        yield from _Entries(parties).made(lines)


class _Entries:
    """Rows of a GED file as new entries, each held to the model's rules.

    Knows the parties by case-folded name (the project's, then each new side's),
    so it needs nothing from the project while it reads.
    """

    def __init__(self, parties: dict[str, str]) -> None:
        self.parties = dict(parties)
        self._made: set[str] = set()
        """The UUIDs of the parties this file named first."""
        self._tags: dict[str, str] = {}
        """The tags of a new entry, per type of violence."""

    def made(self, lines: TextLines) -> Iterator[tuple[int, Prepared | BadRow]]:
        """(bytes read, the event's entry or the bad row) for every row, in file order."""
        for row in read_rows(lines, lines.name):
            if isinstance(row, BadRow):
                yield lines.bytes_read(), row
                continue
            new = self._new_parties(row)
            record = self.entry(row)
            checked = not rules.check_record("entry", record)
            yield lines.bytes_read(), Prepared(row.event_id, record, checked, new)

    def _new_parties(self, event: GedEvent) -> list[dict[str, Any]]:
        new = []
        for side in (event.side_a, event.side_b):
            if side is None or _is_civilians(side) or side.name.casefold() in self.parties:
                continue
            party_uuid = uuid_for("party", side.ucdp_id or side.name)
            self.parties[side.name.casefold()] = party_uuid
            if party_uuid in self._made:
                continue  # one UCDP actor id under a second name: the same party
            self._made.add(party_uuid)
            new.append(
                {
                    "uuid": party_uuid,
                    "name": side.name,
                    "kind": _kind(side.name).value,
                    "description": f"UCDP actor id {side.ucdp_id}." if side.ucdp_id else "",
                    "tags": TAG,
                }
            )
        return new

    def _party(self, side: GedSide | None) -> str | None:
        if side is None or _is_civilians(side):
            return None
        return self.parties[side.name.casefold()]

    def entry(self, event: GedEvent) -> dict[str, Any]:
        """The entry a first import makes of the event."""
        sides = (self._party(event.side_a), self._party(event.side_b))
        parties = [{"party": party, "role": "involved"} for party in sides if party is not None]
        tags = self._tags.get(event.violence) or self._tags.setdefault(
            event.violence, join_tags([TAG, *([event.violence] if event.violence else [])])
        )
        record: dict[str, Any] = {
            "uuid": uuid_for("entry", event.event_id),
            "title": event.title,
            "description": event.description,
            "start_utc": utc_text(event.start_utc),
            "end_utc": utc_text(event.end_utc) if event.end_utc else None,
            "zone": event.zone,
            "precision": event.precision.value,
            "place": event.place,
            "latitude": event.latitude,
            "longitude": event.longitude,
            "external_id": f"UCDP-GED:{event.event_id}",
            "tags": tags,
            "parties": union_links([], parties),
            "sources": [SOURCE["uuid"]],
            "claims": _claims(event, sides),
        }
        if event.clarity == "1":
            record["credibility"] = 2
        return record


UPDATED = (
    "title", "description", "start_utc", "end_utc", "zone", "precision", "place", "latitude",
    "longitude", "external_id",
)  # fmt: skip
"""The fields of an entry a later release replaces."""


def updated(new: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """The entry a later release makes of ``current``, the project's, from ``new``, its own.

    UCDP's fields and claims are replaced; the analyst's status, credibility,
    label, notes and own claims stay; tags, parties and sources are only added.
    """
    record = dict(current)
    record.update((key, new[key]) for key in UPDATED)
    record["tags"] = join_tags([*split_tags(record.get("tags", "")), *split_tags(new["tags"])])
    record["parties"] = union_links(record.get("parties") or [], new["parties"])
    record["sources"] = sorted({*(record.get("sources") or []), SOURCE["uuid"]})
    others = [c for c in record.get("claims") or [] if c["claimant"] != CLAIMANT["uuid"]]
    record["claims"] = [*new["claims"], *others]
    return record


class _Writer(EventWriter):
    """Prepared entries and their new parties, stored batch by batch in the caller's transaction."""

    def __init__(self, connection: Connection, analyst: str) -> None:
        super().__init__(connection, analyst)
        self.added = self.updated = self.unchanged = 0
        self._started = False

    def start(self) -> None:
        """Know the parties by name, before the rows are read."""
        self.parties.update(parties_by_name(self.connection))

    def _store_fixed(self) -> None:
        """Store the claimant and the source once, with the first batch."""
        self._started = True
        fixed: codec.Records = {}
        if not codec.ids_for_uuids(self.connection, codec.table("party"), [CLAIMANT["uuid"]]):
            fixed["party"] = [dict(CLAIMANT)]
            self.parties_added += 1
        if not codec.ids_for_uuids(self.connection, codec.table("source"), [SOURCE["uuid"]]):
            fixed["source"] = [dict(SOURCE)]
        if fixed:
            self.store(fixed, {kind: {} for kind in fixed})

    def write(self, batch: list[Prepared]) -> None:
        if not self._started:
            self._store_fixed()
        self._write_parties([p for item in batch for p in item.parties])
        uuids = [item.record["uuid"] for item in batch]
        found = codec.ids_for_uuids(self.connection, codec.table("entry"), uuids)
        deleted = buried(self.connection, [u for u in uuids if u not in found])
        current = {r["uuid"]: r for r in codec.dump(self.connection, "entry", list(found.values()))}
        entries = []
        checked = not current
        for item in batch:
            entry_uuid = item.record["uuid"]
            if entry_uuid in deleted:
                self.deleted_here += 1
                continue
            held = current.get(entry_uuid)
            entries.append(item.record if held is None else updated(item.record, held))
            checked = checked and item.checked
        if not entries:
            return
        unchanged = self.store({"entry": entries}, {"entry": current}, checked=checked)
        same = unchanged.get("entry", 0)
        fresh = len(entries) - len(found.keys() & {e["uuid"] for e in entries})
        self.added += fresh
        self.updated += len(entries) - fresh - same
        self.unchanged += same

    def _write_parties(self, new: list[dict[str, Any]]) -> None:
        """Store the sides first named in this batch, but one UCDP renamed (same id) again."""
        if not new:
            return
        taken = codec.ids_for_uuids(self.connection, codec.table("party"), [r["uuid"] for r in new])
        new = [r for r in new if r["uuid"] not in taken]
        self.store({"party": new}, {"party": {}})
        self.parties_added += len(new)


def _claims(event: GedEvent, sides: tuple[str | None, str | None]) -> list[dict[str, Any]]:
    """UCDP's claims for the event; ``sides`` are the UUIDs of side A's and B's parties."""
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
        ours.append(_claim(event, column, where, None, value, None))
    low, best, high = figures["low"], figures["best"], figures["high"]
    if low is not None or best is not None or high is not None:
        ours.append(_claim(event, "total", ("all sides", None), low, best, high))
    return ours


def _claim(
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
