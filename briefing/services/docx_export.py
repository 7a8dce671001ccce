"""Export a briefing of an open project to Word and remember the export in the project.

The window and the command line both call :func:`docx_export_steps` (a generator,
so the window can show progress without a thread) or :func:`export_briefing_docx`.
The house template chosen for a project is kept in the project's settings, so
every analyst exporting from the same file gets the same look.
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

from briefing.export.cancel import Progress, scaled
from briefing.export.docx import DocxResult, docx_steps
from briefing.model import ProjectSetting
from briefing.model.vocab import Tlp
from briefing.services.briefing_snapshot import snapshot_steps
from briefing.services.pdf_export import ExportJob, finish_export, run_to_end
from briefing.store.interface import ProjectStore
from briefing.terminal import ProgressCallback

TEMPLATE_KEY = "docx_template"
READ_SHARE = 0.25
"""The part of a Word export's progress bar given to reading the briefing (a quarter of it)."""


def house_template(project: ProjectStore) -> Path | None:
    """The Word template remembered for this project, if any."""
    value = project.setting(TEMPLATE_KEY)
    return Path(value) if value else None


def remember_template(project: ProjectStore, template: Path | None) -> None:
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


def docx_job_steps(
    project: ProjectStore,
    briefing_id: int,
    path: Path,
    tlp: Tlp | None = None,
    template: Path | None = None,
    changes: bool = False,
) -> Generator[Progress, None, ExportJob]:
    """Read what the Word document holds, a step at a time (see :class:`ExportJob`)."""
    snapshot = yield from snapshot_steps(project, briefing_id, changes)
    return ExportJob(briefing_id, snapshot, Path(path), tlp, word_template=template, word=True)


def docx_job(
    project: ProjectStore,
    briefing_id: int,
    path: Path,
    tlp: Tlp | None = None,
    template: Path | None = None,
    changes: bool = False,
) -> ExportJob:
    """Run :func:`docx_job_steps` to the end."""
    return run_to_end(docx_job_steps(project, briefing_id, path, tlp, template, changes))


def docx_export_steps(
    project: ProjectStore,
    briefing_id: int,
    path: Path,
    tlp: Tlp | None = None,
    template: Path | None = None,
    changes: bool = False,
) -> Generator[Progress, None, DocxResult]:
    """Read the briefing, write the Word file, then record the export (unless read-only)."""
    read = docx_job_steps(project, briefing_id, path, tlp, template, changes)
    job = yield from scaled(read, 0.0, READ_SHARE)
    steps = docx_steps(job.snapshot, job.path, job.tlp, job.word_template)
    result = yield from scaled(steps, READ_SHARE, 1.0)
    finish_export(project, job, result, record=True)
    return result


def export_briefing_docx(
    project: ProjectStore,
    briefing_id: int,
    path: Path,
    tlp: Tlp | None = None,
    template: Path | None = None,
    changes: bool = False,
    progress: ProgressCallback | None = None,
) -> DocxResult:
    """Run :func:`docx_export_steps` to the end."""
    steps = docx_export_steps(project, briefing_id, path, tlp, template, changes)
    return run_to_end(steps, progress)
