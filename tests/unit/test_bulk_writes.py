"""A bulk import leaves the file as a fresh one is: its indexes, and its search settings."""

from __future__ import annotations

import csv
import shutil
import sqlite3
from pathlib import Path

import pytest

from briefing.io import bulk_writes
from briefing.io.acled import run_acled_import
from briefing.io.event_import import EventRowsError, bulk_transaction
from briefing.io.ucdp import run_ucdp_import
from briefing.model import fulltext
from briefing.store import Project, create_project, open_project
from briefing.store.schema import read_schema

FIXTURES = Path(__file__).parents[1] / "fixtures"
GED = FIXTURES / "ucdp" / "ged.csv"
ACLED = FIXTURES / "acled" / "events.csv"


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "bulk.brief"
    create_project(path, "Bulk").close()
    return path


@pytest.fixture
def index_later(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small files count as large ones, so their import builds indexes after the load."""
    monkeypatch.setattr(bulk_writes, "LATER_FROM_ROWS", 1)
    monkeypatch.setattr(bulk_writes, "BYTES_PER_ROW", 1)


def schema_and_settings(path: Path) -> tuple[set[object], list[tuple[object, ...]]]:
    connection = sqlite3.connect(path)
    try:
        schema = read_schema(connection)
        settings = connection.execute("SELECT k, v FROM search_index_config ORDER BY k").fetchall()
    finally:
        connection.close()
    return schema, settings


def search(project: Project, words: str) -> list[str]:
    with project.engine.connect() as connection:
        return [hit.title for hit in fulltext.search(connection, words)]


@pytest.mark.usefixtures("index_later")
@pytest.mark.parametrize(("importer", "data"), [(run_ucdp_import, GED), (run_acled_import, ACLED)])
def test_an_import_that_builds_indexes_after_the_load_leaves_the_schema_of_a_fresh_file(
    project_path: Path, importer: object, data: Path
) -> None:
    before = schema_and_settings(project_path)
    with open_project(project_path, "Ana") as project:
        report = importer(project, data)  # type: ignore[operator]
        assert report.added > 0
        with project.engine.connect() as connection:
            plan = connection.exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT id FROM timeline_entry WHERE start_utc > '2000'"
            ).all()
        assert "ix_timeline_entry_start_utc" in str(plan)
    assert schema_and_settings(project_path) == before
    with open_project(project_path, "Ana") as project:  # the schema check on opening passes
        with project.engine.connect() as connection:
            check = connection.exec_driver_sql("PRAGMA integrity_check").scalar()
        assert check == "ok"


@pytest.mark.usefixtures("index_later")
def test_a_refused_import_leaves_the_file_byte_for_byte_as_it_was(
    project_path: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    with GED.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    wrong = list(rows[1])
    wrong[rows[0].index("date_start")] = "not a day"
    with bad.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([*rows, wrong])
    with open_project(project_path, "Ana") as project:
        run_ucdp_import(project, GED)
    kept = tmp_path / "kept.brief"
    shutil.copy(project_path, kept)
    with open_project(project_path, "Ana") as project, pytest.raises(EventRowsError) as refused:
        run_ucdp_import(project, bad)
    assert f"line {len(rows) + 1}" in str(refused.value)
    assert project_path.read_bytes() == kept.read_bytes()


def test_search_settings_are_put_back_as_the_file_stated_them(project_path: Path) -> None:
    connection = sqlite3.connect(project_path)
    connection.execute("INSERT INTO search_index(search_index, rank) VALUES ('automerge', 8)")
    connection.commit()
    connection.close()
    with open_project(project_path, "Ana") as project:
        with bulk_transaction(project) as inside:
            stated = dict(inside.exec_driver_sql("SELECT k, v FROM search_index_config").all())
            assert stated["automerge"] == bulk_writes.SEARCH_SETTINGS["automerge"]
            assert stated["hashsize"] == bulk_writes.SEARCH_SETTINGS["hashsize"]
        run_ucdp_import(project, GED)
        assert search(project, "Kalbajar")
    settings = dict(schema_and_settings(project_path)[1])
    assert settings["automerge"] == 8
    assert "hashsize" not in settings


def test_indexes_stay_when_the_project_holds_more_than_the_file_brings(
    project_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Building an index again reads all its table: worth it only for a load as large."""
    monkeypatch.setattr(bulk_writes, "LATER_FROM_ROWS", 1)
    with open_project(project_path, "Ana") as project:
        run_ucdp_import(project, GED)
        size = GED.stat().st_size
        monkeypatch.setattr(bulk_writes, "BYTES_PER_ROW", size)  # the file: one event at most
        with bulk_transaction(project, size) as inside:
            names = {r[0] for r in inside.exec_driver_sql("SELECT name FROM sqlite_master")}
            assert "ix_timeline_entry_start_utc" in names
        monkeypatch.setattr(bulk_writes, "BYTES_PER_ROW", 1)
        with bulk_transaction(project, size) as inside:
            names = {r[0] for r in inside.exec_driver_sql("SELECT name FROM sqlite_master")}
            assert "ix_timeline_entry_start_utc" not in names
        with project.engine.connect() as connection:
            names = {r[0] for r in connection.exec_driver_sql("SELECT name FROM sqlite_master")}
        assert "ix_timeline_entry_start_utc" in names
