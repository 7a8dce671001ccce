"""File ▸ Export PDF…: choose the briefing and the file, show progress, offer to open the PDF.

The project is read on the window's thread a step at a time, then the brief is
laid out and written on a worker thread (:mod:`briefing.gui.exports.worker`),
with one progress bar and a live Cancel throughout; the export is recorded back
on the window's thread. The
PDF is written in one piece at the end, so a cancelled or failed export leaves no
half file. Each dialog is a module-level function, so tests can answer it by
replacing it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Generator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar, cast

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from briefing.errors import BriefingError
from briefing.export.cancel import CancelFlag, scaled
from briefing.export.markings import MarkingError, export_label, stricter_records
from briefing.export.pdf import PdfResult, Progress
from briefing.export.snapshot import BriefingSnapshot
from briefing.gui.dialogs import ask_to, tell
from briefing.gui.document import ProjectDocument
from briefing.gui.export_options import ExportOptions, ask_export_options
from briefing.gui.exports.warnings_bar import ExportWarnings
from briefing.gui.exports.worker import read_here, run_steps
from briefing.gui.settings import AppSettings
from briefing.model.vocab import Tlp, counted
from briefing.services.briefings import BriefingRow, list_briefings
from briefing.services.editions import list_editions
from briefing.services.pdf_export import (
    READ_SHARE,
    ExportJob,
    current_job,
    finish_export,
    job_steps,
    relabelled,
    remember_timeline_pages,
    timeline_pages,
)
from briefing.store.errors import database_reason
from briefing.store.project import Project

PDF_FILTER = "PDF documents (*.pdf);;All files (*)"
FOLDER_KEY = "export/folder"
CHANGES_KEY = "export/changes"
PROGRESS_DELAY_MS = 400
"""A short export finishes without a progress dialog flashing up."""

Steps = Generator[Progress, None, PdfResult]
T = TypeVar("T")


# ---------------------------------------------------------------------------- dialogs


def ask_pdf_path(parent: QWidget | None, suggested: Path) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, "Export PDF", str(suggested), PDF_FILTER)
    return Path(name) if name else None


def ask_raise_label(parent: QWidget | None, message: str, label: Tlp, verb: str) -> bool:
    """Ask, after a refusal for the marking, whether to raise the label for this export only."""
    return ask_to(
        parent, QMessageBox.Icon.Warning, "Marking too low", message,
        f"{verb} as {label.marking}",
        informative=f"You can {verb.lower()} this once marked {label.marking}; "
        "the briefing itself keeps its label.",
    )  # fmt: skip


def offer_to_open(parent: QWidget | None, message: str) -> bool:
    """Say the export is done; True if the user wants to open the PDF."""
    close = QMessageBox.StandardButton.Close
    return ask_to(parent, QMessageBox.Icon.Information, "PDF exported", message, "Open PDF", close)


def show_export_failure(parent: QWidget | None, message: str) -> None:
    tell(parent, QMessageBox.Icon.Warning, "Not exported", message)


def open_file(path: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


# ---------------------------------------------------------------------------- pieces


def pdf_file_name(title: str, as_of: datetime | None) -> str:
    """The briefing's title and as-of date (UTC), without characters file systems refuse."""
    stamp = f" {as_of.astimezone(UTC):%Y-%m-%d}" if as_of is not None else ""
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", f"{title}{stamp}")
    name = re.sub(r"\s+", " ", name).strip(" .") or "Briefing"
    return f"{name}.pdf"


def with_pdf_suffix(path: Path) -> Path:
    """`name` and `name.brief` become `name.pdf`/`name.brief.pdf`: never write over a project."""
    return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")


def _strictest(snapshot: BriefingSnapshot) -> Tlp | None:
    """The label the snapshot's strictest record needs, or None if none is stricter."""
    stricter = stricter_records(snapshot, snapshot.tlp)
    return stricter[0].tlp if stricter else None


CHECKING = "Checking the markings"
JobOrRead = ExportJob | Generator[Progress, None, ExportJob]
"""An export read already (by the marking check), or its read still to run."""


def agreed_label(
    parent: QWidget | None,
    project: Project,
    briefing_id: int,
    verb: str = "Export",
    changes: bool = False,
    word: bool = False,
    template: Path | None = None,
) -> tuple[bool, ExportJob | None]:
    """The marking check, asked before any file dialog: (go on?, the export read for it).

    The briefing is read once, as the export prints it, under a progress bar
    whose Cancel stops it (no export then); the export writes from that read
    (give it its path; it is read again if a record was marked more strictly
    meanwhile). A briefing whose records are all releasable at its own
    label goes on as it is; otherwise the analyst is told why and may raise the
    label for this export only. A read that fails leaves the job None: the
    export reads again and says what is wrong in its own words.
    """
    read = job_steps(project, briefing_id, Path(), None, changes, word, template)
    try:
        job = ProgressRun(parent, CHECKING).read(read)
    except (BriefingError, SQLAlchemyError):
        return True, None
    if job is None:
        return False, None
    try:
        export_label(job.snapshot)
    except MarkingError as refused:
        label = _strictest(job.snapshot)
        if label is None:
            show_export_failure(parent, str(refused))
            return False, None
        if not ask_raise_label(parent, str(refused), label, verb):
            return False, None
        return True, relabelled(project, job, label)
    return True, job


class ProgressRun:
    """Drive an export's steps on a worker thread under a progress dialog (see ``worker``).

    Cancel is honoured until the file is written (the step at 100 %); after that
    only the history row is left, and stopping then would leave an unrecorded PDF.
    ``written`` tells a caller whether a failure came after the file was written;
    ``job`` holds what was read, so a refusal for the marking need not read again.
    """

    def __init__(self, parent: QWidget | None, title: str) -> None:
        self.parent = parent
        self.title = title
        self.written = False
        self.job: ExportJob | None = None

    def _dialog(self) -> QProgressDialog:
        dialog = QProgressDialog(self.title, "Cancel", 0, 100, self.parent)
        dialog.setWindowTitle(self.title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(PROGRESS_DELAY_MS)
        dialog.setAutoReset(False)
        dialog.setAutoClose(False)
        return dialog

    def read(self, steps: Generator[Progress, None, T]) -> T | None:
        """Run read steps on this thread under the dialog; None if Cancel was pressed."""
        dialog = self._dialog()
        try:
            return cast(T | None, read_here(dialog, steps))
        finally:
            dialog.close()
            dialog.deleteLater()

    def run(self, steps: Steps, flag: CancelFlag | None = None) -> PdfResult | None:
        """The export's result, or None if the user cancelled (``flag``: see ``worker``)."""
        dialog = self._dialog()
        written = [False]
        try:
            return run_steps(dialog, steps, written, flag)
        finally:
            self.written = written[0]
            dialog.close()
            dialog.deleteLater()

    def run_job(self, project: Project, job: JobOrRead, record: bool, share: float) -> Any:
        """Read on this thread (unless read already), write the file on the worker, record it.

        A read made already is read again if a record it holds has since been
        marked more strictly (:func:`current_job`), so a stale read is never written.

        The read takes the first ``share`` of the bar; Cancel stops the read
        between its steps and the writing inside its long steps.
        """
        dialog = self._dialog()
        flag = CancelFlag()
        written = [False]
        start = 0.0
        try:
            if isinstance(job, ExportJob):
                job = current_job(project, job)
            if not isinstance(job, ExportJob):
                job, start = read_here(dialog, scaled(job, 0.0, share)), share
                if job is None:
                    return None
            self.job = job
            steps = scaled(job.steps(flag.check), start, 1.0)
            result = run_steps(dialog, steps, written, flag)
        finally:
            self.written = written[0]
            dialog.close()
            dialog.deleteLater()
        if result is not None:
            finish_export(project, job, result, record)
        return result


def write_job(
    parent: QWidget | None,
    project: Project,
    job: JobOrRead,
    record: bool = True,
    title: str = "Exporting PDF",
    running: Callable[[bool], None] | None = None,
    share: float = READ_SHARE,
) -> Any:
    """Export, offering to raise the label if refused for it; None (after saying why) if not.

    A refusal for the marking asks about the very read that was refused, so the
    briefing is read once whatever the answer. ``running`` is told when the
    writing starts and ends (the preview holds its own layout meanwhile).
    """
    verb = "Export" if record else "Preview"
    run = ProgressRun(parent, title)
    try:
        return _attempt(parent, run, project, job, record, running, share)
    except MarkingError as refused:
        label = _strictest(run.job.snapshot) if run.job is not None else None
        if run.job is None or label is None:
            show_export_failure(parent, str(refused))
            return None
        if not ask_raise_label(parent, str(refused), label, verb):
            return None
        job = relabelled(project, run.job, label)
    try:
        run = ProgressRun(parent, title)
        return _attempt(parent, run, project, job, record, running, share)
    except MarkingError as refused:  # cannot be raised twice, but say so if it is
        show_export_failure(parent, str(refused))
        return None


def _attempt(
    parent: QWidget | None,
    run: ProgressRun,
    project: Project,
    job: JobOrRead,
    record: bool,
    running: Callable[[bool], None] | None,
    share: float,
) -> Any:
    """One run under a progress dialog; failures other than the marking are shown here."""
    try:
        if running is not None:
            running(True)
        try:
            return run.run_job(project, job, record, share)
        finally:
            if running is not None:
                running(False)
    except MarkingError:
        raise
    except BriefingError as error:
        show_export_failure(parent, str(error))
    except SQLAlchemyError as error:
        target = run.job.path if run.job is not None else Path()
        show_export_failure(parent, _storage_message(error, target, run.written))
    return None


# ---------------------------------------------------------------------------- the flow


class PdfExporter(QObject):
    """Export PDF… and the preview's export, with the same marking check and failures."""

    pdfExported = Signal(int)
    """A briefing (by id) was exported; its history may have a new row."""
    running = Signal(bool)
    """An export run began (True) or ended (False): ReportLab is busy on a worker meanwhile."""

    def __init__(self, parent: QWidget, settings: AppSettings) -> None:
        super().__init__(parent)
        self._parent = parent
        self.settings = settings
        self.warnings = ExportWarnings(parent) if isinstance(parent, QMainWindow) else None

    def export(self, document: ProjectDocument, current: int | None = None) -> PdfResult | None:
        """The whole File ▸ Export PDF… flow; the result, or None if nothing was exported."""
        project = document.project
        options = self._choose(project, current)
        if options is None:
            return None
        row = next(r for r in list_briefings(project) if r.id == options.briefing_id)
        go_on, job = agreed_label(self._parent, project, row.id, changes=options.changes)
        if not go_on:
            return None
        path = ask_pdf_path(self._parent, self._suggested_path(project, row))
        if path is None:
            return None
        path = with_pdf_suffix(path)
        if _same_file(path, project.path):
            show_export_failure(self._parent, f"{path.name} is the project file itself.")
            return None
        self.settings.qsettings.setValue(FOLDER_KEY, str(path.parent))
        read: JobOrRead = (
            replace(job, path=path)
            if job is not None
            else job_steps(project, row.id, path, None, options.changes)
        )
        result = self._write(project, read, record=True)
        if result is None:
            return None
        self.pdfExported.emit(row.id)
        if self.warnings is not None:
            self.warnings.show(result.path.name, result.warnings)
        message = _done_message(result, project.read_only, listed=self.warnings is not None)
        if offer_to_open(self._parent, message):
            open_file(result.path)
        return result

    @property
    def include_changes(self) -> bool:
        """Whether the analyst last chose to add the changes since the previous edition."""
        return bool(self.settings.qsettings.value(CHANGES_KEY, False, type=bool))

    def write(
        self,
        project: Project,
        briefing_id: int,
        path: Path,
        record: bool,
        changes: bool = False,
    ) -> PdfResult | None:
        """Read and export, offering to raise the label if refused; None (after saying why) if not.

        A preview passes ``record=False``.
        """
        return self._write(project, job_steps(project, briefing_id, path, None, changes), record)

    def _write(self, project: Project, job: JobOrRead, record: bool) -> PdfResult | None:
        title = "Exporting PDF" if record else "Laying out the preview"
        result = write_job(self._parent, project, job, record, title, self.running.emit)
        return cast(PdfResult | None, result)

    def _choose(self, project: Project, current: int | None) -> ExportOptions | None:
        """The briefing and options; the timeline pages chosen are kept in the project."""
        rows = list_briefings(project)
        if not rows:
            show_export_failure(
                self._parent,
                f"{project.name} holds no briefing to export; create one in the Briefing tab.",
            )
            return None
        with_editions = {row.id for row in rows if list_editions(project, row.id)}
        pages = timeline_pages(project)
        options = ask_export_options(
            self._parent, rows, current, with_editions, self.include_changes, pages
        )
        if options is not None and options.briefing_id in with_editions:
            self.settings.qsettings.setValue(CHANGES_KEY, options.changes)
        if options is not None and options.pages != pages and not project.read_only:
            try:
                remember_timeline_pages(project, options.pages)
            except (BriefingError, SQLAlchemyError) as error:
                reason = database_reason(error)
                show_export_failure(
                    self._parent, f"The timeline pages could not be kept in the project ({reason})."
                )
                return None
        return options

    def _suggested_path(self, project: Project, row: BriefingRow) -> Path:
        folder = str(self.settings.qsettings.value(FOLDER_KEY, "") or "")
        start = Path(folder) if folder and Path(folder).is_dir() else project.path.parent
        return start / pdf_file_name(row.title, row.as_of)


def _done_message(result: PdfResult, read_only: bool, listed: bool = False) -> str:
    """What the export did; warnings in full, or (``listed`` in the window) how many."""
    pages = counted("page", result.pages)
    text = f"Exported {pages} marked {result.label.marking} to {result.path}."
    if read_only:
        text += " The project is open read-only, so the export was not added to its history."
    if listed and result.warnings:
        text += "\n\nThe export's warnings are listed at the top of the window."
        return text
    for warning in result.warnings:
        text += f"\n\nWarning: {warning}"
    return text


def _storage_message(error: SQLAlchemyError, path: Path, written: bool) -> str:
    reason = database_reason(error)
    if written:
        return (
            f"{path.name} was written, but the export could not be added to the project's "
            f"history ({reason})."
        )
    return f"The briefing could not be read from the project ({reason}); nothing was exported."


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False
