"""The alliance context as a picture: parties in their colours, relationships as labelled edges.

An edge's colour says its kind and its line says its status (alleged dashed,
suspended dotted, ended grey); arrows run from a relationship's first party to
its second (who backs, supplies, hosts a base for or keeps the peace for whom).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsTextItem,
    QWidget,
)

from briefing.gui.document import ProjectDocument
from briefing.gui.pictures.diagram_layout import (
    PARALLEL_SPACING,
    Box,
    curve,
    edge_offsets,
    exit_parameter,
    lay_out,
)
from briefing.gui.pictures.view import PictureView, PictureWidget, tag
from briefing.model.vocab import counted
from briefing.services import charts
from briefing.services.charts import DiagramEdge, DiagramNode, RelationshipDiagram

KIND_COLOURS = {
    "defence treaty": "#1F4E9A",
    "military base": "#4A5F7A",
    "arms supply": "#9A4A00",
    "political backing": "#2E7D32",
    "mediation": "#6A1B9A",
    "peacekeeping": "#00838F",
    "rivalry": "#C62828",
    "membership": "#37474F",
    "sanctions": "#AD1457",
    "ceasefire agreement": "#558B2F",
    "arms embargo": "#795548",
}
UNDIRECTED = {"defence treaty", "rivalry", "ceasefire agreement"}
STATUS_PENS = {
    "in force": Qt.PenStyle.SolidLine,
    "alleged": Qt.PenStyle.DashLine,
    "suspended": Qt.PenStyle.DotLine,
    "ended": Qt.PenStyle.SolidLine,
}
ENDED = QColor("#9E9E9E")
SAMPLES = 32
LABEL_SHIFTS = (0.0, 0.07, -0.07, 0.14, -0.14, 0.21, -0.21, 0.28, -0.28, 0.35, -0.35)
RESHAPE_AT = 0.4
"""How far (as a log ratio) the pane's shape may change before the ring is laid out again."""


def readable_on(colour: QColor) -> QColor:
    """Black or white, whichever reads better on ``colour``."""
    luminance = 0.299 * colour.red() + 0.587 * colour.green() + 0.114 * colour.blue()
    return QColor("#111111") if luminance > 150 else QColor("white")


class EdgeItem(QGraphicsPathItem):
    """A relationship line that is easy to click: its shape is a band around the stroke."""

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(10)
        return stroker.createStroke(self.path())


def edge_pen(edge: DiagramEdge) -> QPen:
    colour = ENDED if edge.status == "ended" else QColor(KIND_COLOURS.get(edge.kind, "#555555"))
    pen = QPen(colour, 2.2)
    pen.setStyle(STATUS_PENS.get(edge.status, Qt.PenStyle.SolidLine))
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    return pen


def edge_label(edge: DiagramEdge) -> str:
    return edge.kind if edge.status == "in force" else f"{edge.kind} ({edge.status})"


def build_diagram(
    scene: QGraphicsScene, diagram: RelationshipDiagram, font: QFont, aspect: float = 1.6
) -> None:
    """Draw the diagram into an emptied scene, centred on (0, 0), with a legend below it."""
    scene.clear()
    if not diagram.edges:
        scene.addSimpleText("No relationships yet: add alliance context to the library.", font)
        return
    metrics = QFontMetricsF(font)
    layout = lay_out(
        diagram.nodes, diagram.edges, lambda n: metrics.horizontalAdvance(n.label), aspect
    )
    by_id = {node.party_id: node for node in diagram.nodes}
    for group, box in layout.groups.items():
        _draw_group(scene, box, QColor(by_id[group].colour))
    for node in diagram.nodes:
        _draw_node(scene, node, layout.nodes[node.party_id], font)
    offsets = edge_offsets(diagram.edges)
    taken = [_rect(box) for box in layout.nodes.values()]
    for edge in diagram.edges:
        _draw_edge(scene, edge, layout.nodes, offsets[edge.relationship_id], font, taken)
    _draw_legend(scene, scene.itemsBoundingRect().bottom() + 24, font)


def _rect(box: Box) -> QRectF:
    return QRectF(box.x, box.y, box.width, box.height)


def _draw_group(scene: QGraphicsScene, box: Box, colour: QColor) -> None:
    tint = QColor(colour)
    tint.setAlpha(28)
    path = QPainterPath()
    path.addRoundedRect(_rect(box), 10, 10)
    item = scene.addPath(path, QPen(colour.lighter(130), 1, Qt.PenStyle.DashLine), QBrush(tint))
    item.setZValue(-10)


def _draw_node(scene: QGraphicsScene, node: DiagramNode, box: Box, font: QFont) -> None:
    colour = QColor(node.colour)
    path = QPainterPath()
    path.addRoundedRect(_rect(box), 8, 8)
    item = QGraphicsPathItem(path)
    item.setBrush(colour)
    item.setPen(QPen(colour.darker(140), 1.2))
    item.setZValue(10)
    item.setData(2, "shape")
    item.setToolTip(f"{node.label}\n{node.kind}")
    text = QGraphicsSimpleTextItem(node.label, item)
    text.setFont(font)
    text.setBrush(readable_on(colour))
    size = text.boundingRect()
    text.setPos(box.x + (box.width - size.width()) / 2, box.y + (box.height - size.height()) / 2)
    scene.addItem(tag(item, "party", node.party_id))


def _draw_edge(
    scene: QGraphicsScene,
    edge: DiagramEdge,
    boxes: dict[int, Box],
    offset: float,
    font: QFont,
    taken: list[QRectF],
) -> None:
    """Draw one relationship; its label goes where it covers no node and no other label."""
    a, b = boxes[edge.party_a], boxes[edge.party_b]
    point = curve(a.centre, b.centre, offset)
    start = exit_parameter(point, a, from_end=False)
    end = exit_parameter(point, b, from_end=True)
    path = QPainterPath(QPointF(*point(start)))
    for n in range(1, SAMPLES + 1):
        path.lineTo(QPointF(*point(start + (end - start) * n / SAMPLES)))
    pen = edge_pen(edge)
    item = EdgeItem(path)
    item.setPen(pen)
    item.setZValue(5)
    item.setData(2, "shape")
    item.setToolTip(_edge_tip(edge))
    scene.addItem(tag(item, "relationship", edge.relationship_id))
    if edge.kind not in UNDIRECTED:
        _draw_arrow(scene, point(end - 0.02), point(end), pen.color())
    text = QGraphicsSimpleTextItem(edge_label(edge))
    small = QFont(font)
    small.setPointSizeF(font.pointSizeF() * 0.92)
    text.setFont(small)
    # Parallel edges start their labels at different points along the way.
    first = (start + end) / 2 + offset / PARALLEL_SPACING * 0.16
    box = _free_spot(point, first, text.boundingRect().size(), taken)
    taken.append(box)
    _draw_label(scene, edge, text, box, pen.color())


def _free_spot(
    point: Callable[[float], tuple[float, float]],
    first: float,
    size: QSizeF,
    taken: list[QRectF],
) -> QRectF:
    """A label box centred on the curve, slid along it until it overlaps nothing taken."""

    def box_at(t: float) -> QRectF:
        x, y = point(min(max(t, 0.12), 0.88))
        return QRectF(
            x - size.width() / 2 - 5,
            y - size.height() / 2 - 2,
            size.width() + 10,
            size.height() + 4,
        )

    for shift in LABEL_SHIFTS:
        box = box_at(first + shift)
        if not any(box.intersects(other) for other in taken):
            return box
    return box_at(first)


def _edge_tip(edge: DiagramEdge) -> str:
    span = " – ".join(p for p in (edge.since, edge.until) if p)
    return f"{edge.title}\n{edge.kind}, {edge.status}" + (f"\n{span}" if span else "")


def _draw_arrow(
    scene: QGraphicsScene, before: tuple[float, float], tip: tuple[float, float], colour: QColor
) -> None:
    dx, dy = tip[0] - before[0], tip[1] - before[1]
    length = (dx * dx + dy * dy) ** 0.5 or 1.0
    ux, uy = dx / length, dy / length
    back = (tip[0] - ux * 11, tip[1] - uy * 11)
    head = QPolygonF(
        [
            QPointF(*tip),
            QPointF(back[0] - uy * 5, back[1] + ux * 5),
            QPointF(back[0] + uy * 5, back[1] - ux * 5),
        ]
    )
    arrow = scene.addPolygon(head, QPen(colour, 1), QBrush(colour))
    arrow.setZValue(6)


def _draw_label(
    scene: QGraphicsScene,
    edge: DiagramEdge,
    text: QGraphicsSimpleTextItem,
    box: QRectF,
    colour: QColor,
) -> None:
    text.setBrush(colour.darker(120))
    path = QPainterPath()
    path.addRoundedRect(box, 4, 4)
    background = QGraphicsPathItem(path)
    background.setBrush(QColor(255, 255, 255, 235))
    background.setPen(QPen(colour, 0.8))
    background.setZValue(20)
    background.setToolTip(_edge_tip(edge))
    text.setParentItem(background)
    text.setPos(box.x() + 5, box.y() + 2)
    scene.addItem(tag(background, "relationship", edge.relationship_id))


def _draw_legend(scene: QGraphicsScene, y: float, font: QFont) -> None:
    """Line styles and arrows explained, wrapped to the diagram's width."""
    drawn = scene.itemsBoundingRect()
    width = max(drawn.width(), 300.0)
    x, left = drawn.left(), drawn.left()
    metrics = QFontMetricsF(font)
    for status, style in STATUS_PENS.items():
        needed = 40 + metrics.horizontalAdvance(status)
        if x > left and x + needed > left + width:
            x, y = left, y + metrics.height() + 6
        pen = QPen(ENDED if status == "ended" else QColor("#444444"), 2.2)
        pen.setStyle(style)
        scene.addLine(x, y + 8, x + 34, y + 8, pen)
        text = scene.addSimpleText(status, font)
        text.setPos(x + 40, y + 8 - metrics.height() / 2)
        x += needed + 24
    hint = QGraphicsTextItem()
    hint.setPlainText(
        "Arrows run from the first party to the second: who backs, supplies, hosts a base for "
        "or keeps the peace for whom. A dashed box groups a party with those under it."
    )
    hint.setFont(font)
    hint.setDefaultTextColor(QColor("#666666"))
    hint.setTextWidth(width)
    hint.setPos(left - 4, y + 20)
    scene.addItem(hint)


class DiagramView(PictureView):
    """The diagram; zoom scales the whole picture, and the ring follows the pane's shape."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(QGraphicsScene(), parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.diagram: RelationshipDiagram | None = None
        self._aspect = 1.6
        self._fitted = False

    def set_diagram(self, diagram: RelationshipDiagram) -> None:
        self.diagram = diagram
        build_diagram(self.scene(), diagram, QFont(self.font()), self._aspect)
        self.scene().setSceneRect(self.scene().itemsBoundingRect().adjusted(-20, -20, 20, 20))
        self.redraw_halo()

    def _pane_aspect(self) -> float:
        size = self.viewport().size()
        return size.width() / max(size.height(), 1)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._fitted:
            self._fitted = True
            self._reshape()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fitted and abs(math.log(self._pane_aspect() / self._aspect)) > RESHAPE_AT:
            self._reshape()

    def _reshape(self) -> None:
        """Lay the ring out for the pane's shape again, and fit it."""
        self._aspect = self._pane_aspect()
        if self.diagram is not None:
            self.set_diagram(self.diagram)
        self.fit()


class RelationshipDiagramWidget(PictureWidget):
    """Parties and their relationships; follows the selection and refreshes after edits."""

    png_name = "alliance-context.png"
    kinds = ("party", "relationship")

    def __init__(self, document: ProjectDocument, parent: QWidget | None = None) -> None:
        self.diagram_view = DiagramView()
        super().__init__(document, self.diagram_view, parent)

    def draw(self) -> None:
        diagram = charts.relationship_diagram(self.document.project)
        self.diagram_view.set_diagram(diagram)
        self.note.setText(
            f"{counted('relationship', len(diagram.edges))} between "
            f"{counted('party', len(diagram.nodes))}."
        )


def items_for(scene: QGraphicsScene, kind: str) -> list[QGraphicsItem]:
    """The shapes drawn for records of ``kind`` (tests and the PDF exporter use this)."""
    return [i for i in scene.items() if i.data(0) == kind and i.data(2) == "shape"]
