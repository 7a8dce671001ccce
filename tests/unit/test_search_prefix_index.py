"""File format 3: the search index keeps prefix indexes, and an upgraded file finds the same."""

from __future__ import annotations

import importlib.util
import shutil
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest

from briefing.model import fulltext
from briefing.store import open_project
from briefing.store.migrate import MIGRATIONS_DIR

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PREFIXES = ("ar", "arm", "az", "aze", "ru", "rus", "bo", "bor", "Ha", "Հա", "Lach", "d")
"""Two- and three-letter starts (the prefix index), longer ones and one letter (merged)."""


def _fts_rows(path: Path, typed: str) -> list[int]:
    connection = sqlite3.connect(path)
    try:
        query = fulltext.search_words(typed).query
        rows = connection.execute(
            f"SELECT rowid FROM {fulltext.FTS_TABLE} WHERE {fulltext.FTS_TABLE} MATCH ? "
            "ORDER BY rowid",
            (query,),
        )
        return [row[0] for row in rows]
    finally:
        connection.close()


def _index_sql(path: Path) -> str:
    connection = sqlite3.connect(path)
    try:
        (sql,) = connection.execute(
            "SELECT sql FROM sqlite_master WHERE name = ?", (fulltext.FTS_TABLE,)
        ).fetchone()
        return str(sql)
    finally:
        connection.close()


@pytest.fixture
def format2(tmp_path: Path) -> Path:
    path = tmp_path / "format2.brief"
    shutil.copyfile(FIXTURES / "format2.brief", path)
    return path


def test_an_upgraded_file_finds_the_same_records_for_every_word_start(format2: Path) -> None:
    before = {typed: _fts_rows(format2, typed) for typed in PREFIXES}
    assert "prefix" not in _index_sql(format2)
    open_project(format2, "Test analyst").close()
    assert "prefix = '2 3'" in _index_sql(format2)
    after = {typed: _fts_rows(format2, typed) for typed in PREFIXES}
    assert after == before
    assert any(after.values())


def test_a_new_file_has_the_prefix_index(tmp_path: Path) -> None:
    from briefing.store import create_project

    path = tmp_path / "new.brief"
    create_project(path, "Test analyst").close()
    assert "prefix = '2 3'" in _index_sql(path)


def _migration() -> object:
    path = MIGRATIONS_DIR / "versions" / "0003_search_prefix_index.py"
    spec = importlib.util.spec_from_file_location("format3_migration", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_step_leaves_another_database_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    migration = _migration()
    executed: list[str] = []
    fake = SimpleNamespace(
        get_bind=lambda: SimpleNamespace(dialect=SimpleNamespace(name="postgresql")),
        execute=executed.append,
    )
    monkeypatch.setattr(migration, "op", fake)
    migration.upgrade()  # type: ignore[attr-defined]
    assert executed == []
    fake.get_bind = lambda: SimpleNamespace(dialect=SimpleNamespace(name="sqlite"))
    migration.upgrade()  # type: ignore[attr-defined]
    assert executed[0] == "DROP TABLE search_index" and "prefix = '2 3'" in executed[1]
