"""Numbered source notes with their Admiralty reliability grade and links."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import Flowable, LongTable, TableStyle

from briefing.export import times
from briefing.export.snapshot import Moment, SourceNote
from briefing.export.styles import FRAME_WIDTH, HEADER_SHADE, RULE, Styles
from briefing.export.tables import BriefTable
from briefing.export.text import CachedParagraph, link, paragraphs, plain
from briefing.model.vocab import Precision


def _when(note: SourceNote) -> str:
    parts = []
    for word, moment in (("published", note.published_at), ("accessed", note.accessed_at)):
        if moment is not None:
            parts.append(f"{word} {times.utc_text(Moment(moment, 'UTC', Precision.MINUTE))}")
    return ", ".join(parts)


def _describe(note: SourceNote, st: Styles) -> list[Flowable]:
    first = ", ".join(plain(p) for p in (note.publisher, note.author) if p)
    lines = [f"<b>{plain(note.title)}</b>"]
    details = "; ".join(p for p in (first, note.kind.value, _when(note)) if p)
    lines.append(details[:1].upper() + details[1:])
    if note.url:
        lines.append(link(note.url))
    found: list[Flowable] = [CachedParagraph("<br/>".join(lines), st.cell)]
    if note.description:
        found += paragraphs(note.description, st.cell_small)
    return found


def notes_table(notes: tuple[SourceNote, ...], st: Styles) -> LongTable:
    """No., source (title, publisher, kind, times, link) and reliability grade."""
    rows: list[list[Flowable | list[Flowable]]] = [
        [CachedParagraph(h, st.cell_head) for h in ("No.", "Source", "Reliability")]
    ]
    for note in notes:
        rows.append(
            [
                CachedParagraph(f"<b>[{note.number}]</b>", st.cell),
                _describe(note, st),
                CachedParagraph(
                    f"<b>{note.reliability.value}</b><br/>"
                    f'<font color="#5A6270">{note.reliability.label}</font>',
                    st.cell,
                ),
            ]
        )
    widths = [28, FRAME_WIDTH - 28 - 86, 86]
    table = BriefTable(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_SHADE),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 1), (-1, -1), colors.white),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table
