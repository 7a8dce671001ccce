from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QModelIndex, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from briefing.export.markings import MarkingError, export_label
from briefing.gui.composer import ComposerWidget
from briefing.gui.composer.briefing_list import BriefingListModel
from briefing.gui.composer.judgments import JudgmentsModel
from briefing.gui.composer.marking import PAUSE_MS
from briefing.gui.composer.outline_model import OUTLINE_MIME, RECORD_ROLE, OutlineModel
from briefing.gui.document import ProjectDocument
from briefing.gui.library.mime import encode_records
from briefing.model import codec
from briefing.services import briefings, records
from briefing.services.briefing_snapshot import build_snapshot
from briefing.services.demo import uid
from briefing.store import open_project

CLASH, WAR, ARM_MOD_ATTACK, TREATY = 3, 1, 1, 1


@pytest.fixture
def composer(qtbot, demo_project):
    widget = ComposerWidget(ProjectDocument(demo_project))
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def id_of(project, kind: str, slug: str) -> int:
    with project.engine.connect() as connection:
        return codec.ids_for_uuids(connection, codec.table(kind), [uid(slug)])[uid(slug)]


def outline_records(widget: ComposerWidget, section: int) -> list[tuple[str, int]]:
    model = widget.outline_model
    parent = model.index(section, 0)
    found = [model.index(r, 0, parent).data(RECORD_ROLE) for r in range(model.rowCount(parent))]
    return [record for record in found if record is not None]  # a map names no record


def drop(widget: ComposerWidget, wanted, section: int, row: int = -1) -> bool:
    model = widget.outline_model
    return model.dropMimeData(
        encode_records(wanted), Qt.DropAction.CopyAction, row, 0, model.index(section, 0)
    )


def test_item_models_pass_the_model_tester(qtmodeltester, composer) -> None:
    composer.add_records([("party", 1), ("source", 1)], 0)
    for model in (composer.outline_model, composer.judgments_model, composer.briefing_list.model):
        qtmodeltester.check(model, force_py=True)


def test_empty_models_pass_the_model_tester(qtmodeltester, demo_project) -> None:
    document = ProjectDocument(demo_project)
    for model in (OutlineModel(document), JudgmentsModel(document), BriefingListModel()):
        qtmodeltester.check(model, force_py=True)


def test_new_briefing_drop_reorder_undo_and_reopen(qtbot, composer, demo_path) -> None:
    composer.new_briefing()
    assert composer.content.title == briefings.NEW_TITLE
    assert composer.briefing_list.current_id() == composer.briefing_id
    assert drop(composer, [("entry", CLASH), ("statement", ARM_MOD_ATTACK)], 0)
    assert composer.add_records([("relationship", TREATY)], 0)
    three = [("entry", CLASH), ("statement", ARM_MOD_ATTACK), ("relationship", TREATY)]
    assert outline_records(composer, 0) == three
    composer.outline.setCurrentIndex(
        composer.outline_model.index(0, 0, composer.outline_model.index(0, 0))
    )
    composer.move_down_action.trigger()
    composer.move_down_action.trigger()
    reordered = [three[1], three[2], three[0]]
    assert outline_records(composer, 0) == reordered
    assert composer.outline.currentIndex().data(RECORD_ROLE) == three[0]  # selection follows
    stack = composer.document.undo_stack
    stack.undo()
    assert outline_records(composer, 0) == [three[1], three[0], three[2]]
    stack.redo()
    briefing_id = composer.briefing_id
    composer.document.close()
    reopened = open_project(demo_path, "Test analyst")
    try:
        again = ComposerWidget(ProjectDocument(reopened))
        qtbot.addWidget(again)
        again.open_briefing(briefing_id)
        assert outline_records(again, 0) == reordered
    finally:
        reopened.close()


def test_internal_drag_moves_an_item_to_another_section(composer) -> None:
    model = composer.outline_model
    first = model.index(0, 0, model.index(0, 0))  # the clash, in "What happened"
    data = model.mimeData([first])
    assert model.dropMimeData(data, Qt.DropAction.MoveAction, 1, 0, model.index(1, 0))
    assert outline_records(composer, 1)[1] == ("entry", CLASH)
    assert ("entry", CLASH) not in outline_records(composer, 0)


def test_internal_drag_moves_a_section(composer) -> None:
    model = composer.outline_model
    data = model.mimeData([model.index(2, 0)])
    assert model.dropMimeData(data, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert [model.index(r, 0).data() for r in range(3)] == [
        "Alliance context",
        "What happened",
        "What each side says",
    ]


def test_keyboard_shortcut_and_delete_key(qtbot, composer) -> None:
    model = composer.outline_model
    composer.outline.setFocus()
    composer.outline.setCurrentIndex(model.index(1, 0, model.index(0, 0)))
    qtbot.keyClick(composer.outline, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert outline_records(composer, 0) == [("entry", 4), ("entry", CLASH)]
    qtbot.keyClick(composer.outline, Qt.Key.Key_Delete)
    assert outline_records(composer, 0) == [("entry", CLASH)]
    assert records.get_record(composer.document.project, "entry", 4)  # library keeps it


def test_tlp_banner_names_a_stricter_record_when_added(qtbot, composer) -> None:
    document = composer.document
    document.run(lambda p: records.update_record(p, "entry", WAR, {"tlp": "AMBER+STRICT"}))
    assert composer.banner.isHidden()  # not in the briefing, so not printed
    composer.add_records([("entry", WAR)], 2)
    qtbot.waitUntil(composer.banner.isVisible)
    assert "‘Forty-four-day war over Nagorno-Karabakh’ (TLP:AMBER+STRICT)" in composer.banner.text()
    composer.metadata.tlp.setCurrentIndex(composer.metadata.tlp.findData("RED"))
    composer.metadata.tlp.activated.emit(composer.metadata.tlp.currentIndex())
    assert composer.content.tlp == "RED"
    qtbot.waitUntil(composer.banner.isHidden)


@pytest.mark.parametrize(
    ("kind", "slug", "values", "named"),
    [
        ("source", "article", {}, "source ‘"),  # cited by included entries, never an item
        ("party", "turkey", {}, "party ‘Turkey’"),  # a side of an included relationship
        # not included, but printed beside the included statement it contradicts
        ("statement", "arm-mod-positions", {"contradicts": [uid("aze-mod-detained")]}, "lost"),
    ],
)
def test_tlp_banner_agrees_with_what_the_export_refuses(qtbot, composer, kind, slug, values, named):
    project = composer.document.project
    record_id = id_of(project, kind, slug)
    assert (kind, record_id) not in {
        (i.kind, i.record_id) for s in composer.content.sections for i in s.items
    }
    values = {**values, "tlp": "AMBER"}
    composer.document.run(lambda p: records.update_record(p, kind, record_id, values))
    with pytest.raises(MarkingError) as refused:
        export_label(build_snapshot(project, composer.briefing_id))
    qtbot.waitUntil(composer.banner.isVisible)
    assert composer.banner.text() == f"⚠ {refused.value}"
    assert named in composer.banner.text()


def test_the_marking_is_checked_when_the_composer_comes_into_view(qtbot, composer) -> None:
    composer.hide()
    project = composer.document.project
    article = id_of(project, "source", "article")
    composer.document.run(lambda p: records.update_record(p, "source", article, {"tlp": "RED"}))
    qtbot.wait(2 * PAUSE_MS)
    assert composer.marking.pending and composer.banner.text() == ""
    composer.show()
    assert composer.marking.busy  # read a step at a time, the window answering meanwhile
    qtbot.waitUntil(lambda: "TLP:RED" in composer.banner.text())


def test_section_text_commits_once_on_leaving_the_field(qtbot, composer) -> None:
    editor = composer.section_editor
    stack = composer.document.undo_stack
    composer.activateWindow()
    editor.body.setFocus()
    qtbot.waitUntil(lambda: editor.body.editing)
    editor.body.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(editor.body.editor, " Updated.")
    assert stack.count() == 0
    composer.outline.setFocus()
    qtbot.waitUntil(lambda: stack.count() == 1)
    assert composer.content.sections[0].body.endswith(" Updated.")
    stack.undo()
    assert not composer.content.sections[0].body.endswith(" Updated.")
    assert not editor.body.toPlainText().endswith(" Updated.")


def test_heading_renamed_in_the_outline(composer) -> None:
    model = composer.outline_model
    assert model.setData(model.index(0, 0), "Events")
    assert composer.content.sections[0].heading == "Events"
    assert composer.section_editor.heading.text() == "Events"


def test_judgment_cells_edit_one_field(composer) -> None:
    model = composer.judgments_model
    assert model.index(0, 1).data() == "likely (probable, 55–80 %)"
    assert model.setData(model.index(0, 2), "high")
    assert [j.confidence for j in composer.content.judgments] == ["high", "low"]
    assert model.setData(model.index(1, 1), "very unlikely")
    assert composer.content.judgments[1].likelihood == "very unlikely"
    composer.add_judgment()
    assert model.rowCount() == 3


def test_library_correction_shows_in_the_outline(composer) -> None:
    document = composer.document
    document.run(lambda p: records.update_record(p, "entry", CLASH, {"title": "Corrected"}))
    model = composer.outline_model
    assert model.index(0, 0, model.index(0, 0)).data() == "Corrected"


@pytest.mark.parametrize(("answer", "left"), [("Cancel", 1), ("Yes", 0)])
def test_delete_briefing_asks_first(composer, monkeypatch, answer, left) -> None:
    button = getattr(QMessageBox.StandardButton, answer)
    monkeypatch.setattr(QMessageBox, "question", lambda *args: button)
    composer.delete_briefing()
    assert composer.briefing_list.model.rowCount() == left
    assert (composer.content is None) == (left == 0)


def test_adding_without_a_briefing_says_why(qtbot, composer, monkeypatch) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    composer.delete_briefing()
    with qtbot.waitSignal(composer.document.failed) as signal:
        assert composer.add_records([("entry", CLASH)]) is None
    assert "create a briefing" in signal.args[0]


def test_read_only_project_refuses_drops(qtbot, demo_path) -> None:
    project = open_project(demo_path, "Test analyst", read_only=True)
    try:
        widget = ComposerWidget(ProjectDocument(project))
        qtbot.addWidget(widget)
        assert not drop(widget, [("entry", WAR)], 0)
        assert widget.metadata.title.isReadOnly()
    finally:
        project.close()


@pytest.fixture
def window(qtbot, monkeypatch, demo_path):
    from briefing.gui import dialogs
    from briefing.gui.main_window import MainWindow
    from briefing.gui.settings import AppSettings

    monkeypatch.setattr(dialogs, "ask_analyst_name", lambda parent: "Anna Analyst")
    monkeypatch.setattr(dialogs, "show_failure", lambda parent, message: None)
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    assert window.open_path(demo_path)
    return window


def test_window_has_the_workspaces_and_adds_library_records(window) -> None:
    titles = [window.workspace.tabText(i) for i in range(window.workspace.count())]
    assert {"Briefing", "Contradictions", "Timeline Chart", "Alliance Diagram"} <= set(titles)
    composer = window.composer
    composer.new_briefing()
    window.library.select_record("party", 10)  # Turkey
    window.add_to_briefing_action.trigger()
    pane = window.library.show_kind("entry")
    row = pane.model.row_of(CLASH)
    data = pane.model.mimeData([pane.model.index(row, 0)])  # what a drag from the library carries
    model = composer.outline_model
    assert model.dropMimeData(data, Qt.DropAction.CopyAction, -1, 0, model.index(0, 0))
    assert outline_records(composer, 0) == [("party", 10), ("entry", CLASH)]


def test_window_selection_reaches_the_contradictions_view(window) -> None:
    from briefing.gui.contradictions import ContradictionsView

    view = window.workspace.built(ContradictionsView)
    window.show_record("statement", 4)
    assert view.view is not None and view.view.entry_id == CLASH


@pytest.mark.parametrize(("width", "narrow"), [(1000, False), (420, True)])
def test_a_narrow_composer_shows_its_halves_as_tabs(qtbot, composer, width, narrow) -> None:
    composer.resize(width, 700)
    qtbot.waitUntil(lambda: composer.panes.narrow is narrow)
    assert (composer.panes.currentWidget() is composer.panes.tabs) is narrow
    if narrow:
        composer.panes.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: composer.outline.isColumnHidden(1) is narrow)  # details: tooltip


def test_as_of_is_entered_in_the_chosen_zone_and_stored_in_utc(composer) -> None:
    from datetime import UTC, datetime

    from PySide6.QtCore import QDate, QDateTime, QTime, QTimeZone

    form = composer.metadata
    assert form.utc.text().startswith("18:00 UTC, 16 Nov 2021")  # 22:00 in Yerevan
    form.zone.setCurrentText("Asia/Baku")
    form.zone.lineEdit().editingFinished.emit()
    assert composer.content.zone == "Asia/Baku"
    assert composer.content.as_of == datetime(2021, 11, 16, 18, 0, tzinfo=UTC)  # the same instant
    wall = QDateTime(QDate(2021, 11, 17), QTime(9, 30), QTimeZone.utc())
    form.as_of.setDateTime(wall)  # 09:30 in Baku
    form.as_of.editingFinished.emit()
    assert composer.content.as_of == datetime(2021, 11, 17, 5, 30, tzinfo=UTC)
    assert form.utc.text().endswith("170530Z NOV 21")
    assert composer.document.undo_stack.count() == 2


def test_the_bottom_line_reads_formatted_and_is_edited_as_markdown(qtbot, composer) -> None:
    bluf = composer.bluf
    stack = composer.document.undo_stack
    assert "**" in composer.content.bluf
    assert not bluf.editing and "**" not in bluf.formatted_text()
    assert "11:00 Baku time" in bluf.formatted_text()
    composer.activateWindow()
    qtbot.waitUntil(composer.isActiveWindow)
    composer.metadata.status.setFocus()
    QTest.keyClick(composer.metadata.status, Qt.Key.Key_Tab)  # Tab into the bottom line
    qtbot.waitUntil(lambda: bluf.editing)
    assert bluf.editor.hasFocus() and "**" in bluf.editor.toPlainText()
    bluf.editor.moveCursor(QTextCursor.MoveOperation.End)
    QTest.keyClicks(bluf.editor, " *Unconfirmed* by third parties.")
    QTest.keyClick(bluf.editor, Qt.Key.Key_Tab)  # leaving saves and shows it formatted
    qtbot.waitUntil(lambda: not bluf.editing)
    assert stack.count() == 1
    assert composer.content.bluf.endswith(" *Unconfirmed* by third parties.")
    assert bluf.formatted_text().endswith("Unconfirmed by third parties.")


def hostile_outline_drops(briefing_id: int) -> list[bytes]:
    """What another program may put under our outline's type, naming the open briefing."""
    head = f'{{"briefing": {briefing_id}, '
    return [
        (head + '"sections": ["x"]}').encode(),
        (head + '"sections": [1e999]}').encode(),
        (head + '"sections": [100000000000000000000000000000]}').encode(),
        (head + '"sections": [], "items": [[0, 0, 0]]}').encode(),
        (head + '"sections": [], "items": 5}').encode(),
        (head + '"sections": [], "items": [[0, true]]}').encode(),
        (head + '"sections": [0], "sections": [1]}').encode(),
        (head + '"sections": ' + "[" * 5000 + "]" * 5000 + "}").encode(),
    ]


def test_a_drop_from_another_program_under_our_outline_type_does_nothing(composer) -> None:
    model = composer.outline_model
    before = [outline_records(composer, s) for s in range(3)]
    for payload in hostile_outline_drops(composer.briefing_id):
        data = QMimeData()
        data.setData(OUTLINE_MIME, payload)
        assert not model.canDropMimeData(data, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
        assert not model.dropMimeData(data, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert [outline_records(composer, s) for s in range(3)] == before
    assert not composer.document.undo_stack.count()
