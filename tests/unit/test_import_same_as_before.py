"""Imports made faster store exactly what they stored before, hostile text included.

The snapshot (``tests/fixtures/imports/hostile_snapshot.json``) was written by
``import_snapshot.py`` with the imports as they were before: for fixed ACLED and
UCDP GED files whose cells hold markup, Armenian, Arabic, CJK, emoji, huge
numbers, NaN and NUL, it holds each import's report and bad rows, every entry
(claims, parties and sources included), party and source, and what a search for
words in several scripts finds. Read in small batches and in a second process,
the imports must give the same. (The snapshot was written again once, when an
ACLED actor's new party came to take the kind of the first ``inter`` the file
gives it whatever the batches: one party's kind changed, militia → armed force.)
"""

from __future__ import annotations

import json
from pathlib import Path

import import_snapshot
import pytest

from briefing.io import acled, child_rows, ucdp

SNAPSHOT = import_snapshot.FIXTURES / "imports" / "hostile_snapshot.json"


@pytest.fixture(scope="module")
def before() -> dict:
    return json.loads(SNAPSHOT.read_text(encoding="utf-8"))


def test_the_imports_store_what_they_stored_before(before: dict, tmp_path: Path) -> None:
    now = import_snapshot.as_json(import_snapshot.snapshot(tmp_path))
    for name in ("ged", "acled"):
        assert now[name]["report"] == before[name]["report"]
        assert now[name]["hits"] == before[name]["hits"]
        assert now[name]["records"] == before[name]["records"]


def test_in_small_batches_and_a_second_process_too(
    before: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ucdp, "BATCH", 3)
    monkeypatch.setattr(acled, "BATCH", 4)
    monkeypatch.setattr(child_rows, "CHILD_FROM_BYTES", 0)
    monkeypatch.setattr(child_rows, "spare_core", lambda: True)
    monkeypatch.setattr(child_rows, "CHUNK", 5)
    now = import_snapshot.as_json(import_snapshot.snapshot(tmp_path))
    assert now == before
