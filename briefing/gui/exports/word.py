"""File ▸ Export Word…: choose the briefing, the template and the file; progress; offer to open.

The same flow as the PDF's (:mod:`briefing.gui.export_pdf`): the exporter is a
generator drawn under a progress dialog with Cancel, a refusal for the marking
offers to raise the label for this export, and the file is written in one piece
at the end. The house template chosen is remembered in the project. Each dialog
is a module-level function, so tests can answer it by replacing it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from briefing.export.docx import DocxResult
from briefing.gui import export_pdf
from briefing.gui.dialogs import ask_to
from briefing.gui.document import ProjectDocument
from briefing.gui.exports.word_options import WordOptions, ask_word_options
from briefing.gui.settings import AppSettings
from briefing.services.briefings import list_briefings
from briefing.services.docx_export import house_template, remember_template
from briefing.services.editions import list_editions
from briefing.services.pdf_export import WORD_READ_SHARE, job_steps
from briefing.store.project import Project

DOCX_FILTER = "Word documents (*.docx);;All files (*)"


def ask_docx_path(parent: QWidget | None, suggested: Path) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, "Export Word", str(suggested), DOCX_FILTER)
    return Path(name) if name else None


def offer_to_open(parent: QWidget | None, message: str) -> bool:
    """Say the export is done; True if the user wants to open the document."""
    return ask_to(
        parent, QMessageBox.Icon.Information, "Word document exported", message,
        "Open Document", QMessageBox.StandardButton.Close,
    )  # fmt: skip


def with_docx_suffix(path: Path) -> Path:
    """`name` and `name.brief` become `name.docx`/`name.brief.docx`: never write over a project."""
    return path if path.suffix.lower() == ".docx" else path.with_name(path.name + ".docx")


class WordExporter(QObject):
    """The whole File ▸ Export Word… flow."""

    docxExported = Signal(int)
    """A briefing (by id) was exported; its history has a new row."""

    def __init__(self, parent: QWidget, settings: AppSettings) -> None:
        super().__init__(parent)
        self._parent = parent
        self.settings = settings
        self._shown_template: Path | None = None

    def export(self, document: ProjectDocument, current: int | None = None) -> DocxResult | None:
        """Ask, export and offer to open; the result, or None if nothing was exported."""
        project = document.project
        options = self._choose(project, current)
        if options is None:
            return None
        if options.template != self._shown_template and not project.read_only:
            remember_template(project, options.template)
        row = next(r for r in list_briefings(project) if r.id == options.briefing_id)
        go_on, job = export_pdf.agreed_label(
            self._parent, project, row.id, "Export", options.changes, True, options.template
        )
        if not go_on:
            return None
        name = export_pdf.pdf_file_name(row.title, row.as_of).removesuffix(".pdf") + ".docx"
        path = ask_docx_path(self._parent, self._folder(project) / name)
        if path is None:
            return None
        path = with_docx_suffix(path)
        if export_pdf._same_file(path, project.path):
            export_pdf.show_export_failure(self._parent, f"{path.name} is the project file itself.")
            return None
        self.settings.qsettings.setValue(export_pdf.FOLDER_KEY, str(path.parent))
        read: export_pdf.JobOrRead = (
            replace(job, path=path)
            if job is not None
            else job_steps(project, row.id, path, None, options.changes, True, options.template)
        )
        result = export_pdf.write_job(
            self._parent, project, read, True, "Exporting Word", share=WORD_READ_SHARE
        )
        if result is None:
            return None
        self.docxExported.emit(row.id)
        if offer_to_open(self._parent, _done_message(result, project.read_only)):
            export_pdf.open_file(result.path)
        return result

    def _folder(self, project: Project) -> Path:
        folder = str(self.settings.qsettings.value(export_pdf.FOLDER_KEY, "") or "")
        return Path(folder) if folder and Path(folder).is_dir() else project.path.parent

    def _choose(self, project: Project, current: int | None) -> WordOptions | None:
        rows = list_briefings(project)
        if not rows:
            export_pdf.show_export_failure(
                self._parent,
                f"{project.name} holds no briefing to export; create one in the Briefing tab.",
            )
            return None
        with_editions = {row.id for row in rows if list_editions(project, row.id)}
        changes = bool(self.settings.qsettings.value(export_pdf.CHANGES_KEY, False, type=bool))
        remembered = house_template(project)
        # A colleague's template path may not exist here: offer the clean style, keep theirs.
        self._shown_template = remembered if remembered and remembered.is_file() else None
        return ask_word_options(
            self._parent, rows, current, with_editions, changes,
            self._shown_template, self._folder(project),
        )  # fmt: skip


def _done_message(result: DocxResult, read_only: bool) -> str:
    text = f"Exported a Word document marked {result.label.marking} to {result.path}."
    if read_only:
        text += " The project is open read-only, so the export was not added to its history."
    return text
