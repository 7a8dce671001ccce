"""Timeline entries as one table whose header row repeats on every page, as in the PDF."""

from __future__ import annotations

from collections.abc import Mapping

from docx.table import _Cell

from briefing.export import times
from briefing.export.cancel import Check, never
from briefing.export.docx.casualties import add_claims
from briefing.export.docx.notes import cite
from briefing.export.docx.runs import Look, add_text
from briefing.export.docx.sheet import Sheet
from briefing.export.snapshot import EntryView
from briefing.export.timeline import GRADE_KEY, SourceLookup
from briefing.model.vocab import CREDIBILITY_LABELS, PartyRole, Precision

COLUMNS = (
    ("#", 14),
    ("Local time", 50),
    ("UTC", 52),
    ("Event", 108),
    ("Place", 52),
    ("Parties", 56),
    ("Casualties", 80),
    ("Status", 60),
    ("Notes", 34),
)
"""Column names and relative widths of the Word table (local time and UTC apart)."""


def _when(sheet: Sheet, local: _Cell, utc: _Cell, entry: EntryView) -> None:
    start, end = entry.start, entry.end
    sheet.para(local, "Table Text", times.local_clock(start) + (" –" if end else ""))
    sheet.para(utc, "Table Text", times.utc_clock(start) + (" –" if end else ""))
    if end is not None:
        sheet.para(local, "Table Text", times.local_clock(end))
        sheet.para(utc, "Table Text", times.utc_clock(end))
    sheet.para(local, "Table Note", times.zone_label(start))
    if start.precision in (Precision.MINUTE, Precision.HOUR) and end is None:
        sheet.para(utc, "Table Note", times.date_group(start.utc))


def _parties(sheet: Sheet, cell: _Cell, entry: EntryView) -> None:
    shown = False
    for role in PartyRole:
        names = [p.label for p in entry.parties if p.role is role]
        if names:
            paragraph = sheet.para(cell, "Table Text", ", ".join(names))
            add_text(paragraph, f" ({role.value})", sheet.muted())
            shown = True
    if not shown:
        sheet.para(cell, "Table Text", "—")


def _row(
    sheet: Sheet, cells: list[_Cell], entry: EntryView, source: SourceLookup, number: int | None
) -> None:
    row_number, local, utc, event, place, parties, casualties, status, notes = cells
    sheet.para(row_number, "Table Text", str(number) if number else "", Look(bold=True))
    _when(sheet, local, utc, entry)
    sheet.para(event, "Table Text", entry.title, Look(bold=True))
    if entry.description:
        sheet.para(event, "Table Text", entry.description)
    sheet.para(place, "Table Text", entry.place or "—")
    _parties(sheet, parties, entry)
    add_claims(sheet, casualties, entry)
    sheet.para(status, "Table Text", entry.status.value)
    meaning = CREDIBILITY_LABELS.get(entry.credibility, "")
    sheet.para(status, "Table Note", f"credibility {entry.credibility}: {meaning}")
    if not entry.notes:
        sheet.para(notes, "Table Text", "—")
    for number in entry.notes:
        grade = f"{source(number).reliability.value}{entry.credibility}"
        cite(sheet, sheet.para(notes, "Table Text"), [number], {number: grade})


def add_timeline(
    sheet: Sheet,
    entries: tuple[EntryView, ...],
    source: SourceLookup,
    numbers: Mapping[str, int] | None = None,
    check: Check = never,
) -> None:
    """The table, rows numbered across the brief as the map's markers are, then the grade key."""
    table = sheet.table([name for name, _ in COLUMNS], [width for _, width in COLUMNS])
    for entry in entries:
        check()
        _row(sheet, sheet.row(table), entry, source, (numbers or {}).get(entry.uuid))
    sheet.key(table, GRADE_KEY)
