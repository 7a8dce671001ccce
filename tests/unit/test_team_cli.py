"""``briefing team``: adding analysts and listing them, as the administrator and as anyone else."""

from __future__ import annotations

import itertools
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing import cli
from briefing.store import pg_team
from briefing.store.server.address import ServerAddress
from briefing.store.server.connect import connect

_numbers = itertools.count()


def _unique(prefix: str = "analyst") -> str:
    return f"{prefix}_{os.getpid()}_{next(_numbers)}"


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def team(server_address: str, monkeypatch) -> str:
    monkeypatch.setenv("BRIEFING_ANALYST_PASSWORD", "correct horse battery staple")
    return server_address


def _as(address: str, user: str) -> str:
    where = ServerAddress.parse(address)
    return f"postgresql://{user}@{where.where}/{where.database}"


def test_the_administrator_adds_an_analyst_and_lists_them(team, capsys, postgres) -> None:
    name = _unique()
    status, out, err = run(capsys, "team", "add-analyst", team, name, "--clearance", "amber")
    assert (status, err) == (0, "")
    assert out == f"Added {name}, cleared for TLP:AMBER.\n"
    assert "correct horse" not in out
    status, out, _ = run(capsys, "team", "list", team)
    assert status == 0
    rows = {line.split()[0]: line.split()[1] for line in out.splitlines()[1:]}
    assert rows[name] == "AMBER"
    stored = _password_of(postgres, name)
    assert stored.startswith("SCRAM-SHA-256$") and "correct horse" not in stored


def _password_of(postgres, name: str) -> str:
    import psycopg

    with psycopg.connect(postgres.address("postgres"), autocommit=True) as connection:
        return connection.execute(
            "SELECT rolpassword FROM pg_authid WHERE rolname = %s", (name,)
        ).fetchone()[0]


@pytest.mark.parametrize(
    ("args", "sentence"),
    [
        (["--clearance", "PURPLE"], "Unknown TLP label 'PURPLE'; use one of CLEAR, GREEN, "),
        (["--clearance", "RED"], "already exists on this server; choose another."),
    ],
)
def test_refusals_are_one_sentence(team, capsys, args, sentence) -> None:
    name = "postgres" if "RED" in args else _unique()
    status, out, err = run(capsys, "team", "add-analyst", team, name, *args)
    assert status == 1 and out == ""
    assert err.startswith("error: ") and sentence in err and err.count("\n") == 1


def test_an_analyst_may_not_add_analysts_or_list_them(team, capsys) -> None:
    name = _unique()
    assert run(capsys, "team", "add-analyst", team, name, "--clearance", "GREEN")[0] == 0
    mine = _as(team, name)
    for args in (["add-analyst", mine, _unique(), "--clearance", "RED"], ["list", mine]):
        status, out, err = run(capsys, "team", *args)
        assert status == 1 and out == ""
        assert err == (
            "error: Only the project's administrator (postgres) can manage its analysts; "
            f"you are connected as {name}.\n"
        )


def test_a_file_is_not_a_team_project(capsys, tmp_path) -> None:
    status, _, err = run(capsys, "team", "list", tmp_path / "x.brief")
    assert status == 1 and "is not a server address" in err


HOSTILE = st.one_of(
    st.text(min_size=1, max_size=40),
    st.sampled_from(
        [
            'x"; DROP TABLE party; --',
            "x'); DROP TABLE party; --",
            'a" SUPERUSER --',
            "Ռուբեն",
            "محمد",
            "分析员",
            "🕵️",
            "x\x00y",
            "pg_admin",
            "public",
            "a" * 64,
            "\ud800",
            " ",
        ]
    ),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=HOSTILE)
def test_any_name_is_added_as_it_is_or_refused_in_one_sentence(server_address, name) -> None:
    """A hostile name never becomes SQL: the role is created with exactly that name, or refused."""
    connection = connect(ServerAddress.parse(server_address))
    connection.autocommit = True
    try:
        tables = _tables(connection)
        unique = name if not _plain_taken(connection, name) else None
        try:
            if unique is None:
                raise pg_team.TeamError("taken")
            analyst = pg_team.add_analyst(connection, name, "GREEN", "secret")
        except pg_team.TeamError as refused:
            assert "\n" not in str(refused)
        else:
            assert analyst.name == name and analyst.clearance == "GREEN"
            found = connection.execute(
                "SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = %s", (name,)
            ).fetchone()
            assert found == (False, False)
            connection.execute(
                pg_team_drop(name)  # leave the cluster as it was for the next example
            )
        assert _tables(connection) == tables
    finally:
        connection.close()


def _tables(connection) -> list[str]:
    return [r[0] for r in connection.execute("SELECT tablename FROM pg_tables ORDER BY 1")]


def _plain_taken(connection, name: str) -> bool:
    try:
        row = connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
    except Exception:  # noqa: BLE001 - a name the driver cannot send is refused by add_analyst
        return False
    return row is not None


def pg_team_drop(name: str):
    from psycopg import sql

    return sql.SQL(
        "DELETE FROM analyst_clearance WHERE role = {r}; DROP OWNED BY {i}; DROP ROLE {i}"
    ).format(r=sql.Literal(name), i=sql.Identifier(name))
