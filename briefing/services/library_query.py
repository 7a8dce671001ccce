"""The SQL behind the library lists: ordered ids with filters, sorting and search.

A list holds only the ids of what it shows, in order, so that a 100,000-entry
project opens at once; the text of each row is fetched when the row is painted,
a page at a time (:mod:`briefing.services.library_rows`). Filtering, sorting and
full-text search all happen here, in SQL, never over a partial list in the window.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import Connection, text

from briefing.model import fulltext, fulltext_server
from briefing.model.base import split_tags
from briefing.model.codec import TABLE_NAMES
from briefing.model.vocab import (
    PartyKind,
    RelationshipStatus,
    Reliability,
    StatementKind,
    Verification,
)
from briefing.services import local_days
from briefing.services.library_rows import (
    BEST_RELIABILITY_SQL,
    ENTRY_PARTIES_SQL,
    party_label_of,
)

LIST_KINDS = ("entry", "statement", "relationship", "party", "source")
"""The library's lists, in the order of its tabs."""


@dataclass(frozen=True)
class Column:
    """One column of a list: its header, the SQL it sorts by and the fields it shows."""

    key: str
    title: str
    sort_sql: str
    fields: frozenset[str]
    tip: str = ""


def _col(key: str, title: str, sort_sql: str, *fields: str, tip: str = "") -> Column:
    return Column(key, title, sort_sql, frozenset(fields or (key,)), tip)


COLUMNS: dict[str, tuple[Column, ...]] = {
    "entry": (
        _col("local", "Local time", "t.start_utc", "start_utc", "zone", "precision",
             tip="When it happened, in the zone it was reported in"),
        _col("utc", "UTC", "t.start_utc", "start_utc", "precision"),
        _col("title", "Title", "t.title COLLATE NOCASE"),
        _col("place", "Place", "t.place COLLATE NOCASE"),
        _col("parties", "Parties", f"{ENTRY_PARTIES_SQL} COLLATE NOCASE", "parties",
             tip="Initiator → target; others involved"),
        _col("casualties", "Casualties", "(SELECT max(coalesce(c.best, c.high, c.low, 0)) "
             "FROM casualty_claim c WHERE c.entry_id = t.id)", "claims",
             tip="Casualty claims per side, e.g. AM 49 k · AZ 50 k (killed, wounded, captured, "
             "missing, displaced); sorted by the largest figure claimed"),
        _col("status", "Status", "t.status"),
        _col("grade", "Grade", f"coalesce({BEST_RELIABILITY_SQL}, 'F') || t.credibility",
             "sources", "credibility",
             tip="Admiralty grade: reliability of the best source and credibility"),
        _col("tlp", "TLP", "t.tlp"),
    ),
    "statement": (
        _col("local", "Said (local)", "t.said_at", "said_at", "zone", "precision"),
        _col("speaker", "Speaker", f"{party_label_of('speaker_id')} COLLATE NOCASE", "speaker",
             "person"),
        _col("kind", "Kind", "t.kind"),
        _col("quote", "Quote", "t.quote COLLATE NOCASE"),
        _col("entry", "About", "(SELECT e.title FROM timeline_entry e WHERE e.id = t.entry_id)",
             "entry", tip="The timeline entry the statement is about"),
        _col("grade", "Source", "(SELECT s.reliability FROM source s WHERE s.id = t.source_id)",
             "source", tip="Reliability of the statement's source"),
        _col("contradicts", "Contradicts", "(SELECT count(*) FROM statement_contradiction c "
             "WHERE t.id IN (c.statement_id, c.other_id))", "contradicts",
             tip="How many statements this one contradicts"),
        _col("utc", "UTC", "t.said_at", "said_at", "precision"),
        _col("tlp", "TLP", "t.tlp"),
    ),
    "relationship": (
        _col("party_a", "Party", f"{party_label_of('party_a_id')} COLLATE NOCASE"),
        _col("kind", "Relationship", "t.kind"),
        _col("party_b", "With", f"{party_label_of('party_b_id')} COLLATE NOCASE"),
        _col("title", "Title", "t.title COLLATE NOCASE"),
        _col("since", "Since", "t.since"),
        _col("until", "Until", "t.until"),
        _col("status", "Status", "t.status"),
        _col("tlp", "TLP", "t.tlp"),
    ),
    "party": (
        _col("name", "Name", "t.name COLLATE NOCASE"),
        _col("short_name", "Short name", "t.short_name COLLATE NOCASE"),
        _col("kind", "Kind", "t.kind"),
        _col("parent", "Part of", f"{party_label_of('parent_id')} COLLATE NOCASE"),
        _col("tlp", "TLP", "t.tlp"),
    ),
    "source": (
        _col("title", "Title", "t.title COLLATE NOCASE"),
        _col("publisher", "Publisher", "t.publisher COLLATE NOCASE"),
        _col("author", "Author", "t.author COLLATE NOCASE"),
        _col("kind", "Kind", "t.kind"),
        _col("reliability", "Reliability", "t.reliability"),
        _col("published", "Published (UTC)", "t.published_at", "published_at"),
        _col("tlp", "TLP", "t.tlp"),
    ),
}  # fmt: skip

DEFAULT_SORT = {
    "entry": ("local", True),
    "statement": ("local", True),
    "relationship": ("party_a", False),
    "party": ("name", False),
    "source": ("title", False),
}
"""Column and direction (descending?) each list starts sorted by: the latest events first."""

# The field each kind's "status" filter applies to, with its words, and its label.
STATUS_FILTERS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "entry": ("status", "Status", tuple(v.value for v in Verification)),
    "statement": ("kind", "Kind", tuple(v.value for v in StatementKind)),
    "relationship": ("status", "Status", tuple(v.value for v in RelationshipStatus)),
    "party": ("kind", "Kind", tuple(v.value for v in PartyKind)),
    "source": ("reliability", "Reliability", tuple(v.value for v in Reliability)),
}

WALKED_SORTS = {("entry", "local"), ("entry", "utc"), ("statement", "local"), ("statement", "utc")}
"""Sorts SQLite reads from an index in order: a first page of them can stop early."""

DATE_FIELDS = {"entry": "start_utc", "statement": "said_at", "source": "published_at"}
"""The time a date-range filter applies to, for the kinds that have one."""

# How the party filter selects records of each kind; ``tree`` holds the party and its members.
_TREE = "(SELECT id FROM tree)"
_PARTY_FILTERS = {
    "entry": f"t.id IN (SELECT entry_id FROM entry_party WHERE party_id IN {_TREE})",
    "statement": f"t.speaker_id IN {_TREE}",
    "relationship": f"(t.party_a_id IN {_TREE} OR t.party_b_id IN {_TREE})",
    "party": f"t.id IN {_TREE}",
}
_PARTY_FIELDS = {
    "entry": "parties",
    "statement": "speaker",
    "relationship": "party_a party_b",
    "party": "parent",
}
_PARTY_TREE = (
    "WITH RECURSIVE tree(id) AS (SELECT id FROM party WHERE id = :party UNION "
    "SELECT p.id FROM party p JOIN tree ON p.parent_id = tree.id) "
)


@dataclass(frozen=True)
class ListFilter:
    """What a list is narrowed to; empty fields do not filter."""

    text: str = ""
    party_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    status: str | None = None
    tag: str | None = None
    tlp: str | None = None

    @property
    def is_empty(self) -> bool:
        return self == ListFilter()

    def fields(self, kind: str) -> frozenset[str] | None:
        """Fields whose change can move a record in or out of the list; None means any."""
        if fulltext.fts_query(self.text):
            return None
        wanted: set[str] = set()
        if self.party_id is not None and kind in _PARTY_FIELDS:
            wanted.update(_PARTY_FIELDS[kind].split())
        if (self.date_from or self.date_to) and kind in DATE_FIELDS:
            wanted.add(DATE_FIELDS[kind])
        if self.status:
            wanted.add(STATUS_FILTERS[kind][0])
        if self.tag:
            wanted.add("tags")
        if self.tlp:
            wanted.add("tlp")
        return frozenset(wanted)


def column(kind: str, key: str) -> Column:
    return next(c for c in COLUMNS[kind] if c.key == key)


def _tag_clause() -> str:
    padded = "',' || replace(replace(lower(t.tags), ', ', ','), ' ,', ',') || ','"
    return f"instr({padded}, ',' || :tag || ',') > 0"


def _where(
    kind: str,
    chosen: ListFilter,
    dense: bool = False,
    server: bool = False,
    matched: list[int] | None = None,
) -> tuple[str, str, dict[str, Any]]:
    """(WITH prefix, WHERE clause, parameters) for a filter.

    ``dense``: the words match very many records, so each record met in the sort
    order is looked up in the index instead of gathering every match first.
    ``matched``: the few records the words match, already gathered (:func:`_few_matches`).
    """
    clauses: list[str] = []
    params: dict[str, Any] = {}
    prefix = ""
    match_sql = fulltext.matching_ids(None, kind, chosen.text, server)  # type: ignore[arg-type]
    if matched is not None:  # a handful: looked up by id, then sorted
        clauses.append(f"t.id IN ({','.join(str(int(i)) for i in matched)})")
    elif match_sql is not None:
        if dense:
            clauses.append(fulltext.match_of_row(kind))
        else:
            # '+': SQLite walks the sort order and tests membership; a server weighs both ways
            # (and under row-level security only a bare column may meet the index)
            clauses.append(f"{'' if server else '+'}t.id IN ({match_sql})")
        params["fts_query"] = fulltext.fts_query(chosen.text)
    if chosen.party_id is not None and kind in _PARTY_FILTERS:
        prefix = _PARTY_TREE
        clauses.append(_PARTY_FILTERS[kind])
        params["party"] = chosen.party_id
    date_field = DATE_FIELDS.get(kind)
    if date_field:  # on the day the list shows (local for entries and statements)
        dated, dated_params = local_days.date_clauses(
            kind, date_field, chosen.date_from, chosen.date_to
        )
        clauses += dated
        params.update(dated_params)
    if chosen.status:
        clauses.append(f"t.{STATUS_FILTERS[kind][0]} = :status")
        params["status"] = chosen.status
    if chosen.tag:
        clauses.append(_tag_clause())
        params["tag"] = chosen.tag.strip().lower()
    if chosen.tlp:
        clauses.append("t.tlp = :tlp")
        params["tlp"] = chosen.tlp
    where = " WHERE " + " AND ".join(clauses) if clauses else ""
    return prefix, where, params


def ordered_ids(
    connection: Connection,
    kind: str,
    chosen: ListFilter | None = None,
    sort_key: str | None = None,
    descending: bool = False,
    limit: int | None = None,
) -> list[int]:
    """The ids a list shows, filtered and sorted in SQL (ties broken by id); the first ``limit``.

    The ids go straight through the DB-API cursor: for 100,000 ids the result
    machinery of SQLAlchemy would cost more than the query.
    """
    if connection.dialect.name != "sqlite":  # a server: plain SQL through the engine's driver
        return ordered_ids_of(connection, kind, chosen, sort_key, descending, limit)  # type: ignore[arg-type]
    dbapi = connection.connection.dbapi_connection
    return ordered_ids_of(dbapi, kind, chosen, sort_key, descending, limit)  # type: ignore[arg-type]


def ordered_ids_of(
    connection: sqlite3.Connection,
    kind: str,
    chosen: ListFilter | None = None,
    sort_key: str | None = None,
    descending: bool = False,
    limit: int | None = None,
) -> list[int]:
    """:func:`ordered_ids` on a plain SQLite connection (a worker thread's own)."""
    chosen = chosen or ListFilter()
    if chosen.date_from or chosen.date_to:
        local_days.register(connection)
    sort_key = sort_key or DEFAULT_SORT[kind][0]
    dense = (
        limit is not None
        and (kind, sort_key) in WALKED_SORTS
        and fulltext.is_dense(connection, kind, chosen.text, limit)
    )
    server = not isinstance(connection, sqlite3.Connection)
    if limit is not None and not dense and (kind, sort_key) in WALKED_SORTS:
        walked = _walked_ids(connection, kind, chosen, sort_key, descending, limit)
        if walked is not None:
            return walked
    few = None if dense or server else _few_matches(connection, kind, chosen.text, limit)
    prefix, where, params = _where(kind, chosen, dense, server, few)
    if server and "fts_query" in params:  # the server reads the words once, as a constant
        params["fts_tsquery"] = fulltext_server.tsquery_of(connection, params["fts_query"])  # type: ignore[arg-type]
    direction = "DESC" if descending else "ASC"
    first = direction
    if server:  # empty values first, as SQLite sorts them
        first += " NULLS LAST" if descending else " NULLS FIRST"
    sql = (
        f"{prefix}SELECT t.id FROM {TABLE_NAMES[kind]} t{where} "
        f"ORDER BY {column(kind, sort_key).sort_sql} {first}, t.id {direction}"
    )
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    if server:
        return [row[0] for row in connection.exec_driver_sql(sql, params).fetchall()]  # type: ignore[attr-defined]
    return [row[0] for row in connection.execute(sql, params).fetchall()]


SPARSE = 5_000
"""Matches counted at most to tell whether the words are rare enough to gather first."""
GATHER_COST = 4.0
"""Microseconds to look one gathered match up by id and sort it (a million entries)."""
WALK_COST = 0.15
"""Microseconds to walk past one record in a list's order, testing it against the matches."""


def _few_matches(
    connection: sqlite3.Connection, kind: str, text: str, limit: int | None
) -> list[int] | None:
    """The records the words match, when so few that looking them up beats walking the list.

    Walking the list's order and testing each record stops after ``limit`` matches,
    but a rare word is met late, and one no record holds walks every record (a
    tenth of a second at a million). None when there is no text, or the matches are
    many (the first :data:`SPARSE` are counted at most) or walking pays.
    """
    if not fulltext.fts_query(text):
        return None
    match_sql = fulltext.matching_ids(None, kind, text)  # type: ignore[arg-type]
    rows = connection.execute(
        f"{match_sql} LIMIT {SPARSE + 1}", {"fts_query": fulltext.fts_query(text)}
    ).fetchall()
    if len(rows) > SPARSE:
        return None
    (records,) = connection.execute(f"SELECT max(id) FROM {TABLE_NAMES[kind]}").fetchone()
    records = int(records or 0)
    walked = records if limit is None or len(rows) <= limit else limit * records / len(rows)
    if len(rows) * GATHER_COST > walked * WALK_COST:
        return None
    return [row[0] for row in rows]


def _walked_ids(
    connection: sqlite3.Connection,
    kind: str,
    chosen: ListFilter,
    sort_key: str,
    descending: bool,
    limit: int,
) -> list[int] | None:
    """The first ids of a list searched for a word start most records hold.

    Found by walking the list's order and checking each record's text; None when
    that is not worth it (see :func:`briefing.model.fulltext.crowded_start`).
    """
    records = fulltext.crowded_start(connection, kind, chosen.text, limit)
    if not records:
        return None
    prefix, where, params = _where(kind, replace(chosen, text=""))
    direction = "DESC" if descending else "ASC"
    ordered = connection.execute(
        f"{prefix}SELECT t.id FROM {TABLE_NAMES[kind]} t{where} "
        f"ORDER BY {column(kind, sort_key).sort_sql} {direction}, t.id {direction}",
        params,
    )
    try:
        return fulltext.walk_order(connection, kind, chosen.text, ordered, records, limit)
    finally:
        ordered.close()


def tags_in_use(connection: Connection, kind: str) -> list[str]:
    """Every tag used on records of a kind, for the tag filter."""
    rows = connection.execute(
        text(f"SELECT DISTINCT tags FROM {TABLE_NAMES[kind]} WHERE tags != ''")
    ).scalars()
    found: set[str] = set()
    for tags in rows:
        found.update(split_tags(tags))
    return sorted(found)


def count_all(connection: Connection, kind: str) -> int:
    """How many records of a kind the project holds."""
    return int(connection.execute(text(f"SELECT count(*) FROM {TABLE_NAMES[kind]}")).scalar_one())
