"""Conflicts in words: references by name, times as times, sections with their items."""

from __future__ import annotations

from typing import Any

import pytest

from briefing.services.merge_view import EMPTY, UNKNOWN, value_text

NAMES = {"p1": "Armenia", "p2": "Azerbaijan", "s1": "Armenian MoD statement", "e1": "Clashes"}


@pytest.mark.parametrize(
    ("kind", "key", "value", "text"),
    [
        (
            "entry",
            "claims",
            [
                {
                    "side": "party",
                    "party": "p1",
                    "category": "killed",
                    "low": 40,
                    "best": 49,
                    "high": 60,
                    "words": "",
                    "claimant": "p2",
                    "source": "s1",
                },
                {
                    "side": "civilians",
                    "category": "captured",
                    "words": "up to a dozen",
                    "claimant": "gone",
                },
            ],
            "Armenia: 40–60 (best 49) killed, per Azerbaijan (Armenian MoD statement); "
            "Civilians: “up to a dozen” captured, per " + UNKNOWN,
        ),
        ("entry", "place", "", EMPTY),
        ("entry", "start_utc", "2021-11-16T07:00:00Z", "2021-11-16 07:00 UTC"),
        ("statement", "speaker", "p1", "Armenia"),
        ("statement", "speaker", "gone", UNKNOWN),
        ("statement", "entry", "e1", "Clashes"),
        (
            "entry",
            "parties",
            [{"party": "p1", "role": "target"}, {"party": "p2", "role": "initiator"}],
            "Armenia (target); Azerbaijan (initiator)",
        ),
        ("entry", "sources", ["s1"], "Armenian MoD statement"),
        (
            "briefing",
            "sections",
            [
                {"heading": "Events", "items": [{"kind": "entry", "ref": "e1"}]},
                {"heading": "Parties", "items": []},
            ],
            "Events: Clashes; Parties: no items",
        ),
    ],
)
def test_values_read_as_an_analyst_writes_them(kind: str, key: str, value: Any, text: str) -> None:
    assert value_text(kind, key, value, NAMES) == text
