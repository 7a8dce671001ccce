"""Markings enforced by a team server: each analyst sees only what their clearance allows.

On PostgreSQL every analyst is a login role with a clearance, the strictest TLP
label they may read (table ``analyst_clearance``). Row-level security makes
every record stricter than that clearance invisible to them in every query, so
no search, export, copy or client bug can hand it over. Which labels a clearance
may read is not restated here: the pairs in ``tlp_release`` are written from
:func:`briefing.model.marking.releasable`, the one home of the marking rule.

What is hidden from an analyst, beyond the record itself (rule 2 of the marking):

- a link row (an entry's parties and sources, a relationship's sources,
  contradictions, briefing items) when either end is hidden;
- a record whose own reference points at a hidden record (a party inside a hidden
  party, a statement whose speaker, entry or source is hidden, a claim about,
  by or from a hidden record, a relationship with a hidden party), and a
  timeline entry naming a hidden party (its searchable text holds the name).
  A server cannot send such a record with the link cut: the analyst's next edit
  would write the cut link back and lose it for everyone;
- a search row whenever its record is hidden;
- a briefing's judgments, sections, export history and editions with the
  briefing (a section holding an item the analyst cannot see is never deleted
  by them, so rewriting the briefing is refused rather than losing the item);
  an edition also when any record its frozen text names is marked, then or
  now, above the clearance, or is hidden or deleted now.

Nor does an analyst's deletion take a hidden row with it through the foreign keys
(a RED relationship of a CLEAR party, a RED statement's speaker): :mod:`.pg_dependents`.

Tombstones (a UUID, a kind, a time, a name) and the project's settings are not
record text and stay visible, as they travel in share copies; what an analyst may
write of them, of editions and of export records is ruled by :mod:`.pg_history`.

Edition numbers are unique per briefing across every edition, hidden or not, so
the next one is allocated by the server (``briefing_next_edition``, run as the
owner, one freeze of a briefing at a time) for a briefing the analyst may read.
The accepted cost: a gap in the numbers an analyst sees says that an edition
exists which they may not read; nothing of its content.

The project's administrator owns the tables and sees everything: policies are
enabled, not forced (forcing would only bind the owner), and analysts are never
owners. A party or entry is hidden with its parents or the parties it names
through its effective label, kept by the owner's triggers (:mod:`.pg_labels`), so
each policy compares a column instead of working the hidden records out in every
statement. The two functions that list hidden parties and the entries naming them
(run as the owner, ``SECURITY DEFINER``) remain for the one rare question of
whether a section holds items the analyst may not see (before deleting it).
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Connection

from briefing.model.codec import TABLE_NAMES
from briefing.model.fulltext import KIND_CODES
from briefing.model.marking import releasable
from briefing.model.rules import MAP_ITEM
from briefing.model.vocab import KIND_NAMES, Tlp
from briefing.store.pg_search import OWNER_PATH

READABLE = "((SELECT briefing_readable_labels())::text[])"
"""The labels the current role may read, computed once per query (an init plan)."""
HIDDEN_PARTIES = f"((SELECT briefing_hidden_parties({READABLE}))::integer[])"
"""Parties the current role may not see: marked above the clearance, or inside such a party."""
HIDDEN_ENTRIES = f"((SELECT briefing_hidden_entries({READABLE}))::integer[])"
"""Timeline entries naming a hidden party (their searchable text holds its name)."""


LABEL_INDEXES = ("DROP INDEX IF EXISTS ix_timeline_entry_label",)
"""An entry's own label no longer decides alone: the index on the effective one replaces
this one (:data:`briefing.store.pg_labels.INDEX`)."""

HIDDEN_ENTRIES_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_entry_party_hidden ON entry_party (party_id, entry_id)"
)
"""The entries naming hidden parties, read from the index alone: every statement an analyst
runs on entries works them out (once), so they must cost a fraction of a millisecond."""


def _not_in(column: str, hidden: str) -> str:
    """``column`` is not one of the ids in the array ``hidden`` (which holds no NULL).

    Written as ``NOT IN`` a subquery, not ``<> ALL`` the array, so the server hashes
    the ids once per query instead of comparing every row with each of them.
    """
    return f"{column} NOT IN (SELECT unnest({hidden}))"


def _seen(table: str, column: str) -> str:
    return f"EXISTS (SELECT 1 FROM {table} x WHERE x.id = {column})"


def _seen_or_none(table: str, column: str) -> str:
    return f"({column} IS NULL OR {_seen(table, column)})"


_LABEL = f"tlp = ANY ({READABLE})"
_EFFECTIVE_LABEL = f"eff_tlp = ANY ({READABLE})"
"""A party's or entry's label with its parents' and named parties' counted (:mod:`.pg_labels`)."""

VISIBLE_RECORD = {
    "party": _EFFECTIVE_LABEL,
    "source": _LABEL,
    "timeline_entry": _EFFECTIVE_LABEL,
    "statement": " AND ".join(
        (
            _LABEL,
            _seen_or_none("party", "speaker_id"),
            _seen_or_none("timeline_entry", "entry_id"),
            _seen_or_none("source", "source_id"),
        )
    ),
    "relationship": " AND ".join(
        (_LABEL, _seen("party", "party_a_id"), _seen("party", "party_b_id"))
    ),
    "briefing": _LABEL,
}
"""Per record table: when the current role may see (and write) a row."""

_ITEM_TARGETS = (
    ("timeline_entry", "entry_id"),
    ("statement", "statement_id"),
    ("relationship", "relationship_id"),
    ("party", "party_id"),
    ("source", "source_id"),
)

_IN_BRIEFING = _seen("briefing", "briefing_id")


def _word_of_record(kind: str) -> str:
    """When a search word of a record of ``kind`` is seen, its row carrying the record's label.

    As the record's own policy says, without looking the record up where its label alone
    decides (entries and parties by their effective label, sources, briefings); see
    :mod:`.pg_search`.
    """
    if VISIBLE_RECORD[TABLE_NAMES[kind]] in (_LABEL, _EFFECTIVE_LABEL):
        return "true"
    return _seen(TABLE_NAMES[kind], "rec")


VISIBLE_DEPENDENT = {
    "entry_party": f"{_seen('timeline_entry', 'entry_id')} AND {_seen('party', 'party_id')}",
    "entry_source": f"{_seen('timeline_entry', 'entry_id')} AND {_seen('source', 'source_id')}",
    "relationship_source": (
        f"{_seen('relationship', 'relationship_id')} AND {_seen('source', 'source_id')}"
    ),
    "statement_contradiction": (
        f"{_seen('statement', 'statement_id')} AND {_seen('statement', 'other_id')}"
    ),
    "casualty_claim": " AND ".join(
        (
            _seen("timeline_entry", "entry_id"),
            _seen_or_none("party", "party_id"),
            _seen_or_none("party", "claimant_id"),
            _seen_or_none("source", "source_id"),
        )
    ),
    "key_judgment": _IN_BRIEFING,
    "section": _IN_BRIEFING,
    "export_record": _IN_BRIEFING,
    "section_item": " AND ".join(
        (_seen("section", "section_id"), *(_seen_or_none(t, c) for t, c in _ITEM_TARGETS))
    ),
    "edition": f"{_IN_BRIEFING} AND briefing_edition_readable(snapshot, {READABLE})",
    "search_index": "CASE mod(rowid, 8) "
    + " ".join(
        f"WHEN {code} THEN {_seen(TABLE_NAMES[kind], 'rowid / 8')}"
        for kind, code in KIND_CODES.items()
    )
    + " ELSE false END",
    "search_word": f"{_LABEL} AND CASE kind "
    + " ".join(f"WHEN {code} THEN {_word_of_record(kind)}" for kind, code in KIND_CODES.items())
    + " ELSE false END",
}
"""Tables hanging under records: visible only with every record they carry or name.
A search row holds its record's text, so it is seen exactly when its record is."""

OPEN_TABLES = ("tombstone", "project_setting", "alembic_version")
"""Tables every analyst reads whole: they hold no record text (writes: :mod:`.pg_history`)."""


def _visible_kind_sql() -> str:
    """A CASE telling whether the current role sees the record ``kind``/``ref``."""
    cases = " ".join(
        f"WHEN '{kind}' THEN EXISTS (SELECT 1 FROM {table} x WHERE x.uuid = ref)"
        for kind, table in TABLE_NAMES.items()
    )
    return f"CASE kind {cases} ELSE false END"


FUNCTIONS = (
    """
CREATE OR REPLACE FUNCTION briefing_readable_labels() RETURNS text[]
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
  SELECT coalesce(array_agg(r.label), '{}')
  FROM analyst_clearance a JOIN tlp_release r ON r.clearance = a.clearance
  WHERE a.role = current_user
$$""",
    """
CREATE OR REPLACE FUNCTION briefing_hidden_parties(labels text[]) RETURNS integer[]
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  found integer[];
BEGIN
  WITH RECURSIVE hidden(id) AS (
    SELECT id FROM party WHERE tlp <> ALL (labels)
    UNION
    SELECT p.id FROM party p JOIN hidden h ON p.parent_id = h.id
  )
  SELECT coalesce(array_agg(id), '{}') INTO found FROM hidden;
  RETURN found;
END
$$""",
    """
CREATE OR REPLACE FUNCTION briefing_hidden_entries(labels text[]) RETURNS integer[]
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  found integer[];
BEGIN
  SELECT coalesce(array_agg(entry_id), '{}') INTO found FROM entry_party
  WHERE party_id = ANY (briefing_hidden_parties(labels));
  RETURN found;
END
$$""",
    """
CREATE OR REPLACE FUNCTION briefing_section_hides(section integer, labels text[]) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  mine text[];  -- never more than the caller may read, whatever labels they pass
BEGIN
  mine := ARRAY(
    SELECT unnest(labels) INTERSECT
    SELECT r.label FROM analyst_clearance a JOIN tlp_release r ON r.clearance = a.clearance
    WHERE a.role = session_user);
  IF NOT EXISTS (  -- a section of a briefing the caller may not read: told as one not there
    SELECT 1 FROM section s JOIN briefing b ON b.id = s.briefing_id
    WHERE s.id = section AND b.tlp = ANY (mine)) THEN
    RETURN false;
  END IF;
  RETURN EXISTS (
    SELECT 1 FROM section_item i
    LEFT JOIN timeline_entry e ON e.id = i.entry_id
    LEFT JOIN statement s ON s.id = i.statement_id
    LEFT JOIN relationship r ON r.id = i.relationship_id
    LEFT JOIN party p ON p.id = i.party_id
    LEFT JOIN source o ON o.id = i.source_id
    WHERE i.section_id = section AND NOT i.is_map
      AND (coalesce(e.tlp, s.tlp, r.tlp, p.tlp, o.tlp) <> ALL (mine)
           OR i.entry_id = ANY (briefing_hidden_entries(mine))
           OR i.party_id = ANY (briefing_hidden_parties(mine))
           OR s.speaker_id = ANY (briefing_hidden_parties(mine))
           OR r.party_a_id = ANY (briefing_hidden_parties(mine))
           OR r.party_b_id = ANY (briefing_hidden_parties(mine))));
END
$$""",
    """
CREATE OR REPLACE FUNCTION briefing_next_edition(briefing integer) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  top integer;
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM briefing b
    JOIN analyst_clearance a ON a.role = session_user
    JOIN tlp_release r ON r.clearance = a.clearance AND r.label = b.tlp
    WHERE b.id = briefing
  ) THEN
    RETURN NULL;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('briefing_next_edition'), briefing);
  SELECT max(number) INTO top FROM edition WHERE briefing_id = briefing;
  RETURN coalesce(top, 0) + 1;
END
$$""",
    f"""
CREATE OR REPLACE FUNCTION briefing_record_visible(kind text, ref text) RETURNS boolean
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
  SELECT {_visible_kind_sql()}
$$""",
    f"""
CREATE OR REPLACE FUNCTION briefing_edition_readable(snapshot text, labels text[])
RETURNS boolean LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
  doc jsonb;
  item jsonb;
  ref jsonb;
BEGIN
  BEGIN
    doc := snapshot::jsonb;
  EXCEPTION WHEN others THEN
    RETURN false;
  END;
  -- Each key once: jsonb keeps the last of a key given twice, which a reader of the
  -- text may not, so a stricter first value would pass unseen under a cleared last one.
  IF EXISTS (
    WITH RECURSIVE walk(v) AS (
      SELECT snapshot::json
      UNION ALL
      SELECT inner_value FROM walk, LATERAL (
        SELECT value FROM json_each(CASE WHEN json_typeof(walk.v) = 'object' THEN walk.v END)
        UNION ALL
        SELECT value FROM json_array_elements(
          CASE WHEN json_typeof(walk.v) = 'array' THEN walk.v END)
      ) AS parts(inner_value)
    )
    SELECT 1 FROM walk WHERE json_typeof(v) = 'object'
      AND (SELECT count(*) <> count(DISTINCT k) FROM json_object_keys(v) AS keys(k))
  ) THEN
    RETURN false;
  END IF;
  IF jsonb_typeof(doc -> 'briefing') IS DISTINCT FROM 'object'
     OR NOT coalesce(doc -> 'briefing' ->> 'tlp', '') = ANY (labels) THEN
    RETURN false;
  END IF;
  FOR item IN SELECT jsonb_path_query(doc, 'strict $.sections[*].items[*]') LOOP
    IF item ->> 'kind' = '{MAP_ITEM}' THEN
      CONTINUE;
    END IF;
    IF jsonb_typeof(item -> 'refs') IS DISTINCT FROM 'array'
       OR NOT briefing_record_visible(item ->> 'kind', item ->> 'ref')
       OR (item -> 'record' ? 'tlp' AND NOT (item -> 'record' ->> 'tlp') = ANY (labels)) THEN
      RETURN false;
    END IF;
    FOR ref IN SELECT jsonb_array_elements(item -> 'refs') LOOP
      IF jsonb_typeof(ref) IS DISTINCT FROM 'array'
         OR NOT coalesce(ref ->> 2, '') = ANY (labels)
         OR NOT briefing_record_visible(ref ->> 0, ref ->> 1) THEN
        RETURN false;
      END IF;
    END LOOP;
  END LOOP;
  RETURN true;
EXCEPTION WHEN others THEN
  RETURN false;
END
$$""",
)


_POLICY_REFUSAL = re.compile(r'row-level security policy.*? for table "(\w+)"')
_DENIED = re.compile(r"permission denied for table (\w+)")
_RECORD_OF_TABLE = {
    **{table: kind for kind, table in TABLE_NAMES.items()},
    "entry_party": "entry",
    "entry_source": "entry",
    "casualty_claim": "entry",
    "relationship_source": "relationship",
    "statement_contradiction": "statement",
    "key_judgment": "briefing",
    "section": "briefing",
    "section_item": "briefing",
    "export_record": "briefing",
    "edition": "briefing",
}
"""The record a table's rows belong to, for naming it in a refusal."""


def refusal(error: Any) -> str | None:
    """Our sentence for a write the policies refused (above the analyst's clearance), or None.

    PostgreSQL says ``new row violates row-level security policy for table "party"``;
    the analyst hears what was refused and why, in the program's words; so too for the
    refusals of the owner's triggers (:mod:`.pg_dependents`, :mod:`.pg_ids`) and for a
    key another row holds, seen or hidden (:mod:`.pg_keys`).
    """
    from briefing.store import pg_dependents, pg_ids  # noqa: PLC0415 - their own rules
    from briefing.store.pg_history import KEPT  # noqa: PLC0415 - the history's own rules

    reason = getattr(error, "orig", error)
    if getattr(reason, "sqlstate", None) == "23505":
        return _duplicate(reason)
    if getattr(reason, "sqlstate", None) != "42501":
        return None
    for refused, sentence in (
        (pg_dependents.REFUSED, "Your clearance does not allow deleting that {what}: records "
         "you may not read depend on it; nothing was saved."),
        (pg_ids.REFUSED, "That {what} came with an id the server has not given out, and only "
         "the server gives out ids; nothing was saved."),
    ):  # fmt: skip
        found = re.search(re.escape(refused) + r' "(\w+)"', str(reason))
        if found is not None:
            what = KIND_NAMES.get(_RECORD_OF_TABLE.get(found.group(1), ""), "record")
            return sentence.format(what=what)
    found = _POLICY_REFUSAL.search(str(reason)) or _DENIED.search(str(reason))
    if found is None:
        return None
    if found.group(1) in KEPT:
        return (
            f"Only the project's administrator may make that change to its {KEPT[found.group(1)]}"
            " (an analyst's own deletions, freezes, exports and merges write them); "
            "nothing was saved."
        )
    if found.re is _DENIED:
        return None
    kind = _RECORD_OF_TABLE.get(found.group(1))
    what = f"that {KIND_NAMES[kind]}" if kind else "that change"
    return (
        f"Your clearance does not allow saving {what}: it would be marked above what you "
        "may read, or name a record that is; nothing was saved."
    )


def _duplicate(reason: Any) -> str | None:
    """Our sentence for a row refused for a key another row holds, or None.

    The same whether that row is one the analyst reads or one hidden from them
    (:mod:`.pg_keys`), and naming none of it.
    """
    table = getattr(getattr(reason, "diag", None), "table_name", None)
    kind = _RECORD_OF_TABLE.get(table or "")
    if kind is None:
        return None
    return (
        f"That {KIND_NAMES[kind]} has the id, UUID or data-set id of a record the project "
        "already holds (perhaps one you may not read); nothing was saved."
    )


ANALYSTS_FUNCTIONS = (
    "briefing_section_hides(integer, text[])",
    "briefing_next_edition(integer)",
    "briefing_advance_id(text)",
)
"""Functions running as the owner that the analysts' edits call (the policy keeping a section's
hidden items, a freeze, an insert with its own ids): theirs to run, not every role's on the
server (by default any role may connect to a database and run its functions)."""

OWNERS_FUNCTIONS_CLOSED = (
    "SELECT NOT EXISTS (SELECT 1 FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n"
    " ON n.oid = p.pronamespace CROSS JOIN LATERAL pg_catalog.aclexplode(coalesce(p.proacl,"
    " pg_catalog.acldefault('f', p.proowner))) a WHERE n.nspname = 'public' AND p.prosecdef"
    " AND left(p.proname, 9) = 'briefing_' AND a.grantee = 0 AND a.privilege_type = 'EXECUTE')"
)
"""Whether none of the program's functions running as the owner may be run by every role."""


def grant_to(role: str) -> list[Any]:
    """The statement letting analyst ``role`` run :data:`ANALYSTS_FUNCTIONS`."""
    from psycopg import sql  # noqa: PLC0415 - quoting of role names

    return [
        sql.SQL("GRANT EXECUTE ON FUNCTION {} TO {}").format(
            sql.SQL(", ").join(sql.SQL(f) for f in ANALYSTS_FUNCTIONS), sql.Identifier(role)
        )
    ]


SECTION_HIDES_CURRENT = (
    "SELECT strpos(coalesce((SELECT prosrc FROM pg_catalog.pg_proc WHERE oid ="
    " to_regprocedure('briefing_section_hides(integer, text[])')), ''), 'told as one not there')"
    " > 0"
)
"""Whether ``briefing_section_hides`` answers only for a section of a briefing the caller reads."""
EDITION_KEYS_CURRENT = (
    "SELECT strpos(coalesce((SELECT prosrc FROM pg_catalog.pg_proc WHERE oid ="
    " to_regprocedure('briefing_edition_readable(text, text[])')), ''), 'Each key once')"
    " > 0"
)
"""Whether an edition's readability refuses frozen text giving a key twice."""


def is_current(connection: Connection) -> bool:
    """Whether the owner's functions are closed to other roles and tell nothing hidden."""
    run = connection.exec_driver_sql
    return all(
        bool(run(check).scalar_one())
        for check in (OWNERS_FUNCTIONS_CLOSED, SECTION_HIDES_CURRENT, EDITION_KEYS_CURRENT)
    )


def release_pairs() -> list[tuple[str, str]]:
    """(clearance, label) for every label a role with that clearance may read."""
    return [(c.value, t.value) for c in Tlp for t in Tlp if releasable(t.value, c)]


CLOSE_DATABASE = (
    "DO $$ BEGIN IF pg_catalog.pg_has_role(current_user, (SELECT datdba FROM"
    " pg_catalog.pg_database WHERE datname = current_database()), 'USAGE') AND ("
    " pg_catalog.has_database_privilege('public', current_database(), 'CONNECT') OR"
    " pg_catalog.has_database_privilege('public', current_database(), 'TEMPORARY')) THEN"
    " EXECUTE 'REVOKE CONNECT, TEMPORARY ON DATABASE '"
    " || pg_catalog.quote_ident(current_database()) || ' FROM PUBLIC'; END IF; END $$"
)
"""Where the project's owner owns its database: only the roles given ``CONNECT`` (its
analysts, see :mod:`briefing.store.pg_team`) may connect, and none may make temporary
tables, which could stand in for the project's own in a function without a fixed path.
Run on every open for writing (a database copied from a project does not keep this);
it changes nothing for anyone else, nor once done."""


def install(connection: Connection) -> None:
    """Create the clearance tables, functions and policies (PostgreSQL only; repeatable).

    The role running it becomes the first analyst, cleared for every label.
    """
    if connection.dialect.name != "postgresql":
        return
    run = connection.exec_driver_sql
    top = list(Tlp)[-1].value
    run(
        "CREATE TABLE IF NOT EXISTS tlp_release ("
        " clearance text NOT NULL, label text NOT NULL, PRIMARY KEY (clearance, label))"
    )
    run("DELETE FROM tlp_release")
    for clearance, label in release_pairs():
        run("INSERT INTO tlp_release VALUES (%(c)s, %(l)s)", {"c": clearance, "l": label})
    run(
        "CREATE TABLE IF NOT EXISTS analyst_clearance ("
        " role text PRIMARY KEY, clearance text NOT NULL,"
        " added_at text NOT NULL, added_by text NOT NULL DEFAULT '')"
    )
    run(
        "INSERT INTO analyst_clearance(role, clearance, added_at, added_by)"
        " VALUES (current_user, %(top)s, to_char(now() AT TIME ZONE 'UTC',"
        ' \'YYYY-MM-DD"T"HH24:MI:SS"Z"\'), current_user) ON CONFLICT (role) DO NOTHING',
        {"top": top},
    )
    run(CLOSE_DATABASE)
    for sql in FUNCTIONS:
        run(sql)
    # They list what is hidden from any labels asked about: for the owner's own functions only.
    for name in ("briefing_hidden_parties(text[])", "briefing_hidden_entries(text[])"):
        run(f"REVOKE EXECUTE ON FUNCTION {name} FROM PUBLIC")
    run(f"ALTER FUNCTION briefing_advance_id(text) {OWNER_PATH}")
    for name in ANALYSTS_FUNCTIONS:
        run(f"REVOKE EXECUTE ON FUNCTION {name} FROM PUBLIC")
    for sql in (HIDDEN_ENTRIES_INDEX, *LABEL_INDEXES):
        run(sql)
    _policy(connection, "analyst_clearance", "role = current_user", read_only=True)
    _policy(connection, "tlp_release", "true", read_only=True)
    for table, condition in {**VISIBLE_RECORD, **VISIBLE_DEPENDENT}.items():
        _policy(connection, table, condition)
    # Rewriting a briefing deletes its sections; one holding items the analyst cannot see
    # stays (their edit is then refused) instead of taking those items with it.
    run("DROP POLICY IF EXISTS keeps_hidden_items ON section")
    run(
        "CREATE POLICY keeps_hidden_items ON section AS RESTRICTIVE FOR DELETE"
        f" USING (NOT briefing_section_hides(id, {READABLE}))"
    )
    # A read without the SELECT policy's rows in view could still count or lock them:
    run("REVOKE TRUNCATE ON ALL TABLES IN SCHEMA public FROM PUBLIC")


def _policy(connection: Connection, table: str, condition: str, read_only: bool = False) -> None:
    run = connection.exec_driver_sql
    run(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    run(f"DROP POLICY IF EXISTS cleared ON {table}")
    command = "SELECT" if read_only else "ALL"
    run(f"CREATE POLICY cleared ON {table} FOR {command} USING ({condition})")


def remove(connection: Connection) -> None:
    """Undo :func:`install` (a downgrade)."""
    if connection.dialect.name != "postgresql":
        return
    run = connection.exec_driver_sql
    run("DROP POLICY IF EXISTS keeps_hidden_items ON section")
    for table in ("analyst_clearance", "tlp_release", *VISIBLE_RECORD, *VISIBLE_DEPENDENT):
        run(f"DROP POLICY IF EXISTS cleared ON {table}")
        run(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    for name in (
        "briefing_next_edition(integer)",
        "briefing_edition_readable(text, text[])",
        "briefing_record_visible(text, text)",
        "briefing_section_hides(integer, text[])",
        "briefing_hidden_entries(text[])",
        "briefing_hidden_parties(text[])",
        "briefing_readable_labels()",
    ):
        run(f"DROP FUNCTION IF EXISTS {name}")
    for index in ("ix_entry_party_hidden", "ix_timeline_entry_label"):
        run(f"DROP INDEX IF EXISTS {index}")
    run("DROP TABLE IF EXISTS analyst_clearance")
    run("DROP TABLE IF EXISTS tlp_release")
