"""Search that does not grow with the matches: exact whole words, ranking only a few matches."""

from __future__ import annotations

import pytest

from briefing.model import fulltext
from briefing.model.fulltext import FTS_TABLE, search_results

TYPED = ("videos captured", "Grigoryan", "provocation", "Արմեն", "Armenia", "border clash", "Lach")
"""What the library's tests type in its search box."""
WHOLE = ("border", "Jermuk", "Müdafiə", "Mudafie", "MÜDAFİƏ", "Qaraqislaq", "Lach*")
"""What the search tests of merge, share and folding look for."""


def _every_word_a_prefix(connection, typed: str) -> set[tuple[str, int]]:
    """The matches as every word was searched before: each as a prefix, all of them."""
    words = fulltext.search_words(typed).words
    query = " ".join(f'"{w}"*' for w in words)
    rows = connection.exec_driver_sql(
        f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?", (query,)
    )
    return {(fulltext.KIND_BY_CODE[r[0] % 8], r[0] // 8) for r in rows}


@pytest.mark.parametrize("typed", TYPED)
def test_the_library_searches_find_the_same_records_as_before(demo_project, typed) -> None:
    """Typed in the search box: whole words exact, the last one a prefix."""
    with demo_project.engine.connect() as connection:
        typing = search_results(connection, typed, limit=10_000, typing=True)
        before = _every_word_a_prefix(connection, typed)
    assert typing.ranked and typing.note == ""
    assert {(h.kind, h.record_id) for h in typing.hits} == before


@pytest.mark.parametrize("typed", WHOLE)
def test_the_whole_word_searches_find_the_same_records_as_before(demo_project, typed) -> None:
    with demo_project.engine.connect() as connection:
        whole = search_results(connection, typed, limit=10_000)
        before = _every_word_a_prefix(connection, typed)
    assert {(h.kind, h.record_id) for h in whole.hits} == before


def test_whole_words_on_the_command_line_are_exact() -> None:
    assert fulltext.search_words("border clash", typing=False).query == '"border" "clash"'
    assert fulltext.search_words("border clas*", typing=False).query == '"border" "clas"*'
    assert fulltext.search_words("border clas*").query == '"border" "clas"*'
    assert fulltext.search_words("* **", typing=False).query == ""


def test_a_word_many_records_hold_lists_the_newest_first_and_says_so(
    demo_project, monkeypatch
) -> None:
    monkeypatch.setattr(fulltext, "RANK_LIMIT", 2)
    with demo_project.engine.connect() as connection:
        every = _every_word_a_prefix(connection, "the")
        results = search_results(connection, "the", limit=3)
    assert len(every) > 3
    assert not results.ranked and "newest" in results.note
    newest = sorted(every, key=lambda hit: hit[1] * 8 + fulltext.KIND_CODES[hit[0]])[-3:]
    assert [(h.kind, h.record_id) for h in results.hits] == newest[::-1]


def test_a_few_matches_are_ranked(demo_project, monkeypatch) -> None:
    with demo_project.engine.connect() as connection:
        results = search_results(connection, "border", limit=50)
    ranks = [h.rank for h in results.hits]
    assert results.ranked and ranks == sorted(ranks)


def test_the_command_line_says_when_it_lists_the_newest(demo_path, monkeypatch, capsys) -> None:
    from briefing.cli import main

    monkeypatch.setattr(fulltext, "RANK_LIMIT", 2)
    assert main(["search", str(demo_path), "the"]) == 0
    assert "the newest are shown first" in capsys.readouterr().err


@pytest.mark.parametrize(
    "typed", ["Armenia ", "border ", "the ", "Armenia border ", "Arm", "bo", "border th"]
)
def test_a_first_page_looked_up_record_by_record_is_the_same(demo_project, typed, monkeypatch):
    """Many matches: the list walks its order and looks each record up; same ids, same order."""
    from briefing.services import library_query as query

    with demo_project.engine.connect() as connection:
        gathered = query.ordered_ids(connection, "entry", query.ListFilter(text=typed), limit=3)
        monkeypatch.setattr(fulltext, "DENSE", 0)
        monkeypatch.setattr(fulltext, "PROBE_COST", 0)
        dbapi = connection.connection.dbapi_connection
        assert fulltext.is_dense(dbapi, "entry", typed) == bool(gathered)
        walked = query.ordered_ids(connection, "entry", query.ListFilter(text=typed), limit=3)
        every = query.ordered_ids(connection, "entry", query.ListFilter(text=typed))
    assert walked == gathered == every[:3]


def test_a_word_start_longer_than_the_index_holds_is_never_looked_up_record_by_record(
    demo_project, monkeypatch
):
    monkeypatch.setattr(fulltext, "DENSE", 0)
    monkeypatch.setattr(fulltext, "PROBE_COST", 0)
    with demo_project.engine.connect() as connection:
        dbapi = connection.connection.dbapi_connection
        assert not fulltext.is_dense(dbapi, "entry", "Armen")
        assert fulltext.is_dense(dbapi, "entry", "Arm")  # the index holds three-letter starts
        assert fulltext.is_dense(dbapi, "entry", "Armenia ")


@pytest.mark.parametrize(
    ("counted", "below", "records", "walks"),
    [
        (20_001, 20_001, 1_000_000, True),  # a word every record holds, a million records
        (20_001, 180_000, 1_000_000, False),  # a word one record in nine holds
        (20_001, 20_001, 100_000, False),  # every record, but few: gathering them is cheap
        (20_001, 25_000, 10_000_000, True),
        (20_001, 0, 1_000_000, True),  # ids that are not in order cannot make the share exceed 1
    ],
)
def test_a_list_walks_its_order_only_when_that_is_cheaper(counted, below, records, walks) -> None:
    assert fulltext.walking_is_cheaper(counted, below, records, 400) is walks


def test_a_word_most_records_hold_is_looked_up_only_in_a_large_project(demo_project) -> None:
    with demo_project.engine.connect() as connection:
        dbapi = connection.connection.dbapi_connection
        assert not fulltext.is_dense(dbapi, "entry", "the ")  # a demo: gathering wins


STARTS = (
    "Arme", "Armen", "bord", "Azərb", "Azerb", "Արմեն", "border clas", "Armenia bord", "MÜDAF",
    "b", "Armenia b", "Ա",
)  # fmt: skip
"""Word starts longer than the index's prefixes, as typed in a search box."""


def _index_answer(connection, typed: str) -> set[tuple[str, int]]:
    """The matches FTS5 itself gives for what was typed in a search box."""
    query = fulltext.search_words(typed).query
    rows = connection.exec_driver_sql(
        f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?", (query,)
    )
    return {(fulltext.KIND_BY_CODE[r[0] % 8], r[0] // 8) for r in rows}


@pytest.mark.parametrize("typed", STARTS)
def test_a_long_word_start_walked_newest_first_finds_the_same_records(
    demo_project, typed, monkeypatch
) -> None:
    """Every start counts as crowded: the walk checks its rows again by the same rules."""
    from briefing.model import prefix_walk

    monkeypatch.setattr(prefix_walk, "CROWDED", 0)
    monkeypatch.setattr(prefix_walk, "WORTH_WALKING", 0)
    with demo_project.engine.connect() as connection:
        every = search_results(connection, typed, limit=10_000, typing=True)
        newest = search_results(connection, typed, limit=3, typing=True)
        before = _index_answer(connection, typed)
    assert before and {(h.kind, h.record_id) for h in every.hits} == before
    assert every.ranked and every.note == ""
    ordered = sorted(before, key=lambda hit: hit[1] * 8 + fulltext.KIND_CODES[hit[0]])
    expected = ordered[::-1][:3]
    if len(before) > 3:
        assert [(h.kind, h.record_id) for h in newest.hits] == expected
        assert not newest.ranked and "Many records hold words starting with" in newest.note
    else:
        assert {(h.kind, h.record_id) for h in newest.hits} == set(expected)


def test_a_walk_shows_the_same_snippets_as_the_index(demo_project, monkeypatch) -> None:
    from briefing.model import prefix_walk

    with demo_project.engine.connect() as connection:
        indexed = search_results(connection, "Azerb", limit=10_000, typing=True)
        monkeypatch.setattr(prefix_walk, "CROWDED", 0)
        monkeypatch.setattr(prefix_walk, "WORTH_WALKING", 0)
        walked = search_results(connection, "Azerb", limit=10_000, typing=True)
    assert walked.hits and {(h.title, h.snippet) for h in walked.hits} == {
        (h.title, h.snippet) for h in indexed.hits
    }


def test_a_walk_that_finds_too_few_hands_over_to_the_index(demo_project, monkeypatch) -> None:
    from briefing.model import prefix_walk

    monkeypatch.setattr(prefix_walk, "CROWDED", 0)
    monkeypatch.setattr(prefix_walk, "WORTH_WALKING", 0)
    monkeypatch.setattr(prefix_walk, "BUDGET", 1)
    with demo_project.engine.connect() as connection:
        results = search_results(connection, "Armen", limit=50, typing=True)
        before = _every_word_a_prefix(connection, "Armen")
    assert (
        results.ranked and results.hits and {(h.kind, h.record_id) for h in results.hits} == before
    )


@pytest.mark.parametrize(
    ("word", "short"), [("Lachin", "Lac"), ("bor", None), ("a-bcd", None), ("Արմեն", "Արմ")]
)
def test_only_words_of_letters_longer_than_the_index_are_cut(word, short) -> None:
    from briefing.model import prefix_walk

    assert prefix_walk.cut(word) == short


@pytest.mark.parametrize("typed", STARTS)
@pytest.mark.parametrize("pays", [True, False])
def test_a_list_walked_for_a_crowded_word_start_holds_the_same_records(
    demo_project, typed, pays, monkeypatch
) -> None:
    """Walking the list's order and checking each record's text gives the gathered ids;
    a walk that stops paying hands over to gathering."""
    from briefing.model import prefix_walk
    from briefing.services import library_query as query

    chosen = query.ListFilter(text=typed)
    with demo_project.engine.connect() as connection:
        gathered = query.ordered_ids(connection, "entry", chosen, limit=5)
        every = query.ordered_ids(connection, "entry", chosen)
        monkeypatch.setattr(prefix_walk, "CROWDED", 0)
        monkeypatch.setattr(prefix_walk, "WORTH_WALKING", 0)
        monkeypatch.setattr(prefix_walk, "LARGEST_BATCH", 2)
        calls: list[float] = []

        def decide(share: float, records: int, limit: int, gather_cost: float = 0.2) -> bool:
            calls.append(share)
            return pays or len(calls) == 1

        monkeypatch.setattr(prefix_walk, "walking_pays", decide)
        walked = query.ordered_ids(connection, "entry", chosen, limit=5)
    assert calls or not every, "a list with matches should have weighed a walk"
    assert walked == gathered == every[:5]
