"""Time fields: a wall-clock time in an IANA zone, with UTC shown beside it.

The analyst types the time as it was reported ("11:00 in Baku") and picks the
zone; the field stores the UTC instant and the zone. Changing the zone keeps
the wall-clock time, because the time as reported is what the analyst read.
The edit itself works in UTC so that no clock change of this machine's own
zone can skip or repeat an hour.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimeZone
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QGridLayout,
    QLabel,
    QWidget,
)

from briefing.gui.inspector.fields import Field, Invalid
from briefing.model.base import from_utc_text
from briefing.model.codec import time_to_text
from briefing.services.library_rows import dtg, zone_or_utc

EDIT_FORMAT = "yyyy-MM-dd HH:mm"


@cache
def zone_names() -> tuple[str, ...]:
    """IANA zone names worth offering: UTC first, then Area/City names, alphabetically."""
    names = {
        n
        for n in available_timezones()
        if "/" in n and not n.startswith(("posix/", "right/", "SystemV/", "US/", "Etc/"))
    }
    return ("UTC", *sorted(names))


class ZoneCombo(QComboBox):
    """A searchable list of IANA zones: type 'Bak' to find Asia/Baku."""

    def __init__(self) -> None:
        super().__init__()
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.addItems(list(zone_names()))
        completer = QCompleter(list(zone_names()), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompleter(completer)
        self.setMinimumContentsLength(10)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)

    def zone(self) -> str:
        name = self.currentText().strip()
        if name not in zone_names():
            raise Invalid(f"‘{name}’ is not a time zone; choose one from the list, e.g. Asia/Baku.")
        return name

    def set_zone(self, name: str) -> None:
        self.setCurrentText(name or "UTC")


def _time_edit() -> QDateTimeEdit:
    edit = QDateTimeEdit()
    edit.setTimeZone(QTimeZone.utc())
    edit.setDisplayFormat(EDIT_FORMAT)
    edit.setCalendarPopup(True)
    edit.setMinimumDate(QDate(1800, 1, 1))
    return edit


def _to_wall(edit: QDateTimeEdit) -> datetime:
    moment = edit.dateTime()
    d, t = moment.date(), moment.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


def _set_wall(edit: QDateTimeEdit, wall: datetime) -> None:
    edit.setDateTime(
        QDateTime(
            QDate(wall.year, wall.month, wall.day),
            QTime(wall.hour, wall.minute),
            QTimeZone.utc(),
        )
    )


def _instant(wall: datetime, zone: str) -> datetime:
    return wall.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def _utc_caption(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return f"{moment:%Y-%m-%d %H:%M} UTC · {dtg(moment)}"


class MomentField(Field):
    """A reported time: local wall clock, zone, the UTC instant; optionally an end."""

    def __init__(
        self, time_key: str, zone_key: str = "zone", end_key: str | None = None,
        optional: bool = False,
    ) -> None:  # fmt: skip
        keys = (time_key, zone_key) + ((end_key,) if end_key else ())
        super().__init__(keys)
        self.time_key, self.zone_key, self.end_key = time_key, zone_key, end_key
        self._loaded: dict[str, Any] = {}
        self.start = _time_edit()
        self.start.setObjectName(f"field_{time_key}")
        self.zone = ZoneCombo()
        self.zone.setObjectName(f"field_{zone_key}")
        self.start_utc = QLabel()
        self.known = QCheckBox("Time known") if optional else None
        self.end = _time_edit() if end_key else None
        self.has_end = QCheckBox("Has an end") if end_key else None
        self.end_utc = QLabel()
        self.widget = self._lay_out()
        self.start.editingFinished.connect(self.edited)
        self.start.dateTimeChanged.connect(self._update_captions)
        self.zone.activated.connect(self._on_zone_chosen)
        typed = self.zone.lineEdit()
        if typed is not None:
            typed.editingFinished.connect(self._on_zone_chosen)
        for box in (self.known, self.has_end):
            if box is not None:
                box.toggled.connect(self._on_toggled)
        if self.end is not None:
            self.end.setObjectName(f"field_{end_key}")
            self.end.editingFinished.connect(self.edited)
            self.end.dateTimeChanged.connect(self._update_captions)

    def _lay_out(self) -> QWidget:
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(2)
        if self.known is not None:
            grid.addWidget(self.known, 0, 1, 1, 2)
        grid.addWidget(self.start, 1, 1)
        grid.addWidget(self.zone, 1, 2)
        grid.addWidget(self.start_utc, 2, 1, 1, 2)
        if self.end is not None and self.has_end is not None:
            grid.addWidget(self.has_end, 3, 1, 1, 2)
            grid.addWidget(self.end, 4, 1)
            grid.addWidget(self.end_utc, 5, 1, 1, 2)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        for label in (self.start_utc, self.end_utc):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setStyleSheet("color: palette(placeholder-text);")
            label.setWordWrap(True)
        return box

    # ------------------------------------------------------------------ load

    def load(self, record: dict[str, Any]) -> None:
        self._loaded = {k: record.get(k) for k in self.keys}
        zone = str(record.get(self.zone_key) or "UTC")
        self.zone.set_zone(zone)
        start = record.get(self.time_key)
        if self.known is not None:
            self.known.setChecked(start is not None)
        self._show(self.start, start, zone)
        if self.end is not None and self.has_end is not None:
            end = record.get(self.end_key or "")
            self.has_end.setChecked(end is not None)
            self._show(self.end, end or start, zone)
        self._sync_enabled()
        self._update_captions()

    def _show(self, edit: QDateTimeEdit, stored: str | None, zone: str) -> None:
        moment = from_iso(stored) if stored else datetime.now(UTC).replace(second=0, microsecond=0)
        _set_wall(edit, moment.astimezone(zone_or_utc(zone)).replace(tzinfo=None))

    # ------------------------------------------------------------------ values

    def values(self) -> dict[str, Any]:
        zone = self.zone.zone()
        values: dict[str, Any] = {self.zone_key: zone}
        start = None
        if self.known is None or self.known.isChecked():
            start = _instant(_to_wall(self.start), zone)
        values[self.time_key] = self._kept(self.time_key, start, zone)
        if self.end is not None and self.end_key and self.has_end is not None:
            end = _instant(_to_wall(self.end), zone) if self.has_end.isChecked() else None
            if end is not None and start is not None and end < start:
                raise Invalid("The end is before the start.")
            values[self.end_key] = self._kept(self.end_key, end, zone)
        return values

    def _kept(self, key: str, moment: datetime | None, zone: str) -> str | None:
        """The stored text, unchanged when only seconds the edit cannot show differ."""
        if moment is None:
            return None
        loaded = self._loaded.get(key)
        if loaded and zone == self._loaded.get(self.zone_key):
            old = from_iso(loaded)
            if old.replace(second=0, microsecond=0) == moment:
                return str(loaded)
        return time_to_text(moment)

    # ------------------------------------------------------------------ slots

    def _on_zone_chosen(self) -> None:
        self._update_captions()
        self.edited.emit()

    def _on_toggled(self) -> None:
        self._sync_enabled()
        self._update_captions()
        self.edited.emit()

    def _sync_enabled(self) -> None:
        read_only = self.start.isReadOnly()
        if self.known is not None:
            self.start.setEnabled(self.known.isChecked())
        if self.end is not None and self.has_end is not None:
            self.end.setVisible(self.has_end.isChecked())
        for box in (self.known, self.has_end):
            if box is not None:
                box.setEnabled(not read_only)

    def _update_captions(self) -> None:
        try:
            zone = self.zone.zone()
        except Invalid:
            self.start_utc.setText("Unknown zone")
            return
        known = self.known is None or self.known.isChecked()
        start = _instant(_to_wall(self.start), zone) if known else None
        self.start_utc.setText(_utc_caption(start) if known else "Time not known")
        if self.end is not None and self.has_end is not None:
            shown = self.has_end.isChecked()
            end = _instant(_to_wall(self.end), zone) if shown else None
            self.end_utc.setText(_utc_caption(end))
            self.end_utc.setVisible(shown)

    def set_read_only(self, read_only: bool) -> None:
        for edit in (self.start, self.end):
            if edit is not None:
                edit.setReadOnly(read_only)
        self.zone.setEnabled(not read_only)
        self._sync_enabled()


class UtcTimeField(Field):
    """A time kept in UTC only (when a source was published or read), optional."""

    def __init__(self, key: str) -> None:
        super().__init__((key,))
        self._loaded: str | None = None
        self.known = QCheckBox("Known")
        self.edit = _time_edit()
        self.edit.setObjectName(f"field_{key}")
        self.edit.setDisplayFormat(EDIT_FORMAT + " 'UTC'")
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.known, 0, 0)
        grid.addWidget(self.edit, 0, 1)
        grid.setColumnStretch(1, 1)
        self.widget = box
        self.known.toggled.connect(self._on_toggled)
        self.edit.editingFinished.connect(self.edited)

    def load(self, record: dict[str, Any]) -> None:
        stored = record.get(self.keys[0])
        self._loaded = stored
        self.known.setChecked(stored is not None)
        moment = from_iso(stored) if stored else datetime.now(UTC)
        _set_wall(self.edit, moment.astimezone(UTC).replace(tzinfo=None))
        self.edit.setEnabled(stored is not None)

    def values(self) -> dict[str, Any]:
        if not self.known.isChecked():
            return {self.keys[0]: None}
        moment = _to_wall(self.edit).replace(tzinfo=UTC)
        if self._loaded and from_iso(self._loaded).replace(second=0, microsecond=0) == moment:
            return {self.keys[0]: self._loaded}
        return {self.keys[0]: time_to_text(moment)}

    def _on_toggled(self, checked: bool) -> None:
        self.edit.setEnabled(checked)
        self.edited.emit()

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)
        self.known.setEnabled(not read_only)


def from_iso(stored: str) -> datetime:
    """Codec time text (``2021-11-16T07:00:00Z``) to an aware datetime."""
    if stored.endswith("Z") and "." in stored:
        return from_utc_text(stored)
    return datetime.fromisoformat(stored.replace("Z", "+00:00"))
