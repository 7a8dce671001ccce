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
  never dated back; removed only once its record, of the same kind, exists again
  (an undone deletion, a record a merge brought back). The owner keeps the latest
  deletion of every UUID ever buried (``tombstone_latest``, which analysts cannot
  read or write): a tombstone written again is of the same kind (or refused) and
  dated no earlier (or dated so), so bringing a record back, removing its tombstone
  and writing one dated back (which a later merge would take as a deletion older
  than the edits it beats) leaves the deletion as it was, and a record brought back
  and deleted again without a tombstone gets its latest one back when its
  transaction ends;
- a tombstone or sync point an analyst writes dated after the server's clock but
  within that day (a wrong clock, or a forger outlasting the edits of the next
  hours) is dated now: what it records happened by now. Only the sync point's
  stamps change; a later merge weighs again what they no longer cover;
- a setting is written only under the keys an analyst's own commands use:
  export choices, import bookkeeping (``acled:``) and sync points (``merge:``)
  whose stamps are no later than that day ahead, and a title where there is
  none (an import adopts its document's), and never moved to another key. The
  project's identity, title, creation time and any other key are the
  administrator's;
- an edition is never rewritten, added dated ahead, or removed, but by undoing
  one's own freeze or merge (who added it is kept by the server); it is added
  under the briefing's next number, hidden editions counted (as a freeze takes it
  and a merge renumbers), never in a gap, twice or going back; a briefing
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
from briefing.store import pg_dependents, pg_keys, pg_security
from briefing.store.pg_search import OWNER_PATH, owns_the_table

STAMP = '\'YYYY-MM-DD"T"HH24:MI:SS.US"Z"\''
LATEST = f"to_char((now() + interval '1 day') AT TIME ZONE 'UTC', {STAMP})"
"""The latest stamp an analyst may write: a merge leaves out anything dated further ahead."""
NOW = f"to_char(clock_timestamp() AT TIME ZONE 'UTC', {STAMP})"
"""The server's clock in the stored form: what an analyst dates after it (within the day
a merge allows) is dated so. The clock's time, not the transaction's start, which comes
before the stamps a client takes once its transaction has begun."""
EARLIEST_EXPORT = f"to_char((now() - interval '1 day') AT TIME ZONE 'UTC', {STAMP})"
"""An export is recorded as it is written; a day either way allows for a client's clock."""

ANALYSTS_SETTINGS = ("pdf_timeline_pages", "docx_template", "organisation")
"""Settings an analyst's export remembers."""

_LIVE = " OR ".join(
    f"EXISTS (SELECT 1 FROM {table} WHERE uuid = u)" for table in TABLE_NAMES.values()
)
_KINDS = ", ".join(f"'{kind}'" for kind in KINDS)
_KIND_LIVE = " ".join(
    f"WHEN '{kind}' THEN EXISTS (SELECT 1 FROM {table} WHERE uuid = u)"
    for kind, table in TABLE_NAMES.items()
)

FUNCTIONS = (
    f"""
CREATE OR REPLACE FUNCTION briefing_uuid_live(u text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER {OWNER_PATH} AS $$ SELECT {_LIVE} $$""",
    f"""
CREATE OR REPLACE FUNCTION briefing_kind_live(u text, k text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER {OWNER_PATH} AS $$
  SELECT CASE k {_KIND_LIVE} ELSE false END
$$""",
    """
CREATE TABLE IF NOT EXISTS tombstone_latest (
  uuid text PRIMARY KEY, kind text NOT NULL, deleted_at text NOT NULL,
  deleted_by text NOT NULL DEFAULT '')""",
    f"""
CREATE OR REPLACE FUNCTION briefing_tombstone_noted() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER {OWNER_PATH} AS $$
BEGIN
  INSERT INTO tombstone_latest AS l (uuid, kind, deleted_at, deleted_by)
  VALUES (NEW.uuid, NEW.kind, NEW.deleted_at::text, coalesce(NEW.deleted_by, ''))
  ON CONFLICT (uuid) DO UPDATE SET kind = EXCLUDED.kind,
    deleted_at = greatest(l.deleted_at, EXCLUDED.deleted_at),
    deleted_by = CASE WHEN EXCLUDED.deleted_at >= l.deleted_at
                      THEN EXCLUDED.deleted_by ELSE l.deleted_by END;
  RETURN NULL;
END $$""",
    f"""
CREATE OR REPLACE FUNCTION briefing_tombstone_restored() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER {OWNER_PATH} AS $$
BEGIN
  IF NOT briefing_uuid_live(OLD.uuid) THEN
    INSERT INTO tombstone (uuid, kind, deleted_at, deleted_by)
    SELECT uuid, kind, deleted_at, deleted_by FROM tombstone_latest WHERE uuid = OLD.uuid
    ON CONFLICT (uuid) DO NOTHING;
  END IF;
  RETURN NULL;
END $$""",
    f"""
CREATE OR REPLACE FUNCTION briefing_edition_next(briefing integer, wanted integer)
RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER {OWNER_PATH} AS $$
  SELECT wanted = coalesce((SELECT max(number) FROM edition WHERE briefing_id = briefing), 0) + 1
     AND EXISTS (
       SELECT 1 FROM briefing b JOIN analyst_clearance a ON a.role = session_user
       JOIN tlp_release r ON r.clearance = a.clearance AND r.label = b.tlp WHERE b.id = briefing)
$$""",
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
LANGUAGE plpgsql SECURITY DEFINER {OWNER_PATH} AS $$
DECLARE
  known_kind text;
  known_at text;
BEGIN
  IF {owns_the_table("session_user")} THEN
    RETURN NEW;
  END IF;
  IF NEW.deleted_at > {NOW} AND NEW.deleted_at <= {LATEST} THEN
    NEW.deleted_at := {NOW};
  END IF;
  SELECT kind, deleted_at INTO known_kind, known_at FROM tombstone_latest WHERE uuid = NEW.uuid;
  IF coalesce(known_kind <> NEW.kind, false)
     OR TG_OP = 'UPDATE' AND (NEW.uuid IS DISTINCT FROM OLD.uuid
                              OR NEW.deleted_at < OLD.deleted_at) THEN
    RAISE EXCEPTION 'permission denied for table tombstone' USING ERRCODE = '42501';
  END IF;
  IF NEW.deleted_at < known_at THEN
    NEW.deleted_at := known_at;
  END IF;
  RETURN NEW;
END $$"""
"""An analyst's tombstone is dated within its record's latest deletion and now: one dated ahead
(within the day) is dated now, one dated back is dated as that deletion (a deletion made again
on a machine whose clock is behind is dated so too); one of another kind than that deletion's
is refused, as is one rewritten (by a merge bringing a later deletion of the same record) for
another record or dated back. Runs as the owner, to read their table; ``session_user`` tells
who writes."""

SETTING_KEPT = f"""
CREATE OR REPLACE FUNCTION briefing_setting_kept() RETURNS trigger
LANGUAGE plpgsql {OWNER_PATH} AS $$
DECLARE
  doc jsonb;
  name text;
BEGIN
  IF {owns_the_table()} THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.key IS DISTINCT FROM OLD.key THEN
    RAISE EXCEPTION 'permission denied for table project_setting' USING ERRCODE = '42501';
  END IF;
  IF left(NEW.key, 6) <> 'merge:' THEN
    RETURN NEW;
  END IF;
  BEGIN
    doc := NEW.value::jsonb;
  EXCEPTION WHEN others THEN
    RETURN NEW;  -- not a sync point: the policy refuses it
  END;
  FOREACH name IN ARRAY ARRAY['seen', 'shown', 'at'] LOOP
    IF jsonb_typeof(doc) = 'object' AND jsonb_typeof(doc -> name) = 'string'
       AND (doc ->> name) > {NOW} AND (doc ->> name) <= {LATEST} THEN
      doc := jsonb_set(doc, ARRAY[name], to_jsonb({NOW}));
      NEW.value := doc::text;
    END IF;
  END LOOP;
  RETURN NEW;
END $$"""
"""An analyst's sync point dated ahead within the day is dated now, so it never marks as
weighed the other copy's edits of the coming hours (see :mod:`briefing.services.sync_point`);
no setting of theirs is moved to another key (an empty title to another name, or an import's
bookkeeping to the title): run as the caller, so it knows who that is."""

OWNER_FUNCTIONS = (
    "briefing_uuid_live(text)",
    "briefing_made_by_me(integer)",
    "briefing_kind_live(text, text)",
    "briefing_edition_next(integer, integer)",
    "briefing_edition_made()",
    "briefing_tombstone_noted()",
    "briefing_tombstone_restored()",
    "briefing_tombstone_kept()",
)
GRANTED = OWNER_FUNCTIONS[:4]
"""The owner's functions the policies call, so the analysts run them; the rest are triggers'."""


_SETTING = (
    f"(key IN ({', '.join(repr(k) for k in ANALYSTS_SETTINGS)}) OR left(key, 6) = 'acled:'"
    f" OR (left(key, 6) = 'merge:' AND briefing_sync_point_ok(value)))"
)
_BURIED = f"kind IN ({_KINDS}) AND deleted_at <= {LATEST} AND NOT briefing_uuid_live(uuid)"
"""A tombstone an analyst may write: of a known kind, dated no later than a merge takes, for a
record that does not exist (against earlier deletions: :data:`TOMBSTONE_KEPT`)."""

_UNTITLED = "(key = 'title' AND value = '')"
"""A project without a title takes that of the first document imported into it."""

POLICIES = {
    "tombstone": (
        "FOR SELECT USING (true)",
        f"FOR INSERT WITH CHECK ({_BURIED})",
        f"FOR UPDATE USING (true) WITH CHECK ({_BURIED})",
        "FOR DELETE USING (briefing_kind_live(uuid, kind))",
    ),
    "project_setting": (
        "FOR SELECT USING (true)",
        f"FOR INSERT WITH CHECK {_SETTING}",
        f"FOR UPDATE USING ({_SETTING} OR {_UNTITLED}) WITH CHECK ({_SETTING} OR key = 'title')",
        f"FOR DELETE USING {_SETTING}",
    ),
    "edition": (
        f"AS RESTRICTIVE FOR INSERT WITH CHECK (frozen_at <= {LATEST}"
        " AND briefing_edition_next(briefing_id, number))",
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


TRIGGERS = (
    ("tombstone", "tombstone_kept", "BEFORE INSERT OR UPDATE ON tombstone FOR EACH ROW"
     " EXECUTE FUNCTION briefing_tombstone_kept()"),
    ("tombstone", "tombstone_noted", "AFTER INSERT OR UPDATE ON tombstone FOR EACH ROW"
     " EXECUTE FUNCTION briefing_tombstone_noted()"),
    ("project_setting", "setting_kept", "BEFORE INSERT OR UPDATE ON project_setting FOR EACH ROW"
     " EXECUTE FUNCTION briefing_setting_kept()"),
    ("edition", "edition_made", "AFTER INSERT ON edition FOR EACH ROW"
     " EXECUTE FUNCTION briefing_edition_made()"),
)  # fmt: skip

RESTORED = (
    "AFTER DELETE ON {table} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
    " EXECUTE FUNCTION briefing_tombstone_restored()"
)
"""On every record table: a record deleted whose UUID was buried before, and that leaves no
tombstone by the end of its transaction, gets its latest one back. Bringing a record back
lets its tombstone go; deleting it again without one would lose the deletion, and the next
merge of a copy still holding the record would bring it back."""

OWNERS_TABLES = ("edition_maker", "tombstone_latest")
"""Kept by the owner's triggers; no analyst reads or writes them."""

NOTE_TOMBSTONES = (
    "INSERT INTO tombstone_latest AS l (uuid, kind, deleted_at, deleted_by)"
    " SELECT uuid, kind, deleted_at::text, coalesce(deleted_by, '') FROM tombstone"
    " ON CONFLICT (uuid) DO UPDATE SET kind = EXCLUDED.kind, deleted_by = EXCLUDED.deleted_by,"
    " deleted_at = EXCLUDED.deleted_at WHERE EXCLUDED.deleted_at > l.deleted_at"
)
"""The deletions a project holds when these pieces are installed (earlier ones are not known)."""


def install(connection: Connection) -> None:
    """Create the functions, the edition makers' table and the policies (repeatable)."""
    run = connection.exec_driver_sql
    for sql in FUNCTIONS:
        run(sql)
    run(TOMBSTONE_KEPT)
    run(SETTING_KEPT)
    for table, name, body in TRIGGERS:
        run(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        run(f"CREATE TRIGGER {name} {body}")
    for table in TABLE_NAMES.values():
        run(f"DROP TRIGGER IF EXISTS tombstone_restored ON {table}")
        run(f"CREATE CONSTRAINT TRIGGER tombstone_restored {RESTORED.format(table=table)}")
    run(NOTE_TOMBSTONES)
    for table in OWNERS_TABLES:
        run(f"REVOKE ALL ON {table} FROM PUBLIC")
    for table, policies in POLICIES.items():
        run(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        for number in range(1, 5):
            run(f"DROP POLICY IF EXISTS kept_{number} ON {table}")
        for number, policy in enumerate(policies, 1):
            run(f"CREATE POLICY kept_{number} ON {table} {policy}")
    for function in OWNER_FUNCTIONS:
        run(f"REVOKE EXECUTE ON FUNCTION {function} FROM PUBLIC")


def grant_to(role: str) -> list[Any]:
    """The statements giving analyst ``role`` what they need of these pieces, and no more.

    With them: the count of rows naming a record they delete (:mod:`.pg_dependents`),
    of rows holding a key of a row they write (:mod:`.pg_keys`) and the owner's functions
    their edits call (:mod:`.pg_security`).
    """
    from psycopg import sql  # noqa: PLC0415 - quoting of role names

    name = sql.Identifier(role)
    statements = [
        sql.SQL("REVOKE {} ON {} FROM {}").format(sql.SQL(rights), sql.Identifier(table), name)
        for table, rights in NO_REWRITE.items()
    ]
    statements += pg_dependents.grant_to(role) + pg_security.grant_to(role) + pg_keys.grant_to(role)
    statements += [
        sql.SQL("REVOKE ALL ON {} FROM {}").format(
            sql.SQL(", ").join(sql.Identifier(t) for t in OWNERS_TABLES), name
        ),
        sql.SQL("GRANT EXECUTE ON FUNCTION {} TO {}").format(
            sql.SQL(", ").join(sql.SQL(f) for f in GRANTED), name
        ),
    ]
    return statements


def remove(connection: Connection) -> None:
    """Undo :func:`install` (a downgrade)."""
    run = connection.exec_driver_sql
    for table, policies in POLICIES.items():
        for number in range(1, len(policies) + 1):
            run(f"DROP POLICY IF EXISTS kept_{number} ON {table}")
    for table, name, _body in TRIGGERS:
        run(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    for table in TABLE_NAMES.values():
        run(f"DROP TRIGGER IF EXISTS tombstone_restored ON {table}")
    for table in OWNERS_TABLES:
        run(f"DROP TABLE IF EXISTS {table}")
    for function in (
        *OWNER_FUNCTIONS,
        "briefing_sync_point_ok(text)",
        "briefing_setting_kept()",
    ):
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
SELECT to_regclass('edition_maker') IS NOT NULL AND to_regclass('tombstone_latest') IS NOT NULL
   AND (SELECT count(*) FROM pg_catalog.pg_trigger
        WHERE tgname IN ({", ".join(f"'{name}'" for _t, name, _b in TRIGGERS)})
          AND (tgname <> 'tombstone_kept' OR tgtype & 4 = 4)) = {len(TRIGGERS)}
   AND (SELECT count(*) FROM pg_catalog.pg_trigger WHERE tgname = 'tombstone_restored')
       = {len(TABLE_NAMES)}
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
