"""Export a briefing of an open project to PDF and remember the export in the project.

The window and the command line both call :func:`export_steps` (a generator, so
the window can show progress without a thread) or :func:`export_briefing`.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol, TypeVar

from sqlalchemy import select

from briefing.errors import BriefingError
from briefing.export.cancel import Check, never, scaled
from briefing.export.docx import DocxResult, docx_steps
from briefing.export.pdf import PdfResult, Progress, pdf_steps
from briefing.export.snapshot import BriefingSnapshot
from briefing.export.styles import TIMELINE_PAGES
from briefing.model import Briefing, ExportRecord, ProjectSetting, utc_now
from briefing.model.vocab import Tlp
from briefing.services.briefing_snapshot import ORGANISATION_KEY, snapshot_steps
from briefing.store.interface import ProjectStore
from briefing.terminal import ProgressCallback

PAGES_KEY = "pdf_timeline_pages"
READ_SHARE = 0.05
"""The part of a PDF export's progress bar given to reading the briefing (a twentieth of it)."""
T = TypeVar("T")


@dataclass(frozen=True)
class ExportEntry:
    """One line of a briefing's export history."""

    exported_at: datetime
    analyst: str
    file_name: str
    sha256: str
    pages: int


def issuing_organisation(project: ProjectStore) -> str:
    """The organisation named on the cover of the project's briefs ("" when none is set)."""
    return project.setting(ORGANISATION_KEY)


def remember_organisation(project: ProjectStore, name: str) -> None:
    """Set (or clear, with "") the issuing organisation: one transaction."""
    name = " ".join(name.split())
    with project.transaction() as session:
        row = session.get(ProjectSetting, ORGANISATION_KEY)
        if not name:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(ProjectSetting(key=ORGANISATION_KEY, value=name))
        else:
            row.value = name


def timeline_pages(project: ProjectStore) -> str:
    """How the project's briefs print timelines: "auto" (by length), "landscape" or "portrait"."""
    value = project.setting(PAGES_KEY)
    return value if value in TIMELINE_PAGES else "auto"


def remember_timeline_pages(project: ProjectStore, pages: str) -> None:
    """Keep the choice for every later export of the project: one transaction ("auto" clears it)."""
    if pages not in TIMELINE_PAGES:
        raise BriefingError(f"Timeline pages are {', '.join(TIMELINE_PAGES)}, not {pages!r}.")
    with project.transaction() as session:
        row = session.get(ProjectSetting, PAGES_KEY)
        if pages == "auto":
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(ProjectSetting(key=PAGES_KEY, value=pages))
        else:
            row.value = pages


def sole_briefing(project: ProjectStore) -> int:
    """The id of the project's only briefing; with several, an error listing them."""
    with project.session() as session:
        rows = session.execute(select(Briefing.id, Briefing.title).order_by(Briefing.id)).all()
    if len(rows) == 1:
        return int(rows[0].id)
    if not rows:
        raise BriefingError(f"{project.name} holds no briefing to export.")
    listed = "; ".join(f"[{r.id}] {r.title}" for r in rows)
    raise BriefingError(
        f"{project.name} holds {len(rows)} briefings ({listed}); choose one with --briefing."
    )


class ExportedFile(Protocol):
    """What the history keeps of a written file, PDF or Word."""

    @property
    def path(self) -> Path: ...

    @property
    def sha256(self) -> str: ...

    @property
    def pages(self) -> int: ...


def record_export(project: ProjectStore, briefing_id: int, result: ExportedFile) -> None:
    """Add the export to the briefing's history: one transaction."""
    with project.transaction() as session:
        session.add(
            ExportRecord(
                briefing_id=briefing_id,
                exported_at=utc_now(),
                analyst=project.analyst,
                file_name=result.path.name,
                sha256=result.sha256,
                pages=result.pages,
            )
        )


@dataclass(frozen=True)
class ExportJob:
    """An export cut where a window may hand the middle to a worker thread.

    :func:`pdf_job` reads the project; :meth:`steps` lays out and writes the file
    from the plain snapshot alone (no project, no Qt), so it may run on another
    thread; :func:`finish_export` records it in the project.
    """

    briefing_id: int
    snapshot: BriefingSnapshot
    path: Path
    tlp: Tlp | None
    pages: str = "auto"
    word_template: Path | None = None
    word: bool = False
    """A Word document (with ``word_template``) rather than a PDF."""

    def steps(self, check: Check = never) -> Generator[Progress, None, PdfResult | DocxResult]:
        """The export's steps; ``check`` may stop them mid-step (see :mod:`.export.cancel`)."""
        if self.word:
            return docx_steps(self.snapshot, self.path, self.tlp, self.word_template, check)
        return pdf_steps(self.snapshot, self.path, self.tlp, self.pages, check)


def pdf_job_steps(
    project: ProjectStore,
    briefing_id: int,
    path: Path,
    tlp: Tlp | None = None,
    changes: bool = False,
) -> Generator[Progress, None, ExportJob]:
    """Read what the PDF prints, a step at a time: the briefing and the project's page choice."""
    snapshot = yield from snapshot_steps(project, briefing_id, changes, tlp)
    return ExportJob(briefing_id, snapshot, Path(path), tlp, timeline_pages(project))


def pdf_job(
    project: ProjectStore,
    briefing_id: int,
    path: Path,
    tlp: Tlp | None = None,
    changes: bool = False,
) -> ExportJob:
    """Run :func:`pdf_job_steps` to the end."""
    return run_to_end(pdf_job_steps(project, briefing_id, path, tlp, changes))


def finish_export(
    project: ProjectStore, job: ExportJob, result: ExportedFile, record: bool
) -> None:
    """Record a written export in the briefing's history (not a preview, not when read-only)."""
    if record and not project.read_only:
        record_export(project, job.briefing_id, result)


def export_steps(
    project: ProjectStore,
    briefing_id: int,
    path: Path,
    tlp: Tlp | None = None,
    record: bool = True,
    changes: bool = False,
) -> Generator[Progress, None, PdfResult]:
    """Read the briefing, write the PDF, then record the export (unless the file is read-only).

    A preview passes ``record=False``: it is not an export that left the desk.
    ``changes`` adds the "Changes since edition N" section. Timelines are printed
    as the project's :func:`timeline_pages` says.
    """
    read = pdf_job_steps(project, briefing_id, path, tlp, changes)
    job = yield from scaled(read, 0.0, READ_SHARE)
    steps = pdf_steps(job.snapshot, job.path, job.tlp, job.pages)
    result = yield from scaled(steps, READ_SHARE, 1.0)
    finish_export(project, job, result, record)
    return result


def run_to_end(steps: Generator[Progress, None, T], progress: ProgressCallback | None = None) -> T:
    """Run export steps to the end, telling ``progress`` (a terminal's bar) how far they are."""
    while True:
        try:
            step = next(steps)
        except StopIteration as done:
            return done.value
        if progress is not None:
            progress(step.message, round(step.fraction * 1000), 1000)


def export_briefing(
    project: ProjectStore,
    briefing_id: int,
    path: Path,
    tlp: Tlp | None = None,
    changes: bool = False,
    progress: ProgressCallback | None = None,
) -> PdfResult:
    """Run :func:`export_steps` to the end."""
    return run_to_end(export_steps(project, briefing_id, path, tlp, changes=changes), progress)


def export_history(project: ProjectStore, briefing_id: int) -> list[ExportEntry]:
    """A briefing's exports, newest first."""
    with project.session() as session:
        rows = session.scalars(
            select(ExportRecord)
            .where(ExportRecord.briefing_id == briefing_id)
            .order_by(ExportRecord.exported_at.desc(), ExportRecord.id.desc())
        )
        return [ExportEntry(r.exported_at, r.analyst, r.file_name, r.sha256, r.pages) for r in rows]
