"""The SQL behind the library lists: ordered ids with filters, sorting and search, then rows.

A list holds only the ids of what it shows, in order, so that a 100,000-entry
project opens at once; the text of each row is fetched when the row is painted,
a page at a time, by :func:`fetch_rows`. Filtering, sorting and full-text search
all happen here, in SQL, never over a partial list in the window.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Connection, text

from briefing.model import fulltext
from briefing.model.base import split_tags
from briefing.model.codec import TABLE_NAMES
from briefing.model.vocab import (
    PartyKind,
    RelationshipStatus,
    Reliability,
    StatementKind,
    Verification,
    admiralty_grade,
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


_PARTY_LABEL = "coalesce(nullif({a}.short_name, ''), {a}.name)"
_ENTRY_PARTIES = (
    "(SELECT group_concat(ep.role || ':' || " + _PARTY_LABEL.format(a="p") + ", '|') "
    "FROM entry_party ep JOIN party p ON p.id = ep.party_id WHERE ep.entry_id = t.id)"
)
_BEST_RELIABILITY = (
    "(SELECT min(s.reliability) FROM entry_source es JOIN source s ON s.id = es.source_id "
    "WHERE es.entry_id = t.id)"
)


def _party_of(column: str) -> str:
    return "(SELECT " + _PARTY_LABEL.format(a="p") + f" FROM party p WHERE p.id = t.{column})"


COLUMNS: dict[str, tuple[Column, ...]] = {
    "entry": (
        _col("local", "Local time", "t.start_utc", "start_utc", "zone", "precision",
             tip="When it happened, in the zone it was reported in"),
        _col("utc", "UTC", "t.start_utc", "start_utc", "precision"),
        _col("title", "Title", "t.title COLLATE NOCASE"),
        _col("place", "Place", "t.place COLLATE NOCASE"),
        _col("parties", "Parties", f"{_ENTRY_PARTIES} COLLATE NOCASE", "parties",
             tip="Initiator → target; others involved"),
        _col("casualties", "K/W/C", "coalesce(t.killed, 0) + coalesce(t.wounded, 0) "
             "+ coalesce(t.captured, 0)", "killed", "wounded", "captured",
             tip="Reported killed / wounded / captured"),
        _col("status", "Status", "t.status"),
        _col("grade", "Grade", f"coalesce({_BEST_RELIABILITY}, 'F') || t.credibility",
             "sources", "credibility",
             tip="Admiralty grade: reliability of the best source and credibility"),
        _col("tlp", "TLP", "t.tlp"),
    ),
    "statement": (
        _col("local", "Said (local)", "t.said_at", "said_at", "zone", "precision"),
        _col("speaker", "Speaker", f"{_party_of('speaker_id')} COLLATE NOCASE", "speaker",
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
        _col("party_a", "Party", f"{_party_of('party_a_id')} COLLATE NOCASE"),
        _col("kind", "Relationship", "t.kind"),
        _col("party_b", "With", f"{_party_of('party_b_id')} COLLATE NOCASE"),
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
        _col("parent", "Part of", f"{_party_of('parent_id')} COLLATE NOCASE"),
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

DATE_FIELDS = {"entry": "start_utc", "statement": "said_at", "source": "published_at"}
"""The time a date-range filter applies to, for the kinds that have one."""

# How the party filter selects records of each kind; ``tree`` holds the party and its members.
_PARTY_FILTERS = {
    "entry": "t.id IN (SELECT entry_id FROM entry_party WHERE party_id IN tree)",
    "statement": "t.speaker_id IN tree",
    "relationship": "(t.party_a_id IN tree OR t.party_b_id IN tree)",
    "party": "t.id IN tree",
}
_PARTY_FIELDS = {
    "entry": "parties",
    "statement": "speaker",
    "relationship": "party_a party_b",
    "party": "parent",
}
_PARTY_TREE = (
    "WITH RECURSIVE tree(id) AS (SELECT :party UNION "
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


def _day_text(day: date) -> str:
    return datetime(day.year, day.month, day.day, tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _where(kind: str, chosen: ListFilter) -> tuple[str, str, dict[str, Any]]:
    """(WITH prefix, WHERE clause, parameters) for a filter."""
    clauses: list[str] = []
    params: dict[str, Any] = {}
    prefix = ""
    match_sql = fulltext.matching_ids(None, kind, chosen.text)  # type: ignore[arg-type]
    if match_sql is not None:
        clauses.append(f"+t.id IN ({match_sql})")  # '+': walk the sort order, test membership
        params["fts_query"] = fulltext.fts_query(chosen.text)
    if chosen.party_id is not None and kind in _PARTY_FILTERS:
        prefix = _PARTY_TREE
        clauses.append(_PARTY_FILTERS[kind])
        params["party"] = chosen.party_id
    date_field = DATE_FIELDS.get(kind)
    if date_field and chosen.date_from:
        clauses.append(f"t.{date_field} >= :date_from")
        params["date_from"] = _day_text(chosen.date_from)
    if date_field and chosen.date_to:
        clauses.append(f"t.{date_field} < :date_to")
        params["date_to"] = _day_text(chosen.date_to + timedelta(days=1))
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
    chosen = chosen or ListFilter()
    sort_key = sort_key or DEFAULT_SORT[kind][0]
    prefix, where, params = _where(kind, chosen)
    direction = "DESC" if descending else "ASC"
    sql = (
        f"{prefix}SELECT t.id FROM {TABLE_NAMES[kind]} t{where} "
        f"ORDER BY {column(kind, sort_key).sort_sql} {direction}, t.id {direction}"
    )
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    cursor = connection.connection.dbapi_connection.execute(sql, params)  # type: ignore[union-attr]
    return [row[0] for row in cursor.fetchall()]


# ---------------------------------------------------------------------------- times

MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


@cache
def zone_or_utc(name: str | None) -> ZoneInfo:
    """The IANA zone by name; UTC when it is empty or unknown to this machine."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _moment(stored: str | datetime | None) -> datetime | None:
    if stored is None or stored == "":
        return None
    if isinstance(stored, datetime):
        return stored
    return datetime.fromisoformat(stored)  # stored text ends in Z: an aware UTC time


def _rounded(moment: datetime, precision: str) -> str:
    """Fixed-width text that claims no more than the precision, so columns read and sort."""
    if precision == "month":
        return f"{moment:%Y-%m}"
    if precision == "day":
        return f"{moment:%Y-%m-%d}"
    if precision == "hour":
        return f"{moment:%Y-%m-%d %H}h"
    return f"{moment:%Y-%m-%d %H:%M}"


def local_text(stored: str | datetime | None, zone: str, precision: str) -> str:
    """The time in the zone it was reported in, e.g. ``2021-11-16 11:00 +04``."""
    moment = _moment(stored)
    if moment is None:
        return ""
    local = moment.astimezone(zone_or_utc(zone))
    offset = local.strftime("%z")
    offset = offset[:3] if offset.endswith("00") else f"{offset[:3]}:{offset[3:]}"
    suffix = "" if precision in ("day", "month") else f" {offset}"
    return _rounded(local, precision) + suffix


def utc_text(stored: str | datetime | None, precision: str) -> str:
    """The instant in UTC, e.g. ``2021-11-16 07:00Z``."""
    moment = _moment(stored)
    if moment is None:
        return ""
    suffix = "" if precision in ("day", "month") else "Z"
    return _rounded(moment.astimezone(UTC), precision) + suffix


def dtg(stored: str | datetime | None) -> str:
    """Military date-time group, ``DDHHMMZ MON YY`` (e.g. ``160700Z NOV 21``)."""
    moment = _moment(stored)
    if moment is None:
        return ""
    t = moment.astimezone(UTC)
    return f"{t:%d%H%M}Z {MONTHS[t.month - 1]} {t:%y}"


# ---------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class ListRow:
    """What a list shows of one record: one text per column, plus tips and styling facts."""

    id: int
    cells: tuple[str, ...]
    tips: dict[int, str] = field(default_factory=dict)
    tlp: str = "CLEAR"
    status: str = ""
    colour: str = ""


_ROW_SQL = {
    "entry": (
        "SELECT t.id, t.start_utc, t.zone, t.precision, t.title, t.place, "
        f"{_ENTRY_PARTIES}, t.killed, t.wounded, t.captured, t.status, {_BEST_RELIABILITY}, "
        "t.credibility, t.tlp, t.description, t.casualty_note FROM timeline_entry t"
    ),
    "statement": (
        "SELECT t.id, t.said_at, t.zone, t.precision, "
        f"{_party_of('speaker_id')}, t.person, t.kind, t.quote, t.translation, "
        "(SELECT e.title FROM timeline_entry e WHERE e.id = t.entry_id), "
        "(SELECT s.reliability FROM source s WHERE s.id = t.source_id), "
        "(SELECT count(*) FROM statement_contradiction c "
        "WHERE t.id IN (c.statement_id, c.other_id)), t.tlp, "
        "(SELECT s.title FROM source s WHERE s.id = t.source_id) FROM statement t"
    ),
    "relationship": (
        f"SELECT t.id, {_party_of('party_a_id')}, t.kind, {_party_of('party_b_id')}, t.title, "
        "t.since, t.until, t.status, t.tlp, t.description FROM relationship t"
    ),
    "party": (
        "SELECT t.id, t.name, t.short_name, t.kind, "
        f"{_party_of('parent_id')}, t.tlp, t.colour, t.description FROM party t"
    ),
    "source": (
        "SELECT t.id, t.title, t.publisher, t.author, t.kind, t.reliability, t.published_at, "
        "t.tlp, t.url, t.description FROM source t"
    ),
}


def fetch_rows(connection: Connection, kind: str, ids: Sequence[int]) -> dict[int, ListRow]:
    """The rows of the given records (ids that no longer exist are simply absent)."""
    if not ids:
        return {}
    marks = ",".join(str(int(i)) for i in ids)
    result = connection.execute(text(f"{_ROW_SQL[kind]} WHERE t.id IN ({marks})"))
    build = _ROW_BUILDERS[kind]
    return {row[0]: build(row) for row in result}


def _first_line(value: str, limit: int = 200) -> str:
    line = " ".join((value or "").split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _parties_text(packed: str | None) -> str:
    """``initiator:A|target:B|involved:C`` → ``A → B; C``, the way an analyst reads it."""
    roles: dict[str, list[str]] = {"initiator": [], "target": [], "involved": []}
    for part in (packed or "").split("|"):
        role, _, name = part.partition(":")
        if name:
            roles.setdefault(role, []).append(name)
    for names in roles.values():
        names.sort(key=str.casefold)
    by, at = ", ".join(roles["initiator"]), ", ".join(roles["target"])
    sides = f"{by} → {at}" if by and at else f"{by} (initiator)" if by else ""
    sides = sides or (f"{at} (target)" if at else "")
    involved = ", ".join(roles["involved"])
    return "; ".join(p for p in (sides, involved) if p)


def _count(value: int | None) -> str:
    return "–" if value is None else str(value)


def _casualties(killed: int | None, wounded: int | None, captured: int | None) -> str:
    if killed is None and wounded is None and captured is None:
        return ""
    return f"{_count(killed)}/{_count(wounded)}/{_count(captured)}"


def _entry_row(r: Any) -> ListRow:
    (id_, start, zone, precision, title, place, parties, killed, wounded, captured, status,
     best, credibility, tlp, description, casualty_note) = r  # fmt: skip
    moment = _moment(start)
    local, utc = local_text(moment, zone, precision), utc_text(moment, precision)
    cells = (
        local,
        utc,
        title,
        place,
        _parties_text(parties),
        _casualties(killed, wounded, captured),
        status,
        admiralty_grade(best, credibility),
        tlp,
    )
    tips = {
        0: f"{local} ({zone})",
        1: dtg(moment),
        2: _first_line(description, 400),
    }
    if casualty_note:
        tips[5] = casualty_note
    return ListRow(id_, cells, tips, tlp, status)


def _statement_row(r: Any) -> ListRow:
    (id_, said, zone, precision, speaker, person, kind, quote, translation, entry, reliability,
     contradicts, tlp, source_title) = r  # fmt: skip
    who = person or speaker or "Unattributed"
    if person and speaker and speaker not in person:
        who = f"{person} ({speaker})"
    moment = _moment(said)
    cells = (
        local_text(moment, zone, precision),
        who,
        kind,
        _first_line(quote),
        entry or "",
        reliability or "",
        str(contradicts) if contradicts else "",
        utc_text(moment, precision),
        tlp,
    )
    tips = {3: _first_line(translation or quote, 600), 5: source_title or "No source"}
    return ListRow(id_, cells, tips, tlp, kind)


def _relationship_row(r: Any) -> ListRow:
    id_, party_a, kind, party_b, title, since, until, status, tlp, description = r
    cells = (party_a or "", kind, party_b or "", title, since, until, status, tlp)
    return ListRow(id_, cells, {3: _first_line(description, 400)}, tlp, status)


def _party_row(r: Any) -> ListRow:
    id_, name, short_name, kind, parent, tlp, colour, description = r
    cells = (name, short_name, kind, parent or "", tlp)
    return ListRow(id_, cells, {0: _first_line(description, 400)}, tlp, kind, colour)


def _source_row(r: Any) -> ListRow:
    id_, title, publisher, author, kind, reliability, published, tlp, url, description = r
    grade = Reliability(reliability)
    cells = (
        title,
        publisher,
        author,
        kind,
        f"{grade.value} – {grade.label}",
        utc_text(published, "minute"),
        tlp,
    )
    return ListRow(id_, cells, {0: url or _first_line(description, 400)}, tlp, reliability)


_ROW_BUILDERS = {
    "entry": _entry_row,
    "statement": _statement_row,
    "relationship": _relationship_row,
    "party": _party_row,
    "source": _source_row,
}


# ---------------------------------------------------------------------------- choices


@dataclass(frozen=True)
class Choice:
    """A record offered in a picker: its id, UUID and the words that name it."""

    id: int
    uuid: str
    label: str


_CHOICE_SQL = {
    "party": "SELECT id, uuid, name, short_name FROM party ORDER BY name COLLATE NOCASE",
    "source": "SELECT id, uuid, title, publisher FROM source ORDER BY title COLLATE NOCASE",
    "entry": "SELECT id, uuid, title, substr(start_utc, 1, 10) FROM timeline_entry "
    "ORDER BY start_utc DESC",
    "statement": "SELECT t.id, t.uuid, substr(t.quote, 1, 90), "
    f"{_party_of('speaker_id')} FROM statement t ORDER BY t.said_at DESC",
}


def choices(connection: Connection, kind: str, limit: int = 5000) -> list[Choice]:
    """Records of a kind to pick from, labelled the way the analyst recognises them."""
    rows = connection.execute(text(f"{_CHOICE_SQL[kind]} LIMIT :n"), {"n": limit})
    return choices_from_rows(kind, list(rows))


def choice_for_uuid(connection: Connection, kind: str, uuid: str) -> Choice | None:
    """One record as a choice, for a picker whose current value is beyond its list."""
    sql = _CHOICE_SQL[kind].split(" ORDER BY ")[0]
    where = " WHERE t.uuid = :u" if kind == "statement" else " WHERE uuid = :u"
    row = connection.execute(text(sql + where), {"u": uuid}).first()
    if row is None:
        return None
    found = choices_from_rows(kind, [row])
    return found[0] if found else None


def choices_from_rows(kind: str, rows: Sequence[Any]) -> list[Choice]:
    result = []
    for id_, uuid, main, extra in rows:
        label = " ".join((main or "").split())
        if kind == "party" and extra and extra not in label:
            label = f"{label} ({extra})"
        elif kind in ("source", "entry") and extra:
            label = f"{label} — {extra}"
        elif kind == "statement":
            label = f"{extra or 'Unattributed'}: “{label}”"
        result.append(Choice(id_, uuid, label))
    return result


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


def party_choices_for_filter(connection: Connection) -> list[Choice]:
    """Parties for the party filter, those not part of another first: the usual choices."""
    rows = connection.execute(
        text(
            "SELECT id, uuid, name, short_name FROM party "
            "ORDER BY parent_id IS NOT NULL, name COLLATE NOCASE"
        )
    )
    return choices_from_rows("party", list(rows))


def member_uuids(connection: Connection, party_uuid: str) -> set[str]:
    """A party, its members, their members and so on: none of them can be its parent."""
    rows = connection.execute(
        text(
            "WITH RECURSIVE tree(id) AS (SELECT id FROM party WHERE uuid = :u UNION "
            "SELECT p.id FROM party p JOIN tree ON p.parent_id = tree.id) "
            "SELECT uuid FROM party WHERE id IN tree"
        ),
        {"u": party_uuid},
    )
    return set(rows.scalars())
