"""Changes announced on a team server: every commit tells the other open projects.

A statement trigger on every project table sends ``NOTIFY briefing_changes`` with
the writing connection's session token (the custom setting ``briefing.session``).
PostgreSQL delivers a notification only when the transaction commits, and sends
one per transaction however many rows changed. The payload names no record, so
it tells an analyst nothing about records their clearance hides.

The rule, and the risk accepted: every commit reaches every listener, so the
moment of a commit to a record hidden from an analyst reaches them too (their
window refreshes), never its content. Splitting the channel by marking would
not close this, as PostgreSQL lets any role LISTEN on any channel; the token
says no more than the sender's process id, which PostgreSQL attaches to every
notification. The README's team section says so to the desk.

:class:`ChangeListener` holds its own connection (in autocommit, LISTENing) and
answers, without blocking, whether another session committed since the last
call; its :meth:`~ChangeListener.fileno` lets a window wake up when a
notification arrives instead of polling. Plain Python: the window wraps it.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import Connection

CHANNEL = "briefing_changes"
SETTING = "briefing.session"

NOTIFY_FUNCTION = f"""
CREATE OR REPLACE FUNCTION briefing_notify_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('{CHANNEL}', coalesce(current_setting('{SETTING}', true), ''));
  RETURN NULL;
END
$$"""

ANNOUNCED_TABLES = (
    "party",
    "source",
    "timeline_entry",
    "statement",
    "relationship",
    "briefing",
    "entry_party",
    "entry_source",
    "relationship_source",
    "statement_contradiction",
    "casualty_claim",
    "key_judgment",
    "section",
    "section_item",
    "edition",
    "export_record",
    "tombstone",
    "project_setting",
)
"""Tables whose changes other windows must see."""


def install(connection: Connection) -> None:
    """Create the trigger on every announced table (PostgreSQL only; repeatable)."""
    if connection.dialect.name != "postgresql":
        return
    connection.exec_driver_sql(NOTIFY_FUNCTION)
    for table in ANNOUNCED_TABLES:
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS briefing_notify ON {table}")
        connection.exec_driver_sql(
            f"CREATE TRIGGER briefing_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE"
            f" ON {table} FOR EACH STATEMENT EXECUTE FUNCTION briefing_notify_change()"
        )


def remove(connection: Connection) -> None:
    """Undo :func:`install` (a downgrade)."""
    if connection.dialect.name != "postgresql":
        return
    for table in ANNOUNCED_TABLES:
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS briefing_notify ON {table}")
    connection.exec_driver_sql("DROP FUNCTION IF EXISTS briefing_notify_change()")


def new_token() -> str:
    """A token naming one open project's connections in the notifications they cause."""
    return secrets.token_hex(8)


def session_setup(dbapi_connection: Any, token: str) -> None:
    """Mark a new connection of a project with its token (call on every connect).

    ``set_config`` with a bound value: the token never becomes SQL text.
    """
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, false)", (SETTING, token))
    dbapi_connection.commit()


class ChangeListener:
    """A LISTENing connection that tells whether another session committed since last asked."""

    def __init__(self, conninfo: str, token: str, **connect_args: Any) -> None:
        import psycopg  # the file back end never needs it

        self.token = token
        self._connection = psycopg.connect(conninfo, autocommit=True, **connect_args)
        self._connection.execute(f"LISTEN {CHANNEL}")

    def fileno(self) -> int:
        """The socket that becomes readable when a notification arrives."""
        return self._connection.fileno()

    def drain(self) -> bool:
        """Read every waiting notification without blocking; True if one came from elsewhere."""
        import psycopg

        if self._connection.closed:
            return False
        others = False
        try:
            for note in self._connection.notifies(timeout=0, stop_after=None):
                others = others or note.payload != self.token
        except psycopg.OperationalError:
            return False
        return others

    def close(self) -> None:
        self._connection.close()
