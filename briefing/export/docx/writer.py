"""Export a briefing snapshot to a Word document, in the house template's styles.

:func:`docx_steps` is a generator yielding :class:`Progress`, as the PDF's, so a
window can show progress without a thread; :func:`export_docx` runs it to the end.
The same marking check as the PDF's comes first; the file is written in one
piece through :mod:`briefing.files`, so a failed or cancelled export leaves none.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Generator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from docx.document import Document

from briefing import files
from briefing.export.cancel import Check, never, run_to_end
from briefing.export.docx.body import Body
from briefing.export.docx.fields import mark_every_page
from briefing.export.docx.house import open_house
from briefing.export.docx.runs import literal
from briefing.export.docx.sheet import Sheet
from briefing.export.markings import export_label
from briefing.export.pdf import CREATOR, Progress
from briefing.export.snapshot import BriefingSnapshot
from briefing.export.times import date_group
from briefing.model.vocab import Tlp

TEXT_LIMIT = 255
"""Longest core property Word shows without complaint."""


@dataclass(frozen=True)
class DocxResult:
    path: Path
    sha256: str
    size: int
    label: Tlp
    pages: int = 0
    """Word lays the pages out when it opens the file; the count is not known here."""


def _short(text: str) -> str:
    text = " ".join(literal(text).split())
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"


def _properties(document: Document, snapshot: BriefingSnapshot, label: Tlp) -> None:
    """Title, author, subject and keywords (with the marking), replacing the template's."""
    props = document.core_properties
    props.title = _short(snapshot.title)
    props.author = _short(snapshot.authors)
    props.last_modified_by = _short(snapshot.authors)
    props.subject = (
        _short(snapshot.subtitle) or f"Conflict briefing as of {date_group(snapshot.as_of)}"
    )
    props.keywords = _short("; ".join([label.marking, snapshot.status.value, *snapshot.tags]))
    props.category = label.marking
    props.content_status = snapshot.status.value.capitalize()
    props.comments = f"Marked {label.marking}. Written by {CREATOR}."
    props.identifier = snapshot.uuid
    now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    props.created = props.modified = now
    props.revision = 1
    props.version = ""


def docx_steps(
    snapshot: BriefingSnapshot,
    path: Path,
    tlp: Tlp | None = None,
    template: Path | None = None,
    check: Check = never,
) -> Generator[Progress, None, DocxResult]:
    """Check the marking, write the brief into the template, save it; returns the result.

    ``check`` may stop it inside a long table (see :mod:`briefing.export.cancel`).
    """
    label = export_label(snapshot, tlp)
    yield Progress(0.0, "Opening the template" if template else "Preparing the document")
    document = open_house(template)
    sheet = Sheet(document)
    for share in Body(sheet, snapshot, label, check).steps():
        yield Progress(0.02 + 0.8 * share, "Writing the brief")
    running = ("DRAFT · " if snapshot.status.value == "draft" else "") + snapshot.title
    mark_every_page(sheet, label, running, date_group(snapshot.as_of))
    _properties(document, snapshot, label)
    yield Progress(0.85, "Packing the document")
    stream = io.BytesIO()
    document.save(stream)
    data = sheet.parked.splice(stream.getvalue(), document.part.partname.lstrip("/"))
    yield Progress(0.95, "Writing the file")
    path = Path(path)
    files.write_bytes(path, data)
    yield Progress(1.0, f"Exported {path.name}")
    return DocxResult(path, hashlib.sha256(data).hexdigest(), len(data), label)


def export_docx(
    snapshot: BriefingSnapshot, path: Path, tlp: Tlp | None = None, template: Path | None = None
) -> DocxResult:
    """Run :func:`docx_steps` to the end."""
    return run_to_end(docx_steps(snapshot, path, tlp, template))
