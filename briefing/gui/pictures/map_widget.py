"""The map tab: timeline entries where they happened, with the tools to read and place them.

Shows every entry, the library's filtered list or the open briefing's entries;
colours markers by verification status or by party; limits them to a time range
typed in, or the one the timeline chart shows. "Place Selected Entry" turns the
next click on the map into the current entry's position, one undo step.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
from PySide6.QtCore import QDate, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import Engine

from briefing import files
from briefing.errors import BriefingError
from briefing.figures.basemap import BORDERS_CAPTION
from briefing.figures.markers import BY_PARTY, BY_STATUS, EventColumns, MapEvent, on_map
from briefing.gui.document import ProjectDocument
from briefing.gui.pictures.map_ink import LIGHT_MAP
from briefing.gui.pictures.map_view import MapView
from briefing.gui.pictures.timeline_chart import TimelineView
from briefing.gui.pictures.view import PictureWidget
from briefing.model.vocab import counted
from briefing.services import records
from briefing.services.library_query import ListFilter, ordered_ids
from briefing.services.map_events import MapEvents, briefing_entry_ids, map_events, reader
from briefing.services.stamps import Stamp, stamp_of
from briefing.store.interface import ProjectStore

ALL, FILTERED, BRIEFING = "All timeline entries", "The library's filter", "The open briefing"


@dataclass(frozen=True)
class MapSources:
    """What the map may show besides every entry; each answers None when it has nothing."""

    briefing: Callable[[], int | None] = lambda: None
    library_filter: Callable[[], ListFilter | None] = lambda: None
    timeline_span: Callable[[], tuple[datetime, datetime] | None] = lambda: None
    """The time range the timeline chart shows, if it is open."""


class _Post(QObject):
    """Carries a worker's result to the window's thread."""

    arrived = Signal(int, object, object)


class MapWidget(PictureWidget):
    png_name = "map.png"
    kinds = ("entry", "party", "briefing")
    eventsShown = Signal()
    """The entries read for the last :meth:`draw` are on the map."""

    def __init__(
        self,
        document: ProjectDocument,
        sources: MapSources | None = None,
        parent: QWidget | None = None,
    ) -> None:
        self.map = MapView()
        self.sources = sources or MapSources()
        self.loaded = MapEvents((), ())
        self._scope_key: tuple[object, ...] | None = None
        self._reads = 0
        """Reads started; only the last one's entries are shown."""
        self.loading = False
        self._post = _Post()
        self._post.arrived.connect(self._arrived)
        self._seen: tuple[int, Stamp] | None = None
        """The entry being placed and its stamp when placing began: the click expects it."""
        super().__init__(document, self.map, parent)
        self._build_controls()
        self.map.placeRequested.connect(self._on_place)

    # ------------------------------------------------------------------ layout

    def _build_controls(self) -> None:
        self.scope = QComboBox()
        self.scope.addItems([ALL, FILTERED, BRIEFING])
        self.colour = QComboBox()
        self.colour.addItems(["Status", "Party"])
        self.first_day, self.last_day = QDateEdit(), QDateEdit()
        for edit in (self.first_day, self.last_day):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            edit.dateChanged.connect(self._on_span_edited)
        self.follow = QCheckBox("Follow the timeline chart")
        self.place_action = QAction("Place Selected Entry", self)
        self.place_action.setCheckable(True)
        self.place_action.setStatusTip("Click on the map to set the selected entry's position")
        self.place_action.toggled.connect(self._on_placing)
        place = QToolButton()
        place.setDefaultAction(self.place_action)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        item = layout.itemAt(0)
        tools = item.layout() if item is not None else None
        assert isinstance(tools, QHBoxLayout)
        tools.insertWidget(tools.count() - 1, place)  # before the stretch
        rows = QVBoxLayout()
        for widgets in (
            (QLabel("Show"), self.scope, QLabel("Colour by"), self.colour),
            (QLabel("From"), self.first_day, QLabel("to"), self.last_day, self.follow),
        ):
            row = QHBoxLayout()
            for widget in widgets:
                row.addWidget(widget)
            row.addStretch(1)
            rows.addLayout(row)
        self.unplaced = QListWidget()
        self.unplaced_title = QLabel()
        self.unplaced.itemClicked.connect(self._on_unplaced_clicked)
        side = self.side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.unplaced_title)
        side_layout.addWidget(self.unplaced, 1)
        splitter = QSplitter()
        layout.removeWidget(self.map)
        splitter.addWidget(self.map)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 1)
        splitter.setSizes([800, 200])
        layout.insertLayout(1, rows)
        layout.addWidget(splitter, 1)
        self.scope.currentIndexChanged.connect(lambda _: self.refresh())
        self.colour.currentIndexChanged.connect(lambda _: self._show(recentre=False))
        self.follow.toggled.connect(self._on_follow)

    # ------------------------------------------------------------------ reading

    def _ids(self) -> list[int] | None:
        scope = self.scope.currentText()
        if scope == BRIEFING:
            briefing = self.sources.briefing()
            return briefing_entry_ids(self.document.project, briefing) if briefing else []
        if scope == FILTERED:
            chosen = self.sources.library_filter()
            if chosen is None:
                return None
            with self.document.project.engine.connect() as connection:
                return ordered_ids(connection, "entry", chosen)
        return None

    def draw(self) -> None:
        """Read the entries on a worker thread; the base map is painted meanwhile."""
        ids = self._ids()
        key = (self.scope.currentText(), None if ids is None else tuple(sorted(ids)))
        self._reads += 1
        self.loading = True
        if self.map.markers is None and not self.map.base_drawn():
            self.map.fit()  # the region, painted at once; the events follow
        project = self.document.project
        engine = reader(project)
        if engine is None:  # a server: its one connection is the window's
            self._arrived(self._reads, key, self._read(project, ids, None))
            return
        self.note.setText("Reading the timeline entries…")
        post = self._post

        def work(read: int = self._reads) -> None:
            loaded = MapWidget._read(project, ids, engine, lambda: read == self._reads)
            if isinstance(loaded, Exception) and not isinstance(loaded, BriefingError):
                loaded = None  # the file's own connection may do better: read there
            post.arrived.emit(read, key, loaded)

        threading.Thread(target=work, name="map", daemon=True).start()

    def draw_now(self) -> None:
        """Read and show the entries before returning (for a picture saved at once)."""
        ids = self._ids()
        key = (self.scope.currentText(), None if ids is None else tuple(sorted(ids)))
        self._reads += 1
        self._arrived(self._reads, key, self._read(self.document.project, ids, None))

    @staticmethod
    def _read(
        project: ProjectStore,
        ids: list[int] | None,
        engine: Engine | None,
        wanted: Callable[[], bool] = lambda: True,
    ) -> object:
        """The map's entries, or the error reading them (raised again on the window's thread)."""
        try:
            return map_events(project, ids, engine, wanted)
        except Exception as error:  # noqa: BLE001 - handed to the window's thread
            return error
        finally:
            if engine is not None:
                engine.dispose()

    def _arrived(self, read: int, key: tuple[object, ...], loaded: object) -> None:
        """Show what a read found.

        ``loaded`` None: read again here, through the project's own connection (the
        worker's could not open the file, say).
        """
        if read != self._reads or self.document.project.closed:
            return  # a newer read is on its way, or the project is gone
        if loaded is None:
            chosen = key[1]
            assert chosen is None or isinstance(chosen, tuple)
            ids = None if chosen is None else list(chosen)
            loaded = self._read(self.document.project, ids, None)
        self.loading = False
        if isinstance(loaded, BriefingError):
            self.document.failed.emit(str(loaded))
            return
        if isinstance(loaded, Exception):
            raise loaded
        assert isinstance(loaded, MapEvents)
        self.loaded = loaded
        recentre = key != self._scope_key
        if recentre:
            self._reset_span()
            span = self.sources.timeline_span() if self.follow.isChecked() else None
            if span is not None:
                self._set_edits(*span)
        self._scope_key = key
        self._show(recentre)
        self.eventsShown.emit()

    def _reset_span(self) -> None:
        starts = self.loaded.starts
        today = datetime.now(UTC).date()
        first = starts.min().astype("datetime64[D]").item() if len(starts) else today
        last = starts.max().astype("datetime64[D]").item() if len(starts) else today
        for edit, day in ((self.first_day, first), (self.last_day, last)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)

    def span(self) -> tuple[date, date]:
        """The first and last day shown (UTC), both included."""
        first, last = (_day(edit.date()) for edit in (self.first_day, self.last_day))
        return first, last

    def shown_events(self) -> list[MapEvent]:
        return list(self._shown()[0])

    def _shown(self) -> tuple[Sequence[MapEvent], tuple[np.ndarray, np.ndarray]]:
        """The events in the time range, with their longitudes and latitudes as arrays."""
        first, last = self.span()
        loaded = self.loaded
        starts = loaded.starts
        inside = (starts >= np.datetime64(first)) & (starts < np.datetime64(last + timedelta(1)))
        if inside.all():
            return loaded.events, (loaded.lons, loaded.lats)
        index = np.flatnonzero(inside)
        events = loaded.events
        if isinstance(events, EventColumns):
            return events.take(index.tolist()), (loaded.lons[index], loaded.lats[index])
        return [events[i] for i in index.tolist()], (loaded.lons[index], loaded.lats[index])

    def _show(self, recentre: bool) -> None:
        by = BY_PARTY if self.colour.currentText() == "Party" else BY_STATUS
        events, where = self._shown()
        self.map.set_events(events, by, recentre=recentre, where=where)
        self.unplaced.clear()
        for unplaced in self.loaded.off_map:
            item = QListWidgetItem(unplaced.title)
            item.setData(Qt.ItemDataRole.UserRole, unplaced.entry_id)
            self.unplaced.addItem(item)
        count = self.loaded.unplaced
        listed = len(self.loaded.off_map)
        more = f" (the first {listed:,} listed)" if listed < count else ""
        self.unplaced_title.setText(f"Not on the map: {count:,}{more}")
        self.side.setVisible(count > 0)
        placed = counted("entry", len(events), grouped=True)
        self.note.setText(
            f"{placed} on the map, {count:,} not on the map (no coordinates). {BORDERS_CAPTION}"
        )

    # ------------------------------------------------------------------ time range

    def _on_span_edited(self) -> None:
        if self.last_day.date() < self.first_day.date():
            self.last_day.setDate(self.first_day.date())
        if not self._stale:
            self._show(recentre=False)

    def set_span(self, start: datetime, end: datetime) -> None:
        """Show the events between two moments (the timeline chart's view, say)."""
        self._set_edits(start, end)
        self._on_span_edited()

    def _set_edits(self, start: datetime, end: datetime) -> None:
        for edit, moment in ((self.first_day, start), (self.last_day, end)):
            edit.blockSignals(True)
            edit.setDate(QDate(moment.year, moment.month, moment.day))
            edit.blockSignals(False)

    def _on_follow(self, on: bool) -> None:
        if on:
            self.follow_timeline()

    def follow_timeline(self) -> bool:
        """Take the timeline chart's time range now; False if it is not open."""
        span = self.sources.timeline_span()
        if span is None:
            self.note.setText("Open the Timeline Chart tab to follow its time range.")
            return False
        self.set_span(*span)
        return True

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().showEvent(event)
        if self.follow.isChecked():
            self.follow_timeline()

    # ------------------------------------------------------------------ placing

    def _on_placing(self, on: bool) -> None:
        self.map.placing = on
        if on:
            self._remember_current()
        cursor = Qt.CursorShape.CrossCursor if on else Qt.CursorShape.OpenHandCursor
        self.map.viewport().setCursor(cursor)

    def _on_place(self, latitude: float, longitude: float) -> None:
        self.place_action.setChecked(False)
        current = self.map.current
        if current is None or current[0] != "entry":
            self.document.failed.emit(
                "Select a timeline entry first, then click where it happened."
            )
            return
        if not on_map(latitude, longitude):
            self.document.failed.emit("That point is off the map; click on land or sea.")
            return
        values = {"latitude": round(latitude, 5), "longitude": round(longitude, 5)}
        entry_id = current[1]
        seen = self._seen[1] if self._seen is not None and self._seen[0] == entry_id else None
        self.document.run(
            lambda project: records.update_record(project, "entry", entry_id, values, loaded=seen)
        )

    def _remember_current(self) -> None:
        """Keep the stamp of the entry about to be placed, as the analyst sees it now."""
        current = self.map.current
        self._seen = None
        if current is not None and current[0] == "entry":
            record = self.document.record("entry", current[1])
            if record is not None:
                self._seen = (current[1], stamp_of(record))

    def _on_unplaced_clicked(self, item: QListWidgetItem) -> None:
        self.map.current = ("entry", int(item.data(Qt.ItemDataRole.UserRole)))
        if self.map.placing:
            self._remember_current()
        self.recordActivated.emit("entry", int(item.data(Qt.ItemDataRole.UserRole)))

    def show_record(self, kind: str, record_id: int) -> None:
        super().show_record(kind, record_id)
        if self.map.placing:
            self._remember_current()
        for row in range(self.unplaced.count()):
            item = self.unplaced.item(row)
            if kind == "entry" and item.data(Qt.ItemDataRole.UserRole) == record_id:
                self.unplaced.setCurrentItem(item)

    # ------------------------------------------------------------------ export

    def export(self, path: Path) -> Path:
        """The map as shown, with its scale bar, north arrow and legend."""
        path = Path(path)
        if path.suffix.lower() != ".png":
            path = path.with_suffix(".png")
        if (self._stale or self.loading) and not self.document.project.closed:
            self._stale = False
            self.draw_now()
        shown_ink = self.map.ink
        self.map.draw_with(LIGHT_MAP)
        try:
            picture = self.map.viewport().grab()
        finally:
            self.map.draw_with(shown_ink)
        with files.output_path(path) as work:
            if not picture.save(str(work), "PNG"):
                raise BriefingError(f"Cannot write the picture to {path}; choose another folder.")
        return path


def _day(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def visible_span(timeline: TimelineView) -> tuple[datetime, datetime] | None:
    """The moments at the left and right edges of the timeline chart as shown."""
    layout = timeline.layout_
    if layout is None:
        return None
    left = timeline.mapToScene(QPoint(0, 0)).x()
    right = timeline.mapToScene(QPoint(timeline.viewport().width(), 0)).x()
    return layout.time_at(left), layout.time_at(right)
