"""What the timeline chart and the relationship diagram draw, read from SQL as plain data.

The GUI lays these out and paints them; nothing here knows about Qt, so the PDF
exporter can draw the same pictures from the same data.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, text

from briefing.model import rules, times
from briefing.model.base import from_utc_text
from briefing.model.times import when_text
from briefing.services.entry_claims import casualty_totals
from briefing.store.interface import ProjectStore

NO_PARTY_LANE = "No party"
NO_PARTY_COLOUR = "#7A7A7A"
DEFAULT_EVENT_LIMIT = 500
"""The chart shows the latest entries; thousands of markers help no reader."""

# The window reads these from here; they live in briefing.model.times with when_text.
MONTHS = times.MONTHS
day_text = times.day_text
dtg_text = times.date_group
place_of_zone = times.place_of_zone
zone_or_utc = times.zone_or_utc


# ---------------------------------------------------------------------------- parties


@dataclass(frozen=True)
class PartyInfo:
    id: int
    name: str
    label: str
    kind: str
    colour: str
    parent_id: int | None


def parties(connection: Connection) -> dict[int, PartyInfo]:
    """Every party by id; projects hold few parties, so one query serves every picture."""
    rows = connection.execute(
        text("SELECT id, name, short_name, kind, colour, parent_id FROM party ORDER BY id")
    )
    return {
        r.id: PartyInfo(r.id, r.name, r.short_name or r.name, r.kind, r.colour, r.parent_id)
        for r in rows
    }


def top_level(party_id: int, known: dict[int, PartyInfo]) -> int:
    """The party at the top of ``party_id``'s chain of parents (a cycle stops the walk)."""
    seen = {party_id}
    current = party_id
    while (parent := known[current].parent_id) is not None and parent in known:
        if parent in seen:
            break
        seen.add(parent)
        current = parent
    return current


# ---------------------------------------------------------------------------- timeline chart


@dataclass(frozen=True)
class Lane:
    key: int | None
    """Top-level party id; None for entries without parties."""
    label: str
    colour: str


@dataclass(frozen=True)
class ChartEvent:
    entry_id: int
    lane: int | None
    title: str
    start: datetime
    end: datetime | None
    status: str
    grade: str
    when: str
    parties: str
    """Which parties of the lane took part, and how, e.g. ``Armenian forces (target)``."""
    casualties: int | None = None
    """Best-estimate casualties of the claims (never added across claimants); None: no figure."""


@dataclass(frozen=True)
class TimelineChart:
    lanes: tuple[Lane, ...]
    events: tuple[ChartEvent, ...]
    total: int
    """How many entries the project holds; more than shown when the chart was capped."""

    @property
    def capped(self) -> bool:
        return self.total > len({e.entry_id for e in self.events})


def timeline_chart(project: ProjectStore, limit: int = DEFAULT_EVENT_LIMIT) -> TimelineChart:
    """The latest ``limit`` timeline entries, each in the lane of every top-level party in it."""
    with project.engine.connect() as connection:
        known = parties(connection)
        total = connection.execute(text("SELECT count(*) FROM timeline_entry")).scalar_one()
        rows = list(
            connection.execute(
                text(
                    "SELECT e.id, e.title, e.start_utc, e.end_utc, e.zone, e.precision, e.status,"
                    " e.credibility FROM timeline_entry e ORDER BY e.start_utc DESC, e.id DESC"
                    " LIMIT :limit"
                ),
                {"limit": limit},
            )
        )
        roles = _entry_roles(connection, [r.id for r in rows])
        casualties = casualty_totals(connection, [r.id for r in rows])
    events = []
    for row in reversed(rows):
        start, end = _shown_time(row.start_utc), _shown_time(row.end_utc)
        if start is None or (row.end_utc and end is None):
            continue  # a time the chart cannot place (a damaged file): left out, and counted
        by_lane: dict[int | None, list[str]] = defaultdict(list)
        for party_id, role in roles.get(row.id, []):
            by_lane[top_level(party_id, known)].append(f"{known[party_id].label} ({role})")
        for lane, names in (by_lane or {None: []}).items():
            events.append(
                ChartEvent(
                    entry_id=row.id,
                    lane=lane,
                    title=row.title,
                    start=start,
                    end=end,
                    status=row.status,
                    grade=str(row.credibility),
                    when=when_text(start, row.zone, row.precision),
                    parties=", ".join(names),
                    casualties=casualties.get(row.id),
                )
            )
    return TimelineChart(_lanes(events, known), tuple(events), int(total))


def _shown_time(stored: object) -> datetime | None:
    """A stored time the chart can place and name: a real time within the rules' range.

    Times outside it (a file another program wrote) would overflow the axis and the
    local-time texts, so the chart leaves them out rather than fail.
    """
    if not isinstance(stored, str) or not stored:
        return None
    try:
        moment = from_utc_text(stored)
    except ValueError:
        return None
    return moment if rules.EARLIEST <= moment <= rules.LATEST else None


def _entry_roles(connection: Connection, ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    found: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for start in range(0, len(ids), 500):
        chunk = ",".join(str(int(i)) for i in ids[start : start + 500])
        for entry_id, party_id, role in connection.execute(
            text(
                "SELECT entry_id, party_id, role FROM entry_party"
                f" WHERE entry_id IN ({chunk}) ORDER BY entry_id, role, party_id"
            )
        ):
            found[entry_id].append((party_id, role))
    return found


def _lanes(events: list[ChartEvent], known: dict[int, PartyInfo]) -> tuple[Lane, ...]:
    """One lane per top-level party that has events, busiest first; the party-less lane last."""
    counts: dict[int | None, int] = defaultdict(int)
    for event in events:
        counts[event.lane] += 1
    keys = sorted((k for k in counts if k is not None), key=lambda k: (-counts[k], known[k].label))
    lanes = [Lane(k, known[k].label, known[k].colour) for k in keys]
    if None in counts:
        lanes.append(Lane(None, NO_PARTY_LANE, NO_PARTY_COLOUR))
    return tuple(lanes)


# ---------------------------------------------------------------------------- relationship diagram


@dataclass(frozen=True)
class DiagramNode:
    party_id: int
    label: str
    kind: str
    colour: str
    group: int
    """Top-level party id: parties of one group are drawn together."""
    parent_id: int | None


@dataclass(frozen=True)
class DiagramEdge:
    relationship_id: int
    party_a: int
    party_b: int
    kind: str
    status: str
    title: str
    since: str
    until: str


@dataclass(frozen=True)
class RelationshipDiagram:
    nodes: tuple[DiagramNode, ...]
    edges: tuple[DiagramEdge, ...]


def relationship_diagram(project: ProjectStore) -> RelationshipDiagram:
    """Parties that take part in a relationship, with their parents, and every relationship."""
    with project.engine.connect() as connection:
        known = parties(connection)
        edges = tuple(
            DiagramEdge(
                r.id, r.party_a_id, r.party_b_id, r.kind, r.status, r.title, r.since, r.until
            )
            for r in connection.execute(
                text(
                    "SELECT id, party_a_id, party_b_id, kind, status, title, since, until"
                    " FROM relationship ORDER BY id"
                )
            )
        )
    wanted: set[int] = set()
    for edge in edges:
        for party_id in (edge.party_a, edge.party_b):
            wanted.add(party_id)
            wanted.update(_ancestors(party_id, known))
    nodes = tuple(
        DiagramNode(p.id, p.label, p.kind, p.colour, top_level(p.id, known), p.parent_id)
        for p in sorted((known[i] for i in wanted), key=lambda p: p.id)
    )
    return RelationshipDiagram(nodes, edges)


def _ancestors(party_id: int, known: dict[int, PartyInfo]) -> list[int]:
    chain = []
    current = known[party_id].parent_id
    while current is not None and current in known and current not in chain:
        chain.append(current)
        current = known[current].parent_id
    return chain
