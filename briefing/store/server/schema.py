"""Is this database a project, of which format; creating and upgrading one on a server."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, text

from briefing.model.base import new_uuid
from briefing.store.errors import ProjectError, ProjectRefused
from briefing.store.schema import SCHEMA_VERSION
from briefing.store.server.address import ServerAddress


def _tables(connection: Connection) -> set[str]:
    rows = connection.execute(
        text("SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema()")
    )
    return {str(name) for (name,) in rows}


def format_of(connection: Connection, address: ServerAddress) -> int:
    """The project format of the database, refusing one that is no project or too new."""
    tables = _tables(connection)
    if not tables:
        raise ProjectRefused(
            f"{address} holds no project yet; create one with: briefing new {address}"
        )
    if not {"alembic_version", "project_setting", "search_index"} <= tables:
        raise ProjectRefused(f"{address} is a database but not a Conflict Briefing project.")
    from briefing.store.migrate import revision_for_version  # Alembic: load late

    revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    versions = {rev: version for version, rev in revision_for_version().items()}
    if revision not in versions:
        raise ProjectRefused(
            f"{address} was written by a newer Conflict Briefing (revision {revision}) than "
            f"this one, which knows formats up to {SCHEMA_VERSION}; update the program."
        )
    return versions[revision]


def initialise(connection: Connection, address: ServerAddress, title: str) -> None:
    """Build the schema in an empty database and write the project's identity."""
    from briefing.store.migrate import upgrade_to_head  # Alembic: load late

    if _tables(connection):
        raise ProjectError(
            f"{address} already holds tables; a new project needs an empty database."
        )
    upgrade_to_head(connection)
    install_team_pieces(connection)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    for key, value in (("project_uuid", new_uuid()), ("title", title), ("created_at", now)):
        connection.execute(
            text("INSERT INTO project_setting(key, value) VALUES (:k, :v)"), {"k": key, "v": value}
        )


def install_team_pieces(connection: Connection) -> None:
    """What a team needs beyond the schema: clearances, change notices, search statistics.

    Clearances (row-level security) and notices are derived from the program's rules
    when installed (repeatable), so they are not frozen in a migration.
    """
    from briefing.model import fulltext_server
    from briefing.store import (
        pg_dependents,
        pg_history,
        pg_ids,
        pg_keys,
        pg_labels,
        pg_notify,
        pg_search,
        pg_security,
        pg_stamps,
    )

    pg_labels.install(connection)  # before the words and policies, which read its column
    pg_search.install(connection)  # before the policies, which include its table's
    pg_security.install(connection)
    pg_history.install(connection)
    pg_dependents.install(connection)
    pg_ids.install(connection)
    pg_stamps.install(connection)
    pg_keys.install(connection)
    pg_search.grant_to_analysts(connection)
    pg_history.grant_to_analysts(connection)
    pg_notify.install(connection)
    fulltext_server.install(connection)


def team_pieces_current(connection: Connection) -> bool:
    """Whether the project has this version's team pieces, as :func:`rebuild_team_pieces` leaves."""
    from briefing.store import (
        pg_dependents,
        pg_history,
        pg_ids,
        pg_keys,
        pg_labels,
        pg_search,
        pg_security,
        pg_stamps,
    )

    return (
        pg_security.is_current(connection)
        and pg_labels.is_current(connection)
        and pg_search.is_current(connection)
        and pg_history.is_current(connection)
        and pg_dependents.is_current(connection)
        and pg_ids.is_current(connection)
        and pg_stamps.is_current(connection)
        and pg_keys.is_current(connection)
    )


def _require_administrator(connection: Connection, address: ServerAddress, read_only: bool) -> None:
    owner = connection.execute(
        text(
            "SELECT pg_has_role(current_user, tableowner, 'USAGE') FROM pg_catalog.pg_tables"
            " WHERE schemaname = current_schema() AND tablename = 'search_index'"
        )
    ).scalar()
    if read_only or not owner:
        raise ProjectError(
            f"{address} was made by an older Conflict Briefing and lacks its protected "
            "search words and history; "
            "its administrator must open it once for editing with this version."
        )


def rebuild_team_pieces(connection: Connection, address: ServerAddress, read_only: bool) -> None:
    """Install this version's team pieces into an older project and rewrite what they derive.

    Only the project's administrator (the owner of its tables) may; an analyst is told to
    ask them, read-only or not. Analysts could write the search tables before, so their rows
    are all rewritten from the records: none planted or removed then is kept.
    """
    from briefing.model import fulltext
    from briefing.store import pg_search

    _require_administrator(connection, address, read_only)
    install_team_pieces(connection)
    with pg_search.words_written_at_the_end(connection):
        fulltext.rebuild(connection)


def ensure_team_pieces(connection: Connection, address: ServerAddress, read_only: bool) -> None:
    """Install this version's pieces beside the schema into an older project, if it lacks them."""
    from briefing.store import pg_security

    if not team_pieces_current(connection):
        rebuild_team_pieces(connection, address, read_only)
    elif not read_only:
        connection.exec_driver_sql(pg_security.CLOSE_DATABASE)


def upgrade(connection: Connection, address: ServerAddress) -> None:
    """Migrate an older project in one transaction (PostgreSQL changes its schema atomically).

    It ends as a team upgrade does: pieces installed, grants taken back, search rewritten.
    """
    from briefing.store.migrate import upgrade_to_head  # Alembic: load late

    _require_administrator(connection, address, read_only=False)
    upgrade_to_head(connection)
    rebuild_team_pieces(connection, address, read_only=False)
