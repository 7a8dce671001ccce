"""Read-only views of a whole project: counts, briefings, search results."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import text

from briefing.model.kinds import KINDS, TABLE_NAMES
from briefing.store.interface import ProjectStore
from briefing.store.project import project_title
from briefing.store.schema import SCHEMA_VERSION

if TYPE_CHECKING:
    from briefing.model.fulltext import Hit


@dataclass(frozen=True)
class BriefingSummary:
    id: int
    uuid: str
    title: str
    tlp: str
    status: str


@dataclass(frozen=True)
class ProjectSummary:
    title: str
    schema_version: int
    counts: dict[str, int]
    briefings: list[BriefingSummary]
    read_only: bool


def summarise(project: ProjectStore) -> ProjectSummary:
    """Counts per kind and the list of briefings, for ``briefing info`` and the window title."""
    with project.engine.connect() as connection:
        counts = {
            kind: int(
                connection.execute(text(f"SELECT count(*) FROM {TABLE_NAMES[kind]}")).scalar_one()
            )
            for kind in KINDS
        }
        briefings = [
            BriefingSummary(*row)
            for row in connection.execute(
                text("SELECT id, uuid, title, tlp, status FROM briefing ORDER BY id")
            )
        ]
    return ProjectSummary(
        project_title(project),
        project.format_version() or SCHEMA_VERSION,
        counts,
        briefings,
        project.read_only,
    )


def search(project: ProjectStore, query: str, limit: int = 50) -> list[Hit]:
    """The best matches for what the user typed, across every kind of record."""
    from briefing.model import fulltext  # the ORM's hooks: not needed to count (``info``)

    with project.engine.connect() as connection:
        return fulltext.search(connection, query, limit=limit)
