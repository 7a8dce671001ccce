"""How the window shares its width between the library, the workspace and the inspector.

The workspace in the middle is where a briefing is assembled, so it gets what
the two docks leave; the docks start at a share of the window that keeps each
readable from 1200 pixels wide up, and never shrink below a usable minimum.
The arrangement the analyst makes is remembered, but only while a project is
open: with no project the docks are hidden, and a layout saved then would bring
them back squeezed to nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

if TYPE_CHECKING:
    from briefing.gui.main_window import MainWindow

DEFAULT_SIZE = (1400, 900)
LIBRARY_SHARE, LIBRARY_RANGE = 0.30, (400, 700)
INSPECTOR_SHARE, INSPECTOR_RANGE = 0.24, (320, 440)
LIBRARY_MIN_WIDTH = 300
INSPECTOR_MIN_WIDTH = 280
"""Below these the docks' fields and columns stop being readable; they scroll instead."""


def _clamp(value: float, bounds: tuple[int, int]) -> int:
    low, high = bounds
    return max(low, min(high, round(value)))


def default_dock_widths(window_width: int) -> tuple[int, int]:
    """(library, inspector) widths for a window this wide; the workspace takes the rest."""
    return (
        _clamp(window_width * LIBRARY_SHARE, LIBRARY_RANGE),
        _clamp(window_width * INSPECTOR_SHARE, INSPECTOR_RANGE),
    )


def fit_docks(window: MainWindow) -> None:
    """Give the docks their default share of the window's current width."""
    library, inspector = default_dock_widths(window.width())
    window.resizeDocks(
        [window.library_dock, window.inspector_dock],
        [library, inspector],
        Qt.Orientation.Horizontal,
    )


def restore_layout(window: MainWindow) -> None:
    """The window's size and place, and the docks' arrangement, as last left."""
    settings = window.settings
    geometry = settings.window_state("geometry")
    if geometry is not None:
        window.restoreGeometry(geometry)
    else:
        window.resize(*DEFAULT_SIZE)
    state = settings.window_state("state")
    if state is not None:
        window.restoreState(state)


def save_layout(window: MainWindow) -> None:
    """Remember the window's geometry and, with a project open, the docks and lists."""
    settings = window.settings
    if window.library is not None:
        window.library.save_state(settings)
        settings.set_window_state("state", window.saveState())
    settings.set_window_state("geometry", window.saveGeometry())
    settings.sync()
