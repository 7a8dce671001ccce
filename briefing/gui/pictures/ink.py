"""The pictures' own colours for a light or a dark window; a saved picture is always light.

The timeline chart and the alliance diagram draw on a paper of their own. In a
dark window that paper is dark too, with light text, and the colours that carry
meaning (a tie's kind) are lightened just enough to read on it.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette

from briefing.gui.theme import is_dark, shade_to_read


@dataclass(frozen=True)
class Ink:
    paper: QColor
    band: QColor
    text: QColor
    muted: QColor
    grid: QColor

    @property
    def dark(self) -> bool:
        return self.paper.lightness() < 128

    def on_paper(self, colour: QColor) -> QColor:
        """A meaning-carrying colour as text on this paper: darkened on light, lightened on dark."""
        if not self.dark:
            return colour.darker(120)
        return shade_to_read(colour, self.paper, self.text)


LIGHT = Ink(
    QColor("white"), QColor("#F6F7F9"), QColor("#202020"), QColor("#666666"), QColor("#E2E2E2")
)
DARK = Ink(
    QColor("#1F1F22"), QColor("#28282D"), QColor("#E6E6E6"), QColor("#A8A8B0"), QColor("#3A3A40")
)


def ink_for(palette: QPalette) -> Ink:
    return DARK if is_dark(palette) else LIGHT
