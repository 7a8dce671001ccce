"""Numbered source notes with their Admiralty reliability grade and links.

Every citation marker ``[n]`` links to its note, and each note links back to the
place it was first cited (:class:`Citations` remembers which that is).
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import Flowable, LongTable, TableStyle

from briefing.export import times
from briefing.export.snapshot import Moment, SourceNote
from briefing.export.styles import FRAME_WIDTH, HEADER_SHADE, LINK, RULE, Styles
from briefing.export.tables import BriefTable
from briefing.export.text import CachedParagraph, link, paragraphs, plain
from briefing.model.vocab import Precision


class Citations:
    """Citation markers for one brief: linked to their notes, the first of each an anchor."""

    def __init__(self) -> None:
        self.cited: set[int] = set()

    def marker(self, number: int) -> str:
        """``[n]`` as markup linking to note n; the first marker for n is where the note links."""
        anchor = "" if number in self.cited else f'<a name="{cite_key(number)}"/>'
        self.cited.add(number)
        return f'{anchor}<a href="#{note_key(number)}" color="{LINK}">[{number}]</a>'


def note_key(number: int) -> str:
    return f"note-{number}"


def cite_key(number: int) -> str:
    return f"cite-{number}"


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


def _number(note: SourceNote, cited: set[int]) -> str:
    """The note's number: the target of its markers, and a link back to the first of them."""
    target = f'<a name="{note_key(note.number)}"/>'
    if note.number not in cited:
        return f"{target}<b>[{note.number}]</b>"
    back = f'<a href="#{cite_key(note.number)}" color="{LINK}">'
    return f"{target}{back}<b>[{note.number}]</b></a><br/>{back}↩ cited</a>"


def notes_table(
    notes: tuple[SourceNote, ...], st: Styles, citations: Citations | None = None
) -> LongTable:
    """No., source (title, publisher, kind, times, link) and reliability grade."""
    cited = citations.cited if citations is not None else set()
    rows: list[list[Flowable | list[Flowable]]] = [
        [CachedParagraph(h, st.cell_head) for h in ("No.", "Source", "Reliability")]
    ]
    for note in notes:
        rows.append(
            [
                CachedParagraph(_number(note, cited), st.cell),
                _describe(note, st),
                CachedParagraph(
                    f"<b>{note.reliability.value}</b><br/>"
                    f'<font color="#5A6270">{note.reliability.label}</font>',
                    st.cell,
                ),
            ]
        )
    widths = [36, FRAME_WIDTH - 36 - 90, 90]
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
