"""Why a project file could not be used, in words a user can read."""

from __future__ import annotations

from briefing.errors import BriefingError


class ProjectError(BriefingError):
    """A failure the user caused or can fix; ``str(error)`` is one clear sentence."""


class ProjectRefused(ProjectError):
    """The file was refused before anything was written to it."""


class ProjectLocked(ProjectError):
    """Another analyst holds the lock; the file may still be opened read-only."""

    def __init__(self, message: str, holder: object) -> None:
        super().__init__(message)
        self.holder = holder


class ReadOnlyProject(ProjectError):
    """An edit was attempted on a project opened read-only."""


class OlderFormat(ProjectError):
    """The file is of an older format, and opening it read-only cannot upgrade it."""

    def __init__(self, message: str, version: int, current: int) -> None:
        super().__init__(message)
        self.version = version
        self.current = current


_SQLITE_WORDS = (
    ("SQLITE_FULL", "the disk is full"),
    ("SQLITE_READONLY", "the file or its folder cannot be written"),
    ("SQLITE_PERM", "permission to use the file was denied"),
    ("SQLITE_CANTOPEN", "the file or its folder cannot be opened"),
    ("SQLITE_IOERR", "the disk could not be read or written"),
    ("SQLITE_CORRUPT", "the file is damaged"),
    ("SQLITE_NOTADB", "the file is not a project file"),
    ("SQLITE_BUSY", "another program is writing to the file; try again in a moment"),
    ("SQLITE_LOCKED", "another program is writing to the file; try again in a moment"),
    ("SQLITE_TOOBIG", "a value is larger than a project file can hold"),
    ("SQLITE_NOMEM", "the computer ran out of memory"),
)
"""SQLite's result codes (by name, extended codes included) in a user's words."""


def database_reason(error: BaseException) -> str:
    """Why a statement failed, in words: the part of a sentence said in brackets.

    ``error`` is SQLAlchemy's error or the driver's own. SQLite's usual failures
    (a full disk, a read-only folder, a damaged file) get words a user can act
    on; anything else keeps the database's own first line.
    """
    cause = getattr(error, "orig", None) or error
    name = str(getattr(cause, "sqlite_errorname", "") or "")
    for prefix, words in _SQLITE_WORDS:
        if name.startswith(prefix):
            return words
    lines = str(cause).strip().splitlines()
    return lines[0] if lines else type(cause).__name__
