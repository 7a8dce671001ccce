"""The search words of a team server: what lets an analyst's search use an index.

Under row-level security PostgreSQL runs a query's own conditions after the
policies unless they are leakproof, and the full-text match (``@@``) is not; so
on ``search_index`` an analyst's search read every row, the policy first. Here
every word of every indexed record is one row of ``search_word`` (word, kind and
id of the record, its own TLP label) under B-tree indexes. A search asks for a
word by text equality or range and for a record by integer equality (``=``,
``>=``, ``<``: leakproof, see ``pg_proc.proleakproof``), which an index answers
before the policy reads the few rows found.

The rows are written by the server itself, from the ``tsvector`` the index
table generates (triggers on ``search_index``), so a word is the same lexeme the
full-text match compares. The label is copied from the record when its index
row is written and again whenever the record's label changes (a trigger on each
record table); for parties and entries it is their effective label
(:mod:`.pg_labels`), so the policy of ``search_word`` (see
:data:`briefing.store.pg_security.VISIBLE_DEPENDENT`) decides on a column of the
row, as the records' own policies do, instead of looking each record up.

Both tables are derived data, and analysts only read them: one who could write
them could hide a record from everyone's searches or plant false hits. The index
rows are rewritten by ``briefing_reindex`` from the records themselves, and the
words by the triggers; all of these run as the project's owner (``SECURITY
DEFINER``, on a fixed search path), so they see every record whoever edits: the
rows of a record the editor may not see (deleted, relabelled, an entry naming a
renamed party) are rewritten too, with the record's true label. Nothing is
taken from the caller but which records to rewrite; rewriting a whole kind is
the owner's alone (a rebuild).

The tables, functions and triggers are installed with the team's other pieces
(repeatable), the words filled from ``search_index`` when their table is created;
:func:`is_current` tells whether a project has this version's pieces.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection

from briefing.model import fulltext
from briefing.model.codec import TABLE_NAMES
from briefing.model.fulltext import KIND_CODES
from briefing.store.errors import ProjectError

SERVER_WRITTEN = ("search_index", "search_word")
LABELLED_TABLES = ("party", "timeline_entry")
"""Tables whose records carry an effective label (:mod:`.pg_labels`), which their words carry."""
"""Tables analysts read and only the server writes."""

OWNER_PATH = "SET search_path = pg_catalog, public, pg_temp"
"""The search path of every function running as the owner: no object of the caller's, as
long as no analyst may create objects in ``public`` (see :data:`PUBLIC_CREATES`)."""


def owns_the_table(role: str = "current_user") -> str:
    """SQL for a trigger's function: whether ``role`` is, or acts for, its table's owner.

    That is the administrator, whom the analysts' rules do not bind.
    """
    return f"pg_has_role({role}, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE')"


PUBLIC_CREATES = (
    "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace n, pg_catalog.aclexplode(coalesce("
    "n.nspacl, pg_catalog.acldefault('n', n.nspowner))) a"
    " WHERE n.nspname = 'public' AND a.grantee = 0 AND a.privilege_type = 'CREATE')"
)
"""Whether every role may create objects in schema ``public``, as on a database made before
PostgreSQL 15: an analyst's ``public.mod(bigint, integer)`` would then be a closer match than
the built-in one, and run with the owner's rights inside the owner's functions."""

CLOSE_PUBLIC = (
    "DO $$ BEGIN IF pg_catalog.pg_has_role(current_user, (SELECT nspowner FROM"
    " pg_catalog.pg_namespace WHERE nspname = 'public'), 'USAGE') THEN"
    " REVOKE CREATE ON SCHEMA public FROM PUBLIC; END IF; END $$"
)
"""Take back that right, where the project's owner owns the schema (else see :func:`install`)."""

TABLE = (
    'CREATE TABLE IF NOT EXISTS search_word (word text COLLATE "C" NOT NULL,'
    " kind smallint NOT NULL, rec integer NOT NULL, tlp text NOT NULL,"
    " PRIMARY KEY (word, kind, rec))"
)
"""One row per word of a record (``kind``: its code in the search rowid, ``rec``: its id).
``COLLATE "C"``: a word start is a range of bytes, whatever the server's locale."""

RECORD_INDEX = "CREATE INDEX IF NOT EXISTS ix_search_word_record ON search_word (rec, kind, word)"
"""For walking a list in its own order and asking of each record whether it holds a word."""

LIST_INDEXES = (
    "CREATE INDEX IF NOT EXISTS ix_timeline_entry_start_utc_first"
    " ON timeline_entry (start_utc NULLS FIRST, id)",
    "CREATE INDEX IF NOT EXISTS ix_statement_said_at_first ON statement (said_at NULLS FIRST, id)",
)
"""The timeline and statement lists in their default order (empty times first, as SQLite sorts
them), so a search in a list can walk it and stop at its first page when most records match,
instead of gathering every match to sort them."""

WORD_SLOTS = 4
"""Words of a search looked up in ``search_word``; beyond them the index table decides."""

WORD_BOUNDS = r"""
CREATE OR REPLACE FUNCTION briefing_word_bounds(q tsquery) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(v.bound ORDER BY z.n, v.o), '{}') FROM (
    SELECT row_number() OVER (ORDER BY p, length(w) DESC, w) AS n, w, p, ascii(right(w, 1)) AS c
    FROM (SELECT replace(m[1], '''''', '''') AS w, coalesce(m[2], '') = ':*' AS p
          FROM regexp_matches(q::text, '''((?:[^'']|'''')*)''(:\*)?', 'g') AS m) AS x
  ) AS z CROSS JOIN LATERAL (VALUES (1, z.w), (2, CASE WHEN z.p
      THEN left(z.w, -1) || chr(CASE WHEN z.c = 55295 THEN 57344
                                     WHEN z.c >= 1114111 THEN 1114111 ELSE z.c + 1 END)
      ELSE z.w || chr(1) END)) AS v(o, bound)
$$"""
"""Each word of ``q`` (a tsquery of words and word starts, as ``briefing_tsquery`` builds it)
as the range of ``search_word.word`` it covers, low and high bound in turn: a whole word
``[w, w || chr(1))``, a start every word beginning so. Whole and long words first, as they
hold fewest records. Immutable, so a query's bounds are worked out once, as constants the
planner weighs against the table's statistics."""

WORD_RECHECK = (
    "CREATE OR REPLACE FUNCTION briefing_word_recheck(q tsquery) RETURNS boolean"
    " LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE RETURN strpos(q::text, '<') > 0"
    f" OR cardinality(briefing_word_bounds(q)) > {2 * WORD_SLOTS}"
)
"""Whether the words alone do not decide: some must stand next to each other, or too many."""


def label_column(table: str) -> str:
    """The label a record's words carry: its effective one where it has one (:mod:`.pg_labels`)."""
    return "eff_tlp" if table in LABELLED_TABLES else "tlp"


def _label_sql(rowid: str) -> str:
    cases = " ".join(
        f"WHEN {code} THEN (SELECT x.{label_column(TABLE_NAMES[kind])}::text"
        f" FROM {TABLE_NAMES[kind]} x WHERE x.id = {rowid} / 8)"
        for kind, code in KIND_CODES.items()
    )
    return f"CASE mod({rowid}, 8) {cases} END"


def _words_of(rows: str) -> str:
    """Insert the words of the index rows in ``rows``, with their records' labels.

    Each label is looked up once per row (``OFFSET 0`` keeps the planner from copying
    the look-up into the condition).
    """
    return (
        "INSERT INTO search_word (word, kind, rec, tlp) SELECT w.lexeme, mod(a.rowid, 8),"
        f" a.rowid / 8, a.tlp FROM (SELECT n.rowid, n.doc, {_label_sql('n.rowid')} AS tlp"
        f" FROM {rows} n OFFSET 0) a CROSS JOIN LATERAL unnest(a.doc) w WHERE a.tlp IS NOT NULL"
    )


_REMOVE = (
    "DELETE FROM search_word w USING (SELECT (rowid / 8)::integer AS rec,"
    " mod(rowid, 8)::smallint AS kind FROM removed OFFSET 0) r"
    " WHERE w.rec = r.rec AND w.kind = r.kind"
)
"""Worked out first (``OFFSET 0``), so the join compares bare columns: leakproof, and so
answered by the index before the policy reads the rows (else every row, policy first)."""


def _trigger_function(name: str, *statements: str) -> str:
    """A trigger function running ``statements``, planned once per connection.

    Not per edit, as the connection's own statements are: the policies make planning costly.
    """
    body = " ".join(f"{s};" for s in statements)
    return (
        f"CREATE OR REPLACE FUNCTION briefing_words_{name}() RETURNS trigger LANGUAGE plpgsql"
        f" SECURITY DEFINER {OWNER_PATH} SET plan_cache_mode = force_generic_plan"
        f" AS $$ BEGIN {body} RETURN NULL; END $$"
    )


WORD_TRIGGER_FUNCTIONS = tuple(
    f"briefing_words_{name}()"
    for name in ("added", "removed", "changed", "truncated", "relabelled")
)


REWRITE = "ON CONFLICT (rowid) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body"
"""A row another editor's rewrite wrote meanwhile is rewritten again, not refused as a duplicate."""


def _reindex_function() -> str:
    """``briefing_reindex(kind, ids)``: rewrite the index rows of these records from the records.

    ``ids`` NULL rewrites the whole kind (and drops rows of no known kind): the owner's
    alone, as it rewrites every row of a large project.
    """
    known = ", ".join(str(code) for code in KIND_CODES.values())

    def cases(where: str) -> str:
        return " ".join(
            f"WHEN {code} THEN {fulltext.server_insert_sql(kind, where)} {REWRITE};"
            for kind, code in KIND_CODES.items()
        )

    return f"""
CREATE OR REPLACE FUNCTION briefing_reindex(kind_code integer, record_ids integer[])
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER {OWNER_PATH}
SET plan_cache_mode = force_generic_plan AS $$
BEGIN
  IF kind_code IS NULL OR kind_code NOT IN ({known}) THEN
    RAISE EXCEPTION USING ERRCODE = '22023',
      MESSAGE = 'no kind of record has the code ' || coalesce(kind_code::text, 'NULL');
  END IF;
  IF record_ids IS NULL THEN
    IF NOT pg_has_role(session_user, current_user, 'USAGE') THEN
      RAISE EXCEPTION 'only the project''s administrator rebuilds its search index'
        USING ERRCODE = '42501';
    END IF;
    DELETE FROM search_index
    WHERE mod(rowid, 8) = kind_code OR mod(rowid, 8) NOT IN ({known});
    CASE kind_code {cases("")} END CASE;
  ELSE
    DELETE FROM search_index
    WHERE rowid IN (SELECT r::bigint * 8 + kind_code FROM unnest(record_ids) AS r);
    CASE kind_code {cases("WHERE t.id = ANY (record_ids)")} END CASE;
  END IF;
END $$"""


REINDEX_ENTRIES = f"""
CREATE OR REPLACE FUNCTION briefing_reindex_entries_of(party_ids integer[])
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER {OWNER_PATH} AS $$
BEGIN
  PERFORM briefing_reindex({KIND_CODES["entry"]}, coalesce(
    (SELECT array_agg(DISTINCT entry_id) FROM entry_party WHERE party_id = ANY (party_ids)),
    '{{}}'));
END $$"""
"""Entries are found by their parties' names: renaming a party rewrites every entry naming it."""

REINDEX_FUNCTIONS = (
    "briefing_reindex(integer, integer[])",
    "briefing_reindex_entries_of(integer[])",
)
"""Called by analysts' edits: executable by the analysts alone, not by every role."""

OWNER_FUNCTIONS = (*WORD_TRIGGER_FUNCTIONS, *REINDEX_FUNCTIONS)


FUNCTIONS = (
    _trigger_function("added", _words_of("added")),
    _trigger_function("removed", _REMOVE),
    _trigger_function("changed", _REMOVE, _words_of("added")),
    _trigger_function("truncated", "DELETE FROM search_word"),
    _trigger_function(
        "relabelled",
        "UPDATE search_word SET tlp = to_jsonb(NEW) ->> TG_ARGV[1]"
        " WHERE rec = NEW.id AND kind = TG_ARGV[0]::smallint",
    ),
    _reindex_function(),
    REINDEX_ENTRIES,
    WORD_BOUNDS,
    WORD_RECHECK,
)

TRIGGERS = {
    "search_words_added": "AFTER INSERT ON search_index REFERENCING NEW TABLE AS added"
    " FOR EACH STATEMENT EXECUTE FUNCTION briefing_words_added()",
    "search_words_removed": "AFTER DELETE ON search_index REFERENCING OLD TABLE AS removed"
    " FOR EACH STATEMENT EXECUTE FUNCTION briefing_words_removed()",
    "search_words_changed": "AFTER UPDATE ON search_index REFERENCING OLD TABLE AS removed"
    " NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION briefing_words_changed()",
    "search_words_truncated": "AFTER TRUNCATE ON search_index"
    " FOR EACH STATEMENT EXECUTE FUNCTION briefing_words_truncated()",
}


def install(connection: Connection) -> None:
    """Create the words table, its triggers and functions; fill it when new (repeatable)."""
    run = connection.exec_driver_sql
    run(CLOSE_PUBLIC)
    if run(PUBLIC_CREATES).scalar_one():
        raise ProjectError(
            "This server lets every role create objects in schema public, so an analyst could "
            "run code as the project's owner; have its superuser run: "
            "REVOKE CREATE ON SCHEMA public FROM PUBLIC"
        )
    new = run("SELECT to_regclass('search_word') IS NULL").scalar_one()
    run(TABLE)
    run(RECORD_INDEX)
    for sql in LIST_INDEXES:
        run(sql)
    for sql in FUNCTIONS:
        run(sql)
    for name, body in TRIGGERS.items():
        run(f"DROP TRIGGER IF EXISTS {name} ON search_index")
        run(f"CREATE TRIGGER {name} {body}")
    for kind, code in KIND_CODES.items():
        table = TABLE_NAMES[kind]
        run(f"DROP TRIGGER IF EXISTS search_words_relabelled ON {table}")
        label = label_column(table)
        run(
            f"CREATE TRIGGER search_words_relabelled AFTER UPDATE ON {table} FOR EACH ROW"
            f" WHEN (OLD.{label} IS DISTINCT FROM NEW.{label})"
            f" EXECUTE FUNCTION briefing_words_relabelled('{code}', '{label}')"
        )
    for command in ("insert", "update"):  # written by the owner alone now: no policy needed
        run(f"DROP POLICY IF EXISTS labelled_{command} ON search_word")
    for function in OWNER_FUNCTIONS:  # a trigger fires them without this right
        run(f"REVOKE EXECUTE ON FUNCTION {function} FROM PUBLIC")
    if new:
        run(_words_of("search_index"))
        run("ANALYZE search_word")


@contextmanager
def words_written_at_the_end(connection: Connection) -> Iterator[None]:
    """Fill a new project's words once, after its records are written, not per statement.

    A copy to a server writes every index row in a few large statements; the word
    triggers then inserted each word into two B-tree indexes in random order, which took
    about as long as the rest of the copy. Inside the copy's transaction (the owner's)
    the triggers are off and the indexes dropped; at the end the words are written from
    the index table in one statement and the indexes built by sorting.
    """
    run = connection.exec_driver_sql
    switched = [
        *((name, "search_index") for name in TRIGGERS),
        *(("search_words_relabelled", table) for table in TABLE_NAMES.values()),
    ]
    for name, table in switched:
        run(f"ALTER TABLE {table} DISABLE TRIGGER {name}")
    run("ALTER TABLE search_word DROP CONSTRAINT search_word_pkey")
    run("DROP INDEX ix_search_word_record")
    yield
    run("TRUNCATE search_word")
    run(_words_of("search_index"))
    run("ALTER TABLE search_word ADD CONSTRAINT search_word_pkey PRIMARY KEY (word, kind, rec)")
    run(RECORD_INDEX)
    for name, table in switched:
        run(f"ALTER TABLE {table} ENABLE TRIGGER {name}")
    run("ANALYZE search_word")


def grant_to_analysts(connection: Connection) -> None:
    """Let every analyst read the search tables, and no analyst write them.

    Also takes back the writing an earlier version granted.
    """
    from psycopg import sql  # noqa: PLC0415 - quoting of role names

    run = connection.exec_driver_sql
    roles = (
        run(
            "SELECT a.role FROM analyst_clearance a JOIN pg_roles r ON r.rolname = a.role"
            " WHERE a.role <> current_user"
        )
        .scalars()
        .all()
    )
    raw = connection.connection.dbapi_connection
    assert raw is not None
    tables = sql.SQL(", ").join(sql.Identifier(t) for t in SERVER_WRITTEN)
    for role in roles:
        for statement in (
            sql.SQL("GRANT SELECT ON {} TO {}"),
            sql.SQL("REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {} FROM {}"),
        ):
            raw.cursor().execute(statement.format(tables, sql.Identifier(role)))
        raw.cursor().execute(grant_reindexing(role))


def grant_reindexing(role: str) -> Any:
    """The statement letting analyst ``role`` have the server rewrite the index rows it edits."""
    from psycopg import sql  # noqa: PLC0415 - quoting of role names

    functions = sql.SQL(", ").join(sql.SQL(f) for f in REINDEX_FUNCTIONS)
    return sql.SQL("GRANT EXECUTE ON FUNCTION {} TO {}").format(functions, sql.Identifier(role))


_NAMES = ", ".join(f"'{function}'" for function in OWNER_FUNCTIONS)
CURRENT = f"""
SELECT (SELECT count(*) FROM unnest(ARRAY[{_NAMES}]) AS f(name)
        JOIN pg_catalog.pg_proc p ON p.oid = to_regprocedure(f.name) WHERE p.prosecdef)
       = {len(OWNER_FUNCTIONS)}
   AND to_regclass('search_word') IS NOT NULL
   AND NOT ({PUBLIC_CREATES})
   AND NOT EXISTS (
     SELECT 1 FROM unnest(ARRAY[{", ".join(f"'{f}'" for f in REINDEX_FUNCTIONS)}]) AS f(name)
     JOIN pg_catalog.pg_proc p ON p.oid = to_regprocedure(f.name)
     CROSS JOIN LATERAL pg_catalog.aclexplode(coalesce(p.proacl,
       pg_catalog.acldefault('f', p.proowner))) a
     WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE')
   AND NOT EXISTS (
     SELECT 1 FROM analyst_clearance a JOIN pg_catalog.pg_roles r ON r.rolname = a.role
     JOIN pg_catalog.pg_class c
       ON c.oid IN ({", ".join(f"to_regclass('{t}')" for t in SERVER_WRITTEN)})
     WHERE NOT pg_has_role(a.role, c.relowner, 'USAGE')
       AND (has_table_privilege(a.role, c.oid, 'INSERT')
            OR has_table_privilege(a.role, c.oid, 'UPDATE')
            OR has_table_privilege(a.role, c.oid, 'DELETE')))"""
"""Whether the search tables and their functions are as this version installs them: the
words there, written by the owner's functions alone, no role creating objects in their
search path, and no analyst (that the caller
can see: an analyst sees their own clearance) able to write them."""


def is_current(connection: Connection) -> bool:
    """Whether the project's search pieces are this version's (see :data:`CURRENT`)."""
    return bool(connection.exec_driver_sql(CURRENT).scalar_one())


def remove(connection: Connection) -> None:
    """Undo :func:`install` (a downgrade)."""
    run = connection.exec_driver_sql
    for name in TRIGGERS:
        run(f"DROP TRIGGER IF EXISTS {name} ON search_index")
    for table in TABLE_NAMES.values():
        run(f"DROP TRIGGER IF EXISTS search_words_relabelled ON {table}")
    run("DROP TABLE IF EXISTS search_word")
    run("DROP INDEX IF EXISTS ix_timeline_entry_start_utc_first")
    run("DROP INDEX IF EXISTS ix_statement_said_at_first")
    for function in OWNER_FUNCTIONS:
        run(f"DROP FUNCTION IF EXISTS {function}")
    run("DROP FUNCTION IF EXISTS briefing_word_recheck(tsquery)")
    run("DROP FUNCTION IF EXISTS briefing_word_bounds(tsquery)")
