"""An open project file: create, open (verify, migrate, lock), transactions, copy, close."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import StaticPool

from briefing import files
from briefing.files import FileWriteError
from briefing.model import field_rules
from briefing.store import lock
from briefing.store.errors import OlderFormat, ProjectError, ProjectLocked, ReadOnlyProject
from briefing.store.interface import ProjectStore
from briefing.store.schema import APPLICATION_ID, SCHEMA_VERSION, apply_pragmas
from briefing.store.trust import Progress, Stamp, VerifiedFiles, stamp_of
from briefing.store.verify import (
    finish_interrupted_save,
    open_read_only,
    readable_text,
    verify_file,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker


class Project:
    """One open project file.

    Every write goes through :meth:`transaction`, which commits on success, so
    nothing shown as saved can be lost. The project holds a single SQLite
    connection, which makes ``PRAGMA data_version`` reveal commits by other
    processes exactly.
    """

    def __init__(self, path: Path, analyst: str, read_only: bool, engine: Engine) -> None:
        self.path = path
        self.analyst = analyst
        self.read_only = read_only
        self.engine = engine
        self._seen_data_version = self._data_version()
        self._foreign_commits = False
        self.closed = False
        self.memory: VerifiedFiles | None = None
        self.upgrade_backup: Path | None = None  # the older file, when opening upgraded it
        """Where to remember the file as verified when it is closed (:mod:`.trust`)."""
        self.verified_stamp: Stamp | None = None
        """The file as verified at open, then as each of our commits left it."""

    is_server = False

    @property
    def name(self) -> str:
        return self.path.name

    @cached_property
    def _sessions(self) -> sessionmaker[Session]:
        """Made at the first session: the ORM and its mapped classes load only when needed."""
        from sqlalchemy.orm import sessionmaker

        from briefing.model import fulltext

        sessions = sessionmaker(self.engine, expire_on_commit=False)
        fulltext.install_session_hooks(sessions)
        return sessions

    @property
    def address(self) -> str:
        return str(self.path)

    def session(self) -> Session:
        """A session for reading; use :meth:`transaction` to write."""
        return self._sessions()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back if it raises."""
        if self.read_only:
            raise ReadOnlyProject(f"{self.name} is open read-only; changes cannot be saved.")
        connection = self._dbapi_connection()
        with self._sessions() as session:
            session.begin()
            connection.guard = True
            try:
                yield session
            except BaseException:
                connection.guard = False
                session.rollback()
                raise
            connection.guard = False
            session.commit()
        self._seen_data_version = self._data_version()
        if self.memory is not None:
            self.verified_stamp = stamp_of(self.path)

    def _dbapi_connection(self) -> ProjectConnection:
        with self.engine.connect() as connection:
            return connection.connection.dbapi_connection  # type: ignore[return-value]

    def _data_version(self) -> int:
        with self.engine.connect() as connection:
            return int(connection.exec_driver_sql("PRAGMA data_version").scalar_one())

    def changed_elsewhere(self) -> bool:
        """True once per commit made to the file by another process since the last call."""
        current = self._data_version()
        changed = current != self._seen_data_version
        self._seen_data_version = current
        self._foreign_commits = self._foreign_commits or changed
        return changed

    def format_version(self) -> int:
        """The file format (``PRAGMA user_version``)."""
        with self.engine.connect() as connection:
            return int(connection.exec_driver_sql("PRAGMA user_version").scalar_one())

    def setting(self, key: str, default: str = "") -> str:
        from briefing.model import ProjectSetting

        with self.session() as session:
            row = session.get(ProjectSetting, key)
            return row.value if row is not None else default

    def copy_to(self, destination: Path) -> None:
        """Write a consistent copy with SQLite's backup API (never a file copy of an open file)."""
        destination = Path(destination)
        if destination.resolve() == self.path.resolve():
            raise ProjectError("A project cannot be copied onto itself.")
        with self.engine.connect() as connection:
            source = connection.connection.dbapi_connection
            _backup(source, destination)  # type: ignore[arg-type]

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        trusted = self._unchanged_since_ours()
        self.engine.dispose()
        if trusted and self.memory is not None:
            self.memory.remember(self.path, stamp_of(self.path))
        if not self.read_only:
            lock.remove_lock(self.path)

    def _unchanged_since_ours(self) -> bool:
        """True when only this session wrote the file since it was verified.

        No other connection committed (``PRAGMA data_version``) and the file is
        exactly as our last commit, or the open, left it.
        """
        if self.memory is None or self._foreign_commits:
            return False
        try:
            if self.changed_elsewhere():
                return False
        except (sqlite3.Error, SQLAlchemyError):
            return False
        return self.verified_stamp is not None and stamp_of(self.path) == self.verified_stamp

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class ProjectConnection(sqlite3.Connection):
    """The project's one SQLite connection.

    Every part of the program shares it, so a read that ends inside an open
    :meth:`Project.transaction` would, by SQLAlchemy's habit of rolling back a
    connection it hands back, undo that transaction. While ``guard`` is set,
    only the transaction itself may roll back.
    """

    guard = False

    def rollback(self) -> None:
        if not self.guard:
            super().rollback()


def _engine(path: Path, read_only: bool) -> Engine:
    def connect() -> sqlite3.Connection:
        if read_only:
            return open_read_only(path)
        connection = sqlite3.connect(
            path, timeout=5, check_same_thread=False, factory=ProjectConnection
        )
        connection.text_factory = readable_text
        apply_pragmas(connection)
        return connection

    engine = create_engine("sqlite://", creator=connect, poolclass=StaticPool)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, record: object) -> None:
        dbapi_connection.execute("PRAGMA trusted_schema = OFF")

    return engine


def _backup(source: sqlite3.Connection, destination: Path, overwrite: bool = True) -> None:
    """Copy a database with SQLite's backup API into ``destination``, written safely."""
    try:
        with files.output_path(destination, overwrite) as work:
            target = sqlite3.connect(work)
            try:
                source.backup(target)
            finally:
                target.close()
    except sqlite3.Error as error:
        raise ProjectError(f"Cannot write {destination.name}: {error}.") from error
    except FileWriteError as error:
        raise ProjectError(str(error)) from error


def create_project(path: Path, analyst: str = "", title: str = "") -> Project:
    """Create a new, empty project file; an existing file is never overwritten."""
    path = Path(path)
    check_analyst(analyst)
    reason = field_rules.line(title)
    if reason is not None:
        raise ProjectError(f"The project's title {reason}; choose another.")
    if path.exists() or path.is_symlink():
        raise ProjectError(f"{path.name} already exists; choose another name.")
    try:
        with files.output_path(path, overwrite=False) as work:
            _initialise(work, title)
    except FileWriteError as error:
        raise ProjectError(str(error).replace("Cannot write", "Cannot create", 1)) from error
    except (OSError, sqlite3.Error) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise ProjectError(f"Cannot create {path.name} in {path.parent}: {reason}.") from error
    return open_project(path, analyst)


def _initialise(path: Path, title: str) -> None:
    from briefing.model.base import new_uuid
    from briefing.store.migrate import upgrade_to_head  # Alembic costs startup time: load late

    engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(path), poolclass=StaticPool)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("PRAGMA journal_mode = DELETE")
            connection.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
            upgrade_to_head(connection)
            connection.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")
            now = datetime.now(UTC).isoformat(timespec="seconds")
            for key, value in (("project_uuid", new_uuid()), ("title", title), ("created_at", now)):
                connection.execute(
                    text("INSERT INTO project_setting(key, value) VALUES (:k, :v)"),
                    {"k": key, "v": value},
                )
    finally:
        engine.dispose()


def open_project(
    path: Path,
    analyst: str = "",
    read_only: bool = False,
    take_over: bool = False,
    memory: VerifiedFiles | None = None,
    progress: Progress | None = None,
    upgrade: bool = True,
) -> Project:
    """Verify, lock, migrate if needed, and open a project file.

    With ``upgrade`` off, a file of an older format is refused (:class:`OlderFormat`)
    rather than upgraded, as when opened read-only.

    Raises :class:`ProjectRefused` for a file that is not ours, damaged or too new,
    and :class:`ProjectLocked` when another analyst holds a fresh lock (open again
    with ``read_only=True`` or ``take_over=True``). With a ``memory`` of verified
    files, a file it knows unchanged skips the whole-file checks, and the file is
    remembered when the project is closed (:mod:`briefing.store.trust`);
    ``progress`` hears how a whole-file check goes.
    """
    path = Path(path)
    if not read_only:  # only an open for editing records the name
        check_analyst(analyst)
    if _writable(path):
        finish_interrupted_save(path)
    checked = stamp_of(path)
    facts = verify_file(path, memory=memory, progress=progress)
    unwritable = not read_only and not _writable(path)
    if unwritable:
        read_only = True
    if not read_only and not take_over:
        holder = lock.read_lock(path)
        if holder is not None and not holder.is_ours and not holder.is_stale:
            raise ProjectLocked(
                f"{path.name} is open by {holder.describe()}; open it read-only, "
                "or take over the lock if you are sure it is no longer in use.",
                holder,
            )
    upgraded_from: Path | None = None
    if facts.schema_version < SCHEMA_VERSION:
        if unwritable:
            raise OlderFormat(
                f"{path.name} is in file format {facts.schema_version}, older than this "
                f"program's format {SCHEMA_VERSION}, and cannot be upgraded where it is "
                "because the file or its folder is read-only: copy it to a folder you can "
                "write to and open the copy; the original was left unchanged.",
                facts.schema_version,
                SCHEMA_VERSION,
            )
        if read_only or not upgrade:
            raise OlderFormat(
                f"{path.name} is in file format {facts.schema_version}, older than this "
                f"program's format {SCHEMA_VERSION}; opening it for editing upgrades it, "
                "after writing a backup beside it.",
                facts.schema_version,
                SCHEMA_VERSION,
            )
        upgraded_from = _upgrade(path, facts.schema_version)
        checked = stamp_of(path)
    project = Project(path, analyst, read_only, _engine(path, read_only))
    project.upgrade_backup = upgraded_from
    if checked is not None and stamp_of(path) == checked:
        project.memory, project.verified_stamp = memory, checked
    if not read_only:
        try:
            lock.write_lock(path, analyst)
        except ProjectError:
            project.engine.dispose()
            raise
    return project


def check_analyst(analyst: str) -> None:
    """Refuse a name every change would record against the rules (a line of text).

    It comes from the environment or the settings, either of which can hold
    anything: a name of any length, a NUL, bytes that are not UTF-8.
    """
    reason = field_rules.line(analyst)
    if reason is not None:
        raise ProjectError(
            f"The analyst name {reason}; choose another, as it is recorded with every change."
        )


def _writable(path: Path) -> bool:
    """Whether edits may be saved: the file and its folder (for the journal) must be writable.

    A file whose permission bits forbid writing is treated as read-only even for an
    administrator, who could otherwise write to it regardless.
    """
    for target in (path, path.parent):
        if not os.access(target, os.W_OK) or not target.stat().st_mode & 0o222:
            return False
    return True


def backup_path(path: Path, version: int) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    return path.with_name(f"{path.stem}.format{version}-backup-{stamp}{path.suffix}")


def _migration_engine(path: Path) -> Engine:
    """Our pragmas, but foreign keys off: a migration rebuilds tables others refer to.

    SQLite's way of changing a table (build it anew, drop the old one, rename)
    would otherwise delete every row referring to the dropped table; each
    migration checks the links itself before the transaction commits.
    """

    def connect() -> sqlite3.Connection:
        connection = sqlite3.connect(path, timeout=5, check_same_thread=False)
        connection.text_factory = readable_text
        apply_pragmas(connection)
        connection.execute("PRAGMA foreign_keys = OFF")
        return connection

    return create_engine("sqlite://", creator=connect, poolclass=StaticPool)


def _upgrade(path: Path, version: int) -> Path:
    """Write a backup beside the file, then migrate it to the current schema."""
    from briefing.model import fulltext
    from briefing.store.migrate import upgrade_to_head  # Alembic costs startup time: load late

    backup = backup_path(path, version)
    source = sqlite3.connect(path)
    try:
        _backup(source, backup, overwrite=False)
    finally:
        source.close()
    engine = _migration_engine(path)
    try:
        with engine.begin() as connection:
            upgrade_to_head(connection)
            connection.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")
            fulltext.rebuild(connection)
    finally:
        engine.dispose()
    return backup


def project_title(project: ProjectStore) -> str:
    """The title, read with plain SQL: an ORM query would first configure every mapper."""
    with project.engine.connect() as connection:
        value = connection.execute(
            text("SELECT value FROM project_setting WHERE key = 'title'")
        ).scalar()
    return value if isinstance(value, str) and value else project.path.stem
