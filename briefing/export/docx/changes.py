"""The "Changes since edition N" section: the PDF's tables of what was added, removed, changed."""

from __future__ import annotations

from briefing.export.changes import EditionChanges, PartChange, _short, intro
from briefing.export.docx.runs import Look, add_text
from briefing.export.docx.sheet import Sheet


def _value(text: str) -> str:
    return _short(text) if text.strip() else "—"


def _listing(sheet: Sheet, parts: tuple[PartChange, ...]) -> None:
    table = sheet.table(("What", "Title", "In section"), (80, 305, 130))
    for part in parts:
        what, title, section = sheet.row(table)
        sheet.para(what, "Table Text", part.kind.capitalize())
        sheet.para(title, "Table Text", part.title, Look(bold=True))
        sheet.para(section, "Table Text", part.section)
    sheet.gap()


def _changed(sheet: Sheet, changes: EditionChanges) -> None:
    table = sheet.table(("What", "Field", "Before", "After"), (150, 70, 147, 147))
    parts = list(changes.changed)
    if changes.cover:
        parts.insert(0, PartChange("cover", "title page and bottom line", "", changes.cover))
    for part in parts:
        for index, shift in enumerate(part.fields):
            what, field, before, after = sheet.row(table)
            paragraph = sheet.para(what, "Table Text")
            if index == 0:
                add_text(paragraph, f"{part.kind.capitalize()}: ")
                add_text(paragraph, part.title, Look(bold=True))
                if part.section:
                    add_text(paragraph, f" in {part.section}", sheet.muted())
            sheet.para(field, "Table Text", shift.label)
            sheet.para(before, "Table Text", _value(shift.old))
            sheet.para(after, "Table Text", _value(shift.new))
    sheet.gap()


def add_changes(sheet: Sheet, changes: EditionChanges) -> None:
    """The section's body (its heading is the writer's)."""
    sheet.para(sheet.document, "Normal", intro(changes))
    for title, parts in (("Added", changes.added), ("Removed", changes.removed)):
        if parts:
            sheet.para(sheet.document, "Heading 2", title)
            _listing(sheet, parts)
    if changes.changed or changes.cover:
        sheet.para(sheet.document, "Heading 2", "Changed")
        _changed(sheet, changes)
