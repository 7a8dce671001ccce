"""The window refuses an edit to a record someone else changed since, and offers to reload."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QTextCursor
from PySide6.QtWidgets import QApplication, QMessageBox

from briefing.gui.composer.composer import ComposerWidget
from briefing.gui.document import ProjectDocument
from briefing.gui.main_window import MainWindow
from briefing.gui.pictures.map_widget import MapWidget
from briefing.gui.settings import AppSettings
from briefing.model import codec
from briefing.services import briefings, records
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


def test_deleting_a_record_changed_elsewhere_is_refused_and_reload_shows_theirs(
    qtbot, window, demo_path
) -> None:
    assert window.open_path(demo_path)
    window.document._watch.stop()
    clash = _clash(window.document.project)
    window.library.show_kind("entry").select_record(clash)
    qtbot.waitUntil(lambda: window.inspector.current == ("entry", clash))
    with open_project(demo_path, "Bob", take_over=True) as bob:
        seen_by_bob = records.get_record(bob, "entry", clash)
        records.update_record(bob, "entry", clash, {"place": "Sotk"}, stamp_of(seen_by_bob))
    said: list[str] = []
    _answer(qtbot, "Reload", said)
    window.inspector.forms["entry"].delete_button.click()
    qtbot.waitUntil(lambda: bool(said))
    assert said[0].startswith("Bob changed that timeline entry at ")
    assert records.get_record(window.document.project, "entry", clash)["place"] == "Sotk"
    place = window.inspector.forms["entry"].field_for("place").edit
    qtbot.waitUntil(lambda: place.text() == "Sotk")
    assert window.document.undo_stack.count() == 0


def _document(qtbot, demo_path) -> ProjectDocument:
    document = ProjectDocument(open_project(demo_path, "Ann"))
    document._watch.stop()  # the other editor's change is not yet seen
    return document


def test_section_text_typed_while_a_colleague_changed_the_briefing_is_refused(
    qtbot, demo_path
) -> None:
    document = _document(qtbot, demo_path)
    composer = ComposerWidget(document)
    qtbot.addWidget(composer)
    composer.resize(1000, 700)
    composer.show()
    qtbot.waitExposed(composer)
    refused: list[str] = []
    document.stale.connect(lambda error: refused.append(str(error)))
    QGuiApplication.clipboard().setText("")
    editor = composer.section_editor
    composer.activateWindow()
    editor.body.setFocus()
    qtbot.waitUntil(lambda: editor.body.editing)
    editor.body.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(editor.body.editor, " Ann's words.")
    briefing_id, section = composer.briefing_id, composer.content.sections[0].uuid
    with open_project(demo_path, "Bob", take_over=True) as bob:
        briefings.edit_section(bob, briefing_id, section, body="Bob's words.")
    composer.refresh()  # the notice came while Ann typed: her text stays, as begun
    assert editor.body.toPlainText().endswith(" Ann's words.")
    composer.outline.setFocus()
    qtbot.waitUntil(lambda: bool(refused))
    assert refused[0].startswith("Bob changed that briefing at ")
    stored = records.get_record(document.project, "briefing", briefing_id)
    assert stored["sections"][0]["body"] == "Bob's words."
    assert editor.body.toPlainText() == "Bob's words."  # what is stored, as a refused field does
    assert QGuiApplication.clipboard().text().endswith(" Ann's words.")  # hers, not lost
    assert document.undo_stack.count() == 0
    document.close()


def test_a_map_click_after_a_colleague_moved_the_entry_is_refused(qtbot, demo_path) -> None:
    document = _document(qtbot, demo_path)
    clash = _clash(document.project)
    map_tab = MapWidget(document)
    qtbot.addWidget(map_tab)
    map_tab.resize(1100, 750)
    map_tab.show()
    qtbot.waitExposed(map_tab)
    refused: list[str] = []
    document.stale.connect(lambda error: refused.append(str(error)))
    map_tab.show_record("entry", clash)
    map_tab.place_action.trigger()
    with open_project(demo_path, "Bob", take_over=True) as bob:
        seen_by_bob = records.get_record(bob, "entry", clash)
        moved = {"latitude": 40.25, "longitude": 45.25}
        records.update_record(bob, "entry", clash, moved, stamp_of(seen_by_bob))
    view = map_tab.map
    point = view.viewport().rect().center() + QPoint(40, -30)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert refused and refused[0].startswith("Bob changed that timeline entry at ")
    stored = records.get_record(document.project, "entry", clash)
    assert (stored["latitude"], stored["longitude"]) == (40.25, 45.25)
    document.close()


def test_records_dropped_on_the_outline_save_the_text_being_typed_first(qtbot, demo_path) -> None:
    """The drop is not refused by the analyst's own pending save, and the text is kept."""
    document = _document(qtbot, demo_path)
    composer = ComposerWidget(document)
    qtbot.addWidget(composer)
    composer.resize(1000, 700)
    composer.show()
    qtbot.waitExposed(composer)
    refused: list[str] = []
    document.stale.connect(lambda error: refused.append(str(error)))
    document.failed.connect(refused.append)
    editor = composer.section_editor
    composer.activateWindow()
    editor.body.setFocus()
    qtbot.waitUntil(lambda: editor.body.editing)
    editor.body.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(editor.body.editor, " Typed before the drop.")
    before = len(composer.content.sections[0].items)
    with document.project.engine.connect() as connection:
        party = connection.exec_driver_sql("SELECT min(id) FROM party").scalar()
    added = composer.outline_model.add_records([("party", party)], 0)
    assert refused == [] and added
    stored = records.get_record(document.project, "briefing", composer.briefing_id)
    assert stored["sections"][0]["body"].endswith(" Typed before the drop.")
    assert len(composer.content.sections[0].items) == before + 1
    document.close()
