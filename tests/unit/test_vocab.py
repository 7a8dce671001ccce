from __future__ import annotations

import pytest

from briefing.model.codec import KINDS
from briefing.model.vocab import KIND_NAMES, KIND_PLURALS, counted


def test_every_record_kind_has_a_name_and_a_plural() -> None:
    assert tuple(KIND_NAMES) == tuple(KIND_PLURALS) == KINDS


@pytest.mark.parametrize(
    ("kind", "count", "words"),
    [
        ("entry", 1, "1 timeline entry"),
        ("entry", 5, "5 timeline entries"),
        ("party", 0, "0 parties"),
        ("relationship", 2, "2 relationships"),
    ],
)
def test_counted(kind: str, count: int, words: str) -> None:
    assert counted(kind, count) == words


@pytest.mark.parametrize(
    ("noun", "count", "words"),
    [
        ("lane", 1, "1 lane"),
        ("lane", 3, "3 lanes"),
        ("page", 0, "0 pages"),
        ("frozen edition", 2, "2 frozen editions"),
        ("bad row", 2, "2 bad rows"),
        ("match", 2, "2 matches"),
        ("casualty", 4, "4 casualties"),
        ("day", 2, "2 days"),
        ("record", 1, "1 record"),
        ("analysis", 2, "2 analyses"),
        ("key judgment basis", 3, "3 key judgment bases"),
        ("class", 2, "2 classes"),
    ],
)
def test_counted_counts_any_noun(noun: str, count: int, words: str) -> None:
    assert counted(noun, count) == words


def test_counted_groups_thousands_when_asked() -> None:
    assert counted("entry", 100_000, grouped=True) == "100,000 timeline entries"
    assert counted("entry", 100_000) == "100000 timeline entries"
