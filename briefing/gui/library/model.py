"""A table model per kind that holds only ordered ids and fetches rows when they are painted.

The ids come from one SQL query that already filtered and sorted; the text of a
row is fetched a page at a time, the first time a row in that page is painted,
and kept in a bounded cache. A :class:`Change` refreshes only the rows it
touched, unless it can move records in or out of the list or change their
order, in which case the ids are queried again.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from briefing.export.scripts import base_direction
from briefing.gui.document import ProjectDocument
from briefing.gui.library.id_loader import IdLoader
from briefing.gui.library.mime import MIME_TYPE, encode_records
from briefing.gui.plain_tip import plain_tip
from briefing.model.vocab import TLP_COLOURS, Tlp
from briefing.services import library_query as query
from briefing.services.library_query import ListFilter
from briefing.services.library_rows import ListRow, fetch_rows
from briefing.services.records import Change

Index = QModelIndex | QPersistentModelIndex

PAGE_SIZE = 60
"""Rows fetched at a time until the view says how many it shows (:attr:`LibraryModel.page_size`):
a screenful, so that a list queried again repaints after reading the text of the rows it
shows rather than of twice as many."""
LEAST_PAGE = 16
"""Fewest rows fetched at a time, however small the view."""
FIRST_PAGES = 2
"""Screenfuls of ids fetched before the list repaints; the rest follow when the window is
idle. A search for a word most records hold finds its first rows by checking records in
the list's order (:mod:`briefing.model.prefix_walk`), at a cost in step with how many it
must find: two screenfuls, not hundreds of rows nobody sees."""
MORE_PAGES = 8
"""Screenfuls of ids added at once when the view scrolls past those it holds before the
rest has arrived: a few more at once, never the whole list on the window's thread."""
FINISH_AFTER_MS = 250
"""Idle time before the rest of a long list is fetched: typing on does not wait for it."""
FILL_CHUNK = 100_000
"""Ids appended per turn of the event loop while a long list fills (its count grows)."""
RELEASE_AFTER_MS = 250
"""Idle time before the ids of a list queried again are let go: dropping a million of them
costs tens of milliseconds, which a keystroke should not wait for."""
CACHE_LIMIT = 4000
RECORD_ID_ROLE = Qt.ItemDataRole.UserRole + 1

# Other kinds whose edits change what a list shows (names, grades, counts).
RELATED_KINDS = {
    "entry": {"party", "source"},
    "statement": {"party", "entry", "source", "statement"},
    "relationship": {"party"},
    "party": {"party"},
    "source": set(),
}
# Statuses shown in italics: what is not (or no longer) believed.
DOUBTFUL = {"unconfirmed", "disputed", "refuted", "alleged", "ended", "suspended"}
_IGNORED_FIELDS = {"updated_at", "updated_by", "_id"}
_ROW_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled
    | Qt.ItemFlag.ItemIsSelectable
    | Qt.ItemFlag.ItemIsDragEnabled
    | Qt.ItemFlag.ItemNeverHasChildren
)
"""Every row's flags, combined once: a repaint asks for them for every cell it shows."""


def changed_fields(change: Change, kind: str) -> set[str] | None:
    """Fields of ``kind`` records that the change altered; None when that cannot be told."""
    before = {r["uuid"]: r for r in change.before.get(kind, [])}
    after = {r["uuid"]: r for r in change.after.get(kind, [])}
    if not before or before.keys() != after.keys():
        return None
    found: set[str] = set()
    for uuid, new in after.items():
        old = before[uuid]
        found.update(k for k in new.keys() | old.keys() if old.get(k) != new.get(k))
    return found - _IGNORED_FIELDS


class LibraryModel(QAbstractTableModel):
    """The records of one kind as a list, filtered and sorted in SQL."""

    loaded = Signal()
    """Every id of the current query is in the list (the first rows come before the rest)."""
    grew = Signal()
    """More ids of the current query are in the list; more may follow."""

    def __init__(self, document: ProjectDocument, kind: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.document = document
        self.kind = kind
        self.columns = query.COLUMNS[kind]
        sort_key, descending = query.DEFAULT_SORT[kind]
        self._sort_key = sort_key
        self._descending = descending
        self._filter = ListFilter()
        self._ids: list[int] = []
        self._row_of: dict[int, int] | None = None
        self._cache: OrderedDict[int, ListRow] = OrderedDict()
        self._generation = 0
        self._pending: int | None = None
        self._finish_timer = QTimer(self, singleShot=True, interval=FINISH_AFTER_MS)
        self._finish_timer.timeout.connect(self._load_rest_in_background)
        self._loader: IdLoader | None = None
        self._loading = 0
        """The generation the current loader was started for."""
        self._loaders: set[IdLoader] = set()  # kept until their threads end (see IdLoader)
        self._incoming: list[int] = []
        self._retired: list[tuple[list[int], dict[int, int] | None]] = []
        self._release_timer = QTimer(self, singleShot=True, interval=RELEASE_AFTER_MS)
        self._release_timer.timeout.connect(self._release)
        self.pages_fetched = 0
        self.page_size = PAGE_SIZE
        self._total: int | None = None
        self.requery()

    # ------------------------------------------------------------------ state

    @property
    def list_filter(self) -> ListFilter:
        return self._filter

    def set_filter(self, chosen: ListFilter) -> None:
        if chosen != self._filter:
            self._filter = chosen
            self.requery()

    @property
    def sort_column(self) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == self._sort_key)

    @property
    def sort_order(self) -> Qt.SortOrder:
        descending = Qt.SortOrder.DescendingOrder
        return descending if self._descending else Qt.SortOrder.AscendingOrder

    def ids(self) -> list[int]:
        self.finish_loading()
        return list(self._ids)

    def record_id(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, record_id: int, load_all: bool = True) -> int | None:
        """The row showing a record; None if the list does not hold it (or not yet)."""
        if load_all:
            self.finish_loading()
        if self._row_of is None:
            self._row_of = {record_id: row for row, record_id in enumerate(self._ids)}
        return self._row_of.get(record_id)

    @property
    def is_loading(self) -> bool:
        return self._pending is not None

    @property
    def first_rows(self) -> int:
        """Ids a list queried again holds when it repaints (:data:`FIRST_PAGES` screenfuls)."""
        return FIRST_PAGES * max(self.page_size, LEAST_PAGE)

    def requery(self) -> None:
        """Ask SQL again for the ids in order (after a filter, sort or structural change).

        The first rows come at once so the list repaints without waiting; the rest
        are appended below them once typing pauses, or when the view scrolls to the
        end of the first rows (a few screenfuls more at once, then the rest), or when
        a record beyond them is looked for.
        """
        self._generation += 1
        first = self.first_rows
        ids = self._query(first)
        self.beginResetModel()
        self._retire()
        self._ids = ids
        self._row_of = None
        self._cache.clear()
        self._pending = self._generation if len(ids) == first else None
        self.endResetModel()
        if self._pending is not None:
            self._finish_timer.start()
        else:
            self._finish_timer.stop()
            self.loaded.emit()

    def _retire(self) -> None:
        """Keep the ids being replaced until the window is idle (see :data:`RELEASE_AFTER_MS`)."""
        self._retired.append((self._ids, self._row_of))
        self._release_timer.start()

    def _release(self) -> None:
        self._retired = []

    def _load_rest_in_background(self) -> None:
        """Typing paused: query the rest on a worker thread; the list fills as ids arrive."""
        self._finish_timer.stop()
        if self._pending != self._generation or self.document.project.closed:
            return
        if self._loader is not None and self._loading == self._generation:
            return  # already on its way
        generation = self._loading = self._generation
        project = self.document.project
        self._loader = IdLoader(
            project,
            self.kind,
            self._filter,
            self._sort_key,
            self._descending,
            lambda ids: self._receive(generation, ids),
        )
        self._loaders.add(self._loader)
        self._loader.start()

    def _receive(self, generation: int, ids: list[int] | None) -> None:
        if generation == self._loading:
            self._loader = None
        self._loaders = {loader for loader in self._loaders if loader.running()}
        if self._pending != generation or generation != self._generation:
            return  # asked again meanwhile, or finished on this thread
        if ids is None:
            self.finish_loading()
            return
        known = len(self._ids)
        if ids[:known] != self._ids:  # the project changed in between: ask again here
            self.finish_loading()
            return
        self._incoming = ids
        self._append_chunk(generation)

    def _append_chunk(self, generation: int) -> None:
        if self._pending != generation or generation != self._generation:
            return
        known = len(self._ids)
        chunk = self._incoming[known : known + FILL_CHUNK]
        if chunk:
            self.beginInsertRows(QModelIndex(), known, known + len(chunk) - 1)
            self._ids.extend(chunk)
            self._row_of = None
            self.endInsertRows()
        if len(self._ids) < len(self._incoming):
            self.grew.emit()
            QTimer.singleShot(0, self, lambda: self._append_chunk(generation))
            return
        self._incoming = []
        self._pending = None
        self.loaded.emit()

    def finish_loading(self) -> None:
        """Fetch the ids beyond the first rows now, if they are still to come."""
        self._finish_timer.stop()
        self._incoming = []
        if self._pending != self._generation:
            self._pending = None
            return
        self._pending = None
        ids = self._query(None)
        known = len(self._ids)
        if ids[:known] != self._ids:  # the project changed in between
            self.beginResetModel()
            self._ids = ids
            self._row_of = None
            self._cache.clear()
            self.endResetModel()
        elif len(ids) > known:
            self.beginInsertRows(QModelIndex(), known, len(ids) - 1)
            self._ids = ids
            self._row_of = None
            self.endInsertRows()
        self.loaded.emit()

    def _query(self, limit: int | None) -> list[int]:
        if self.document.project.closed:
            return []
        with self.document.project.engine.connect() as connection:
            return query.ordered_ids(
                connection, self.kind, self._filter, self._sort_key, self._descending, limit
            )

    def total_count(self) -> int:
        """How many records of this kind exist, filtered or not (counted once until they change)."""
        if self.document.project.closed:
            return 0
        if self._total is None:
            with self.document.project.engine.connect() as connection:
                self._total = query.count_all(connection, self.kind)
        return self._total

    def forget_total(self) -> None:
        """Count the records again when next asked (the project changed in an unknown way)."""
        self._total = None

    # ------------------------------------------------------------------ refresh

    def apply_change(self, change: Change) -> None:
        """Refresh from what one action changed: the touched rows, or the ids if they moved."""
        if not change.keeps_records():
            self._total = None
        mine = change.ids.get(self.kind, ())
        if mine and self._needs_requery(change, mine):
            self.requery()
            return
        if RELATED_KINDS[self.kind] & change.ids.keys():
            self._cache.clear()
            self._emit_rows_changed(0, len(self._ids) - 1)
            return
        for record_id in mine:
            self._cache.pop(record_id, None)
            row = self.row_of(record_id)
            if row is not None:
                self._emit_rows_changed(row, row)

    def _needs_requery(self, change: Change, mine: tuple[int, ...]) -> bool:
        if change.created_uuids or change.deleted_uuids:
            return True
        watched = self._filter.fields(self.kind)
        changed = changed_fields(change, self.kind)
        if watched is None or changed is None:
            return True
        sort_fields = query.column(self.kind, self._sort_key).fields
        if changed & (watched | sort_fields):
            return True
        return any(self.row_of(record_id) is None for record_id in mine)

    def _emit_rows_changed(self, first: int, last: int) -> None:
        if last >= first:
            right = len(self.columns) - 1
            self.dataChanged.emit(self.index(first, 0), self.index(last, right))

    # ------------------------------------------------------------------ rows

    def row_data(self, row: int) -> ListRow | None:
        """The row's content, fetching its page from SQL the first time it is needed."""
        if row < 0 or row >= len(self._ids):
            return None
        record_id = self._ids[row]
        found = self._cache.get(record_id)
        if found is None:
            self._fetch_page(row)
            found = self._cache.get(record_id)
        return found

    def _fetch_page(self, row: int) -> None:
        if self.document.project.closed:
            return
        page = max(self.page_size, LEAST_PAGE)
        start = max(0, row - page // 4)
        wanted = [i for i in self._ids[start : start + page] if i not in self._cache]
        with self.document.project.engine.connect() as connection:
            fetched = fetch_rows(connection, self.kind, wanted)
        self.pages_fetched += 1
        blank = ("",) * len(self.columns)
        for record_id in wanted:  # a record deleted elsewhere shows blank until the refresh
            self._cache[record_id] = fetched.get(record_id) or ListRow(record_id, blank)
        while len(self._cache) > CACHE_LIMIT:
            self._cache.popitem(last=False)

    # ------------------------------------------------------------------ Qt API

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        column = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tip or None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._ids):
            return None
        if role == RECORD_ID_ROLE:
            return self._ids[index.row()]
        if role not in _ROLES:
            return None
        row = self.row_data(index.row())
        if row is None:
            return None
        return _ROLES[role](self, row, index.column())

    def flags(self, index: Index) -> Qt.ItemFlag:
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        key = self.columns[column].key
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) != (self._sort_key, self._descending):
            self._sort_key, self._descending = key, descending
            self.requery()

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self.is_loading

    def fetchMore(self, parent: Index) -> None:
        """The view scrolled to the end of the ids it holds: a few screenfuls more now.

        The rest is asked for on the worker thread at once, without waiting for a pause.
        """
        if parent.isValid() or self._pending != self._generation:
            return
        known = len(self._ids)
        wanted = known + MORE_PAGES * max(self.page_size, LEAST_PAGE)
        ids = self._query(wanted)
        if ids[:known] != self._ids:  # the project changed in between
            self.finish_loading()
            return
        if len(ids) > known:
            self.beginInsertRows(QModelIndex(), known, len(ids) - 1)
            self._ids.extend(ids[known:])
            self._row_of = None
            self.endInsertRows()
        if len(ids) < wanted:  # that was the whole list
            self._finish_timer.stop()
            self._pending = None
            self.loaded.emit()
            return
        self.grew.emit()
        self._load_rest_in_background()

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: Any) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid()})
        titles = []
        for row in rows:
            found = self.row_data(row)
            titles.append(_title_cell(self.kind, found) if found else "")
        return encode_records([(self.kind, self._ids[row]) for row in rows], titles)

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction


def _title_cell(kind: str, row: ListRow) -> str:
    column = {"entry": 2, "statement": 3, "relationship": 3, "party": 0, "source": 0}[kind]
    return row.cells[column]


def _display(model: LibraryModel, row: ListRow, column: int) -> Any:
    return row.cells[column]


def _tooltip(model: LibraryModel, row: ListRow, column: int) -> Any:
    tip = row.tips.get(column)
    if tip:
        return plain_tip(tip)
    cell = row.cells[column]
    return plain_tip(cell) if len(cell) > 30 else None


def _is_tlp(model: LibraryModel, column: int) -> bool:
    return model.columns[column].key == "tlp"


def _foreground(model: LibraryModel, row: ListRow, column: int) -> Any:
    if _is_tlp(model, column):
        return QBrush(QColor(TLP_COLOURS.get(Tlp(row.tlp), "#FFFFFF")))
    return None


def _background(model: LibraryModel, row: ListRow, column: int) -> Any:
    return QBrush(QColor("#000000")) if _is_tlp(model, column) else None


def _font(model: LibraryModel, row: ListRow, column: int) -> Any:
    if _is_tlp(model, column):
        font = QFont()
        font.setBold(True)
        return font
    if row.status in DOUBTFUL and model.columns[column].key == "status":
        font = QFont()
        font.setItalic(True)
        return font
    return None


def _decoration(model: LibraryModel, row: ListRow, column: int) -> Any:
    if row.colour and model.columns[column].key == "name":  # a party's colour beside its name
        return QColor(row.colour)
    return None


def _alignment(model: LibraryModel, row: ListRow, column: int) -> Any:
    if model.columns[column].key in ("grade", "contradicts", "tlp"):
        return int(Qt.AlignmentFlag.AlignCenter)
    text = _display(model, row, column)
    if (
        isinstance(text, str) and base_direction(text) == "rtl"
    ):  # Arabic, Hebrew: read from the right
        return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return None


_ROLES: dict[int, Callable[[LibraryModel, ListRow, int], Any]] = {
    Qt.ItemDataRole.DisplayRole: _display,
    Qt.ItemDataRole.ToolTipRole: _tooltip,
    Qt.ItemDataRole.ForegroundRole: _foreground,
    Qt.ItemDataRole.BackgroundRole: _background,
    Qt.ItemDataRole.FontRole: _font,
    Qt.ItemDataRole.DecorationRole: _decoration,
    Qt.ItemDataRole.TextAlignmentRole: _alignment,
}
