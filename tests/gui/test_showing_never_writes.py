"""Showing a record never writes it: only an analyst's edit does.

The window browses every record of a project full of edge values (the earliest
and latest valid times, the largest counts, the longest texts) and of values
another program put in that the program never writes; the file's bytes stay
the same and there is nothing to undo.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from edge_values import EARLIEST, LATEST, build_edge_project, write_malformed
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from briefing.gui.main_window import MainWindow
from briefing.gui.settings import AppSettings
from briefing.services import records
from briefing.services.library_query import LIST_KINDS


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def window(qtbot, answers):
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    return window


def click_tab(tabs, index: int) -> None:
    bar = tabs.tabBar()
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())


def browse_every_row(window: MainWindow, kind: str) -> list[int]:
    """Click the list's first row, then walk down with the arrow key; the records shown."""
    click_tab(window.library, list(LIST_KINDS).index(kind))
    pane = window.library.panes[kind]
    table = pane.table
    pane.model.finish_loading()
    rect = table.visualRect(pane.model.index(0, 2))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    shown = []
    for _ in range(pane.model.rowCount()):
        QApplication.processEvents()
        assert window.inspector.current is not None
        shown.append(window.inspector.current[1])
        QTest.keyClick(table, Qt.Key.Key_Down)
    return shown


def test_browsing_edge_and_malformed_values_writes_nothing(qtbot, window, tmp_path) -> None:
    edge = build_edge_project(tmp_path / "edge.brief")
    assert window.open_path(edge.path)
    write_malformed(edge.path, edge)  # another program, while the window has the file open
    assert window.document.check_external_changes()
    QApplication.processEvents()
    before = digest(edge.path)
    for kind in LIST_KINDS:
        shown = browse_every_row(window, kind)
        assert set(edge.ids[kind]) <= set(shown), kind
    # Pictures and the composer show the same records.
    for index in range(window.workspace.count()):
        click_tab(window.workspace, index)
        QApplication.processEvents()
    assert window.document.undo_stack.count() == 0
    assert "Edit" not in window.saved_label.text()
    window.close()
    assert digest(edge.path) == before


def test_a_time_the_edit_cannot_show_is_kept_until_the_analyst_edits_it(
    qtbot, window, tmp_path
) -> None:
    edge = build_edge_project(tmp_path / "edge.brief")
    assert window.open_path(edge.path)
    earliest, latest = edge.ids["entry"][:2]
    window.library.select_record("entry", earliest)
    form = window.inspector.forms["entry"]
    when = form.field_for("start_utc")
    assert when.start.dateTime().date().year() == 1799  # 1800 UTC is 1799 in Los Angeles
    assert "1800-01-01 00:00 UTC" in when.start_utc.text()
    window.library.select_record("entry", latest)
    assert "2199-12-31 23:59 UTC" in when.start_utc.text()
    assert window.document.undo_stack.count() == 0
    project = window.document.project
    assert records.get_record(project, "entry", earliest)["start_utc"] == EARLIEST
    assert records.get_record(project, "entry", latest)["start_utc"] == LATEST
    # The analyst's own edit is written: one minute later, typed with the keyboard.
    when.start.setFocus()
    when.start.setSelectedSection(when.start.Section.MinuteSection)
    QTest.keyClick(when.start, Qt.Key.Key_Down)
    QTest.keyClick(when.start, Qt.Key.Key_Enter)
    assert window.document.undo_stack.count() == 1
    assert records.get_record(project, "entry", latest)["start_utc"] == "2199-12-31T23:58:00Z"


def test_a_figure_that_is_not_a_number_is_kept_while_shown(qtbot, window, tmp_path) -> None:
    edge = build_edge_project(tmp_path / "edge.brief")
    assert window.open_path(edge.path)
    write_malformed(edge.path, edge)
    window.document.check_external_changes()
    entry = edge.ids["entry"][2]
    window.library.select_record("entry", entry)
    claims = window.inspector.forms["entry"].field_for("claims")
    assert [claims.model.index(row, 2).data() for row in range(2)] == ["many", "2.5"]
    cell = claims.table.visualRect(claims.model.index(1, 2)).center()
    QTest.mouseClick(claims.table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    window.library.select_record("entry", edge.ids["entry"][0])  # moving on saves pending input
    stored = records.get_record(window.document.project, "entry", entry)["claims"]
    assert (stored[0]["best"], stored[1]["best"]) == ("many", 2.5)
    assert window.document.undo_stack.count() == 0
