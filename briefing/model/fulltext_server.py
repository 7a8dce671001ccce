"""The search index on a PostgreSQL server: the same records, words and answers as FTS5.

The index table holds each record's title and body as :mod:`.fulltext` builds
them; the server folds and tokenises them into a generated ``tsvector`` under a
GIN index (see ``store/migrations/server_sql.py``), so writing is a plain upsert
and nothing is folded twice here. A query is the one built for SQLite, read on
the server by ``briefing_tsquery`` (whole words through ``websearch_to_tsquery``,
a starred word as a prefix), once per search (:func:`tsquery_of`): its text then
goes back as a constant, which the planner can weigh against the index's
statistics and which is not folded again for every row a scan reads (an analyst's
scan, kept off the index by row-level security, did that 100,000 times a search).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, text

MATCH = "doc @@ CAST(:fts_tsquery AS tsquery)"
"""True for an index row holding every word of ``:fts_tsquery`` (see :func:`tsquery_of`)."""


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


def insert_sql(kind_code: int, table: str, title_sql: str, body_sql: str, where: str) -> str:
    return (
        f"INSERT INTO search_index (rowid, title, body) SELECT t.id * 8 + {kind_code}, "
        f"coalesce({title_sql}, ''), coalesce({body_sql}, '') FROM {table} t {where}"
    )


def search_rows(
    connection: Connection, query: str, limit: int, codes: Iterable[int] | None, rank_limit: int
) -> tuple[list[tuple[int, str, str, float]], bool]:
    """(rowid, title, snippet, rank) of the first matches, and whether they are ranked."""
    kind_filter = ""
    if codes is not None:
        kind_filter = f" AND rowid % 8 IN ({','.join(str(int(c)) for c in codes)})"
    where = f"FROM search_index WHERE {MATCH}{kind_filter}"
    words = tsquery_of(connection, query)
    probe = connection.execute(
        text(f"SELECT count(*) FROM (SELECT 1 {where} LIMIT :n) AS found"),
        {"fts_tsquery": words, "n": rank_limit + 1},
    ).scalar_one()
    ranked = probe <= rank_limit
    rank = "-ts_rank(doc, CAST(:fts_tsquery AS tsquery))" if ranked else "0.0"
    order = "4, rowid" if ranked else "rowid DESC"
    rows = connection.execute(
        text(
            "SELECT rowid, title, ts_headline('simple', body, CAST(:fts_tsquery AS tsquery), "
            "'StartSel=[, StopSel=], MaxWords=12, MinWords=3, MaxFragments=1, "
            f"FragmentDelimiter=…'), {rank} {where} ORDER BY {order} LIMIT :n"
        ),
        {"fts_tsquery": words, "n": limit},
    ).all()
    return [(int(r[0]), r[1], r[2], float(r[3])) for r in rows], ranked
