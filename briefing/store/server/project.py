"""An open team project on a PostgreSQL server: the same surface as the project file.

Like the file, the project holds one connection that every session shares, so
what a transaction wrote is what the next read sees, and each edit commits on
its own. What another analyst committed is announced by the server (LISTEN/NOTIFY,
on a connection of its own); whoever listens calls :meth:`ServerProject.note_change`
and the window's refresh asks :meth:`changed_elsewhere`, as it does of a file.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from briefing.model import ProjectSetting, fulltext
from briefing.store.errors import ProjectError, ReadOnlyProject
from briefing.store.pg_notify import ChangeListener, new_token
from briefing.store.schema import SCHEMA_VERSION
from briefing.store.server import schema
from briefing.store.server.address import ServerAddress
from briefing.store.server.connect import CONNECT_TIMEOUT, explain, project_engine


class ServerProject:
    """One open team project (see :class:`briefing.store.interface.ProjectStore`)."""

    is_server = True

    def __init__(
        self,
        address: ServerAddress,
        analyst: str,
        read_only: bool,
        engine: Engine,
        token: str = "",
        password: str | None = None,
    ) -> None:
        self.server_address = address
        self._password = password
        """Kept in memory only, for the listener's connection (never written anywhere)."""
        self.session_token = token
        """Names this project's connections in the server's change notices."""
        self.listener: ChangeListener | None = None
        """Hears other analysts' commits, once :meth:`listen` started it."""
        self.analyst = analyst
        self.read_only = read_only
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        fulltext.install_session_hooks(self._sessions)
        self._changed = threading.Event()
        self.closed = False
        self.role = ""
        """The login role on the server (what its clearances and policies know)."""
        self.path = Path.cwd() / address.database
        """No file: a stand-in naming the project where a file name is suggested (exports)."""

    @property
    def name(self) -> str:
        return f"{self.server_address.database} on {self.server_address.where}"

    @property
    def address(self) -> str:
        return self.server_address.text

    def session(self) -> Session:
        """A session for reading; use :meth:`transaction` to write."""
        return self._sessions()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back if it raises."""
        if self.read_only:
            raise ReadOnlyProject(f"{self.name} is open read-only; changes cannot be saved.")
        with self.engine.connect() as connection:
            raw = connection.connection.dbapi_connection
        with self._sessions() as session:
            session.begin()
            raw.guard = True  # type: ignore[union-attr]
            try:
                yield session
            except DBAPIError as error:  # the server refused a statement: one sentence
                raw.guard = False  # type: ignore[union-attr]
                session.rollback()
                from briefing.store import pg_security  # noqa: PLC0415 - loads the rules

                said = pg_security.refusal(error)  # above the analyst's clearance
                if said is not None:
                    raise ProjectError(said) from None
                reason = _first_line(error)
                raise ProjectError(f"The server refused the change: {reason}.") from None
            except BaseException:
                raw.guard = False  # type: ignore[union-attr]
                session.rollback()
                raise
            raw.guard = False  # type: ignore[union-attr]
            try:
                session.commit()
            except DBAPIError as error:
                reason = _first_line(error)
                raise ProjectError(f"The server did not save the change: {reason}.") from None

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A read-only connection of its own, for reading off the window's thread.

        The project's one connection belongs to the window's thread; a worker opens
        this one (the same login, so the same policies) and closes it when done.
        """
        engine = project_engine(self.server_address, read_only=True, password=self._password)
        try:
            with engine.connect() as connection:
                yield connection
        finally:
            engine.dispose()

    def listen(self) -> ChangeListener:
        """Start hearing other analysts' commits on a connection of its own (the window does)."""
        if self.listener is None:
            extra = {"password": self._password} if self._password else {}
            self.listener = ChangeListener(
                self.server_address.text,
                self.session_token,
                connect_timeout=CONNECT_TIMEOUT,
                **extra,
            )
        return self.listener

    def note_change(self) -> None:
        """Another analyst committed (for a listener running elsewhere)."""
        self._changed.set()

    def changed_elsewhere(self) -> bool:
        """True once after another analyst committed since the last call."""
        changed = self._changed.is_set()
        self._changed.clear()
        if self.listener is not None:
            changed = self.listener.drain() or changed
        return changed

    def format_version(self) -> int:
        """The project format, told by the Alembic revision the database is at."""
        with self.engine.connect() as connection:
            return schema.format_of(connection, self.server_address)

    def setting(self, key: str, default: str = "") -> str:
        with self.session() as session:
            row = session.get(ProjectSetting, key)
            return row.value if row is not None else default

    def copy_to(self, destination: Path) -> None:
        """Write the project into a new project file (``briefing copy``)."""
        from briefing.store.copying import copy_project  # noqa: PLC0415 - loads the codec

        copy_project(self, Path(destination))

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            if self.listener is not None:
                self.listener.close()
            self.engine.dispose()

    def __enter__(self) -> ServerProject:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _first_line(error: DBAPIError) -> str:
    return str(error.orig).strip().splitlines()[0].rstrip(".") if error.orig else str(error)


def create_server_project(
    address: ServerAddress, analyst: str = "", title: str = "", password: str | None = None
) -> ServerProject:
    """Build a new project in an empty database on a server and open it."""
    engine = project_engine(address, password=password)
    try:
        with engine.begin() as connection:
            schema.initialise(connection, address, title)
    except DBAPIError as error:
        raise ProjectError(f"Cannot create a project in {address}: {_first_line(error)}.") from None
    finally:
        engine.dispose()
    return open_server_project(address, analyst, password=password)


def open_server_project(
    address: ServerAddress, analyst: str = "", read_only: bool = False, password: str | None = None
) -> ServerProject:
    """Connect, check that the database is a project this program knows, upgrade it if older.

    Without an ``analyst`` name the project's analyst is the login role, so that
    ``updated_by`` says who changed a record as the server knows them.
    """
    token = new_token()
    engine = project_engine(address, token, read_only, password)
    try:
        with engine.begin() as connection:
            version = schema.format_of(connection, address)
            if version < SCHEMA_VERSION:
                if read_only:
                    raise ProjectError(
                        f"{address} uses format {version} and must be upgraded to format "
                        f"{SCHEMA_VERSION}, which needs permission to change it."
                    )
                schema.upgrade(connection, address)
            schema.ensure_team_pieces(connection, address, read_only)
            role = str(connection.execute(text("SELECT current_user")).scalar_one())
    except ProjectError:
        engine.dispose()
        raise
    except DBAPIError as error:
        engine.dispose()
        raise ProjectError(explain(address, error.orig or error)) from None
    project = ServerProject(address, analyst or role, read_only, engine, token, password)
    project.role = role
    return project
