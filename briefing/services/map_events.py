"""Timeline entries as the window's map shows them, read from SQL as plain data.

The map shows every entry, the entries of one briefing, or a given list (the
library's filter); those without a valid position are returned apart, to be
listed as "not on the map" rather than drawn at 0, 0.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, text

from briefing.figures.markers import MapEvent, on_map
from briefing.model.base import from_utc_text
from briefing.model.codec.sql import chunks, fetch, rows_where_in
from briefing.services.charts import PartyInfo, parties
from briefing.store.project import Project

_ENTRIES = (
    "SELECT id, title, latitude, longitude, start_utc, status,"
    " max(coalesce(killed, 0), 0) + max(coalesce(wounded, 0), 0) + max(coalesce(captured, 0), 0)"
    " FROM timeline_entry"
)
_PACK = 1 << 40


@dataclass(frozen=True)
class Unplaced:
    entry_id: int
    title: str


@dataclass(frozen=True)
class MapEvents:
    events: tuple[MapEvent, ...]
    """Entries with a valid position, in time order; ``key`` is the entry id."""
    off_map: tuple[Unplaced, ...]


def briefing_entry_ids(project: Project, briefing_id: int) -> list[int]:
    """The timeline entries a briefing's sections reference."""
    with project.engine.connect() as connection:
        return [
            row[0]
            for row in connection.execute(
                text(
                    "SELECT DISTINCT i.entry_id FROM section_item i JOIN section s"
                    " ON s.id = i.section_id WHERE s.briefing_id = :b AND i.entry_id IS NOT NULL"
                ),
                {"b": briefing_id},
            )
        ]


def map_events(project: Project, ids: Iterable[int] | None = None) -> MapEvents:
    """Every entry (or those of ``ids``) split into drawn and not drawn."""
    with project.engine.connect() as connection:
        known = parties(connection)
        if ids is None:
            rows = fetch(connection, _ENTRIES)
        else:
            rows = rows_where_in(connection, _ENTRIES, "id", ids)
        party_of = _parties_of(connection, known, ids is None, [r[0] for r in rows])
    rows.sort(key=lambda r: (r[4], r[0]))
    events, unplaced = [], []
    for entry_id, title, lat, lon, start, status, casualties in rows:
        if not on_map(lat, lon):
            unplaced.append(Unplaced(entry_id, title))
            continue
        party = party_of.get(entry_id)
        events.append(
            MapEvent(
                key=entry_id,
                title=title,
                lon=float(lon),
                lat=float(lat),
                status=status,
                party=party.label if party else "",
                party_colour=party.colour if party else "",
                casualties=casualties,
                when=_moment(start),
            )
        )
    return MapEvents(tuple(events), tuple(unplaced))


def _moment(value: str) -> datetime:
    """The stored UTC text read fast (the C parser); the model's own parser as a fallback."""
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return from_utc_text(value)


def _parties_of(
    connection: Connection, known: dict[int, PartyInfo], every: bool, ids: list[int]
) -> dict[int, PartyInfo]:
    """For each entry, the party its marker is coloured by: the initiator, else the first.

    SQL picks it (role rank, then party id, packed in one number) so that a hundred
    thousand entries come back as one row each.
    """
    sql = (
        "SELECT entry_id, min((CASE role WHEN 'initiator' THEN 0 WHEN 'target' THEN 1"
        f" ELSE 2 END) * {_PACK} + party_id) FROM entry_party"
    )
    if every:
        rows = fetch(connection, sql + " GROUP BY entry_id")
    else:
        rows = [
            row
            for chunk in chunks(sorted(set(ids)))
            for row in fetch(
                connection,
                f"{sql} WHERE entry_id IN ({','.join('?' * len(chunk))}) GROUP BY entry_id",
                chunk,
            )
        ]
    found = {}
    for entry_id, packed in rows:
        party = known.get(packed % _PACK)
        if party is not None:
            found[entry_id] = party
    return found
