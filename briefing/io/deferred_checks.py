"""The file's own CHECK constraints, tested once per batch of an import instead of once per row.

SQLite rebuilds the list of an ``IN ('a', 'b', …)`` constraint for every row it
inserts, which costs more than the rest of inserting a casualty claim. During a
bulk import (:func:`deferred`) the rows go in with ``ignore_check_constraints``
on, and :func:`verify` then tests every row the batch wrote against the same
constraints in one query per table, where the lists are built once. A row that
fails is refused as a row-by-row insert would have been, naming the constraint,
and the import's transaction rolls back. The rules of
:mod:`briefing.model.rules` are held to before any of this, as always.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache

from sqlalchemy import CheckConstraint, Connection
from sqlalchemy.dialects import sqlite

from briefing.model import codec
from briefing.model.base import Base
from briefing.model.codec.sql import chunks, fetch

CHILDREN = {"entry": (("casualty_claim", "entry_id"), ("entry_party", "entry_id"))}
"""Rows with CHECK constraints written along with a record of a kind: (table, owner column)."""


@contextmanager
def deferred(connection: Connection) -> Iterator[None]:
    """CHECK constraints off for the block, and surely on again after it (SQLite only)."""
    connection.exec_driver_sql("PRAGMA ignore_check_constraints = ON")
    try:
        yield
    finally:
        connection.exec_driver_sql("PRAGMA ignore_check_constraints = OFF")


def are_deferred(connection: Connection) -> bool:
    if connection.dialect.name != "sqlite":
        return False
    return bool(connection.exec_driver_sql("PRAGMA ignore_check_constraints").scalar())


@cache
def conditions(table_name: str) -> tuple[tuple[str, str], ...]:
    """(name, SQL condition) of each CHECK constraint of a table, as the file states them."""
    table = Base.metadata.tables[table_name]
    found = []
    for constraint in table.constraints:
        if isinstance(constraint, CheckConstraint):
            condition = constraint.sqltext.compile(
                dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}
            )
            found.append((str(constraint.name), str(condition)))
    return tuple(sorted(found))


def verify(connection: Connection, written: Mapping[str, Sequence[int]]) -> None:
    """Refuse (:class:`codec.BrokenRule`) if a row written breaks a CHECK constraint.

    ``written`` holds the ids of the records written per kind; the rows written
    with them (:data:`CHILDREN`) are tested too.
    """
    for kind, ids in written.items():
        if not ids:
            continue
        _verify(connection, codec.TABLE_NAMES[kind], "id", ids)
        for table_name, column in CHILDREN.get(kind, ()):
            _verify(connection, table_name, column, ids)


def _verify(connection: Connection, table_name: str, column: str, ids: Sequence[int]) -> None:
    checks = conditions(table_name)
    if not checks:
        return
    flags = ", ".join(f"NOT ({condition})" for _, condition in checks)
    broken = " OR ".join(f"NOT ({condition})" for _, condition in checks)
    sql = f"SELECT {flags} FROM {table_name}"
    for chunk in chunks(sorted(set(ids))):
        marks = ",".join("?" * len(chunk))
        where = f"WHERE {column} IN ({marks}) AND ({broken}) LIMIT 1"
        rows = fetch(connection, f"{sql} {where}", chunk)
        if rows:
            name = next(name for (name, _), failed in zip(checks, rows[0], strict=True) if failed)
            raise codec.broken_rule(f"CHECK constraint failed: {name}")
