"""Whole workflows through the real main window, as an analyst would go through them."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

from briefing.gui.composer import ComposerWidget
from briefing.gui.composer.outline_model import RECORD_ROLE
from briefing.gui.contradictions import ContradictionsView
from briefing.gui.dialogs import LockChoice
from briefing.gui.main_window import MainWindow
from briefing.gui.settings import AppSettings
from briefing.gui.sharing import ask
from briefing.gui.sharing.editions_panel import EditionsPanel
from briefing.gui.window_layout import INSPECTOR_MIN_WIDTH, LIBRARY_MIN_WIDTH, default_dock_widths
from briefing.model import codec
from briefing.services import briefings, records
from briefing.services.demo import uid
from briefing.store.lock import lock_path

CLASH_TITLE = "Clashes on the Armenia–Azerbaijan border"


@pytest.fixture
def window(qtbot, answers):
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


def id_of(window: MainWindow, kind: str, slug: str) -> int:
    with window.document.project.engine.connect() as connection:
        return codec.ids_for_uuids(connection, codec.table(kind), [uid(slug)])[uid(slug)]


def composer_of(window: MainWindow) -> ComposerWidget:
    composer = window.composer
    assert composer is not None
    return composer


def outline_items(composer: ComposerWidget, section: int = 0) -> list[tuple[str, int]]:
    model = composer.outline_model
    parent = model.index(section, 0)
    return [model.index(r, 0, parent).data(RECORD_ROLE) for r in range(model.rowCount(parent))]


def drag_from_library(window: MainWindow, kind: str, record_id: int) -> QMimeData:
    """What dragging a library row carries: the library model's own mime data."""
    assert window.library is not None
    pane = window.library.show_kind(kind)
    row = pane.model.row_of(record_id)
    assert row is not None
    return pane.model.mimeData([pane.model.index(row, 0)])


def drop_on_outline(composer: ComposerWidget, data: QMimeData, section: int = 0) -> None:
    """Drag over a section row of the outline and release there, as the view receives it."""
    composer.panes.tabs.setCurrentIndex(1)  # in a narrow composer the outline is a tab
    view = composer.outline
    where = view.visualRect(composer.outline_model.index(section, 0)).center()
    copy, left, none = Qt.DropAction.CopyAction, Qt.MouseButton.LeftButton, Qt.KeyboardModifier(0)
    enter = QDragEnterEvent(where, copy, data, left, none)
    QApplication.sendEvent(view.viewport(), enter)
    move = QDragMoveEvent(where, copy, data, left, none)
    QApplication.sendEvent(view.viewport(), move)
    assert move.isAccepted()
    QApplication.sendEvent(view.viewport(), QDropEvent(QPointF(where), copy, data, left, none))


def hold_lock(path: Path, analyst: str = "Boris") -> None:
    lock_path(path).write_text(
        json.dumps(
            {"analyst": analyst, "host": "elsewhere-" + socket.gethostname(), "pid": 1,
             "since": "2021-11-16T08:00:00+00:00"}
        ),
        encoding="utf-8",
    )  # fmt: skip


# ---------------------------------------------------------------------------- issue 3, end to end


def test_an_analysts_day_through_the_window(qtbot, window, answers, demo_path, tmp_path) -> None:
    # Open the demo.
    assert window.open_path(demo_path)
    library = window.library
    assert library is not None and window.inspector is not None
    # Filter the timeline.
    pane = library.show_kind("entry")
    qtbot.keyClicks(pane.filter_bar.search, "border")
    qtbot.waitUntil(lambda: pane.model.rowCount() == 2)
    clash = id_of(window, "entry", "clash")
    assert clash in pane.model.ids()
    # Edit a field in the inspector, then undo it.
    pane.select_record(clash)
    title = window.inspector.forms["entry"].field_for("title").edit
    title.setText("Clashes near Jermuk")
    title.editingFinished.emit()
    assert window.document.record("entry", clash)["title"] == "Clashes near Jermuk"
    window.undo_action.trigger()
    assert window.document.record("entry", clash)["title"] == CLASH_TITLE
    assert title.text() == CLASH_TITLE
    # Create a briefing with the composer's button.
    composer = composer_of(window)
    before = len(briefings.list_briefings(window.document.project))
    qtbot.mouseClick(composer.briefing_list.new, Qt.MouseButton.LeftButton)
    briefing_id = composer.briefing_id
    assert len(briefings.list_briefings(window.document.project)) == before + 1
    # Drag three records of different kinds from the library into its section.
    wanted = [
        ("entry", clash),
        ("statement", id_of(window, "statement", "grigoryan-request")),
        ("relationship", id_of(window, "relationship", "treaty-1997")),
    ]
    for kind, record_id in wanted:
        drop_on_outline(composer, drag_from_library(window, kind, record_id))
    assert outline_items(composer) == wanted
    # Reorder them: the treaty first, by keyboard, twice up.
    view = composer.outline
    window.activateWindow()
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    view.setCurrentIndex(composer.outline_model.index(2, 0, composer.outline_model.index(0, 0)))
    for _ in range(2):
        qtbot.keyClick(view, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    reordered = [wanted[2], wanted[0], wanted[1]]
    assert outline_items(composer) == reordered
    # Close and reopen: all still there.
    window.close_project()
    assert window.open_path(demo_path)
    composer = composer_of(window)
    composer.open_briefing(briefing_id)
    assert outline_items(composer) == reordered
    # A refused file: one sentence in a dialog, and the open project stays.
    bad = tmp_path / "not-a-project.brief"
    bad.write_bytes(b"<html>not a database</html>" * 40)
    assert not window.open_path(bad)
    assert "is not a Conflict Briefing project" in answers.seen["refusal"][0]
    assert window.document is not None and window.document.project.path == demo_path
    # Read-only: the lock of another analyst, opened read-only.
    window.close_project()
    hold_lock(demo_path)
    answers.lock = LockChoice.READ_ONLY
    assert window.open_path(demo_path)
    assert window.document.read_only and window.read_only_notice.bar.isVisible()
    assert "Boris" in window.banner.text() and "[read-only]" in window.windowTitle()


def test_selecting_an_outline_item_shows_it_in_the_inspector_and_the_views(
    qtbot, window, demo_path
) -> None:
    window.open_path(demo_path)
    composer = composer_of(window)
    contradictions = window.workspace.built(ContradictionsView)
    assert contradictions is not None
    model = composer.outline_model
    said = model.index(0, 0, model.index(1, 0))  # a statement under "What each side says"
    kind, record_id = said.data(RECORD_ROLE)
    library_before = window.library.current_kind
    composer.outline.setCurrentIndex(said)
    assert window.inspector.current == (kind, record_id) == ("statement", record_id)
    assert contradictions.view is not None
    assert contradictions.view.entry_id == id_of(window, "entry", "clash")
    assert window.library.current_kind == library_before  # the library stays where it was
    # An edit that refreshes the outline does not pull the inspector back to the outline.
    party = id_of(window, "party", "turkey")
    window.library.select_record("party", party)
    window.document.run(lambda p: records.update_record(p, "statement", record_id, {"tags": "x"}))
    assert window.inspector.current == ("party", party)


# ---------------------------------------------------------------------------- read-only


EDITORS = (QLineEdit, QAbstractSpinBox, QTextEdit, QPlainTextEdit)
NAVIGATION = {"qt_tableview_cornerbutton"}
"""Buttons that only select or scroll (a tab bar's arrows are left out too)."""
CONTROLS = (QAbstractButton, QComboBox)


def still_editable(root: QWidget) -> list[str]:
    """Shown widgets that would still take an edit: enabled and not read-only."""
    found = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or not widget.isEnabled():
            continue
        if isinstance(widget.parent(), QTabBar) or widget.objectName() in NAVIGATION:
            continue
        editable = isinstance(widget, CONTROLS) or (
            isinstance(widget, EDITORS) and not widget.isReadOnly()
        )
        if editable:
            name = widget.objectName() or getattr(widget, "text", lambda: "")()
            found.append(f"{type(widget).__name__} {name!r}")
    return found


def open_read_only(window: MainWindow, answers, demo_path: Path) -> None:
    hold_lock(demo_path)
    answers.lock = LockChoice.READ_ONLY
    assert window.open_path(demo_path)
    assert window.document.read_only


def test_read_only_is_plain_across_the_whole_window(qtbot, window, answers, demo_path) -> None:
    open_read_only(window, answers, demo_path)
    bar = window.read_only_notice.bar
    assert bar.isVisible() and "Boris" in window.banner.text()
    assert bar.width() >= window.width() - 2  # above the library, workspace and inspector
    assert bar.geometry().bottom() < window.library_dock.geometry().top()
    assert window.read_only_notice.badge.isVisible()
    assert "[read-only]" in window.windowTitle()
    window.close_project()
    assert not bar.isVisible() and not window.read_only_notice.badge.isVisible()


def test_read_only_disables_every_edit(qtbot, window, answers, demo_path) -> None:
    open_read_only(window, answers, demo_path)
    disabled = [
        window.add_to_briefing_action,
        window.sharing.merge_action,
        window.sharing.import_action,
        window.records.delete_action,
        *window.records.new_actions,
    ]
    assert not any(action.isEnabled() for action in disabled)
    kept = [window.export_pdf_action, window.save_as_action, window.sharing.share_action]
    assert all(action.isEnabled() for action in kept)
    composer = composer_of(window)
    for narrow in (1, 0):  # both halves of a narrow composer
        composer.panes.tabs.setCurrentIndex(narrow)
        assert still_editable(composer) == []
    for kind, slug in [("entry", "clash"), ("statement", "grigoryan-request"),
                       ("relationship", "treaty-1997"), ("party", "turkey"),
                       ("source", "article")]:  # fmt: skip
        window.show_record(kind, id_of(window, kind, slug))
        assert window.inspector.current[0] == kind
        assert still_editable(window.inspector) == [], kind
    index = next(
        i for i in range(window.workspace.count()) if window.workspace.tabText(i) == "Editions"
    )
    window.workspace.setCurrentIndex(index)
    editions = window.workspace.built(EditionsPanel)
    assert editions is not None and not editions.freeze_button.isEnabled()


def test_read_only_refuses_with_one_sentence(qtbot, window, answers, demo_path, monkeypatch):
    refused: list[str] = []
    monkeypatch.setattr(ask, "show_refusal", lambda parent, title, message: refused.append(message))
    open_read_only(window, answers, demo_path)
    window.sharing.merge_project()
    window.sharing.import_acled()
    assert refused == [
        "demo.brief is open read-only; nothing was changed.",
        "demo.brief is open read-only; nothing was imported.",
    ]
    composer = composer_of(window)
    data = drag_from_library(window, "party", id_of(window, "party", "turkey"))
    model = composer.outline_model
    assert not model.canDropMimeData(data, Qt.DropAction.CopyAction, -1, 0, model.index(0, 0))
    assert composer.new_briefing() is None
    assert answers.seen["failure"] == ["demo.brief is open read-only; nothing was changed."]
    assert window.document.undo_stack.count() == 0


# ---------------------------------------------------------------------------- room


@pytest.mark.parametrize(("width", "height"), [(1200, 800), (1600, 1000)])
def test_every_pane_fits_the_window(qtbot, answers, demo_path, width, height) -> None:
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    window.resize(width, height)
    window.show()
    window.open_path(demo_path)
    library, inspector = default_dock_widths(width)
    assert library + inspector <= width * 0.6  # the workspace keeps the larger part
    for index in range(window.workspace.count()):  # every tab, built and shown
        window.workspace.setCurrentIndex(index)
        qtbot.wait(10)
        assert window.width() == width, window.workspace.tabText(index)
        assert window.library_dock.width() >= LIBRARY_MIN_WIDTH
        assert window.inspector_dock.width() >= INSPECTOR_MIN_WIDTH
    assert abs(window.library_dock.width() - library) <= 12
    assert abs(window.inspector_dock.width() - inspector) <= 12
    tabs = window.library.tabBar()
    assert tabs.sizeHint().width() <= window.library.width()  # all five lists, no arrows


def test_the_docks_come_back_as_left_not_squeezed(qtbot, answers, demo_path) -> None:
    first = MainWindow(AppSettings())
    qtbot.addWidget(first)
    first.resize(1400, 900)
    first.show()
    first.open_path(demo_path)
    first.resizeDocks([first.inspector_dock], [440], Qt.Orientation.Horizontal)
    qtbot.waitUntil(lambda: first.inspector_dock.width() > 420)
    first.close()  # the docks are saved while shown, before closing hides them
    second = MainWindow(AppSettings())
    qtbot.addWidget(second)
    second.resize(1400, 900)
    second.show()
    second.open_path(demo_path)
    assert second.library_dock.isVisible() and second.inspector_dock.isVisible()
    qtbot.waitUntil(lambda: second.inspector_dock.width() > 420)
