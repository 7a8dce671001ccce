"""Wheel events never change a field the analyst has not clicked or tabbed into.

Scrolling a form with the pointer resting over a drop-down or a number box would
otherwise change the value under the pointer and save it. A guarded field takes
focus only by click or Tab, and passes the wheel of an unfocused field on to the
scroll area around it, so the form scrolls instead.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QWidget,
)

GUARDED = (QComboBox, QAbstractSpinBox)


class WheelGuard(QObject):
    """An event filter that refuses wheel events to unfocused fields."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Wheel or not isinstance(watched, QWidget):
            return False
        if watched.hasFocus():
            return False
        area = _scroll_area_around(watched)
        if area is not None:
            bar = area.verticalScrollBar()
            if bar is not None and bar.isVisible():
                QApplication.sendEvent(bar, event)
        event.ignore()
        return True


def guard_wheel(root: QWidget) -> None:
    """Guard ``root`` and every combo box, spin box and date edit inside it."""
    guard = root.findChild(WheelGuard, "wheelGuard", Qt.FindChildOption.FindDirectChildrenOnly)
    if guard is None:
        guard = WheelGuard(root)
        guard.setObjectName("wheelGuard")
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        if isinstance(widget, GUARDED) and not widget.property("wheelGuarded"):
            widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            widget.installEventFilter(guard)
            widget.setProperty("wheelGuarded", True)


def _scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent
