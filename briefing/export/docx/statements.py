"""Statements as attributed quotes; contradicting statements side by side in a two-column table.

The snapshot decides the pairing (each contradicting pair once in the brief), as
for the PDF.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.text.paragraph import Paragraph

from briefing.export.cancel import Check, never
from briefing.export.docx.notes import cite
from briefing.export.docx.runs import Look, add_text, mark_direction
from briefing.export.docx.sheet import Container, Sheet
from briefing.export.snapshot import StatementBlock, StatementView
from briefing.export.statements import _when as said_when
from briefing.export.statements import language_name


@dataclass(frozen=True)
class CardStyles:
    head: str
    meta: str
    quote: str


IN_TEXT = CardStyles("Attribution", "Caption", "Quote")
IN_TABLE = CardStyles("Table Heading", "Table Note", "Table Text")


def _head(sheet: Sheet, where: Container, statement: StatementView, st: CardStyles) -> Paragraph:
    paragraph = sheet.para(where, st.head, statement.attribution)
    add_text(paragraph, f" — {statement.kind.value}", sheet.muted())
    if statement.note is not None:
        add_text(paragraph, " ")
        cite(sheet, paragraph, [statement.note])
    return paragraph


def card(sheet: Sheet, where: Container, statement: StatementView, st: CardStyles) -> None:
    """Who, what kind, when, the quote in its language, the translation, what it is about."""
    _head(sheet, where, statement, st)
    sheet.para(where, st.meta, said_when(statement))
    quote = sheet.para(where, st.quote)
    if statement.translation:
        add_text(quote, f"{language_name(statement.language)}: ", sheet.muted())
    add_text(quote, f"“{statement.quote}”")
    mark_direction(quote, statement.quote)
    if statement.translation:
        sheet.para(where, st.quote, f"Translation: “{statement.translation}”", Look(italic=True))
    if statement.about:
        sheet.para(where, st.meta, f"About: {statement.about}")


def _side_by_side(sheet: Sheet, statement: StatementView) -> None:
    table = sheet.table(("Statement", "Contradicted by"), (1, 1))
    left, right = sheet.row(table)
    card(sheet, left, statement, IN_TABLE)
    for other in statement.contradicts:
        card(sheet, right, other, IN_TABLE)
    sheet.gap()


def add_statements(sheet: Sheet, block: StatementBlock, check: Check = never) -> None:
    """Each statement as a quote, or side by side with the statements it contradicts."""
    for statement in block.statements:
        check()
        if statement.contradicts:
            _side_by_side(sheet, statement)
            continue
        card(sheet, sheet.document, statement, IN_TEXT)
        for other in statement.contradicted_earlier:
            sheet.para(
                sheet.document,
                "Caption",
                f"Contradicts the statement by {other}, shown side by side above.",
            )
