"""Casualty claims in the Word document: the timeline's cell and the summary table, as in the PDF.

The table's shape (rows, claimant columns, words) is :mod:`briefing.export.casualties`'s,
so the two documents never disagree about what a claim says.
"""

from __future__ import annotations

from docx.table import _Cell

from briefing.export.cancel import Check, never
from briefing.export.casualties import (
    SUMMARY_KEY,
    CasualtySummary,
    attribution,
    cell_lines,
)
from briefing.export.claim_words import UNSPECIFIED, figures_text, quoted, side_text
from briefing.export.docx.notes import cite
from briefing.export.docx.runs import Look, add_text
from briefing.export.docx.sheet import Sheet
from briefing.export.snapshot import EntryView

SHARES = (4.0, 24.0, 13.0, 9.0)
"""Widths of the number, event, side and category columns; claimants share the rest."""


def add_claims(sheet: Sheet, cell: _Cell, entry: EntryView) -> None:
    """Each claim of an entry as in the PDF: side and figure, the words, who claims it."""
    for claim in entry.claims:
        figure = figures_text(claim)
        paragraph = sheet.para(cell, "Table Text", f"{side_text(claim.side)} · ")
        if figure:
            add_text(paragraph, figure, Look(bold=True))
            add_text(paragraph, " ")
        elif not claim.words.strip():
            add_text(paragraph, f"{UNSPECIFIED} ")
        add_text(paragraph, claim.category)
        if claim.words.strip():
            sheet.para(cell, "Table Note", quoted(claim.words), Look(italic=True))
        who = sheet.para(cell, "Table Note", attribution(claim))
        if claim.note is not None:
            add_text(who, " ")
            cite(sheet, who, [claim.note])
    if not entry.claims:
        sheet.para(cell, "Table Text", "—")


def add_casualty_summary(sheet: Sheet, summary: CasualtySummary, check: Check = never) -> None:
    """The summary table: one row per entry, side and category; one column per claimant."""
    rest = (100.0 - sum(SHARES)) / max(len(summary.claimants), 1)
    shares = [*SHARES, *(rest for _ in summary.claimants)]
    table = sheet.table(["#", "Event", "Affected", "What", *summary.claimants], shares)
    previous = None
    for row in summary.rows:
        check()
        cells = sheet.row(table)
        first = row.number != previous
        previous = row.number
        sheet.para(cells[0], "Table Text", str(row.number) if first else "", Look(bold=True))
        sheet.para(cells[1], "Table Text", row.event if first else "", Look(bold=True))
        sheet.para(cells[2], "Table Text", side_text(row.side))
        sheet.para(cells[3], "Table Text", row.category)
        last = len(row.cells) - 1
        for index, (claims, cell) in enumerate(zip(row.cells, cells[4:], strict=True)):
            shared = summary.shared_column and index == last
            for line in cell_lines(claims, shared):
                sheet.para(cell, "Table Text", line.figure, Look(bold=True))
                for extra in (line.words, line.detail):
                    if extra:
                        sheet.para(cell, "Table Note", extra)
            if not claims:
                sheet.para(cell, "Table Text", "—", sheet.muted())
    sheet.key(table, SUMMARY_KEY)
