"""The window refuses an edit to a record someone else changed since, and offers to reload."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from briefing.gui.main_window import MainWindow
from briefing.gui.settings import AppSettings
from briefing.model import codec
from briefing.services import records
from briefing.services.demo import uid
from briefing.services.stamps import stamp_of
from briefing.store import open_project

ORIGINAL = "Clashes on the Armenia–Azerbaijan border"


@pytest.fixture
def window(qtbot, answers):
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    return window


def _clash(project) -> int:
    with project.engine.connect() as connection:
        return codec.ids_for_uuids(connection, codec.table("entry"), [uid("clash")])[uid("clash")]


def _answer(qtbot, button_text: str, seen: list[str]) -> None:
    """Press ``button_text`` in the message box once it shows, noting its text."""

    def press() -> None:
        shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        box = next((w for w in shown if isinstance(w, QMessageBox)), None)
        if box is None:
            QTimer.singleShot(20, press)
            return
        seen.append(box.text())
        button = next(b for b in box.buttons() if b.text().replace("&", "") == button_text)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, press)


def _type_title(qtbot, window: MainWindow, text: str) -> None:
    edit = window.inspector.forms["entry"].field_for("title").edit
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def test_an_edit_to_a_record_changed_elsewhere_is_refused_and_reload_shows_theirs(
    qtbot, window, demo_path
) -> None:
    assert window.open_path(demo_path)
    window.document._watch.stop()  # the other editor's change is not yet seen
    clash = _clash(window.document.project)
    window.library.show_kind("entry").select_record(clash)
    qtbot.waitUntil(lambda: window.inspector.current == ("entry", clash))
    with open_project(demo_path, "Bob", take_over=True) as bob:
        seen_by_bob = records.get_record(bob, "entry", clash)
        records.update_record(bob, "entry", clash, {"title": "Bob's title"}, stamp_of(seen_by_bob))
    said: list[str] = []
    _answer(qtbot, "Reload", said)
    _type_title(qtbot, window, "Ann's title")
    qtbot.waitUntil(lambda: bool(said))
    assert said[0].startswith("Bob changed that timeline entry at ")
    assert "nothing was saved" in said[0]
    assert records.get_record(window.document.project, "entry", clash)["title"] == "Bob's title"
    title = window.inspector.forms["entry"].field_for("title").edit
    qtbot.waitUntil(lambda: title.text() == "Bob's title")
    assert window.document.undo_stack.count() == 0


def test_undo_is_refused_once_someone_else_changed_the_record(qtbot, window, demo_path) -> None:
    assert window.open_path(demo_path)
    window.document._watch.stop()
    clash = _clash(window.document.project)
    window.library.show_kind("entry").select_record(clash)
    qtbot.waitUntil(lambda: window.inspector.current == ("entry", clash))
    _type_title(qtbot, window, "Ann's title")
    assert window.document.undo_stack.count() == 1
    with open_project(demo_path, "Bob", take_over=True) as bob:
        seen_by_bob = records.get_record(bob, "entry", clash)
        records.update_record(bob, "entry", clash, {"place": "Sotk"}, stamp_of(seen_by_bob))
    said: list[str] = []
    _answer(qtbot, "Keep Editing", said)
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: bool(said))
    assert said[0].startswith("Bob changed that timeline entry")
    now = records.get_record(window.document.project, "entry", clash)
    assert (now["title"], now["place"]) == ("Ann's title", "Sotk")
    assert ORIGINAL != now["title"]
