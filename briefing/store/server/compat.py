"""The program's plain SQL, written for SQLite, made to run on PostgreSQL at the driver.

Services hand plain SQL with ``?`` marks to ``exec_driver_sql`` because it is the
fastest way through SQLite. On a server the same text is rewritten once (and
cached) before psycopg sees it: ``?`` becomes ``%s``, a literal ``%`` is doubled,
``INSERT OR IGNORE`` becomes ``ON CONFLICT DO NOTHING`` and ``INSERT OR REPLACE``
an upsert on the table's unique key, and ``CAST(... AS INTEGER)`` widens to
``BIGINT`` as SQLite's integers are 64-bit. Functions and the ``NOCASE``
collation exist on the server under SQLite's names (the migrations create them).

Rows inserted with their own ids leave a server's id sequence behind; after such
an insert the sequence is moved past the largest id.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, event

UPSERT_KEYS = {"tombstone": "uuid", "project_setting": "key"}
"""The unique key ``INSERT OR REPLACE`` replaces on, per table."""

_INSERT = re.compile(r"^\s*INSERT\s+OR\s+(IGNORE|REPLACE)\s+INTO\s+(\w+)\s*\(([^)]*)\)", re.I)
_INSERT_WITH_ID = re.compile(r"^\s*INSERT\s+INTO\s+(\w+)\s*\(\s*(?:[^)]*,\s*)?id\s*[,)]", re.I)
_QUOTED_OR_MARK = re.compile(r"'(?:[^']|'')*'|\?|%|(?<![:\w]):[A-Za-z_]\w*")


@lru_cache(maxsize=512)
def translate(sql: str, plain: bool) -> str:
    """``sql`` as PostgreSQL takes it through psycopg (``plain``: SQLite's ``?`` or ``:name``)."""
    if plain:
        sql = _QUOTED_OR_MARK.sub(_mark, sql)
    found = _INSERT.match(sql)
    if found:
        verb, table, columns = found.groups()
        sql = f"INSERT INTO {table} ({columns}){sql[found.end() :]}"
        if verb.upper() == "IGNORE":
            sql += " ON CONFLICT DO NOTHING"
        else:
            names = [c.strip() for c in columns.split(",")]
            key = UPSERT_KEYS[table]
            updates = ", ".join(f"{n} = EXCLUDED.{n}" for n in names if n != key)
            sql += f" ON CONFLICT ({key}) DO UPDATE SET {updates}"
    return re.sub(r"\bAS INTEGER\)", "AS BIGINT)", sql)


def _mark(found: re.Match[str]) -> str:
    text = found.group(0)
    if text == "?":
        return "%s"
    if text == "%":
        return "%%"
    if text.startswith(":"):
        return f"%({text[1:]})s"
    return text.replace("%", "%%")


def _is_plain(statement: str, parameters: Any) -> bool:
    """Whether the statement came as plain SQLite-style SQL rather than compiled by SQLAlchemy."""
    first = parameters[0] if isinstance(parameters, list) and parameters else parameters
    if isinstance(first, tuple):
        return True
    return isinstance(first, dict) and bool(first) and "%(" not in statement


def install(engine: Engine) -> None:
    """Rewrite plain SQL on every statement this engine runs, and keep id sequences ahead."""

    @event.listens_for(engine, "before_cursor_execute", retval=True)
    def _rewrite(
        conn: object, cursor: object, statement: str, parameters: Any, context: object,
        executemany: bool,
    ) -> tuple[str, Any]:  # fmt: skip
        plain = _is_plain(statement, parameters)
        if plain or "INSERT OR" in statement or "AS INTEGER)" in statement:
            statement = translate(statement, plain)
        return statement, parameters

    @event.listens_for(engine, "after_cursor_execute")
    def _advance(
        conn: object, cursor: Any, statement: str, parameters: Any, context: object,
        executemany: bool,
    ) -> None:  # fmt: skip
        found = _INSERT_WITH_ID.match(statement)
        if found:
            table = found.group(1)
            cursor.connection.execute("SELECT briefing_advance_id(%s)", (table,))
