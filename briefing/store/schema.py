"""What a project file must look like: identifiers, pragmas and the expected schema."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

APPLICATION_ID = 0x43425246  # "CBRF"
SCHEMA_VERSION = 1
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


def normalise_sql(sql: str | None) -> str:
    return re.sub(r"\s+", " ", sql or "").strip()


SchemaObject = tuple[str, str, str, str]
"""(type, name, table name, normalised SQL) of one sqlite_master row."""


def read_schema(connection: sqlite3.Connection) -> set[SchemaObject]:
    """The schema objects a file holds, leaving out SQLite's own ``sqlite_`` tables."""
    rows = connection.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master "
        "WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
    )
    return {(t, n, tbl, normalise_sql(sql)) for t, n, tbl, sql in rows}


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
