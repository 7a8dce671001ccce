"""Project files whose header or schema was edited by hand: refused in a true sentence.

A format number written negative is not a newer program's file, and a stranger's
index is named in plain English.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hostile_files import listing

from briefing.store import ProjectRefused, open_project


def refused(path: Path) -> str:
    before = listing(path.parent)
    with pytest.raises(ProjectRefused) as refusal:
        open_project(path, "Ana")
    assert listing(path.parent) == before
    return str(refusal.value)


@pytest.mark.parametrize("version", [-1, -2147483648])
def test_a_negative_format_number_is_unknown_not_newer(demo_path: Path, version: int) -> None:
    with sqlite3.connect(demo_path) as connection:
        connection.execute(f"PRAGMA user_version = {version}")
    message = refused(demo_path)
    assert message == f"{demo_path.name} has an unknown file format version ({version})."


def test_a_strangers_index_is_named_with_the_right_article(demo_path: Path) -> None:
    with sqlite3.connect(demo_path) as connection:
        connection.execute("CREATE INDEX ix_evil ON party(name)")
    message = refused(demo_path)
    assert "it contains an index 'ix_evil' that is not part of a project file." in message
