from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from briefing.cli import main
from briefing.model import Base, codec
from briefing.store import ProjectError, create_project, open_project, project
from briefing.store.schema import SCHEMA_VERSION, expected_schema, read_schema
from briefing.store.verify import check_file

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
FORMAT_FILES = sorted(FIXTURES.glob("format*.brief"))


def schema_of(path: Path) -> set[tuple[str, str, str, str]]:
    connection = sqlite3.connect(path)
    try:
        return read_schema(connection)
    finally:
        connection.close()


def user_version(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute("PRAGMA user_version").fetchone()[0])
    finally:
        connection.close()


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fresh") / "fresh.brief"
    create_project(path, "Test analyst").close()
    return path


def test_there_is_a_fixture_for_every_released_format() -> None:
    numbers = sorted(int(re.findall(r"\d+", p.stem)[0]) for p in FORMAT_FILES)
    assert numbers == list(range(1, SCHEMA_VERSION + 1))


def test_a_fresh_file_has_the_recorded_schema_of_this_format(fresh: Path) -> None:
    assert schema_of(fresh) == expected_schema(SCHEMA_VERSION)
    assert user_version(fresh) == SCHEMA_VERSION


@pytest.mark.parametrize("fixture", FORMAT_FILES, ids=lambda p: p.stem)
def test_every_old_format_opens_as_exactly_a_fresh_file(
    fixture: Path, fresh: Path, tmp_path: Path
) -> None:
    path = tmp_path / fixture.name
    shutil.copyfile(fixture, path)
    with open_project(path, "Test analyst") as opened:
        with opened.engine.connect() as connection:
            records = codec.dump_all(connection)
    assert schema_of(path) == schema_of(fresh) == expected_schema(SCHEMA_VERSION)
    assert user_version(path) == SCHEMA_VERSION
    assert check_file(path) == []
    assert records["entry"] and records["briefing"]  # the content survived


def _ours(name: str | None, type_: str, parent_names: dict[str, str | None]) -> bool:
    """Leave out the FTS5 table and its shadow tables, which the models do not describe."""
    return not (type_ == "table" and name is not None and name.startswith("search_index"))


def test_the_models_and_the_migrations_agree(fresh: Path) -> None:
    engine = create_engine(f"sqlite:///{fresh}")
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_name": _ours}
            )
            differences = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert differences == []


# ---------------------------------------------------------------------------- upgrading


@pytest.fixture
def older(tmp_path: Path) -> Path:
    """A copy of the newest fixture, which a program one format ahead would have to upgrade."""
    path = tmp_path / "older.brief"
    shutil.copyfile(FORMAT_FILES[-1], path)
    return path


def test_upgrade_writes_a_backup_beside_the_file_first(older: Path) -> None:
    with open_project(older, "Test analyst", read_only=True) as before:
        with before.engine.connect() as connection:
            records = codec.dump_all(connection)
    backup = project._upgrade(older, SCHEMA_VERSION)
    assert backup.parent == older.parent
    assert re.fullmatch(
        rf"older\.format{SCHEMA_VERSION}-backup-\d{{8}}T\d{{6}}\.brief", backup.name
    )
    assert check_file(backup) == []
    with open_project(backup, "Test analyst", read_only=True) as saved:
        with saved.engine.connect() as connection:
            assert codec.dump_all(connection) == records


def test_opening_a_file_of_an_older_format_upgrades_it_after_a_backup(
    older: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pretend the program is one format ahead: the file is backed up, then marked upgraded."""
    monkeypatch.setattr(project, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with open_project(older, "Test analyst") as opened:
        assert not opened.read_only
    assert user_version(older) == SCHEMA_VERSION + 1
    (backup,) = older.parent.glob(f"older.format{SCHEMA_VERSION}-backup-*.brief")
    assert user_version(backup) == SCHEMA_VERSION


def test_an_older_file_that_cannot_be_written_is_not_upgraded(
    older: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(project, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    before = older.read_bytes()
    with pytest.raises(ProjectError, match="older than this program's .*for editing upgrades it"):
        open_project(older, "Test analyst", read_only=True)
    assert older.read_bytes() == before
    assert list(older.parent.glob("*backup*")) == []


def test_info_on_a_format_1_file_says_how_it_is_upgraded_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "old.brief"
    shutil.copyfile(FIXTURES / "format1.brief", path)
    before = path.read_bytes()
    assert main(["info", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    newest = f"format {SCHEMA_VERSION}"
    assert f"old.brief is in file format 1, older than this program's {newest}" in err
    assert "open it in the editor or run 'briefing upgrade" in err
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.brief"]


def test_briefing_upgrade_upgrades_a_format_1_file_after_a_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "old.brief"
    shutil.copyfile(FIXTURES / "format1.brief", path)
    assert main(["upgrade", str(path)]) == 0
    (backup,) = tmp_path.glob("old.format1-backup-*.brief")
    assert (
        f"from file format 1 to {SCHEMA_VERSION}; the format-1 file is kept as {backup.name}"
        in (capsys.readouterr().out)
    )
    assert user_version(path) == SCHEMA_VERSION and user_version(backup) == 1
    assert main(["info", str(path)]) == 0
    assert f"File format:      {SCHEMA_VERSION}" in capsys.readouterr().out
    assert main(["upgrade", str(path)]) == 0
    assert "already in file format" in capsys.readouterr().out


def test_briefing_upgrade_names_the_backup_of_a_file_with_brackets_in_its_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "clashes [draft].brief"
    shutil.copyfile(FIXTURES / "format1.brief", path)
    assert main(["upgrade", str(path)]) == 0
    (backup,) = (p for p in tmp_path.iterdir() if "backup" in p.name)
    assert f"the format-1 file is kept as {backup.name}." in capsys.readouterr().out


def test_briefing_upgrade_of_a_read_only_file_says_to_copy_it_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "old.brief"
    shutil.copyfile(FIXTURES / "format1.brief", path)
    path.chmod(0o444)
    before = path.read_bytes()
    assert main(["upgrade", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "cannot be upgraded where it is because the file or its folder is read-only" in err
    assert "opening it for editing upgrades it" not in err
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.brief"]


@pytest.mark.parametrize("suffix", [".pdf", ".docx", ".json"])
def test_export_leaves_an_older_file_unchanged_and_says_how_to_upgrade_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    path = tmp_path / "old.brief"
    shutil.copyfile(FIXTURES / "format1.brief", path)
    before = path.read_bytes()
    assert main(["export", str(path), "-o", str(tmp_path / f"out{suffix}")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "was left unchanged: open it in the editor or run 'briefing upgrade" in err
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.brief"]
