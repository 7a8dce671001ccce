"""Word starts longer than the index's prefixes, found without merging every word they start.

FTS5 answers a prefix it has no prefix index for (``"part"*`` beside prefixes of two and
three letters) by merging the lists of every word that starts that way before it returns
a single row: a start most of a million records hold took one to two seconds. A start
cut to three letters (``"par"*``) is one list in the prefix index, read newest first and
stopped at will. So when that short start is crowded, its rows are read newest first a
batch at a time, and each batch is searched for what was really typed in a small
in-memory index with the same tokenizer: the same words match, by the same rules, and
the walk stops as soon as enough are found.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

INDEXED = 3
"""The longest word start the file's index holds a prefix index for (file format 3)."""

CROWDED = 2_000
"""Rows holding the cut start that are counted to tell how many hold it (a sample)."""

WORTH_WALKING = 35_000
"""Rows holding the cut start above which walking beats FTS5's merge: a walk costs about
3.5 ms, the merge about 0.1 µs per row holding the typed start (at most the cut's)."""

LARGEST_BATCH = 1_000
"""Most rows read and checked at a time. The first batch is a little more than the
matches wanted (where the start is crowded, most rows hold it) and each next one
twice the last: checking a row (indexing it again) costs about 30 µs."""

SHORT_BUDGET = 250
"""Rows checked at most for a one-letter start, whose rows cannot be counted cheaply: a
common letter finds a page in fewer, and a rare one leaves FTS5 little to merge."""
BUDGET = 20_000
"""Rows checked at most. A start that so few of its cut start's rows hold is held by
few rows, so FTS5's own merge is cheap again and the walk hands over to it."""


@dataclass(frozen=True)
class Walked:
    """Rows found by a walk: (rowid, title, snippet, rank).

    Also whether they are ranked by relevance, and whether every match was found
    (else the walk stopped at the newest).
    """

    rows: list[tuple[int, str, str, float]]
    ranked: bool
    complete: bool


def cut(word: str) -> str | None:
    """The start of ``word`` the index holds, or None when the index holds ``word`` itself.

    Only words of letters and digits are cut, so that the cut start is a start of the
    same single token (a word such as "a-b" is two tokens to the tokenizer).
    """
    if len(word) <= INDEXED or not word.isalnum():
        return None
    return word[:INDEXED]


def indexed(word: str) -> bool:
    """Whether the index holds a prefix list for ``word`` (two or three letters or digits).

    Looking one record up for such a start reads that list, with no merge.
    """
    return 2 <= len(word) <= INDEXED and word.isalnum()


def candidates_query(
    words: tuple[str, ...], prefixes: tuple[bool, ...]
) -> tuple[str, dict[str, str]]:
    """The query with each long prefix cut to the indexed start, and those words by cut start.

    Every row the typed query matches, this one matches too: a word starting with the
    typed start starts with its first letters. A start of one letter is left out (cut
    to nothing, ``""``): the index holds no list that short. The query is empty when
    nothing is left, and then every row is a candidate.
    """
    parts: list[str] = []
    cuts: dict[str, str] = {}
    for word, prefix in zip(words, prefixes, strict=True):
        if prefix and len(word) == 1 and word.isalnum():  # shorter than any prefix list:
            cuts[""] = word  # every row is a candidate
            continue
        short = cut(word) if prefix else None
        if short is not None:
            cuts[short] = word
        parts.append(f'"{short or word}"' + ("*" if prefix else ""))
    return " ".join(parts), cuts


def is_crowded(dbapi: sqlite3.Connection, table: str, start: str, kind_filter: str) -> bool:
    """Whether more than :data:`WORTH_WALKING` rows may hold a word starting with ``start``.

    The first :data:`CROWDED` such rows (in rowid order) and the highest rowid of all
    tell how densely they lie, so the count stops early. A start cut to nothing (one
    letter) counts as crowded: the walk finds out, within :data:`SHORT_BUDGET` rows.
    """
    if not start:
        return True
    count, last = dbapi.execute(
        f"SELECT count(*), max(rowid) FROM (SELECT rowid FROM {table} WHERE {table} MATCH ?"
        f"{kind_filter} LIMIT {CROWDED + 1})",
        (f'"{start}"*',),
    ).fetchone()
    if count <= CROWDED:
        return False
    (top,) = dbapi.execute(f"SELECT rowid FROM {table} ORDER BY rowid DESC LIMIT 1").fetchone()
    return bool(count * top / max(last, 1) > WORTH_WALKING)


def walk(
    dbapi: sqlite3.Connection,
    table: str,
    tokenize: str,
    candidates: str,
    query: str,
    kind_filter: str,
    limit: int,
    rank_limit: int,
) -> Walked | None:
    """The first ``limit`` rows matching ``query``, walking the rows matching ``candidates``.

    Every candidate read is kept in the in-memory index, so when the candidates run
    out first every match is there, ranked among the candidates (unless more than
    ``rank_limit`` match). When ``limit`` are found first, the walk stops there and
    they are returned newest first, unranked: ranking would need every match. None
    when :data:`BUDGET` rows were checked before either.
    """
    memory = sqlite3.connect(":memory:")
    try:
        memory.execute(
            f"CREATE VIRTUAL TABLE walked USING fts5(title, body, tokenize = {tokenize})"
        )
        below = ""
        checked = found = 0
        batch = limit + limit // 4 + 1
        match, arguments = (f"{table} MATCH ?", (candidates,)) if candidates else ("1", ())
        while checked < (BUDGET if candidates else SHORT_BUDGET):
            rows = dbapi.execute(
                f"SELECT rowid, title, body FROM {table} WHERE {match}{kind_filter}"
                f"{below} ORDER BY rowid DESC LIMIT {min(batch, LARGEST_BATCH)}",
                arguments,
            ).fetchall()
            if not rows:
                ranked = found <= rank_limit
                order = "rank" if ranked else "rowid DESC"
                return Walked(_rows(memory, query, order, limit, ranked), ranked, complete=True)
            memory.executemany("INSERT INTO walked(rowid, title, body) VALUES (?, ?, ?)", rows)
            checked += len(rows)
            batch *= 2
            below = f" AND rowid < {int(rows[-1][0])}"
            (batch_found,) = memory.execute(
                f"SELECT count(*) FROM walked WHERE walked MATCH ? AND rowid >= {int(rows[-1][0])}",
                (query,),
            ).fetchone()
            found += batch_found
            if found >= limit:
                rows_found = _rows(memory, query, "rowid DESC", limit, ranked=False)
                return Walked(rows_found, ranked=False, complete=False)
        return None
    finally:
        memory.close()


def _rows(
    memory: sqlite3.Connection, query: str, order: str, limit: int, ranked: bool
) -> list[tuple[int, str, str, float]]:
    rank = "rank" if ranked else "0.0"
    return memory.execute(
        f"SELECT rowid, title, snippet(walked, 1, '[', ']', '…', 12), {rank} FROM walked "
        f"WHERE walked MATCH ? ORDER BY {order} LIMIT ?",
        (query, limit),
    ).fetchall()


CHECK_COST = 35.0
"""Microseconds to check one row's text in the in-memory index (read it, index it again)."""
GATHER_COST = 0.2
"""Microseconds per match when a list gathers every match first (measured at a million)."""


MERGE_COST = 1.0
"""Microseconds per record when a list gathers the matches of a one-letter start: FTS5
merges every word starting with that letter first (a million entries: about a second)."""


def walking_pays(share: float, records: int, limit: int, gather_cost: float = GATHER_COST) -> bool:
    """Whether checking rows in a list's order finds ``limit`` sooner than gathering every match.

    A ``share`` of the ``records`` match: walking checks about ``limit / share`` rows,
    gathering reads ``share * records`` matches (every record, for a one-letter start).
    """
    if gather_cost >= MERGE_COST:
        return share * records * gather_cost > limit * CHECK_COST
    return share * share * records * gather_cost > limit * CHECK_COST


def walk_order(
    dbapi: sqlite3.Connection,
    table: str,
    tokenize: str,
    code: int,
    query: str,
    ordered: sqlite3.Cursor,
    records: int,
    limit: int,
    gather_cost: float = GATHER_COST,
) -> list[int] | None:
    """The first ``limit`` ids the ``ordered`` cursor yields whose indexed text matches ``query``.

    Each chunk of ids has its index text read (FTS5's ``_content`` table, by rowid)
    and checked in an in-memory index with the same tokenizer. None, to gather
    instead, as soon as the matches found show walking does not pay
    (:func:`walking_pays`).
    """
    memory = sqlite3.connect(":memory:")
    try:
        memory.execute(
            f"CREATE VIRTUAL TABLE walked USING fts5(title, body, tokenize = {tokenize})"
        )
        found: list[int] = []
        checked = 0
        batch = limit + limit // 4 + 1
        while len(found) < limit:
            ids = [row[0] for row in ordered.fetchmany(min(batch, LARGEST_BATCH))]
            if not ids:
                break
            texts = _texts(dbapi, table, code, ids)
            memory.executemany(
                "INSERT INTO walked(rowid, title, body) VALUES (?, ?, ?)",
                ((checked + n, *texts.get(i, ("", ""))) for n, i in enumerate(ids)),
            )
            rows = memory.execute(
                f"SELECT rowid FROM walked WHERE walked MATCH ? AND rowid >= {checked}", (query,)
            )
            found += [ids[row[0] - checked] for row in rows]
            checked += len(ids)
            batch *= 2
            share = len(found) / checked
            if len(found) < limit and not walking_pays(share, records, limit, gather_cost):
                return None
        return found[:limit]
    finally:
        memory.close()


def _texts(dbapi: sqlite3.Connection, table: str, code: int, ids: list[int]) -> dict[int, tuple]:
    marks = ",".join(str(int(i) * 8 + code) for i in ids)
    rows = dbapi.execute(f"SELECT id, c0, c1 FROM {table}_content WHERE id IN ({marks})")
    return {rowid // 8: (title, body) for rowid, title, body in rows}
