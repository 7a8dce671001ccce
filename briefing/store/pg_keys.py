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

ARGUMENTS = {"id": "integer", "uuid": "text", "external_id": "text"}
"""Each unique column, as the owner's count takes it (``k_`` and its name)."""


def _holders(table: str, prefix: str) -> str:
    """The rows of ``table`` other than row ``own`` holding a key given as ``{prefix}column``."""
    held = " OR ".join(f"{column} = {prefix}{column}" for column in TABLES[table])
    return f"FROM {table} WHERE ({held}) AND id IS DISTINCT FROM own"


def _counter() -> str:
    cases = " ".join(
        f"WHEN '{table}' THEN RETURN (SELECT count(*) {_holders(table, 'k_')});" for table in TABLES
    )
    arguments = ", ".join(f"k_{name} {kind}" for name, kind in ARGUMENTS.items())
    return f"""
CREATE OR REPLACE FUNCTION briefing_keys_held(tbl text, {arguments}, own integer)
RETURNS bigint LANGUAGE plpgsql STABLE SECURITY DEFINER {OWNER_PATH} AS $$
BEGIN
  CASE tbl {cases} ELSE RETURN 0; END CASE;
END $$"""


def _hidden(table: str, keys: tuple[str, ...]) -> str:
    """plpgsql: whether a row hidden from the caller holds one of ``keys`` of ``NEW``."""
    given = ", ".join(f"NEW.{c}" if c in keys else "NULL" for c in ARGUMENTS)
    seen = " OR ".join(f"{c} = NEW.{c}" for c in keys)
    return (
        f"briefing_keys_held('{table}', {given}, own)"
        f" > (SELECT count(*) FROM {table} WHERE ({seen}) AND id IS DISTINCT FROM own)"
    )


def _guard() -> str:
    def case(table: str) -> str:
        keys = TABLES[table]
        unchanged = " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in keys)
        return (
            f"WHEN '{table}' THEN"
            f" IF TG_OP = 'UPDATE' AND {unchanged} THEN RETURN NEW; END IF;"
            f" IF {_hidden(table, keys)} THEN"
            f" IF TG_OP = 'INSERT' AND {_hidden(table, ('id',))} THEN RETURN NULL; END IF;"
            f" RAISE EXCEPTION USING ERRCODE = 'unique_violation', TABLE = '{table}',"
            f" MESSAGE = '{REFUSED} \"{table}\"'; END IF;"
        )

    cases = " ".join(case(table) for table in TABLES)
    return f"""
CREATE OR REPLACE FUNCTION briefing_keys_kept() RETURNS trigger
LANGUAGE plpgsql {OWNER_PATH} AS $$
DECLARE
  own integer := CASE WHEN TG_OP = 'UPDATE' THEN OLD.id END;
BEGIN
  IF {owns_the_table()} THEN
    RETURN NEW;
  END IF;
  CASE TG_TABLE_NAME {cases} ELSE NULL; END CASE;
  RETURN NEW;
END $$"""


FUNCTIONS = (_counter(), _guard())

OWNER_FUNCTION = "briefing_keys_held(text, integer, text, text, integer)"
"""Counts rows past the policies: the analysts run it (for their trigger), no other role."""


def install(connection: Connection) -> None:
    """Create the functions and the trigger on every such table (repeatable)."""
    run = connection.exec_driver_sql
    for sql in FUNCTIONS:
        run(sql)
    run(f"REVOKE EXECUTE ON FUNCTION {OWNER_FUNCTION} FROM PUBLIC")
    for table in TABLES:
        run(f"DROP TRIGGER IF EXISTS keys_kept ON {table}")
        run(
            f"CREATE TRIGGER keys_kept BEFORE INSERT OR UPDATE ON {table} FOR EACH ROW"
            " EXECUTE FUNCTION briefing_keys_kept()"
        )


def grant_to(role: str) -> list[object]:
    """The statement letting analyst ``role`` run the owner's count."""
    from psycopg import sql  # noqa: PLC0415 - quoting of role names

    return [
        sql.SQL("GRANT EXECUTE ON FUNCTION {} TO {}").format(
            sql.SQL(OWNER_FUNCTION), sql.Identifier(role)
        )
    ]


CURRENT = (
    "SELECT count(*) FROM pg_catalog.pg_trigger WHERE tgname = 'keys_kept'"
    f" AND to_regprocedure('{OWNER_FUNCTION}') IS NOT NULL"
)


def is_current(connection: Connection) -> bool:
    """Whether every such table has the trigger."""
    return int(connection.exec_driver_sql(CURRENT).scalar_one()) == len(TABLES)
