"""Form fields: each binds one widget to one or more record fields.

A field loads its value from the record dict, reports ``edited`` when the user
has finished with it (Enter, Tab, focus leaving, a choice made; never per
keystroke), and turns its widget back into values, raising :class:`Invalid`
with a sentence for the user when the input cannot even be read (letters for a
number). Whether a value is allowed is for :mod:`briefing.model.rules` to say:
the form asks it (:class:`~briefing.gui.inspector.form.RecordForm`). Showing a
record never changes it: a stored value no widget can show is kept as it is.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QFocusEvent
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QToolButton,
    QWidget,
)

from briefing.gui.direction import follow_direction
from briefing.gui.text_wrap import fit_wrapping
from briefing.model import rules
from briefing.model.base import join_tags


class Invalid(Exception):
    """The input cannot be saved; ``str()`` says why, to be shown at the field."""


class Field(QObject):
    """One editable part of a form."""

    edited = Signal()

    def __init__(self, keys: tuple[str, ...]) -> None:
        super().__init__()
        self.keys = keys
        self.caption = ""
        """The words beside the field in its form, for messages about it."""
        self.widget: QWidget = QWidget()

    def load(self, record: dict[str, Any]) -> None:
        raise NotImplementedError

    def values(self) -> dict[str, Any]:
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        self.widget.setEnabled(not read_only)

    def is_dirty(self, record: dict[str, Any]) -> bool:
        """Whether the widget holds something other than the record (invalid input counts)."""
        try:
            values = self.values()
        except Invalid:
            return True
        return any(record.get(k) != v for k, v in values.items())


def _row(*widgets: QWidget) -> QWidget:
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(4)
    for widget in widgets:
        layout.addWidget(widget)
    return box


class LineField(Field):
    """One line of text (whether it may be empty is the rules' business)."""

    def __init__(self, key: str, placeholder: str = "") -> None:
        super().__init__((key,))
        self.edit = QLineEdit()
        self.edit.setObjectName(f"field_{key}")
        self.edit.setPlaceholderText(placeholder)
        self.edit.editingFinished.connect(self.edited)
        self.widget = self.edit

    def load(self, record: dict[str, Any]) -> None:
        self.edit.setText(str(record.get(self.keys[0]) or ""))
        self.edit.setCursorPosition(0)

    def text(self) -> str:
        return self.edit.text().strip()

    def values(self) -> dict[str, Any]:
        return {self.keys[0]: self.text()}

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)


class OptionalLineField(LineField):
    """Text that is stored as nothing (NULL) when left empty, e.g. an external identifier."""

    def values(self) -> dict[str, Any]:
        return {self.keys[0]: self.text() or None}


class TagsField(LineField):
    def __init__(self) -> None:
        super().__init__("tags", placeholder="comma, separated, tags")

    def values(self) -> dict[str, Any]:
        return {"tags": join_tags([self.text()])}


class UrlField(LineField):
    """A web address; which ones are allowed is :func:`briefing.model.rules.live_link`'s call."""


class LanguageField(LineField):
    def values(self) -> dict[str, Any]:
        return {self.keys[0]: self.text() or "en"}


class PartialDateField(LineField):
    """A date that may be only a year or a year and month, as relationship dates often are."""

    def __init__(self, key: str) -> None:
        super().__init__(key, placeholder="YYYY, YYYY-MM or YYYY-MM-DD")


class _PlainText(QPlainTextEdit):
    focusLost = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.focusLost.emit()


class TextField(Field):
    """Several lines of text, committed when the focus leaves the box."""

    def __init__(self, key: str, lines: int = 4) -> None:
        super().__init__((key,))
        self.edit = _PlainText()
        self.edit.setObjectName(f"field_{key}")
        self.edit.setTabChangesFocus(True)
        height = self.edit.fontMetrics().lineSpacing() * lines + 12
        self.edit.setFixedHeight(height)
        self.edit.focusLost.connect(self.edited)
        self.edit.textChanged.connect(lambda: follow_direction(self.edit))
        self.widget = self.edit

    def load(self, record: dict[str, Any]) -> None:
        text = str(record.get(self.keys[0]) or "")
        fit_wrapping(self.edit, text)
        self.edit.setPlainText(text)

    def values(self) -> dict[str, Any]:
        return {self.keys[0]: self.edit.toPlainText().strip()}

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)


class ChoiceField(Field):
    """One value from a fixed vocabulary, shown with the words analysts use."""

    def __init__(
        self, key: str, options: list[tuple[Any, str]], tips: dict[Any, str] | None = None
    ) -> None:
        super().__init__((key,))
        self.combo = QComboBox()
        self.combo.setObjectName(f"field_{key}")
        for value, label in options:
            self.combo.addItem(label, value)
            if tips and value in tips:
                self.combo.setItemData(
                    self.combo.count() - 1, tips[value], Qt.ItemDataRole.ToolTipRole
                )
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.combo.setMinimumContentsLength(10)
        self.combo.activated.connect(self.edited)
        self.widget = self.combo

    def load(self, record: dict[str, Any]) -> None:
        value = record.get(self.keys[0])
        index = self.combo.findData(value)
        if index < 0 and value is not None:  # a value the program never writes: shown as it is
            self.combo.addItem(f"{value} (not a valid choice)", value)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(max(index, 0))

    def values(self) -> dict[str, Any]:
        return {self.keys[0]: self.combo.currentData()}


class CoordinatesField(Field):
    """Latitude and longitude in decimal degrees; both or neither."""

    def __init__(self) -> None:
        super().__init__(("latitude", "longitude"))
        self.latitude = QLineEdit()
        self.longitude = QLineEdit()
        for edit, name in ((self.latitude, "latitude"), (self.longitude, "longitude")):
            edit.setObjectName(f"field_{name}")
            edit.setPlaceholderText(name)
            edit.editingFinished.connect(self.edited)
        self.widget = _row(self.latitude, self.longitude)

    def load(self, record: dict[str, Any]) -> None:
        for edit, key in ((self.latitude, "latitude"), (self.longitude, "longitude")):
            value = record.get(key)
            if value is None:
                edit.setText("")
            elif isinstance(value, float | int) and math.isfinite(value) and abs(value) <= 180:
                edit.setText(f"{value:.5f}".rstrip("0").rstrip("."))
            else:
                edit.setText(rules.shown(value, 60))

    def values(self) -> dict[str, Any]:
        texts = (self.latitude.text().strip(), self.longitude.text().strip())
        if not any(texts):
            return {"latitude": None, "longitude": None}
        try:
            latitude, longitude = (float(t.replace(",", ".")) if t else None for t in texts)
        except ValueError:
            raise Invalid("Coordinates are decimal degrees, e.g. 40.1792 and 44.4991.") from None
        return {"latitude": latitude, "longitude": longitude}

    def is_dirty(self, record: dict[str, Any]) -> bool:
        try:
            values = self.values()
        except Invalid:
            return True
        return any(
            (record.get(k) is None) != (v is None)
            or (v is not None and abs(float(record[k]) - v) > 1e-6)
            for k, v in values.items()
        )

    def set_read_only(self, read_only: bool) -> None:
        self.latitude.setReadOnly(read_only)
        self.longitude.setReadOnly(read_only)


class ColourField(Field):
    """A colour for charts, as #RRGGBB, with a swatch that opens a colour chooser."""

    def __init__(self, key: str = "colour") -> None:
        super().__init__((key,))
        self.edit = QLineEdit()
        self.edit.setObjectName(f"field_{key}")
        self.edit.setMaxLength(7)
        self.edit.editingFinished.connect(self.edited)
        self.swatch = QToolButton()
        self.swatch.setToolTip("Choose a colour")
        self.swatch.clicked.connect(self._choose)
        self.widget = _row(self.swatch, self.edit)

    def load(self, record: dict[str, Any]) -> None:
        self.edit.setText(str(record.get(self.keys[0]) or ""))
        self._paint()

    def _paint(self) -> None:
        colour = QColor(self.edit.text())
        shown = colour.name() if colour.isValid() else "transparent"
        self.swatch.setStyleSheet(f"QToolButton {{ background: {shown}; min-width: 22px; }}")

    def _choose(self) -> None:
        colour = QColorDialog.getColor(QColor(self.edit.text()), self.widget, "Chart colour")
        if colour.isValid():
            self.edit.setText(colour.name().upper())
            self._paint()
            self.edited.emit()

    def values(self) -> dict[str, Any]:
        return {self.keys[0]: self.edit.text().strip().upper()}

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)
        self.swatch.setEnabled(not read_only)


class DisplayField(Field):
    """Something shown, not edited (e.g. the grade worked out from sources and credibility)."""

    def __init__(self, show: Any) -> None:
        super().__init__(())
        self.label = QLabel()
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setWordWrap(True)
        self._show = show
        self.widget = self.label

    def load(self, record: dict[str, Any]) -> None:
        self.label.setText(self._show(record))

    def values(self) -> dict[str, Any]:
        return {}

    def set_read_only(self, read_only: bool) -> None:
        return
