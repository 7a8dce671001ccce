"""Export a briefing snapshot to a PDF brief.

:func:`pdf_steps` is a generator yielding :class:`Progress` after each page, so a
window can draw a progress bar without a thread; :func:`export_pdf` runs it to
the end. Nothing here reads a file or fetches anything because of project text.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Generator, Iterator
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path

from reportlab.platypus.doctemplate import LayoutError

from briefing import __version__, files
from briefing.errors import BriefingError
from briefing.export.fonts import missing_glyphs
from briefing.export.markings import export_label
from briefing.export.pages import BriefDocTemplate, Marks, PageFrame, layout
from briefing.export.snapshot import BriefingSnapshot
from briefing.export.story import StoryBuilder
from briefing.export.styles import styles
from briefing.export.text import clean
from briefing.export.times import date_group
from briefing.model.vocab import Tlp

CREATOR = f"Conflict Briefing {__version__}"


@dataclass(frozen=True)
class Progress:
    """How far an export is (0 to 1) and what it is doing, in words for a progress bar."""

    fraction: float
    message: str


@dataclass(frozen=True)
class PdfResult:
    path: Path
    pages: int
    sha256: str
    size: int
    label: Tlp


def texts(value: object) -> Iterator[str]:
    """Every string a snapshot holds, for the glyph check."""
    if isinstance(value, str):
        yield value
    elif is_dataclass(value):
        for field in fields(value):
            yield from texts(getattr(value, field.name))
    elif isinstance(value, tuple):
        for item in value:
            yield from texts(item)


def check_glyphs(snapshot: BriefingSnapshot) -> None:
    """Refuse, naming them, characters the fonts cannot draw: no name may print as a box."""
    missing = missing_glyphs(texts(snapshot))
    if not missing:
        return
    named = ", ".join(f"{c} (U+{ord(c):04X})" for c in missing[:8])
    more = f" and {len(missing) - 8} more" if len(missing) > 8 else ""
    context = next(t for t in texts(snapshot) if missing[0] in t)
    at = context.index(missing[0])
    excerpt = clean(context[max(at - 20, 0) : at + 20]).replace("\n", " ")
    raise BriefingError(
        f"The PDF fonts cannot show {named}{more} (first in “{excerpt}”); "
        "transliterate or remove these characters."
    )


def _document(snapshot: BriefingSnapshot, label: Tlp, stream: io.BytesIO, marks: Marks):
    frame = PageFrame(
        label=label,
        running_title=clean(snapshot.title),
        as_of=date_group(snapshot.as_of),
        draft=snapshot.status.value == "draft",
    )
    return BriefDocTemplate(
        stream,
        frame,
        marks,
        title=clean(snapshot.title),
        author=clean(snapshot.authors),
        subject=clean(snapshot.subtitle) or f"Conflict briefing as of {date_group(snapshot.as_of)}",
        keywords=[label.marking, snapshot.status.value, *(clean(t) for t in snapshot.tags)],
        creator=CREATOR,
    )


def write_file(path: Path, data: bytes) -> None:
    """Write whole or not at all, never through a planted link (see :mod:`briefing.files`)."""
    files.write_bytes(path, data)


def pdf_steps(
    snapshot: BriefingSnapshot, path: Path, tlp: Tlp | None = None
) -> Generator[Progress, None, PdfResult]:
    """Check markings and glyphs, lay the brief out page by page, write it; returns the result."""
    label = export_label(snapshot, tlp)
    yield Progress(0.0, "Checking fonts")
    check_glyphs(snapshot)
    marks = Marks()
    story = StoryBuilder(snapshot, label, styles(), marks).build()
    stream = io.BytesIO()
    doc = _document(snapshot, label, stream, marks)
    yield Progress(0.05, "Laying out pages")
    try:
        for share in layout(doc, story):
            yield Progress(0.05 + 0.9 * share, f"Laid out page {doc.page - 1}")
    except LayoutError as error:
        raise BriefingError(
            "Part of the briefing cannot be fitted on a page; shorten the longest text."
        ) from error
    data = stream.getvalue()
    yield Progress(0.97, "Writing the file")
    path = Path(path)
    write_file(path, data)
    yield Progress(1.0, f"Exported {marks.total} pages")
    return PdfResult(path, marks.total, hashlib.sha256(data).hexdigest(), len(data), label)


def export_pdf(snapshot: BriefingSnapshot, path: Path, tlp: Tlp | None = None) -> PdfResult:
    """Run :func:`pdf_steps` to the end."""
    steps = pdf_steps(snapshot, path, tlp)
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value
