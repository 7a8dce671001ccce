"""An analyst's row never meets, through a unique key, a row hidden from them on a team server.

Ids, UUIDs and data-set ids (an ACLED event's) are unique in their tables,
hidden rows included, and UUIDs can be guessed (an import derives them from a
public data set's ids). ``INSERT ... ON CONFLICT (uuid) DO UPDATE ... WHERE``
compares the ``WHERE`` with the row already holding the key *before* the
policies refuse to touch it; so, on a hidden row, a false condition gave no
error and a true one the policy's: the hidden row's text could be read a
letter at a time, by any column.

So before an analyst's row is added, or its keys changed (a trigger running as
the caller, fixed search path), the rows holding one of its keys are counted
twice: all of them, by a function running as the owner, and those the analyst
sees. If one is hidden the row goes no further, whatever the statement says,
before any conflict is weighed: a row added with the id of a hidden row is
left out, as ``ON CONFLICT (id) DO NOTHING`` leaves it out (the program then
adds it under the counter's next id, :mod:`briefing.model.codec.load`); any
other key, or a key changed, is
refused as PostgreSQL refuses a duplicate key (``unique_violation``), and
:func:`.pg_security.refusal` words it as a duplicate of a seen row is worded.

What stays told, and cannot be otherwise while keys are unique across labels:
that *some* row holds the key (the row is refused or left out, where a key no
row holds is written). Nothing of that row is. The administrator, owner of the tables, is
not bound. Installed with the team's other pieces (repeatable).
"""

from __future__ import annotations

from sqlalchemy import Connection, UniqueConstraint

from briefing.model import Base
from briefing.store.pg_search import OWNER_PATH, owns_the_table
from briefing.store.pg_security import VISIBLE_DEPENDENT, VISIBLE_RECORD

REFUSED = "duplicate key value violates a unique constraint of table"
"""The start of the server's message for such a row, as PostgreSQL's own starts."""


def _keys(table: str) -> tuple[str, ...]:
    """The columns of ``table`` each unique on its own, the id first."""
    model = Base.metadata.tables[table]
    unique = [
        c.columns[0].name
        for c in model.constraints
        if isinstance(c, UniqueConstraint) and len(c.columns) == 1
    ]
    return ("id", *unique)


TABLES = {
    table: _keys(table)
    for table in (*VISIBLE_RECORD, *VISIBLE_DEPENDENT)
    if table in Base.metadata.tables and "id" in Base.metadata.tables[table].columns
}
"""Per table under the markings' policies whose rows have an id: its unique columns."""

RELEASED = """
CREATE TABLE IF NOT EXISTS released_id (
  tbl text NOT NULL, id integer NOT NULL, role text NOT NULL, PRIMARY KEY (tbl, id, role))"""
"""The ids of rows deleted, per table, and who deleted them (kept by the owner's trigger)."""

SETTING = "briefing.keys_held"
"""Where the owner's count hands the guard its figures for the row, which the guard clears."""


def _unchanged(table: str) -> str:
    same = " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in TABLES[table])
    return f"TG_OP = 'UPDATE' AND {same}"


def _count(table: str, freed: str) -> str:
    """The rows of ``table`` other than ``own`` holding each key of ``NEW``, and its id.

    Key by key, so that each is one look-up in its unique index, whatever the statistics.
    """
    held = [
        f"(SELECT count(*) FROM {table} WHERE {column} = NEW.{column} AND id IS DISTINCT FROM own)"
        for column in TABLES[table]
    ]
    return f"SELECT {' + '.join(held)}, {held[0]}, {freed} INTO held, held_id, freed"


def _trigger_function(
    name: str, rights: str, declare: str, body: str, freed: str = "0", first: str = ""
) -> str:
    """A row trigger's function running ``body`` for an analyst's row whose keys are new.

    In ``body``, ``{count}`` counts the rows holding the row's keys into ``held`` and ``held_id``
    and ``{owner}`` lets the owner's row pass (asked only where needed: it costs a query).
    """
    skip = " ".join(
        f"WHEN '{table}' THEN IF {_unchanged(table)} THEN RETURN NEW; END IF;" for table in TABLES
    )
    count = " ".join(f"WHEN '{table}' THEN {_count(table, freed)};" for table in TABLES)
    owner = f"IF {owns_the_table('session_user')} THEN RETURN NEW; END IF;"
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger
LANGUAGE plpgsql {rights} {OWNER_PATH} AS $$
DECLARE
  own integer := CASE WHEN TG_OP = 'UPDATE' THEN OLD.id END;
  held bigint;
  held_id bigint;
  {declare}
BEGIN
  {first}
  CASE TG_TABLE_NAME {skip} ELSE RETURN NEW; END CASE;
  {body.format(count=f"CASE TG_TABLE_NAME {count} END CASE;", owner=owner)}
END $$"""


FREED = (
    "CASE WHEN TG_OP = 'INSERT' THEN (SELECT coalesce(bool_or(role <> session_user)"
    " AND NOT bool_or(role = session_user), false)::integer FROM released_id"
    " WHERE tbl = TG_TABLE_NAME AND id = NEW.id) ELSE 0 END"
)
"""Whether the row is added under an id that another role's deletion freed, and not the
caller's own (which their undo puts back)."""

COUNTED = _trigger_function(
    "briefing_keys_counted",
    "SECURITY DEFINER",
    "freed integer;",
    f"""{{count}}
  IF held > 0 OR freed > 0 THEN
    {{owner}}
    PERFORM set_config('{SETTING}', held || ' ' || held_id || ' ' || freed, true);
  END IF;
  RETURN NEW;""",
    freed=FREED,
)
"""Runs as the owner, first: every row holding a key of the caller's row, and whether its id
is one another role freed; told to the guard only when one is (the common case costs one
query)."""

KEPT = _trigger_function(
    "briefing_keys_kept",
    "",
    "freed integer;\n  told text := current_setting('" + SETTING + "', true);\n  figures text[];",
    f"""PERFORM set_config('{SETTING}', '', true);
  {{owner}}
  figures := string_to_array(told, ' ');
  IF cardinality(figures) IS DISTINCT FROM 3 THEN
    RAISE EXCEPTION USING ERRCODE = 'unique_violation', TABLE = TG_TABLE_NAME,
      MESSAGE = '{REFUSED} "' || TG_TABLE_NAME || '"';
  END IF;
  {{count}}
  IF TG_OP = 'INSERT' AND (figures[2]::bigint > held_id OR figures[3] = '1') THEN
    RETURN NULL;
  END IF;
  IF figures[1]::bigint > held THEN
    RAISE EXCEPTION USING ERRCODE = 'unique_violation', TABLE = TG_TABLE_NAME,
      MESSAGE = '{REFUSED} "' || TG_TABLE_NAME || '"';
  END IF;
  RETURN NEW;""",
    first="IF coalesce(told, '') = '' THEN RETURN NEW; END IF;",
)
"""Runs as the caller, next, when the owner's count told it something: the same rows as the
caller sees them; one more counted by the owner is hidden from them. What a caller sets in
the setting themselves can only have their own row refused or left out."""

RELEASE = f"""
CREATE OR REPLACE FUNCTION briefing_ids_released() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER {OWNER_PATH} AS $$
BEGIN
  INSERT INTO released_id (tbl, id, role) SELECT TG_TABLE_NAME, id, session_user FROM removed
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$"""

TRIGGERS = {
    "keys_counted": "BEFORE INSERT OR UPDATE ON {table} FOR EACH ROW"
    " EXECUTE FUNCTION briefing_keys_counted()",
    "keys_kept": "BEFORE INSERT OR UPDATE ON {table} FOR EACH ROW"
    " EXECUTE FUNCTION briefing_keys_kept()",
    "ids_released": "AFTER DELETE ON {table} REFERENCING OLD TABLE AS removed"
    " FOR EACH STATEMENT EXECUTE FUNCTION briefing_ids_released()",
}
"""Per table; row triggers of a table fire in the order of their names: the count first."""

OWNER_FUNCTIONS = ("briefing_keys_counted()", "briefing_ids_released()")


def install(connection: Connection) -> None:
    """Create the table, the functions and the triggers on every such table (repeatable)."""
    run = connection.exec_driver_sql
    run(RELEASED)
    run("REVOKE ALL ON released_id FROM PUBLIC")
    run("DROP FUNCTION IF EXISTS briefing_keys_held(text, integer, text, text, integer)")
    for sql in (COUNTED, KEPT, RELEASE):
        run(sql)
    for function in OWNER_FUNCTIONS:
        run(f"REVOKE EXECUTE ON FUNCTION {function} FROM PUBLIC")
    for table in TABLES:
        for name, body in TRIGGERS.items():
            run(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            run(f"CREATE TRIGGER {name} {body.format(table=table)}")


def grant_to(role: str) -> list[object]:
    """The statement keeping analyst ``role`` from the owner's table of freed ids."""
    from psycopg import sql  # noqa: PLC0415 - quoting of role names

    return [sql.SQL("REVOKE ALL ON released_id FROM {}").format(sql.Identifier(role))]


CURRENT = (
    "SELECT count(*) FROM pg_catalog.pg_trigger"
    f" WHERE tgname IN ({', '.join(repr(name) for name in TRIGGERS)})"
    " AND to_regclass('released_id') IS NOT NULL"
)


def is_current(connection: Connection) -> bool:
    """Whether every such table has the trigger."""
    return int(connection.exec_driver_sql(CURRENT).scalar_one()) == len(TABLES) * len(TRIGGERS)
