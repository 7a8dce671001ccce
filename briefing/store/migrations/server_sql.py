"""The PostgreSQL-only parts of the schema, as literal SQL the migrations run on a server.

SQLite keeps its full-text index in an FTS5 table; a server keeps it in an
ordinary table whose ``doc`` column is a generated ``tsvector`` under a GIN index.
Accents are folded by the ``unaccent`` extension and the letters it leaves alone
(Azerbaijani ə and ı, Arabic and Persian letter forms, Arabic and Hebrew vowel
marks, see :data:`briefing.model.fulltext.FOLDS`) by ``translate``, both inside one
IMMUTABLE function so the generated column and the queries fold alike.

A few SQLite functions the program's plain SQL uses (``instr``, ``typeof``,
``group_concat``, ``strftime('%s', ...)``) and the ``NOCASE`` collation get
PostgreSQL equivalents under the same names, so that SQL runs unchanged on both.
After rows are inserted with their own ids, ``briefing_advance_id`` moves the table's
id sequence past the largest id (never back, and seeing every row whatever the
caller may read). Written out literally so that a migration stays what it was when the code moves on.
"""

from __future__ import annotations

FOLD_FROM = (
    "əƏı"
    "یىکةۀأإآٱ"
    "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0653\u0654\u0655\u0670\u0640"
    + "".join(chr(c) for c in [*range(0x05B0, 0x05BE), 0x05BF, 0x05C1, 0x05C2, 0x05C7])
)
FOLD_TO = "eeiييكههاااا"
"""``translate`` maps each letter of FOLD_FROM to the letter at the same place in FOLD_TO
and drops the letters beyond its end (the vowel marks)."""

SEARCH_OBJECTS = (
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE FUNCTION briefing_fold(value text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE "
    "RETURN lower(translate(public.unaccent('public.unaccent'::regdictionary, value), "
    f"'{FOLD_FROM}', '{FOLD_TO}'))",
    "CREATE TABLE search_index (rowid bigint PRIMARY KEY, title text NOT NULL, "
    "body text NOT NULL, doc tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, "
    "briefing_fold(title || ' ' || body))) STORED)",
    "CREATE INDEX ix_search_index_doc ON search_index USING gin (doc)",
    "CREATE FUNCTION briefing_tsquery(query text) RETURNS tsquery LANGUAGE sql STABLE "
    "RETURN (SELECT to_tsquery('simple'::regconfig, string_agg('(' || part || ')', ' & ')) "
    "FROM (SELECT CASE WHEN m[2] = '' THEN websearch_to_tsquery('simple'::regconfig, "
    "'\"' || briefing_fold(m[1]) || '\"')::text ELSE (SELECT string_agg(quote_literal(word) "
    "|| ':*', ' & ') FROM regexp_split_to_table(briefing_fold(m[1]), '\\W+') AS word "
    "WHERE word <> '') END AS part FROM regexp_matches(query, '\"([^\"]*)\"(\\*?)', 'g') AS m) "
    "AS parts WHERE part <> '')",
)
"""``briefing_tsquery`` reads the query the program builds for SQLite (``"word" "start"*``,
see :class:`briefing.model.fulltext.SearchWords`) as a tsquery: every word must
appear, a whole word through ``websearch_to_tsquery``, a starred one as a prefix."""

SQLITE_FUNCTIONS = (
    "CREATE COLLATION IF NOT EXISTS nocase (provider = icu, locale = 'und-u-ks-level2', "
    "deterministic = false)",
    "CREATE FUNCTION instr(haystack text, needle text) RETURNS integer LANGUAGE sql IMMUTABLE "
    "RETURN strpos(haystack, needle)",
    "CREATE FUNCTION typeof(value anyelement) RETURNS text LANGUAGE sql IMMUTABLE "
    "AS $$ SELECT CASE WHEN $1 IS NULL THEN 'null' "
    "WHEN pg_typeof($1) IN ('smallint'::regtype, 'integer'::regtype, 'bigint'::regtype) "
    "THEN 'integer' WHEN pg_typeof($1) IN ('real'::regtype, 'double precision'::regtype, "
    "'numeric'::regtype) THEN 'real' WHEN pg_typeof($1) = 'bytea'::regtype THEN 'blob' "
    "ELSE 'text' END $$",
    "CREATE FUNCTION strftime(format text, moment text) RETURNS bigint LANGUAGE sql IMMUTABLE "
    "RETURN CASE WHEN format = '%s' "
    "THEN extract(epoch FROM moment::timestamp)::bigint END",
    "CREATE FUNCTION max(a anycompatible, b anycompatible) RETURNS anycompatible LANGUAGE sql IMMUTABLE "
    "AS $$ SELECT CASE WHEN $1 IS NULL OR $2 IS NULL THEN NULL ELSE greatest($1, $2) END $$",
    "CREATE FUNCTION min(a anycompatible, b anycompatible) RETURNS anycompatible LANGUAGE sql IMMUTABLE "
    "AS $$ SELECT CASE WHEN $1 IS NULL OR $2 IS NULL THEN NULL ELSE least($1, $2) END $$",
    "CREATE FUNCTION group_concat_step(state text, value text, separator text) RETURNS text "
    "LANGUAGE sql IMMUTABLE RETURN CASE WHEN value IS NULL THEN state WHEN state IS NULL "
    "THEN value ELSE state || separator || value END",
    "CREATE FUNCTION group_concat_step(state text, value text) RETURNS text "
    "LANGUAGE sql IMMUTABLE RETURN group_concat_step(state, value, ',')",
    "CREATE AGGREGATE group_concat(text, text) (SFUNC = group_concat_step, STYPE = text)",
    "CREATE AGGREGATE group_concat(text) (SFUNC = group_concat_step, STYPE = text)",
    "CREATE FUNCTION briefing_advance_id(tbl text) RETURNS void LANGUAGE plpgsql "
    "SECURITY DEFINER SET search_path = public AS $$ DECLARE seq text := "
    "pg_get_serial_sequence(tbl, 'id'); top bigint; last bigint; BEGIN "
    "EXECUTE format('SELECT max(id) FROM %I', tbl) INTO top; "
    "EXECUTE format('SELECT last_value FROM %s', seq) INTO last; "
    "IF top > last THEN PERFORM setval(seq, top); END IF; END $$",
    "CREATE FUNCTION briefing_local_day(stored text, zone text) RETURNS text LANGUAGE plpgsql "
    "IMMUTABLE AS $$ BEGIN RETURN to_char(stored::timestamptz AT TIME ZONE zone, 'YYYY-MM-DD'); "
    "EXCEPTION WHEN others THEN BEGIN RETURN to_char(stored::timestamptz AT TIME ZONE 'UTC', "
    "'YYYY-MM-DD'); EXCEPTION WHEN others THEN RETURN NULL; END; END $$",
)
