"""The statements about one timeline entry, grouped by party, with what contradicts what.

Analysts set contradicting claims side by side rather than burying them in
prose; this module gathers them so the GUI (and the PDF) only lay them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, text

from briefing.errors import RecordError
from briefing.model.base import from_utc_text
from briefing.model.times import when_text
from briefing.model.vocab import admiralty_grade
from briefing.services.charts import PartyInfo, parties, top_level
from briefing.store.interface import ProjectStore

UNATTRIBUTED = "Unattributed"


@dataclass(frozen=True)
class StatementCard:
    id: int
    said_at: datetime | None
    when: str
    attribution: str
    quote: str
    translation: str
    language: str
    kind: str
    grade: str
    """Admiralty grade: the statement's source reliability and the entry's credibility."""
    source: str


@dataclass(frozen=True)
class PartyColumn:
    party_id: int | None
    """The speaker's top-level party; None for unattributed statements."""
    label: str
    colour: str
    statements: tuple[StatementCard, ...]


@dataclass(frozen=True)
class OutsideContradiction:
    """A statement here contradicted by one about another entry."""

    statement_id: int
    other_id: int
    other_attribution: str
    other_entry: str


@dataclass(frozen=True)
class EntryStatements:
    entry_id: int
    title: str
    when: str
    status: str
    credibility: int
    columns: tuple[PartyColumn, ...]
    pairs: tuple[tuple[int, int], ...]
    """Contradicting pairs of statement ids, both shown here, smaller id first."""
    outside: tuple[OutsideContradiction, ...]

    def partners(self, statement_id: int) -> list[int]:
        """The statements shown here that contradict ``statement_id``."""
        return [b if a == statement_id else a for a, b in self.pairs if statement_id in (a, b)]


def entry_of(project: ProjectStore, kind: str, record_id: int) -> int | None:
    """The timeline entry to show for a selected record: itself, or a statement's entry."""
    with project.engine.connect() as connection:
        if kind == "entry":
            sql = "SELECT id FROM timeline_entry WHERE id = :id"
        elif kind == "statement":
            sql = "SELECT entry_id FROM statement WHERE id = :id"
        else:
            return None
        return connection.execute(text(sql), {"id": record_id}).scalar()


_STATEMENTS = (
    "SELECT s.id, s.speaker_id, s.person, s.person_title, s.said_at, s.zone, s.precision,"
    " s.quote, s.translation, s.language, s.kind, src.reliability, src.title AS source"
    " FROM statement s LEFT JOIN source src ON src.id = s.source_id"
    " WHERE s.entry_id = :entry ORDER BY s.said_at IS NULL, s.said_at, s.id"
)


def entry_statements(project: ProjectStore, entry_id: int) -> EntryStatements:
    """The statements about an entry, one column per speaking top-level party."""
    with project.engine.connect() as connection:
        entry = connection.execute(
            text(
                "SELECT id, title, start_utc, zone, precision, status, credibility"
                " FROM timeline_entry WHERE id = :id"
            ),
            {"id": entry_id},
        ).one_or_none()
        if entry is None:
            raise RecordError("That timeline entry no longer exists.")
        known = parties(connection)
        rows = list(connection.execute(text(_STATEMENTS), {"entry": entry_id}))
        shown = {r.id for r in rows}
        pairs, outside = _contradictions(connection, shown, known)
    columns = _columns(rows, known, entry.credibility)
    return EntryStatements(
        entry_id=entry.id,
        title=entry.title,
        when=when_text(from_utc_text(entry.start_utc), entry.zone, entry.precision),
        status=entry.status,
        credibility=entry.credibility,
        columns=columns,
        pairs=pairs,
        outside=outside,
    )


def _attribution(row: object, known: dict[int, PartyInfo]) -> str:
    speaker = getattr(row, "speaker_id", None)
    parts = [p for p in (getattr(row, "person", ""), getattr(row, "person_title", "")) if p]
    if speaker is not None and speaker in known:
        label = known[speaker].label
        if not any(label.casefold() in part.casefold() for part in parts):
            parts.append(label)
    return ", ".join(parts) or UNATTRIBUTED


def _columns(rows: list, known: dict[int, PartyInfo], credibility: int) -> tuple[PartyColumn, ...]:
    """Group statement rows by top-level party; columns in order of each party's first word."""
    groups: dict[int | None, list[StatementCard]] = {}
    for row in rows:
        key = top_level(row.speaker_id, known) if row.speaker_id in known else None
        said = from_utc_text(row.said_at) if row.said_at else None
        groups.setdefault(key, []).append(
            StatementCard(
                id=row.id,
                said_at=said,
                when=when_text(said, row.zone, row.precision),
                attribution=_attribution(row, known),
                quote=row.quote,
                translation=row.translation,
                language=row.language,
                kind=row.kind,
                grade=admiralty_grade(row.reliability, credibility),
                source=row.source or "no source",
            )
        )
    columns = [
        PartyColumn(key, known[key].label, known[key].colour, tuple(cards))
        for key, cards in groups.items()
        if key is not None
    ]
    if None in groups:
        columns.append(PartyColumn(None, UNATTRIBUTED, "#7A7A7A", tuple(groups[None])))
    return tuple(columns)


def _contradictions(
    connection: Connection, shown: set[int], known: dict[int, PartyInfo]
) -> tuple[tuple[tuple[int, int], ...], tuple[OutsideContradiction, ...]]:
    if not shown:
        return (), ()
    marks = ",".join(str(int(i)) for i in sorted(shown))
    links = list(
        connection.execute(
            text(
                "SELECT statement_id, other_id FROM statement_contradiction"
                f" WHERE statement_id IN ({marks}) OR other_id IN ({marks})"
                " ORDER BY statement_id, other_id"
            )
        )
    )
    pairs = tuple((a, b) for a, b in links if a in shown and b in shown)
    crossing = sorted(
        (a, b) if a in shown else (b, a) for a, b in links if (a in shown) != (b in shown)
    )
    outside = []
    for statement_id, other_id in crossing:
        row = connection.execute(
            text(
                "SELECT s.speaker_id, s.person, s.person_title, e.title AS entry"
                " FROM statement s LEFT JOIN timeline_entry e ON e.id = s.entry_id"
                " WHERE s.id = :id"
            ),
            {"id": other_id},
        ).one()
        outside.append(
            OutsideContradiction(
                statement_id, other_id, _attribution(row, known), row.entry or "no entry"
            )
        )
    return pairs, tuple(outside)
