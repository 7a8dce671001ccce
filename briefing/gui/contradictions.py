"""Who said what about one timeline entry: a column per party, contradicting claims marked.

Each statement is a card numbered in reading order, so "contradicts #4" can be
followed by eye; choosing a card highlights the statements it contradicts.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QMouseEvent, QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from briefing.errors import BriefingError
from briefing.gui.document import ProjectDocument
from briefing.gui.theme import alarm_colour
from briefing.model.vocab import counted
from briefing.services import contradictions
from briefing.services.contradictions import EntryStatements, PartyColumn, StatementCard
from briefing.services.records import Change

PARTNER_BACKGROUND = "rgba(176, 0, 32, 0.12)"  # pale red on light, dark red on dark
QUIET = "#888888"  # secondary text, readable on light and dark cards
CHOSEN = "#2F6FA7"
COLUMN_WIDTH = 280
NARROWEST_COLUMN = 165
SCROLL_FRAME = 40
EMPTY_TEXT = "Choose a timeline entry or a statement to see what each party said about it."


def _label(html: str, object_name: str = "") -> QLabel:
    label = QLabel(html)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if object_name:
        label.setObjectName(object_name)
    return label


class StatementCardWidget(QFrame):
    """One statement: number, kind and grade, time, quote, attribution, contradictions."""

    clicked = Signal(int)

    def __init__(self, card: StatementCard, number: int, notes: list[str]) -> None:
        super().__init__()
        self.statement_id = card.id
        self.number = number
        self.contradicted = bool(notes)
        self.setObjectName("statementCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(3)
        layout.addWidget(
            _label(
                f"<b>#{number}</b> &nbsp;{escape(card.kind)} &nbsp;·&nbsp; "
                f"<span title='Admiralty grade: source reliability and information "
                f"credibility'><b>{escape(card.grade)}</b></span>"
            )
        )
        layout.addWidget(_label(f"<span style='color:{QUIET}'>{escape(card.when)}</span>"))
        quote = _label(f"“{escape(card.quote)}”", "quote")
        font = quote.font()
        font.setItalic(True)
        quote.setFont(font)
        layout.addWidget(quote)
        if card.translation:
            layout.addWidget(_label(f"<i>Translation:</i> {escape(card.translation)}"))
        layout.addWidget(_label(f"— {escape(card.attribution)}"))
        source = escape(card.source)
        layout.addWidget(_label(f"<span style='color:{QUIET}'>Source: {source}</span>"))
        self.alarm = alarm_colour(self.palette()).name()
        for note in notes:
            layout.addWidget(_label(f"<span style='color:{self.alarm}'>✕ {note}</span>"))
        self.set_state(chosen=False, partner=False)

    def set_state(self, chosen: bool, partner: bool) -> None:
        border = CHOSEN if chosen else self.alarm if self.contradicted else "#C8C8C8"
        width = 2 if chosen or self.contradicted else 1
        background = PARTNER_BACKGROUND if partner else "palette(base)"
        self.setStyleSheet(
            f"QFrame#statementCard {{ background: {background};"
            f" border: {width}px solid {border}; border-radius: 4px; }}"
        )

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.clicked.emit(self.statement_id)
        super().mousePressEvent(event)


class ContradictionsView(QWidget):
    """Follows the selection: an entry, or a statement's entry, shown party by party."""

    recordActivated = Signal(str, int)

    def __init__(self, document: ProjectDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.view: EntryStatements | None = None
        self.cards: dict[int, StatementCardWidget] = {}
        self.heading = _label(EMPTY_TEXT, "heading")
        self.summary = _label("", "summary")
        self.columns = QWidget()
        self.columns_layout = QHBoxLayout(self.columns)
        self.columns_layout.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self._column_boxes: list[QWidget] = []
        scroll = self.scroll_area = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.columns)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(scroll, 1)
        document.changed.connect(self._on_changed)
        document.reloaded.connect(self.reload)

    # ------------------------------------------------------------------ following the selection

    def show_record(self, kind: str, record_id: int) -> None:
        """Show the entry itself, or the entry a statement is about; other kinds are ignored."""
        if kind not in ("entry", "statement"):
            return
        entry_id = contradictions.entry_of(self.document.project, kind, record_id)
        if entry_id is None:
            self._clear("That statement is not linked to a timeline entry.")
            return
        if self.view is None or self.view.entry_id != entry_id:
            self.show_entry(entry_id)
        if kind == "statement":
            self.choose(record_id)

    def show_entry(self, entry_id: int) -> None:
        try:
            view = contradictions.entry_statements(self.document.project, entry_id)
        except BriefingError as error:
            self._clear(str(error))
            return
        self._show(view)

    def reload(self) -> None:
        if self.view is not None and not self.document.project.closed:
            self.show_entry(self.view.entry_id)

    def changeEvent(self, event: QEvent) -> None:
        """Light or dark: the red of contradictions is chosen for the palette, so draw again."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.view is not None:
            self._show(self.view)

    def _on_changed(self, change: Change) -> None:
        if self.view is not None and any(
            change.touches(kind) for kind in ("entry", "statement", "party", "source")
        ):
            self.reload()

    # ------------------------------------------------------------------ drawing

    def _clear(self, message: str) -> None:
        self.view = None
        self.cards = {}
        self.heading.setText(escape(message))
        self.summary.setText("")
        self._empty_columns()

    def _empty_columns(self) -> None:
        while self.columns_layout.count():
            item = self.columns_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # at once: deletion waits for the event loop
                widget.deleteLater()

    def _show(self, view: EntryStatements) -> None:
        self.view = view
        self._empty_columns()
        self.cards = {}
        self._column_boxes = []
        self.heading.setText(
            f"<b style='font-size:large'>{escape(view.title)}</b><br>"
            f"{escape(view.when)} · {escape(view.status)} · credibility {view.credibility}"
        )
        numbers = {
            card.id: n
            for n, card in enumerate((c for col in view.columns for c in col.statements), 1)
        }
        for column in view.columns:
            self.columns_layout.addWidget(self._column(column, numbers), 1)
        if not view.columns:
            self.columns_layout.addWidget(_label("No statements are linked to this entry yet."))
        self.columns_layout.addStretch(0 if len(view.columns) > 2 else 1)
        self.summary.setText(self._summary(view, numbers))
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Columns share the width; below a readable width the view scrolls sideways."""
        if not self._column_boxes:
            return
        spacing = self.columns_layout.spacing() + 2
        room = self.width() - SCROLL_FRAME - 2 * spacing  # the scroll area may not be resized yet
        share = room / len(self._column_boxes) - spacing
        width = int(min(max(share, NARROWEST_COLUMN), COLUMN_WIDTH))
        for box in self._column_boxes:
            box.setMinimumWidth(width)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_columns()

    def _column(self, column: PartyColumn, numbers: dict[int, int]) -> QWidget:
        box = QWidget()
        box.setMaximumWidth(COLUMN_WIDTH * 3 // 2)
        self._column_boxes.append(box)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        header = QLabel(f"<b>{escape(column.label)}</b>")
        header.setObjectName("partyHeader")
        strip = QFrame()
        strip.setFixedHeight(4)
        strip.setStyleSheet(f"background: {column.colour}; border: none;")
        layout.addWidget(header)
        layout.addWidget(strip)
        for card in column.statements:
            widget = StatementCardWidget(card, numbers[card.id], self._notes(card.id, numbers))
            widget.clicked.connect(self._on_card_clicked)
            self.cards[card.id] = widget
            layout.addWidget(widget)
        layout.addStretch(1)
        return box

    def _notes(self, statement_id: int, numbers: dict[int, int]) -> list[str]:
        assert self.view is not None
        notes = [
            f"contradicts #{numbers[other]} ({escape(self._attribution(other))})"
            for other in self.view.partners(statement_id)
        ]
        notes += [
            f"contradicted by {escape(o.other_attribution)}, about ‘{escape(o.other_entry)}’"
            for o in self.view.outside
            if o.statement_id == statement_id
        ]
        return notes

    def _attribution(self, statement_id: int) -> str:
        assert self.view is not None
        for column in self.view.columns:
            for card in column.statements:
                if card.id == statement_id:
                    return card.attribution
        return ""

    def _summary(self, view: EntryStatements, numbers: dict[int, int]) -> str:
        count = sum(len(c.statements) for c in view.columns)
        text = f"{counted('statement', count)} by {counted('party', len(view.columns))}"
        if view.pairs:
            pairs = ", ".join(f"#{numbers[a]} ↔ #{numbers[b]}" for a, b in view.pairs)
            alarm = alarm_colour(self.palette()).name()
            text += f" · <span style='color:{alarm}'>contradictions: {pairs}</span>"
        return text

    def _on_card_clicked(self, statement_id: int) -> None:
        self.choose(statement_id)
        self.recordActivated.emit("statement", statement_id)

    def choose(self, statement_id: int) -> None:
        """Mark a card as chosen and the statements it contradicts as its partners."""
        partners = set(self.view.partners(statement_id)) if self.view else set()
        for card_id, widget in self.cards.items():
            widget.set_state(chosen=card_id == statement_id, partner=card_id in partners)
