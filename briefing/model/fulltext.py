"""The FTS5 search index, kept in step with every edit from application code.

SQLite's ``trusted_schema=OFF`` forbids touching a virtual table from a trigger,
so the index is maintained here instead: an ORM flush hook re-indexes the rows a
session touched, and bulk writers call :func:`reindex` with the ids they wrote.
Row ids encode the record: ``rowid = id * 8 + kind code``.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, event, text
from sqlalchemy.orm import Session, UOWTransaction

from briefing.errors import DamagedFile
from briefing.model import RECORD_KINDS, EntryParty, fulltext_server, prefix_walk

FTS_TABLE = "search_index"

TOKENIZE = "'unicode61 remove_diacritics 2'"

CREATE_FTS = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
    f"title, body, tokenize = {TOKENIZE}, prefix = '2 3')"
)
"""The index as file format 3 creates it: prefix indexes of two and three letters make a
word being typed ("ba", "bab") one list to read instead of a merge of every word it starts."""

KIND_CODES = {"party": 1, "source": 2, "entry": 3, "statement": 4, "relationship": 5, "briefing": 6}
KIND_BY_CODE = {code: kind for kind, code in KIND_CODES.items()}
KIND_OF_CLASS = {model: kind for kind, model in RECORD_KINDS.items()}

_PARTY_NAMES = (
    "(SELECT group_concat(p.name || ' ' || p.short_name, ' ') FROM entry_party ep"
    " JOIN party p ON p.id = ep.party_id WHERE ep.entry_id = t.id)"
)

# For each kind: the table and the SELECT producing (title, body) from alias t.
_SOURCES = {
    "party": ("party", "t.name", "t.short_name || ' ' || t.description"),
    "source": (
        "source",
        "t.title",
        "t.publisher || ' ' || t.author || ' ' || t.url || ' ' || t.description",
    ),
    "entry": (
        "timeline_entry",
        "t.title",
        f"t.place || ' ' || t.description || ' ' || coalesce({_PARTY_NAMES}, '')",
    ),
    "statement": (
        "statement",
        "t.person || ' ' || t.person_title || ' ' || "
        "coalesce((SELECT p.name FROM party p WHERE p.id = t.speaker_id), '')",
        "t.quote || ' ' || t.translation",
    ),
    "relationship": (
        "relationship",
        "t.title",
        "t.description || ' ' || coalesce((SELECT group_concat(p.name, ' ') FROM party p"
        " WHERE p.id IN (t.party_a_id, t.party_b_id)), '')",
    ),
    "briefing": ("briefing", "t.title", "t.subtitle || ' ' || t.bluf"),
}

_CHUNK = 5000
"""Records re-indexed per statement: the statement is long (the folding stages), so building
it once for a whole import batch costs a fifth of building it per 500 records."""


_ARABIC_MARKS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0653\u0654\u0655\u0670\u0640"
"""Harakat (fatha, damma, kasra, tanwin, shadda, sukun, maddah, hamza above/below),
superscript alef and the tatweel stretch."""
_HEBREW_MARKS = "".join(chr(c) for c in [*range(0x05B0, 0x05BE), 0x05BF, 0x05C1, 0x05C2, 0x05C7])
"""Niqqud: the vowel points, dagesh, rafe and the shin/sin dots."""

FOLDS = (
    ("ə", "e"), ("Ə", "e"), ("ı", "i"),
    ("ی", "ي"), ("ى", "ي"), ("ک", "ك"), ("ة", "ه"), ("ۀ", "ه"),
    ("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"),
    *((mark, "") for mark in _ARABIC_MARKS + _HEBREW_MARKS),
)  # fmt: skip
"""Letters the tokenizer keeps apart from their look-alikes (it already strips Latin
diacritics, so ş ğ ç ö ü İ need nothing): Azerbaijani ə and ı; Persian and Arabic
forms of ye, kaf, heh and alef; Arabic and Hebrew vowel marks, which the tokenizer
would otherwise treat as word breaks. Text holding one of them is indexed twice, as
written and folded, and a query is folded (:func:`fold`), so "Azerbaycan" finds
"Azərbaycan", "كتب" finds "كَتَبَ" and typing either works."""

_FOLD_TABLE = str.maketrans({letter: plain_letter for letter, plain_letter in FOLDS})


def fold(text: str) -> str:
    """The folded form of what a user typed, matching the folded copies in the index."""
    return text.translate(_FOLD_TABLE)


_STAGE = 12
"""Folds applied per nested ``replace()``: SQLite's parser refuses deeper nesting."""


def _holds_any(column: str, letters: str) -> str:
    """SQL: whether ``column`` holds one of ``letters`` (all non-ASCII).

    Text of ASCII only (as many bytes as characters) holds none, and is told so
    without the character-class scan, which costs more than the rest of indexing it.
    """
    return (
        f"CASE WHEN length(CAST({column} AS BLOB)) = length({column}) THEN 0 "
        f"ELSE {column} GLOB '*[{letters}]*' END"
    )


def _fold_stages(first: str) -> str:
    """CTEs folding columns ``b`` and ``t`` of ``first`` stage by stage; the last is ``fold``.

    ``fb``/``ft`` say whether the body/title hold anything to fold at all, so plain
    text passes through without a single ``replace()``.
    """
    letters = "".join(letter for letter, _ in FOLDS)
    stages = [
        f"f0 AS (SELECT rid, title, body, {_holds_any('body', letters)} AS fb, "
        f"{_holds_any('title', letters)} AS ft, body AS b, title AS t FROM {first})"
    ]
    for number, start in enumerate(range(0, len(FOLDS), _STAGE), start=1):
        b, t = "b", "t"
        for letter, plain_letter in FOLDS[start : start + _STAGE]:
            b = f"replace({b}, '{letter}', '{plain_letter}')"
            t = f"replace({t}, '{letter}', '{plain_letter}')"
        stages.append(
            f"f{number} AS (SELECT rid, title, body, fb, ft, CASE WHEN fb THEN {b} ELSE b END AS b,"
            f" CASE WHEN ft THEN {t} ELSE t END AS t FROM f{number - 1})"
        )
    stages.append(f"fold AS (SELECT * FROM f{len(stages) - 1})")
    return ", ".join(stages)


def _insert_sql(kind: str, where: str) -> str:
    """INSERT of (rowid, title, body) for records of ``kind`` matching ``where``.

    The texts are built once in a materialised CTE, so that the party name look-ups
    in them run once per record; folded copies go to the body, so the title a hit
    shows stays as written.
    """
    table, title_sql, body_sql = _SOURCES[kind]
    code = KIND_CODES[kind]
    return (
        f"WITH src AS MATERIALIZED (SELECT t.id * 8 + {code} AS rid, {title_sql} AS title, "
        f"{body_sql} AS body FROM {table} t {where}), {_fold_stages('src')} "
        f"INSERT INTO {FTS_TABLE}(rowid, title, body) "
        "SELECT rid, title, body || CASE WHEN fb THEN ' ' || b ELSE '' END"
        " || CASE WHEN ft THEN ' ' || t ELSE '' END FROM fold"
    )


def server_insert_sql(kind: str, where: str) -> str:
    """The server's INSERT of the index rows of the records of ``kind`` matching ``where``."""
    return fulltext_server.insert_sql(KIND_CODES[kind], *_SOURCES[kind], where)


def reindex(connection: Connection, kind: str, ids: Iterable[int] | None = None) -> None:
    """Rewrite the index rows of the given records (all of that kind when ``ids`` is None).

    Ids whose record no longer exists simply lose their index row. A server rewrites
    them itself, as the project's owner (:mod:`briefing.store.pg_search`).
    """
    code = KIND_CODES[kind]
    if connection.dialect.name != "sqlite":
        fulltext_server.reindex(connection, code, None if ids is None else set(ids))
        return
    if ids is None:
        connection.execute(text(f"DELETE FROM {FTS_TABLE} WHERE rowid % 8 = {code}"))
        connection.execute(text(_insert_sql(kind, "")))
        return
    id_list = sorted(set(ids))
    for start in range(0, len(id_list), _CHUNK):
        chunk = id_list[start : start + _CHUNK]
        marks = ",".join(str(int(i)) for i in chunk)
        rowids = ",".join(str(int(i) * 8 + code) for i in chunk)
        connection.execute(text(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({rowids})"))
        connection.execute(text(_insert_sql(kind, f"WHERE t.id IN ({marks})")))


def reindex_entries_of_parties(connection: Connection, party_ids: Iterable[int]) -> None:
    """Entries are found by their parties' names, so renaming a party re-indexes its entries."""
    wanted = sorted(set(party_ids))
    if connection.dialect.name != "sqlite":  # also those the analyst may not see
        fulltext_server.reindex_entries_of_parties(connection, wanted)
        return
    for start in range(0, len(wanted), _CHUNK):
        marks = ",".join(str(int(i)) for i in wanted[start : start + _CHUNK])
        rows = connection.execute(
            text(f"SELECT DISTINCT entry_id FROM entry_party WHERE party_id IN ({marks})")
        )
        reindex(connection, "entry", [r[0] for r in rows])


def rebuild(connection: Connection) -> None:
    """Rebuild the whole index, e.g. after another program edited the file."""
    if connection.dialect.name != "sqlite":  # kind by kind, as the project's owner
        for code in KIND_CODES.values():
            fulltext_server.reindex(connection, code, None)
        return
    connection.execute(text(f"DELETE FROM {FTS_TABLE}"))
    for kind in KIND_CODES:
        reindex(connection, kind)


@dataclass(frozen=True)
class Hit:
    """One search result: the record's kind and id, its title and a highlighted snippet."""

    kind: str
    record_id: int
    title: str
    snippet: str
    rank: float


MAX_TERMS = 16
"""Most words a search looks for. Every word is one more posting list for SQLite to read
and intersect, so thousands of pasted words took minutes; a few words already narrow
any project to a handful of records, and the words beyond are left out, saying so."""
MAX_TERM_CHARS = 100
"""Longest word searched for; a longer one is cut (it still finds what starts that way)."""


RANK_LIMIT = 1_000
"""Matches ranked by relevance at most. Ranking reads every match (a word most of a
million records hold took seconds); more matches than this are listed newest first,
which SQLite's index gives in order without reading them all, and the search says so."""


@dataclass(frozen=True)
class SearchWords:
    """The words a search looks for, and how many were typed (duplicates counted once).

    A word followed by a space is a whole word, searched for exactly; the last word,
    while it is still being typed, finds every word it starts (a prefix).
    """

    words: tuple[str, ...]
    typed: int
    shortened: bool = False
    prefixes: tuple[bool, ...] = ()
    """For each word, whether it is searched for as a prefix (unfinished or cut)."""

    @property
    def query(self) -> str:
        """A safe FTS5 query: every word must appear; quotes and operators are text."""
        prefixes = self.prefixes or (True,) * len(self.words)
        marked = zip(self.words, prefixes, strict=True)
        return " ".join(f'"{w}"' + ("*" if prefix else "") for w, prefix in marked)

    @property
    def note(self) -> str:
        """One sentence for the user when the search left words out or cut them; else ''."""
        if self.typed > len(self.words):
            return (
                f"Searched for the first {len(self.words)} of {self.typed:,} different words; "
                "the others were left out."
            )
        if self.shortened:
            return f"Words longer than {MAX_TERM_CHARS} letters were searched for by their start."
        return ""


def search_words(user_text: str, typing: bool = True) -> SearchWords:
    """What a user typed → the words searched for: at most :data:`MAX_TERMS`, each bounded.

    A word typed with a ``*`` at its end is a prefix. While ``typing`` (a search
    box that searches at each keystroke), the last word, with no space or quote
    after it, is a prefix too: it is not finished. Other words are whole and found
    exactly, which reads one list per word however many records hold it. A word
    cut to :data:`MAX_TERM_CHARS` is a prefix.
    """
    if not user_text.isascii():  # no file, and no query, can hold half a character
        user_text = user_text.encode("utf-8", "ignore").decode("utf-8")
    plain = fold(user_text).replace('"', " ")
    tokens = plain.split()
    unfinished = tokens[-1].rstrip("*").casefold() if typing and plain[-1:].strip() else None
    unique: dict[str, str] = {}
    starred: set[str] = set()
    for token in tokens:
        word = token.rstrip("*")
        if not word:
            continue
        if word != token:
            starred.add(word.casefold())
        unique.setdefault(word.casefold(), word)
    words = list(unique.values())
    first = words[:MAX_TERMS]
    prefixes = tuple(
        w.casefold() in starred or w.casefold() == unfinished or len(w) > MAX_TERM_CHARS
        for w in first
    )
    shortened = any(len(w) > MAX_TERM_CHARS for w in first)
    return SearchWords(tuple(w[:MAX_TERM_CHARS] for w in first), len(words), shortened, prefixes)


def fts_query(user_text: str) -> str:
    """Turn what a user typed into a safe FTS5 query (see :class:`SearchWords`).

    Quotes and operators in the text are treated as plain characters; the words
    are bounded as :func:`search_words` says.
    """
    return search_words(user_text).query


@dataclass(frozen=True)
class Results:
    """The hits of a search, and whether they are the best (ranked) or the newest matches."""

    hits: list[Hit]
    ranked: bool
    crowded: str = ""
    """A word start so many records hold that the newest were listed without counting."""

    @property
    def note(self) -> str:
        if self.ranked:
            return ""
        if self.crowded:
            return (
                f'Many records hold words starting with "{self.crowded}": the newest are shown '
                "first; finish the word or add one to rank them by relevance."
            )
        return (
            f"More than {RANK_LIMIT:,} records match: the newest are shown first; "
            "add a word to rank them by relevance."
        )


def search(
    connection: Connection,
    user_text: str,
    limit: int = 50,
    kinds: Iterable[str] | None = None,
    typing: bool = False,
) -> list[Hit]:
    """The records matching the words typed, best first (newest first when very many match)."""
    return search_results(connection, user_text, limit, kinds, typing).hits


def search_results(
    connection: Connection,
    user_text: str,
    limit: int = 50,
    kinds: Iterable[str] | None = None,
    typing: bool = False,
) -> Results:
    """The first ``limit`` matches: ranked when at most :data:`RANK_LIMIT` match, else newest.

    Counting up to the limit reads that many rowids in index order and stops, so
    the cost does not grow with the number of matches. The words are whole
    (``typing`` False, as on the command line) unless :func:`search_words` says.
    """
    words = search_words(user_text, typing)
    query = words.query
    if not query:
        return Results([], True)
    if connection.dialect.name != "sqlite":
        codes = None if kinds is None else [KIND_CODES[k] for k in kinds]
        found, ranked = fulltext_server.search_rows(connection, query, limit, codes, RANK_LIMIT)
        hits = [Hit(KIND_BY_CODE[r % 8], r // 8, t, snip, k) for r, t, snip, k in found]
        return Results(hits, ranked)
    kind_filter = ""
    if kinds is not None:
        codes = ",".join(str(KIND_CODES[k]) for k in kinds)
        kind_filter = f" AND rowid % 8 IN ({codes})"
    where = f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q{kind_filter}"
    dbapi = connection.connection.dbapi_connection  # a few statements: no result machinery
    assert dbapi is not None
    try:
        crowded, walked = _walk_long_prefixes(dbapi, words, kind_filter, limit)
        if walked is not None:
            return Results(_hits(walked.rows), walked.ranked, "" if walked.complete else crowded)
        (probe,) = dbapi.execute(
            f"SELECT count(*) FROM (SELECT rowid {where} LIMIT :n)",
            {"q": query, "n": RANK_LIMIT + 1},
        ).fetchone()
        ranked = probe <= RANK_LIMIT
        order = "rank" if ranked else "rowid DESC"
        rank = "rank" if ranked else "0.0"  # bm25 would read every match to weigh the words
        rows = dbapi.execute(
            f"SELECT rowid, title, snippet({FTS_TABLE}, 1, '[', ']', '…', 12), {rank} "
            f"{where} ORDER BY {order} LIMIT :n",
            {"q": query, "n": limit},
        ).fetchall()
    except sqlite3.DatabaseError as error:  # a spoiled page of the index that opening let by
        raise DamagedFile(f"its search index cannot be read ({error})") from None
    return Results(_hits(rows), ranked)


def _hits(rows: Iterable[tuple[int, str, str, float]]) -> list[Hit]:
    return [
        Hit(KIND_BY_CODE[rowid % 8], rowid // 8, title, snippet, rank)
        for rowid, title, snippet, rank in rows
    ]


def _walk_long_prefixes(
    dbapi: sqlite3.Connection, words: SearchWords, kind_filter: str, limit: int
) -> tuple[str, prefix_walk.Walked | None]:
    """The typed word start and its matches, walked newest first (:mod:`prefix_walk`).

    Only when a typed start is longer than the index's prefixes and its indexed start
    is crowded; else no matches (None), and the index answers.
    """
    prefixes = words.prefixes or (True,) * len(words.words)
    candidates, cuts = prefix_walk.candidates_query(words.words, prefixes)
    for short, word in cuts.items():
        if prefix_walk.is_crowded(dbapi, FTS_TABLE, short, kind_filter):
            found = prefix_walk.walk(
                dbapi, FTS_TABLE, TOKENIZE, candidates, words.query, kind_filter, limit, RANK_LIMIT
            )
            return word, found
    return "", None


def matching_ids(
    connection: Connection, kind: str, user_text: str, server: bool = False
) -> str | None:
    """SQL fragment selecting the ids of ``kind`` that match, for use in ``id IN (...)``.

    Returns None when the text holds no words (no filtering). The query is bound as
    ``:fts_query``; callers pass ``fts_query(user_text)`` for it.
    """
    if not fts_query(user_text):
        return None
    code = KIND_CODES[kind]
    if server:  # a PostgreSQL server's index
        return fulltext_server.matching_ids_sql(code)
    return (
        f"SELECT rowid / 8 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :fts_query "
        f"AND rowid % 8 = {code}"
    )


def match_of_row(kind: str) -> str:
    """SQL true when the record ``t`` of ``kind`` matches ``:fts_query`` (one index look-up).

    Walking a list in its order and looking each record up beats gathering every
    match first when most records match; it needs whole words (a prefix would merge
    every word it starts at each look-up), see :func:`is_dense`.
    """
    code = KIND_CODES[kind]
    return (
        f"EXISTS (SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :fts_query "
        f"AND rowid = t.id * 8 + {code})"
    )


DENSE = 20_000
"""Matches of one kind below which a list always gathers them first (:func:`matching_ids`)."""

PROBE_COST = 300
"""How many gathered matches one look-up of a record costs (:func:`match_of_row`).

Measured on a 1,000,000-entry file: a look-up about 150 µs (the query is parsed
and the word's list sought each time), a match gathered about 0.5 µs."""


def is_dense(connection: sqlite3.Connection, kind: str, user_text: str, limit: int = 400) -> bool:
    """Whether looking records up in the list's order finds the first ``limit`` sooner.

    Only for whole words and the word starts the index holds prefix lists for (a
    longer start would merge every word it starts at each look-up). The first
    :data:`DENSE` matches are counted, which stops early and reads their lists
    without merging; the highest of their ids tells how densely
    they lie among the kind's records (ids are given in order), and
    :func:`walking_is_cheaper` weighs the two ways.
    """
    if not isinstance(connection, sqlite3.Connection):
        return False  # a server's lists gather the matches first
    words = search_words(user_text)
    marked = zip(words.words, words.prefixes, strict=True)
    if not words.words or any(p and not prefix_walk.indexed(w) for w, p in marked):
        return False
    code = KIND_CODES[kind]
    count, last = connection.execute(
        f"SELECT count(*), max(rowid) FROM (SELECT rowid FROM {FTS_TABLE} "
        f"WHERE {FTS_TABLE} MATCH ? AND rowid % 8 = {code} LIMIT {DENSE + 1})",
        (words.query,),
    ).fetchone()
    if count <= DENSE:
        return False
    (records,) = connection.execute(f"SELECT max(id) FROM {_SOURCES[kind][0]}").fetchone()
    return walking_is_cheaper(count, int(last) // 8, int(records or 0), limit)


def crowded_start(connection: sqlite3.Connection, kind: str, user_text: str, limit: int) -> int:
    """The records of ``kind`` when a list should walk its order checking each one's text; else 0.

    For a typed word start longer than the index's prefixes: FTS5 would merge every
    word it starts, so neither gathering its matches nor looking records up is cheap
    when most records hold it. The first rows holding its indexed start (a sample of
    :data:`prefix_walk.CROWDED`) tell how densely it may lie (see :func:`is_dense`).
    """
    if not isinstance(connection, sqlite3.Connection):
        return 0
    words = search_words(user_text)
    candidates, cuts = prefix_walk.candidates_query(words.words, words.prefixes)
    if not cuts:
        return 0
    code = KIND_CODES[kind]
    (records,) = connection.execute(f"SELECT max(id) FROM {_SOURCES[kind][0]}").fetchone()
    if "" in cuts:  # a one-letter start: the walk finds out how densely it lies
        return int(records or 0)
    count, last = connection.execute(
        f"SELECT count(*), max(rowid) FROM (SELECT rowid FROM {FTS_TABLE} "
        f"WHERE {FTS_TABLE} MATCH ? AND rowid % 8 = {code} LIMIT {prefix_walk.CROWDED + 1})",
        (candidates,),
    ).fetchone()
    if count <= prefix_walk.CROWDED:
        return 0
    share = min(1.0, count / max(int(last) // 8, 1))
    return int(records or 0) if prefix_walk.walking_pays(share, int(records or 0), limit) else 0


def walk_order(
    connection: sqlite3.Connection, kind: str, user_text: str, ordered: sqlite3.Cursor,
    records: int, limit: int,
) -> list[int] | None:  # fmt: skip
    """The first ``limit`` ids from ``ordered`` matching the text (see :func:`crowded_start`)."""
    words = search_words(user_text)
    _, cuts = prefix_walk.candidates_query(words.words, words.prefixes)
    gather_cost = prefix_walk.MERGE_COST if "" in cuts else prefix_walk.GATHER_COST
    return prefix_walk.walk_order(
        connection, FTS_TABLE, TOKENIZE, KIND_CODES[kind], words.query, ordered, records, limit,
        gather_cost,
    )  # fmt: skip


def walking_is_cheaper(counted: int, below: int, records: int, limit: int) -> bool:
    """Whether ``limit`` look-ups in order beat gathering every match.

    ``counted`` matches lie among the ids up to ``below``, so a share ``d`` of the
    ``records`` match: walking costs about ``limit / d`` look-ups, gathering
    ``d * records`` matches, at :data:`PROBE_COST` matches a look-up.
    """
    share = min(1.0, counted / max(below, 1))
    return share * share * records > limit * PROBE_COST


def _touched(session: Session) -> dict[str, set[int]]:
    touched: dict[str, set[int]] = defaultdict(set)
    for obj in (*session.new, *session.dirty, *session.deleted):
        kind = KIND_OF_CLASS.get(type(obj))
        if kind is not None and obj.id is not None:
            touched[kind].add(obj.id)
        elif isinstance(obj, EntryParty) and obj.entry_id is not None:
            touched["entry"].add(obj.entry_id)
    return touched


def install_session_hooks(session_factory: type[Session] | object) -> None:
    """Keep the index in step with every ORM flush made by sessions of this factory."""
    pending_key = "_fts_pending"

    @event.listens_for(session_factory, "before_flush")
    def _collect(session: Session, flush_context: UOWTransaction, instances: object) -> None:
        pending = session.info.setdefault(pending_key, defaultdict(set))
        for kind, ids in _touched(session).items():
            pending[kind] |= ids

    @event.listens_for(session_factory, "after_flush")
    def _apply(session: Session, flush_context: UOWTransaction) -> None:
        pending: dict[str, set[int]] = session.info.pop(pending_key, {})
        for obj in session.new:
            kind = KIND_OF_CLASS.get(type(obj))
            if kind is not None:
                pending.setdefault(kind, set()).add(obj.id)
        for kind, ids in pending.items():
            reindex(session.connection(), kind, ids)
        if "party" in pending:
            reindex_entries_of_parties(session.connection(), pending["party"])
