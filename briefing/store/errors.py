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
