"""The project file: create, open, verify, migrate, copy, close."""

from briefing.store.errors import ProjectError, ProjectLocked, ProjectRefused, ReadOnlyProject
from briefing.store.project import Project, create_project, open_project

__all__ = [
    "Project",
    "ProjectError",
    "ProjectLocked",
    "ProjectRefused",
    "ReadOnlyProject",
    "create_project",
    "open_project",
]
