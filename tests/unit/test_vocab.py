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
