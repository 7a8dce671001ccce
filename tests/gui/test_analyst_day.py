"""The analyst's day in the full window: zones, date filters, new records, long titles."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPlainTextEdit
from window_helpers import id_of, open_demo_window, show_tab

from briefing.gui import dialogs


@pytest.fixture
def window(qtbot, answers, demo_path):
    return open_demo_window(qtbot, demo_path)


def type_zone(qtbot, line_edit, zone: str) -> None:
    """Click into a zone box, replace its text by typing and press Tab."""
    line_edit.setFocus()
    qtbot.waitUntil(line_edit.hasFocus)
    QTest.keyClick(line_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(line_edit, zone)
    # Tab with the suggestions still open: the key goes to them, as the keyboard's keys do.
    QTest.keyClick(QApplication.activePopupWidget() or line_edit, Qt.Key.Key_Tab)


def test_a_new_zone_on_the_cover_keeps_the_typed_clock_time_and_says_so(qtbot, window) -> None:
    show_tab(window, "Briefing")
    composer = window.composer
    assert composer.metadata.as_of.dateTime().toString("HH:mm") == "22:00"  # in Yerevan
    type_zone(qtbot, composer.metadata.zone.lineEdit(), "Europe/London")
    assert composer.content.zone == "Europe/London"
    assert composer.content.as_of == datetime(2021, 11, 16, 22, 0, tzinfo=UTC)  # 22:00 kept
    assert composer.metadata.as_of.dateTime().toString("HH:mm") == "22:00"
    said = window.statusBar().currentMessage()
    assert "22:00 is kept" in said and "Europe/London" in said
    assert window.document.undo_stack.count() == 1  # one edit, one undo step


def test_a_new_zone_on_an_entry_keeps_the_typed_clock_time_and_says_so(qtbot, window) -> None:
    entry = id_of(window, "entry", "clash")
    window.show_record("entry", entry)
    field = window.inspector.forms["entry"].field_for("start_utc")
    before = window.document.record("entry", entry)
    wall = field.start.dateTime().toString("HH:mm")
    type_zone(qtbot, field.zone.lineEdit(), "Europe/London")
    after = window.document.record("entry", entry)
    assert after["zone"] == "Europe/London" and after["start_utc"] != before["start_utc"]
    assert field.start.dateTime().toString("HH:mm") == wall
    assert after["start_utc"][11:16] == wall  # London is UTC in November
    said = window.statusBar().currentMessage()
    assert f"{wall} is kept" in said and "Europe/London" in said


REAL_QUOTE = dialogs.ask_statement_quote


def test_a_new_statement_starts_from_an_empty_quote_typed_in_its_dialog(
    qtbot, window, monkeypatch
) -> None:
    monkeypatch.setattr(dialogs, "ask_statement_quote", REAL_QUOTE)
    window.show_library("statement")
    seen: dict[str, object] = {}

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        try:
            dialog.activateWindow()
            qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
            box = dialog.findChild(QPlainTextEdit, "quote")
            assert box.hasFocus()
            seen["empty"] = box.toPlainText()
            seen["placeholder"] = box.placeholderText()
            QTest.keyClick(box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
            seen["refused empty"] = dialog.isVisible()
            QTest.keyClicks(box, "Azerbaijani forces shelled Jermuk.")
            QTest.keyClick(box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, answer)
    library = window.library
    library.current_pane().setFocus()
    QTest.keyClick(
        library.current_pane(),
        Qt.Key.Key_N,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert seen == {"empty": "", "placeholder": dialogs.QUOTE_PLACEHOLDER, "refused empty": True}
    quote = "Azerbaijani forces shelled Jermuk."

    def shown() -> bool:
        kind, statement = window.inspector.current
        return kind == "statement" and window.document.record(kind, statement)["quote"] == quote

    qtbot.waitUntil(shown)
    assert window.document.undo_stack.count() == 1


def test_a_cancelled_statement_dialog_creates_nothing(qtbot, window, monkeypatch) -> None:
    monkeypatch.setattr(dialogs, "ask_statement_quote", REAL_QUOTE)
    QTimer.singleShot(
        0, lambda: QTest.keyClick(QApplication.activeModalWidget(), Qt.Key.Key_Escape)
    )
    before = window.document.undo_stack.count()
    assert window.records.create("statement") is None
    assert window.document.undo_stack.count() == before


LONG_WORD = "Nagorno-Karabakh-" * 12 + "border"
LONG_TITLE = "Clashes along the border near Jermuk, Vardenis and Goris " * 6 + LONG_WORD


@pytest.mark.parametrize("kind", ["entry", "statement"])
def test_long_titles_never_widen_the_window(qtbot, window, kind) -> None:
    from briefing.services import records

    entry = id_of(window, "entry", "clash")
    show_tab(window, "Contradictions")
    window.show_record("entry", entry)
    qtbot.wait(50)
    widths = (window.width(), window.inspector_dock.width())
    values = {"title": LONG_TITLE} if kind == "entry" else {"quote": LONG_TITLE}
    record = entry if kind == "entry" else id_of(window, "statement", "grigoryan-request")
    window.document.run(lambda p: records.update_record(p, kind, record, values))
    window.document.run(
        lambda p: records.update_record(p, "party", id_of(window, "party", "armenia"),
                                        {"name": LONG_WORD})
    )  # fmt: skip
    window.show_record(kind, record)
    qtbot.wait(50)
    assert (window.width(), window.inspector_dock.width()) == widths
    assert window.minimumSizeHint().width() <= 1280
    heading = window.inspector.forms[kind].heading
    assert heading.width() <= window.inspector_dock.width()


@pytest.mark.parametrize("kind", ["entry", "statement", "relationship", "party", "source"])
def test_every_form_fits_the_inspector_at_1280_by_720(qtbot, window, kind) -> None:
    from briefing.services.library_query import LIST_KINDS

    assert kind in LIST_KINDS
    form = window.inspector.form(kind)
    assert form.minimumSizeHint().width() <= window.inspector.viewport().width()


def test_every_workspace_tab_is_in_sight_at_1280_by_720(window) -> None:
    bar = window.workspace.tabBar()
    assert not bar.usesScrollButtons()
    right = max(bar.tabRect(i).right() for i in range(bar.count()))
    assert right <= bar.width()
    assert all(bar.tabToolTip(i) == bar.tabText(i) for i in range(bar.count()))


def test_the_date_filters_are_never_clipped(qtbot, window) -> None:
    for kind in ("entry", "statement", "source"):
        window.show_library(kind)
        bar = window.library.current_pane().filter_bar
        qtbot.wait(20)
        for edit in (bar.date_from, bar.date_to):
            assert edit.width() >= edit.minimumSizeHint().width()
        assert not bar.date_from.geometry().intersects(bar.date_to.geometry())


def test_the_preview_is_laid_out_in_the_background_when_first_shown(qtbot, window) -> None:
    pane = show_tab(window, "PDF Preview")
    assert window.document.undo_stack.count() == 0
    qtbot.waitUntil(lambda: pane.page_count_shown() > 0, timeout=60_000)
    assert pane.previewed is not None and "Preview of" in pane.status.text()
    assert not pane.render.busy


def test_a_change_while_laying_out_drops_the_stale_preview(qtbot, window) -> None:
    from briefing.services import briefings

    pane = show_tab(window, "PDF Preview")
    first = pane.render.run
    assert pane.render.busy
    briefing = pane.previewed.id if pane.previewed else window.composer.content.id
    window.document.run(
        lambda p: briefings.edit_metadata(p, briefing, title="Border clashes, September 2022")
    )
    assert pane.render.run > first  # the stale layout was dropped and begun again
    qtbot.waitUntil(lambda: pane.page_count_shown() > 0, timeout=60_000)
    assert "Border clashes, September 2022" in pane.status.text()
    assert not pane.stale


def test_the_timeline_chart_opens_fitted_to_its_entries(qtbot, answers, tmp_path) -> None:
    from PySide6.QtWidgets import QGraphicsSimpleTextItem, QGraphicsTextItem

    from briefing.gui.main_window import MainWindow
    from briefing.gui.settings import AppSettings
    from briefing.services import records
    from briefing.store import create_project

    path = tmp_path / "september.brief"
    project = create_project(path, "Anna Analyst", "September 2022")
    titles = ["Shelling of Jermuk", "Kalbajar positions hit", "Ceasefire announced"]
    for title, start in zip(
        titles,
        ["2022-09-12T20:05:00Z", "2022-09-12T21:00:00Z", "2022-09-14T16:00:00Z"],
        strict=True,
    ):
        records.create_record(project, "entry", {"title": title, "start_utc": start})
    project.close()
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    assert window.open_path(path)
    chart = show_tab(window, "Timeline Chart")
    view = chart.timeline
    qtbot.waitUntil(lambda: view.layout_ is not None)
    qtbot.wait(50)
    shown = {}
    for item in view.scene().items():
        if isinstance(item, QGraphicsSimpleTextItem | QGraphicsTextItem):
            text = item.text() if isinstance(item, QGraphicsSimpleTextItem) else item.toPlainText()
            if text in titles:
                shown[text] = view.mapFromScene(item.sceneBoundingRect()).boundingRect()
    assert set(shown) == set(titles)
    assert all(0 <= box.left() and box.right() <= view.viewport().width() for box in shown.values())
    first, last = shown["Shelling of Jermuk"], shown["Ceasefire announced"]
    assert last.left() - first.left() > view.viewport().width() / 4  # spread, not bunched


def test_text_zoom_keys_scale_the_library_and_editors_and_are_remembered(qtbot, window) -> None:
    library = window.library.current_pane().table
    size = library.font().pointSizeF()
    library.setFocus()
    qtbot.waitUntil(library.hasFocus)
    QTest.keyClick(library, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(library, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    bigger = library.font().pointSizeF()
    assert bigger == pytest.approx(size * 1.1**2, rel=0.02)
    field = window.inspector.forms["entry"].field_for("title").edit
    assert field.font().pointSizeF() == pytest.approx(bigger, rel=0.02)
    assert window.composer.metadata.title.font().pointSizeF() == pytest.approx(bigger, rel=0.02)
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    QTest.keyClick(field, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert library.font().pointSizeF() == pytest.approx(size * 1.1, rel=0.02)
    assert window.settings.qsettings.value("view/text_zoom") in (1, "1")
    QTest.keyClick(field, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert library.font().pointSizeF() == pytest.approx(size, rel=0.02)
    assert window.document.undo_stack.count() == 0


def test_the_window_turns_dark_when_the_system_does(qtbot, window) -> None:
    from PySide6.QtGui import QPalette

    from briefing.gui.theme import is_dark

    hints = QApplication.instance().styleHints()
    # The offscreen platform has no system setting to change: announce it as the system would.
    try:
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
        qtbot.waitUntil(lambda: is_dark(window.palette()))
        assert window.inspector.palette().color(QPalette.ColorRole.Base).lightness() < 100
    finally:
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    qtbot.waitUntil(lambda: not is_dark(window.palette()))
