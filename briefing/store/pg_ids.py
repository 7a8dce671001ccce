"""The ids of an analyst's rows on a team server are ones the server gave out.

Rows take their ids from a counter (a sequence) per table; an undo puts a row back
under the id it had, and the program moves the counter past any id so written
(``briefing_advance_id``). An analyst's own SQL could write a row under the
largest id a column holds, or move a row there, and have the counter follow: no
one, whatever their clearance, could then add a row to that table until the
administrator reset it. So after each statement of an analyst adding or changing
rows (a trigger per statement, running as the caller, fixed search path), every
id must be one the counter has already given out. The administrator, owner of
the tables, is not bound (a copy to a server writes its own ids).
Installed with the team's other pieces (repeatable).
"""

from __future__ import annotations

from sqlalchemy import Connection

from briefing.model import Base
from briefing.store.pg_search import OWNER_PATH, owns_the_table

REFUSED = "an id the server did not give out, in table"
"""The start of the server's message for such a row (see :func:`.pg_security.refusal`)."""

TABLES = tuple(
    name
    for name, table in Base.metadata.tables.items()
    if "id" in table.columns and table.columns["id"].primary_key
)
"""Tables whose rows take their ids from a counter."""

FUNCTION = f"""
CREATE OR REPLACE FUNCTION briefing_ids_given() RETURNS trigger
LANGUAGE plpgsql {OWNER_PATH} AS $$
DECLARE
  counter text := pg_get_serial_sequence(quote_ident(TG_TABLE_SCHEMA) || '.'
                                         || quote_ident(TG_TABLE_NAME), 'id');
BEGIN
  IF counter IS NOT NULL
     AND NOT {owns_the_table()}
     AND (SELECT max(id) FROM added)
         > coalesce(pg_sequence_last_value(counter::regclass), 0) THEN
    RAISE EXCEPTION USING ERRCODE = '42501',
      MESSAGE = '{REFUSED} "' || TG_TABLE_NAME || '"';
  END IF;
  RETURN NULL;
END $$"""


def install(connection: Connection) -> None:
    """Create the function and a trigger per table (repeatable)."""
    run = connection.exec_driver_sql
    run(FUNCTION)
    for table in TABLES:
        for verb in ("insert", "update"):
            run(f"DROP TRIGGER IF EXISTS ids_given_{verb} ON {table}")
            run(
                f"CREATE TRIGGER ids_given_{verb} AFTER {verb.upper()} ON {table}"
                " REFERENCING NEW TABLE AS added FOR EACH STATEMENT"
                " EXECUTE FUNCTION briefing_ids_given()"
            )


CURRENT = "SELECT count(*) FROM pg_catalog.pg_trigger WHERE left(tgname, 10) = 'ids_given_'"


def is_current(connection: Connection) -> bool:
    """Whether every such table has its triggers."""
    return int(connection.exec_driver_sql(CURRENT).scalar_one()) == 2 * len(TABLES)
