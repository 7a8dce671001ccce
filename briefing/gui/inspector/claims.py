"""An entry's casualty claims in the inspector: a small table, edited cell by cell.

Claims are part of their entry (its ``claims`` list), so each finished cell edit,
each claim added with a figure and each claim removed is one edit of the entry:
one transaction and one undo step, checked by :func:`briefing.model.rules.check_claim`
before it is saved. Figures are typed the way every display writes them
(:mod:`briefing.export.claim_words`): ``49``, ``40–60``, ``40–60 (49)``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from briefing.export.claim_words import side_text
from briefing.gui.inspector.claims_model import (
    AFFECTED,
    CLAIMANT,
    CLAIMED,
    FIGURE,
    HEADERS,
    PARTY_PREFIX,
    RULE_COLUMNS,
    SOURCE,
    WHAT,
    WIDEST,
    WORDS,
    AnyIndex,
    ClaimsModel,
)
from briefing.gui.inspector.fields import Field, Invalid
from briefing.gui.inspector.link_fields import Lookup
from briefing.gui.wheel_guard import guard_wheel
from briefing.model import rules
from briefing.model.vocab import ClaimCategory, ClaimSide


class ClaimsDelegate(QStyledItemDelegate):
    """Drop-downs for the sides, categories, claimants and sources; text for the rest."""

    def __init__(self, options: Callable[[int], list[tuple[Any, str]]], parent: Any) -> None:
        super().__init__(parent)
        self._options = options

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        choices = self._options(index.column())
        if not choices:
            edit = QLineEdit(parent)
            edit.setObjectName(f"claimEditor_{HEADERS[index.column()].lower()}")
            return edit
        combo = QComboBox(parent)
        combo.setObjectName(f"claimEditor_{HEADERS[index.column()].lower()}")
        for value, label in choices:
            combo.addItem(label, value)
        guard_wheel(combo)
        # A choice made is the edit finished: saved at once, as the other drop-downs are.
        combo.activated.connect(lambda _row, c=combo: self._chosen(c))
        return combo

    def _chosen(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            found = editor.findData(value)
            if found < 0 and value is not None:  # a record no longer offered: shown as it is
                editor.addItem(str(index.data(Qt.ItemDataRole.DisplayRole)), value)
                found = editor.count() - 1
            editor.setCurrentIndex(max(found, 0))
        elif isinstance(editor, QLineEdit):
            editor.setText(str(value or ""))
            editor.selectAll()

    def setModelData(self, editor: QWidget, model: Any, index: AnyIndex) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)


class ClaimsTable(QTableView):
    """Enter or F2 edits the current cell, Insert adds a claim, Delete removes one."""

    addRequested = Signal()
    removeRequested = Signal()
    resized = Signal()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.resized.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        editing = self.state() == QAbstractItemView.State.EditingState
        key = event.key()
        if not editing and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.currentIndex().isValid():
                self.edit(self.currentIndex())
                return
        if not editing and key == Qt.Key.Key_Insert:
            self.addRequested.emit()
            return
        if not editing and event.matches(QKeySequence.StandardKey.Delete):
            self.removeRequested.emit()
            return
        super().keyPressEvent(event)


class ClaimsField(Field):
    """The ``claims`` of a timeline entry as a table with Add and Remove buttons."""

    def __init__(self, lookup: Lookup) -> None:
        super().__init__(("claims",))
        self.lookup = lookup
        self._problem = ""
        self._short: dict[str, str] = {}
        self.model = ClaimsModel(self._name)
        self.model.edited.connect(self._on_model_edited)
        self.model.refused.connect(self._on_refused)
        self.table = ClaimsTable()
        self.table.setObjectName("field_claims")
        self.table.setModel(self.model)
        self.table.setItemDelegate(ClaimsDelegate(self._options, self.table))
        self.table.setTabKeyNavigation(False)  # Tab leaves the table, to the next field
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        # Never sideways: the columns share the width the dock gives (_fit_columns).
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.resized.connect(self._fit_columns)
        self.table.addRequested.connect(self.add_claim)
        self.table.removeRequested.connect(self.remove_current)
        self.add_button = QPushButton("Add claim")
        self.add_button.setObjectName("addClaim")
        self.add_button.setToolTip("Add a casualty claim (Insert in the table)")
        self.add_button.clicked.connect(self.add_claim)
        self.remove_button = QPushButton("Remove claim")
        self.remove_button.setObjectName("removeClaim")
        self.remove_button.setToolTip("Remove the selected claim (Delete in the table)")
        self.remove_button.clicked.connect(self.remove_current)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        self.widget = QWidget()
        column = QVBoxLayout(self.widget)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(3)
        column.addWidget(self.table)
        column.addLayout(buttons)
        shortcut = QShortcut(QKeySequence("Ctrl+Shift+K"), self.widget)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.add_claim)
        self._fit_height()

    # ------------------------------------------------------------------ Field

    def load(self, record: dict[str, Any]) -> None:
        """Show the stored claims, keeping the cell the analyst is on."""
        current = self.table.currentIndex()
        row, column = (current.row(), current.column()) if current.isValid() else (-1, 0)
        claims = record.get("claims")
        self._problem = ""
        self._read_short_names()
        self.model.set_claims(claims if isinstance(claims, list) else [])
        if 0 <= row < self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(row, column))
        self._fit_columns()
        self._fit_height()

    def values(self) -> dict[str, Any]:
        if self._problem:
            raise Invalid(self._problem)
        for number, claim in enumerate(self.model.claims, start=1):
            found = rules.check_claim(claim)
            if found is not None:
                raise Invalid(_refusal(number, *found))
        return {"claims": copy.deepcopy(self.model.claims)}

    def is_dirty(self, record: dict[str, Any]) -> bool:
        """Whether the table holds other claims than the record (not whether they are valid).

        A stored value no rule allows is shown as it is, and is not the analyst's edit.
        """
        stored = record.get("claims")
        shown = stored if isinstance(stored, list) else []
        return bool(self._problem) or self.model.claims != shown

    def set_read_only(self, read_only: bool) -> None:
        self.model.read_only = read_only
        self.add_button.setEnabled(not read_only)
        self.remove_button.setEnabled(not read_only)

    # ------------------------------------------------------------------ editing

    def add_claim(self) -> None:
        """A new row to fill in, its first cell being edited."""
        if self.model.read_only:
            return
        row = self.model.add()
        self._fit_height()
        index = self.model.index(row, AFFECTED)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.table.setCurrentIndex(index)
        self.table.edit(index)

    def remove_current(self) -> None:
        index = self.table.currentIndex()
        if index.isValid() and self.model.remove(index.row()):
            self._fit_height()

    def _on_model_edited(self) -> None:
        self._problem = ""
        self.edited.emit()

    def _on_refused(self, message: str) -> None:
        self._problem = message
        self.edited.emit()

    # ------------------------------------------------------------------ choices and looks

    def _name(self, kind: str, uuid: str) -> str:
        """A party by its short name, as charts and lists show it; a source by its title."""
        if kind == "party" and uuid in self._short:
            return self._short[uuid]
        found = self.lookup.find(kind, uuid)
        return found.label if found is not None else f"(missing {kind})"

    def _read_short_names(self) -> None:
        with self.lookup.document.project.engine.connect() as connection:
            rows = connection.exec_driver_sql(
                "SELECT uuid, coalesce(nullif(short_name, ''), name) FROM party"
            )
            self._short = {uuid: label for uuid, label in rows}

    def _options(self, column: int) -> list[tuple[Any, str]]:
        if column == AFFECTED:
            sides = [(s.value, side_text(s.value)) for s in ClaimSide if s is not ClaimSide.PARTY]
            parties = [(PARTY_PREFIX + c.uuid, c.label) for c in self.lookup.choices("party")]
            return [*parties, *sides]
        if column == WHAT:
            return [(c.value, c.value) for c in ClaimCategory]
        if column == CLAIMANT:
            parties = [(c.uuid, c.label) for c in self.lookup.choices("party")]
            return [(None, "(unattributed)"), *parties]
        if column == SOURCE:
            sources = [(c.uuid, c.label) for c in self.lookup.choices("source")]
            return [(None, "(no source)"), *sources]
        return []

    def _fit_columns(self) -> None:
        """Share the table's width among the columns, most needed first; never scroll sideways.

        Columns that do not fit even at their narrowest (the day claimed, then the
        words, then the source) are hidden until the dock is wider; every cell's tip
        holds the whole claim, and the words also show in the figure column when the
        claim has no figure. The rest are sized by their usual width and elided.
        """
        available = self.table.viewport().width()
        if available <= 0:
            return
        shown: list[int] = []
        for column in PRIORITY:
            if shown and sum(NARROWEST[c] for c in [*shown, column]) > available:
                break
            shown.append(column)
        for column in range(len(HEADERS)):
            self.table.setColumnHidden(column, column not in shown)
        # Each shown column gets its narrowest, then a share of what is left by how much
        # wider it usually is; the last takes the rounding, so the sum is the width.
        visible = sorted(shown)
        extra = max(available - sum(NARROWEST[c] for c in visible), 0)
        weights = {c: max(WIDEST[c] - NARROWEST[c], 1) for c in visible}
        header = self.table.horizontalHeader()
        used = 0
        for column in visible[:-1]:
            width = NARROWEST[column] + extra * weights[column] // sum(weights.values())
            header.resizeSection(column, width)
            used += width
        header.resizeSection(visible[-1], max(available - used, NARROWEST[visible[-1]]))

    def _fit_height(self) -> None:
        """Tall enough for every claim (up to ten) and one empty line to add below."""
        rows = min(max(self.model.rowCount(), 1), 10) + 1
        height = self.table.horizontalHeader().sizeHint().height()
        height += rows * self.table.verticalHeader().defaultSectionSize() + 4
        self.table.setFixedHeight(height)


PRIORITY = (AFFECTED, FIGURE, WHAT, CLAIMANT, SOURCE, CLAIMED, WORDS)
"""Columns in the order a narrow dock keeps them: who is affected, how many, of what, by whom."""
NARROWEST = {AFFECTED: 72, WHAT: 62, FIGURE: 64, CLAIMANT: 72, SOURCE: 64, CLAIMED: 80, WORDS: 80}
"""Narrowest (pixels) a column is useful at, elided; below it, it is hidden."""


def _refusal(number: int, key: str, reason: str) -> str:
    """A rule's reason about one claim, naming the claim and the column."""
    if key == "words" and "missing" in reason:
        return f"Claim {number} is not saved until it has a figure or the claimant's words."
    column = HEADERS[RULE_COLUMNS.get(key, FIGURE)]
    return f"Claim {number}: ‘{column}’ {reason}."
