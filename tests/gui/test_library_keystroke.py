"""A keystroke in the library's search reads what the list shows, and little more."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from test_library_fill import add_reports

from briefing.gui.document import ProjectDocument
from briefing.gui.library import model as library_model
from briefing.gui.library.view import LibraryPane
from briefing.services import library_query as query
from briefing.services.library_query import ListFilter

ENTRIES = 2000


@pytest.fixture
def big_project(demo_project):
    add_reports(demo_project, ENTRIES)
    return demo_project


@pytest.fixture
def asked(monkeypatch) -> list[tuple[str, int | None]]:
    """(thread, limit) of every query of a list's ids."""
    seen: list[tuple[str, int | None]] = []
    real = query.ordered_ids_of

    def noted(connection, kind, chosen=None, sort_key=None, descending=False, limit=None):
        seen.append((threading.current_thread().name, limit))
        return real(connection, kind, chosen, sort_key, descending, limit)

    monkeypatch.setattr(query, "ordered_ids_of", noted)
    return seen


def shown_pane(qtbot, project) -> LibraryPane:
    pane = LibraryPane(ProjectDocument(project), "entry")
    qtbot.addWidget(pane)
    pane.resize(600, 500)
    pane.show()
    qtbot.waitExposed(pane)
    return pane


def test_a_keystroke_reads_two_screenfuls_of_ids_before_the_list_repaints(
    qtbot, big_project, asked
) -> None:
    pane = shown_pane(qtbot, big_project)
    asked.clear()
    QTest.keyClicks(pane.filter_bar.search, "Shelling")
    qtbot.waitUntil(lambda: pane.model.list_filter.text == "Shelling")
    shown = pane.table.viewport().height() // pane.table.verticalHeader().defaultSectionSize()
    first = [limit for thread, limit in asked if thread == "MainThread"]
    assert first and all(limit is not None for limit in first)
    assert shown < first[-1] <= 2 * (shown + 3)  # not the hundreds nobody sees
    assert pane.model.rowCount() == first[-1]
    assert pane.count_label.text() == f"{first[-1]:,} timeline entries so far…"
    qtbot.waitUntil(lambda: not pane.model.is_loading, timeout=10_000)
    assert pane.model.rowCount() == ENTRIES
    pane.model.document.close()


def test_scrolling_past_the_first_rows_adds_a_few_screenfuls_never_the_whole_list_here(
    qtbot, big_project, asked, monkeypatch
) -> None:
    monkeypatch.setattr(library_model, "FINISH_AFTER_MS", 60_000)  # no pause in typing
    pane = shown_pane(qtbot, big_project)
    QTest.keyClicks(pane.filter_bar.search, "Shelling")
    qtbot.waitUntil(lambda: pane.model.list_filter.text == "Shelling")
    first = pane.model.rowCount()
    asked.clear()
    pane.table.setFocus()
    QTest.keyClick(pane.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: pane.model.rowCount() > first)
    assert ("MainThread", None) not in asked  # the whole list is read on the worker
    assert ("MainThread", first + library_model.MORE_PAGES * pane.model.page_size) in asked
    qtbot.waitUntil(lambda: not pane.model.is_loading, timeout=10_000)
    assert ("library-ids", None) in asked
    assert pane.model.ids() == query.ordered_ids_of(
        big_project.engine.raw_connection().driver_connection,
        "entry",
        ListFilter(text="Shelling"),
        "local",
        True,
    )
    pane.model.document.close()


def vm_steps(project, text: str, limit: int | None) -> tuple[list[int], int]:
    """A list's ids for ``text`` and the SQLite instructions run to find them."""
    steps = [0]

    def count() -> int:
        steps[0] += 1
        return 0

    connection = project.engine.raw_connection().driver_connection
    connection.set_progress_handler(count, 10)
    try:
        ids = query.ordered_ids_of(connection, "entry", ListFilter(text=text), "local", True, limit)
    finally:
        connection.set_progress_handler(None, 10)
    return ids, steps[0]


@pytest.mark.parametrize("limit", [40, None])
def test_a_rare_word_is_looked_up_not_found_by_walking_every_record(big_project, limit) -> None:
    rare, rare_steps = vm_steps(big_project, "Jermuk", limit)
    absent, absent_steps = vm_steps(big_project, "Zzyzx", limit)
    with big_project.engine.connect() as connection:
        every = query.ordered_ids(connection, "entry", ListFilter(), "local", True)
        places = dict(connection.exec_driver_sql("SELECT id, place FROM timeline_entry").all())
    assert absent == []
    assert rare == [i for i in every if places[i] == "Jermuk"]  # newest first, as before
    # walking the list in its order would test each of its 2,000 records
    assert max(rare_steps, absent_steps) < ENTRIES // 10
