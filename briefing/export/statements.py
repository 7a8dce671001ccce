"""Statements as attributed quotes; contradicting statements side by side.

The snapshot decides the pairing (each contradicting pair once in the brief); this
module lays out single quotes, pairs side by side, and pointers to earlier pairs.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from briefing.export import times
from briefing.export.scripts import base_direction
from briefing.export.snapshot import StatementBlock, StatementView
from briefing.export.styles import ACCENT, FRAME_WIDTH, HEADER_SHADE, RULE, SHADE, Styles
from briefing.export.tables import BriefTable
from briefing.export.text import CachedParagraph, paragraphs, plain

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
    local = times.local_text(statement.said)
    utc = times.utc_text(statement.said)
    return local if local == utc else f"{local} · {utc}"


def card(statement: StatementView, st: Styles) -> list[Flowable]:
    """Who, what kind, when, the quote in its language, the translation, what it is about."""
    note = f" [{statement.note}]" if statement.note is not None else ""
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


def _single(statement: StatementView, st: Styles) -> Table:
    parts = card(statement, st)
    for other in statement.contradicted_earlier:
        parts.append(
            CachedParagraph(
                f"Contradicts the statement by {plain(other)}, shown side by side above.",
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


def _side_by_side(statement: StatementView, others: list[StatementView], st: Styles) -> Table:
    right: list[Flowable] = []
    for index, other in enumerate(others):
        if index:
            right.append(Spacer(1, 6))
        right += card(other, st)
    head = [CachedParagraph(h, st.cell_head) for h in ("Statement", "Contradicted by")]
    table = BriefTable(
        [head, [card(statement, st), right]], colWidths=[FRAME_WIDTH / 2] * 2, repeatRows=1
    )
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


def statement_flowables(block: StatementBlock, st: Styles) -> list[Flowable]:
    """Each statement as a quote, or side by side with the statements it contradicts."""
    flowables: list[Flowable] = []
    for statement in block.statements:
        if statement.contradicts:
            flowables.append(_side_by_side(statement, list(statement.contradicts), st))
        else:
            flowables.append(_single(statement, st))
        flowables.append(Spacer(1, 8))
    return flowables
