"""The map tab: markers drawn where entries happened, selection both ways, placing by click."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QTabWidget

from briefing.gui.document import ProjectDocument
from briefing.gui.main_window import MainWindow
from briefing.gui.pictures.map_widget import MapWidget
from briefing.gui.settings import AppSettings
from briefing.services import records

CLASH, CAPTIVES, REQUEST = 3, 4, 5


@pytest.fixture
def map_tab(qtbot, demo_project) -> MapWidget:
    widget = MapWidget(ProjectDocument(demo_project))
    qtbot.addWidget(widget)
    widget.resize(1100, 750)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: not widget.loading)
    return widget


@pytest.fixture
def window(qtbot, answers, demo_path) -> MainWindow:
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    assert window.open_path(demo_path)
    return window


def show_map(window: MainWindow) -> MapWidget:
    tabs: QTabWidget = window.workspace
    index = next(i for i in range(tabs.count()) if tabs.tabText(i) == "Map")
    tabs.setCurrentIndex(index)
    found = window.workspace.built(MapWidget)
    assert found is not None
    return found


def click(qtbot, view, point: QPoint) -> None:
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def zoomed_to(qtbot, tab: MapWidget, key: int) -> QPoint:
    """Zoom in until the entry's marker stands alone, and return where it is drawn."""
    view = tab.map
    for _ in range(40):
        group = view.markers.group_of(key, view.scale_)
        if group is not None and group.count == 1:
            break
        view.centerOn(group.x, group.y)
        view.zoom(1.5)
    point = view.marker_point(key)
    assert point is not None and view.viewport().rect().contains(point)
    return point


def test_every_entry_with_coordinates_is_drawn_and_grouped(map_tab) -> None:
    events = map_tab.map.markers.events
    assert sorted(e.key for e in events) == [1, 2, 3, 4, 5]
    assert map_tab.loaded.off_map == ()
    # The war and the ceasefire share Nagorno-Karabakh's position: one group of two.
    view = map_tab.map
    group = view.markers.group_of(1, view.scale_)
    assert group is not None and {view.markers.events[i].key for i in group.members} >= {1, 2}
    assert "5 timeline entries on the map" in map_tab.note.text()
    assert "de facto" in map_tab.note.text()


def test_a_click_on_a_marker_selects_its_entry(qtbot, map_tab) -> None:
    point = zoomed_to(qtbot, map_tab, CLASH)
    with qtbot.waitSignal(map_tab.recordActivated) as signal:
        click(qtbot, map_tab.map, point)
    assert signal.args == ["entry", CLASH]
    assert map_tab.map.markers.current == CLASH


def test_a_second_click_on_a_group_moves_to_its_next_event(qtbot, map_tab) -> None:
    view = map_tab.map
    point = view.marker_point(1)
    assert view.markers.group_of(1, view.scale_).count >= 2
    click(qtbot, view, point)
    first = view.current
    click(qtbot, view, point)
    assert view.current != first and {first[1], view.current[1]} <= {1, 2, 3, 4}


def test_clicking_empty_map_selects_nothing(qtbot, map_tab) -> None:
    with qtbot.assertNotEmitted(map_tab.recordActivated):
        click(qtbot, map_tab.map, QPoint(5, 5))


def test_wheel_and_keys_zoom_and_fit_frames_the_events(qtbot, map_tab) -> None:
    view = map_tab.map
    start = view.scale_
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    assert view.scale_ == pytest.approx(start * 1.2)
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    assert view.scale_ < start
    view.fit()
    for key in (1, CLASH, REQUEST):
        assert view.viewport().rect().contains(view.marker_point(key))


def test_an_entry_without_coordinates_is_listed_not_drawn(qtbot, map_tab) -> None:
    with qtbot.waitSignal(map_tab.eventsShown):
        map_tab.document.run(
            lambda p: records.update_record(
                p, "entry", REQUEST, {"latitude": None, "longitude": None}
            )
        )
    assert REQUEST not in {e.key for e in map_tab.map.markers.events}
    assert [u.entry_id for u in map_tab.loaded.off_map] == [REQUEST]
    assert (
        map_tab.unplaced.count() == 1 and "Armenia asks Russia" in map_tab.unplaced.item(0).text()
    )
    assert map_tab.unplaced_title.text() == "Not on the map: 1"
    # Nothing stands at 0, 0 (in the Gulf of Guinea).
    assert all((e.lat, e.lon) != (0.0, 0.0) for e in map_tab.map.markers.events)


def test_invalid_stored_coordinates_never_reach_the_map(qtbot, map_tab) -> None:
    with map_tab.document.project.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE timeline_entry SET latitude = 95.0 WHERE id = 5")
    with qtbot.waitSignal(map_tab.eventsShown):
        map_tab.refresh()
    assert REQUEST not in {e.key for e in map_tab.map.markers.events}
    assert REQUEST in {u.entry_id for u in map_tab.loaded.off_map}


def test_click_on_the_map_places_the_selected_entry_in_one_undo_step(qtbot, map_tab) -> None:
    document = map_tab.document
    with qtbot.waitSignal(map_tab.eventsShown):
        document.run(
            lambda p: records.update_record(
                p, "entry", REQUEST, {"latitude": None, "longitude": None}
            )
        )
    map_tab.show_record("entry", REQUEST)
    steps = document.undo_stack.count()
    map_tab.place_action.trigger()
    view = map_tab.map
    target = view.viewport().rect().center() + QPoint(40, -30)
    with qtbot.waitSignal(map_tab.eventsShown):
        click(qtbot, view, target)
    saved = document.record("entry", REQUEST)
    scene = view.mapToScene(target)
    lon, lat = view.projection.inverse(scene.x(), -scene.y())
    assert saved["latitude"] == pytest.approx(lat, abs=1e-4)
    assert saved["longitude"] == pytest.approx(lon, abs=1e-4)
    assert document.undo_stack.count() == steps + 1
    assert not map_tab.place_action.isChecked()
    assert REQUEST in {e.key for e in view.markers.events}
    document.undo_stack.undo()
    assert document.record("entry", REQUEST)["latitude"] is None


def test_placing_without_a_selected_entry_says_so(qtbot, map_tab) -> None:
    map_tab.map.current = None
    map_tab.place_action.trigger()
    with qtbot.waitSignal(map_tab.document.failed) as failed:
        click(qtbot, map_tab.map, map_tab.map.viewport().rect().center())
    assert "Select a timeline entry first" in failed.args[0]


def test_time_range_hides_events_outside_it(map_tab) -> None:
    from datetime import UTC, datetime

    map_tab.set_span(datetime(2021, 11, 16, tzinfo=UTC), datetime(2021, 11, 16, tzinfo=UTC))
    assert sorted(e.key for e in map_tab.map.markers.events) == [CLASH, CAPTIVES, REQUEST]


def test_colour_by_party_uses_the_party_colours(map_tab) -> None:
    map_tab.colour.setCurrentText("Party")
    assert map_tab.map.by == "party"
    clash = next(e for e in map_tab.map.markers.events if e.key == CLASH)
    assert clash.colour("party") == clash.party_colour != ""


def test_window_marker_click_selects_in_the_inspector_and_back(qtbot, window) -> None:
    tab = show_map(window)
    qtbot.waitUntil(lambda: tab.map.markers is not None and len(tab.map.markers.events) == 5)
    point = zoomed_to(qtbot, tab, CLASH)
    click(qtbot, tab.map, point)
    qtbot.waitUntil(lambda: window.inspector.current == ("entry", CLASH))
    # The other way: selecting in the library outlines the marker on the map.
    pane = window.library.show_kind("entry")
    pane.select_record(REQUEST)
    qtbot.waitUntil(lambda: window.inspector.current == ("entry", REQUEST))
    assert tab.map.current == ("entry", REQUEST)
    assert tab.map.markers.current == REQUEST


def test_the_map_can_show_the_library_filter(qtbot, window) -> None:
    tab = show_map(window)
    pane = window.library.show_kind("entry")
    qtbot.keyClicks(pane.filter_bar.search, "border")
    qtbot.waitUntil(lambda: pane.model.rowCount() == 2)
    with qtbot.waitSignal(tab.eventsShown):
        tab.scope.setCurrentText("The library's filter")
    assert sorted(e.key for e in tab.map.markers.events) == [CLASH, CAPTIVES]


def test_export_png_writes_what_is_shown(map_tab, tmp_path) -> None:
    from PySide6.QtGui import QImage

    path = map_tab.export(tmp_path / "map.png")
    image = QImage(str(path))
    assert not image.isNull() and image.width() > 500


def test_the_time_range_follows_the_timeline_chart(qtbot, window) -> None:
    from briefing.gui.pictures import TimelineChartWidget
    from briefing.gui.pictures.map_widget import visible_span

    tabs = window.workspace
    tabs.setCurrentIndex(
        next(i for i in range(tabs.count()) if tabs.tabText(i) == "Timeline Chart")
    )
    chart = window.workspace.built(TimelineChartWidget)
    qtbot.waitUntil(lambda: chart.timeline.layout_ is not None)
    chart.timeline.zoom(40.0)  # show a few days around the centre only
    start, end = visible_span(chart.timeline)
    assert (end - start).days < 100  # the chart spans 14 months
    tab = show_map(window)
    tab.follow.setChecked(True)
    tabs.setCurrentIndex(
        next(i for i in range(tabs.count()) if tabs.tabText(i) == "Timeline Chart")
    )
    show_map(window)  # coming back takes the chart's range again
    qtbot.waitUntil(lambda: not tab.loading)
    first, last = tab.span()
    assert (first, last) == (start.date(), end.date())
    shown = {e.key for e in tab.map.markers.events}
    expected = {
        e.key for e, when in zip(tab.loaded.events, tab.loaded.starts.tolist(), strict=True)
        if start.date() <= when.date() <= end.date()
    }  # fmt: skip
    assert shown == expected and len(shown) < 5


def _colours_drawn(look, qtbot) -> set[tuple[int, int, int]]:  # noqa: ANN001
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QImage, QPainter

    from briefing.gui.pictures.map_layers import draw_group_ring

    image = QImage(48, 48, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    draw_group_ring(painter, QPointF(24, 24), 16, look)
    painter.end()
    return {
        (c.red(), c.green(), c.blue())
        for c in (image.pixelColor(x, y) for x in range(48) for y in range(48))
        if c.alpha() == 255
    }


def test_a_mixed_group_is_ringed_in_each_of_its_colours_not_black(qtbot) -> None:
    green, orange = (0x1B, 0x7F, 0x3B), (0xB3, 0x5C, 0x00)
    drawn = _colours_drawn((("#1B7F3B", 2), ("#B35C00", 1)), qtbot)
    assert green in drawn and orange in drawn and (0x2B, 0x2B, 0x2B) not in drawn
    assert orange not in _colours_drawn("#1B7F3B", qtbot)


def test_sprites_drawn_ahead_while_idle_serve_the_next_zoom_level(qtbot) -> None:
    import random

    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter, QTransform
    from PySide6.QtWidgets import QStyleOptionGraphicsItem

    from briefing.figures.markers import MapEvent
    from briefing.figures.projection import Azimuthal
    from briefing.gui.pictures.map_layers import MarkerLayer, level_of

    rng = random.Random(11)
    statuses = ("confirmed", "reported", "disputed", "unconfirmed")
    events = [MapEvent(k, f"E{k}", rng.uniform(44, 47), rng.uniform(39, 41), rng.choice(statuses),
                       "", "", rng.choice([0, 1, 4, 20])) for k in range(2000)]  # fmt: skip
    layer = MarkerLayer(events, Azimuthal(45.5, 40.0))
    scale = 1.0
    while layer.prepare_next(scale, level_of(scale) - 1, level_of(scale) + 1):
        pass
    while layer.warm_next(scale, level_of(scale) - 1, level_of(scale) + 1):
        pass
    drawn_ahead = len(layer._sprites)
    image = QImage(800, 600, QImage.Format.Format_ARGB32)
    option = QStyleOptionGraphicsItem()
    option.exposedRect = QRectF(-1e4, -1e4, 2e4, 2e4)
    for zoomed in (scale * 2.0, scale / 2.0):  # one level in, one level out
        painter = QPainter(image)
        painter.setWorldTransform(QTransform.fromScale(zoomed, zoomed).translate(400, 300))
        layer.paint(painter, option)
        painter.end()
    assert drawn_ahead > 0 and len(layer._sprites) == drawn_ahead


def test_the_base_map_is_painted_before_the_entries_are_read(qtbot, demo_project) -> None:
    widget = MapWidget(ProjectDocument(demo_project))
    qtbot.addWidget(widget)
    widget.resize(1100, 750)
    with qtbot.waitSignal(widget.eventsShown):
        widget.show()
        assert widget.loading and widget.map.base_drawn()  # drawn at once, entries to come
        assert "Reading the timeline entries" in widget.note.text()
    assert len(widget.map.markers.events) == 5 and not widget.loading


def test_only_the_last_of_several_reads_is_shown(qtbot, map_tab) -> None:
    shown: list[int] = []
    map_tab.eventsShown.connect(lambda: shown.append(len(map_tab.loaded.events)))
    map_tab.scope.setCurrentText("The open briefing")  # no briefing open: nothing to show
    map_tab.scope.setCurrentText("All timeline entries")
    qtbot.waitUntil(lambda: not map_tab.loading)
    qtbot.wait(50)  # the first read's answer, had it been kept, would have come by now
    assert shown == [5] and len(map_tab.map.markers.events) == 5


def test_a_read_that_fails_says_so_in_one_sentence(qtbot, map_tab, monkeypatch) -> None:
    from briefing.errors import BriefingError
    from briefing.gui.pictures import map_widget

    def broken(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise BriefingError("The project cannot be read; run briefing check.")

    monkeypatch.setattr(map_widget, "map_events", broken)
    with qtbot.waitSignal(map_tab.document.failed) as failed:
        map_tab.refresh()
    assert failed.args == ["The project cannot be read; run briefing check."]
    assert not map_tab.loading and len(map_tab.map.markers.events) == 5  # the last map stays


def test_a_file_the_worker_cannot_open_is_read_through_the_window(qtbot, map_tab, monkeypatch):
    """The worker opens the file anew; if that fails, the project's own connection reads it."""
    from briefing.gui.pictures import map_widget

    def unopenable(project):  # noqa: ANN001, ANN202
        return _Refusing()

    class _Refusing:
        def connect(self):  # noqa: ANN202
            import sqlite3

            raise sqlite3.OperationalError("unable to open database file")

        def dispose(self) -> None:
            pass

    monkeypatch.setattr(map_widget, "reader", unopenable)
    with qtbot.waitSignal(map_tab.eventsShown):
        map_tab.refresh()
    assert len(map_tab.map.markers.events) == 5 and not map_tab.loading


def test_entries_without_coordinates_are_counted_and_only_the_first_listed(
    qtbot, map_tab, monkeypatch
) -> None:
    from briefing.services import map_events

    monkeypatch.setattr(map_events, "UNPLACED_LISTED", 2)
    new = [{"title": f"Unplaced {n}", "start_utc": "2021-11-17T00:00:00Z"} for n in range(5)]
    project = map_tab.document.project
    with project.transaction() as session:
        records.codec.load(session.connection(), {"entry": new})
    with qtbot.waitSignal(map_tab.eventsShown):
        map_tab.refresh()
    assert map_tab.unplaced.count() == 2
    assert [map_tab.unplaced.item(n).text() for n in range(2)] == ["Unplaced 0", "Unplaced 1"]
    assert map_tab.unplaced_title.text() == "Not on the map: 5 (the first 2 listed)"
    assert "5 not on the map" in map_tab.note.text()
