"""A date filter that can be typed into, with a calendar that opens near the list's records.

Typed dates are read generously (``2022-09-13``, ``13.09.2022``, ``13 Sep 2022``, and
``2022-09`` or ``2022`` for a whole month or year: the first day for "from", the last
for "to"). Text that is no date is shown as wrong at the field and filters nothing
new; the last good date stays in force until the analyst corrects it.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import QDate, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from briefing.gui.plain_tip import plain_tip
from briefing.gui.theme import alarm_colour
from briefing.model import rules

DAY_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d %b %Y", "%d %B %Y", "%b %d %Y",
               "%B %d %Y", "%Y/%m/%d")  # fmt: skip
MONTH_FORMATS = ("%Y-%m", "%b %Y", "%B %Y", "%m/%Y", "%m.%Y")
EXAMPLE = "2022-09-13"


class NotADate(ValueError):
    """Typed text that is no date; ``str()`` says so in one sentence."""


def read_date(typed: str, end: bool) -> date | None:
    """The day typed (None for nothing); a month or year stands for its first or last day."""
    text = " ".join(typed.replace(",", " ").split())
    if not text:
        return None
    for form in DAY_FORMATS:
        try:
            return _in_range(datetime.strptime(text, form).date(), typed)
        except ValueError:
            continue
    for form in MONTH_FORMATS:
        try:
            first = datetime.strptime(text, form).date()
        except ValueError:
            continue
        last = calendar.monthrange(first.year, first.month)[1]
        return _in_range(first.replace(day=last) if end else first, typed)
    if re.fullmatch(r"\d{4}", text):
        year = int(text)
        if year >= 1:
            return _in_range(date(year, 12, 31) if end else date(year, 1, 1), typed)
    raise NotADate(f"‘{typed.strip()[:40]}’ is not a date; type one like {EXAMPLE}.")


def _in_range(day: date, typed: str) -> date:
    if not rules.WALL_EARLIEST <= day <= rules.WALL_LATEST:
        raise NotADate(
            f"‘{typed.strip()[:40]}’ is outside the dates a record can have "
            f"({rules.WALL_EARLIEST.year}–{rules.WALL_LATEST.year})."
        )
    return day


class _TypedDate(QLineEdit):
    """The text part; Alt+Down or F4 opens the calendar, as in a date edit."""

    calendarWanted = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        alt_down = (
            event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier
        )
        if alt_down or event.key() == Qt.Key.Key_F4:
            self.calendarWanted.emit()
            return
        super().keyPressEvent(event)


class DateFilter(QWidget):
    """One end of a date range: typed or picked, announced when it changes."""

    dateChosen = Signal()

    def __init__(self, blank: str, end: bool, near: Callable[[], date | None]) -> None:
        super().__init__()
        self.end = end
        self._near = near
        self._date: date | None = None
        self.edit = _TypedDate()
        self.edit.setPlaceholderText(blank)
        self.edit.setClearButtonEnabled(True)
        self.edit.setToolTip(f"Type a date ({EXAMPLE}, 13 Sep 2022, 2022-09) or press Alt+Down")
        width = self.edit.fontMetrics().horizontalAdvance(blank) + 40
        self.edit.setMinimumWidth(width)  # the placeholder is never clipped
        self.button = QToolButton()
        self.button.setArrowType(Qt.ArrowType.DownArrow)
        self.button.setToolTip("Choose from a calendar (Alt+Down)")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.calendar = QCalendarWidget()  # its own window: out of the Tab chain of the bar
        self.calendar.setWindowFlags(Qt.WindowType.Popup)
        self.destroyed.connect(self.calendar.deleteLater)
        self.calendar.setGridVisible(False)
        self.calendar.setDateRange(_qdate(rules.WALL_EARLIEST), _qdate(rules.WALL_LATEST))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setFocusProxy(self.edit)
        self.edit.editingFinished.connect(self._on_typed)
        self.edit.textChanged.connect(self._on_text_changed)
        self.edit.calendarWanted.connect(self.open_calendar)
        self.button.clicked.connect(self.open_calendar)
        self.calendar.activated.connect(self._on_picked)
        self.calendar.clicked.connect(self._on_picked)

    # ------------------------------------------------------------------ value

    def date(self) -> date | None:
        return self._date

    def set_date(self, day: date | None) -> None:
        """Show a date (None: any) without announcing it."""
        self._date = day
        self.edit.blockSignals(True)
        self.edit.setText(day.isoformat() if day else "")
        self.edit.blockSignals(False)
        self._show_problem("")

    def problem(self) -> str:
        """Why the typed text is not used ('' when it is)."""
        return self.edit.property("problem") or ""

    def _on_typed(self) -> None:
        try:
            day = read_date(self.edit.text(), self.end)
        except NotADate as wrong:
            self._show_problem(str(wrong))
            return
        self._show_problem("")
        if day is not None:
            self.edit.setText(day.isoformat())
        if day != self._date:
            self._date = day
            self.dateChosen.emit()

    def _on_text_changed(self, text: str) -> None:
        if not text and self._date is not None:  # the clear button: any date again
            self._date = None
            self._show_problem("")
            self.dateChosen.emit()

    def _show_problem(self, message: str) -> None:
        self.edit.setProperty("problem", message)
        alarm = alarm_colour(self.palette()).name()
        self.edit.setStyleSheet(f"QLineEdit {{ border: 1px solid {alarm}; }}" if message else "")
        self.edit.setToolTip(plain_tip(message) or f"Type a date ({EXAMPLE}, 13 Sep 2022, 2022-09)")

    # ------------------------------------------------------------------ calendar

    def open_calendar(self) -> None:
        """Open on the chosen date, else near the records the list holds."""
        shown = self._date or self._near()
        if shown is not None:
            self.calendar.setSelectedDate(_qdate(shown))
            self.calendar.setCurrentPage(shown.year, shown.month)
        corner = self.mapToGlobal(QPoint(0, self.height()))
        self.calendar.move(corner)
        self.calendar.show()
        self.calendar.setFocus()

    def _on_picked(self, picked: QDate) -> None:
        self.calendar.hide()
        day = date(picked.year(), picked.month(), picked.day())
        self.set_date(day)
        self.edit.setFocus()
        self.dateChosen.emit()


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)
