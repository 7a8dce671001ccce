"""Export a briefing of an open project to PDF and remember the export in the project.

The window and the command line both call :func:`export_steps` (a generator, so
the window can show progress without a thread) or :func:`export_briefing`. Word
goes the same way (:mod:`.docx_export`), from the same :class:`ExportJob`.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Protocol, cast

from sqlalchemy import select

from briefing.errors import BriefingError
from briefing.export.cancel import Check, Told, never, run_to_end, scaled
from briefing.export.docx import DocxResult, docx_steps
from briefing.export.pdf import PdfResult, Progress, pdf_steps
from briefing.export.snapshot import BriefingSnapshot
from briefing.export.styles import TIMELINE_PAGES
from briefing.model import (
    RECORD_KINDS,
    Briefing,
    ExportRecord,
    Party,
    ProjectSetting,
    Relationship,
    Source,
    Statement,
    TimelineEntry,
    utc_now,
)
from briefing.model.base import RecordMixin
from briefing.model.vocab import Tlp
from briefing.services.briefing_snapshot import ORGANISATION_KEY, snapshot_steps
from briefing.services.edition_section import changes_section
from briefing.store.interface import ProjectStore

PAGES_KEY = "pdf_timeline_pages"
READ_SHARE = 0.05
"""The part of a PDF export's progress bar given to reading the briefing (a twentieth of it)."""
WORD_READ_SHARE = 0.25
"""The same for Word, whose writing is quicker (a quarter of it)."""
_MODEL_OF_KIND: dict[str, type[RecordMixin]] = {
    "timeline entry": TimelineEntry,
    "statement": Statement,
    "relationship": Relationship,
    "party": Party,
    "source": Source,
}
"""The model behind each kind of record a snapshot lists as ``included``."""
_LOOKUP_CHUNK = 500


def _rank(label: Tlp) -> int:
    return label.rank


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
    keep_setting(project, ORGANISATION_KEY, " ".join(name.split()) or None)


def timeline_pages(project: ProjectStore) -> str:
    """How the project's briefs print timelines: "auto" (by length), "landscape" or "portrait"."""
    value = project.setting(PAGES_KEY)
    return value if value in TIMELINE_PAGES else "auto"


def remember_timeline_pages(project: ProjectStore, pages: str) -> None:
    """Keep the choice for every later export of the project: one transaction ("auto" clears it)."""
    if pages not in TIMELINE_PAGES:
        raise BriefingError(f"Timeline pages are {', '.join(TIMELINE_PAGES)}, not {pages!r}.")
    keep_setting(project, PAGES_KEY, None if pages == "auto" else pages)


def keep_setting(project: ProjectStore, key: str, value: str | None) -> None:
    """Set one of the project's export settings, or forget it (None): one transaction."""
    with project.transaction() as session:
        row = session.get(ProjectSetting, key)
        if value is None:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(ProjectSetting(key=key, value=value))
        else:
            row.value = value


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

    :func:`job_steps` reads the project; :meth:`steps` lays out and writes the
    file from the plain snapshot alone (no project, no Qt), so it may run on
    another thread; :func:`finish_export` records it in the project.
    """

    briefing_id: int
    snapshot: BriefingSnapshot
    path: Path
    tlp: Tlp | None
    pages: str = "auto"
    word_template: Path | None = None
    word: bool = False
    """A Word document (with ``word_template``) rather than a PDF."""
    changes: bool = False
    """The snapshot carries the "Changes since edition N" section."""

    def steps(self, check: Check = never) -> Generator[Progress, None, PdfResult | DocxResult]:
        """The export's steps; ``check`` may stop them mid-step (see :mod:`.export.cancel`)."""
        if self.word:
            return docx_steps(self.snapshot, self.path, self.tlp, self.word_template, check)
        return pdf_steps(self.snapshot, self.path, self.tlp, self.pages, check)


def job_steps(
    project: ProjectStore,
    briefing_id: int,
    path: Path,
    tlp: Tlp | None = None,
    changes: bool = False,
    word: bool = False,
    template: Path | None = None,
) -> Generator[Progress, None, ExportJob]:
    """Read what the file prints, a step at a time: the briefing and the project's choices.

    ``word`` reads for a Word document (with ``template``), else for a PDF printed
    as the project's :func:`timeline_pages` say. ``changes`` adds the "Changes
    since edition N" section, holding what a document marked ``tlp`` may hold.
    """
    snapshot = yield from snapshot_steps(project, briefing_id, changes, tlp)
    pages = timeline_pages(project)
    return ExportJob(briefing_id, snapshot, Path(path), tlp, pages, template, word, changes)


def relabelled(project: ProjectStore, job: ExportJob, tlp: Tlp | None) -> ExportJob:
    """The same read, marked ``tlp``: only its changes section depends on the label."""
    snapshot = job.snapshot
    if job.changes:
        snapshot = replace(snapshot, changes=changes_section(project, job.briefing_id, tlp))
    return replace(job, snapshot=snapshot, tlp=tlp)


def relabelled_since(project: ProjectStore, job: ExportJob) -> bool:
    """Whether the briefing or a record the read holds is now marked more strictly, or gone.

    The records the "Changes since edition N" section names count too (its items'
    and those their frozen text names): the section holds only records a document
    at its label may hold, so one now marked above that label (or gone) means the
    section must be read again. Only the labels
    are read again (a query per kind, by uuid), so a window can ask this cheaply
    just before writing a read made before a file dialog.
    """
    snapshot = job.snapshot
    wanted: dict[type[RecordMixin], dict[str, Tlp]] = {Briefing: {snapshot.uuid: snapshot.tlp}}
    for marked in snapshot.included:
        model = _MODEL_OF_KIND.get(marked.kind)
        if model is None or not marked.uuid:
            return True  # not one we can look up: read it all again
        wanted.setdefault(model, {})[marked.uuid] = marked.tlp
    section_label = job.tlp or snapshot.tlp
    for kind, uuid in snapshot.changes.records if snapshot.changes else ():
        if kind not in RECORD_KINDS:
            return True  # a name frozen without its UUID: read it all again
        labels = wanted.setdefault(RECORD_KINDS[kind], {})
        labels[uuid] = min(labels.get(uuid, section_label), section_label, key=_rank)
    with project.session() as session:
        for model, labels in wanted.items():
            uuids = sorted(labels)
            now: dict[str, Tlp] = {}
            for start in range(0, len(uuids), _LOOKUP_CHUNK):
                chunk = uuids[start : start + _LOOKUP_CHUNK]
                rows = session.execute(select(model.uuid, model.tlp).where(model.uuid.in_(chunk)))
                now.update((row.uuid, Tlp(row.tlp)) for row in rows)
            if any(u not in now or now[u].rank > labels[u].rank for u in uuids):
                return True
    return False


def current_job(
    project: ProjectStore, job: ExportJob
) -> ExportJob | Generator[Progress, None, ExportJob]:
    """The read itself if still good to write; else its read again, to be checked anew.

    A colleague may mark a record more strictly (or delete it) while the file
    dialog is open; the read made before it must not then be written under the
    old label. The read again keeps the label asked for, so the marking check
    refuses or asks as it does for any read.
    """
    if not relabelled_since(project, job):
        return job
    return job_steps(
        project, job.briefing_id, job.path, job.tlp, job.changes, job.word, job.word_template
    )


def finish_export(
    project: ProjectStore, job: ExportJob, result: ExportedFile, record: bool
) -> None:
    """Record a written export in the briefing's history (not a preview, not when read-only)."""
    if record and not project.read_only:
        record_export(project, job.briefing_id, result)


def read_share(word: bool) -> float:
    """The part of an export's progress bar given to reading the briefing."""
    return WORD_READ_SHARE if word else READ_SHARE


def export_steps(
    project: ProjectStore,
    briefing_id: int,
    path: Path,
    tlp: Tlp | None = None,
    record: bool = True,
    changes: bool = False,
    word: bool = False,
    template: Path | None = None,
) -> Generator[Progress, None, PdfResult | DocxResult]:
    """Read the briefing, write the file, then record the export (unless the file is read-only).

    A preview passes ``record=False``: it is not an export that left the desk.
    The arguments are :func:`job_steps`'s.
    """
    share = read_share(word)
    read = job_steps(project, briefing_id, path, tlp, changes, word, template)
    job = yield from scaled(read, 0.0, share)
    result = yield from scaled(job.steps(), share, 1.0)
    finish_export(project, job, result, record)
    return result


def export_briefing(
    project: ProjectStore,
    briefing_id: int,
    path: Path,
    tlp: Tlp | None = None,
    changes: bool = False,
    progress: Told | None = None,
) -> PdfResult:
    """Run :func:`export_steps` to the end, for a PDF."""
    steps = export_steps(project, briefing_id, path, tlp, changes=changes)
    return cast(PdfResult, run_to_end(steps, progress))


def export_history(project: ProjectStore, briefing_id: int) -> list[ExportEntry]:
    """A briefing's exports, newest first."""
    with project.session() as session:
        rows = session.scalars(
            select(ExportRecord)
            .where(ExportRecord.briefing_id == briefing_id)
            .order_by(ExportRecord.exported_at.desc(), ExportRecord.id.desc())
        )
        return [ExportEntry(r.exported_at, r.analyst, r.file_name, r.sha256, r.pages) for r in rows]
