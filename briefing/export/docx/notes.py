"""Numbered source notes with their Admiralty grades, each a bookmark that citations link to.

python-docx has no footnotes, so the notes are a numbered table at the end of the
brief, as in the PDF; every ``[n]`` in the text is a link to note ``n``.
"""

from __future__ import annotations

from docx.text.paragraph import Paragraph

from briefing.export import times
from briefing.export.docx.runs import Look, add_jump, add_link, add_text
from briefing.export.docx.sheet import Sheet
from briefing.export.snapshot import Moment, SourceNote
from briefing.model.vocab import Precision


def bookmark(number: int) -> str:
    return f"note_{number}"


def cite(sheet: Sheet, paragraph: Paragraph, numbers: tuple[int, ...] | list[int],
         suffix: dict[int, str] | None = None) -> None:  # fmt: skip
    """``[1], [4]`` as links to the notes (``suffix`` adds a grade after each number)."""
    for index, number in enumerate(numbers):
        if index:
            add_text(paragraph, ", ")
        add_jump(paragraph, f"[{number}]", bookmark(number), Look(style=sheet.style("Hyperlink")))
        if suffix and number in suffix:
            add_text(paragraph, f" {suffix[number]}")


def _when(note: SourceNote) -> str:
    parts = []
    for word, moment in (("published", note.published_at), ("accessed", note.accessed_at)):
        if moment is not None:
            parts.append(f"{word} {times.utc_text(Moment(moment, 'UTC', Precision.MINUTE))}")
    return ", ".join(parts)


def add_notes(sheet: Sheet, notes: tuple[SourceNote, ...]) -> None:
    """No., source (title, publisher, kind, times, link) and reliability grade."""
    table = sheet.table(("No.", "Source", "Reliability"), (8, 72, 20))
    for note in notes:
        number, source, grade = sheet.row(table)
        sheet.bookmarks.add(sheet.para(number, "Table Text", f"[{note.number}]", Look(bold=True)),
                            bookmark(note.number))  # fmt: skip
        sheet.para(source, "Table Text", note.title, Look(bold=True))
        first = ", ".join(p for p in (note.publisher, note.author) if p)
        details = "; ".join(p for p in (first, note.kind.value, _when(note)) if p)
        sheet.para(source, "Table Text", details[:1].upper() + details[1:])
        if note.url:
            add_link(sheet.para(source, "Table Text"), note.url, note.url,
                     style=sheet.style("Hyperlink"))  # fmt: skip
        if note.description:
            sheet.para(source, "Table Note", note.description)
        sheet.para(grade, "Table Text", note.reliability.value, Look(bold=True))
        sheet.para(grade, "Table Text", note.reliability.label, sheet.muted())
