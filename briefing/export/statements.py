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
from briefing.export.pages import Marks, PageRef, anchor
from briefing.export.scripts import base_direction
from briefing.export.snapshot import StatementBlock, StatementView
from briefing.export.styles import ACCENT, FRAME_WIDTH, HEADER_SHADE, RULE, SHADE, Styles
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
    text = f"{clean(statement.attribution)}, {statement.kind.value} of {when}"
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
    table = BriefTable([[parts]], colWidths=[FRAME_WIDTH])
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


def statement_flowables(
    block: StatementBlock, st: Styles, printed: Printed | None = None
) -> list[Flowable]:
    """Each statement as a quote, or side by side with the statements it contradicts."""
    printed = printed or Printed(Marks())
    flowables: list[Flowable] = []
    for statement in block.statements:
        shown = [statement, *statement.contradicts]
        if statement.contradicts:
            flowable = _side_by_side(statement, list(statement.contradicts), st, printed)
        elif statement.uuid in printed.done:
            flowables.append(reference(statement, printed))
            continue
        else:
            flowable = _single(statement, st, printed)
        fresh = [statement_key(s) for s in shown if s.uuid not in printed.done]
        printed.done.update(s.uuid for s in shown)
        flowables += [anchor(flowable, *fresh), Spacer(1, 8)]
    return flowables
