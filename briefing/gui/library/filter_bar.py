"""The search box and filters above a library list; every choice becomes a :class:`ListFilter`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QSignalBlocker, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLineEdit,
    QStyle,
    QStyleOptionComboBox,
    QToolButton,
    QWidget,
)

from briefing.gui.document import ProjectDocument
from briefing.gui.library.date_filter import DateFilter
from briefing.gui.plain_tip import plain_tip
from briefing.model import fulltext
from briefing.model.codec import TABLE_NAMES
from briefing.model.vocab import Reliability, Tlp
from briefing.services import library_query as query
from briefing.services import local_days
from briefing.services.library_query import ListFilter
from briefing.services.record_choices import party_choices_for_filter

SHORT_TEXT_DELAY_MS = 250
"""Pause before searching for one or two letters: costly prefixes, usually still being typed.

Longer text is searched at once (the first rows of the list come back in a few
milliseconds even from 100,000 entries), coalescing keystrokes already queued.
"""

MAX_SEARCH_CHARS = 10_000
"""Characters the search box holds; a search looks for its first few words anyway."""
SPACING = 6
WIDE_COLUMNS, NARROW_COLUMNS = 4, 2
"""Filters to a row: all in one row when the library is wide enough, else two to a row."""

PLACEHOLDERS = {
    "entry": "Search the timeline (title, place, description, parties)",
    "statement": "Search statements (quote, translation, speaker)",
    "relationship": "Search the alliance context",
    "party": "Search parties",
    "source": "Search sources (title, publisher, author, URL)",
}


class LazyCombo(QComboBox):
    """A combo box whose items are read again each time it opens, so they are never stale."""

    def __init__(self, blank: str, fill: Callable[[], list[tuple[str, Any]]]) -> None:
        super().__init__()
        self._blank = blank
        self._fill = fill
        self.addItem(blank, None)

    def refill(self) -> None:
        current = self.currentData()
        with QSignalBlocker(self):
            self.clear()
            self.addItem(self._blank, None)
            for label, value in self._fill():
                self.addItem(label, value)
            found = self.findData(current)
            self.setCurrentIndex(max(found, 0))

    def showPopup(self) -> None:
        self.refill()
        super().showPopup()


class FilterBar(QWidget):
    """Search and filters for one kind; announces the resulting filter."""

    filterChanged = Signal(object)

    def __init__(self, document: ProjectDocument, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.kind = kind
        self.search = QLineEdit()
        self.search.setObjectName(f"search_{kind}")
        self.search.setPlaceholderText(PLACEHOLDERS[kind])
        self.search.setClearButtonEnabled(True)
        self.search.setMaxLength(MAX_SEARCH_CHARS)
        self._search_timer = QTimer(self, singleShot=True)
        self._search_timer.timeout.connect(self._announce)
        self.search.textChanged.connect(self._on_text_changed)
        self.search.returnPressed.connect(self._announce)

        field, label, words = query.STATUS_FILTERS[kind]
        self.status = QComboBox()
        self.status.addItem(f"Any {label.lower()}", None)
        for word in words:
            self.status.addItem(_status_label(kind, word), word)
        self.tlp = QComboBox()
        self.tlp.addItem("Any TLP", None)
        for tlp in Tlp:
            self.tlp.addItem(tlp.marking, tlp.value)
        self.party = LazyCombo("Any party", self._party_items)
        self.tag = LazyCombo("Any tag", self._tag_items)
        self.date_from = DateFilter("From any date", end=False, near=lambda: self._near(0))
        self.date_to = DateFilter("To any date", end=True, near=lambda: self._near(1))
        self.clear_button = QToolButton()
        self.clear_button.setText("Clear")
        self.clear_button.setToolTip("Show every record again")
        self.clear_button.clicked.connect(self.clear)
        for combo in (self.status, self.tlp, self.party, self.tag):
            combo.activated.connect(self._announce)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(6)
            _fit_first_item(combo)
        for edit in (self.date_from, self.date_to):
            edit.dateChosen.connect(self._announce)
        self._lay_out()

    def _lay_out(self) -> None:
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(SPACING)
        self._grid.setVerticalSpacing(4)
        has_party = self.kind in ("entry", "statement", "relationship", "party")
        self._filters: list[QWidget] = [
            w for w in (self.party if has_party else None, self.status, self.tag, self.tlp) if w
        ]
        self.party.setVisible(has_party)
        self._dates = self.kind in query.DATE_FIELDS
        self.date_from.setToolTip("Only records on or after this date")
        self.date_to.setToolTip("Only records on or before this date")
        self.date_from.setVisible(self._dates)
        self.date_to.setVisible(self._dates)
        self.columns = 0
        self._arrange(WIDE_COLUMNS)

    def _arrange(self, columns: int) -> None:
        """Search and Clear on top, then the filters ``columns`` to a row, then the dates."""
        if columns == self.columns:
            return
        self.columns = columns
        grid = self._grid
        placed = [self.search, self.clear_button, *self._filters, self.date_from, self.date_to]
        for widget in placed:
            grid.removeWidget(widget)
        grid.addWidget(self.search, 0, 0, 1, columns)
        grid.addWidget(self.clear_button, 0, columns)
        for number, widget in enumerate(self._filters):
            grid.addWidget(widget, 1 + number // columns, number % columns)
        if self._dates:
            row = 2 + (len(self._filters) - 1) // columns
            half = columns // 2  # the two dates share the row, each as wide as it needs
            grid.addWidget(self.date_from, row, 0, 1, half)
            grid.addWidget(self.date_to, row, half, 1, columns - half)
        for column in range(WIDE_COLUMNS + 1):
            grid.setColumnStretch(column, 1 if column < columns else 0)

    def _wide_width(self) -> int:
        """The least width that holds every filter in one row."""
        widths = [_least_width(w) for w in (*self._filters, self.clear_button)]
        return sum(widths) + SPACING * (len(widths) - 1)

    def minimumSizeHint(self) -> QSize:
        """As narrow as two filters to a row, so a narrow library still shows them whole."""
        hint = super().minimumSizeHint()
        pair = sorted(_least_width(w) for w in self._filters)[-2:]
        narrow = sum(pair) + self.clear_button.minimumSizeHint().width() + 2 * SPACING
        return QSize(min(hint.width(), narrow), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange(WIDE_COLUMNS if self.width() >= self._wide_width() else NARROW_COLUMNS)

    # ------------------------------------------------------------------ values

    def current_filter(self) -> ListFilter:
        return ListFilter(
            text=self.search.text().strip(),
            party_id=self.party.currentData(),
            date_from=self.date_from.date(),
            date_to=self.date_to.date(),
            status=self.status.currentData(),
            tag=self.tag.currentData(),
            tlp=self.tlp.currentData(),
        )

    def clear(self) -> None:
        """Back to every record of the kind."""
        widgets = (self.search, self.status, self.tlp, self.party, self.tag)
        blockers = [QSignalBlocker(w) for w in (*widgets, self.date_from, self.date_to)]
        self.search.clear()
        for combo in (self.status, self.tlp, self.party, self.tag):
            combo.setCurrentIndex(0)
        self.date_from.set_date(None)
        self.date_to.set_date(None)
        del blockers
        self._announce()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _on_text_changed(self, text: str) -> None:
        short = 0 < len(text.strip()) < 3
        self._search_timer.start(SHORT_TEXT_DELAY_MS if short else 0)

    def _announce(self) -> None:
        self._search_timer.stop()
        self.search.setToolTip(plain_tip(self.search_note()))
        self.filterChanged.emit(self.current_filter())

    def search_note(self) -> str:
        """A sentence when the search left typed words out (it looks for the first few)."""
        return fulltext.search_words(self.search.text()).note

    def _near(self, end: int) -> date | None:
        """Where an empty date's calendar opens: the other end, else the first or last record."""
        other = (self.date_to if end == 0 else self.date_from).date()
        if other is not None or self.document.project.closed or self.kind not in query.DATE_FIELDS:
            return other
        with self.document.project.engine.connect() as connection:
            span = local_days.data_span(
                connection, TABLE_NAMES[self.kind], query.DATE_FIELDS[self.kind]
            )
        return span[end] if span else None

    # ------------------------------------------------------------------ choices

    def _party_items(self) -> list[tuple[str, Any]]:
        if self.document.project.closed:
            return []
        with self.document.project.engine.connect() as connection:
            return [(c.label, c.id) for c in party_choices_for_filter(connection)]

    def _tag_items(self) -> list[tuple[str, Any]]:
        if self.document.project.closed:
            return []
        with self.document.project.engine.connect() as connection:
            return [(tag, tag) for tag in query.tags_in_use(connection, self.kind)]


def _fit_first_item(combo: QComboBox) -> None:
    """Never narrower than its first item ("Any reliability"), which must read whole."""
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    metrics = combo.fontMetrics()
    text = QSize(metrics.horizontalAdvance(combo.itemText(0)) + 2, metrics.height())
    size = combo.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, option, text, combo)
    combo.setMinimumWidth(size.width())


def _least_width(widget: QWidget) -> int:
    return max(widget.minimumWidth(), widget.minimumSizeHint().width())


def _status_label(kind: str, word: str) -> str:
    if kind == "source":
        return f"{word} – {Reliability(word).label}"
    return word
