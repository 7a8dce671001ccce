"""What the services and the window may ask of an open project, whichever store holds it.

Two implementations: :class:`briefing.store.project.Project` (a ``.brief`` file)
and :class:`briefing.store.server.project.ServerProject` (a database on a
PostgreSQL server). :func:`briefing.store.open_project` picks one from the address.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:  # the ORM loads at the first session, not when a command starts
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session


@runtime_checkable
class ProjectStore(Protocol):
    """An open project: read with :meth:`session`, write with :meth:`transaction`."""

    analyst: str
    read_only: bool
    engine: Engine
    closed: bool
    is_server: bool
    path: Path
    """The file; for a server, a stand-in under the working folder that names suggested files."""

    @property
    def name(self) -> str:
        """How sentences and titles name the project."""

    @property
    def address(self) -> str:
        """What opens it again: a file's path or a server address (never with a password)."""

    def session(self) -> Session: ...

    def transaction(self) -> AbstractContextManager[Session]: ...

    def changed_elsewhere(self) -> bool:
        """True once after someone else committed to the project."""

    def format_version(self) -> int:
        """The project's format (file format version)."""

    def setting(self, key: str, default: str = "") -> str: ...

    def copy_to(self, destination: Path) -> None:
        """Write a consistent copy as a new project file."""

    def close(self) -> None: ...
