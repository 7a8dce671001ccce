"""The window by keyboard: window-wide shortcuts, the shortcut list, Tab through judgments."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from window_helpers import open_demo_window, show_tab

from briefing.gui import dialogs
from briefing.gui.pdf_preview import PdfPreviewPane
from briefing.gui.shortcuts import ShortcutsDialog, shortcut_rows

REAL_ASK = dialogs.ask_two_parties


@pytest.fixture
def window(qtbot, answers, demo_path):
    return open_demo_window(qtbot, demo_path)


def test_refresh_preview_works_from_the_library(qtbot, window) -> None:
    search = window.library.search if hasattr(window.library, "search") else window.library
    search.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    focused = QApplication.focusWidget()
    QTest.keyClick(
        focused,
        Qt.Key.Key_R,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.workspace.tabText(window.workspace.currentIndex()) == "PDF Preview"
    assert window.workspace.built(PdfPreviewPane) is not None


def test_the_shortcut_list_has_every_menu_shortcut(window) -> None:
    rows = shortcut_rows(window.menuBar())
    commands = {command for _, command, _ in rows}
    assert {"Undo", "Redo", "Refresh Preview", "Export PDF", "Find in Library"} <= commands
    in_menus = [
        a for top in window.menuBar().actions() if top.menu() for a in top.menu().actions()
        if not a.menu() and a.shortcut().toString()
    ]  # fmt: skip
    assert len(rows) >= len(in_menus)
    dialog = ShortcutsDialog(rows, window)
    assert dialog.table.rowCount() == len(rows)
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    assert window.shortcuts_action in help_menu.actions()


def test_tab_goes_from_likelihood_to_confidence(qtbot, window) -> None:
    show_tab(window, "Briefing")
    composer = window.composer
    table = composer.judgments.table
    table.setFocus()
    table.setCurrentIndex(composer.judgments_model.index(0, 1))
    QTest.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert editor is not table
    QTest.keyClick(editor, Qt.Key.Key_Tab)
    assert table.currentIndex().row() == 0 and table.currentIndex().column() == 2
    assert window.document.undo_stack.count() == 0


def test_a_new_relationship_links_the_two_parties_typed_in_its_dialog(
    qtbot, window, monkeypatch
) -> None:
    monkeypatch.setattr(dialogs, "ask_two_parties", REAL_ASK)  # the real dialog, by keys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QComboBox

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        try:
            dialog.activateWindow()
            qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
            first = dialog.findChild(QComboBox, "party_a")
            first.setFocus()
            QTest.keyClicks(first, "Russia")
            QTest.keyClick(first, Qt.Key.Key_Tab)
            second = dialog.findChild(QComboBox, "party_b")
            assert QApplication.focusWidget() is second
            QTest.keyClicks(second, "Armenia")
            QTest.keyClick(second, Qt.Key.Key_Return)
        finally:
            if dialog.isVisible():  # Return did not close it: end the test's wait
                dialog.reject()

    QTimer.singleShot(0, answer)
    relationship = window.records.create("relationship")
    record = window.document.record("relationship", relationship)
    from briefing.services.demo import uid

    assert (record["party_a"], record["party_b"]) == (uid("russia"), uid("armenia"))
    assert record["title"] == "Russia – Armenia"  # named by its parties, never "New …"


def test_a_cancelled_relationship_dialog_creates_nothing(qtbot, window, monkeypatch) -> None:
    monkeypatch.setattr(dialogs, "ask_two_parties", REAL_ASK)
    from PySide6.QtCore import QTimer

    QTimer.singleShot(
        0, lambda: QTest.keyClick(QApplication.activeModalWidget(), Qt.Key.Key_Escape)
    )
    before = window.document.undo_stack.count()
    assert window.records.create("relationship") is None
    assert window.document.undo_stack.count() == before


def test_about_names_the_version_the_data_folder_and_the_settings_file(window, monkeypatch):
    from briefing import __version__
    from briefing.gui import dialogs

    shown: list[tuple] = []
    monkeypatch.setattr(dialogs, "show_about", lambda *args: shown.append(args))
    window.about_action.trigger()
    _, folder, settings_file = shown[0]
    text = dialogs.about_text(folder, settings_file)
    assert __version__ in text and str(folder) in text and settings_file.endswith("settings.ini")


def test_cli_help_names_every_positional_and_the_tlp_labels(capsys) -> None:
    from briefing.cli import TLP_LABELS, build_parser
    from briefing.model.vocab import Tlp

    assert TLP_LABELS == "{" + ",".join(t.value for t in Tlp) + "}"
    parser = build_parser()
    for command in ("new", "demo", "info", "check", "search", "merge", "share", "export", "import"):
        with pytest.raises(SystemExit):
            parser.parse_args([command, "--help"])
        text = capsys.readouterr().out
        positional = text.split("positional arguments:")[1].split("options:")[0]
        lines = [line for line in positional.splitlines() if line.strip()]
        assert all(len(line.split(None, 1)) == 2 or line.startswith(" " * 10) for line in lines), (
            text
        )
    parser.parse_args(["export", "x.brief", "-o", "x.pdf", "--tlp", "amber+strict"])


def test_new_project_asks_for_its_title_first(qtbot, answers, tmp_path) -> None:
    from briefing.gui.main_window import MainWindow
    from briefing.gui.settings import AppSettings

    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    answers.save_path = tmp_path / "sept.brief"
    window.new_action.trigger()
    from briefing.store.project import project_title

    assert project_title(window.document.project) == "September 2022 border clashes"
    answers.title = None
    window.close_action.trigger()
    window.new_action.trigger()  # cancelled at the title: no file dialog, no project
    assert answers.seen["save"] == ["New Project"]


def test_the_briefing_menu_shows_the_section_moves_and_the_shortcut_list_has_them(window):
    from briefing.gui.window_menus import fill_briefing_menu

    fill_briefing_menu(window)
    texts = [a.text() for a in window.briefing_menu.actions()]
    assert "Move Up" in texts and "Move Down" in texts and "Add Section" in texts
    keys = {command: k for _, command, k in shortcut_rows(window.menuBar())}
    assert "Ctrl+Up" in keys["Move Up"] and "Ctrl+Down" in keys["Move Down"]
