"""One home for opening a project: a file path or a ``postgresql://`` address picks the store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from briefing.store import project as file_store
from briefing.store.server.address import ServerAddress, is_server_address


def open_project(target: Path | str, analyst: str = "", read_only: bool = False,
                 password: str | None = None, **file_options: Any) -> Any:  # fmt: skip
    """Open a project file (verified, locked, migrated) or a team project on a server.

    ``file_options`` (``take_over``, ``memory``, ``progress``) concern files only;
    ``password`` a server only (one the window asked for, kept in memory). On a
    server an empty ``analyst`` means the login role. Returns a
    :class:`~briefing.store.interface.ProjectStore`.
    """
    if is_server_address(target):
        from briefing.store.server.project import open_server_project

        address = ServerAddress.parse(str(target))
        return open_server_project(address, analyst, read_only, password)
    return file_store.open_project(Path(target), analyst, read_only, **file_options)


def create_project(target: Path | str, analyst: str = "", title: str = "") -> Any:
    """Create a new project file, or a new project in an empty database on a server."""
    if is_server_address(target):
        from briefing.store.server.project import create_server_project

        return create_server_project(ServerAddress.parse(str(target)), analyst, title)
    return file_store.create_project(Path(target), analyst, title)
