"""An older team project ends the same whichever way it is brought up to date.

A project of an older file format is migrated (``schema.upgrade``) when its
administrator opens it; one of the current format with an older program's team
pieces gets them rebuilt. Both must end in the same state: this version's
policies, functions and triggers, no analyst holding a right an older version
gave, and search words rewritten from the records, so nothing planted survives.
"""

from __future__ import annotations

import itertools
import os

import pytest

from briefing.store import open_project, pg_team
from briefing.store.server.address import ServerAddress
from briefing.store.server.connect import connect

PLANTS = (
    "INSERT INTO search_word (word, kind, rec, tlp) VALUES ('planted', 3, 999999, 'CLEAR')",
    "INSERT INTO search_word (word, kind, rec, tlp) SELECT 'planted', kind, rec, tlp"
    " FROM search_word LIMIT 1",
    "DROP POLICY IF EXISTS kept_1 ON tombstone",
    "ALTER TABLE project_setting DISABLE ROW LEVEL SECURITY",
    "GRANT INSERT, UPDATE, DELETE ON search_word, search_index TO {role}",
    "GRANT UPDATE, DELETE ON edition, export_record TO {role}",
)
"""What an older program left or let an analyst do."""

_numbers = itertools.count()

OLDER_FORMAT = "UPDATE alembic_version SET version_num = '0002'"
"""Format 3 changed only the index of project files: on a server a format 2 project is this."""


def _older(address: str, format_too: bool) -> str:
    """The project at ``address`` as an older program left it; returns the analyst's role."""
    role = f"older_{os.getpid()}_{next(_numbers)}"
    connection = connect(ServerAddress.parse(address))
    connection.autocommit = True
    try:
        pg_team.add_analyst(connection, role, "AMBER", "not used: the test server trusts")
        for statement in PLANTS:
            connection.execute(statement.format(role=role))
        if format_too:
            connection.execute(OLDER_FORMAT)
    finally:
        connection.close()
    return role


STATE = {
    "policies": "SELECT tablename, policyname, permissive, cmd, qual, with_check"
    " FROM pg_policies WHERE schemaname = 'public' ORDER BY 1, 2",
    "protected": "SELECT relname, relrowsecurity FROM pg_class c JOIN pg_namespace n"
    " ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 1",
    "functions": "SELECT proname, prosecdef, proconfig::text, prosrc FROM pg_proc p"
    " JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' ORDER BY 1, 4",
    "triggers": "SELECT tgrelid::regclass::text, tgname, tgenabled FROM pg_trigger"
    " WHERE NOT tgisinternal ORDER BY 1, 2",
    "rights": "SELECT c.relname, p.privilege FROM pg_class c JOIN pg_namespace n"
    " ON n.oid = c.relnamespace CROSS JOIN unnest(ARRAY['SELECT', 'INSERT', 'UPDATE',"
    " 'DELETE', 'TRUNCATE']) p(privilege) WHERE n.nspname = 'public' AND c.relkind = 'r'"
    " AND has_table_privilege(%(role)s, c.oid, p.privilege) ORDER BY 1, 2",
    "planted": "SELECT count(*) FROM search_word WHERE word = 'planted'",
    "words": "SELECT count(*) FROM search_word",
    "version": "SELECT version_num FROM alembic_version",
}


def _state(address: str, role: str) -> dict:
    connection = connect(ServerAddress.parse(address))
    try:
        return {
            name: connection.execute(sql, {"role": role} if "%(role)s" in sql else None).fetchall()
            for name, sql in STATE.items()
        }
    finally:
        connection.close()


@pytest.fixture
def two_older(server_templates) -> tuple[str, str]:
    """Two copies of the demo project, each left by an older program with the same plants."""
    from postgres import DEMO_TEMPLATE

    return (
        server_templates.new_database(DEMO_TEMPLATE),
        server_templates.new_database(DEMO_TEMPLATE),
    )


def test_a_format_upgrade_ends_as_a_team_upgrade_does(two_older) -> None:
    by_format, by_team = two_older
    roles = (_older(by_format, format_too=True), _older(by_team, format_too=False))
    for address in two_older:
        open_project(address, "postgres").close()  # the administrator opens it
    fresh = {"format": _state(by_format, roles[0]), "team": _state(by_team, roles[1])}
    assert fresh["format"] == fresh["team"]
    state = fresh["format"]
    assert state["planted"] == [(0,)] and state["words"][0][0] > 0
    assert state["version"] == [("0003",)]
    rights = set(state["rights"])
    for table in ("search_word", "search_index"):
        assert not rights & {(table, p) for p in ("INSERT", "UPDATE", "DELETE")}
    assert ("edition", "UPDATE") not in rights and ("export_record", "DELETE") not in rights
    assert ("edition", "INSERT") in rights and ("timeline_entry", "UPDATE") in rights
    assert dict(state["protected"])["project_setting"] is True


def test_an_analyst_opening_an_older_format_is_told_to_ask_the_administrator(two_older) -> None:
    from briefing.store.errors import ProjectError

    address = two_older[0]
    role = _older(address, format_too=True)
    parsed = ServerAddress.parse(address)
    as_analyst = f"postgresql://{role}@{parsed.where}/{parsed.database}"
    with pytest.raises(ProjectError, match="administrator"):
        open_project(as_analyst, "amber")
