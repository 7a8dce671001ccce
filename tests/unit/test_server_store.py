"""A project on a PostgreSQL server: opening, refusing, creating, and the same surface as a file."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import text

from briefing.model import Party
from briefing.model.vocab import PartyKind
from briefing.store import (
    ProjectError,
    ProjectRefused,
    ReadOnlyProject,
    create_project,
    open_project,
)
from briefing.store.schema import SCHEMA_VERSION
from briefing.store.server.address import ServerAddress


def test_demo_opens_on_both_back_ends(demo_store) -> None:
    assert demo_store.setting("title") == "Armenia–Azerbaijan border, November 2021"
    with demo_store.session() as session:
        assert session.query(Party).count() > 5


def test_an_edit_commits_and_a_failed_one_leaves_nothing(demo_store) -> None:
    with demo_store.transaction() as session:
        session.add(Party(name="Ձեռնարկ & <b>CJK 中文</b> 🙂", kind=PartyKind.STATE))
    with pytest.raises(RuntimeError), demo_store.transaction() as session:
        session.add(Party(name="never saved", kind=PartyKind.STATE))
        session.flush()
        raise RuntimeError("boom")
    with demo_store.session() as session:
        names = {p.name for p in session.query(Party)}
    assert "Ձեռնարկ & <b>CJK 中文</b> 🙂" in names
    assert "never saved" not in names


def test_a_read_inside_a_transaction_does_not_undo_it(demo_store) -> None:
    with demo_store.transaction() as session:
        session.add(Party(name="Inside", kind=PartyKind.STATE))
        session.flush()
        with demo_store.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    with demo_store.session() as session:
        assert session.query(Party).filter_by(name="Inside").count() == 1


def test_new_project_ids_continue_after_loaded_ones(demo_store) -> None:
    """Records loaded with their own ids leave the server's id sequence ahead of them."""
    with demo_store.transaction() as session:
        party = Party(name="Fresh", kind=PartyKind.STATE)
        session.add(party)
        session.flush()
        assert party.id is not None


def test_without_a_name_the_analyst_is_the_login_role(server_demo_address: str) -> None:
    with open_project(server_demo_address) as project:
        assert (project.analyst, project.role) == ("postgres", "postgres")
    with open_project(server_demo_address, "Ana") as project:
        assert (project.analyst, project.role) == ("Ana", "postgres")


def test_a_password_given_by_the_window_is_used_and_kept_nowhere(
    postgres, server_demo_address: str, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import psycopg

    user = postgres.password_role("asked in a dialog")
    with psycopg.connect(server_demo_address, autocommit=True) as connection:
        connection.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {user}")
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    address = postgres.address(server_demo_address.rsplit("/", 1)[1], user=user)
    with open_project(address, read_only=True, password="asked in a dialog") as project:
        assert project.role == user
        assert "asked" not in project.address and "asked" not in project.name
        project.listen()
        assert project.changed_elsewhere() is False


def test_read_only_refuses_edits(server_demo_address: str) -> None:
    from sqlalchemy.exc import DBAPIError

    with open_project(server_demo_address, "A", read_only=True) as project:
        with pytest.raises(ReadOnlyProject), project.transaction():
            pass
        with pytest.raises(DBAPIError, match="read-only transaction"):  # the server says so too
            with project.engine.begin() as connection:
                connection.execute(text("DELETE FROM party"))


def test_create_refuses_a_database_holding_tables(server_address: str) -> None:
    with pytest.raises(ProjectError, match="already holds tables"):
        create_project(server_address)


def test_a_blank_database_is_not_a_project(blank_database: str) -> None:
    with pytest.raises(ProjectRefused, match="holds no project yet"):
        open_project(blank_database)


def test_a_stranger_database_is_refused(blank_database: str, postgres) -> None:
    import psycopg

    with psycopg.connect(blank_database, autocommit=True) as connection:
        connection.execute("CREATE TABLE customers (id int)")
    with pytest.raises(ProjectRefused, match="not a Conflict Briefing project"):
        open_project(blank_database)


def test_a_newer_format_is_refused(server_demo_address: str) -> None:
    import psycopg

    with psycopg.connect(server_demo_address, autocommit=True) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099'")
    with pytest.raises(ProjectRefused, match="newer Conflict Briefing"):
        open_project(server_demo_address)


def test_a_missing_database_and_a_dead_server_are_one_sentence(postgres) -> None:
    with pytest.raises(ProjectError, match="There is no database nowhere"):
        open_project(postgres.address("nowhere"))
    with pytest.raises(ProjectError, match="No PostgreSQL server answers at 127.0.0.1:1"):
        open_project("postgresql://someone@127.0.0.1:1/db")


def test_a_missing_or_wrong_password_is_one_sentence(
    postgres, server_demo_address: str, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = postgres.password_role("right horse battery")
    database = server_demo_address.rsplit("/", 1)[1]
    address = postgres.address(database, user=user)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    with pytest.raises(ProjectError, match=f"asks a password for {user}: set PGPASSWORD"):
        open_project(address)
    monkeypatch.setenv("PGPASSWORD", "wrong")
    with pytest.raises(ProjectError, match=f"refused the password of {user}") as refused:
        open_project(address)
    assert "wrong" not in str(refused.value)
    monkeypatch.setenv("PGPASSWORD", "right horse battery")
    with pytest.raises(ProjectError, match=f"{user} may not read"):
        open_project(address)
    import psycopg

    with psycopg.connect(server_demo_address, autocommit=True) as connection:
        connection.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {user}")
    with open_project(address, read_only=True) as project:
        assert project.format_version() == SCHEMA_VERSION


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("postgresql://ana:secret@host/db", "must not hold a password"),
        ("postgresql://ana@host:5432/", "names no database"),
        ("postgresql://ana@host:port/db", "port that is not a number"),
        ("postgresql://ana@host/db;drop", "not a database name"),
    ],
)
def test_bad_addresses_are_refused(address: str, message: str) -> None:
    with pytest.raises(ProjectError, match=message):
        ServerAddress.parse(address)


def test_an_address_is_shown_without_a_password() -> None:
    address = ServerAddress.parse("postgresql://ana@db.example.org:5433/desk")
    assert address.text == "postgresql://ana@db.example.org:5433/desk"
    assert address.where == "db.example.org:5433"


def test_cli_new_and_info_on_a_server(blank_database: str) -> None:
    def briefing(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "briefing", *args], capture_output=True, text=True, check=False
        )

    created = briefing("new", blank_database, "--title", "Desk")
    assert created.returncode == 0, created.stderr
    info = briefing("info", blank_database)
    assert info.returncode == 0, info.stderr
    assert "Desk" in info.stdout
    again = briefing("new", blank_database)
    assert again.returncode == 1
    assert again.stderr.startswith("error: ") and again.stderr.count("\n") == 1
