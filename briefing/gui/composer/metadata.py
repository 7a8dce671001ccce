"""The briefing's cover facts: title, subtitle, as-of time in a chosen zone with UTC, TLP, status.

Changing the zone keeps the as-of clock time as typed and moves the UTC instant,
as on every record, and the status bar says so.

The form only shows values and announces edits (``edited``); the composer turns
each edit into one action.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import available_timezones

from PySide6.QtCore import QDate, QDateTime, QSignalBlocker, Qt, QTime, QTimeZone, Signal
from PySide6.QtGui import QColor, QFocusEvent, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from briefing.gui.status_note import kept_clock_note, say
from briefing.gui.wheel_guard import guard_wheel
from briefing.model.vocab import TLP_AUDIENCE, BriefingStatus, Tlp
from briefing.services.briefings import BriefingContent
from briefing.services.charts import day_text, dtg_text, zone_or_utc

COMMON_ZONES = ("UTC", "Asia/Yerevan", "Asia/Baku", "Europe/Moscow", "Europe/Istanbul")


def tlp_icon(tlp: Tlp) -> QIcon:
    """The TLP colour on black, as the label is printed."""
    pixmap = QPixmap(14, 14)
    pixmap.fill(QColor("black"))
    inner = QPixmap(8, 8)
    inner.fill(QColor(tlp.colour))
    painter = QPainter(pixmap)
    painter.drawPixmap(3, 3, inner)
    painter.end()
    return QIcon(pixmap)


class ZoneBox(QComboBox):
    """An editable list of IANA zones that completes on any part of the name."""

    left = Signal()
    """The focus left the box: a name typed with its suggestions open is finished too."""

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.left.emit()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        others = sorted(available_timezones() - set(COMMON_ZONES))
        self.addItems([*COMMON_ZONES, *others])
        self.insertSeparator(len(COMMON_ZONES))
        completer = QCompleter(self.model(), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompleter(completer)
        self.setMinimumContentsLength(10)


class MetadataForm(QWidget):
    """Title, subtitle, as-of time and zone (with UTC beside it), authors, TLP and status."""

    edited = Signal(dict)
    """Field name → new value for the fields the user just changed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._content: BriefingContent | None = None
        self.title = QLineEdit()
        self.subtitle = QLineEdit()
        self.authors = QLineEdit()
        self.authors.setPlaceholderText("names, separated by commas")
        self.as_of = QDateTimeEdit()
        self.as_of.setDisplayFormat("d MMM yyyy HH:mm")
        self.as_of.setCalendarPopup(True)
        self.as_of.setTimeZone(QTimeZone.utc())
        self.zone = ZoneBox()
        self.utc = QLabel()
        self.tlp = QComboBox()
        for tlp in Tlp:
            self.tlp.addItem(tlp_icon(tlp), tlp.marking, tlp.value)
            self.tlp.setItemData(
                self.tlp.count() - 1,
                f"{tlp.marking}: {TLP_AUDIENCE[tlp]}",
                Qt.ItemDataRole.ToolTipRole,
            )
        self.status = QComboBox()
        for status in BriefingStatus:
            self.status.addItem(status.value, status.value)
        self._lay_out()
        self._connect()
        guard_wheel(self)

    def _lay_out(self) -> None:
        when = QHBoxLayout()
        when.setContentsMargins(0, 0, 0, 0)
        when.addWidget(self.as_of, 3)
        when.addWidget(self.zone, 2)
        marking = QHBoxLayout()
        marking.setContentsMargins(0, 0, 0, 0)
        marking.addWidget(self.tlp, 1)
        marking.addWidget(_label("&Status", self.status))
        marking.addWidget(self.status, 1)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(_label("&Title", self.title), self.title)
        form.addRow(_label("Su&btitle", self.subtitle), self.subtitle)
        form.addRow(_label("&As of", self.as_of), when)
        form.addRow("", self.utc)
        form.addRow(_label("A&uthors", self.authors), self.authors)
        form.addRow(_label("TL&P", self.tlp), marking)

    def _connect(self) -> None:
        for name in ("title", "subtitle", "authors"):
            editor: QLineEdit = getattr(self, name)
            editor.editingFinished.connect(lambda n=name, e=editor: self._emit(n, e.text()))
        self.as_of.editingFinished.connect(self._on_time_edited)
        self.as_of.dateTimeChanged.connect(self._show_utc)
        self.zone.activated.connect(self._on_zone_edited)
        zone_text = self.zone.lineEdit()
        assert zone_text is not None  # the zone box is editable
        zone_text.editingFinished.connect(self._on_zone_edited)
        self.zone.left.connect(self._on_zone_edited)
        self.tlp.activated.connect(lambda: self._emit("tlp", self.tlp.currentData()))
        self.status.activated.connect(lambda: self._emit("status", self.status.currentData()))

    # ------------------------------------------------------------------ showing

    def set_content(self, content: BriefingContent | None) -> None:
        self._content = content
        self.setEnabled(content is not None)
        if content is None:
            return
        editors = (self.title, self.subtitle, self.authors, self.as_of, self.zone, self.tlp)
        blockers = [QSignalBlocker(widget) for widget in (*editors, self.status)]
        for editor, value in (
            (self.title, content.title),
            (self.subtitle, content.subtitle),
            (self.authors, content.authors),
        ):
            if not (editor.hasFocus() and editor.isModified()):
                editor.setText(value)
                editor.setCursorPosition(0)
        self.zone.setCurrentText(content.zone)
        self.as_of.setDateTime(_wall_clock(content.as_of, content.zone))
        self.tlp.setCurrentIndex(self.tlp.findData(content.tlp.value))
        self.status.setCurrentIndex(self.status.findData(content.status.value))
        for blocker in blockers:
            blocker.unblock()
        self._show_utc()

    def set_read_only(self, read_only: bool) -> None:
        for editor in (self.title, self.subtitle, self.authors):
            editor.setReadOnly(read_only)
        self.as_of.setReadOnly(read_only)
        for box in (self.zone, self.tlp, self.status):
            box.setEnabled(not read_only)

    def entered_as_of(self) -> datetime:
        """The as-of time as entered, read in the chosen zone, as an aware UTC time."""
        wall = self.as_of.dateTime()
        date, time = wall.date(), wall.time()
        local = datetime(
            date.year(),
            date.month(),
            date.day(),
            time.hour(),
            time.minute(),
            tzinfo=zone_or_utc(self.zone.currentText()),
        )
        return local.astimezone(UTC)

    def _show_utc(self) -> None:
        if self._content is None:
            return
        moment = self.entered_as_of()
        self.utc.setText(f"{moment:%H:%M} UTC, {day_text(moment)}  ·  {dtg_text(moment)}")

    # ------------------------------------------------------------------ editing

    def _emit(self, name: str, value: Any) -> None:
        if self._content is None:
            return
        current = getattr(self._content, name)
        current = getattr(current, "value", current)
        if value != current:
            self.edited.emit({name: value})

    def _on_time_edited(self) -> None:
        if self._content is not None and self.entered_as_of() != self._content.as_of:
            self.edited.emit({"as_of": self.entered_as_of()})

    def _on_zone_edited(self) -> None:
        """A new zone keeps the clock time as typed (the rule for every time in the window)."""
        zone = self.zone.currentText().strip()
        if self._content is None or zone == self._content.zone:
            return
        values: dict[str, Any] = {"zone": zone}
        try:
            moment = self.entered_as_of()
        except (ValueError, OverflowError):
            moment = None
        if moment is not None and moment != self._content.as_of:
            values["as_of"] = moment
        self.edited.emit(values)
        if moment is not None and self._content is not None and self._content.zone == zone:
            wall = self.as_of.dateTime().toString("HH:mm")
            say(self, kept_clock_note(wall, zone, f"{moment:%H:%M}"))


def _label(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def _wall_clock(moment: datetime, zone: str) -> QDateTime:
    """The local wall-clock time in ``zone``, held as a UTC QDateTime so Qt never shifts it."""
    local = moment.astimezone(zone_or_utc(zone))
    return QDateTime(
        QDate(local.year, local.month, local.day),
        QTime(local.hour, local.minute),
        QTimeZone.utc(),
    )
