"""The alliance context as a picture: parties in their colours, relationships as labelled edges.

An edge's colour says its kind and its line says its status (alleged dashed,
suspended dotted, ended grey); arrows run from a relationship's first party to
its second (who backs, supplies, hosts a base for or keeps the peace for whom).
"""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
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

from briefing.figures.alliance_layout import (
    ARROW_NOTE,
    ENDED_COLOUR,
    KIND_COLOURS,
    NODE_NOTE,
    PARTY_KEY_TITLE,
    STATUS_DASHES,
    UNDIRECTED,
    Box,
    TieShape,
    lay_out,
    party_key,
    tie_colour,
    tie_label,
    tie_shapes,
)
from briefing.gui.document import ProjectDocument
from briefing.gui.pictures.ink import LIGHT, Ink, ink_for
from briefing.gui.pictures.view import PictureView, PictureWidget, tag
from briefing.gui.plain_tip import plain_tip
from briefing.model.vocab import counted
from briefing.services import charts
from briefing.services.charts import DiagramEdge, DiagramNode, RelationshipDiagram

QT_DASHES = {(): Qt.PenStyle.SolidLine, (6.0, 4.0): Qt.PenStyle.DashLine}
STATUS_PENS = {
    status: QT_DASHES.get(dashes, Qt.PenStyle.DotLine) for status, dashes in STATUS_DASHES.items()
}
ENDED = QColor(ENDED_COLOUR)
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
    pen = QPen(QColor(tie_colour(edge.kind, edge.status)), 2.2)
    pen.setStyle(STATUS_PENS.get(edge.status, Qt.PenStyle.SolidLine))
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    return pen


def edge_label(edge: DiagramEdge) -> str:
    return tie_label(edge.kind, edge.status)


def build_diagram(
    scene: QGraphicsScene,
    diagram: RelationshipDiagram,
    font: QFont,
    aspect: float = 1.6,
    ink: Ink = LIGHT,
) -> None:
    """Draw the diagram into an emptied scene, centred on (0, 0), with a legend below it."""
    scene.clear()
    if not diagram.edges:
        empty = "No relationships yet: add alliance context to the library."
        scene.addSimpleText(empty, font).setBrush(ink.text)
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
    small = QFont(font)
    small.setPointSizeF(font.pointSizeF() * 0.92)
    metrics_small = QFontMetricsF(small)
    shapes = tie_shapes(
        layout,
        diagram.edges,
        lambda e: (metrics_small.horizontalAdvance(edge_label(e)), metrics_small.height()),
    )
    for edge in diagram.edges:
        _draw_edge(scene, edge, shapes[edge.relationship_id], small, ink)
    kinds = [k for k in KIND_COLOURS if any(e.kind == k for e in diagram.edges)]
    key = party_key([(node.kind, node.colour) for node in diagram.nodes])
    _draw_legend(scene, scene.itemsBoundingRect().bottom() + 24, font, kinds, key, ink)


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
    item.setToolTip(plain_tip(f"{node.label}\n{node.kind}"))
    text = QGraphicsSimpleTextItem(node.label, item)
    text.setFont(font)
    text.setBrush(readable_on(colour))
    size = text.boundingRect()
    text.setPos(box.x + (box.width - size.width()) / 2, box.y + (box.height - size.height()) / 2)
    scene.addItem(tag(item, "party", node.party_id))


def _draw_edge(
    scene: QGraphicsScene, edge: DiagramEdge, shape: TieShape, small: QFont, ink: Ink
) -> None:
    """Draw one relationship along its shared shape, its label where the layout put it."""
    path = QPainterPath(QPointF(*shape.points[0]))
    for point in shape.points[1:]:
        path.lineTo(QPointF(*point))
    pen = edge_pen(edge)
    item = EdgeItem(path)
    item.setPen(pen)
    item.setZValue(5)
    item.setData(2, "shape")
    item.setToolTip(_edge_tip(edge))
    scene.addItem(tag(item, "relationship", edge.relationship_id))
    if edge.kind not in UNDIRECTED:
        _draw_arrow(scene, shape.points[-2], shape.points[-1], pen.color())
    text = QGraphicsSimpleTextItem(edge_label(edge))
    text.setFont(small)
    _draw_label(scene, edge, text, _rect(shape.label), pen.color(), ink)


def _edge_tip(edge: DiagramEdge) -> str:
    span = " – ".join(p for p in (edge.since, edge.until) if p)
    return plain_tip(f"{edge.title}\n{edge.kind}, {edge.status}" + (f"\n{span}" if span else ""))


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
    ink: Ink,
) -> None:
    text.setBrush(ink.on_paper(colour))
    path = QPainterPath()
    path.addRoundedRect(box, 4, 4)
    background = QGraphicsPathItem(path)
    paper = QColor(ink.paper)
    paper.setAlpha(235)
    background.setBrush(paper)
    background.setPen(QPen(colour, 0.8))
    background.setZValue(20)
    background.setToolTip(_edge_tip(edge))
    text.setParentItem(background)
    text.setPos(box.x() + 5, box.y() + 2)
    scene.addItem(tag(background, "relationship", edge.relationship_id))


def _draw_legend(
    scene: QGraphicsScene,
    y: float,
    font: QFont,
    kinds: list[str],
    key: list[tuple[str, tuple[str, ...]]],
    ink: Ink,
) -> None:
    """Tie kinds, line styles, party kinds and arrows explained, wrapped to the diagram's width."""
    drawn = scene.itemsBoundingRect()
    width = max(drawn.width(), 300.0)
    x, left = drawn.left(), drawn.left()
    metrics = QFontMetricsF(font)
    samples = [(k, QColor(KIND_COLOURS[k]), Qt.PenStyle.SolidLine) for k in kinds]
    samples += [(status, ENDED if status == "ended" else ink.muted, style)
                for status, style in STATUS_PENS.items()]  # fmt: skip
    for index, (name, colour, style) in enumerate(samples):
        needed = 40 + metrics.horizontalAdvance(name)
        if x > left and (x + needed > left + width or index == len(kinds)):
            x, y = left, y + metrics.height() + 6
        pen = QPen(colour, 2.2)
        pen.setStyle(style)
        scene.addLine(x, y + 8, x + 34, y + 8, pen)
        text = scene.addSimpleText(name, font)
        text.setBrush(ink.text)
        text.setPos(x + 40, y + 8 - metrics.height() / 2)
        x += needed + 24
    y = _draw_party_key(scene, left, y + metrics.height() + 6, width, font, key, ink)
    hint = QGraphicsTextItem()
    hint.setPlainText(f"{ARROW_NOTE} {NODE_NOTE}")
    hint.setFont(font)
    hint.setDefaultTextColor(ink.muted)
    hint.setTextWidth(width)
    hint.setPos(left - 4, y + 20)
    scene.addItem(hint)


def _draw_party_key(
    scene: QGraphicsScene,
    left: float,
    y: float,
    width: float,
    font: QFont,
    key: list[tuple[str, tuple[str, ...]]],
    ink: Ink,
) -> float:
    """A row of party kinds, each after swatches of its parties' colours; the row's top."""
    metrics = QFontMetricsF(font)
    side = metrics.height() * 0.7
    x = left
    entries = [(PARTY_KEY_TITLE, ()), *key]
    for name, colours in entries:
        needed = len(colours) * (side + 3) + metrics.horizontalAdvance(name) + 24
        if x > left and x + needed > left + width:
            x, y = left, y + metrics.height() + 6
        for colour in colours:
            scene.addRect(QRectF(x, y + 8 - side / 2, side, side), QPen(Qt.PenStyle.NoPen),
                          QBrush(QColor(colour)))  # fmt: skip
            x += side + 3
        text = scene.addSimpleText(name, font)
        text.setBrush(ink.text)
        text.setPos(x + 2, y + 8 - metrics.height() / 2)
        x += metrics.horizontalAdvance(name) + 24
    return y


class DiagramView(PictureView):
    """The diagram; zoom scales the whole picture, and the ring follows the pane's shape."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(QGraphicsScene(), parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.diagram: RelationshipDiagram | None = None
        self._aspect = 1.6
        self._fitted = False
        self.ink = LIGHT
        self._follow_palette()

    def _follow_palette(self) -> None:
        self.ink = ink_for(self.palette())
        self.setBackgroundBrush(self.ink.paper)

    def changeEvent(self, event: QEvent) -> None:
        """Light or dark with the window."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            ink = self.ink
            self._follow_palette()
            if self.ink is not ink and self.diagram is not None:
                self.set_diagram(self.diagram)

    def draw_with(self, ink: Ink) -> None:
        """Draw again in these colours (a saved picture is light whatever the window is)."""
        self.ink = ink
        if self.diagram is not None:
            self.set_diagram(self.diagram)

    def set_diagram(self, diagram: RelationshipDiagram) -> None:
        self.diagram = diagram
        build_diagram(self.scene(), diagram, QFont(self.font()), self._aspect, self.ink)
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

    def export(self, path: Path) -> Path:
        self.diagram_view.draw_with(LIGHT)
        try:
            return super().export(path)
        finally:
            self.diagram_view.draw_with(ink_for(self.diagram_view.palette()))


def items_for(scene: QGraphicsScene, kind: str) -> list[QGraphicsItem]:
    """The shapes drawn for records of ``kind`` (tests and the PDF exporter use this)."""
    return [i for i in scene.items() if i.data(0) == kind and i.data(2) == "shape"]
