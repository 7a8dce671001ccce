"""A record an analyst deletes on a team server takes nothing hidden from them with it.

The project's foreign keys delete or empty, with a record, every row naming it:
a relationship with its parties, an entry's links and claims, a statement's
speaker, a party's place inside its parent, an item of a section, a briefing's
editions. PostgreSQL runs those actions as the tables' owner, past the markings'
policies, so an AMBER analyst deleting a CLEAR party would delete the RED
relationships it is in and empty the speaker of a RED statement, and deleting a
briefing would remove an edition they may not read (one naming a RED record).

So before an analyst's deletion of a record, the rows naming it, and the rows
naming those the keys delete with it (a relationship's sources and items, a
section's items), are counted twice: all of them, by a trigger running as the
owner, and those the analyst sees, under their policies, by the next trigger,
running as the caller (fixed search paths; the first hands its figure to the
second in a setting the second clears). The owner's count is no function an
analyst may call: given any id it would tell whether rows hidden from them name it.
If some are hidden the deletion is refused in one sentence (which says no more
than that such rows exist, as a refused link to a hidden record does). The
administrator is not bound, nor is what the foreign keys themselves delete.
Installed with the team's other pieces (repeatable).
"""

from __future__ import annotations

from sqlalchemy import Connection

from briefing.model import Base
from briefing.model.codec import TABLE_NAMES
from briefing.store.pg_search import OWNER_PATH, owns_the_table

REFUSED = "records hidden from you depend on a row of table"

SETTING = "briefing.naming_rows"
"""Where the owner's count of the rows naming a deleted row is handed to the caller's check."""
"""The start of the server's message for such a deletion (see :func:`.pg_security.refusal`)."""

TABLES = tuple(TABLE_NAMES.values())


def naming(table: str) -> list[tuple[str, str, str]]:
    """(table, column, action) of every foreign key acting when a row of ``table`` goes.

    The action deletes or empties the row naming it.
    """
    return sorted(
        (other.name, key.parent.name, key.ondelete)
        for other in Base.metadata.sorted_tables
        for key in other.foreign_keys
        if key.column.table.name == table and key.ondelete in ("CASCADE", "SET NULL")
    )


def _counts(table: str, going: str, depth: int = 0) -> list[str]:
    """Counts of the rows naming the rows of ``table`` whose ids ``going`` gives.

    Then of the rows naming those the foreign keys delete with them, and so on.
    """
    counts = []
    for other, column, action in naming(table):
        rows = f"FROM {other} WHERE {column} IN ({going})"
        counts.append(f"(SELECT count(*) {rows})")
        has_id = "id" in Base.metadata.tables[other].columns
        if action == "CASCADE" and has_id and other != table and depth < 3:
            counts += _counts(other, f"SELECT id {rows}", depth + 1)
    return counts


def _count_sql() -> str:
    cases = " ".join(f"WHEN '{table}' THEN {' + '.join(_counts(table, 'rid'))}" for table in TABLES)
    return f"SELECT CASE tbl {cases} ELSE 0 END"


def _counter(name: str, definer: bool) -> str:
    rights = "SECURITY DEFINER" if definer else "SECURITY INVOKER"
    return (
        f"CREATE OR REPLACE FUNCTION {name}(tbl text, rid integer) RETURNS bigint"
        f" LANGUAGE sql STABLE {rights} {OWNER_PATH} AS $$ {_count_sql()} $$"
    )


FUNCTIONS = (
    _counter("briefing_naming_rows", definer=True),
    _counter("briefing_naming_rows_seen", definer=False),
    f"""
CREATE OR REPLACE FUNCTION briefing_deletion_counted() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER {OWNER_PATH} AS $$
BEGIN
  IF NOT {owns_the_table("session_user")} THEN
    PERFORM set_config('{SETTING}', TG_TABLE_NAME || ' ' || OLD.id || ' '
                       || briefing_naming_rows(TG_TABLE_NAME, OLD.id), true);
  END IF;
  RETURN OLD;
END $$""",
    f"""
CREATE OR REPLACE FUNCTION briefing_deletion_kept() RETURNS trigger
LANGUAGE plpgsql {OWNER_PATH} AS $$
DECLARE
  told text[];
BEGIN
  IF {owns_the_table("session_user")} THEN
    RETURN OLD;
  END IF;
  told := string_to_array(current_setting('{SETTING}', true), ' ');
  PERFORM set_config('{SETTING}', '', true);
  IF cardinality(told) IS DISTINCT FROM 3 OR told[1] <> TG_TABLE_NAME
     OR told[2] <> OLD.id::text
     OR told[3]::bigint <> briefing_naming_rows_seen(TG_TABLE_NAME, OLD.id) THEN
    RAISE EXCEPTION USING ERRCODE = '42501',
      MESSAGE = '{REFUSED} "' || TG_TABLE_NAME || '"';
  END IF;
  RETURN OLD;
END $$""",
)

OWNER_FUNCTION = "briefing_naming_rows(text, integer)"
"""Counts rows past the policies: only the owner's trigger runs it (an analyst who could would
count the rows naming any id, a hidden record's too)."""

TRIGGERS = {
    "deletion_counted": "briefing_deletion_counted()",
    "deletion_kept": "briefing_deletion_kept()",
}
"""Per record table, before a deletion, in the order of their names: the owner's count first,
handed to the caller's in a setting the latter clears."""


def install(connection: Connection) -> None:
    """Create the counting functions and the triggers on every record table (repeatable)."""
    run = connection.exec_driver_sql
    for sql in FUNCTIONS:
        run(sql)
    for function in (OWNER_FUNCTION, "briefing_deletion_counted()"):
        run(f"REVOKE EXECUTE ON FUNCTION {function} FROM PUBLIC")
    for table in TABLES:
        for name, function in TRIGGERS.items():
            run(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            run(
                f"CREATE TRIGGER {name} BEFORE DELETE ON {table} FOR EACH ROW"
                f" EXECUTE FUNCTION {function}"
            )


def grant_to(role: str) -> list[object]:
    """The statement taking from analyst ``role`` the owner's count an earlier version gave."""
    from psycopg import sql  # noqa: PLC0415 - quoting of role names

    return [
        sql.SQL("REVOKE EXECUTE ON FUNCTION {} FROM {}").format(
            sql.SQL(OWNER_FUNCTION), sql.Identifier(role)
        )
    ]


CURRENT = f"""
SELECT (SELECT count(*) FROM pg_catalog.pg_trigger
        WHERE tgname IN ({", ".join(repr(name) for name in TRIGGERS)}))
       = {len(TABLES) * len(TRIGGERS)}
   AND to_regprocedure('{OWNER_FUNCTION}') IS NOT NULL
   AND NOT EXISTS (
     SELECT 1 FROM analyst_clearance a JOIN pg_catalog.pg_roles r ON r.rolname = a.role
     JOIN pg_catalog.pg_proc p ON p.oid = to_regprocedure('{OWNER_FUNCTION}')
     WHERE NOT pg_has_role(a.role, p.proowner, 'USAGE')
       AND has_function_privilege(a.role, p.oid, 'EXECUTE'))"""


def is_current(connection: Connection) -> bool:
    """Whether every record table has the triggers, and no analyst the owner's count."""
    return bool(connection.exec_driver_sql(CURRENT).scalar_one())


def remove(connection: Connection) -> None:
    """Undo :func:`install` (a downgrade)."""
    run = connection.exec_driver_sql
    for table in TABLES:
        for name in TRIGGERS:
            run(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    seen = "briefing_naming_rows_seen(text, integer)"
    for name in (*TRIGGERS.values(), OWNER_FUNCTION, seen):
        run(f"DROP FUNCTION IF EXISTS {name}")
