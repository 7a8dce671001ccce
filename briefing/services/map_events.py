"""Timeline entries as the window's map shows them, read from SQL as plain data.

Markers are sized by each entry's best-estimate casualties (see
:mod:`briefing.services.entry_claims`).

The map shows every entry, the entries of one briefing, or a given list (the
library's filter); those without a valid position are returned apart, to be
listed as "not on the map" rather than drawn at 0, 0.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import Connection, text

from briefing.figures.markers import MapEvent, on_map
from briefing.model.base import from_utc_text
from briefing.model.codec.sql import chunks, fetch, rows_where_in
from briefing.services.charts import PartyInfo, parties
from briefing.services.entry_claims import casualty_totals
from briefing.store.project import Project

_ENTRIES = "SELECT id, title, latitude, longitude, start_utc, status FROM timeline_entry"
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
    starts: np.ndarray = field(default_factory=lambda: np.array([], "datetime64[s]"))
    """Each event's start (UTC, to the second), as an array for filtering by time."""
    lons: np.ndarray = field(default_factory=lambda: np.array([], float))
    lats: np.ndarray = field(default_factory=lambda: np.array([], float))
    """The events' positions as arrays, for projecting them all at once."""


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
        # In table order, sorted below: ORDER BY start_utc would read rows through the index,
        # one page at a time, three times slower for a large project.
        if ids is None:
            rows = fetch(connection, _ENTRIES + " ORDER BY id")
        else:
            rows = rows_where_in(connection, _ENTRIES, "id", ids)
        party_of = _parties_of(connection, known, ids is None, [r[0] for r in rows])
        casualties = casualty_totals(connection, None if ids is None else [r[0] for r in rows])
    events, unplaced, starts = [], [], []
    for entry_id, title, lat, lon, start, status in rows:
        if not on_map(lat, lon):
            unplaced.append(Unplaced(entry_id, title))
            continue
        party = party_of.get(entry_id)
        events.append(
            MapEvent(
                entry_id,
                title,
                float(lon),
                float(lat),
                status,
                party.label if party else "",
                party.colour if party else "",
                casualties.get(entry_id, 0),
            )
        )
        starts.append(start)
    moments = _seconds(starts)
    order = np.argsort(moments, kind="stable")  # by time, then by id
    lons = np.fromiter((e.lon for e in events), float, len(events))[order]
    lats = np.fromiter((e.lat for e in events), float, len(events))[order]
    ordered = tuple(events[i] for i in order.tolist())
    return MapEvents(ordered, tuple(unplaced), moments[order], lons, lats)


def _seconds(texts: list[str]) -> np.ndarray:
    """Stored UTC texts as an array of instants, parsed by NumPy (the model's parser if odd)."""
    try:
        return np.array([t[:19] for t in texts], dtype="datetime64[s]")
    except ValueError:
        moments = [from_utc_text(t).replace(tzinfo=None) for t in texts]
        return np.array(moments, dtype="datetime64[s]")


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
