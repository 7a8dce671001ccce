"""The map tab's view: pan and zoom, markers that select records, furniture on top.

Wheel and keys zoom and pan; a click on a marker selects its record (a second
click on a group moves to its next event); scale bar, north arrow and legend are
painted over the map at a fixed size.

The base map is redrawn for what is shown once zooming or panning settles, at the
level of detail the new scale needs; until then the old paths are simply scaled.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPen,
    QPolygonF,
    QResizeEvent,
)
from PySide6.QtWidgets import QApplication, QGraphicsItem, QGraphicsScene, QGraphicsView, QWidget

from briefing.figures.basemap import BaseMap, load_base_map
from briefing.figures.map_figure import with_capitals
from briefing.figures.map_layout import LegendItem, legend_items, north_arrow, scale_bar
from briefing.figures.markers import BY_STATUS, MapEvent
from briefing.figures.projection import REACH_KM, Azimuthal, centred_on_arrays
from briefing.gui.pictures.map_ink import MapInk, map_ink_for
from briefing.gui.pictures.map_layers import (
    MarkerLayer,
    base_items,
    degrees_of,
    draw_group_ring,
    label_items,
    level_of,
)
from briefing.gui.pictures.view import WHEEL_STEP, PictureView

MIN_SCALE = 0.02  # pixels per km: the whole world in a window
MAX_SCALE = 400.0  # a few metres per pixel
FIT_MIN_KM = 160.0
PAN_STEP = 80


class MapView(PictureView):
    """Projected kilometres in the scene; ``scale`` pixels per kilometre."""

    placeRequested = Signal(float, float)
    """A click on the map while placing: latitude, longitude."""

    def __init__(self, parent: QWidget | None = None, base: BaseMap | None = None) -> None:
        super().__init__(QGraphicsScene(), parent)
        self.base = base or load_base_map()
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.projection = Azimuthal(45.5, 40.3)
        self.markers: MarkerLayer | None = None
        self.events: Sequence[MapEvent] = []
        self.by = BY_STATUS
        self.placing = False
        self.legend: list[LegendItem] = []
        self._base: list[QGraphicsItem] = []
        self._labels: list[QGraphicsItem] = []
        """Place names, placed inside the view as it was when zooming or panning settled."""
        self._labels_rect, self._labels_scale = QRectF(), 0.0
        self._base_rect = QRectF()
        self._base_scale = 0.0
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(120)
        self._settle.timeout.connect(self.refresh_base)
        self._prepare = QTimer(self)
        self._prepare.setSingleShot(True)
        self._prepare.setInterval(10)
        self._prepare.timeout.connect(self._prepare_levels)
        reach = REACH_KM
        self.scene().setSceneRect(QRectF(-reach, -reach, 2 * reach, 2 * reach))
        self.ink = map_ink_for(self.palette())
        self.setBackgroundBrush(self.ink.sea)

    def _follow_palette(self) -> None:
        """Light or dark with the window: sea, land, names and furniture together."""
        self.draw_with(map_ink_for(self.palette()))

    def draw_with(self, ink: MapInk) -> None:
        """Draw again in these colours (a saved map is light whatever the window is)."""
        if ink is self.ink:
            return
        self.ink = ink
        self.setBackgroundBrush(ink.sea)
        if self._base:
            self.refresh_base(force=True)
        self.viewport().update()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._follow_palette()

    @property
    def scale_(self) -> float:
        return self.transform().m11()

    # ------------------------------------------------------------------ content

    def set_events(
        self,
        events: Sequence[MapEvent],
        by: str = BY_STATUS,
        recentre: bool = True,
        where: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> None:
        """Show these events; a new set is framed, the same set keeps the view.

        ``where``: their longitudes and latitudes as arrays, when the caller has them.
        """
        self.events, self.by = events, by
        self.legend = [i for i in legend_items(events, by) if i.kind != "size"]
        where = where if where is not None and len(where[0]) == len(events) else degrees_of(events)
        if recentre:
            self.projection = centred_on_arrays(*where)
            self._clear_base()
        if self.markers is not None:
            self.scene().removeItem(self.markers)
        self.markers = MarkerLayer(events, self.projection, by, where)
        self.markers.current = self.current[1] if self.current else None
        self.scene().addItem(self.markers)
        if recentre:
            self.fit()
        else:
            if self._base:  # the legend may have grown: names clear of it
                self._place_labels(self.visible_rect())
            self.viewport().update()

    def base_drawn(self) -> bool:
        return bool(self._base)

    def _clear_base(self) -> None:
        for item in self._base + self._labels:
            self.scene().removeItem(item)
        self._base, self._labels = [], []
        self._base_rect, self._labels_rect = QRectF(), QRectF()

    def visible_rect(self) -> QRectF:
        return self.mapToScene(self.viewport().rect()).boundingRect()

    def refresh_base(self, force: bool = False) -> None:
        """Redraw the base map if the view left the drawn area or the scale moved a level.

        The names are placed again inside the view as it now is.
        """
        shown = self.visible_rect()
        level_moved = not (0.7 < self.scale_ / max(self._base_scale, 1e-12) < 1.6)
        if force or not self._base or not self._base_rect.contains(shown) or level_moved:
            self._clear_base()
            w, h = shown.width() / 2, shown.height() / 2
            area = shown.adjusted(-w, -h, w, h)
            reach = REACH_KM
            area = area.intersected(QRectF(-reach, -reach, 2 * reach, 2 * reach))
            rect = (area.left(), -area.bottom(), area.right(), -area.top())
            scale = self.scale_
            self._base = base_items(self.scene(), self.base, self.projection, rect, scale, self.ink)
            self._base_rect, self._base_scale = area, scale
            self._prepare.start()
        if force or shown != self._labels_rect or self.scale_ != self._labels_scale:
            self._place_labels(shown)

    def _place_labels(self, shown: QRectF) -> None:
        for item in self._labels:
            self.scene().removeItem(item)
        rect = (shown.left(), -shown.bottom(), shown.right(), -shown.top())
        taken = []
        for box in self.furniture():
            km = self.mapToScene(box.toRect()).boundingRect()
            taken.append((km.left(), -km.bottom(), km.right(), -km.top()))
        scene, base, ink = self.scene(), self.base, self.ink
        self._labels = label_items(scene, base, self.projection, rect, self.scale_, ink, taken)
        self._labels_rect, self._labels_scale = QRectF(shown), self.scale_

    def _prepare_levels(self) -> None:
        """Group one more zoom level or draw ahead some sprites, nearest levels first.

        Runs again while the window is idle, a few milliseconds at a time.
        """
        markers = self.markers
        if markers is None:
            return
        scale, level = self.scale_, level_of(self.scale_)
        lowest, highest = level_of(MIN_SCALE), level_of(MAX_SCALE)
        near = max(lowest, level - 1), min(highest, level + 1)
        around = max(lowest, level - 3), min(highest, level + 3)
        if (
            markers.prepare_next(scale, *near)
            or markers.warm_next(scale, *near)
            or markers.prepare_next(scale, lowest, highest)
            or markers.warm_next(scale, *around)
        ):
            self._prepare.start()

    # ------------------------------------------------------------------ zoom and pan

    def zoom(self, factor: float, anchor: QPoint | None = None) -> None:
        target = min(max(self.scale_ * factor, MIN_SCALE), MAX_SCALE)
        if target == self.scale_:
            return
        super().zoom(target / self.scale_, anchor)
        self._settle.start()

    def fit(self) -> None:
        """Frame the events and the capitals near them (as the PDF does), or the region."""
        rect = QRectF()
        if self.markers is not None and self.events and len(self.events) < 5000:
            grid = self.markers.grid
            points = list(zip(grid.xs.tolist(), (-grid.ys).tolist(), strict=True))
            framed = with_capitals(self.projection, points, self.base.places)
            xs, ys = [p[0] for p in framed], [-p[1] for p in framed]
            rect = QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
        elif self.markers is not None and self.events:
            rect = self.markers.points_rect()
        centre = rect.center() if self.events else QPointF(0, 0)
        width = max(rect.width() * 1.25, FIT_MIN_KM)
        height = max(rect.height() * 1.25, FIT_MIN_KM * 0.6)
        view = self.viewport().rect()
        scale = min(view.width() / width, view.height() / height)
        scale = min(max(scale, MIN_SCALE), MAX_SCALE)
        self.resetTransform()
        self.scale(scale, scale)
        self.centerOn(centre)
        self.refresh_base(force=True)

    def pan(self, dx: int, dy: int) -> None:
        centre = self.mapToScene(self.viewport().rect().center())
        self.centerOn(centre + QPointF(dx / self.scale_, dy / self.scale_))
        self._settle.start()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        keys = {
            Qt.Key.Key_Left: (-PAN_STEP, 0),
            Qt.Key.Key_Right: (PAN_STEP, 0),
            Qt.Key.Key_Up: (0, -PAN_STEP),
            Qt.Key.Key_Down: (0, PAN_STEP),
        }
        if event.key() in keys:
            self.pan(*keys[Qt.Key(event.key())])
        elif event.key() in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(WHEEL_STEP)
        elif event.key() == Qt.Key.Key_Minus:
            self.zoom(1 / WHEEL_STEP)
        else:
            super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._base:
            self._settle.start()  # names placed again inside the new size

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        self._settle.start()

    # ------------------------------------------------------------------ clicks

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        start = self._pressed_at
        if self.placing and start is not None and event.button() == Qt.MouseButton.LeftButton:
            moved = (event.position().toPoint() - start).manhattanLength()
            QGraphicsView.mouseReleaseEvent(self, event)
            self._pressed_at = None
            if moved <= QApplication.startDragDistance():
                point = self.mapToScene(start)
                lon, lat = self.projection.inverse(point.x(), -point.y())
                self.placeRequested.emit(lat, lon)
            return
        super().mouseReleaseEvent(event)

    def record_at(self, point: QPoint) -> tuple[str, int] | None:
        if self.markers is None:
            return None
        group = self.markers.group_at(self.mapToScene(point), self.scale_)
        if group is None:
            return None
        keys = [self.markers.events[i].key for i in group.members]
        current = self.current[1] if self.current and self.current[0] == "entry" else None
        if current in keys:  # a second click on a group moves to its next event
            return "entry", keys[(keys.index(current) + 1) % len(keys)]
        return "entry", keys[0]

    def highlight(self, kind: str, record_id: int) -> bool:
        self.current = (kind, record_id)
        return self._draw_halo()

    def _draw_halo(self) -> bool:
        if self.markers is None:
            return False
        key = self.current[1] if self.current and self.current[0] == "entry" else None
        self.markers.current = key
        group = self.markers.group_of(key, self.scale_) if key is not None else None
        if group is not None and not self.visible_rect().contains(QPointF(group.x, group.y)):
            self.centerOn(QPointF(group.x, group.y))
        self.viewport().update()
        return group is not None

    def marker_point(self, key: int) -> QPoint | None:
        """Where an event's marker (or its group) is drawn, in viewport pixels."""
        if self.markers is None:
            return None
        group = self.markers.group_of(key, self.scale_)
        return self.mapFromScene(QPointF(group.x, group.y)) if group else None

    # ------------------------------------------------------------------ overlay

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(self.font())
        font.setPixelSize(11)
        painter.setFont(font)
        bar, north, legend = self._furniture_at()
        self._scale_bar(painter, bar.x(), bar.y())
        self._north(painter, north.x(), north.y())
        self._legend(painter, legend.x(), legend.y())
        painter.restore()

    def _furniture_at(self) -> tuple[QPointF, QPointF, QPointF]:
        """Where the scale bar, the north arrow and the legend stand, in viewport pixels."""
        view = self.viewport().rect()
        return (
            QPointF(view.left() + 12, view.bottom() - 16),
            QPointF(view.right() - 24, view.top() + 40),
            QPointF(view.right() - 150, view.bottom() - 12),
        )

    def furniture(self) -> list[QRectF]:
        """The viewport rectangles the scale bar, north arrow and legend cover: no name there."""
        bar, north, legend = self._furniture_at()
        length = scale_bar(self.scale_, 160).length
        height = 16 * len(self.legend) + 8
        return [
            QRectF(bar.x() - 4, bar.y() - 14, length + 60, 22),
            QRectF(north.x() - 16, north.y() - 30, 32, 40),
            QRectF(legend.x() - 8, legend.y() - height, 150, height),
        ]

    def _scale_bar(self, painter: QPainter, x: float, y: float) -> None:
        bar = scale_bar(self.scale_, 160)
        ink = self.ink.text
        painter.fillRect(QRectF(x - 4, y - 14, bar.length + 60, 22), self.ink.plate)
        half = bar.length / 2
        painter.setPen(QPen(ink, 1))
        painter.fillRect(QRectF(x, y - 4, half, 4), ink)
        painter.drawRect(QRectF(x, y - 4, bar.length, 4))
        painter.drawText(QPointF(x + bar.length + 6, y + 1), bar.label)

    def _north(self, painter: QPainter, x: float, y: float) -> None:
        centre = self.mapToScene(self.viewport().rect().center())
        arrow = north_arrow(self.projection, centre.x(), -centre.y())
        dx, dy = arrow.dx, -arrow.dy  # screen y points down
        px, py = -dy, dx
        tip = QPointF(x + 14 * dx, y + 14 * dy)
        wing = QPolygonF(
            [tip, QPointF(x + 6 * px, y + 6 * py), QPointF(x, y), QPointF(x - 6 * px, y - 6 * py)]
        )
        painter.setPen(QPen(self.ink.text, 1))
        painter.setBrush(self.ink.text)
        painter.drawPolygon(wing)
        painter.drawText(QPointF(tip.x() - 4 + 6 * dx, tip.y() - 4 + 6 * dy), "N")

    def _legend(self, painter: QPainter, x: float, bottom: float) -> None:
        items = self.legend
        height = 16 * len(items) + 8
        painter.fillRect(QRectF(x - 8, bottom - height, 150, height), self.ink.plate)
        y = bottom - height + 12
        for item in items:
            if item.kind in ("group", "mixed"):
                plain = self.ink.text.name() if item.kind == "group" else item.colour
                draw_group_ring(painter, QPointF(x, y), 5, item.shares or plain)
            else:
                painter.setPen(QPen(QColor("white"), 1))
                painter.setBrush(QColor(item.colour))
                painter.drawEllipse(QPointF(x, y), 5, 5)
            painter.setPen(self.ink.text)
            label = "Several events (count)" if item.kind == "group" else item.label
            painter.drawText(QPointF(x + 10, y + 4), label[:22])
            y += 16
