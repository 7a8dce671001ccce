"""Connecting to a server: one engine per project, and what went wrong in one sentence."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine
from sqlalchemy.pool import StaticPool

from briefing.store.errors import ProjectError
from briefing.store.server import compat
from briefing.store.server.address import ServerAddress

CONNECT_TIMEOUT = 10
"""Seconds to wait for a server that does not answer."""


class GuardedConnection:
    """Mixin for the project's one psycopg connection; see ``ProjectConnection`` in the store.

    Every part of the program shares it, so a read ending inside an open
    transaction would roll that transaction back; while ``guard`` is set only the
    transaction itself may.
    """

    guard = False

    def rollback(self) -> None:
        if not self.guard:
            super().rollback()  # type: ignore[misc]


def _connection_class() -> type:
    import psycopg

    return type("ProjectServerConnection", (GuardedConnection, psycopg.Connection), {})


def connect(address: ServerAddress, password: str | None = None) -> Any:
    """A new psycopg connection, or :class:`ProjectError` saying in one sentence why not.

    ``password``: one the window asked for; otherwise libpq finds it as usual.
    """
    import psycopg

    extra = {"password": password} if password else {}
    try:
        connection = _connection_class().connect(  # type: ignore[attr-defined]
            address.sqlalchemy_url.replace("+psycopg", "", 1),
            connect_timeout=CONNECT_TIMEOUT,
            application_name="Conflict Briefing",
            **extra,
        )
    except psycopg.Error as error:
        raise ProjectError(explain(address, error)) from None
    connection.adapters.register_loader("numeric", _number_loader())
    for setting in SESSION_SETUP:
        connection.execute(setting)
    connection.commit()
    return connection


SESSION_SETUP = (
    "SET jit = off",
    "SET plan_cache_mode = force_custom_plan",
    "SET work_mem = '32MB'",
)
"""Compiling a query costs more than running it for everything the program asks (an
analyst's search, weighed with the row-level security policies, spent a second on it);
a statement psycopg prepared after a few runs is still planned for its values, as a
search's cost depends on how many records hold its words; and the whole list of a
search most records match (tens of thousands of ids in the list's order) is sorted
in memory rather than on disk, as the server's default of 4 MB made it."""


def _number_loader() -> type:
    """Sums come back as SQLite gives them: an int when whole, else a float (never Decimal)."""
    from psycopg.adapt import Loader

    class NumberLoader(Loader):
        def load(self, data: Any) -> int | float:
            text = bytes(data).decode()
            return int(text) if text.lstrip("-").isdigit() else float(text)

    return NumberLoader


def explain(address: ServerAddress, error: Exception) -> str:
    """One sentence for a failed connection (libpq's words are long and technical)."""
    detail = str(error).strip()
    who = address.user or "your user name"
    if "password authentication failed" in detail:
        return f"The server at {address.where} refused the password of {who}."
    if "no password supplied" in detail:
        return (
            f"The server at {address.where} asks a password for {who}: "
            "set PGPASSWORD or add it to ~/.pgpass."
        )
    if f'database "{address.database}" does not exist' in detail:
        return (
            f"There is no database {address.database} on {address.where}; "
            f"create it first (createdb {address.database})."
        )
    if "role" in detail and "does not exist" in detail:
        return f"The server at {address.where} knows no user {who}."
    if "permission denied" in detail:
        return f"{who} may not read the project in {address}; ask its administrator."
    if "Connection refused" in detail or "could not translate host name" in detail:
        return f"No PostgreSQL server answers at {address.where}; is it running?"
    if "timeout" in detail.lower():
        return f"The server at {address.where} did not answer within {CONNECT_TIMEOUT} s."
    last = detail.splitlines()[-1].strip() if detail else type(error).__name__
    return f"Cannot connect to {address}: {last.rstrip('.')}."


def project_engine(
    address: ServerAddress, token: str = "", read_only: bool = False, password: str | None = None
) -> Engine:
    """The engine of an open team project: one guarded connection, like the file's.

    ``token`` marks the connection's commits in the server's change notices, so the
    project can tell its own from other analysts' (:mod:`briefing.store.pg_notify`).
    ``read_only``: the server itself refuses any write on the connection.
    """

    def make() -> Any:
        connection = connect(address, password)
        if read_only:
            connection.execute("SET default_transaction_read_only = on")
            connection.commit()
        if token:
            from briefing.store import pg_notify

            pg_notify.session_setup(connection, token)
        return connection

    engine = create_engine("postgresql+psycopg://", creator=make, poolclass=StaticPool)
    compat.install(engine)
    return engine
