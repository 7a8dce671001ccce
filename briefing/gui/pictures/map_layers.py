"""What the map tab paints: the base map as paths, city names, and one layer of markers.

Scene units are projected kilometres with y pointing south (Qt's way). Markers
keep their size in pixels whatever the zoom, so one item paints them all in
device pixels; groups are worked out once per power-of-two zoom level and kept.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator, Sequence

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QPolygonF,
    QTransform,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsObject,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from briefing.figures.basemap import BaseMap, base_layers, places_in
from briefing.figures.clip import Rect
from briefing.figures.map_layout import Transform, place_labels
from briefing.figures.markers import (
    BY_STATUS,
    MIXED_COLOUR,
    EventColumns,
    Group,
    MapEvent,
    MarkerGrid,
    Pools,
    group_radius,
    marker_radius,
    ring_arcs,
)
from briefing.figures.projection import Azimuthal
from briefing.gui.pictures.map_ink import LIGHT_MAP, MapInk

HIGHLIGHT = QColor("#2F6FA7")
GROUP_CELL = 14.0
"""Markers closer than this many pixels are drawn as one group."""
BASE_Z, LABEL_Z, MARKER_Z = 0.0, 5.0, 10.0
LABEL_INSET = 4.0
"""Pixels kept free of names along the view's edges."""


def level_of(scale: float) -> int:
    """The zoom level of a scale (pixels per km): groups change only between levels."""
    return math.floor(math.log2(max(scale, 1e-9)))


class MarkerLayer(QGraphicsObject):
    """Every event of the map, pooled for the zoom level and painted in device pixels."""

    def __init__(
        self,
        events: Sequence[MapEvent],
        projection: Azimuthal,
        by: str = BY_STATUS,
        where: tuple[np.ndarray, np.ndarray] | None = None,
    ):
        """``where``: the events' longitudes and latitudes as arrays, if already made."""
        super().__init__()
        self.events = events if isinstance(events, EventColumns) else list(events)
        self.by = by
        n = len(self.events)
        lons, lats = where or degrees_of(self.events)
        xs, ys = projection.forward_arrays(lons, lats)
        self.grid = MarkerGrid(self.events, (xs, -ys), by)
        self.current: int | None = None
        self._keys: dict[int, int] | None = None
        self._levels: dict[int, Pools] = {}
        self._brushes: dict[str, QBrush] = {}
        self._sprites: dict[tuple[object, float, bool, float], QPixmap] = {}
        self._warmed: set[int] = set()
        self._looks: dict[int, dict[int, Shares]] = {}
        """Per zoom level, each mixed group's ring shares, worked out once."""
        self._warming: Iterator[None] | None = None
        self._ratio = 1.0
        """The screen's device pixel ratio at the last paint: sprites drawn ahead use it."""
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)
        self.setZValue(MARKER_Z)
        if n:
            xs, ys = self.grid.xs, self.grid.ys
            left, top = float(xs.min()), float(ys.min())
            self._bounds = QRectF(left, top, float(xs.max()) - left, float(ys.max()) - top)
        else:
            self._bounds = QRectF()
        self._font = QFont()
        self._font.setBold(True)
        self._font.setPixelSize(11)

    def _index(self) -> dict[int, int]:
        """Each event's position by key, made when first asked (a click or a selection)."""
        if self._keys is None:
            events = self.events
            keys = events.keys if isinstance(events, EventColumns) else [e.key for e in events]
            self._keys = {key: i for i, key in enumerate(keys)}
        return self._keys

    def points_rect(self) -> QRectF:
        return QRectF(self._bounds)

    def boundingRect(self) -> QRectF:
        pad = max(self._bounds.width(), self._bounds.height(), 50.0)
        return self._bounds.adjusted(-pad, -pad, pad, pad)

    # ------------------------------------------------------------------ groups

    def pools(self, level: int) -> Pools:
        """Markers pooled at a zoom level: cells :data:`GROUP_CELL` pixels wide."""
        found = self._levels.get(level)
        if found is None:
            found = self._levels[level] = self.grid.pools(GROUP_CELL / (2.0**level))
        return found

    def prepare_next(self, scale: float, lowest: int, highest: int) -> bool:
        """Pool the level nearest this scale's that is not pooled yet; False when none is left.

        Called again and again while the window is idle, so that zooming several
        levels at once never waits for grouping a hundred thousand markers.
        """
        if not self.events:
            return False
        level = level_of(scale)
        for distance in range(highest - lowest + 1):
            for near in (level + distance, level - distance):
                if lowest <= near <= highest and near not in self._levels:
                    self.pools(near)
                    return True
        return False

    def warm_next(self, scale: float, lowest: int, highest: int) -> bool:
        """Draw ahead some sprites of the pooled level nearest this scale's; False when done.

        A zoom step to a new level would otherwise draw hundreds of new group rings
        in one paint. Called while the window is idle, after :meth:`prepare_next`,
        :data:`WARM_STEP` sprites at a time.
        """
        if self._warming is None:
            level = level_of(scale)
            near = [n for d in range(highest - lowest + 1) for n in (level + d, level - d)]
            todo = [
                n
                for n in near
                if lowest <= n <= highest and n in self._levels and n not in self._warmed
            ]
            if not todo:
                return False
            self._warmed.add(todo[0])
            self._warming = self._sprites_of(todo[0])
        for _ in range(WARM_STEP):
            if next(self._warming, StopIteration) is StopIteration:
                self._warming = None
                break
        return True

    def _sprites_of(self, level: int) -> Iterator[None]:
        """Draw every sprite a level's markers need, one per step."""
        pools = self._levels[level]
        palette, counts = self.grid.palette, pools.counts
        single, mixed = counts == 1, pools.mixed
        colours, dead = pools.colours.tolist(), pools.dead.tolist()
        looks = {(colours[i], dead[i]) for i in np.flatnonzero(single).tolist()}
        for colour, casualties in looks:
            self._sprite(palette[colour], marker_radius(casualties), False, self._ratio)
            yield None
        plain = ~single & ~mixed
        sizes = {(colours[i], int(counts[i])) for i in np.flatnonzero(plain).tolist()}
        for colour, count in sizes:
            self._sprite(palette[colour], group_radius(count), True, self._ratio)
            yield None
        for pool in np.flatnonzero(~single & mixed).tolist():
            look = self._look(level, pool)
            self._sprite(look, group_radius(int(counts[pool])), True, self._ratio)
            yield None

    def _look(self, level: int, pool: int) -> Shares:
        """A mixed group's ring shares (in 24ths), remembered for its zoom level."""
        looks = self._looks.setdefault(level, {})
        look = looks.get(pool)
        if look is None:
            look = looks[pool] = sprite_shares(self.pools(level).shares(pool))
        return look

    def group_at(self, point: QPointF, scale: float) -> Group | None:
        """The group drawn under a scene point at this scale, the nearest if several."""
        if not self.events:
            return None
        pools = self.pools(level_of(scale))
        reach = 20.0 / scale
        best, best_d = None, math.inf
        x, y = point.x(), point.y()
        for pool in pools.within(x - reach, y - reach, x + reach, y + reach):
            d = math.hypot(float(pools.xs[pool]) - x, float(pools.ys[pool]) - y) * scale
            radius = self._radius(int(pools.counts[pool]), int(pools.dead[pool]))
            if d <= radius + 2 and d < best_d:
                best, best_d = pool, d
        return pools.group(best) if best is not None else None

    def group_of(self, key: int, scale: float) -> Group | None:
        """The group an event is drawn in at this scale (None if it is not drawn)."""
        index = self._index().get(key)
        if index is None:
            return None
        pools = self.pools(level_of(scale))
        return pools.group(int(pools.inverse[index]))

    @staticmethod
    def _radius(count: int, casualties: int) -> float:
        return marker_radius(casualties) if count == 1 else group_radius(count)

    # ------------------------------------------------------------------ painting

    def _sprite(
        self,
        look: str | Shares,
        radius: float,
        group: bool,
        ratio: float = 1.0,
        deadline: float | None = None,
    ) -> QPixmap | None:
        """A marker drawn once (antialiased) and then stamped, far cheaper than drawing it.

        ``look``: a colour, or a mixed group's shares (its ring is cut into arcs).
        ``ratio`` is the screen's device pixel ratio, so stamps stay sharp on dense screens.
        None if it is not drawn yet and the ``deadline`` (a :func:`time.perf_counter`) passed.
        """
        key = (look, round(radius * 2) / 2, group, ratio)
        sprite = self._sprites.get(key)
        if sprite is None and deadline is not None and time.perf_counter() > deadline:
            return None
        if sprite is None:
            pad = 2.0 if group else 1.0
            side = math.ceil(2 * (radius + pad) * ratio)
            sprite = QPixmap(side, side)
            sprite.setDevicePixelRatio(ratio)
            sprite.fill(Qt.GlobalColor.transparent)
            painter = QPainter(sprite)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            centre = QPointF(radius + pad, radius + pad)
            if group:
                draw_group_ring(painter, centre, radius, look)
            else:
                painter.setPen(QPen(QColor("white"), 1.0))
                painter.setBrush(self._brush(str(look)))
                painter.drawEllipse(centre, radius, radius)
            painter.end()
            self._sprites[key] = sprite
        return sprite

    def _brush(self, colour: str) -> QBrush:
        brush = self._brushes.get(colour)
        if brush is None:
            fill = QColor(colour)
            fill.setAlphaF(0.85)
            brush = self._brushes[colour] = QBrush(fill)
        return brush

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        if not self.events:
            return
        transform = painter.worldTransform()
        scale = transform.m11()
        level = level_of(scale)
        pools = self.pools(level)
        rect = option.exposedRect  # type: ignore[attr-defined]
        margin = 24.0 / scale
        shown = pools.within(
            rect.left() - margin, rect.top() - margin, rect.right() + margin, rect.bottom() + margin
        )
        current = self._index().get(self.current) if self.current is not None else None
        current_pool = int(pools.inverse[current]) if current is not None else -1
        device = painter.device()
        ratio = device.devicePixelRatioF() if device is not None else 1.0
        self._ratio = ratio
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(self._font)
        # The view only scales and moves: device positions for all shown at once.
        index = np.asarray(shown, dtype=np.int64)
        px = (pools.xs[index] * transform.m11() + transform.dx()).tolist()
        py = (pools.ys[index] * transform.m22() + transform.dy()).tolist()
        counts, dead = pools.counts[index].tolist(), pools.dead[index].tolist()
        colours, mixed = pools.colours[index].tolist(), pools.mixed[index].tolist()
        singles: dict[int, list[QRectF]] = {}
        groups: list[tuple[float, float, float, int, str | Shares]] = []
        for pool, x, y, count, casualties, colour, blend in zip(
            shown, px, py, counts, dead, colours, mixed, strict=True
        ):
            radius = self._radius(count, casualties)
            if pool == current_pool:
                painter.setPen(QPen(HIGHLIGHT, 3.0))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawEllipse(QPointF(x, y), radius + 3.5, radius + 3.5)
            if count == 1:
                box = QRectF(x - radius, y - radius, 2 * radius, 2 * radius)
                singles.setdefault(colour, []).append(box)
            else:
                look = self._look(level, pool) if blend else self.grid.palette[colour]
                groups.append((x, y, radius, count, look))
        for colour, boxes in singles.items():  # stamped from one drawn marker per look
            for box in boxes:
                sprite = self._sprite(self.grid.palette[colour], box.width() / 2, False, ratio)
                assert sprite is not None
                painter.drawPixmap(box.topLeft() - QPointF(1, 1), sprite)
        # Mixed rings have many looks: those not drawn yet within the budget are stamped
        # in one colour now and in their own colours at the next paint, a moment later.
        deadline = time.perf_counter() + SPRITE_BUDGET
        late = False
        for x, y, radius, count, look in groups:
            sprite = self._sprite(
                look, radius, True, ratio, None if isinstance(look, str) else deadline
            )
            if sprite is None:
                late = True
                sprite = self._sprite(MIXED_COLOUR, radius, True, ratio)
            assert sprite is not None
            painter.drawPixmap(QPointF(x - radius - 2, y - radius - 2), sprite)
            painter.setPen(QColor(look if isinstance(look, str) else MIXED_COLOUR))
            box = QRectF(x - radius, y - radius, 2 * radius, 2 * radius)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, _count_text(count))
        painter.restore()
        if late:
            QTimer.singleShot(0, self, self.update)


Shares = tuple[tuple[str, int], ...]
SPRITE_BUDGET = 0.008
"""Seconds a paint may spend drawing new mixed rings before it leaves the rest to the next."""
WARM_STEP = 40
"""Sprites drawn ahead per idle moment: a few milliseconds, so a zoom is never kept waiting."""
RING_STEPS = 24
"""A mixed ring's shares are drawn in 24ths, so a few sprites serve every group."""


def sprite_shares(shares: Shares) -> Shares:
    """Shares rounded to 24ths (at least one each): the key of a mixed group's sprite."""
    total = sum(count for _, count in shares) or 1
    return tuple((colour, max(1, round(RING_STEPS * count / total))) for colour, count in shares)


def draw_group_ring(painter: QPainter, centre: QPointF, radius: float, look: str | Shares) -> None:
    """A group: a white disc inside a ring of one colour, or of arcs, one per share."""
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("white"))
    painter.drawEllipse(centre, radius + 1.25, radius + 1.25)
    box = QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    shares = ((look, 1),) if isinstance(look, str) else look
    for colour, start, span in ring_arcs(shares):
        pen = QPen(QColor(colour), 2.5)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        painter.setPen(pen)
        if span >= 360.0:
            painter.drawEllipse(box)
        else:
            painter.drawArc(box, round(start * 16), round(span * 16))


def degrees_of(events: Sequence[MapEvent]) -> tuple[np.ndarray, np.ndarray]:
    """The events' longitudes and latitudes as arrays."""
    if isinstance(events, EventColumns):
        return events.lons, events.lats
    lons = np.fromiter((e.lon for e in events), float, len(events))
    lats = np.fromiter((e.lat for e in events), float, len(events))
    return lons, lats


def _count_text(count: int) -> str:
    return f"{count // 1000}k" if count >= 10_000 else str(count)


# ---------------------------------------------------------------------------- base map


def _polygon(points: Sequence[tuple[float, float]]) -> QPolygonF:
    return QPolygonF([QPointF(x, -y) for x, y in points])


def base_items(
    scene: QGraphicsScene,
    base: BaseMap,
    projection: Azimuthal,
    rect: Rect,
    scale: float,
    ink: MapInk = LIGHT_MAP,
) -> list[QGraphicsItem]:
    """Sea, land, coasts and borders of the km rectangle ``rect`` (y north), as scene items."""
    layers = base_layers(base, projection, rect, base.level_for(1.0 / scale))
    x0, y0, x1, y1 = rect
    sea = scene.addRect(QRectF(x0, -y1, x1 - x0, y1 - y0), QPen(Qt.PenStyle.NoPen), QBrush(ink.sea))
    land_path = QPainterPath()
    land_path.setFillRule(Qt.FillRule.OddEvenFill)
    for ring in layers.land:
        land_path.addPolygon(_polygon(ring))
        land_path.closeSubpath()
    land = scene.addPath(land_path, QPen(Qt.PenStyle.NoPen), QBrush(ink.land))
    items: list[QGraphicsItem] = [sea, land]
    for lines, colour, width, style in (
        (layers.coasts, ink.coast, 1.0, Qt.PenStyle.SolidLine),
        (layers.borders, ink.border, 1.2, Qt.PenStyle.DashLine),
    ):
        path = QPainterPath()
        for line in lines:
            path.addPolygon(_polygon(line))
        pen = QPen(colour, width, style)
        pen.setCosmetic(True)
        items.append(scene.addPath(path, pen))
    for item in items:
        item.setZValue(BASE_Z)
        item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
    return items


def label_fonts() -> dict[str, QFont]:
    """The window's fonts for place names, by kind, in fixed pixel sizes."""
    bold, plain, country = QFont(), QFont(), QFont()
    bold.setPixelSize(12)
    bold.setBold(True)
    plain.setPixelSize(11)
    country.setPixelSize(12)
    country.setItalic(True)
    country.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 110)
    return {"capital": bold, "city": plain, "country": country}


def label_items(
    scene: QGraphicsScene,
    base: BaseMap,
    projection: Azimuthal,
    rect: Rect,
    scale: float,
    ink: MapInk = LIGHT_MAP,
    taken: Sequence[Rect] = (),
) -> list[QGraphicsItem]:
    """City and country names wholly inside the km rectangle ``rect`` (y north).

    Placed apart at this scale, in fixed pixel sizes, each as wide as its font draws it,
    clear of ``taken`` (km rectangles the furniture covers) and of the edges.
    """
    to_pixels = Transform(scale, (0.0, 0.0), (0.0, 0.0))
    x0, y0, x1, y1 = rect
    edge = LABEL_INSET
    area = (x0 * scale + edge, y0 * scale + edge, x1 * scale - edge, y1 * scale - edge)
    covered = [(a * scale, b * scale, c * scale, d * scale) for a, b, c, d in taken]
    places, countries = places_in(base, projection, rect)
    fonts = label_fonts()
    metrics = {kind: QFontMetricsF(font) for kind, font in fonts.items()}

    def measure(text: str, kind: str, size: float) -> float:
        return metrics[kind].horizontalAdvance(text) + 2.0

    labels = place_labels(
        places, countries, projection, to_pixels, area, [], 11.0, 40, measure, covered
    )
    items: list[QGraphicsItem] = []
    for label in labels:
        text = QGraphicsSimpleTextItem(label.text)
        text.setFont(fonts[label.kind])
        text.setBrush(ink.country if label.kind == "country" else ink.text)
        width = text.boundingRect().width()
        shift = {"start": 0.0, "end": -width, "middle": -width / 2}[label.anchor]
        text.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        text.setPos(label.tx / scale, -label.ty / scale)
        text.setTransform(QTransform.fromTranslate(shift, -text.boundingRect().height() * 0.75))
        items.append(text)
        if label.kind != "country":
            side = 5.0 if label.kind == "capital" else 3.5
            dot = scene.addRect(
                QRectF(-side / 2, -side / 2, side, side),
                QPen(ink.dot_edge, 0.5),
                QBrush(ink.text),
            )
            dot.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
            dot.setPos(label.x / scale, -label.y / scale)
            items.append(dot)
        scene.addItem(text)
    for item in items:
        item.setZValue(LABEL_Z)
        item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
    return items
