"""Larger or smaller text in the library, the inspector and the briefing's editors.

Ctrl++ and Ctrl+- step the text size, Ctrl+0 goes back to the system's size. The
keys act while the focus is in one of those places, so the pictures and the PDF
preview keep the same keys for zooming their own drawing. The size is remembered.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

from briefing.gui.settings import AppSettings

STEP = 1.1
STEPS = (-4, 8)
"""From about two thirds of the system's size to a bit over twice it."""
SETTING = "view/text_zoom"


class TextZoom(QObject):
    """The zoom actions and the widgets they scale."""

    def __init__(self, parent: QWidget, settings: AppSettings) -> None:
        super().__init__(parent)
        self.settings = settings
        try:
            self.step = int(settings.qsettings.value(SETTING, 0))
        except (TypeError, ValueError):
            self.step = 0
        self.step = min(max(self.step, STEPS[0]), STEPS[1])
        self._targets: list[QWidget] = []
        key = QKeySequence.StandardKey
        self.zoom_in_action = self._action("Zoom &In Text", +1, [key.ZoomIn, "Ctrl+="])
        self.zoom_out_action = self._action("Zoom &Out Text", -1, [key.ZoomOut])
        self.reset_action = self._action("&Actual Text Size", 0, ["Ctrl+0"])
        self.actions = [self.zoom_in_action, self.zoom_out_action, self.reset_action]

    def _action(self, text: str, delta: int, keys: list) -> QAction:
        action = QAction(text, self)
        shortcuts: list[QKeySequence] = []
        for key in keys:
            shortcuts += (
                QKeySequence.keyBindings(key) if not isinstance(key, str) else [QKeySequence(key)]
            )
        action.setShortcuts(shortcuts)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(f"{text.replace('&', '')} in the library, inspector and briefing")
        action.triggered.connect(lambda checked=False: self.zoom(delta))
        return action

    @property
    def factor(self) -> float:
        return float(STEP**self.step)

    def attach(self, widget: QWidget) -> None:
        """Scale this widget's text, and let the keys act while the focus is inside it."""
        if widget in self._targets:
            return
        self._targets.append(widget)
        widget.destroyed.connect(lambda _=None, w=widget: self._forget(w))
        widget.addActions(self.actions)
        self._apply(widget)

    def _forget(self, widget: QWidget) -> None:
        self._targets = [w for w in self._targets if w is not widget]

    def zoom(self, delta: int) -> None:
        """One step larger (+1) or smaller (-1); 0 for the system's size."""
        step = 0 if delta == 0 else min(max(self.step + delta, STEPS[0]), STEPS[1])
        if step == self.step and delta != 0:
            return
        self.step = step
        self.settings.qsettings.setValue(SETTING, step)
        for widget in list(self._targets):
            self._apply(widget)

    def _apply(self, widget: QWidget) -> None:
        font = QFont(widget.font())
        font.setPointSizeF(QApplication.font().pointSizeF() * self.factor)
        widget.setFont(font)
