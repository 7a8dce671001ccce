"""The search index on a PostgreSQL server: the same records, words and answers as FTS5.

The index table holds each record's title and body as :mod:`.fulltext` builds
them; the server folds and tokenises them into a generated ``tsvector`` (see
``store/migrations/server_sql.py``), so writing is a plain upsert and nothing is
folded twice here. Each lexeme of it is also a row of ``search_word`` under
B-tree indexes (``store/pg_search.py``), which is what a search reads: under
row-level security the full-text match cannot use an index, text comparisons
can. A query is the one built for SQLite, read on the server by
``briefing_tsquery`` (whole words through ``websearch_to_tsquery``, a starred
word as a prefix), once per search (:func:`tsquery_of`): its text then goes back
as a constant, from which the word bounds are worked out before planning.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, text

_QUERY = "CAST(:fts_tsquery AS tsquery)"
_BOUNDS = f"(briefing_word_bounds({_QUERY}))"
WORD_SLOTS = 4
"""As ``store/pg_search.py``: words looked up in ``search_word``; beyond, the index table."""


def _holds(alias: str, slot: int) -> str:
    """``alias`` (a ``search_word`` row) is the ``slot``-th word of the query (1-based)."""
    return f"{alias}.word >= {_BOUNDS}[{2 * slot - 1}] AND {alias}.word < {_BOUNDS}[{2 * slot}]"


def words_sql(kinds: str | None) -> str:
    """SQL selecting ``w.kind, w.rec`` of every record (of ``kinds``) holding the query's words.

    Read from ``search_word`` (``store/pg_search.py``) by text and integer comparisons,
    which row-level security lets an index answer, unlike the full-text match. The
    first word picks the rows; each further one, and the full-text match when words
    must stand together, is asked of those rows. The word bounds are immutable
    functions of the query, so the planner sees constants: ``NULL IS NULL OR ...`` of
    an absent word folds away before planning, as does the match when not needed.
    """
    more = "".join(
        f" AND ({_BOUNDS}[{2 * n - 1}] IS NULL OR EXISTS (SELECT 1 FROM search_word v{n}"
        f" WHERE v{n}.rec = w.rec AND v{n}.kind = w.kind AND {_holds(f'v{n}', n)}))"
        for n in range(2, WORD_SLOTS + 1)
    )
    recheck = (
        f" AND (NOT briefing_word_recheck({_QUERY}) OR EXISTS (SELECT 1 FROM search_index s"
        f" WHERE s.rowid = w.rec * 8 + w.kind AND s.doc @@ {_QUERY} OFFSET 0))"
    )
    first = _holds("w", 1) if kinds is None else f"w.kind IN ({kinds}) AND {_holds('w', 1)}"
    return f"SELECT w.kind, w.rec FROM search_word w WHERE {first}{more}{recheck}"


def matching_ids_sql(kind_code: int) -> str:
    """SQL selecting the ids of the records of one kind that match ``:fts_tsquery``."""
    return words_sql(str(int(kind_code))).replace("SELECT w.kind, w.rec", "SELECT w.rec", 1)


def tsquery_of(connection: Connection, query: str) -> str | None:
    """An FTS5-style query as the text of the server's tsquery (None: no word to look for)."""
    found = connection.execute(text("SELECT briefing_tsquery(:q)::text"), {"q": query})
    return found.scalar_one()


KIND_STATISTICS = (
    "CREATE STATISTICS IF NOT EXISTS search_index_kind ON (rowid % 8) FROM search_index"
)
"""How the index rows share out among the kinds of record. Without it the planner takes
``rowid % 8 = 3`` to hold for one row in 200, and a word most entries hold was then
matched against the entries by a nested loop that ran for seconds."""


def install(connection: Connection) -> None:
    """Add what the planner needs to weigh a search (PostgreSQL only; repeatable)."""
    connection.execute(text(KIND_STATISTICS))


def reindex(connection: Connection, kind_code: int, ids: Iterable[int] | None) -> None:
    """Have the server rewrite the index rows of these records (every one of the kind: None).

    Analysts only read the index: the server writes it, as the project's owner, from the
    records themselves (``briefing_reindex``, see ``store/pg_search.py``).
    """
    wanted = None if ids is None else sorted(int(i) for i in ids)
    if wanted == []:
        return
    connection.execute(
        text("SELECT briefing_reindex(:code, CAST(:ids AS integer[]))"),
        {"code": int(kind_code), "ids": wanted},
    )


def reindex_entries_of_parties(connection: Connection, party_ids: Iterable[int]) -> None:
    """Have the server re-index the entries naming these parties, seen by the analyst or not."""
    wanted = sorted(int(i) for i in party_ids)
    if wanted:
        connection.execute(
            text("SELECT briefing_reindex_entries_of(CAST(:ids AS integer[]))"), {"ids": wanted}
        )


def insert_sql(kind_code: int, table: str, title_sql: str, body_sql: str, where: str) -> str:
    return (
        f"INSERT INTO search_index (rowid, title, body) SELECT t.id * 8 + {kind_code}, "
        f"coalesce({title_sql}, ''), coalesce({body_sql}, '') FROM {table} t {where}"
    )


def search_rows(
    connection: Connection, query: str, limit: int, codes: Iterable[int] | None, rank_limit: int
) -> tuple[list[tuple[int, str, str, float]], bool]:
    """(rowid, title, snippet, rank) of the first matches, and whether they are ranked."""
    kinds = None if codes is None else ",".join(str(int(c)) for c in codes)
    found = f"SELECT w.rec * 8 + w.kind AS r FROM ({words_sql(kinds)}) AS w"
    words = tsquery_of(connection, query)
    probe = connection.execute(
        text(f"SELECT count(*) FROM ({found} LIMIT :n) AS found"),
        {"fts_tsquery": words, "n": rank_limit + 1},
    ).scalar_one()
    ranked = probe <= rank_limit
    if ranked:
        rank, order, chosen = "-ts_rank(doc, CAST(:fts_tsquery AS tsquery))", "4, rowid", found
    else:  # the newest: chosen among the words' rows before any index row is read
        rank, order = "0.0", "rowid DESC"
        chosen = (  # rec, kind descending is rowid descending, as kind < 8
            f"SELECT w.rec * 8 + w.kind FROM ({words_sql(kinds)}) AS w"
            " ORDER BY w.rec DESC, w.kind DESC LIMIT :n"
        )
    rows = connection.execute(
        text(
            "SELECT rowid, title, ts_headline('simple', body, CAST(:fts_tsquery AS tsquery), "
            "'StartSel=[, StopSel=], MaxWords=12, MinWords=3, MaxFragments=1, "
            f"FragmentDelimiter=…'), {rank} FROM search_index WHERE rowid IN ({chosen}) "
            f"ORDER BY {order} LIMIT :n"
        ),
        {"fts_tsquery": words, "n": limit},
    ).all()
    return [(int(r[0]), r[1], r[2], float(r[3])) for r in rows], ranked
