"""The analysts of a team project: login roles with a clearance, managed by its administrator.

The administrator is the role that owns the project's tables (who created it).
Adding an analyst creates a login role, grants it the right to read and edit the
project's tables (row-level security then hides what their clearance may not
read, :mod:`briefing.store.pg_security`) and records the clearance. Names go to
the server only as quoted identifiers (``psycopg.sql``), and the password only
as a SCRAM verifier computed on this machine, so neither can become SQL, and
the password appears in no statement the server could log.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from briefing.errors import BriefingError
from briefing.model.vocab import Tlp
from briefing.store import pg_history
from briefing.store.pg_search import SERVER_WRITTEN, grant_reindexing

MAX_NAME_BYTES = 63
"""PostgreSQL cuts longer identifiers; a name is refused rather than cut."""

LABELS = ", ".join(t.value for t in Tlp)


class TeamError(BriefingError):
    """A team command that cannot be done; the sentence says why."""


@dataclass(frozen=True)
class Analyst:
    name: str
    clearance: str
    added_at: str
    added_by: str
    can_log_in: bool


def clearance_of(text: str) -> Tlp:
    """A clearance as typed (``amber``, ``TLP:RED``) → its label; one sentence if unknown."""
    cleaned = text.strip().upper().removeprefix("TLP:")
    try:
        return Tlp(cleaned)
    except ValueError:
        raise TeamError(f"Unknown TLP label '{text}'; use one of {LABELS}.") from None


def check_name(name: str) -> str:
    """A new analyst's role name, refused in one sentence when PostgreSQL could not hold it."""
    if not name or not name.strip():
        raise TeamError("An analyst's name cannot be empty.")
    if "\x00" in name:
        raise TeamError("An analyst's name cannot hold a NUL character.")
    try:
        size = len(name.encode("utf-8"))
    except UnicodeEncodeError:
        raise TeamError("An analyst's name must be valid Unicode text.") from None
    if size > MAX_NAME_BYTES:
        raise TeamError(
            f"An analyst's name may be at most {MAX_NAME_BYTES} bytes long (this one is {size})."
        )
    if name.lower().startswith("pg_"):
        raise TeamError("Names starting with 'pg_' are reserved by PostgreSQL.")
    return name


def _administrator(connection: Any) -> str:
    """The owner of the project's tables; refuses a non-team database and a non-owner."""
    row = connection.execute(
        "SELECT tableowner, current_user FROM pg_tables"
        " WHERE schemaname = 'public' AND tablename = 'analyst_clearance'"
    ).fetchone()
    if row is None:
        raise TeamError("This database is not a team project (it has no analysts' clearances).")
    owner, me = row
    allowed = connection.execute(
        "SELECT pg_has_role(current_user, %s, 'USAGE')", (owner,)
    ).fetchone()[0]
    if not allowed:
        raise TeamError(
            f"Only the project's administrator ({owner}) can manage its analysts; "
            f"you are connected as {me}."
        )
    return owner


ADMINISTERED = ("analyst_clearance", "tlp_release", "alembic_version", *SERVER_WRITTEN)
"""Tables an analyst reads but never writes: clearances, the schema's version, and the
search tables the server derives from the records."""


def _read_only_tables(connection: Any) -> list[str]:
    rows = connection.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename = ANY(%s)",
        (list(ADMINISTERED),),
    ).fetchall()
    return [row[0] for row in rows]


def list_analysts(connection: Any) -> list[Analyst]:
    """Every analyst of the project with their clearance (the administrator only)."""
    _administrator(connection)
    rows = connection.execute(
        "SELECT a.role, a.clearance, a.added_at, a.added_by, coalesce(r.rolcanlogin, false)"
        " FROM analyst_clearance a LEFT JOIN pg_roles r ON r.rolname = a.role ORDER BY a.role"
    ).fetchall()
    return [Analyst(*row) for row in rows]


def add_analyst(connection: Any, name: str, clearance: str | Tlp, password: str) -> Analyst:
    """Create the login role ``name`` cleared for ``clearance``, in one transaction."""
    from psycopg import errors, sql

    label = clearance_of(str(clearance))
    check_name(name)
    if not password:
        raise TeamError("The new analyst's password cannot be empty.")
    owner = _administrator(connection)
    exists = connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
    if exists is not None:
        raise TeamError(
            f"A role named '{name}' already exists on this server; choose another."
        ) from None
    role = sql.Identifier(name)
    database = connection.execute("SELECT current_database()").fetchone()[0]
    verifier = connection.pgconn.encrypt_password(
        password.encode("utf-8"), name.encode("utf-8"), b"scram-sha-256"
    )
    statements = [
        sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
            role, sql.Literal(verifier.decode("ascii"))
        ),
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), role),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(role),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(
            role
        ),
        sql.SQL("REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(
            sql.SQL(", ").join(sql.Identifier(t) for t in _read_only_tables(connection)), role
        ),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(role),
        grant_reindexing(name),
        *pg_history.grant_to(name),
    ]
    try:
        with connection.transaction():
            for statement in statements:
                connection.execute(statement)
            connection.execute(
                "INSERT INTO analyst_clearance(role, clearance, added_at, added_by)"
                " VALUES (%s, %s, to_char(now() AT TIME ZONE 'UTC',"
                ' \'YYYY-MM-DD"T"HH24:MI:SS"Z"\'), current_user)',
                (name, label.value),
            )
    except errors.InsufficientPrivilege as error:
        raise TeamError(
            f"The server does not let {owner} create roles ({error.diag.message_primary}); "
            "give the administrator the CREATEROLE right."
        ) from None
    except errors.DuplicateObject:
        raise TeamError(
            f"A role named '{name}' already exists on this server; choose another."
        ) from None
    except errors.Error as error:
        reason = error.diag.message_primary or type(error).__name__
        raise TeamError(f"The server refused the analyst '{name}': {reason}.") from None
    return next(a for a in list_analysts(connection) if a.name == name)
