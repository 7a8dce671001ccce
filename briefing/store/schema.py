"""What a project file must look like: identifiers, pragmas and the expected schema."""

from __future__ import annotations

import json
import re
import sqlite3
from functools import cache
from pathlib import Path

APPLICATION_ID = 0x43425246  # "CBRF"
SCHEMA_VERSION = 3
"""Current file format, written to ``PRAGMA user_version``; see store/schemas/README.md."""

SQLITE_MAGIC = b"SQLite format 3\x00"
FILE_SUFFIX = ".brief"

CONNECTION_PRAGMAS = (
    "PRAGMA journal_mode = DELETE",
    "PRAGMA foreign_keys = ON",
    "PRAGMA synchronous = FULL",
    "PRAGMA secure_delete = ON",
    "PRAGMA trusted_schema = OFF",
)

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"


def apply_pragmas(connection: sqlite3.Connection) -> None:
    for pragma in CONNECTION_PRAGMAS:
        connection.execute(pragma)


def normalise_sql(sql: object) -> str:
    return re.sub(r"\s+", " ", str(sql or "")).strip()


SchemaObject = tuple[str, str, str, str]
"""(type, name, table name, normalised SQL) of one sqlite_master row."""


_RESERVED = "name LIKE 'sqlite\\_%' ESCAPE '\\'"

SQLITE_OWN_TABLES: frozenset[SchemaObject] = frozenset(
    ("table", name, name, sql)
    for name, sql in (
        ("sqlite_sequence", "CREATE TABLE sqlite_sequence(name,seq)"),
        ("sqlite_stat1", "CREATE TABLE sqlite_stat1(tbl,idx,stat)"),
        ("sqlite_stat2", "CREATE TABLE sqlite_stat2(tbl,idx,sampleno,sample)"),
        ("sqlite_stat3", "CREATE TABLE sqlite_stat3(tbl,idx,neq,nlt,ndlt,sample)"),
        ("sqlite_stat4", "CREATE TABLE sqlite_stat4(tbl,idx,neq,nlt,ndlt,sample)"),
    )
)
"""Tables SQLite itself may add under its reserved names (AUTOINCREMENT, ANALYZE), exactly
as SQLite writes them; each is allowed, never required."""


def read_schema(connection: sqlite3.Connection) -> set[SchemaObject]:
    """The schema objects a file holds, leaving out those under SQLite's reserved names."""
    return _objects(connection, f"NOT {_RESERVED}")


def _objects(connection: sqlite3.Connection, where: str) -> set[SchemaObject]:
    """Rows of ``sqlite_master`` as text (a hostile file may store any type in them)."""
    rows = connection.execute(f"SELECT type, name, tbl_name, sql FROM sqlite_master WHERE {where}")
    return {(str(t), str(n), str(tbl), normalise_sql(sql)) for t, n, tbl, sql in rows}


def read_reserved(connection: sqlite3.Connection) -> set[SchemaObject]:
    """The schema objects a file holds under SQLite's reserved ``sqlite_`` names.

    SQLite refuses to create such names, but a file edited byte by byte (or with
    ``writable_schema``) can hide a trigger, view or table behind one; so they are
    read and checked like every other object.
    """
    return _objects(connection, _RESERVED)


@cache
def expected_reserved(version: int) -> frozenset[SchemaObject]:
    """The reserved objects SQLite itself creates for the tables of a format.

    These are the indexes behind PRIMARY KEY and UNIQUE constraints
    (``sqlite_autoindex_*``, without SQL). They are found by letting SQLite build
    the format's tables in memory, so the answer is SQLite's own rather than a
    copy of its naming habits.
    """
    connection = sqlite3.connect(":memory:")
    try:
        for kind, _name, _, sql in sorted(expected_schema(version) or ()):
            if kind != "table":
                continue
            try:
                connection.execute(sql)
            except sqlite3.OperationalError as error:
                if "already exists" not in str(error):  # shadow tables of the full-text index
                    raise
        return frozenset(read_reserved(connection))
    finally:
        connection.close()


def expected_schema(version: int) -> set[SchemaObject] | None:
    """The schema a file of this version must have, or None for a version we never released."""
    path = SCHEMA_DIR / f"v{version}.json"
    if not path.is_file():
        return None
    return {tuple(row) for row in json.loads(path.read_text(encoding="utf-8"))}  # type: ignore[misc]


def write_expected_schema(connection: sqlite3.Connection, version: int) -> Path:
    """Record the schema of a freshly created file (run by the maintainers' schema script)."""
    path = SCHEMA_DIR / f"v{version}.json"
    rows = sorted(read_schema(connection))
    path.write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
