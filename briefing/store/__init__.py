"""The project file: create, open, verify, migrate, copy, close."""

from briefing.store.errors import ProjectError, ProjectLocked, ProjectRefused, ReadOnlyProject
from briefing.store.interface import ProjectStore
from briefing.store.opening import create_project, open_project
from briefing.store.project import Project

__all__ = [
    "Project",
    "ProjectError",
    "ProjectStore",
    "ProjectLocked",
    "ProjectRefused",
    "ReadOnlyProject",
    "create_project",
    "open_project",
]
