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
record table), so the policy of ``search_word`` (see
:data:`briefing.store.pg_security.VISIBLE_DEPENDENT`) decides on a column of the
row plus the hashed lists of hidden parties and entries, as the records' own
policies do, instead of looking each record up. The triggers run with the
rights of whoever writes: an analyst can write words only of records they see,
and only with the label the record has (a restrictive policy on writing).

The table is derived data, installed with the team's other pieces (repeatable)
and filled from ``search_index`` when it is created.
"""

from __future__ import annotations

from sqlalchemy import Connection

from briefing.model.codec import TABLE_NAMES
from briefing.model.fulltext import KIND_CODES

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


def _label_sql(rowid: str) -> str:
    cases = " ".join(
        f"WHEN {code} THEN (SELECT x.tlp::text FROM {TABLE_NAMES[kind]} x WHERE x.id = {rowid} / 8)"
        for kind, code in KIND_CODES.items()
    )
    return f"CASE mod({rowid}, 8) {cases} END"


def _record_label_sql() -> str:
    """The label of the record a ``search_word`` row names, as the writer may see it (else NULL)."""
    cases = " ".join(
        f"WHEN {code} THEN (SELECT x.tlp::text FROM {TABLE_NAMES[kind]} x WHERE x.id = rec)"
        for kind, code in KIND_CODES.items()
    )
    return f"CASE kind {cases} END"


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
        f" SET plan_cache_mode = force_generic_plan AS $$ BEGIN {body} RETURN NULL; END $$"
    )


FUNCTIONS = (
    _trigger_function("added", _words_of("added")),
    _trigger_function("removed", _REMOVE),
    _trigger_function("changed", _REMOVE, _words_of("added")),
    _trigger_function("truncated", "DELETE FROM search_word"),
    _trigger_function(
        "relabelled",
        "UPDATE search_word SET tlp = NEW.tlp WHERE rec = NEW.id AND kind = TG_ARGV[0]::smallint",
    ),
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
        run(
            f"CREATE TRIGGER search_words_relabelled AFTER UPDATE OF tlp ON {table} FOR EACH ROW"
            " WHEN (OLD.tlp IS DISTINCT FROM NEW.tlp)"
            f" EXECUTE FUNCTION briefing_words_relabelled('{code}')"
        )
    for command in ("INSERT", "UPDATE"):  # an analyst's row carries its record's true label
        name = f"labelled_{command.lower()}"
        run(f"DROP POLICY IF EXISTS {name} ON search_word")
        run(
            f"CREATE POLICY {name} ON search_word AS RESTRICTIVE FOR {command}"
            f" WITH CHECK (tlp = {_record_label_sql()})"
        )
    if new:
        run(_words_of("search_index"))
        run("ANALYZE search_word")


def grant_to_analysts(connection: Connection) -> None:
    """Let the analysts added before the table existed read and write it (through its policy)."""
    from psycopg import sql  # noqa: PLC0415 - quoting of role names

    run = connection.exec_driver_sql
    roles = run("SELECT role FROM analyst_clearance WHERE role <> current_user").scalars().all()
    raw = connection.connection.dbapi_connection
    assert raw is not None
    for role in roles:
        statement = sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON search_word TO {}")
        raw.cursor().execute(statement.format(sql.Identifier(role)))


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
    for name in ("added", "removed", "changed", "truncated", "relabelled"):
        run(f"DROP FUNCTION IF EXISTS briefing_words_{name}()")
    run("DROP FUNCTION IF EXISTS briefing_word_recheck(tsquery)")
    run("DROP FUNCTION IF EXISTS briefing_word_bounds(tsquery)")
