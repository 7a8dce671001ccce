"""What the timeline chart and the relationship diagram share.

Clicks that select a record, wheel and keyboard zoom, drag to pan, an outline
around the current record, and PNG export.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPen,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from briefing.errors import BriefingError
from briefing.gui.document import ProjectDocument
from briefing.gui.pictures.export import export_png
from briefing.services.records import Change

KIND_KEY = 0
ID_KEY = 1
HIGHLIGHT = QColor("#2F6FA7")
WHEEL_STEP = 1.2
MAX_FIT_SCALE = 1.4
MIN_FIT_SCALE = 0.75  # smaller text is hard to read; pan instead


def tag(item: QGraphicsItem, kind: str, record_id: int) -> QGraphicsItem:
    """Mark a drawn item (and the items inside it) as standing for a record.

    Children are marked too, because a click finds the topmost item and asking an
    item for its parent is unsafe here: PySide 6.11 lets ``parentItem()`` of a
    top-level item hand it to Python's garbage collector, which deletes it.
    """
    item.setData(KIND_KEY, kind)
    item.setData(ID_KEY, record_id)
    item.setCursor(Qt.CursorShape.PointingHandCursor)
    for child in item.childItems():
        tag(child, kind, record_id)
    return item


def record_of(item: QGraphicsItem | None) -> tuple[str, int] | None:
    if item is None:
        return None
    kind = item.data(KIND_KEY)
    return (str(kind), int(item.data(ID_KEY))) if kind else None


class PictureView(QGraphicsView):
    """A view whose clicks announce records; subclasses decide what zooming means."""

    recordActivated = Signal(str, int)

    def __init__(self, scene: QGraphicsScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        scene.setParent(self)  # the view owns its scene
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setBackgroundBrush(QColor("white"))
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._pressed_at: QPoint | None = None
        self._halo: list[QGraphicsPathItem] = []
        self.current: tuple[str, int] | None = None

    # ------------------------------------------------------------------ zoom

    def zoom(self, factor: float, anchor: QPoint | None = None) -> None:
        """Scale around ``anchor`` (a viewport point; the centre by default)."""
        if anchor is None:
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.scale(factor, factor)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)

    def fit(self) -> None:
        self.resetTransform()
        rect = self.sceneRect()
        if rect.isValid():
            self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
            scale = self.transform().m11()
            if not MIN_FIT_SCALE <= scale <= MAX_FIT_SCALE:
                limit = MAX_FIT_SCALE if scale > MAX_FIT_SCALE else MIN_FIT_SCALE
                self.resetTransform()
                self.scale(limit, limit)
                self.centerOn(rect.center())

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom(WHEEL_STEP**steps, event.position().toPoint())
        event.accept()

    # ------------------------------------------------------------------ clicks

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._pressed_at = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        start, self._pressed_at = self._pressed_at, None
        if start is None or event.button() != Qt.MouseButton.LeftButton:
            return
        if (event.position().toPoint() - start).manhattanLength() > (
            QApplication.startDragDistance()
        ):
            return  # that was a pan
        record = self.record_at(start)
        if record is not None:
            self.highlight(*record)
            self.recordActivated.emit(*record)

    def record_at(self, point: QPoint) -> tuple[str, int] | None:
        for item in self.items(point):
            record = record_of(item)
            if record is not None:
                return record
        return None

    # ------------------------------------------------------------------ current record

    def record_items(self, kind: str, record_id: int) -> list[QGraphicsItem]:
        """The drawn shapes (not labels) standing for a record."""
        return [
            item
            for item in self.scene().items()
            if record_of(item) == (kind, record_id) and item.data(2) == "shape"
        ]

    def highlight(self, kind: str, record_id: int) -> bool:
        """Outline the record's shapes and bring them into view; False if it is not drawn."""
        self.current = (kind, record_id)
        return self._draw_halo()

    def _draw_halo(self) -> bool:
        for halo in self._halo:
            if halo.scene() is not None:
                halo.scene().removeItem(halo)
        self._halo = []
        if self.current is None:
            return False
        shapes = self.record_items(*self.current)
        for shape in shapes:
            halo = QGraphicsPathItem(shape.sceneTransform().map(shape.shape()))
            halo.setPen(QPen(HIGHLIGHT, 7))
            halo.setBrush(Qt.BrushStyle.NoBrush)
            halo.setZValue(shape.zValue() - 0.5)
            halo.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            self.scene().addItem(halo)
            self._halo.append(halo)
        visible = self.mapToScene(self.viewport().rect()).boundingRect()
        if shapes and not visible.contains(shapes[0].sceneBoundingRect()):
            self.centerOn(shapes[0])
        return bool(shapes)

    def redraw_halo(self) -> None:
        """Call after the scene is rebuilt, so the current record stays outlined."""
        self._halo = []
        self._draw_halo()


class PictureWidget(QWidget):
    """A picture with a row of tools: Zoom In, Zoom Out, Fit, Export PNG; and a note line."""

    recordActivated = Signal(str, int)
    png_name = "picture.png"
    kinds: tuple[str, ...] = ()
    """Record kinds whose changes alter the picture."""

    def __init__(self, document: ProjectDocument, view: PictureView, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.view = view
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.view.recordActivated.connect(self.recordActivated)
        tools = QHBoxLayout()
        for action in self._actions():
            self.addAction(action)
            button = QToolButton()
            button.setDefaultAction(action)
            tools.addWidget(button)
        tools.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(tools)
        layout.addWidget(self.note)
        layout.addWidget(self.view, 1)
        self._stale = True
        document.changed.connect(self._on_changed)
        document.reloaded.connect(self.refresh)

    def _actions(self) -> list[QAction]:
        def action(
            text: str, slot: object, *keys: QKeySequence | QKeySequence.StandardKey | str
        ) -> QAction:
            made = QAction(text, self)
            made.triggered.connect(slot)
            if keys:
                made.setShortcuts([QKeySequence(k) for k in keys])
                made.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            return made

        return [
            action(
                "Zoom In",
                lambda: self.view.zoom(WHEEL_STEP),
                QKeySequence.StandardKey.ZoomIn,
                "Ctrl+=",
            ),
            action(
                "Zoom Out", lambda: self.view.zoom(1 / WHEEL_STEP), QKeySequence.StandardKey.ZoomOut
            ),
            action("Fit", self.view.fit, "Ctrl+0"),
            action("Export PNG…", self.export_dialog),
        ]

    def show_record(self, kind: str, record_id: int) -> None:
        """Follow the selection: outline the record if the picture shows it."""
        if self._stale:
            self.view.current = (kind, record_id)  # outlined when drawn
        else:
            self.view.highlight(kind, record_id)

    def refresh(self) -> None:
        """Draw from the project now if the picture is on screen, else when it is shown.

        A large project's chart takes a moment to draw; a hidden tab should not
        make opening the project or every edit slower.
        """
        if self.isVisible() and not self.document.project.closed:
            self._stale = False
            self.draw()
        else:
            self._stale = True

    def draw(self) -> None:
        """Read the picture's data from the project and draw it."""
        raise NotImplementedError

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _on_changed(self, change: Change) -> None:
        if any(change.touches(kind) for kind in self.kinds):
            self.refresh()

    def export(self, path: Path) -> Path:
        if self._stale and not self.document.project.closed:
            self._stale = False
            self.draw()
        return export_png(self.view.scene(), path)

    def export_dialog(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Export PNG", self.png_name, "PNG images (*.png)"
        )
        if not name:
            return
        try:
            self.export(Path(name))
        except BriefingError as error:
            self.document.failed.emit(str(error))
