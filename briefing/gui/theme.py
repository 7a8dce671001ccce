"""Light or dark, as the system is set, changing when the system's setting changes.

Styles that follow the system themselves (macOS, Windows 11, a GNOME or KDE
platform theme) are left alone; where the style would stay light although the
system asks for dark, the window gets a dark palette of its own.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

FOLLOWING = "briefingFollowsColorScheme"
"""Application property: the system's setting is already followed."""
OWN_PALETTE = "briefingOwnDarkPalette"

_DARK = {
    QPalette.ColorRole.Window: "#2b2b2e",
    QPalette.ColorRole.WindowText: "#e6e6e6",
    QPalette.ColorRole.Base: "#1f1f22",
    QPalette.ColorRole.AlternateBase: "#29292d",
    QPalette.ColorRole.ToolTipBase: "#3a3a3f",
    QPalette.ColorRole.ToolTipText: "#f0f0f0",
    QPalette.ColorRole.PlaceholderText: "#9a9aa0",
    QPalette.ColorRole.Text: "#e6e6e6",
    QPalette.ColorRole.Button: "#35353a",
    QPalette.ColorRole.ButtonText: "#e6e6e6",
    QPalette.ColorRole.BrightText: "#ff6b6b",
    QPalette.ColorRole.Light: "#4a4a50",
    QPalette.ColorRole.Midlight: "#3e3e44",
    QPalette.ColorRole.Mid: "#2f2f34",
    QPalette.ColorRole.Dark: "#18181b",
    QPalette.ColorRole.Shadow: "#000000",
    QPalette.ColorRole.Highlight: "#3d6fb6",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#8ab4f8",
    QPalette.ColorRole.LinkVisited: "#c58af9",
}
_DISABLED = {
    QPalette.ColorRole.WindowText: "#7c7c82",
    QPalette.ColorRole.Text: "#7c7c82",
    QPalette.ColorRole.ButtonText: "#7c7c82",
    QPalette.ColorRole.HighlightedText: "#9a9aa0",
}


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in _DARK.items():
        palette.setColor(role, QColor(colour))
    for role, colour in _DISABLED.items():
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(colour))
    return palette


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def follow_system(app: QGuiApplication) -> None:
    """Match the system's colour scheme now and whenever it changes (once per application)."""
    if app.property(FOLLOWING):
        return
    app.setProperty(FOLLOWING, True)
    hints = app.styleHints()
    hints.colorSchemeChanged.connect(lambda scheme: apply_scheme(app, scheme))
    apply_scheme(app, hints.colorScheme())


def apply_scheme(app: QGuiApplication, scheme: Qt.ColorScheme) -> None:
    """Dark palette for a dark system setting where the style stays light; back again."""
    own = bool(app.property(OWN_PALETTE))
    if scheme == Qt.ColorScheme.Dark and not is_dark(app.palette()):
        app.setPalette(dark_palette())
        app.setProperty(OWN_PALETTE, True)
    elif scheme != Qt.ColorScheme.Dark and own:
        app.setPalette(QApplication.style().standardPalette())  # the style's own, light
        app.setProperty(OWN_PALETTE, False)


ALARM = ("#B00020", "#FF8A8A")
"""Red for problems and contradictions: (on light, on dark), each 4.5:1 or more on its base."""
CAUTION = ("#8A5A00", "#E8B45A")
"""Amber for notes that are not errors: (on light, on dark)."""


def alarm_colour(palette: QPalette | None = None) -> QColor:
    """The red that reads on this palette's fields (the application's when None)."""
    return _pick(ALARM, palette)


def caution_colour(palette: QPalette | None = None) -> QColor:
    return _pick(CAUTION, palette)


def _pick(pair: tuple[str, str], palette: QPalette | None) -> QColor:
    palette = palette if palette is not None else QGuiApplication.palette()
    return QColor(pair[1] if is_dark(palette) else pair[0])


def contrast(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio of two colours; 4.5 is the least for body text."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def readable(colour: QColor | str, palette: QPalette | None = None) -> QColor:
    """A text colour chosen for a light window, moved toward the text colour until it reads.

    On a dark palette a dark green or red becomes a lighter one of the same hue,
    so colours that carry meaning (added, removed, stricter) stay readable.
    """
    palette = palette if palette is not None else QGuiApplication.palette()
    base = palette.color(QPalette.ColorRole.Base)
    return shade_to_read(QColor(colour), base, palette.color(QPalette.ColorRole.Text))


def shade_to_read(colour: QColor, base: QColor, towards: QColor) -> QColor:
    """``colour`` moved a fifth at a time toward ``towards`` until it reads on ``base``."""
    shade = QColor(colour)
    for _ in range(10):
        if contrast(shade, base) >= 4.5:
            break
        shade = QColor(
            round(shade.red() * 0.8 + towards.red() * 0.2),
            round(shade.green() * 0.8 + towards.green() * 0.2),
            round(shade.blue() * 0.8 + towards.blue() * 0.2),
        )
    return shade


def _luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(v) for v in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue
