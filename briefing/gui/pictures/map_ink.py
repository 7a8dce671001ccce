"""The map's own colours for a light or a dark window; a saved map is always light.

Like the timeline chart's paper (:mod:`briefing.gui.pictures.ink`), the base map
darkens with the window: night-blue sea, dark land, light names. Markers keep
their colours, which carry meaning, and their white outlines read on both.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette

from briefing.gui.theme import is_dark


@dataclass(frozen=True)
class MapInk:
    sea: QColor
    land: QColor
    coast: QColor
    border: QColor
    text: QColor
    """City names, the scale bar, the north arrow and the legend's words."""
    country: QColor
    plate: QColor
    """The half-clear ground under the scale bar and the legend."""
    dot_edge: QColor

    @property
    def dark(self) -> bool:
        return self.land.lightness() < 128


LIGHT_MAP = MapInk(
    sea=QColor("#DCE9F2"),
    land=QColor("#F4F1EA"),
    coast=QColor("#7D97AD"),
    border=QColor("#6E6E6E"),
    text=QColor("#1A1A1A"),
    country=QColor("#8A8275"),
    plate=QColor(255, 255, 255, 215),
    dot_edge=QColor("white"),
)
DARK_MAP = MapInk(
    sea=QColor("#16232E"),
    land=QColor("#2A2A2E"),
    coast=QColor("#5C7A92"),
    border=QColor("#A0A0A8"),
    text=QColor("#E6E6E6"),
    country=QColor("#A89F90"),
    plate=QColor(31, 31, 34, 215),
    dot_edge=QColor("#1A1A1A"),
)


def map_ink_for(palette: QPalette) -> MapInk:
    return DARK_MAP if is_dark(palette) else LIGHT_MAP
