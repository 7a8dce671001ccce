"""The map of a briefing's events as ReportLab graphics, for the PDF, Word and picture files.

One drawing serves every output: :func:`map_drawing` paints a
:class:`~briefing.figures.map_figure.MapFigure`; :func:`snapshot_map` builds it
from a briefing snapshot, numbering markers as the timeline tables number rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import (
    Circle,
    Drawing,
    Group,
    Line,
    Path,
    Polygon,
    PolyLine,
    Rect,
    String,
    Wedge,
)
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from briefing.export.fonts import CONDENSED, SANS, bold, italic, register_fonts
from briefing.export.lines import fitted, line_width, shaped_string
from briefing.export.snapshot import BriefingSnapshot, EntryView
from briefing.export.text import clean
from briefing.figures.map_figure import LEGEND_WIDTH, MapFigure, Marker, map_figure
from briefing.figures.map_layout import Label, LegendItem
from briefing.figures.map_numbers import NUMBER_SIZE, NumberLabel
from briefing.figures.markers import (
    BY_STATUS,
    MIXED_COLOUR,
    MapEvent,
    on_map,
    ring_arcs,
)
from briefing.model.claim_figures import casualty_total
from briefing.model.vocab import PartyRole

SEA = colors.HexColor("#DCE9F2")
LAND = colors.HexColor("#F4F1EA")
COAST = colors.HexColor("#7D97AD")
BORDER = colors.HexColor("#6E6E6E")
INK = colors.HexColor("#1A1A1A")
MUTED = colors.HexColor("#5A6270")


@dataclass(frozen=True)
class SnapshotMap:
    """The map's events and those that cannot be placed, in timeline order."""

    on_map: tuple[MapEvent, ...]
    off_map: tuple[MapEvent, ...]


def _party(entry: EntryView) -> tuple[str, str]:
    """The party a marker is coloured by: the initiator, else the first party named."""
    for role in (PartyRole.INITIATOR, *PartyRole):
        for part in entry.parties:
            if part.role is role:
                return part.label, part.colour
    return "", ""


def snapshot_events(snapshot: BriefingSnapshot) -> SnapshotMap:
    """Every timeline entry of the brief as a numbered map event, split by having a place."""
    placed: list[MapEvent] = []
    unplaced: list[MapEvent] = []
    for number, entry in enumerate(snapshot.timeline(), start=1):
        party, colour = _party(entry)
        valid = on_map(entry.latitude, entry.longitude)
        event = MapEvent(
            key=number,
            title=entry.title,
            lon=float(entry.longitude) if valid else 0.0,  # type: ignore[arg-type]
            lat=float(entry.latitude) if valid else 0.0,  # type: ignore[arg-type]
            status=entry.status.value,
            party=party,
            party_colour=colour,
            casualties=casualty_total(entry.claims) or 0,
            when=entry.start.utc,
            number=number,
        )
        (placed if valid else unplaced).append(event)
    return SnapshotMap(tuple(placed), tuple(unplaced))


def snapshot_map(
    snapshot: BriefingSnapshot, width: float, height: float, by: str = BY_STATUS
) -> Drawing:
    """The brief's map as a drawing ``width`` × ``height`` points."""
    events = snapshot_events(snapshot)
    return map_drawing(
        map_figure(events.on_map, width, height, by, events.off_map, measure=label_width)
    )


def map_drawing(figure: MapFigure) -> Drawing:
    register_fonts()
    drawing = Drawing(figure.width, figure.height)
    drawing.initialFontName = SANS  # not Helvetica, which would be named and not embedded
    x0, y0, x1, y1 = figure.frame
    drawing.add(Rect(x0, y0, x1 - x0, y1 - y0, fillColor=SEA, strokeColor=None))
    land = Path(fillColor=LAND, strokeColor=None, fillMode=0)  # 0: even-odd, so lakes stay open
    for ring in figure.land:
        land.moveTo(*ring[0])
        for point in ring[1:]:
            land.lineTo(*point)
        land.closePath()
    drawing.add(land)
    for line in figure.coasts:
        drawing.add(_line(line, COAST, 0.5))
    for line in figure.borders:
        drawing.add(_line(line, BORDER, 0.7, dash=[3, 1.5]))
    for label in figure.labels:
        drawing.add(_label(label))
    for marker in figure.markers:
        drawing.add(_marker(marker))
    for number in figure.numbers:
        drawing.add(_number(number))
    drawing.add(Rect(x0, y0, x1 - x0, y1 - y0, fillColor=None, strokeColor=MUTED, strokeWidth=0.6))
    drawing.add(_scale_bar(figure))
    drawing.add(_north(figure))
    drawing.add(_legend(figure))
    size, lines = _caption_fitted(_caption_lines(figure), figure.width, y0)
    for i, caption in enumerate(lines):
        drawing.add(
            String(0, y0 - 1.3 * size * (i + 1), caption, fontName=SANS, fontSize=size,
                   fillColor=MUTED)
        )  # fmt: skip
    return drawing


def _caption_fitted(texts: list[str], width: float, height: float) -> tuple[float, list[str]]:
    """The caption's font size and lines, wrapped to ``width`` and as large as ``height`` allows.

    A narrow map takes smaller type before any word is left out; at the smallest size
    what does not fit ends in an ellipsis.
    """
    for size in (6.8, 6.0, 5.3, 4.6):
        room = max(1, int((height - 1) // (1.3 * size)))
        lines = [line for text in texts for line in _wrapped(text, width, size)]
        if len(lines) <= room:
            return size, lines
    kept = lines[:room]
    kept[-1] = kept[-1].rstrip(".") + "…"
    return size, kept


def _wrapped(text: str, width: float, size: float) -> list[str]:
    lines: list[str] = []
    for word in clean(text).split(" "):
        joined = f"{lines[-1]} {word}" if lines else word
        if lines and stringWidth(joined, SANS, size) <= width:
            lines[-1] = joined
        else:
            lines.append(word)
    return lines


def _line(
    points: Sequence[tuple[float, float]], colour: colors.Color, width: float, dash=None
) -> PolyLine:
    flat = [c for point in points for c in point]
    return PolyLine(
        flat, strokeColor=colour, strokeWidth=width, strokeDashArray=dash, strokeLineJoin=1
    )


def label_width(text: str, kind: str, size: float) -> float:
    """A place name's width as :func:`_label` prints it (a :data:`Measure`)."""
    register_fonts()
    font = (
        italic(SANS) if kind == "country" else bold(CONDENSED) if kind == "capital" else CONDENSED
    )
    return stringWidth(clean(text), font, size)


def _label(label: Label) -> Group:
    group = Group()
    text = clean(label.text)
    if label.kind == "country":
        group.add(
            String(label.tx, label.ty, text, fontName=italic(SANS), fontSize=label.size,
                   fillColor=colors.HexColor("#8A8275"), textAnchor="middle")
        )  # fmt: skip
        return group
    size = 2.6 if label.kind == "capital" else 1.8
    group.add(
        Rect(label.x - size, label.y - size, 2 * size, 2 * size, fillColor=INK,
             strokeColor=colors.white, strokeWidth=0.5)
    )  # fmt: skip
    font = bold(CONDENSED) if label.kind == "capital" else CONDENSED
    for stroke in (True, False):
        group.add(
            String(label.tx, label.ty, text, fontName=font, fontSize=label.size,
                   textAnchor=label.anchor, fillColor=None if stroke else INK,
                   strokeColor=colors.Color(1, 1, 1, 0.85) if stroke else None,
                   strokeWidth=1.6 if stroke else 0)
        )  # fmt: skip
    return group


def _ring(
    group: Group, x: float, y: float, radius: float, shares: Sequence[tuple[str, int]]
) -> None:
    """A group's white disc and its ring: one colour, or one arc per colour's share."""
    group.add(Circle(x, y, radius + 1.1, fillColor=colors.white, strokeColor=None))
    arcs = ring_arcs(shares)
    if len(arcs) == 1:
        group.add(
            Circle(x, y, radius, fillColor=None, strokeColor=colors.HexColor(arcs[0][0]),
                   strokeWidth=2.2)
        )  # fmt: skip
        return
    for colour, start, span in arcs:
        group.add(
            Wedge(x, y, radius + 1.1, start, start + span, radius1=radius - 1.1,
                  fillColor=colors.HexColor(colour), strokeColor=None)
        )  # fmt: skip


def _marker(marker: Marker) -> Group:
    group = Group()
    fill = colors.HexColor(marker.colour)
    if marker.count > 1:
        _ring(group, marker.x, marker.y, marker.radius, marker.shares or ((marker.colour, 1),))
        ink = colors.HexColor(MIXED_COLOUR) if len(marker.shares) > 1 else fill
        group.add(
            String(marker.x, marker.y - 3, str(marker.count), fontName=bold(CONDENSED), fontSize=8,
                   fillColor=ink, textAnchor="middle")
        )  # fmt: skip
    else:
        group.add(
            Circle(
                marker.x,
                marker.y,
                marker.radius,
                fillColor=colors.Color(fill.red, fill.green, fill.blue, 0.85),
                strokeColor=colors.white,
                strokeWidth=0.8,
            )
        )
    return group


def _number(number: NumberLabel) -> Group:
    """Row numbers beside their marker, or on a leader line back to it; haloed in white."""
    group = Group()
    if number.leader is not None:
        (x0, y0), (x1, y1) = number.leader
        group.add(Line(x0, y0, x1, y1, strokeColor=INK, strokeWidth=0.5))
    for stroke in (True, False):
        group.add(
            String(number.x, number.y, number.text, fontName=bold(CONDENSED), fontSize=NUMBER_SIZE,
                   fillColor=None if stroke else INK,
                   strokeColor=colors.white if stroke else None, strokeWidth=2 if stroke else 0)
        )  # fmt: skip
    return group


def _scale_bar(figure: MapFigure) -> Group:
    x, y = figure.scale_at
    bar = figure.scale
    group = Group()
    group.add(
        Rect(
            x - 3,
            y - 4,
            bar.length + 10 + stringWidth(bar.label, SANS, 7),
            14,
            fillColor=colors.Color(1, 1, 1, 0.75),
            strokeColor=None,
        )
    )
    half = bar.length / 2
    group.add(Rect(x, y, half, 3, fillColor=INK, strokeColor=INK, strokeWidth=0.5))
    group.add(Rect(x + half, y, half, 3, fillColor=colors.white, strokeColor=INK, strokeWidth=0.5))
    group.add(
        String(x + bar.length + 4, y - 0.5, bar.label, fontName=SANS, fontSize=7, fillColor=INK)
    )
    return group


def _north(figure: MapFigure) -> Group:
    x, y = figure.north_at
    dx, dy = figure.north.dx, figure.north.dy
    px, py = -dy, dx  # perpendicular
    tip = (x + 12 * dx, y + 12 * dy)
    tail = (x - 8 * dx, y - 8 * dy)
    group = Group()
    group.add(
        Polygon(
            [
                tip[0],
                tip[1],
                x + 5 * px - 2 * dx,
                y + 5 * py - 2 * dy,
                x,
                y,
                x - 5 * px - 2 * dx,
                y - 5 * py - 2 * dy,
            ],
            fillColor=INK,
            strokeColor=INK,
            strokeWidth=0.5,
        )
    )
    group.add(Line(x, y, *tail, strokeColor=INK, strokeWidth=0.8))
    group.add(
        String(tip[0] + 3 * dx, tip[1] + 3 * dy, "N", fontName=bold(SANS), fontSize=8,
               fillColor=INK, textAnchor="middle")
    )  # fmt: skip
    return group


LEGEND_TEXT = 7.5
"""Size of a legend entry's words."""


def _legend(figure: MapFigure) -> Group:
    """The key beside the map; each entry's words start clear of its symbol, on one or two lines."""
    x, top = figure.legend_at
    room = LEGEND_WIDTH - 10
    group = Group()
    group.add(String(x, top - 8, "Events", fontName=bold(SANS), fontSize=8, fillColor=INK))
    y = top - 24
    for item in figure.legend:
        start = 9 + max(item.radius, 5.0) + 5
        rows = _legend_words(clean(item.label).replace("\n", " "), room - start)
        step = max(2 * item.radius + 3, 12, 9 * len(rows) + 3)
        cy = y - step / 2 + 6
        group.add(_legend_symbol(item, x + 9, cy))
        for number, row in enumerate(rows):
            baseline = cy - 2.6 + 4.5 * (len(rows) - 1) - 9 * number
            group.add(shaped_string(x + start, baseline, row, CONDENSED, LEGEND_TEXT, INK))
        y -= step
    for number, words in enumerate(
        ("Numbers: rows of the timeline", "table; groups show a count.")
    ):
        group.add(
            String(x, y - 6 - 9 * number, words, fontName=CONDENSED, fontSize=6.8, fillColor=MUTED)
        )
    return group


def _legend_words(label: str, room: float) -> list[str]:
    """The label on one line, or cut at a space onto two (the second shortened if need be)."""
    if line_width(label, CONDENSED, LEGEND_TEXT) <= room:
        return [label]
    words = label.split(" ")
    for cut in range(len(words) - 1, 0, -1):
        first = " ".join(words[:cut])
        if line_width(first, CONDENSED, LEGEND_TEXT) <= room:
            rest = " ".join(words[cut:])
            return [first, fitted(rest, room, LEGEND_TEXT, CONDENSED)]
    return [fitted(label, room, LEGEND_TEXT, CONDENSED)]


def _legend_symbol(item: LegendItem, x: float, y: float) -> Group:
    group = Group()
    colour = colors.HexColor(item.colour)
    if item.kind in ("group", "mixed"):
        _ring(group, x, y, item.radius, item.shares or ((item.colour, 1),))
        group.add(
            String(
                x,
                y - 3,
                item.text,
                fontName=bold(CONDENSED),
                fontSize=8,
                fillColor=colour,
                textAnchor="middle",
            )
        )
    elif item.kind == "size":
        group.add(
            Circle(x, y, item.radius, fillColor=colors.white, strokeColor=MUTED, strokeWidth=0.8)
        )
    else:
        group.add(
            Circle(x, y, item.radius, fillColor=colour, strokeColor=colors.white, strokeWidth=0.8)
        )
    return group


def _caption_lines(figure: MapFigure) -> list[str]:
    lines = list(figure.caption)
    if figure.off_map:
        numbers = ", ".join(str(e.number) for e in figure.off_map if e.number is not None)
        lines.append(f"Not on the map (no coordinates): {numbers or len(figure.off_map)}.")
    return lines[:3]
