"""SQLite's failures are said in a user's words, whichever layer reports them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from briefing.store.errors import database_reason


def _failure(connection: sqlite3.Connection, statement: str) -> sqlite3.Error:
    with pytest.raises(sqlite3.Error) as caught:
        connection.execute(statement)
    return caught.value


def test_a_full_disk_is_said_so_by_the_driver_and_through_sqlalchemy() -> None:
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE t (x BLOB)")
    connection.execute("PRAGMA max_page_count = 3")
    error = _failure(connection, "INSERT INTO t VALUES (zeroblob(100000))")
    assert database_reason(error) == "the disk is full"
    wrapped = OperationalError("INSERT INTO t VALUES (?)", (b"",), error)
    assert database_reason(wrapped) == "the disk is full"
    assert "database or disk" not in database_reason(wrapped)


def test_a_file_opened_read_only_is_said_to_be_unwritable(tmp_path: Path) -> None:
    path = tmp_path / "p.brief"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.commit()
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    error = _failure(connection, "INSERT INTO t VALUES (1)")
    assert database_reason(error) == "the file or its folder cannot be written"


def test_a_file_that_is_not_a_database_is_named_so(tmp_path: Path) -> None:
    path = tmp_path / "p.brief"
    path.write_bytes(b"not a database, only text " * 100)
    error = _failure(sqlite3.connect(path), "SELECT * FROM sqlite_master")
    assert database_reason(error) == "the file is not a project file"


def test_another_failure_keeps_the_first_line_of_the_database_s_words() -> None:
    error = _failure(sqlite3.connect(":memory:"), "SELEC 1")
    assert database_reason(error) == str(error).splitlines()[0]
    assert "syntax error" in database_reason(error)
    assert database_reason(RuntimeError("first\nsecond")) == "first"


def test_the_command_line_says_a_full_disk_in_one_sentence(monkeypatch, capsys) -> None:
    from briefing import cli

    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE t (x BLOB)")
    connection.execute("PRAGMA max_page_count = 3")
    full = _failure(connection, "INSERT INTO t VALUES (zeroblob(100000))")

    def failing(args) -> int:
        raise OperationalError("INSERT", (), full)

    parser = cli.build_parser()
    monkeypatch.setattr(cli, "build_parser", lambda: parser)
    for action in parser._subparsers._group_actions:
        for sub in action.choices.values():
            sub.set_defaults(handler=failing)
    assert cli.main(["info", "x.brief"]) == 1
    err = capsys.readouterr().err
    assert err == "error: the project file could not be used: the disk is full\n"
