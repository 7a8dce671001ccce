"""The search index on a PostgreSQL server: the same records, words and answers as FTS5.

The index table holds each record's title and body as :mod:`.fulltext` builds
them; the server folds and tokenises them into a generated ``tsvector`` under a
GIN index (see ``store/migrations/server_sql.py``), so writing is a plain upsert
and nothing is folded twice here. A query is the one built for SQLite, read on
the server by ``briefing_tsquery`` (whole words through ``websearch_to_tsquery``,
a starred word as a prefix).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, text

MATCH = "doc @@ briefing_tsquery(:fts_query)"
"""True for an index row holding every word of ``:fts_query`` (an FTS5-style query)."""


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
    probe = connection.execute(
        text(f"SELECT count(*) FROM (SELECT 1 {where} LIMIT :n) AS found"),
        {"fts_query": query, "n": rank_limit + 1},
    ).scalar_one()
    ranked = probe <= rank_limit
    rank = "-ts_rank(doc, briefing_tsquery(:fts_query))" if ranked else "0.0"
    order = "4, rowid" if ranked else "rowid DESC"
    rows = connection.execute(
        text(
            f"SELECT rowid, title, ts_headline('simple', body, briefing_tsquery(:fts_query), "
            "'StartSel=[, StopSel=], MaxWords=12, MinWords=3, MaxFragments=1, "
            f"FragmentDelimiter=…'), {rank} {where} ORDER BY {order} LIMIT :n"
        ),
        {"fts_query": query, "n": limit},
    ).all()
    return [(int(r[0]), r[1], r[2], float(r[3])) for r in rows], ranked
