"""Readers of a file whose rows disagree (a spoiled page or index) refuse in one sentence.

Opening runs only cheap checks, so such a file can open; what reads it (the codec,
and every export built on it) names the damage and points to ``briefing check``
rather than failing on the first row that does not fit.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.pool import StaticPool

from briefing.errors import BriefingError, DamagedFile
from briefing.model import codec


def _spoil(path: Path, *statements: str) -> None:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA foreign_keys = OFF")
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()


def _dump(path: Path, kind: str) -> list[dict[str, object]]:
    engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(path), poolclass=StaticPool)
    try:
        with engine.connect() as connection:
            return codec.dump(connection, kind)
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("kind", "spoil", "words"),
    [
        (
            "entry",
            "UPDATE entry_source SET source_id = 99999 WHERE rowid = 1",
            "a timeline entry refers to a source",
        ),
        (
            "entry",
            "UPDATE entry_source SET source_id = x'ff00' WHERE rowid = 1",
            "a timeline entry refers to a source",
        ),
        (
            "entry",
            "UPDATE entry_party SET party_id = 'Armenia' WHERE rowid = 1",
            "refers to a party",
        ),
        ("statement", "UPDATE statement SET speaker_id = 99999", "a statement refers to a party"),
        (
            "statement",
            "UPDATE statement_contradiction SET other_id = 99999",
            "refers to a statement",
        ),
        ("relationship", "UPDATE relationship_source SET source_id = -1", "refers to a source"),
        (
            "briefing",
            "UPDATE section_item SET entry_id = 99999 WHERE entry_id IS NOT NULL",
            "refers",
        ),
    ],
)
def test_rows_that_disagree_are_named_as_damage(
    demo_path: Path, kind: str, spoil: str, words: str
) -> None:
    _spoil(demo_path, spoil)
    with pytest.raises(DamagedFile) as refused:
        _dump(demo_path, kind)
    message = str(refused.value)
    assert message.startswith("the file is damaged: ") and words in message
    assert message.endswith("; run briefing check") and "\n" not in message


def test_an_item_that_shows_no_record_is_damage(demo_path: Path) -> None:
    _spoil(
        demo_path,
        "PRAGMA ignore_check_constraints = ON",
        "UPDATE section_item SET entry_id = NULL, statement_id = NULL, relationship_id = NULL, "
        "party_id = NULL, source_id = NULL",
    )
    with pytest.raises(DamagedFile, match="shows no record"):
        _dump(demo_path, "briefing")


def test_a_damaged_file_is_a_briefing_error() -> None:
    assert issubclass(DamagedFile, BriefingError)
