"""Timeline entries as the window's map shows them, read from SQL as plain data.

Markers are sized by each entry's best-estimate casualties (see
:mod:`briefing.services.entry_claims`).

The map shows every entry, the entries of one briefing, or a given list (the
library's filter); those without a valid position are returned apart, to be
listed as "not on the map" rather than drawn at 0, 0.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import itemgetter
from typing import Any

import numpy as np
from sqlalchemy import Connection, Engine, NullPool, create_engine, text

from briefing.figures.markers import EventColumns, MapEvent, on_map
from briefing.model.base import from_utc_text
from briefing.model.codec.sql import fetch, rows_where_in
from briefing.model.vocab import Verification
from briefing.services.charts import parties
from briefing.services.entry_claims import casualty_totals
from briefing.store.interface import ProjectStore
from briefing.store.verify import open_read_only

_PACK = 1 << 40
STATUSES = tuple(v.value for v in Verification)
_STATUS_CODE = " ".join(f"WHEN '{v}' THEN {n}" for n, v in enumerate(STATUSES))
_ENTRIES = (
    "SELECT id, latitude, longitude,"
    " CAST(strftime('%s', substr(start_utc, 1, 19)) AS INTEGER),"
    f" CASE status {_STATUS_CODE}"
    " ELSE -1 END,"
    " (SELECT min((CASE ep.role WHEN 'initiator' THEN 0 WHEN 'target' THEN 1 ELSE 2 END)"
    f" * {_PACK} + ep.party_id) FROM entry_party ep WHERE ep.entry_id = timeline_entry.id)"
    f" % {_PACK}"
    " FROM timeline_entry"
)
"""One row per entry, as numbers where it can be: SQLite turns the start into seconds and the
status into its place in :data:`STATUSES`, and titles are read only when one is needed, so
a hundred thousand rows decode no text;
the last column is the party the marker is coloured by: the initiator, else the first
(role rank, then party id, packed in one number, of which the id is kept)."""


@dataclass(frozen=True)
class Unplaced:
    entry_id: int
    title: str


@dataclass(frozen=True)
class MapEvents:
    events: Sequence[MapEvent]
    """Entries with a valid position, in time order; ``key`` is the entry id (as columns:
    :class:`briefing.figures.markers.EventColumns`)."""
    off_map: tuple[Unplaced, ...]
    """The first :data:`UNPLACED_LISTED` entries without a valid position (by id)."""
    starts: np.ndarray = field(default_factory=lambda: np.array([], "datetime64[s]"))
    """Each event's start (UTC, to the second), as an array for filtering by time."""
    lons: np.ndarray = field(default_factory=lambda: np.array([], float))
    lats: np.ndarray = field(default_factory=lambda: np.array([], float))
    """The events' positions as arrays, for projecting them all at once."""
    off_map_count: int = -1
    """How many entries have no valid position; -1: as many as :attr:`off_map` lists."""

    @property
    def unplaced(self) -> int:
        """How many entries are not on the map, listed or not."""
        return len(self.off_map) if self.off_map_count < 0 else self.off_map_count


def briefing_entry_ids(project: ProjectStore, briefing_id: int) -> list[int]:
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


UNPLACED_LISTED = 1_000
"""Entries not on the map whose titles are read and listed: a project of a million entries
without coordinates is counted, not listed whole (a list nobody reads, built for minutes)."""

STEP = 5_000
"""Entries read by one statement of a worker: a save waits for one statement at most."""


class Superseded(Exception):
    """A worker's read stopped because a newer one was asked for."""


def map_events(
    project: ProjectStore,
    ids: Iterable[int] | None = None,
    engine: Engine | None = None,
    wanted: Callable[[], bool] = lambda: True,
) -> MapEvents:
    """Every entry (or those of ``ids``) split into drawn and not drawn.

    ``engine``: read through this one instead of the project's (see :func:`reader`), in
    short statements, so that the window's saves never wait long for the file, and
    stopped (:class:`Superseded`) once ``wanted`` says the read is no longer wanted;
    titles asked for later are read through the project's.
    """
    worker = engine is not None
    engine = engine or project.engine
    with engine.connect() as connection:
        known = parties(connection)
        # In table order, sorted below: ORDER BY start_utc would read rows through the index,
        # one page at a time, three times slower for a large project.
        if ids is None and worker:
            rows = _in_steps(connection, wanted)
        elif ids is None:
            rows = fetch(connection, _ENTRIES + " ORDER BY id")
        else:
            rows = rows_where_in(connection, _ENTRIES, "id", ids)
        every = ids is None and not worker
        casualties = casualty_totals(connection, None if every else [r[0] for r in rows])
    if not rows:
        return MapEvents((), ())
    # Column by column: zip(*rows) walks a hundred thousand rows at once, eight times slower.
    ids, lats, lons, seconds, codes, packed = (list(map(itemgetter(k), rows)) for k in range(6))
    placed = placed_mask(lats, lons)
    off = np.flatnonzero(~placed)
    listed = [ids[i] for i in off[:UNPLACED_LISTED].tolist()]
    unplaced = tuple(map(Unplaced, listed, _titles(engine, listed))) if listed else ()
    where = np.flatnonzero(placed)
    if None in seconds:  # a start SQLite cannot read as a time (the file was not checked)
        moments = _seconds(_starts(engine, [ids[i] for i in where.tolist()]))
    else:
        moments = np.array(seconds, dtype=np.int64)[where].astype("datetime64[s]")
    order = np.argsort(moments, kind="stable")  # by time, then by id
    chosen = where[order]
    pick = _picker(chosen.tolist())
    keys = pick(ids)
    looks = {party_id: (party.label, party.colour) for party_id, party in known.items()}
    party_ids = pick(packed)
    events = EventColumns(
        keys,
        lambda: _titles(project.engine, keys),
        np.array(pick(lons), dtype=float),
        np.array(pick(lats), dtype=float),
        list(map((*STATUSES, "").__getitem__, pick(codes))),
        list(map(looks.get, party_ids, repeat(("", "")))),
        list(map(casualties.get, keys, repeat(0))),
    )
    return MapEvents(events, unplaced, moments[order], events.lons, events.lats, len(off))


def _in_steps(connection: Connection, wanted: Callable[[], bool]) -> list[Any]:
    """Every entry's map columns, read :data:`STEP` rows to a statement."""
    rows: list[Any] = []
    after = None
    while True:
        if not wanted():
            raise Superseded
        where = "" if after is None else f" WHERE id > {int(after)}"
        part = fetch(connection, f"{_ENTRIES}{where} ORDER BY id LIMIT {STEP}")
        rows += part
        if len(part) < STEP:
            return rows
        after = part[-1][0]


def _picker(index: list[int]) -> Callable[[Sequence[Any]], list[Any]]:
    """A function taking the items at ``index`` from a sequence, at C speed."""
    if len(index) == 1:
        return lambda values: [values[index[0]]]
    if not index:
        return lambda values: []
    get = itemgetter(*index)
    return lambda values: list(get(values))


def placed_mask(lats: Sequence[object], lons: Sequence[object]) -> np.ndarray:
    """Which positions may be drawn: :func:`on_map` for each, as array work where it can be.

    A column of plain numbers and NULLs is checked in arrays; anything else (text,
    true or false, a number beyond a float) goes through the model's rules one by one.
    """
    kinds = set(map(type, lats)) | set(map(type, lons))
    if kinds <= {float, int, type(None)}:
        try:
            lat = np.array(lats, dtype=float)
            lon = np.array(lons, dtype=float)
        except OverflowError:
            pass
        else:
            with np.errstate(invalid="ignore"):
                return (
                    np.isfinite(lat)
                    & np.isfinite(lon)
                    & (np.abs(lat) <= 90.0)
                    & (np.abs(lon) <= 180.0)
                )
    return np.fromiter(
        (on_map(lat, lon) for lat, lon in zip(lats, lons, strict=True)), bool, len(lats)
    )


def reader(project: ProjectStore) -> Engine | None:
    """An engine of its own over the project's file, to read the map on another thread.

    The project's engine holds one connection, which a second thread must not share;
    this one reads without any right to write. None on a server.
    """
    if project.engine.dialect.name != "sqlite":
        return None
    path = project.path
    return create_engine("sqlite://", creator=lambda: open_read_only(path), poolclass=NullPool)


def _titles(engine: Engine, ids: list[int]) -> list[str]:
    """The titles of entries, in the order of ``ids``."""
    with engine.connect() as connection:
        sql = "SELECT id, title FROM timeline_entry"
        found = dict(rows_where_in(connection, sql, "id", ids))
    return [found.get(i, "") for i in ids]


def _starts(engine: Engine, ids: list[int]) -> list[str]:
    """The stored start texts of entries, in the order of ``ids``."""
    with engine.connect() as connection:
        found = dict(
            rows_where_in(connection, "SELECT id, start_utc FROM timeline_entry", "id", ids)
        )
    return [found[i] for i in ids]


def _seconds(texts: list[str]) -> np.ndarray:
    """Stored UTC texts as an array of instants, parsed by NumPy (the model's parser if odd)."""
    try:
        return np.array([t[:19] for t in texts], dtype="datetime64[s]")
    except ValueError:
        moments = [from_utc_text(t).replace(tzinfo=None) for t in texts]
        return np.array(moments, dtype="datetime64[s]")
