"""Time fields: a wall-clock time in an IANA zone, with UTC shown beside it.

The analyst types the time as it was reported ("11:00 in Baku") and picks the
zone; the field stores the UTC instant and the zone. Changing the zone keeps
the wall-clock time, because the time as reported is what the analyst read
(the briefing's cover follows the same rule), and the status bar says so.
The edit itself works in UTC so that no clock change of this machine's own
zone can skip or repeat an hour.

Showing a time never changes it: the edit spans every wall-clock day a valid
time can fall on in any zone (:data:`briefing.model.rules.WALL_EARLIEST` to
``WALL_LATEST``), and a stored time the edit cannot show as it is (out of that
range, or not a time at all) is kept as stored until the analyst edits the field.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimeZone, Signal
from PySide6.QtGui import QFocusEvent
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
from briefing.gui.plain_tip import plain_tip
from briefing.gui.status_note import kept_clock_note, say
from briefing.model import rules
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

    left = Signal()
    """The focus left the box: a name typed with its suggestions open is finished too."""

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.left.emit()

    def __init__(self) -> None:
        super().__init__()
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.addItems(list(zone_names()))
        completer = QCompleter(list(zone_names()), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompleter(completer)
        self.setMinimumContentsLength(7)  # the pop-up shows every name whole
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)

    def zone(self) -> str:
        name = self.currentText().strip()
        if name not in zone_names():
            raise Invalid(f"‘{name}’ is not a time zone; choose one from the list, e.g. Asia/Baku.")
        return name

    def set_zone(self, name: str) -> None:
        self.setCurrentText(name or "UTC")


def _qdatetime(day: date, hour: int = 0, minute: int = 0) -> QDateTime:
    return QDateTime(QDate(day.year, day.month, day.day), QTime(hour, minute), QTimeZone.utc())


def _time_edit() -> QDateTimeEdit:
    edit = QDateTimeEdit()
    edit.setTimeZone(QTimeZone.utc())
    edit.setDisplayFormat(EDIT_FORMAT)
    edit.setCalendarPopup(True)
    edit.setDateTimeRange(_qdatetime(rules.WALL_EARLIEST), _qdatetime(rules.WALL_LATEST, 23, 59))
    return edit


def _showable(wall: datetime) -> bool:
    """Whether the edit can show this wall-clock time as it is (else it would clamp it)."""
    return rules.WALL_EARLIEST <= wall.date() <= rules.WALL_LATEST


def _stored_moment(stored: Any) -> datetime | None:
    """The stored time, or None when it is not one (a hostile file may hold anything)."""
    if not isinstance(stored, str) or not stored:
        return None
    try:
        return from_iso(stored)
    except (ValueError, OverflowError):
        return None


def _wall_of(stored: Any, zone: str) -> datetime | None:
    """The wall-clock minute of a stored time in ``zone``; None when the edit cannot show it."""
    moment = _stored_moment(stored)
    if moment is None:
        return None
    try:
        wall = moment.astimezone(zone_or_utc(zone)).replace(tzinfo=None, second=0, microsecond=0)
    except (OverflowError, ValueError):
        return None
    return wall if _showable(wall) else None


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
    return f"{moment.year:04d}-{moment:%m-%d %H:%M} UTC · {dtg(moment)}"


def _kept_caption(stored: Any) -> str:
    """What a time field says of a stored time it cannot show (kept until the analyst edits it)."""
    return f"Stored as ‘{rules.shown(stored)}’, which this field cannot show; kept as it is."


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
        self._walls: dict[str, datetime] = {}
        """The wall-clock time each edit showed when loaded; while it shows that, no change."""
        self._unshown: set[str] = set()
        self._zone_said = ""
        """The zone last loaded or chosen: choosing it again says nothing new."""
        """Keys whose stored time the edit could not show (it shows now instead)."""
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
        self.zone.left.connect(self._on_zone_chosen)
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
        self._walls, self._unshown = {}, set()
        zone = str(record.get(self.zone_key) or "UTC")
        self._zone_said = zone
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
        key = self.time_key if edit is self.start else self.end_key or ""
        wall = _wall_of(stored, zone)
        if wall is None:
            if stored:
                self._unshown.add(key)
            now = datetime.now(UTC).replace(second=0, microsecond=0)
            wall = now.astimezone(zone_or_utc(zone)).replace(tzinfo=None)
        _set_wall(edit, wall)
        self._walls[key] = _to_wall(edit)

    # ------------------------------------------------------------------ values

    def values(self) -> dict[str, Any]:
        zone = self.zone.zone()
        values: dict[str, Any] = {self.zone_key: zone}
        known = self.known is None or self.known.isChecked()
        values[self.time_key] = self._value(self.time_key, self.start, zone) if known else None
        if self.end is not None and self.end_key and self.has_end is not None:
            shown = self.has_end.isChecked()
            values[self.end_key] = self._value(self.end_key, self.end, zone) if shown else None
            start, end = (_stored_moment(values[k]) for k in (self.time_key, self.end_key))
            if end is not None and start is not None and end < start:
                raise Invalid("The end is before the start.")
        return values

    def _value(self, key: str, edit: QDateTimeEdit, zone: str) -> str | None:
        """The time to store: as stored while the edit shows what was loaded, else the edit's."""
        if self._untouched(key, edit, zone):
            return str(self._loaded[key])  # seconds, and times the edit cannot show, kept
        return time_to_text(_instant(_to_wall(edit), zone))

    def _untouched(self, key: str, edit: QDateTimeEdit, zone: str) -> bool:
        """Whether the edit still shows the stored time as loaded, in the same zone."""
        return (
            bool(self._loaded.get(key))
            and zone == self._loaded.get(self.zone_key)
            and _to_wall(edit) == self._walls.get(key)
        )

    # ------------------------------------------------------------------ slots

    def _on_zone_chosen(self) -> None:
        self._update_captions()
        self.edited.emit()
        try:
            zone = self.zone.zone()
        except Invalid:
            return  # the form shows why at the field
        if zone != self._zone_said and (self.known is None or self.known.isChecked()):
            self._zone_said = zone
            wall = _to_wall(self.start)
            moment = _instant(wall, zone)
            say(self.widget, kept_clock_note(f"{wall:%H:%M}", zone, f"{moment:%H:%M}"))

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
        self.start_utc.setText(self._caption(self.time_key, self.start, zone) if known
                               else "Time not known")  # fmt: skip
        if self.end is not None and self.has_end is not None and self.end_key:
            shown = self.has_end.isChecked()
            self.end_utc.setText(self._caption(self.end_key, self.end, zone) if shown else "")
            self.end_utc.setVisible(shown)

    def _caption(self, key: str, edit: QDateTimeEdit, zone: str) -> str:
        if self._untouched(key, edit, zone):  # the stored time, to the second it was stored
            if key in self._unshown:
                return _kept_caption(self._loaded[key])
            return _utc_caption(_stored_moment(self._loaded[key]))
        return _utc_caption(_instant(_to_wall(edit), zone))

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
        self._wall: datetime | None = None
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
        wall = _wall_of(stored, "UTC")
        if wall is None:
            wall = datetime.now(UTC).replace(tzinfo=None, second=0, microsecond=0)
        _set_wall(self.edit, wall)
        self._wall = _to_wall(self.edit)
        self.edit.setEnabled(stored is not None)
        unshown = stored is not None and _wall_of(stored, "UTC") is None
        self.edit.setToolTip(plain_tip(_kept_caption(stored)) if unshown else "")

    def values(self) -> dict[str, Any]:
        if not self.known.isChecked():
            return {self.keys[0]: None}
        if self._loaded and _to_wall(self.edit) == self._wall:
            return {self.keys[0]: self._loaded}  # untouched: seconds and unshowable times kept
        moment = _to_wall(self.edit).replace(tzinfo=UTC)
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
