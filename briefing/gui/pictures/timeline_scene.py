"""The timeline chart drawn into a scene: a UTC time axis, one lane per party, events by status.

Zooming changes the time scale and redraws, rather than scaling the view, so
text keeps its size and labels are re-stacked to stay clear of each other.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsTextItem,
)

from briefing.figures.markers import marker_radius
from briefing.gui.pictures.ink import LIGHT, Ink
from briefing.gui.pictures.ticks import choose_step, tick_label, ticks
from briefing.gui.pictures.view import tag
from briefing.gui.plain_tip import plain_tip
from briefing.services.charts import ChartEvent, TimelineChart

AXIS_HEIGHT = 34.0
ROW_HEIGHT = 24.0
LANE_PADDING = 8.0
MARKER = 14.0
LABEL_GAP = 6.0
PAD = 24.0
TITLE_CHARS = 44


STATUSES = ("confirmed", "reported", "unconfirmed", "disputed", "refuted")
STATUS_HINTS = {
    "confirmed": "solid",
    "reported": "outline",
    "unconfirmed": "dashed",
    "disputed": "hatched",
    "refuted": "crossed",
}


def short(title: str, limit: int = TITLE_CHARS) -> str:
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def marker_path(status: str, width: float, size: float = MARKER) -> QPainterPath:
    """A dot for an instant, a bar for a span; a refuted event is crossed out."""
    path = QPainterPath()
    rect = QRectF(-size / 2, -size / 2, max(size, width), size)
    if width <= size:
        path.addEllipse(rect)
    else:
        path.addRoundedRect(rect, size / 2, size / 2)
    return path


def marker_size(casualties: int | None) -> float:
    """A dot's diameter: larger with the casualties claimed (the map's scale), within its row."""
    return max(MARKER, min(2 * marker_radius(casualties or 0), ROW_HEIGHT - 2))


def hatch_brush(colour: QColor, paper: QColor) -> QBrush:
    """Fine diagonal hatching, dense enough to read on a marker the size of a letter."""
    tile = QPixmap(4, 4)
    tile.fill(paper)
    painter = QPainter(tile)
    painter.setPen(QPen(colour, 1))
    painter.drawLine(0, 3, 3, 0)
    painter.end()
    return QBrush(tile)


def style_marker(item: QGraphicsPathItem, status: str, colour: QColor, ink: Ink = LIGHT) -> None:
    """Show status by style, so colour stays free for the party.

    Confirmed solid, reported outline, unconfirmed dashed, disputed hatched,
    refuted crossed out in grey.
    """
    pen = QPen(colour.darker(130), 2)
    brush = QBrush(ink.paper)
    if status == "confirmed":
        brush = QBrush(colour)
    elif status == "unconfirmed":
        pen.setStyle(Qt.PenStyle.DashLine)
        pen.setWidthF(1.6)
    elif status == "disputed":
        brush = hatch_brush(colour, ink.paper)
    elif status == "refuted":
        pen = QPen(ink.muted, 1.6)
        cross = QGraphicsPathItem(item)
        path = QPainterPath()
        box = item.path().boundingRect().adjusted(2, 2, -2, -2)
        path.moveTo(box.topLeft())
        path.lineTo(box.bottomRight())
        path.moveTo(box.bottomLeft())
        path.lineTo(box.topRight())
        cross.setPath(path)
        cross.setPen(QPen(ink.muted, 1.6))
    item.setPen(pen)
    item.setBrush(brush)


@dataclass
class LaneLabel:
    """A lane's name, kept at the left edge of the view while the chart scrolls sideways."""

    background: QGraphicsRectItem
    text: QGraphicsSimpleTextItem


@dataclass
class TimelineLayout:
    start: datetime
    pixels_per_second: float
    left: float
    lane_labels: list[LaneLabel] = field(default_factory=list)
    corner: QGraphicsRectItem | None = None
    legend: QGraphicsItem | None = None

    def x_of(self, moment: datetime) -> float:
        return self.left + PAD + (moment - self.start).total_seconds() * self.pixels_per_second

    def time_at(self, x: float) -> datetime:
        """The moment at scene x; beyond the first or last moment a date can name, that moment."""
        seconds = (x - self.left - PAD) / self.pixels_per_second
        try:
            return self.start + timedelta(seconds=seconds)
        except OverflowError:
            return (
                datetime.max.replace(tzinfo=UTC)
                if seconds > 0
                else datetime.min.replace(tzinfo=UTC)
            )


def chart_span(chart: TimelineChart) -> tuple[datetime, datetime]:
    starts = [e.start for e in chart.events]
    ends = [e.end or e.start for e in chart.events]
    return min(starts), max(ends)


def build_timeline(
    scene: QGraphicsScene,
    chart: TimelineChart,
    pixels_per_second: float,
    font: QFont,
    legend_width: float = 900.0,
    ink: Ink = LIGHT,
) -> TimelineLayout:
    """Draw the chart into an emptied scene at the given time scale."""
    scene.clear()
    metrics = QFontMetricsF(font)
    left = max([110.0, *(metrics.horizontalAdvance(lane.label) + 28 for lane in chart.lanes)])
    start, end = chart_span(chart)
    layout = TimelineLayout(start, pixels_per_second, left)
    right = layout.x_of(end) + 320
    y = AXIS_HEIGHT
    by_lane: dict[int | None, list[ChartEvent]] = defaultdict(list)
    for event in chart.events:
        by_lane[event.lane].append(event)
    for number, lane in enumerate(chart.lanes):
        events = by_lane[lane.key]
        rows = _stack(events, layout, metrics)
        height = max(1, max(rows.values(), default=0) + 1) * ROW_HEIGHT + 2 * LANE_PADDING
        band = scene.addRect(
            QRectF(0, y, right, height),
            QPen(Qt.PenStyle.NoPen),
            QBrush(ink.band if number % 2 else ink.paper),
        )
        band.setZValue(-10)
        colour = QColor(lane.colour)
        for event in events:
            centre_y = y + LANE_PADDING + rows[id(event)] * ROW_HEIGHT + ROW_HEIGHT / 2
            _draw_event(scene, event, layout, centre_y, colour, font, ink)
        label = _lane_label(scene, lane.label, colour, y, height, left, font, ink)
        layout.lane_labels.append(label)
        y += height
    _draw_axis(scene, layout, start, end, right, y, font, ink)
    layout.corner = scene.addRect(
        QRectF(0, 0, left, AXIS_HEIGHT), QPen(Qt.PenStyle.NoPen), QBrush(ink.paper)
    )
    layout.corner.setZValue(30)
    utc = QGraphicsSimpleTextItem("Times in UTC", layout.corner)
    utc.setFont(font)
    utc.setBrush(ink.muted)
    utc.setPos(8, 8)
    layout.legend = _draw_legend(scene, y + 16, font, legend_width, ink)
    scene.setSceneRect(scene.itemsBoundingRect().adjusted(0, 0, 0, 8))
    return layout


def _stack(
    events: list[ChartEvent], layout: TimelineLayout, metrics: QFontMetricsF
) -> dict[int, int]:
    """Give each event the first row in which its marker and label do not touch another's."""
    ends: list[float] = []
    rows: dict[int, int] = {}
    for event in sorted(events, key=lambda e: e.start):
        size = marker_size(event.casualties)
        begin = layout.x_of(event.start) - size / 2
        finish = layout.x_of(event.end or event.start) + size / 2
        finish += LABEL_GAP + metrics.horizontalAdvance(short(event.title)) + 12
        row = next((n for n, end in enumerate(ends) if end <= begin), len(ends))
        if row == len(ends):
            ends.append(finish)
        else:
            ends[row] = finish
        rows[id(event)] = row
    return rows


def _draw_event(
    scene: QGraphicsScene,
    event: ChartEvent,
    layout: TimelineLayout,
    y: float,
    colour: QColor,
    font: QFont,
    ink: Ink,
) -> None:
    x = layout.x_of(event.start)
    size = marker_size(event.casualties)
    width = (layout.x_of(event.end) - x + MARKER) if event.end else size
    marker = QGraphicsPathItem(marker_path(event.status, width, size))
    marker.setPos(x, y)
    style_marker(marker, event.status, colour, ink)
    marker.setData(2, "shape")
    marker.setZValue(5)
    tip = f"{event.title}\n{event.when}\n{event.status.capitalize()}, credibility {event.grade}" + (
        f"\n{event.parties}" if event.parties else ""
    )
    if event.casualties is not None:
        tip += f"\nCasualties claimed, best estimate: {event.casualties:,}"
    tip = plain_tip(tip)
    marker.setToolTip(tip)
    scene.addItem(tag(marker, "entry", event.entry_id))
    label = QGraphicsSimpleTextItem(short(event.title))
    label.setFont(font)
    label.setBrush(ink.text if event.status != "refuted" else ink.muted)
    label.setPos(x - size / 2 + max(size, width) + LABEL_GAP, y - label.boundingRect().height() / 2)
    label.setToolTip(tip)
    label.setZValue(6)
    scene.addItem(tag(label, "entry", event.entry_id))


def _lane_label(
    scene: QGraphicsScene,
    text: str,
    colour: QColor,
    y: float,
    height: float,
    width: float,
    font: QFont,
    ink: Ink,
) -> LaneLabel:
    background = scene.addRect(QRectF(0, 0, width, height), QPen(Qt.PenStyle.NoPen), ink.paper)
    background.setPos(0, y)
    background.setZValue(20)
    swatch = QGraphicsRectItem(QRectF(6, 4, 5, height - 8), background)
    swatch.setBrush(colour)
    swatch.setPen(QPen(Qt.PenStyle.NoPen))
    bold = QFont(font)
    bold.setBold(True)
    label = QGraphicsSimpleTextItem(text, background)
    label.setFont(bold)
    label.setBrush(ink.text)
    label.setPos(18, (height - QFontMetricsF(bold).height()) / 2)
    return LaneLabel(background, label)


def _draw_axis(
    scene: QGraphicsScene,
    layout: TimelineLayout,
    start: datetime,
    end: datetime,
    right: float,
    bottom: float,
    font: QFont,
    ink: Ink,
) -> None:
    step = choose_step(layout.pixels_per_second)
    last = layout.time_at(right)
    scene.addLine(layout.left, AXIS_HEIGHT - 1, right, AXIS_HEIGHT - 1, QPen(ink.muted, 1))
    for n, moment in enumerate(ticks(start, max(end, last), step)):
        x = layout.x_of(moment)
        if x < layout.left or x > right:
            continue
        line = scene.addLine(x, AXIS_HEIGHT - 6, x, bottom, QPen(ink.grid, 1))
        line.setZValue(-5)
        text = scene.addSimpleText(tick_label(moment, step, first=n == 0), font)
        text.setBrush(ink.muted)
        text.setPos(x + 3, 6)


def _draw_legend(
    scene: QGraphicsScene, y: float, font: QFont, width: float, ink: Ink
) -> QGraphicsItem:
    """The status styles and how to use the chart, wrapped to ``width``, as one item."""
    legend = QGraphicsRectItem(QRectF(0, 0, 1, 1))
    legend.setPen(QPen(Qt.PenStyle.NoPen))
    legend.setPos(0, y)
    legend.setZValue(25)
    scene.addItem(legend)
    metrics = QFontMetricsF(font)
    x, row = 12.0, 0.0
    sample = QColor("#5A6E8C")
    for status in STATUSES:
        words = f"{status} ({STATUS_HINTS[status]})"
        needed = MARKER + 6 + metrics.horizontalAdvance(words)
        if x > 12 and x + needed > width:
            x, row = 12.0, row + MARKER + 8
        marker = QGraphicsPathItem(marker_path(status, MARKER), legend)
        style_marker(marker, status, sample, ink)
        marker.setPos(x + MARKER / 2, row + MARKER / 2)
        text = QGraphicsSimpleTextItem(words, legend)
        text.setFont(font)
        text.setBrush(ink.text)
        text.setPos(x + MARKER + 6, row + (MARKER - metrics.height()) / 2)
        x += needed + 22
    hint = QGraphicsTextItem()
    hint.setParentItem(legend)  # not the constructor: PySide would let Python delete it
    hint.setPlainText(
        "Bars span start to end; a larger dot, more casualties claimed (best estimate). "
        "Click an event to select it; wheel or Ctrl+± to zoom, drag to pan."
    )
    hint.setFont(font)
    hint.setDefaultTextColor(ink.muted)
    hint.setTextWidth(max(240.0, width - 12))
    hint.setPos(8, row + MARKER + 6)
    return legend


def pin_lane_labels(layout: TimelineLayout, x: float) -> None:
    """Keep lane names and the legend at scene x ``x`` (the view's left edge) when scrolling."""
    for lane in layout.lane_labels:
        lane.background.setX(x)
    for item in (layout.corner, layout.legend):
        if item is not None:
            item.setX(x)


def visible_items(scene: QGraphicsScene) -> list[QGraphicsItem]:
    return [i for i in scene.items() if i.data(2) == "shape"]


def marker_centre(item: QGraphicsItem) -> QPointF:
    return item.sceneBoundingRect().center()
