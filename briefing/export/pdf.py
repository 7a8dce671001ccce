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
from briefing.export import scripts
from briefing.export.cancel import Check, Progress, never, run_to_end
from briefing.export.fonts import font_chain
from briefing.export.markings import export_label
from briefing.export.pages import BriefDocTemplate, Marks, PageFrame, layout
from briefing.export.snapshot import BriefingSnapshot
from briefing.export.story import StoryBuilder
from briefing.export.styles import styles
from briefing.export.text import clean
from briefing.export.times import date_group
from briefing.model.vocab import Tlp, Verification

CREATOR = f"Conflict Briefing {__version__}"
WEAK_GRADES = ("E", "F")
"""Source reliability grades that cannot carry a confirmed entry alone (Admiralty scale)."""


@dataclass(frozen=True)
class PdfResult:
    path: Path
    pages: int
    sha256: str
    size: int
    label: Tlp
    warnings: tuple[str, ...] = ()


_KINDS = {"EntryView": "timeline entry", "StatementView": "statement", "PartyView": "party",
          "RelationshipView": "relationship", "SourceNote": "source", "SectionView": "section",
          "JudgmentView": "key judgment", "BriefingSnapshot": "briefing"}  # fmt: skip


def _name(record: object) -> str:
    """How a warning names a record: its kind and its title (or who said it)."""
    kind = _KINDS.get(type(record).__name__, "record")
    for attr in ("title", "heading", "attribution", "label", "name", "text"):
        value = getattr(record, attr, "")
        if isinstance(value, str) and value.strip():
            words = clean(value).replace("\n", " ")
            return f"{kind} “{words[:40] + ('…' if len(words) > 40 else '')}”"
    return kind


def texts(
    value: object, record: object = None, field: str = ""
) -> Iterator[tuple[object, str, str]]:
    """Every string a snapshot holds, with the record and field it belongs to."""
    if isinstance(value, str):
        yield record, field, value
    elif is_dataclass(value):
        for item in fields(value):
            yield from texts(getattr(value, item.name), value, item.name)
    elif isinstance(value, tuple):
        for item in value:
            yield from texts(item, record, field)


def glyph_warnings(snapshot: BriefingSnapshot) -> list[str]:
    """One sentence per record field holding characters no shipped font has (printed as □)."""
    chain = font_chain()
    found: dict[tuple[int, str], tuple[object, str, list[str]]] = {}
    for record, field, text in texts(snapshot):
        if text.isascii() or type(record).__name__ not in _KINDS:
            continue  # other records (the list of markings) repeat a title named elsewhere
        missing = scripts.unknown(clean(text), chain)
        if missing:
            key = (id(record), field)
            known = found.setdefault(key, (record, field, []))[2]
            known += [c for c in missing if c not in known]
    return [
        f"{_name(record)}, field {field.replace('_', ' ')}: no shipped font shows "
        f"{', '.join(f'U+{ord(c):04X}' for c in chars)}; printed as {scripts.PLACEHOLDER}."
        for record, field, chars in found.values()
    ]


def content_warnings(snapshot: BriefingSnapshot) -> list[str]:
    """What an editor would send back: no bottom line, no judgments, a weak source confirming."""
    found = []
    if not snapshot.bluf.strip():
        found.append("The briefing has no bottom line up front; the brief opens without one.")
    if not snapshot.judgments:
        found.append("The briefing has no key judgments; the brief prints none.")
    weak = {n.number for n in snapshot.sources if n.reliability.value in WEAK_GRADES}
    for entry in snapshot.timeline():
        cited = sorted(set(entry.notes) & weak)
        if entry.status is Verification.CONFIRMED and cited:
            grades = ", ".join(f"[{n}] {snapshot.source(n).reliability.value}" for n in cited)
            found.append(
                f"{_name(entry)} is marked confirmed but cites a source graded "
                f"{grades}; check the grading or the status."
            )
    return found


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
    snapshot: BriefingSnapshot,
    path: Path,
    tlp: Tlp | None = None,
    pages: str = "auto",
    check: Check = never,
) -> Generator[Progress, None, PdfResult]:
    """Check markings and glyphs (warnings only), lay the brief out page by page, write it.

    ``pages`` prints timelines by length, in landscape or in portrait (see ``TIMELINE_PAGES``);
    ``check`` may stop the export while the story is put together (:mod:`.cancel`).
    """
    label = export_label(snapshot, tlp)
    yield Progress(0.0, "Checking fonts")
    warnings = tuple(content_warnings(snapshot) + glyph_warnings(snapshot))
    marks = Marks()
    yield Progress(0.01, "Putting the brief together")
    story = StoryBuilder(snapshot, label, styles(), marks, pages, check).build()
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
    digest = hashlib.sha256(data).hexdigest()
    return PdfResult(path, marks.total, digest, len(data), label, warnings)


def export_pdf(
    snapshot: BriefingSnapshot, path: Path, tlp: Tlp | None = None, pages: str = "auto"
) -> PdfResult:
    """Run :func:`pdf_steps` to the end."""
    return run_to_end(pdf_steps(snapshot, path, tlp, pages))
