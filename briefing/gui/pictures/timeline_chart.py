"""The timeline chart: the library's latest entries on a UTC axis, one lane per party."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QFont, QFontMetricsF, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QGraphicsScene, QWidget

from briefing.gui.document import ProjectDocument
from briefing.gui.pictures.ink import LIGHT, Ink, ink_for
from briefing.gui.pictures.timeline_scene import (
    PAD,
    TimelineLayout,
    build_timeline,
    chart_span,
    pin_lane_labels,
)
from briefing.gui.pictures.view import PictureView, PictureWidget
from briefing.model.vocab import counted
from briefing.services import charts
from briefing.services.charts import TimelineChart

MIN_PPS = 1e-7  # about 2,000 years across a wide screen
MAX_PPS = 2.0  # two pixels a second: minutes well apart
MAX_WIDTH = 1_000_000.0  # pixels: bounds the number of ticks and keeps coordinates exact
LABEL_ROOM = 300.0  # room right of the last event for its label, at the least
MARKER_ROOM = 30.0  # an event's marker and the gap before its label


class TimelineView(PictureView):
    """Zooms by changing the time scale and redrawing, so text never grows or shrinks."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(QGraphicsScene(), parent)
        self.scene().setParent(self)
        self.chart: TimelineChart | None = None
        self.layout_: TimelineLayout | None = None
        self.pixels_per_second = 0.0
        self._fitted = False
        self.ink = LIGHT
        self._follow_palette()
        self.horizontalScrollBar().valueChanged.connect(self.pin)

    def _follow_palette(self) -> None:
        """Light or dark with the window, the chart's paper and text together."""
        self.ink = ink_for(self.palette())
        self.setBackgroundBrush(self.ink.paper)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            ink = self.ink
            self._follow_palette()
            if self.ink is not ink and self.layout_ is not None:
                self._draw()

    def draw_with(self, ink: Ink) -> None:
        """Draw again in these colours (a saved picture is light whatever the window is)."""
        self.ink = ink
        if self.layout_ is not None:
            self._draw()

    def set_chart(self, chart: TimelineChart) -> None:
        self.chart = chart
        if not chart.events:
            self.layout_ = None
            self.scene().clear()
            self.scene().addSimpleText("No timeline entries yet.", self.font()).setBrush(
                self.ink.text
            )
            return
        if self.pixels_per_second <= 0:
            self.pixels_per_second = self._fitting_scale()
        self._draw()

    def _fitting_scale(self) -> float:
        """The scale at which every event and its label fit the view, where they can.

        Each event limits the scale by how far it lies from the first and how long its
        label is; the strictest limit wins, so the span spreads over the room its labels
        leave instead of a fixed margin, and is never narrower than that margin allows.
        """
        assert self.chart is not None
        start, end = chart_span(self.chart)
        seconds = max((end - start).total_seconds(), 86400.0)
        metrics = QFontMetricsF(self.font())
        lanes = [metrics.horizontalAdvance(lane.label) + 28 for lane in self.chart.lanes]
        left = max([110.0, *lanes]) + PAD
        width = self.viewport().width() - 2 * PAD
        floor = max(width - left - LABEL_ROOM, 200) / seconds  # the former fixed room
        limits = []
        for event in self.chart.events:
            offset = ((event.end or event.start) - start).total_seconds()
            room = width - left - MARKER_ROOM - metrics.horizontalAdvance(event.title)
            if offset > 0 and room > 0:
                limits.append(room / offset)
        fitted = min(limits) if limits else floor
        return min(max(fitted, floor, MIN_PPS), MAX_PPS)

    def _max_pps(self) -> float:
        """The finest scale: two pixels a second, or less where that would make a huge chart."""
        assert self.chart is not None
        start, end = chart_span(self.chart)
        return min(MAX_PPS, MAX_WIDTH / max((end - start).total_seconds(), 1.0))

    def _draw(self) -> None:
        assert self.chart is not None
        self.layout_ = None  # its items go with the old drawing
        layout = build_timeline(
            self.scene(),
            self.chart,
            self.pixels_per_second,
            QFont(self.font()),
            legend_width=self.viewport().width() - 8,
            ink=self.ink,
        )
        if self.scene().sceneRect().width() > self.viewport().width():
            # Room on the right, so zooming near the latest events keeps them under the pointer.
            room = self.viewport().width() * 0.75
            self.scene().setSceneRect(self.scene().sceneRect().adjusted(0, 0, room, 0))
        self.layout_ = layout
        self.redraw_halo()
        self.pin()

    def pin(self) -> None:
        if self.layout_ is not None:
            pin_lane_labels(self.layout_, self.mapToScene(QPoint(0, 0)).x())

    def zoom(self, factor: float, anchor: QPoint | None = None) -> None:
        """Stretch time around ``anchor`` (viewport point), keeping that moment under it."""
        if self.layout_ is None:
            return
        point = anchor if anchor is not None else self.viewport().rect().center()
        moment = self.layout_.time_at(self.mapToScene(point).x())
        self.pixels_per_second = min(max(self.pixels_per_second * factor, MIN_PPS), self._max_pps())
        self._draw()
        target = self.layout_.x_of(moment)
        bar = self.horizontalScrollBar()
        bar.setValue(round(bar.value() + target - self.mapToScene(point).x()))
        self.pin()

    def fit(self) -> None:
        if self.chart is not None and self.chart.events:
            self.pixels_per_second = self._fitting_scale()
            self._draw()
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().minimum())
            self.pin()

    def export_layout(self) -> None:
        """Put lane names back at the chart's left edge, where a picture of it wants them."""
        if self.layout_ is not None:
            pin_lane_labels(self.layout_, 0.0)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._fitted:
            self._fitted = True
            self.fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.pin()


class TimelineChartWidget(PictureWidget):
    """Timeline chart with its tools; follows the selection and refreshes after edits."""

    png_name = "timeline.png"
    kinds = ("entry", "party")

    def __init__(self, document: ProjectDocument, parent: QWidget | None = None) -> None:
        self.timeline = TimelineView()
        super().__init__(document, self.timeline, parent)

    def draw(self) -> None:
        chart = charts.timeline_chart(self.document.project)
        self.timeline.set_chart(chart)
        shown = len({e.entry_id for e in chart.events})
        lanes = len(chart.lanes)
        note = f"{counted('entry', shown)} in {counted('lane', lanes)}, one per party."
        if chart.capped:
            total = counted("entry", chart.total, grouped=True)
            note = f"The latest {shown:,} of {total}, one lane per party."
        self.note.setText(note)

    def export(self, path: Path) -> Path:
        self.timeline.draw_with(LIGHT)
        self.timeline.export_layout()
        try:
            return super().export(path)
        finally:
            self.timeline.draw_with(ink_for(self.timeline.palette()))
