"""Small painted icons for record kinds, so an outline shows at a glance what each item is."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

from briefing.services.records import KIND_NAMES

KIND_MARKS = {
    "entry": ("T", "#2F6FA7"),
    "statement": ("S", "#9A4A14"),
    "relationship": ("C", "#5B7F2A"),
    "party": ("P", "#6B4C9A"),
    "source": ("R", "#5F6B73"),
    "section": ("§", "#404040"),
    "map": ("M", "#2E7D6B"),
}
"""Letter and colour per kind: Timeline, Statement, Context, Party, Reference (source), Map."""

KIND_LABELS = {**KIND_NAMES, "section": "section", "map": "map"}


@cache
def kind_icon(kind: str) -> QIcon:
    """A rounded square in the kind's colour with its letter, at the sizes views ask for."""
    letter, colour = KIND_MARKS.get(kind, ("?", "#808080"))
    icon = QIcon()
    for size in (16, 24, 32):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colour))
        box = QRectF(0.5, 0.5, size - 1, size - 1)
        painter.drawRoundedRect(box, size / 5, size / 5)
        font = QFont(painter.font())
        font.setBold(True)
        font.setPixelSize(int(size * 0.7))
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, letter)
        painter.end()
        icon.addPixmap(pixmap)
    return icon
