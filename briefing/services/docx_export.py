"""Export a briefing of an open project to Word and remember the export in the project.

The window and the command line both call :func:`docx_export_steps` (a generator,
so the window can show progress without a thread) or :func:`export_briefing_docx`.
The house template chosen for a project is kept in the project's settings, so
every analyst exporting from the same file gets the same look.
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

from briefing.export.docx import DocxResult, docx_steps
from briefing.export.pdf import Progress
from briefing.model import ProjectSetting
from briefing.model.vocab import Tlp
from briefing.services.briefing_snapshot import build_snapshot
from briefing.services.pdf_export import record_export
from briefing.store.project import Project

TEMPLATE_KEY = "docx_template"


def house_template(project: Project) -> Path | None:
    """The Word template remembered for this project, if any."""
    value = project.setting(TEMPLATE_KEY)
    return Path(value) if value else None


def remember_template(project: Project, template: Path | None) -> None:
    """Keep (or forget, with None) the project's Word template: one transaction."""
    with project.transaction() as session:
        row = session.get(ProjectSetting, TEMPLATE_KEY)
        if template is None:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(ProjectSetting(key=TEMPLATE_KEY, value=str(template)))
        else:
            row.value = str(template)


def docx_export_steps(
    project: Project,
    briefing_id: int,
    path: Path,
    tlp: Tlp | None = None,
    template: Path | None = None,
    changes: bool = False,
) -> Generator[Progress, None, DocxResult]:
    """Read the briefing, write the Word file, then record the export (unless read-only)."""
    snapshot = build_snapshot(project, briefing_id, changes)
    result = yield from docx_steps(snapshot, Path(path), tlp, template)
    if not project.read_only:
        record_export(project, briefing_id, result)
    return result


def export_briefing_docx(
    project: Project,
    briefing_id: int,
    path: Path,
    tlp: Tlp | None = None,
    template: Path | None = None,
    changes: bool = False,
) -> DocxResult:
    """Run :func:`docx_export_steps` to the end."""
    steps = docx_export_steps(project, briefing_id, path, tlp, template, changes)
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value
