"""What an analyst may write of a team project's history and settings: what their actions write.

Tombstones, sync points, editions and export records hold no record text, so the
markings do not hide them; but they steer merges and record what was published.
A forged tombstone deletes a live record (even a RED one the forger cannot see)
in the next merge; a sync point dated ahead makes a merge treat the other side's
changes as already weighed; a rewritten edition falsifies what was published.
So, for analysts (the administrator, owner of the tables, is not bound):

- a tombstone is written only for a record that does not exist (as the owner
  sees, so a hidden one counts), of a known kind, dated no later than a merge
  would accept (a day ahead); rewritten (by a merge) only for the same record and
  never dated back; removed only once its record exists again (an undone
  deletion, a record a merge brought back);
- a setting is written only under the keys an analyst's own commands use:
  export choices, import bookkeeping (``acled:``) and sync points (``merge:``)
  whose stamps are no later than that day ahead, and a title where there is
  none (an import adopts its document's). The project's identity, title,
  creation time and any other key are the administrator's;
- an edition is never rewritten, added dated ahead, or removed, but by undoing
  one's own freeze or merge (who added it is kept by the server); a briefing
  deleted takes its editions with it (the server's cascade);
- an export record is added dated about now, and never rewritten or removed.

The checks that must see past the analyst's policies run as the owner
(``SECURITY DEFINER``, fixed search path). Installed with the team's other
pieces (repeatable); :data:`CURRENT` tells whether a project has them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from briefing.model.codec import KINDS, TABLE_NAMES
from briefing.store.pg_search import OWNER_PATH

STAMP = '\'YYYY-MM-DD"T"HH24:MI:SS.US"Z"\''
LATEST = f"to_char((now() + interval '1 day') AT TIME ZONE 'UTC', {STAMP})"
"""The latest stamp an analyst may write: a merge leaves out anything dated further ahead."""
EARLIEST_EXPORT = f"to_char((now() - interval '1 day') AT TIME ZONE 'UTC', {STAMP})"
"""An export is recorded as it is written; a day either way allows for a client's clock."""

ANALYSTS_SETTINGS = ("pdf_timeline_pages", "docx_template", "organisation")
"""Settings an analyst's export remembers."""

_LIVE = " OR ".join(
    f"EXISTS (SELECT 1 FROM {table} WHERE uuid = u)" for table in TABLE_NAMES.values()
)
_KINDS = ", ".join(f"'{kind}'" for kind in KINDS)

FUNCTIONS = (
    f"""
CREATE OR REPLACE FUNCTION briefing_uuid_live(u text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER {OWNER_PATH} AS $$ SELECT {_LIVE} $$""",
    f"""
CREATE OR REPLACE FUNCTION briefing_sync_point_ok(value text) RETURNS boolean
LANGUAGE plpgsql STABLE {OWNER_PATH} AS $$
DECLARE
  doc jsonb;
  name text;
BEGIN
  doc := value::jsonb;
  IF jsonb_typeof(doc) IS DISTINCT FROM 'object' THEN
    RETURN false;
  END IF;
  FOREACH name IN ARRAY ARRAY['seen', 'shown', 'at'] LOOP
    IF coalesce(jsonb_typeof(doc -> name), 'null') NOT IN ('null', 'string')
       OR (doc ->> name) > {LATEST} THEN
      RETURN false;
    END IF;
  END LOOP;
  RETURN true;
EXCEPTION WHEN others THEN
  RETURN false;
END $$""",
    """
CREATE TABLE IF NOT EXISTS edition_maker (
  edition_id integer PRIMARY KEY REFERENCES edition(id) ON DELETE CASCADE,
  role text NOT NULL)""",
    f"""
CREATE OR REPLACE FUNCTION briefing_edition_made() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER {OWNER_PATH} AS $$
BEGIN
  INSERT INTO edition_maker (edition_id, role) VALUES (NEW.id, session_user)
  ON CONFLICT (edition_id) DO UPDATE SET role = EXCLUDED.role;
  RETURN NULL;
END $$""",
    f"""
CREATE OR REPLACE FUNCTION briefing_made_by_me(edition integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER {OWNER_PATH} AS $$
  SELECT EXISTS (SELECT 1 FROM edition_maker WHERE edition_id = edition AND role = session_user)
$$""",
)

TOMBSTONE_KEPT = f"""
CREATE OR REPLACE FUNCTION briefing_tombstone_kept() RETURNS trigger
LANGUAGE plpgsql {OWNER_PATH} AS $$
BEGIN
  IF (NEW.uuid IS DISTINCT FROM OLD.uuid OR NEW.deleted_at < OLD.deleted_at)
     AND NOT pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID),
                         'USAGE') THEN
    RAISE EXCEPTION 'permission denied for table tombstone' USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END $$"""
"""A tombstone rewritten by an analyst (a merge bringing a later deletion of the same record)
keeps its record and is not dated back: run as the caller, so it knows who that is."""

OWNER_FUNCTIONS = (
    "briefing_uuid_live(text)",
    "briefing_made_by_me(integer)",
    "briefing_edition_made()",
)


_SETTING = (
    f"(key IN ({', '.join(repr(k) for k in ANALYSTS_SETTINGS)}) OR left(key, 6) = 'acled:'"
    f" OR (left(key, 6) = 'merge:' AND briefing_sync_point_ok(value)))"
)
_BURIED = f"kind IN ({_KINDS}) AND deleted_at <= {LATEST} AND NOT briefing_uuid_live(uuid)"

_UNTITLED = "(key = 'title' AND value = '')"
"""A project without a title takes that of the first document imported into it."""

POLICIES = {
    "tombstone": (
        "FOR SELECT USING (true)",
        f"FOR INSERT WITH CHECK ({_BURIED})",
        f"FOR UPDATE USING (true) WITH CHECK ({_BURIED})",
        "FOR DELETE USING (briefing_uuid_live(uuid))",
    ),
    "project_setting": (
        "FOR SELECT USING (true)",
        f"FOR INSERT WITH CHECK {_SETTING}",
        f"FOR UPDATE USING ({_SETTING} OR {_UNTITLED}) WITH CHECK ({_SETTING} OR key = 'title')",
        f"FOR DELETE USING {_SETTING}",
    ),
    "edition": (
        f"AS RESTRICTIVE FOR INSERT WITH CHECK (frozen_at <= {LATEST})",
        "AS RESTRICTIVE FOR DELETE USING (briefing_made_by_me(id))",
    ),
    "export_record": (
        f"AS RESTRICTIVE FOR INSERT WITH CHECK (exported_at BETWEEN {EARLIEST_EXPORT}"
        f" AND {LATEST})",
    ),
}
"""Per table, the policies beside the markings' (``kept_1``, ``kept_2``, ...)."""

KEPT = {
    "tombstone": "record of deletions",
    "project_setting": "settings",
    "edition": "editions",
    "export_record": "export history",
}
"""The tables ruled here, as a refusal names them."""

NO_REWRITE = {"edition": "UPDATE", "export_record": "UPDATE, DELETE"}
"""Rights taken from every analyst: published history is not rewritten."""


def install(connection: Connection) -> None:
    """Create the functions, the edition makers' table and the policies (repeatable)."""
    run = connection.exec_driver_sql
    for sql in FUNCTIONS:
        run(sql)
    run(TOMBSTONE_KEPT)
    run("DROP TRIGGER IF EXISTS tombstone_kept ON tombstone")
    run(
        "CREATE TRIGGER tombstone_kept BEFORE UPDATE ON tombstone FOR EACH ROW"
        " EXECUTE FUNCTION briefing_tombstone_kept()"
    )
    run("REVOKE ALL ON edition_maker FROM PUBLIC")
    run("DROP TRIGGER IF EXISTS edition_made ON edition")
    run(
        "CREATE TRIGGER edition_made AFTER INSERT ON edition FOR EACH ROW"
        " EXECUTE FUNCTION briefing_edition_made()"
    )
    for table, policies in POLICIES.items():
        run(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        for number in range(1, 5):
            run(f"DROP POLICY IF EXISTS kept_{number} ON {table}")
        for number, policy in enumerate(policies, 1):
            run(f"CREATE POLICY kept_{number} ON {table} {policy}")
    for function in OWNER_FUNCTIONS:
        run(f"REVOKE EXECUTE ON FUNCTION {function} FROM PUBLIC")


def grant_to(role: str) -> list[Any]:
    """The statements giving analyst ``role`` what they need of these pieces, and no more."""
    from psycopg import sql  # noqa: PLC0415 - quoting of role names

    name = sql.Identifier(role)
    statements = [
        sql.SQL("REVOKE {} ON {} FROM {}").format(sql.SQL(rights), sql.Identifier(table), name)
        for table, rights in NO_REWRITE.items()
    ]
    statements += [
        sql.SQL("REVOKE ALL ON edition_maker FROM {}").format(name),
        sql.SQL("GRANT EXECUTE ON FUNCTION {} TO {}").format(
            sql.SQL(", ").join(sql.SQL(f) for f in OWNER_FUNCTIONS[:2]), name
        ),
    ]
    return statements


def remove(connection: Connection) -> None:
    """Undo :func:`install` (a downgrade)."""
    run = connection.exec_driver_sql
    for table, policies in POLICIES.items():
        for number in range(1, len(policies) + 1):
            run(f"DROP POLICY IF EXISTS kept_{number} ON {table}")
    run("DROP TRIGGER IF EXISTS edition_made ON edition")
    run("DROP TRIGGER IF EXISTS tombstone_kept ON tombstone")
    run("DROP TABLE IF EXISTS edition_maker")
    for function in (*OWNER_FUNCTIONS, "briefing_sync_point_ok(text)", "briefing_tombstone_kept()"):
        run(f"DROP FUNCTION IF EXISTS {function}")


def grant_to_analysts(connection: Connection) -> None:
    """Give every analyst of an existing project what :func:`grant_to` gives a new one."""
    run = connection.exec_driver_sql
    roles = run(
        "SELECT a.role FROM analyst_clearance a JOIN pg_roles r ON r.rolname = a.role"
        " WHERE NOT pg_has_role(a.role, current_user, 'USAGE')"
    ).scalars()
    raw = connection.connection.dbapi_connection
    assert raw is not None
    for role in list(roles):
        for statement in grant_to(role):
            raw.cursor().execute(statement)


_TABLES = ", ".join(f"to_regclass('{t}')" for t in POLICIES)
CURRENT = f"""
SELECT to_regclass('edition_maker') IS NOT NULL
   AND EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgname = 'tombstone_kept')
   AND (SELECT count(*) FROM pg_catalog.pg_policy
        WHERE left(polname, 5) = 'kept_' AND polrelid IN ({_TABLES}))
       = {sum(len(p) for p in POLICIES.values())}
   AND NOT EXISTS (
     SELECT 1 FROM analyst_clearance a JOIN pg_catalog.pg_roles r ON r.rolname = a.role
     JOIN pg_catalog.pg_class c ON c.oid IN (to_regclass('edition'), to_regclass('export_record'))
     WHERE NOT pg_has_role(a.role, c.relowner, 'USAGE')
       AND (has_table_privilege(a.role, c.oid, 'UPDATE')
            OR (c.relname = 'export_record' AND has_table_privilege(a.role, c.oid, 'DELETE'))))"""
"""Whether the project has these pieces, and no analyst (that the caller can see) the rights
an earlier version gave."""


def is_current(connection: Connection) -> bool:
    return bool(connection.exec_driver_sql(CURRENT).scalar_one())
