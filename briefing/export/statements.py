"""Statements as attributed quotes; contradicting statements side by side.

A contradicting pair is printed side by side once, where the first of the two
comes up; a statement whose pairs were all printed earlier gets a pointer to them.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from briefing.export import times
from briefing.export.snapshot import StatementBlock, StatementView
from briefing.export.styles import ACCENT, FRAME_WIDTH, HEADER_SHADE, RULE, SHADE, Styles
from briefing.export.text import plain

LANGUAGES = {
    "en": "English",
    "ru": "Russian",
    "hy": "Armenian",
    "az": "Azerbaijani",
    "tr": "Turkish",
    "ka": "Georgian",
    "uk": "Ukrainian",
    "fa": "Persian",
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
        Paragraph(
            f"{plain(statement.attribution)} "
            f'<font color="#5A6270">— {statement.kind.value}{note}</font>',
            st.card_head,
        ),
        Paragraph(plain(_when(statement)), st.card_meta),
    ]
    original = f"“{plain(statement.quote)}”"
    if statement.translation:
        label = plain(language_name(statement.language))
        parts.append(Paragraph(f'<font color="#5A6270">{label}:</font> {original}', st.card_quote))
        parts.append(Paragraph(f"Translation: “{plain(statement.translation)}”", st.card_text))
    else:
        parts.append(Paragraph(original, st.card_quote))
    if statement.about:
        parts.append(Paragraph(f"About: {plain(statement.about)}", st.card_meta))
    return parts


def _single(statement: StatementView, st: Styles) -> Table:
    parts = card(statement, st)
    for other in statement.contradicts:
        parts.append(
            Paragraph(
                f"Contradicts the statement by {plain(other.attribution)}, shown side by side "
                "above.",
                st.card_meta,
            )
        )
    table = Table([[parts]], colWidths=[FRAME_WIDTH], splitInRow=1, hAlign="LEFT")
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
    head = [Paragraph("Statement", st.cell_head), Paragraph("Contradicted by", st.cell_head)]
    table = Table(
        [head, [card(statement, st), right]],
        colWidths=[FRAME_WIDTH / 2] * 2,
        repeatRows=1,
        splitInRow=1,
        hAlign="LEFT",
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


def statement_flowables(
    block: StatementBlock, st: Styles, shown: set[frozenset[str]]
) -> list[Flowable]:
    """Each statement once; each contradicting pair once in the whole brief, side by side.

    ``shown`` holds the pairs already printed side by side, across blocks.
    """
    flowables: list[Flowable] = []
    seen: set[str] = set()

    def pending(statement: StatementView) -> list[StatementView]:
        return [
            o for o in statement.contradicts if frozenset((statement.uuid, o.uuid)) not in shown
        ]

    for statement in block.statements:
        if pending(statement):
            # The statement contradicted most often goes left, facing all its contradictions.
            left = max([statement, *pending(statement)], key=lambda s: len(pending(s)))
            right = pending(left)
            flowables.append(_side_by_side(left, right, st))
            shown.update(frozenset((left.uuid, o.uuid)) for o in right)
            seen.update(o.uuid for o in right)
            seen.add(left.uuid)
        elif statement.uuid not in seen:
            flowables.append(_single(statement, st))
            seen.add(statement.uuid)
        else:
            continue
        flowables.append(Spacer(1, 8))
    return flowables
