"""Statements as attributed quotes; contradicting statements side by side.

The snapshot decides the pairing (each contradicting pair once in the brief); this
module lays out single quotes, pairs side by side, and pointers to earlier pairs.
A statement is quoted once: where a later section includes it again, a line
names it and points to the page where it stands.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from reportlab.lib import colors
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from briefing.export import times
from briefing.export.cancel import Check, never
from briefing.export.pages import Marks, PageRef, anchor
from briefing.export.scripts import base_direction
from briefing.export.snapshot import StatementBlock, StatementView
from briefing.export.styles import (
    ACCENT,
    FRAME_WIDTH,
    HEADER_SHADE,
    MEASURE,
    RULE,
    SHADE,
    Styles,
)
from briefing.export.tables import BriefTable
from briefing.export.text import CachedParagraph, clean, paragraphs, plain
from briefing.model.times import day_text
from briefing.model.vocab import Precision

LANGUAGES = {
    "en": "English",
    "ru": "Russian",
    "hy": "Armenian",
    "az": "Azerbaijani",
    "tr": "Turkish",
    "ka": "Georgian",
    "uk": "Ukrainian",
    "fa": "Persian",
    "ar": "Arabic",
    "he": "Hebrew",
    "ur": "Urdu",
    "ps": "Pashto",
    "ckb": "Kurdish (Sorani)",
    "am": "Amharic",
    "ti": "Tigrinya",
    "my": "Burmese",
    "hi": "Hindi",
    "th": "Thai",
    "zh": "Chinese",
    "ja": "Japanese",
    "ko": "Korean",
    "fr": "French",
    "de": "German",
}


def language_name(tag: str) -> str:
    """``hy`` → ``Armenian``; an unknown tag is shown as given."""
    return LANGUAGES.get(tag.split("-")[0].lower(), tag)


def _when(statement: StatementView) -> str:
    if statement.said is None:
        return "time not known"
    if statement.said.precision in (Precision.DAY, Precision.MONTH):
        return times.local_text(statement.said)  # one date: the day where it was said
    local = times.local_text(statement.said)
    utc = times.utc_text(statement.said)
    return local if local == utc else f"{local} · {utc}"


def _marker(number: int) -> str:
    return f"[{number}]"


@dataclass
class Printed:
    """Statements already quoted in the brief, so that a repeat becomes a reference."""

    marks: Marks
    cite: Callable[[int], str] = _marker
    done: set[str] = field(default_factory=set)


def statement_key(statement: StatementView) -> str:
    return f"statement-{statement.uuid}"


def reference(statement: StatementView, printed: Printed) -> Flowable:
    """One line for a statement quoted earlier: who, what kind, when, and the page."""
    when = day_text(statement.said.utc) if statement.said is not None else "time not known"
    text = f"{statement.kind.value.capitalize()} of {when} by {clean(statement.attribution)}"
    return PageRef(text, statement_key(statement), printed.marks, tail=": quoted on p.")


def card(
    statement: StatementView, st: Styles, cite: Callable[[int], str] = _marker
) -> list[Flowable]:
    """Who, what kind, when, the quote in its language, the translation, what it is about."""
    note = f"\u00a0{cite(statement.note)}" if statement.note is not None else ""
    parts: list[Flowable] = [
        CachedParagraph(
            f"{plain(statement.attribution)} "
            f'<font color="#5A6270">— {statement.kind.value}{note}</font>',
            st.card_head,
        ),
        CachedParagraph(plain(_when(statement)), st.card_meta),
    ]
    before = "“"
    if statement.translation:
        mark = "\u200e" if base_direction(statement.quote) == "rtl" else ""  # keeps "Arabic:" whole
        before = f'<font color="#5A6270">{plain(language_name(statement.language))}:</font>{mark} “'
    parts += paragraphs(statement.quote, st.card_quote, before, "”")
    if statement.translation:
        parts += paragraphs(statement.translation, st.card_text, "Translation: “", "”")
    if statement.about:
        parts.append(CachedParagraph(f"About: {plain(statement.about)}", st.card_meta))
    return parts


def _single(statement: StatementView, st: Styles, printed: Printed) -> Table:
    parts = card(statement, st, printed.cite)
    for other in statement.contradicted_earlier:
        parts.append(
            CachedParagraph(
                f"Contradicts the statement by {plain(other)}, shown side by side earlier.",
                st.card_meta,
            )
        )
    table = BriefTable([[parts]], colWidths=[MEASURE + 16])  # the quote on the prose measure
    table.setStyle(
        TableStyle(
            [
                ("LINEBEFORE", (0, 0), (0, -1), 2.2, ACCENT),
                ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return table


def _side_by_side(
    statement: StatementView, others: list[StatementView], st: Styles, printed: Printed
) -> Table:
    right: list[Flowable] = []
    for index, other in enumerate(others):
        if index:
            right.append(Spacer(1, 6))
        right += _card_or_reference(other, st, printed)
    head = [CachedParagraph(h, st.cell_head) for h in ("Statement", "Contradicted by")]
    left = _card_or_reference(statement, st, printed)
    table = BriefTable([head, [left, right]], colWidths=[FRAME_WIDTH / 2] * 2, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_SHADE),
                ("BOX", (0, 0), (-1, -1), 0.5, RULE),
                ("LINEAFTER", (0, 0), (0, -1), 0.5, RULE),
                ("BACKGROUND", (0, 1), (-1, -1), colors.white),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 1), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 1), (-1, -1), 6),
            ]
        )
    )
    return table


def _card_or_reference(statement: StatementView, st: Styles, printed: Printed) -> list[Flowable]:
    if statement.uuid in printed.done:
        return [reference(statement, printed)]
    return card(statement, st, printed.cite)


GRID_FROM = 6
"""A block of more statements than this sets its single quotes two to a row."""
_GAP = 10.0


def _pair(statements: list[StatementView], st: Styles, printed: Printed) -> Table:
    """Two single quotes side by side (one, if the block ends), each in its shaded box."""
    width = (FRAME_WIDTH - _GAP) / 2
    cells: list[object] = [card(s, st, printed.cite) for s in statements]
    cells.insert(1, "")
    if len(statements) == 1:
        cells.append("")
    table = BriefTable([cells], colWidths=[width, _GAP, width])
    boxes = [0, 2] if len(statements) == 2 else [0]
    commands: list[tuple[object, ...]] = [("VALIGN", (0, 0), (-1, -1), "TOP")]
    for column in boxes:
        commands += [
            ("LINEBEFORE", (column, 0), (column, 0), 2.2, ACCENT),
            ("BACKGROUND", (column, 0), (column, 0), SHADE),
            ("LEFTPADDING", (column, 0), (column, 0), 8),
            ("TOPPADDING", (column, 0), (column, 0), 4),
            ("BOTTOMPADDING", (column, 0), (column, 0), 6),
        ]
    table.setStyle(TableStyle(commands))
    return table


def statement_flowables(
    block: StatementBlock, st: Styles, printed: Printed | None = None, check: Check = never
) -> list[Flowable]:
    """Each statement as a quote, or side by side with the statements it contradicts.

    In a long block, quotes that contradict nothing stand two to a row, in reading
    order; each is still whole on one page.
    """
    printed = printed or Printed(Marks())
    grid = len(block.statements) > GRID_FROM
    flowables: list[Flowable] = []
    waiting: list[StatementView] = []

    def place(flowable: Flowable, shown: list[StatementView]) -> None:
        fresh = [statement_key(s) for s in shown if s.uuid not in printed.done]
        printed.done.update(s.uuid for s in shown)
        flowables.extend([anchor(flowable, *fresh), Spacer(1, 8)])

    def flush() -> None:
        if waiting:
            place(_pair(waiting, st, printed), list(waiting))
            waiting.clear()

    for statement in block.statements:
        check()
        if statement.contradicts:
            flush()
            table = _side_by_side(statement, list(statement.contradicts), st, printed)
            place(table, [statement, *statement.contradicts])
        elif statement.uuid in printed.done:
            flush()
            flowables.append(reference(statement, printed))
        elif grid and not statement.contradicted_earlier:
            waiting.append(statement)
            if len(waiting) == 2:
                flush()
        else:
            flush()
            place(_single(statement, st, printed), [statement])
    flush()
    return flowables
