"""What the analyst sees: whole titles and filters at 1280×720, readable colours in dark,
room for quotes, new records named by the analyst, and counts in good English."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsSimpleTextItem,
    QLineEdit,
    QStyle,
    QStyleOptionComboBox,
    QStyleOptionTab,
)
from window_helpers import click_tab, go_dark, go_light, id_of, open_demo_window

from briefing.gui import dialogs
from briefing.gui.composer.outline_model import OutlineModel
from briefing.gui.pictures import TimelineChartWidget
from briefing.gui.theme import contrast
from briefing.gui.workspace_tabs import SHORT_TITLES
from briefing.services import records

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
REAL_NAME = dialogs.ask_record_name


@pytest.fixture
def window(qtbot, answers, demo_path):
    return open_demo_window(qtbot, demo_path)


@pytest.fixture
def dark(qtbot, window):
    go_dark(qtbot, window)
    yield window
    go_light(qtbot)


def key(widget, code: Qt.Key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(widget, code, modifiers)


# ---------------------------------------------------------------------------- titles and filters


def painted_titles_fit(bar) -> list[str]:
    """The titles as painted, each checked to fit its tab whole."""
    shown = []
    for index in range(bar.count()):
        title = bar.shown_title(index)
        option = QStyleOptionTab()
        bar.initStyleOption(option, index)
        room = bar.style().subElementRect(QStyle.SubElement.SE_TabBarTabText, option, bar)
        assert bar.fontMetrics().horizontalAdvance(title) <= room.width(), title
        shown.append(title)
    return shown


def test_every_workspace_tab_title_is_whole_at_1280_and_the_short_ones_are_clicked(
    qtbot, window
) -> None:
    bar = window.workspace.tabBar()
    shown = painted_titles_fit(bar)
    assert not any("…" in title for title in shown)
    assert shown == [SHORT_TITLES.get(bar.tabText(i), bar.tabText(i)) for i in range(bar.count())]
    chart = click_tab(qtbot, window, "Timeline Chart")  # where "Chart" is painted
    assert isinstance(chart, TimelineChartWidget)
    assert bar.tabToolTip(bar.currentIndex()) == "Timeline Chart"  # the whole title on hover


def test_a_wider_window_shows_the_whole_tab_titles(qtbot, window) -> None:
    bar = window.workspace.tabBar()
    window.resize(1600, 1000)
    qtbot.waitUntil(lambda: not bar.compact)
    assert painted_titles_fit(bar) == [bar.tabText(i) for i in range(bar.count())]


def test_any_reliability_is_shown_whole_in_the_sources_filter(qtbot, window) -> None:
    key(window.library.current_pane().table, Qt.Key.Key_5, CTRL)  # the Sources list
    bar = window.library.current_pane().filter_bar
    qtbot.waitUntil(bar.isVisible)
    combo = bar.status
    assert combo.currentText() == "Any reliability"
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
    )
    assert combo.fontMetrics().horizontalAdvance("Any reliability") <= field.width()


def test_the_library_dock_takes_more_room_on_a_wider_window(qtbot, answers, demo_path) -> None:
    window = open_demo_window(qtbot, demo_path, (1600, 1000))
    assert window.library_dock.width() >= 470  # 432 before: titles were cut at 40 letters
    assert window.library_dock.width() > window.inspector_dock.width()


# ---------------------------------------------------------------------------- dark


def test_the_timeline_chart_is_dark_in_dark_and_its_saved_picture_light(
    qtbot, dark, tmp_path
) -> None:
    chart = click_tab(qtbot, dark, "Timeline Chart")
    view = chart.timeline
    qtbot.waitUntil(lambda: view.layout_ is not None)
    paper = view.backgroundBrush().color()
    base = dark.palette().color(QPalette.ColorRole.Base)
    assert paper.lightness() < 60 and abs(paper.lightness() - base.lightness()) < 20
    picture = view.viewport().grab().toImage()
    corner = picture.pixelColor(picture.width() - 4, picture.height() - 4)
    assert corner.lightness() < 60  # no white paper left under the chart
    label = view.layout_.lane_labels[0].text.brush().color()
    assert contrast(label, paper) >= 4.5
    saved = chart.export(tmp_path / "chart.png")
    image = QImage(str(saved))
    assert image.pixelColor(2, 2) == QColor("white")
    assert view.backgroundBrush().color() == paper  # and the window stays dark


def label_colours(scene) -> list[QColor]:
    """The colours of the texts drawn on the paper (party names sit on their own colours)."""
    return [
        QColor(item.brush().color())
        for item in scene.items()
        if isinstance(item, QGraphicsSimpleTextItem)
        and (item.parentItem() is None or item.parentItem().data(2) != "shape")
    ]


def test_the_alliance_diagram_is_dark_in_dark_with_readable_labels(qtbot, dark, tmp_path) -> None:
    widget = click_tab(qtbot, dark, "Alliance Diagram")
    view = widget.diagram_view
    qtbot.waitUntil(lambda: view.diagram is not None)
    paper = view.backgroundBrush().color()
    assert paper.lightness() < 60
    colours = label_colours(view.scene())  # tie labels and the legend
    assert len(colours) > 6
    assert all(contrast(colour, paper) >= 4.5 for colour in colours)
    saved = QImage(str(widget.export(tmp_path / "diagram.png")))
    assert saved.pixelColor(2, 2) == QColor("white")
    assert view.backgroundBrush().color() == paper


def test_contradictions_are_marked_in_a_red_that_reads_in_light_and_dark(qtbot, window) -> None:
    window.show_record("entry", id_of(window, "entry", "clash"))
    view = click_tab(qtbot, window, "Contradictions")
    for turn in ("light", "dark"):
        if turn == "dark":
            go_dark(qtbot, window)
        base = view.palette().color(QPalette.ColorRole.Base)
        qtbot.waitUntil(lambda: "contradictions:" in view.summary.text())
        red = QColor(re.search(r"color:\s*(#[0-9a-fA-F]{6})", view.summary.text()).group(1))
        assert contrast(red, base) >= 4.5, (turn, red.name(), base.name())
        notes = [c for c in view.cards.values() if c.contradicted]
        assert notes and all(card.alarm == red.name() for card in notes)
    go_light(qtbot)


def test_a_stricter_item_in_the_outline_reads_in_dark(qtbot, dark, qtmodeltester) -> None:
    clash = id_of(dark, "entry", "clash")
    records.update_record(dark.document.project, "entry", clash, {"tlp": "RED"})
    click_tab(qtbot, dark, "Briefing")
    composer = dark.composer
    composer.refresh(force=True)
    model = OutlineModel(dark.document)  # the window's, but outliving it for the tester
    model.set_content(composer.content)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == composer.outline_model.rowCount()
    colours = [
        model.data(model.index(row, 0, model.index(section, 0)), Qt.ItemDataRole.ForegroundRole)
        for section in range(model.rowCount())
        for row in range(model.rowCount(model.index(section, 0)))
    ]
    marked = [brush.color() for brush in colours if brush is not None]
    assert marked
    base = dark.palette().color(QPalette.ColorRole.Base)
    assert all(contrast(colour, base) >= 4.5 for colour in marked)


# ---------------------------------------------------------------------------- statements


def test_the_quote_box_takes_the_inspectors_width_and_ten_lines(qtbot, window) -> None:
    key(window.library.current_pane().table, Qt.Key.Key_2, CTRL)  # the Statements list
    table = window.library.current_pane().table
    qtbot.waitUntil(lambda: table.model().rowCount() > 0)
    row = table.visualRect(table.model().index(1, 0)).center()
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=row)
    qtbot.waitUntil(lambda: window.inspector.current[0] == "statement")
    form = window.inspector.forms["statement"]
    quote = form.field_for("quote").edit
    title_like = form.field_for("person").widget
    assert quote.height() >= 10 * quote.fontMetrics().lineSpacing()
    assert quote.width() > title_like.width()  # its label stands above it, not beside it
    quote.setFocus()
    qtbot.waitUntil(quote.hasFocus)
    QTest.keyClick(quote, Qt.Key.Key_End, CTRL)
    QTest.keyClicks(quote, " (sic)")
    QTest.keyClick(quote, Qt.Key.Key_Tab)
    kind, statement = window.inspector.current
    assert window.document.record(kind, statement)["quote"].endswith(" (sic)")


# ---------------------------------------------------------------------------- new records


def answer_name_dialog(qtbot, typed: list[str], seen: dict) -> None:
    """Look at the name dialog, press Return on the empty box, then type each text and Return."""

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, run)
            return
        try:
            box = dialog.findChild(QLineEdit, "name")
            box.setFocus()
            qtbot.waitUntil(box.hasFocus)
            seen["empty"] = box.text()
            seen["placeholder"] = box.placeholderText()
            key(box, Qt.Key.Key_Return)
            seen["refused empty"] = dialog.isVisible()
            for text in typed:
                QTest.keyClicks(box, text)
                key(box, Qt.Key.Key_Return)
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, run)


@pytest.mark.parametrize(
    ("list_key", "kind", "field", "typed"),
    [
        (Qt.Key.Key_1, "entry", "title", "Shelling of Jermuk"),
        (Qt.Key.Key_4, "party", "name", "Armenian Border Guard"),
        (Qt.Key.Key_5, "source", "title", "Azatutyun live blog, 13 September"),
    ],
)
def test_a_new_record_starts_from_an_empty_name_with_a_hint(
    qtbot, window, monkeypatch, list_key, kind, field, typed
) -> None:
    monkeypatch.setattr(dialogs, "ask_record_name", REAL_NAME)
    table = window.library.current_pane().table
    key(table, list_key, CTRL)
    pane = window.library.current_pane()
    before = pane.model.rowCount()
    seen: dict[str, object] = {}
    answer_name_dialog(qtbot, [typed], seen)
    key(pane.table, Qt.Key.Key_N, CTRL | SHIFT)
    assert seen == {
        "empty": "",
        "placeholder": dialogs.NAME_QUESTIONS[kind][2],
        "refused empty": True,
    }
    qtbot.waitUntil(lambda: window.inspector.current is not None
                    and window.inspector.current[0] == kind)  # fmt: skip
    record = window.document.record(*window.inspector.current)
    assert record[field] == typed
    assert pane.model.rowCount() == before + 1
    assert window.document.undo_stack.count() == 1
    assert not any(str(v).startswith("New ") for v in record.values() if isinstance(v, str))


def test_a_cancelled_name_dialog_creates_nothing(qtbot, window, monkeypatch) -> None:
    monkeypatch.setattr(dialogs, "ask_record_name", REAL_NAME)
    table = window.library.current_pane().table
    QTimer.singleShot(
        0, lambda: QTest.keyClick(QApplication.activeModalWidget(), Qt.Key.Key_Escape)
    )
    key(table, Qt.Key.Key_N, CTRL | SHIFT)
    assert window.document.undo_stack.count() == 0


def test_a_name_the_rules_refuse_is_one_sentence_and_saves_nothing(
    qtbot, window, monkeypatch, answers
) -> None:
    monkeypatch.setattr(dialogs, "ask_record_name", REAL_NAME)
    table = window.library.current_pane().table
    key(table, Qt.Key.Key_4, CTRL)
    pane = window.library.current_pane()
    before = pane.model.rowCount()
    answer_name_dialog(qtbot, ["x" * 1001], {})
    key(pane.table, Qt.Key.Key_N, CTRL | SHIFT)
    assert len(answers.seen["failure"]) == 1
    said = answers.seen["failure"][0]
    assert "1,000" in said and "\n" not in said and "Traceback" not in said
    assert pane.model.rowCount() == before
    assert window.document.undo_stack.count() == 0


# ---------------------------------------------------------------------------- counts


def test_counts_are_in_good_english(qtbot, window) -> None:
    chart = click_tab(qtbot, window, "Timeline Chart")
    qtbot.waitUntil(lambda: chart.note.text() != "")
    assert chart.note.text() == "5 timeline entries in 3 lanes, one per party."
    pane = window.library.panes["entry"]
    search = pane.filter_bar.search
    search.setFocus()
    qtbot.waitUntil(search.hasFocus)
    QTest.keyClicks(search, "Videos")
    key(search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "match" in pane.count_label.text())
    assert pane.count_label.text() == "1 of 5 timeline entries matches the filters"
