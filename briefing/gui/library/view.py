"""The library pane: a tab per kind, each a filter bar over a lazily filled table."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from briefing.gui.document import ProjectDocument
from briefing.gui.library.filter_bar import FilterBar
from briefing.gui.library.model import LibraryModel
from briefing.gui.settings import AppSettings
from briefing.model.vocab import counted
from briefing.services.library_query import LIST_KINDS, ListFilter
from briefing.services.records import Change

TAB_TITLES = {
    "entry": "Timeline",
    "statement": "Statements",
    "relationship": "Context",
    "party": "Parties",
    "source": "Sources",
}
# Starting column widths, in average characters; the widest text column takes the rest.
WIDTHS = {
    "entry": {"local": 18, "utc": 17, "title": 40, "place": 18, "parties": 26, "casualties": 8,
              "status": 11, "grade": 6, "tlp": 13},
    "statement": {"local": 12, "speaker": 18, "kind": 10, "quote": 50, "entry": 26, "grade": 7,
                  "contradicts": 10, "utc": 12, "tlp": 13},
    "relationship": {"party_a": 18, "kind": 16, "party_b": 18, "title": 40, "since": 11,
                     "until": 11, "status": 9, "tlp": 13},
    "party": {"name": 34, "short_name": 20, "kind": 12, "parent": 16, "tlp": 13},
    "source": {"title": 44, "publisher": 24, "author": 14, "kind": 16, "reliability": 26,
               "published": 17, "tlp": 13},
}  # fmt: skip
"""Starting width of each column, by its key, in characters; a column not named gets 14."""
FOLLOWS = {"entry": {"utc": "title"}}
"""Columns shown after another than in the list's own order: a narrow library shows
when (local) and what first; UTC follows the title."""


class LibraryPane(QWidget):
    """One kind of record: search and filters above a table that fetches rows as painted."""

    currentRecordChanged = Signal(str, int)
    """The current row moved to a record (kind, id); id 0 when no record is current."""

    def __init__(self, document: ProjectDocument, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.model = LibraryModel(document, kind, self)
        self.filter_bar = FilterBar(document, kind, self)
        self.filter_bar.filterChanged.connect(self._on_filter_changed)
        self.table = _table(self.model, kind)
        self.count_label = QLabel()
        self.count_label.setObjectName("libraryCount")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 4)
        layout.setSpacing(4)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        self._kept: tuple[int | None, list[int]] = (None, [])
        self._announced = 0
        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.model.modelReset.connect(self._restore_selection)
        self.model.loaded.connect(self._on_loaded)
        self.model.grew.connect(self._update_count)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)
        self._update_count()

    # ------------------------------------------------------------------ records

    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.record_id(index.row()) if index.isValid() else None

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        if not rows and self.current_id() is not None:
            return [self.current_id()]  # type: ignore[list-item]
        return [self.model.record_id(r) for r in rows]

    def select_record(self, record_id: int, clear_filters: bool = True) -> bool:
        """Make a record current, showing every record again if a filter hides it."""
        row = self.model.row_of(record_id)
        if row is None and clear_filters and not self.model.list_filter.is_empty:
            self.filter_bar.clear()
            row = self.model.row_of(record_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index)
        return True

    def select_row(self, row: int) -> None:
        """Make a row current (the first one on opening) without loading the whole list."""
        if 0 <= row < self.model.rowCount():
            flags = (
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows
            )
            self.table.selectionModel().setCurrentIndex(self.model.index(row, 0), flags)

    def apply_change(self, change: Change) -> None:
        self.model.apply_change(change)
        self._update_count()

    def _fit_page(self) -> None:
        """Fetch a screenful of rows at a time: what the list shows, and two more."""
        row_height = max(1, self.table.verticalHeader().defaultSectionSize())
        self.model.page_size = self.table.viewport().height() // row_height + 2

    def reload(self) -> None:
        self._fit_page()
        self.model.forget_total()
        self.model.requery()
        self._update_count()

    # ------------------------------------------------------------------ slots

    def _on_filter_changed(self, chosen: ListFilter) -> None:
        self._fit_page()
        self.model.set_filter(chosen)
        self._update_count()

    def _on_current_row(self, current: QModelIndex, previous: QModelIndex) -> None:
        record_id = self.model.record_id(current.row()) if current.isValid() else 0
        if record_id or not self.model.is_loading:  # an unfinished load may still hold it
            self._announce_current(record_id)

    def _announce_current(self, record_id: int) -> None:
        """Say which record is current, once: a list queried again re-selects the same one."""
        if record_id != self._announced:
            self._announced = record_id
            self.currentRecordChanged.emit(self.kind, record_id)

    def _remember_selection(self) -> None:
        current, selected = self.current_id(), self.selected_ids()
        if current is not None or selected:  # else keep what an unfinished load still holds
            self._kept = (current, selected)

    def _on_loaded(self) -> None:
        if self._kept[0] is not None or self._kept[1]:
            self._restore_selection()  # the kept records may be among the rows just added
        self._update_count()

    def _restore_selection(self) -> None:
        """Select again what was selected before the ids were queried again, if still listed."""
        current, selected = self._kept
        if self.model.is_loading and not self._holds(current, selected):
            return  # try again once every id is in
        self._kept = (None, [])
        selection = QItemSelection()
        for record_id in selected:
            row = self.model.row_of(record_id, load_all=False)
            if row is not None:
                last = self.model.columnCount() - 1
                selection.select(self.model.index(row, 0), self.model.index(row, last))
        model = self.table.selectionModel()
        model.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        row = self.model.row_of(current, load_all=False) if current is not None else None
        if row is not None:
            model.setCurrentIndex(
                self.model.index(row, 0), QItemSelectionModel.SelectionFlag.NoUpdate
            )
            self.table.scrollTo(self.model.index(row, 0))
        elif current is not None:
            self._announce_current(0)
        self._update_count()

    def _holds(self, current: int | None, selected: list[int]) -> bool:
        wanted = [current] if current is not None else selected
        return all(self.model.row_of(i, load_all=False) is not None for i in wanted)

    def _update_count(self) -> None:
        if self.model.is_loading:  # no count of the whole project before the list is in
            so_far = counted(self.kind, self.model.rowCount(), grouped=True)
            self.count_label.setText(f"{so_far} so far…")
            return
        shown = self.model.rowCount()
        total = self.model.total_count()
        text = counted(self.kind, total, grouped=True)
        if shown != total:
            verb = "matches" if shown == 1 else "match"
            text = f"{shown:,} of {text} {verb} the filters"
        note = self.filter_bar.search_note()
        self.count_label.setText(f"{text}. {note}" if note else text)


def _table(model: LibraryModel, kind: str) -> QTableView:
    table = QTableView()
    table.setObjectName(f"table_{kind}")
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    table.horizontalHeader().setSortIndicator(model.sort_column, model.sort_order)
    table.setSortingEnabled(True)  # sorts by the indicator: the order the model already has
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.setDragEnabled(True)
    table.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
    table.setDefaultDropAction(Qt.DropAction.CopyAction)
    table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    vertical = table.verticalHeader()
    vertical.hide()
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(table.fontMetrics().height() + 8)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionsMovable(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(False)
    char = table.fontMetrics().horizontalAdvance("0")
    keys = [c.key for c in model.columns]
    for column, key in enumerate(keys):
        table.setColumnWidth(column, WIDTHS[kind].get(key, 14) * char + 14)
    for key, after in FOLLOWS.get(kind, {}).items():
        if key in keys and after in keys:
            moved, anchor = keys.index(key), keys.index(after)
            header.moveSection(header.visualIndex(moved), header.visualIndex(anchor))
    return table


class LibraryTabs(QTabWidget):
    """The library: Timeline, Statements, Context, Parties and Sources."""

    currentRecordChanged = Signal(str, int)
    editRequested = Signal()
    """Enter or a double click on a row: the user wants to edit that record."""

    def __init__(self, document: ProjectDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("library")
        self.setDocumentMode(True)
        self.panes: dict[str, LibraryPane] = {}
        for kind in LIST_KINDS:
            pane = LibraryPane(document, kind, self)
            pane.currentRecordChanged.connect(self.currentRecordChanged)
            pane.table.activated.connect(lambda index: self.editRequested.emit())
            self.panes[kind] = pane
            self.addTab(pane, TAB_TITLES[kind])
        self.currentChanged.connect(self._on_tab_changed)

    def current_pane(self) -> LibraryPane:
        return self.panes[LIST_KINDS[max(self.currentIndex(), 0)]]

    @property
    def current_kind(self) -> str:
        return self.current_pane().kind

    def show_kind(self, kind: str) -> LibraryPane:
        pane = self.panes[kind]
        self.setCurrentWidget(pane)
        return pane

    def select_record(self, kind: str, record_id: int) -> bool:
        if kind not in self.panes:
            return False
        return self.show_kind(kind).select_record(record_id)

    def apply_change(self, change: Change) -> None:
        for pane in self.panes.values():
            pane.apply_change(change)

    def reload(self) -> None:
        for pane in self.panes.values():
            pane.reload()

    def save_state(self, settings: AppSettings) -> None:
        """Remember column widths, order and sorting of each list, and the open tab."""
        for kind, pane in self.panes.items():
            settings.set_window_state(f"library_{kind}", pane.table.horizontalHeader().saveState())
        settings.qsettings.setValue("window/library_tab", self.current_kind)

    def restore_state(self, settings: AppSettings) -> None:
        for kind, pane in self.panes.items():
            state = settings.window_state(f"library_{kind}")
            if state is not None:
                pane.table.horizontalHeader().restoreState(state)
        kind = str(settings.qsettings.value("window/library_tab", "entry"))
        if kind in self.panes:
            self.show_kind(kind)

    def _on_tab_changed(self, index: int) -> None:
        pane = self.current_pane()
        self.currentRecordChanged.emit(pane.kind, pane.current_id() or 0)
