from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFont, QFontDatabase, QImage, QTextLayout
from PySide6.QtWidgets import QGraphicsSimpleTextItem

from briefing.gui.document import ProjectDocument
from briefing.gui.pictures import RelationshipDiagramWidget, TimelineChartWidget
from briefing.gui.pictures.diagram import items_for
from briefing.gui.pictures.diagram_layout import Box, curve, exit_parameter, group_order
from briefing.gui.pictures.ticks import choose_step, tick_label, ticks
from briefing.resources import resource_path
from briefing.services import records

CLASH = 3


@pytest.fixture(scope="module", autouse=True)
def dejavu(qapp) -> None:
    """The application ships DejaVu for Armenian and Azerbaijani names; so do these tests."""
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        assert QFontDatabase.addApplicationFont(str(resource_path("fonts", name))) >= 0
    qapp.setFont(QFont("DejaVu Sans", 9))


@pytest.fixture
def timeline(qtbot, demo_project) -> TimelineChartWidget:
    widget = TimelineChartWidget(ProjectDocument(demo_project))
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def diagram(qtbot, demo_project) -> RelationshipDiagramWidget:
    widget = RelationshipDiagramWidget(ProjectDocument(demo_project))
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def click(qtbot, view, item) -> None:
    point = view.mapFromScene(item.sceneBoundingRect().center())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def records_drawn(scene, kind: str) -> set[int]:
    return {int(i.data(1)) for i in items_for(scene, kind)}


# ---------------------------------------------------------------------------- ticks


@pytest.mark.parametrize(
    ("pixels_per_second", "unit", "count"),
    [
        (1.0, "minute", 5),
        (0.02, "hour", 3),
        (0.001, "day", 2),
        (1e-5, "month", 6),
        (1e-7, "year", 50),
    ],
)
def test_tick_step_keeps_labels_apart(pixels_per_second, unit, count) -> None:
    step = choose_step(pixels_per_second)
    assert (step.unit, step.count) == (unit, count)
    assert step.seconds * pixels_per_second >= 90


def test_month_ticks_fall_on_the_first_of_the_month() -> None:
    start = datetime(2020, 9, 27, tzinfo=UTC)
    end = datetime(2021, 11, 16, 7, tzinfo=UTC)
    found = list(ticks(start, end, choose_step(1e-5)))
    assert [(t.year, t.month, t.day) for t in found] == [(2020, 7, 1), (2021, 1, 1), (2021, 7, 1)]
    assert [tick_label(t, choose_step(1e-5)) for t in found][:2] == ["Jul 2020", "Jan 2021"]


def test_hour_ticks_name_the_day_at_midnight() -> None:
    step = choose_step(0.02)  # three hours
    found = list(
        ticks(datetime(2021, 11, 15, 20, tzinfo=UTC), datetime(2021, 11, 16, 4, tzinfo=UTC), step)
    )
    labels = [tick_label(t, step, first=n == 0) for n, t in enumerate(found)]
    assert labels == ["15 Nov 18:00", "21:00", "16 Nov 00:00", "03:00"]


# ---------------------------------------------------------------------------- diagram layout


def test_linked_groups_sit_next_to_each_other_on_the_ring() -> None:
    order = group_order([1, 2, 3, 4], [(1, 3), (3, 2), (2, 4), (4, 1)])
    position = {g: n for n, g in enumerate(order)}
    for a, b in [(1, 3), (3, 2), (2, 4), (4, 1)]:
        assert abs(position[a] - position[b]) in (1, 3)


def test_an_edge_starts_and_ends_at_the_box_borders() -> None:
    a, b = Box(0, 0, 100, 30), Box(300, 200, 100, 30)
    point = curve(a.centre, b.centre, 40)
    start, end = exit_parameter(point, a, False), exit_parameter(point, b, True)
    assert 0 < start < end < 1
    assert not a.contains(point(start)) and a.contains(point(start - 0.01))
    assert not b.contains(point(end)) and b.contains(point(end + 0.01))


# ---------------------------------------------------------------------------- timeline chart


def test_timeline_draws_every_entry_and_a_click_selects_it(qtbot, timeline) -> None:
    scene = timeline.view.scene()
    assert records_drawn(scene, "entry") == {1, 2, 3, 4, 5}
    assert [lane.label for lane in timeline.timeline.chart.lanes] == [
        "Armenia",
        "Azerbaijan",
        "Russia",
    ]
    clash = next(i for i in items_for(scene, "entry") if i.data(1) == CLASH)
    with qtbot.waitSignal(timeline.recordActivated) as signal:
        click(qtbot, timeline.view, clash)
    assert signal.args == ["entry", CLASH]
    assert timeline.view.current == ("entry", CLASH)


@pytest.mark.parametrize(("x", "factor"), [(300, 4.0), (900, 4.0), (600, 0.5)])
def test_timeline_zoom_keeps_the_moment_under_the_pointer(timeline, x, factor) -> None:
    view = timeline.timeline
    view.zoom(3.0)  # start zoomed in, so zooming out is not held back by the chart's start
    anchor = QPoint(x, 200)
    before = view.layout_.time_at(view.mapToScene(anchor).x())
    scale = view.pixels_per_second
    view.zoom(factor, anchor)
    assert view.pixels_per_second == pytest.approx(scale * factor)
    after = view.layout_.time_at(view.mapToScene(anchor).x())
    assert abs((after - before).total_seconds()) * view.pixels_per_second < 2  # pixels


def test_timeline_keyboard_zoom_and_fit(qtbot, timeline) -> None:
    view = timeline.timeline
    scale = view.pixels_per_second
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert view.pixels_per_second > scale
    qtbot.keyClick(view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert view.pixels_per_second == pytest.approx(scale)


def test_timeline_follows_edits_and_selection(timeline) -> None:
    timeline.document.run(lambda p: records.delete_records(p, "entry", [4]))
    assert records_drawn(timeline.view.scene(), "entry") == {1, 2, 3, 5}
    timeline.show_record("entry", CLASH)
    assert timeline.view._halo


# ---------------------------------------------------------------------------- relationship diagram


def test_diagram_draws_parties_and_relationships_and_clicks_select(qtbot, diagram) -> None:
    scene = diagram.view.scene()
    assert records_drawn(scene, "party") == {1, 2, 8, 9, 10}
    assert records_drawn(scene, "relationship") == {1, 2, 3, 4, 5, 6}
    turkey = next(i for i in items_for(scene, "party") if i.data(1) == 10)
    with qtbot.waitSignal(diagram.recordActivated) as signal:
        click(qtbot, diagram.view, turkey)
    assert signal.args == ["party", 10]
    label = next(i for i in scene.items() if i.data(0) == "relationship" and i.data(2) != "shape")
    with qtbot.waitSignal(diagram.recordActivated) as signal:
        click(qtbot, diagram.view, label)
    assert signal.args[0] == "relationship"


def test_alleged_relationships_are_dashed(diagram) -> None:
    edges = {int(i.data(1)): i for i in items_for(diagram.view.scene(), "relationship")}
    assert edges[5].pen().style() == Qt.PenStyle.DashLine  # Syrian mercenaries, alleged
    assert edges[1].pen().style() == Qt.PenStyle.SolidLine


def test_parent_and_child_are_drawn_together(diagram) -> None:
    boxes = {
        int(i.data(1)): i.sceneBoundingRect() for i in items_for(diagram.view.scene(), "party")
    }
    russia, peacekeepers, turkey = boxes[8], boxes[9], boxes[10]
    near = (russia.center() - peacekeepers.center()).manhattanLength()
    assert near < (russia.center() - turkey.center()).manhattanLength() / 3


def test_armenian_and_azerbaijani_names_have_glyphs(diagram) -> None:
    document = diagram.document
    document.run(lambda p: records.update_record(p, "party", 1, {"short_name": "Հայաստան"}))
    document.run(lambda p: records.update_record(p, "party", 2, {"short_name": "Azərbaycan"}))
    texts = [i for i in diagram.view.scene().items() if isinstance(i, QGraphicsSimpleTextItem)]
    names = [t for t in texts if t.text() in ("Հայաստան", "Azərbaycan")]
    assert len(names) == 2
    for text in names:
        layout = QTextLayout(text.text(), text.font())
        layout.beginLayout()
        layout.createLine()
        layout.endLayout()
        glyphs = [g for run in layout.glyphRuns() for g in run.glyphIndexes()]
        assert glyphs and 0 not in glyphs  # glyph 0 is the empty box


# ---------------------------------------------------------------------------- export


@pytest.mark.parametrize("which", ["timeline", "diagram"])
def test_png_export_writes_an_image(request, tmp_path, which) -> None:
    widget = request.getfixturevalue(which)
    path = widget.export(tmp_path / f"{which}")
    assert path.suffix == ".png"
    image = QImage(str(path))
    assert image.width() > 600 and image.height() > 200
    colours = {image.pixel(x, image.height() // 3) for x in range(0, image.width(), 7)}
    assert len(colours) > 3  # something was drawn, not a blank page


def test_a_hidden_picture_draws_when_first_shown(qtbot, demo_project) -> None:
    widget = TimelineChartWidget(ProjectDocument(demo_project))
    qtbot.addWidget(widget)
    assert not items_for(widget.view.scene(), "entry")  # opening a project stays quick
    widget.show_record("entry", CLASH)
    widget.resize(1000, 700)
    widget.show()
    qtbot.waitExposed(widget)
    assert records_drawn(widget.view.scene(), "entry") == {1, 2, 3, 4, 5}
    assert widget.view._halo  # the record chosen while hidden is outlined
