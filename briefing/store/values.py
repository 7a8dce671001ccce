"""Stored values: what a file must hold before the program reads it without checking again.

SQLite keeps a value of any type in any column, so a file edited outside the
program can hold a time that is not a time, a count that is text or a link to a
record that does not exist. Two levels of checks, chosen by cost:

- At every open (:func:`value_problems`, one SQL scan per table, no Python per
  row except for editions): each column holds what its model type promises.
  Text columns hold text (``String(n)`` at most ``n`` characters, none of them
  NUL, which the rules refuse and SQLite's own text functions stop at),
  whole-number columns whole numbers, real columns finite numbers, time columns
  the exact stored form (``YYYY-MM-DDTHH:MM:SS.ffffffZ``, a real date and time
  from 1800 to 2199); every link points at a record that exists (SQLite's
  foreign-key check); tombstones name a kind of record; NOT NULL
  and the model's CHECK constraints (vocabularies, ranges) hold (SQLite's
  ``quick_check`` skips those on a file opened read-only). On the 100,000-entry
  benchmark project (170 MB) these cost about 0.7 s of CPU, the foreign keys a
  third of it, beside 0.3 s for ``quick_check`` (``tests/perf/bench_verify.py``).
  Each edition's frozen content is read as the editions service reads it
  (:func:`edition_problems`): JSON that reads one way, of the shape frozen.
- In ``briefing check`` only (:func:`full_value_problems`): every record through
  the model's rules (:func:`briefing.model.rules.check_records`: ranges, lengths,
  structure), a batch at a time, and no UUID given to two kinds of record
  (:mod:`briefing.model.uuid_kinds`). This reads every record in full into
  Python: on the 100,000-entry benchmark project about
  6 s of CPU beside 1.3 s for SQLite's integrity check alone
  (``tests/perf/bench_scale.py``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import CheckConstraint, Column, Double, Enum, Float, Integer, String, create_engine
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import StaticPool

from briefing.model import jsontext, rules, uuid_kinds
from briefing.model.base import Base, UtcDateTime
from briefing.model.codec import KINDS
from briefing.store.schema import SCHEMA_VERSION

_DIGIT = "[0-9]"
TIME_GLOB = (
    f"{_DIGIT * 4}-[0-1]{_DIGIT}-[0-3]{_DIGIT}T[0-2]{_DIGIT}:[0-5]{_DIGIT}:[0-5]{_DIGIT}"
    f".{_DIGIT * 6}Z"
)
"""The stored form of a time (see :func:`briefing.model.base.to_utc_text`)."""

_LARGEST = "1.7976931348623157e308"

_HEX = "[0-9a-f]"
UUID_GLOB = "-".join(_HEX * n for n in (8, 4, 4, 4, 12))
"""A UUID as the program writes it: ``8-4-4-4-12`` lower-case hexadecimal digits (the rules'
``uuid`` rule, :mod:`briefing.model.rules`)."""

NAMING_TABLES_EXEMPT = frozenset({"tombstone"})
"""A tombstone's ``uuid`` names a deleted record rather than being one's identity: one that is
not a UUID names nothing, deletes nothing, and never travels (the share copy drops it)."""


def _uuid_is_bad(c: str) -> str:
    return f"typeof({c}) <> 'text' OR {c} NOT GLOB '{UUID_GLOB}'"


def _time_is_bad(c: str) -> str:
    """SQL true when ``c`` is not a stored time of the range the rules allow.

    Fixed-width text compares in time order, so the range is two comparisons;
    the calendar (``julianday()``) is asked only for days 29 to 31, to refuse 30 February.
    """
    return (
        f"NOT (typeof({c}) = 'text' AND {c} GLOB '{TIME_GLOB}' "
        f"AND {c} BETWEEN '{rules.EARLIEST_TEXT}' AND '{rules.LATEST_TEXT}' "
        f"AND substr({c}, 6, 2) BETWEEN '01' AND '12' "
        f"AND substr({c}, 9, 2) BETWEEN '01' AND '31' AND substr({c}, 12, 2) <= '23' "
        f"AND (substr({c}, 9, 2) <= '28' "
        f"OR date(julianday(substr({c}, 1, 10))) IS substr({c}, 1, 10)))"
    )


def _column_is_bad(column: Column[Any]) -> str | None:
    """SQL true when a non-NULL value of ``column`` is not what its model type promises."""
    c = f'"{column.name}"'
    kind = column.type
    if isinstance(kind, UtcDateTime):
        return _time_is_bad(c)
    if column.name == "uuid" and column.table.name not in NAMING_TABLES_EXEMPT:
        return _uuid_is_bad(c)
    if isinstance(kind, Integer):
        return f"typeof({c}) <> 'integer'"
    if isinstance(kind, Float | Double):
        return (
            f"typeof({c}) NOT IN ('integer', 'real') "
            f"OR (typeof({c}) = 'real' AND ({c} > {_LARGEST} OR {c} < -{_LARGEST}))"
        )
    if isinstance(kind, Enum):  # a vocabulary: its CHECK constraint names every word
        return f"typeof({c}) <> 'text'"
    if isinstance(kind, String):  # Text too
        # SQLite's length() and other text functions stop at a NUL character, so the
        # limit would pass text of any length after one; the rules allow none anyway.
        length = getattr(kind, "length", None)
        longer = f" OR length({c}) > {int(length)}" if length else ""
        return f"typeof({c}) <> 'text'{longer} OR instr({c}, char(0)) > 0"
    return None


SnapshotShape = dict[str, "str | tuple[str, SnapshotShape]"]

SNAPSHOT_SHAPE: SnapshotShape = {
    "briefing": "object",
    "judgments": ("array", {"uuid": "text"}),
    "sections": (
        "array",
        {
            "uuid": "text",
            "heading": "text",
            "items": ("array", {"record": "object", "kind": "text", "ref": "text"}),
        },
    ),
}
"""What the editions service reads of a frozen briefing: key → JSON type, or a list of
objects of a shape. Opening, ``check``, copying, sharing, merging and the editions
service all read snapshots through :func:`read_snapshot`, which holds them to this
statement and to the one rule of JSON text (:mod:`briefing.model.jsontext`)."""

_PY_TYPES = {"object": dict, "array": list, "text": str}


def _has_shape(value: dict[str, Any], shape: SnapshotShape) -> bool:
    for key, want in shape.items():
        found = value.get(key)
        if isinstance(want, str):
            if not isinstance(found, _PY_TYPES[want]):
                return False
            continue
        if not isinstance(found, list):
            return False
        if not all(isinstance(v, dict) and _has_shape(v, want[1]) for v in found):
            return False
    return True


_EXTRA = {
    "tombstone": "kind NOT IN ({})".format(", ".join(f"'{k}'" for k in KINDS)),
    "project_setting": f"key = 'project_uuid' AND ({_uuid_is_bad('value')})",
}
"""File-only structures beyond column types, in SQL."""


@dataclass(frozen=True)
class _TableCheck:
    """One scan of a table finding its first bad row, and each column's test to name it."""

    table: str
    scan: str
    columns: tuple[tuple[str, str], ...]

    def range_scan(self, limit: int) -> str:
        """The scan over rowids ``?`` to ``?`` (so a large table is checked in pieces)."""
        where = self.scan.split(" WHERE ", 1)[1].rsplit(" LIMIT ", 1)[0]
        return (
            f'SELECT rowid FROM "{self.table}" WHERE rowid BETWEEN ? AND ? AND ({where}) '
            f"LIMIT {int(limit)}"
        )


def _sql(expression: Any) -> str:
    """A CHECK constraint of the model as SQLite text (vocabularies inlined)."""
    return str(expression.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))


Shape = frozenset[tuple[str, frozenset[str]]]
"""(table, its column names) of a file of an older format, whose tables differ from the model's."""


@cache
def _table_checks(shape: Shape | None = None) -> tuple[_TableCheck, ...]:
    """The checks of the current format; for an older file (``shape``), those its tables allow.

    An older file is checked column by column where its columns are the model's,
    and by the model's CHECK rules only in tables its migration leaves unchanged.
    """
    present = dict(shape) if shape is not None else None
    checks = []
    for table in Base.metadata.sorted_tables:
        names = frozenset(table.columns.keys())
        if present is not None and table.name not in present:
            continue
        same = present is None or present[table.name] == names
        columns = []
        for column in table.columns:
            if present is not None and column.name not in present[table.name]:
                continue
            bad = _column_is_bad(column)
            if bad is not None:
                columns.append((column.name, f'"{column.name}" IS NOT NULL AND ({bad})'))
            if not column.nullable:
                columns.append((column.name, f'"{column.name}" IS NULL'))
        for constraint in table.constraints if same else ():
            if isinstance(constraint, CheckConstraint):
                columns.append((f"#{constraint.name}", f"NOT ({_sql(constraint.sqltext)})"))
        if table.name in _EXTRA and same:
            columns.append(("", _EXTRA[table.name]))
        if not columns:
            continue
        where = " OR ".join(f"({test})" for _, test in columns)
        scan = f'SELECT rowid FROM "{table.name}" WHERE {where} LIMIT 1'
        checks.append(_TableCheck(table.name, scan, tuple(columns)))
    return tuple(checks)


_WHAT = {
    "tombstone": "a deletion of an unknown kind of record",
    "project_setting": "a project identity that is not a UUID",
}


def value_problems(connection: sqlite3.Connection, limit: int = 1) -> list[str]:
    """The first ``limit`` problems among stored values, each one sentence; cheap (see above).

    One scan per table, then the foreign keys; only a table with a bad row is read
    again, to name the column.
    """
    problems: list[str] = []
    for check in _table_checks(_older_shape(connection)):
        row = connection.execute(check.scan).fetchone()
        if row is None:
            continue
        problems.append(_describe(connection, check, row[0]))
        if len(problems) >= limit:
            break
    problems += _broken_links(connection, limit - len(problems))
    name = _file_name(connection)
    return [file_message(name, p) for p in problems]


def file_message(name: str, problem: str) -> str:
    """The sentence for a value problem of the file ``name``."""
    return f"{name} has been altered outside Conflict Briefing: {problem}."


def describe(connection: sqlite3.Connection, check: _TableCheck, rowid: int) -> str:
    """What is wrong with row ``rowid``, which ``check``'s scan found."""
    return _describe(connection, check, rowid)


TableCheck = _TableCheck


def table_checks(connection: sqlite3.Connection) -> tuple[_TableCheck, ...]:
    """One value scan per table of the model (as a file of an older format has them)."""
    return _table_checks(_older_shape(connection))


def broken_links_of(connection: sqlite3.Connection, table: str, limit: int) -> list[str]:
    """Rows of ``table`` whose links point at records that do not exist."""
    problems = []
    for child, _, parent, _ in connection.execute(f'PRAGMA foreign_key_check("{table}")'):
        problems.append(f"a row of {child} refers to a missing {parent} record")
        if len(problems) >= limit:
            break
    return problems


def _older_shape(connection: sqlite3.Connection) -> Shape | None:
    """The tables and columns of a file of an older format (None for the current one)."""
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version >= SCHEMA_VERSION:
        return None
    tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    return frozenset(
        (str(t), frozenset(str(r[1]) for r in connection.execute(f'PRAGMA table_info("{t}")')))
        for t in tables
        if t in Base.metadata.tables
    )


def _describe(connection: sqlite3.Connection, check: _TableCheck, rowid: int) -> str:
    for column, test in check.columns:
        sql = f'SELECT 1 FROM "{check.table}" WHERE rowid = ? AND ({test})'
        if connection.execute(sql, (rowid,)).fetchone() is None:
            continue
        if not column:
            return f"row {rowid} of {check.table} holds {_WHAT[check.table]}"
        if column.startswith("#"):
            return f"row {rowid} of {check.table} breaks its rule '{column[1:]}'"
        if column == "uuid":
            return f"the uuid of row {rowid} of {check.table} is not a UUID"
        return (
            f"the {column.replace('_', ' ')} of row {rowid} of {check.table} is not a value "
            "Conflict Briefing writes"
        )
    return f"row {rowid} of {check.table} holds a value Conflict Briefing never writes"


def _broken_links(connection: sqlite3.Connection, limit: int) -> list[str]:
    if limit <= 0:
        return []
    problems = []
    for table, _, parent, _ in connection.execute("PRAGMA foreign_key_check"):
        problems.append(f"a row of {table} refers to a missing {parent} record")
        if len(problems) >= limit:
            break
    return problems


def _file_name(connection: sqlite3.Connection) -> str:
    row = connection.execute("PRAGMA database_list").fetchone()
    return Path(row[2]).name if row and row[2] else "The project file"


# ---------------------------------------------------------------------------- check only


BATCH = 20_000
"""Records read and checked at a time, so ``briefing check`` holds a batch, not the file."""


def full_value_problems(path: Path, limit: int = 50) -> list[str]:
    """Every stored record against the model's rules, and each edition's shape (slow).

    Records are read a batch at a time, so memory stays flat in the file's size.
    References are taken as existing: they are stored as links, which the
    whole-file check's foreign-key check has already followed. Parties are
    checked in one batch, as a cycle of parents can run through any of them.
    """
    from briefing.model import codec
    from briefing.store.verify import open_read_only

    engine = create_engine("sqlite://", creator=lambda: open_read_only(path), poolclass=StaticPool)
    problems: list[str] = []
    try:
        with engine.connect() as connection:
            dbapi = connection.connection.dbapi_connection
            older = _older_shape(dbapi) is not None  # type: ignore[arg-type]
            # A file of an older format is held to the rules once opening has upgraded it.
            for kind in () if older else codec.KINDS:
                problems += _kind_problems(connection, kind, limit - len(problems))
                if len(problems) >= limit:
                    break
            if not older and len(problems) < limit:
                problems += uuid_kinds.shared_in_project(connection, limit - len(problems))
    except (SQLAlchemyError, sqlite3.Error, LookupError, ValueError, TypeError) as error:
        # Values the open-time checks let through but the records cannot be read from.
        return [f"{path.name}: its records cannot be read in full ({type(error).__name__})."]
    finally:
        engine.dispose()
    return [f"{path.name}: {p}" for p in problems[:limit]]


def _kind_problems(connection: Any, kind: str, limit: int) -> list[str]:
    from briefing.model import codec

    table = codec.TABLE_NAMES[kind]
    ids = [r[0] for r in connection.exec_driver_sql(f"SELECT id FROM {table} ORDER BY id")]
    size = len(ids) if kind == "party" else BATCH
    problems: list[str] = []
    for start in range(0, len(ids), max(size, 1)):
        records = codec.dump(connection, kind, ids[start : start + size])
        found = rules.check_records({kind: records}, known=lambda kind, uuid: True)
        problems += [p.sentence() for p in found]
        if len(problems) >= limit:
            break
    return problems


def edition_problems(connection: sqlite3.Connection, limit: int) -> list[str]:
    """Editions whose frozen content cannot be read one way, each as a value problem.

    Run at every open that reads the whole file, in Python rather than SQL: SQLite's
    JSON functions keep the first of two equal keys and accept numbers Python cannot
    hold, so only the reader the program uses can say what it will read.
    """
    problems: list[str] = []
    for row_id, text in connection.execute("SELECT id, snapshot FROM edition ORDER BY id"):
        reason = snapshot_reason(text)
        if reason is not None:
            problems.append(f"the frozen content of edition row {row_id} {reason}")
        if len(problems) >= limit:
            break
    return problems


def snapshot_problems(row_id: int, text: str) -> Iterator[str]:
    """What is wrong with the frozen content of one edition, as the editions service reads it."""
    reason = snapshot_reason(text)
    if reason is not None:
        yield f"the frozen content of edition row {row_id} {reason}."


def read_snapshot(text: object) -> dict[str, Any]:
    """The frozen briefing an edition holds, read by the one JSON rule, or :class:`ValueError`.

    The error's words end a sentence about the frozen content (:func:`snapshot_reason`).
    """
    if not isinstance(text, str):
        raise ValueError("is not JSON text")
    try:
        snapshot = jsontext.read(text)
    except jsontext.UnreadableJson as error:
        raise ValueError(str(error)) from None
    if not isinstance(snapshot, dict) or not _has_shape(snapshot, SNAPSHOT_SHAPE):
        raise ValueError("does not have the shape of a frozen briefing")
    return snapshot


def snapshot_reason(text: object) -> str | None:
    """Why an edition's frozen content cannot be read (end of a sentence), or None."""
    try:
        read_snapshot(text)
    except ValueError as error:
        return str(error)
    return None
