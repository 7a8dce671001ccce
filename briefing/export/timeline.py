"""Timeline entries as one long table whose header row repeats on every page.

Columns: row number (the map's markers carry the same), local time and UTC, event,
place, parties, casualties, status, source notes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from reportlab.lib import colors
from reportlab.platypus import Flowable, Paragraph, TableStyle

from briefing.export import times
from briefing.export.cancel import Check, never
from briefing.export.casualties import timeline_cell
from briefing.export.chunked import ChunkedTable, RowSource
from briefing.export.column_widths import fitted_widths
from briefing.export.snapshot import EntryView, SourceNote
from briefing.export.styles import FRAME_WIDTH, HEADER_SHADE, RULE, SHADE, WIDE_WIDTH, Styles
from briefing.export.text import CachedParagraph, paragraphs, plain
from briefing.figures.markers import STATUS_COLOURS as MAP_COLOURS
from briefing.model.vocab import CREDIBILITY_LABELS, PartyRole, Precision, Verification

COLUMNS = (
    ("#", 14),
    ("When, where", 60),
    ("Event", 150),
    ("Parties", 56),
    ("Casualties", 100),
    ("Status", 50),
    ("Notes", 30),
)
WIDE_COLUMNS = (
    ("#", 16),
    ("When, where", 80),
    ("Event", 370),
    ("Parties", 100),
    ("Casualties", 118),
    ("Status", 58),
    ("Notes", 33),
)
"""The same columns on a landscape page: the Event column reads in long lines.

Both are weights: :func:`briefing.export.column_widths.fitted_widths` widens a
column to its longest word and narrows it to its longest line, the Event column
taking what is left. Local time, its zone, the UTC time (the date-time group
to the minute) and the place share one column, so the Event column has the
room and a row stays a few lines high.
"""
EVENT = 2
EVENT_FLOOR = (150.0, 360.0)
"""The Event column's least width (portrait, landscape) where the other columns' words allow."""
PADDING = 5.0
"""Left and right cell padding together (see the table style)."""
STATUS_COLOURS = {status: MAP_COLOURS[status.value] for status in Verification}
GRADE_KEY = (
    "Notes: source note number and Admiralty grade — source reliability (A–F) with the entry’s "
    "information credibility (1–6). Times are rounded to the precision they were reported with."
)

SourceLookup = Callable[[int], SourceNote]
_RUN_ON = (". ", " ")
"""What follows a title in the Event cell: a full stop unless the title has one."""


def _kept(text: str) -> str:
    """Markup of ``text`` that does not break across lines (ASCII text: dates, groups)."""
    return plain(text).replace(" ", "\u00a0") if text.isascii() else plain(text)


def _day(text: str) -> str:
    """Markup of ``16 Nov 2021, 07:00`` with the date kept on one line (the time may go below)."""
    day, comma, rest = text.partition(", ")
    return _kept(day) + (comma + plain(rest) if comma else "")


def _when(entry: EntryView, st: Styles) -> Paragraph:
    """Local time, its zone in grey, the UTC time (the date-time group to the minute), the place.

    A day or a month is the one where it happened: no second date "in UTC" beside it.
    """
    start, end = entry.start, entry.end
    local = _day(times.local_clock(start))
    if end is not None:
        local += " –<br/>" + _day(times.local_clock(end))
    zone = times.zone_label(start)
    local += f'<br/><font color="#5A6270">{plain(zone)}</font>'
    minute = start.precision is Precision.MINUTE and end is None
    if minute:
        utc = _kept(times.date_group(start.utc))
    else:
        utc = _day(times.utc_clock(start))
        if end is not None:
            utc += " – " + _day(times.utc_clock(end))
        utc += "\u00a0UTC"
    timed = start.precision in (Precision.MINUTE, Precision.HOUR)
    if timed and (zone != "UTC" or minute):
        local += "<br/>" + utc
    return CachedParagraph(f"{local}<br/><b>{plain(entry.place) or '—'}</b>", st.cell)


def _parties(entry: EntryView) -> str:
    lines = []
    for role in PartyRole:
        names = [plain(p.label) for p in entry.parties if p.role is role]
        if names:
            lines.append(f'{", ".join(names)} <font color="#5A6270">({role.value})</font>')
    return "<br/>".join(lines) or "—"


def _status(entry: EntryView) -> str:
    colour = STATUS_COLOURS[entry.status]
    meaning = CREDIBILITY_LABELS.get(entry.credibility, "")
    return (
        f'<font color="{colour}">{entry.status.value}</font><br/>'
        f'<font color="#5A6270">credibility {entry.credibility}: {plain(meaning)}</font>'
    )


def _marker(number: int) -> str:
    return f"[{number}]"


def _sources(entry: EntryView, source: SourceLookup, cite: Callable[[int], str] = _marker) -> str:
    grade = entry.credibility
    cited = [f"{cite(n)}\u00a0{source(n).reliability.value}{grade}" for n in entry.notes]
    return "<br/>".join(cited) or "—"


def _row(
    entry: EntryView,
    st: Styles,
    source: SourceLookup,
    number: int | None,
    cite: Callable[[int], str] = _marker,
) -> list[Flowable | list[Flowable]]:
    title = f"<b>{plain(entry.title)}</b>"  # the description runs on after the title
    event: list[Flowable] = [CachedParagraph(title, st.cell)]
    if entry.description:
        event = paragraphs(entry.description, st.cell, title + _RUN_ON[entry.title[-1:] in ".!?"])
    return [
        CachedParagraph(f"<b>{number}</b>" if number is not None else "", st.cell),
        _when(entry, st),
        event,
        CachedParagraph(_parties(entry), st.cell),
        timeline_cell(entry, st),
        CachedParagraph(_status(entry), st.cell),
        CachedParagraph(_sources(entry, source, cite), st.cell),
    ]


TABLE_STYLE = TableStyle(
    [
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_SHADE),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, SHADE]),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor("#7A8796")),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), PADDING / 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), PADDING / 2),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
)


def timeline_table(
    entries: tuple[EntryView, ...],
    st: Styles,
    source: SourceLookup,
    numbers: Mapping[str, int] | None = None,
    wide: bool = False,
    cite: Callable[[int], str] = _marker,
    check: Check = never,
) -> ChunkedTable:
    """The table; rows may split inside a long cell so no entry is ever too big for a page.

    ``numbers`` gives each entry's row number by UUID, counted across the whole brief;
    ``wide`` sets it for a landscape page; ``cite`` makes a note's marker (a link);
    ``check`` is called before each row is measured (see :mod:`briefing.export.cancel`).
    The rows are made again, a page at a time, as they are laid out (:mod:`.chunked`).
    """
    numbers = numbers or {}
    head: list[Flowable | list[Flowable]] = [CachedParagraph(n, st.cell_head) for n, _ in COLUMNS]

    first: dict[tuple[int, int], str] = {}
    """Markers that are their note's first use (an anchor), by row and note: made again alike."""
    measuring = True

    def make(index: int) -> list[Flowable | list[Flowable]]:
        def marker(number: int) -> str:
            text = cite(number)
            if measuring and text != cite(number):  # a first use: the note links back here
                first[index, number] = text
            return first.get((index, number), text)

        entry = entries[index]
        return _row(entry, st, source, numbers.get(entry.uuid), marker)

    rows = RowSource([head], len(entries), make, styles=[TABLE_STYLE])
    bounds = rows.measure(PADDING, EVENT, check)
    measuring = False
    columns, width = (WIDE_COLUMNS, WIDE_WIDTH) if wide else (COLUMNS, FRAME_WIDTH)
    rows.widths = fitted_widths([w for _, w in columns], bounds, width, EVENT, EVENT_FLOOR[wide])
    return ChunkedTable(rows)
