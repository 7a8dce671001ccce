"""A search looks for a bounded number of words, says when it left some out, and never fails."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from postgres import demo_project_on_both_back_ends  # noqa: F401  (file and server)

from briefing.cli import main
from briefing.model import fulltext
from briefing.model.fulltext import MAX_TERM_CHARS, MAX_TERMS, search_words
from briefing.services.library_query import ListFilter, ordered_ids

PASTED = " ".join(f"word{n}" for n in range(5_000))


def test_thousands_of_words_are_bounded_and_the_note_says_so() -> None:
    words = search_words(PASTED)
    assert words.words == tuple(f"word{n}" for n in range(MAX_TERMS))
    assert words.typed == 5_000
    assert words.query.count("*") == 0  # each is followed by more: whole words, found exactly
    assert words.note == (
        f"Searched for the first {MAX_TERMS} of 5,000 different words; the others were left out."
    )


def test_a_few_words_are_all_searched_without_a_note() -> None:
    words = search_words('border "clash" Border')
    assert words.words == ("border", "clash")  # a word typed twice counts once
    assert words.note == ""


def test_whole_words_are_exact_and_the_word_being_typed_is_a_prefix() -> None:
    assert search_words("border cla").query == '"border" "cla"*'
    assert search_words("border cla ").query == '"border" "cla"'
    assert search_words('border "cla"').query == '"border" "cla"'  # a quote ends it too
    assert search_words("cla border cla").query == '"cla"* "border"'
    assert search_words("").query == ""


def test_a_very_long_word_is_searched_by_its_start() -> None:
    words = search_words("x" * 1_000_000)
    assert words.words == ("x" * MAX_TERM_CHARS,)
    assert "longer than" in words.note


def test_the_bounded_search_still_finds_records(demo_project) -> None:
    typed = "videos captured " + PASTED
    with demo_project.engine.connect() as connection:
        assert fulltext.search(connection, "videos captured")
        # The pasted words are left out after the first ones: 'word14' and on are never asked.
        assert search_words(typed).words[:2] == ("videos", "captured")
        ordered_ids(connection, "entry", ListFilter(text=typed))


def test_cli_search_prints_the_note(demo_path, capsys) -> None:
    assert main(["search", str(demo_path), "clash " + PASTED]) == 0
    err = capsys.readouterr().err
    assert f"note: Searched for the first {MAX_TERMS} of 5,001 different words" in err


HOSTILE = st.lists(
    st.sampled_from(
        ['"', "*", "(", ")", "-", "+", "^", ":", "NEAR", "AND", "OR", "NOT", " ", "<", "&",
         "Հայ", "أذربيجان", "阿塞拜疆", "💥", "\ud800", "ə", "0", "1e300", "NaN"]
    ),
    max_size=30,
).map("".join)  # fmt: skip


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(typed=HOSTILE)
def test_any_typed_text_searches_without_failing(demo_project, typed: str) -> None:
    with demo_project.engine.connect() as connection:
        fulltext.search(connection, typed)
        for kind in ("entry", "party"):
            ordered_ids(connection, kind, ListFilter(text=typed))


@pytest.mark.parametrize("typed", ["", "   ", '""'])
def test_nothing_typed_finds_nothing(demo_project, typed: str) -> None:
    with demo_project.engine.connect() as connection:
        assert fulltext.search(connection, typed) == []
