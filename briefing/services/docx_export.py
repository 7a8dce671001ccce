"""Export a briefing of an open project to Word and remember the export in the project.

The window and the command line both call :func:`~.pdf_export.export_steps` with
``word=True`` (a generator, so the window can show progress without a thread) or
:func:`export_briefing_docx`. The house template chosen for a project is kept in
the project's settings, so every analyst exporting from the same file gets the
same look.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

from briefing.export.cancel import Told, run_to_end
from briefing.export.docx import DocxResult
from briefing.model.vocab import Tlp
from briefing.services.pdf_export import export_steps, keep_setting
from briefing.store.interface import ProjectStore

TEMPLATE_KEY = "docx_template"


def house_template(project: ProjectStore) -> Path | None:
    """The Word template remembered for this project, if any."""
    value = project.setting(TEMPLATE_KEY)
    return Path(value) if value else None


def remember_template(project: ProjectStore, template: Path | None) -> None:
    """Keep (or forget, with None) the project's Word template: one transaction."""
    keep_setting(project, TEMPLATE_KEY, None if template is None else str(template))


def export_briefing_docx(
    project: ProjectStore,
    briefing_id: int,
    path: Path,
    tlp: Tlp | None = None,
    template: Path | None = None,
    changes: bool = False,
    progress: Told | None = None,
) -> DocxResult:
    """Read the briefing, write the Word file, then record the export (unless read-only)."""
    steps = export_steps(project, briefing_id, path, tlp, True, changes, True, template)
    return cast(DocxResult, run_to_end(steps, progress))
