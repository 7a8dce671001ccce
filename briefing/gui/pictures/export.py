"""Write a picture to a PNG file: the whole scene, on white, at twice screen resolution."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QGraphicsScene

from briefing import files
from briefing.errors import BriefingError

MARGIN = 16.0


def render_image(scene: QGraphicsScene, scale: float = 2.0) -> QImage:
    """The scene's items on a white background, with a margin, ``scale`` pixels per unit."""
    source = scene.itemsBoundingRect().adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
    width = max(1, round(source.width() * scale))
    height = max(1, round(source.height() * scale))
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.setDotsPerMeterX(round(3780 * scale))
    image.setDotsPerMeterY(round(3780 * scale))
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    scene.render(painter, QRectF(0, 0, width, height), source, Qt.AspectRatioMode.KeepAspectRatio)
    painter.end()
    return image


def export_png(scene: QGraphicsScene, path: Path, scale: float = 2.0) -> Path:
    """Save the scene as ``path``; a file that cannot be written is a one-sentence error."""
    path = Path(path)
    if path.suffix.lower() != ".png":
        path = path.with_suffix(".png")
    image = render_image(scene, scale)
    with files.output_path(path) as work:  # never through a link planted beside it
        if not image.save(str(work), "PNG"):
            raise BriefingError(f"Cannot write the picture to {path}; choose another folder.")
    return path
