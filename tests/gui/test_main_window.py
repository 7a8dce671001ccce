from __future__ import annotations

import json
import os
import socket
import sqlite3
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QLabel, QMenu

from briefing.cli import build_parser
from briefing.errors import RecordError
from briefing.gui import app as gui_app
from briefing.gui.dialogs import LockChoice
from briefing.gui.main_window import MainWindow
from briefing.gui.settings import AppSettings, demo_path
from briefing.model import codec
from briefing.services import records
from briefing.services.demo import uid
from briefing.store.lock import lock_path


@pytest.fixture
def window(qtbot, answers):
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    return window


def id_of(project, kind: str, slug: str) -> int:
    with project.engine.connect() as connection:
        return codec.ids_for_uuids(connection, codec.table(kind), [uid(slug)])[uid(slug)]


def title_of(window: MainWindow, kind: str, record_id: int) -> str:
    return records.get_record(window.document.project, kind, record_id)["title"]


def test_opens_the_demo_with_library_inspector_and_workspace(qtbot, window, demo_path) -> None:
    assert window.open_path(demo_path)
    assert "demo.brief" in window.windowTitle()
    assert "[read-only]" not in window.windowTitle()
    counts = {k: p.model.rowCount() for k, p in window.library.panes.items()}
    assert counts == {"entry": 5, "statement": 6, "relationship": 6, "party": 11, "source": 6}
    assert [window.library.tabText(i) for i in range(5)] == [
        "Timeline", "Statements", "Context", "Parties", "Sources"
    ]  # fmt: skip
    assert window.findChild(type(window.workspace), "workspace") is window.workspace
    qtbot.waitUntil(lambda: window.inspector.current is not None)
    assert window.inspector.current[0] == "entry"
    assert window.saved_label.text() == "All changes saved"
    assert not window.banner.isVisible()


def test_filter_edit_and_undo_through_the_window(qtbot, window, demo_path) -> None:
    window.open_path(demo_path)
    pane = window.library.show_kind("entry")
    qtbot.keyClicks(pane.filter_bar.search, "border")
    qtbot.waitUntil(lambda: pane.model.rowCount() == 2)
    pane.filter_bar.status.setCurrentIndex(pane.filter_bar.status.findData("disputed"))
    pane.filter_bar.status.activated.emit(pane.filter_bar.status.currentIndex())
    clash = id_of(window.document.project, "entry", "clash")
    assert pane.model.ids() == [clash]
    pane.select_record(clash)
    assert window.inspector.current == ("entry", clash)
    title = window.inspector.forms["entry"].field_for("title").edit
    title.setText("Clashes near Jermuk")
    title.editingFinished.emit()
    assert title_of(window, "entry", clash) == "Clashes near Jermuk"
    assert pane.model.data(pane.model.index(0, 2)) == "Clashes near Jermuk"
    assert "Edit timeline entry title" in window.saved_label.text()
    assert window.undo_action.isEnabled()
    window.undo_action.trigger()
    assert title_of(window, "entry", clash) == "Clashes on the Armenia–Azerbaijan border"
    assert title.text() == "Clashes on the Armenia–Azerbaijan border"
    window.redo_action.trigger()
    assert title_of(window, "entry", clash) == "Clashes near Jermuk"


def test_create_and_delete_records_with_undo(qtbot, window, answers, demo_path) -> None:
    window.open_path(demo_path)
    window.library.show_kind("party")
    party = window.records.create("party")
    assert window.inspector.current == ("party", party)
    assert window.library.current_pane().current_id() == party
    assert window.library.panes["party"].model.rowCount() == 12
    window.records.delete_action.trigger()
    assert window.document.record("party", party) is None
    assert window.library.panes["party"].model.rowCount() == 11
    assert "confirm" not in answers.seen  # not used in a briefing: no question
    window.undo_action.trigger()
    assert window.document.record("party", party)["name"] == "OSCE Minsk Group"  # as typed
    window.undo_action.trigger()  # and the creation
    assert window.document.record("party", party) is None


@pytest.mark.parametrize("confirm", [False, True])
def test_deleting_a_record_used_in_a_briefing_asks(window, answers, demo_path, confirm) -> None:
    window.open_path(demo_path)
    answers.confirm = confirm
    clash = id_of(window.document.project, "entry", "clash")
    window.library.select_record("entry", clash)
    window.records.delete_action.trigger()
    assert "used in 1 briefing" in answers.seen["confirm"][0]
    assert (window.document.record("entry", clash) is None) is confirm


def test_every_list_kind_can_be_created(window, demo_path, monkeypatch) -> None:
    from briefing.gui import dialogs

    monkeypatch.setattr(dialogs, "ask_two_parties", lambda p, c: (c[0][0], c[1][0]))
    monkeypatch.setattr(dialogs, "ask_statement_quote", lambda p: "We did not fire first.")
    window.open_path(demo_path)
    for kind in ("entry", "statement", "relationship", "source"):
        record_id = window.records.create(kind)
        assert window.inspector.current == (kind, record_id)
    assert window.document.undo_stack.count() == 4


def test_close_and_reopen_keeps_everything(qtbot, window, demo_path) -> None:
    window.open_path(demo_path)
    clash = id_of(window.document.project, "entry", "clash")
    window.document.run(lambda p: records.update_record(p, "entry", clash, {"place": "Jermuk"}))
    window.close_project()
    assert window.document is None
    assert window.central_stack.currentWidget() is window.start_page
    assert not lock_path(demo_path).exists()
    assert window.settings.recent_files()[0] == demo_path.resolve()
    assert window.open_path(demo_path)
    assert window.document.record("entry", clash)["place"] == "Jermuk"


def test_closing_the_window_never_asks_and_releases_the_file(qtbot, answers, demo_path) -> None:
    window = MainWindow(AppSettings())
    window.open_path(demo_path)
    window.document.run(
        lambda p: records.update_record(p, "party", 1, {"description": "Edited last"})
    )
    assert window.close()
    assert not lock_path(demo_path).exists()
    assert answers.seen == {}
    again = MainWindow(AppSettings())
    qtbot.addWidget(again)
    again.open_path(demo_path)
    assert again.document.record("party", 1)["description"] == "Edited last"


@pytest.mark.parametrize(
    ("content", "sentence"),
    [
        (b"not a database at all" * 10, "is not a Conflict Briefing project"),
        (b"", "is not a Conflict Briefing project"),
    ],
)
def test_a_refused_file_says_why_and_the_window_stays_usable(
    window, answers, demo_path, tmp_path, content, sentence
) -> None:
    window.open_path(demo_path)
    bad = tmp_path / "bad.brief"
    bad.write_bytes(content)
    assert not window.open_path(bad)
    assert sentence in answers.seen["refusal"][0]
    assert window.document is not None and window.document.project.path == demo_path
    assert window.library.panes["entry"].model.rowCount() == 5


def test_missing_file_is_refused_and_forgotten(window, answers, tmp_path) -> None:
    missing = tmp_path / "gone.brief"
    window.settings.add_recent(missing)
    assert not window.open_path(missing)
    assert "does not exist" in answers.seen["refusal"][0]
    assert missing.resolve() not in window.settings.recent_files()


def assert_read_only(window: MainWindow, reason: str) -> None:
    assert "[read-only]" in window.windowTitle()
    assert window.banner.isVisible()
    assert reason in window.banner.text()
    assert not any(a.isEnabled() for a in window.records.new_actions)
    assert not window.records.delete_action.isEnabled()
    assert window.inspector.forms["entry"].field_for("title").edit.isReadOnly()


def test_read_only_file(qtbot, window, demo_path) -> None:
    os.chmod(demo_path, 0o444)
    try:
        assert window.open_path(demo_path)
        qtbot.waitUntil(lambda: window.inspector.current is not None)
        assert_read_only(window, "cannot be written")
        assert window.saved_label.text() == "Changes cannot be saved"
    finally:
        os.chmod(demo_path, 0o644)


def hold_lock(path: Path) -> None:
    lock_path(path).write_text(
        json.dumps(
            {"analyst": "Boris", "host": "elsewhere-" + socket.gethostname(), "pid": 1,
             "since": "2021-11-16T08:00:00+00:00"}
        ),
        encoding="utf-8",
    )  # fmt: skip


def test_lock_held_by_another_analyst_opens_read_only(qtbot, window, answers, demo_path) -> None:
    hold_lock(demo_path)
    answers.lock = LockChoice.READ_ONLY
    assert window.open_path(demo_path)
    assert "Boris" in answers.seen["lock"][0]
    qtbot.waitUntil(lambda: window.inspector.current is not None)
    assert_read_only(window, "Boris")
    window.close_project()
    assert "Boris" in lock_path(demo_path).read_text()  # a read-only copy leaves the lock alone


@pytest.mark.parametrize(
    ("choice", "opened"), [(LockChoice.TAKE_OVER, True), (LockChoice.CANCEL, False)]
)
def test_lock_can_be_taken_over_or_left(window, answers, demo_path, choice, opened) -> None:
    hold_lock(demo_path)
    answers.lock = choice
    assert window.open_path(demo_path) is opened
    if opened:
        assert not window.document.read_only
        assert "Boris" not in lock_path(demo_path).read_text()
    else:
        assert window.document is None


def test_analyst_name_is_asked_once_and_kept(qtbot, answers, monkeypatch) -> None:
    monkeypatch.delenv("BRIEFING_ANALYST")
    first = MainWindow(AppSettings())
    qtbot.addWidget(first)
    assert first.analyst() == "Anna Analyst"
    second = MainWindow(AppSettings())
    qtbot.addWidget(second)
    assert second.analyst() == "Anna Analyst"
    assert answers.seen["name"] == [""]


def test_commit_by_another_program_refreshes_the_views(qtbot, window, demo_path) -> None:
    window.open_path(demo_path)
    clash = id_of(window.document.project, "entry", "clash")
    pane = window.library.panes["entry"]
    row = pane.model.row_of(clash)
    assert pane.model.data(pane.model.index(row, 2)).startswith("Clashes")
    other = sqlite3.connect(demo_path)
    other.execute("UPDATE timeline_entry SET title = 'Changed elsewhere' WHERE id = ?", (clash,))
    other.commit()
    other.close()
    assert window.document.check_external_changes()
    assert pane.model.data(pane.model.index(pane.model.row_of(clash), 2)) == "Changed elsewhere"


def test_a_failing_action_says_why_and_changes_nothing(window, answers, demo_path) -> None:
    window.open_path(demo_path)

    def fail(project):
        raise RecordError("That timeline entry no longer exists.")

    assert window.document.run(fail) is None
    assert answers.seen["failure"] == ["That timeline entry no longer exists."]
    assert "no longer exists" in window.statusBar().currentMessage()
    assert window.document.undo_stack.count() == 0


def test_an_unexpected_error_is_logged_not_shown(window, answers) -> None:
    try:
        raise ZeroDivisionError("division by zero")
    except ZeroDivisionError:
        log = gui_app.report_unexpected(*sys.exc_info(), window)
    assert "ZeroDivisionError" in log.read_text(encoding="utf-8")
    (message,) = answers.seen["unexpected"]
    assert "Traceback" not in message and "ZeroDivisionError" not in message
    assert str(log) in message


def test_save_as_continues_in_the_copy(window, answers, demo_path, tmp_path) -> None:
    window.open_path(demo_path)
    answers.save_path = tmp_path / "copy.brief"
    window.save_as()
    assert window.document.project.path == tmp_path / "copy.brief"
    assert window.library.panes["entry"].model.rowCount() == 5
    assert not lock_path(demo_path).exists()


def test_first_run_opens_a_demo_made_in_the_data_folder(qtbot, answers) -> None:
    settings = AppSettings()
    path = gui_app.start_file(settings, None, demo=False)
    assert path == demo_path() and path.exists()
    settings.add_recent(Path(__file__))
    assert gui_app.start_file(settings, None, demo=False) == Path(__file__).resolve()
    assert gui_app.start_file(settings, None, demo=True) == demo_path()
    assert gui_app.start_file(settings, Path("x.brief"), demo=True) == Path("x.brief")


def test_gui_command_takes_a_demo_flag() -> None:
    args = build_parser().parse_args(["gui", "--demo"])
    assert args.demo and args.file is None


def test_run_opens_the_window_and_quits_on_request(answers, demo_path, monkeypatch) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    monkeypatch.setenv("BRIEFING_QUIT_AFTER_MS", "200")
    assert gui_app.run(demo_path) == 0
    assert not lock_path(demo_path).exists()
    assert AppSettings().last_project() == demo_path.resolve()


class Follower(QLabel):
    """A stand-in for a workspace view: follows the current record and activates others."""

    recordActivated = Signal(str, int)

    def __init__(self) -> None:
        super().__init__("follower")
        self.followed: list[tuple[str, int]] = []

    def show_record(self, kind: str, record_id: int) -> None:
        self.followed.append((kind, record_id))


def test_workspace_tabs_follow_and_drive_the_selection(qtbot, window, demo_path) -> None:
    made: list[QObject] = []

    def factory(document):
        made.append(Follower())
        return made[-1]

    window.register_workspace("Follower", factory)
    window.open_path(demo_path)
    follower = made[0]
    assert window.workspace.tabText(window.workspace.indexOf(follower)) == "Follower"
    treaty = id_of(window.document.project, "relationship", "treaty-1997")
    window.library.select_record("relationship", treaty)
    assert follower.followed[-1] == ("relationship", treaty)
    statement = id_of(window.document.project, "statement", "grigoryan-request")
    follower.recordActivated.emit("statement", statement)
    assert window.library.current_kind == "statement"
    assert window.inspector.current == ("statement", statement)
    window.close_project()
    assert window.workspace.count() == 0


def test_layout_is_restored(qtbot, answers, demo_path) -> None:
    first = MainWindow(AppSettings())
    qtbot.addWidget(first)
    first.resize(760, 560)  # within the offscreen screen, which geometry is fitted to
    first.show()
    first.open_path(demo_path)
    size = (first.width(), first.height())
    first.library.show_kind("source")
    first.library.panes["source"].table.setColumnWidth(0, 333)
    first.close()
    second = MainWindow(AppSettings())
    qtbot.addWidget(second)
    second.show()
    second.open_path(demo_path)
    assert (second.width(), second.height()) == size != (1400, 900)
    assert second.library.current_kind == "source"
    assert second.library.panes["source"].table.columnWidth(0) == 333


def test_a_lazy_workspace_tab_is_built_when_first_shown(qtbot, window, demo_path) -> None:
    made: list[Follower] = []

    def factory(document):
        made.append(Follower())
        return made[-1]

    window.register_workspace("Later", factory, lazy=True)
    window.open_path(demo_path)
    qtbot.waitUntil(lambda: window.inspector.current is not None)
    index = next(
        i for i in range(window.workspace.count()) if window.workspace.tabText(i) == "Later"
    )
    assert made == []
    window.workspace.setCurrentIndex(index)
    assert len(made) == 1 and window.workspace.widget(index) is made[0]
    assert made[0].followed == [window.inspector.current]
    window.workspace.setCurrentIndex(0)
    window.workspace.setCurrentIndex(index)
    assert len(made) == 1


def test_enter_on_a_row_moves_to_its_first_field(qtbot, window, demo_path) -> None:
    window.open_path(demo_path)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.inspector.current is not None)
    pane = window.library.show_kind("party")
    pane.select_row(1)
    pane.table.setFocus()
    qtbot.keyClick(pane.table, Qt.Key.Key_Return)
    name = window.inspector.forms["party"].field_for("name").edit
    qtbot.waitUntil(name.hasFocus)
    assert name.selectedText() == name.text()


def test_menus_hold_the_commands_where_they_are_looked_for(window) -> None:
    def titles(name: str) -> list[str]:
        menu = next(m for m in window.menuBar().findChildren(QMenu) if m.title() == name)
        return [a.text() or "—" for a in menu.actions()]

    assert titles("&File") == [
        "&New Project…", "&Open Project…", "Open &Team Project…", "Open &Recent",
        "Open the &Demo Project", "—",
        "Save &As…", "Save a Copy for S&haring…", "&Export PDF…", "Export &Word…", "E&xport", "—",
        "&Merge Project…", "&Import Event Data (ACLED, UCDP GED)…", "Import &STIX Bundle…", "—",
        "&Close Project", "—", "&Quit",
    ]  # fmt: skip
    assert titles("E&xport") == ["&STIX Bundle…", "&MISP Event…"]
    assert titles("&Record")[-3:] == ["—", "&Add to Briefing", "&Delete"]
    assert titles("&Edit")[:2] == ["&Undo", "&Redo"]


def test_deleting_a_party_lists_its_relationships_members_and_links(window, answers, demo_path):
    window.open_path(demo_path)
    answers.confirm = False
    armenia = id_of(window.document.project, "party", "armenia")
    window.library.show_kind("party")
    window.library.select_record("party", armenia)
    window.records.delete_action.trigger()
    question = answers.seen["confirm"][0]
    assert "relationships with it deleted too" in question or "relationship with it" in question
    assert "part of it detached" in question
    assert "1 parties" not in question and "1 relationships" not in question
    assert window.document.record("party", armenia) is not None


def test_a_remembered_name_against_the_rules_is_asked_again(qtbot, answers, monkeypatch) -> None:
    """A name of any length can be pasted or written into the settings; a project refuses it."""
    monkeypatch.delenv("BRIEFING_ANALYST")
    AppSettings().set_analyst_name("Anna " * 300)
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    assert window.analyst() == "Anna Analyst"
    assert AppSettings().analyst_name() == "Anna Analyst"
    assert answers.seen["name"] == [""]
