"""Look-ups by id or UUID, a chunk of keys per query, on the connection's own sqlite3 driver."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Table

from briefing.errors import DamagedFile

CHUNK = 500
"""Keys per ``IN (...)`` list, well below SQLite's limit on bound parameters."""


def chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    """Slices of ``values`` short enough for one ``IN (...)`` list."""
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def rows_where_in(connection: Connection, sql: str, column: str, keys: Iterable[Any]) -> list[Any]:
    """Rows of ``sql`` (a SELECT without WHERE) whose ``column`` is one of ``keys``.

    The keys go in sorted, a chunk per query; the rows come back as plain tuples.
    """
    rows: list[Any] = []
    distinct = set(keys)
    try:
        ordered = sorted(distinct)
    except TypeError:  # keys of several types (a spoiled row's): each type apart
        ordered = sorted(distinct, key=_key_order)
    for chunk in chunks(ordered):
        marks = ",".join("?" * len(chunk))
        rows += fetch(connection, f"{sql} WHERE {column} IN ({marks})", chunk)
    return rows


def _key_order(key: Any) -> tuple[str, Any]:
    """Keys of one type sort among themselves; a key of another type (a spoiled row's) apart."""
    return (type(key).__name__, key)


def _lookup(
    connection: Connection, kind_table: Table, by: str, want: str, keys: Iterable[Any]
) -> dict[Any, Any]:
    """Map values of column ``by`` to column ``want``."""
    wanted = (k for k in keys if k is not None and k != "")
    return dict(
        rows_where_in(connection, f"SELECT {by}, {want} FROM {kind_table.name}", by, wanted)
    )


def uuids_for_ids(connection: Connection, kind_table: Table, ids: Iterable[int]) -> dict[int, str]:
    return _lookup(connection, kind_table, "id", "uuid", ids)


def ids_for_uuids(
    connection: Connection, kind_table: Table, uuids: Iterable[str]
) -> dict[str, int]:
    return _lookup(connection, kind_table, "uuid", "id", uuids)


def fetch(connection: Connection, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
    """Plain tuples from the connection's own sqlite3 connection, in its transaction.

    On a server the same SQL goes through the engine, which adapts it to the driver.
    """
    if connection.dialect.name != "sqlite":
        return [tuple(row) for row in connection.exec_driver_sql(sql, tuple(parameters))]
    driver = connection.connection.driver_connection
    try:
        return driver.execute(sql, tuple(parameters)).fetchall()  # type: ignore[union-attr]
    except sqlite3.DatabaseError as error:
        if getattr(error, "sqlite_errorname", "") in ("SQLITE_CORRUPT", "SQLITE_NOTADB"):
            raise DamagedFile("SQLite cannot read some of its pages") from None
        raise
