"""No stamp an analyst writes on a team server is later than the server's clock.

Every record carries when it was made and last changed (``created_at``,
``updated_at``); an edition when it was frozen, an export record when it was
written. A record stamped far ahead would win every later comparison: a merge
taking the newer of two edits, "newest wins", the sync points that say what a
merge already weighed. So a stamp an analyst writes dated after the server's
clock is dated by that clock (a trigger per table, before each row is written,
running as the caller on a fixed search path), as their tombstones and sync
points are (:mod:`.pg_history`). A record's stamps are dated so whatever they
say; an edition's and an export record's only within the day ahead the
policies allow, so that what is dated further is still refused there. The
administrator, owner of the tables, is not bound (a copy to a server keeps its
stamps). Installed with the team's other pieces (repeatable).
"""

from __future__ import annotations

from sqlalchemy import Connection

from briefing.model.codec import TABLE_NAMES
from briefing.store.pg_history import LATEST, NOW
from briefing.store.pg_search import OWNER_PATH, owns_the_table

RECORD_STAMPS = ("created_at", "updated_at")
"""The stamps of every record table."""

HISTORY_STAMPS = {"edition": "frozen_at", "export_record": "exported_at"}
"""The stamp of each table of published history (its policy refuses one beyond the day)."""

TABLES = (*TABLE_NAMES.values(), *HISTORY_STAMPS)


def _ahead(column: str, bound: str = "") -> str:
    """``NEW.column`` is dated after the server's clock (and no later than ``bound``)."""
    later = f'NEW.{column} COLLATE "C" > now_text'
    return f'{later} AND NEW.{column} COLLATE "C" <= {bound}' if bound else later


def _body() -> str:
    owner = f"IF {owns_the_table()} THEN RETURN NEW; END IF;"  # asked only when dated ahead
    history = " ".join(
        f"WHEN '{table}' THEN IF {_ahead(column, LATEST)} THEN {owner}"
        f" NEW.{column} := now_text; END IF;"
        for table, column in HISTORY_STAMPS.items()
    )
    records = " ".join(
        f"IF {_ahead(column)} THEN {owner} NEW.{column} := now_text; END IF;"
        for column in RECORD_STAMPS
    )
    return f"""
CREATE OR REPLACE FUNCTION briefing_stamps_kept() RETURNS trigger
LANGUAGE plpgsql {OWNER_PATH} AS $$
DECLARE
  now_text text := {NOW};
BEGIN
  CASE TG_TABLE_NAME {history} ELSE {records} END CASE;
  RETURN NEW;
END $$"""


FUNCTION = _body()

TRIGGER = (
    "CREATE TRIGGER stamps_kept BEFORE INSERT OR UPDATE ON {table} FOR EACH ROW"
    " EXECUTE FUNCTION briefing_stamps_kept()"
)


def install(connection: Connection) -> None:
    """Create the function and a trigger per table with stamps (repeatable)."""
    run = connection.exec_driver_sql
    run(FUNCTION)
    for table in TABLES:
        run(f"DROP TRIGGER IF EXISTS stamps_kept ON {table}")
        run(TRIGGER.format(table=table))


CURRENT = "SELECT count(*) FROM pg_catalog.pg_trigger WHERE tgname = 'stamps_kept'"


def is_current(connection: Connection) -> bool:
    """Whether every table with stamps has the trigger."""
    return int(connection.exec_driver_sql(CURRENT).scalar_one()) == len(TABLES)


def remove(connection: Connection) -> None:
    """Undo :func:`install` (a downgrade)."""
    run = connection.exec_driver_sql
    for table in TABLES:
        run(f"DROP TRIGGER IF EXISTS stamps_kept ON {table}")
    run("DROP FUNCTION IF EXISTS briefing_stamps_kept()")
