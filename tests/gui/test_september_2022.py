"""The September 2022 border clashes, entered by keyboard only, from a new project to its PDF.

Every value is typed with real key events into the widget that has the focus;
the focus moves with Tab, the window's shortcuts and the menus' keys, as an
analyst without a mouse would move it. Only the system's file dialogs are
answered by the test (they are not the program's).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from briefing.gui import dialogs, export_pdf
from briefing.gui.export_options import ExportOptions

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
REAL_QUOTE = dialogs.ask_statement_quote
REAL_PARTIES = dialogs.ask_two_parties
REAL_NAME = dialogs.ask_record_name

ENTRIES = [  # title, typed local date and time, zone
    ("Shelling of Jermuk", "2022-09-13 00:05", "Asia/Yerevan"),
    ("Azerbaijani positions near Kalbajar hit", "2022-09-13 00:40", "Asia/Baku"),
    ("Moscow announces a ceasefire", "2022-09-13 09:00", "Europe/Moscow"),
    ("Ceasefire holds along the border", "2022-09-14 20:00", "Asia/Yerevan"),
]
UTC_STARTS = [
    "2022-09-12T20:05:00Z",
    "2022-09-12T20:40:00Z",
    "2022-09-13T06:00:00Z",
    "2022-09-14T16:00:00Z",
]


def focused() -> QWidget:
    """Where a key goes: an open pop-up (it holds the keyboard), the focus widget, else the
    active window (keys reach its shortcuts)."""
    widget = (
        QApplication.activePopupWidget()
        or QApplication.focusWidget()
        or QApplication.activeWindow()
    )
    assert widget is not None, "no window is active"
    return widget


def key(qtbot, code: Qt.Key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(focused(), code, modifiers)
    qtbot.wait(10)


def type_text(qtbot, text: str) -> None:
    QTest.keyClicks(focused(), text)
    qtbot.wait(10)


def tab_to(qtbot, widget: QWidget, limit: int = 80) -> None:
    """Press Tab until ``widget`` (or a widget inside it) has the focus."""
    for _ in range(limit):
        now = focused()
        if now is widget or widget.isAncestorOf(now):
            return
        key(qtbot, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {widget!r}; stuck at {focused()!r}")


def replace_text(qtbot, text: str) -> None:
    key(qtbot, Qt.Key.Key_A, CTRL)
    type_text(qtbot, text)


@pytest.fixture
def window(qtbot, answers, tmp_path, monkeypatch):
    from briefing.gui.main_window import MainWindow
    from briefing.gui.settings import AppSettings

    answers.save_path = tmp_path / "september-2022.brief"
    answers.title = "September 2022 border clashes"
    monkeypatch.setattr(dialogs, "ask_statement_quote", REAL_QUOTE)
    monkeypatch.setattr(dialogs, "ask_two_parties", REAL_PARTIES)
    monkeypatch.setattr(dialogs, "ask_record_name", REAL_NAME)
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def back_to(qtbot, window) -> None:
    """The window is active again once a dialog closes (the window manager's part)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def in_dialog(qtbot, answer) -> None:
    """Answer the next modal dialog by keys, once it is up."""

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:  # not up yet: look again shortly
            QTimer.singleShot(20, run)
            return
        try:
            dialog.activateWindow()
            qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
            answer(dialog)
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, run)


def new_record(qtbot, window, list_key: Qt.Key) -> None:
    """Show a library list (Ctrl+1…5) and create a record in it (Ctrl+Shift+N)."""
    key(qtbot, list_key, CTRL)
    key(qtbot, Qt.Key.Key_N, CTRL | SHIFT)
    qtbot.wait(30)


def name_new_record(qtbot, window, list_key: Qt.Key, name: str):
    """Create a record in a list, typing its name into the dialog that asks for it."""
    in_dialog(qtbot, lambda dialog: (type_text(qtbot, name), key(qtbot, Qt.Key.Key_Return)))
    new_record(qtbot, window, list_key)
    back_to(qtbot, window)
    kind = {Qt.Key.Key_1: "entry", Qt.Key.Key_4: "party"}[list_key]
    form = window.inspector.forms[kind]
    qtbot.waitUntil(lambda: window.inspector.current == (kind, form.record_id))
    return form


def add_party(qtbot, window, name: str) -> None:
    form = name_new_record(qtbot, window, Qt.Key.Key_4, name)
    assert window.document.record("party", form.record_id)["name"] == name


def add_entry(qtbot, window, title: str, when: str, zone: str) -> int:
    form = name_new_record(qtbot, window, Qt.Key.Key_1, title)
    qtbot.waitUntil(lambda: form.field_for("title").edit.hasFocus())
    moment = form.field_for("start_utc")
    tab_to(qtbot, moment.start)
    type_text(qtbot, when.replace("-", "").replace(" ", "").replace(":", ""))
    tab_to(qtbot, moment.zone)
    replace_text(qtbot, zone)
    key(qtbot, Qt.Key.Key_Tab)
    return form.record_id


def add_statement(qtbot, window, quote: str, speaker: str, about: str) -> int:
    in_dialog(qtbot, lambda dialog: (type_text(qtbot, quote), key(qtbot, Qt.Key.Key_Return, CTRL)))
    new_record(qtbot, window, Qt.Key.Key_2)
    back_to(qtbot, window)
    form = window.inspector.forms["statement"]
    qtbot.waitUntil(lambda: window.inspector.current is not None
                    and window.inspector.current[0] == "statement")  # fmt: skip
    speaker_box = form.field_for("speaker").widget
    qtbot.waitUntil(lambda: speaker_box.isAncestorOf(QApplication.focusWidget()))
    type_text(qtbot, speaker)
    about_box = form.field_for("entry").widget
    tab_to(qtbot, about_box)
    type_text(qtbot, about)
    key(qtbot, Qt.Key.Key_Tab)
    return form.record_id


def test_the_september_2022_clashes_by_keyboard_to_a_pdf(
    qtbot, window, answers, tmp_path, monkeypatch
):
    # A new project, titled as it is created.
    key(qtbot, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: window.document is not None)
    project = window.document.project
    assert project.path == answers.save_path
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)

    for name in ("Armenia", "Azerbaijan", "Russia"):
        add_party(qtbot, window, name)

    entries = [add_entry(qtbot, window, *entry) for entry in ENTRIES]
    stored = [window.document.record("entry", e) for e in entries]
    assert [(r["title"], r["zone"]) for r in stored] == [(t, z) for t, _, z in ENTRIES]
    assert [r["start_utc"] for r in stored] == UTC_STARTS

    first = add_statement(
        qtbot, window, "Azerbaijani forces shelled Jermuk and Goris.", "Armenia", "Shelling"
    )
    second = add_statement(
        qtbot, window, "Armenian forces provoked the clashes near Kalbajar.", "Azerbaijan",
        "Azerbaijani positions",
    )  # fmt: skip
    form = window.inspector.forms["statement"]
    contradicts = form.field_for("contradicts")
    tab_to(qtbot, contradicts.picker)
    type_text(qtbot, "Armenia")  # the first statement, by its speaker
    tab_to(qtbot, contradicts.add_button)
    key(qtbot, Qt.Key.Key_Space)
    record = window.document.record("statement", second)
    assert record["speaker"] == window.document.record("party", 2)["uuid"]
    assert record["contradicts"] == [window.document.record("statement", first)["uuid"]]

    # Russia's backing of Armenia: a relationship made by naming its two parties.
    def two_parties(dialog) -> None:
        type_text(qtbot, "Russia")
        key(qtbot, Qt.Key.Key_Tab)
        type_text(qtbot, "Armenia")
        key(qtbot, Qt.Key.Key_Return)

    in_dialog(qtbot, two_parties)
    new_record(qtbot, window, Qt.Key.Key_3)
    back_to(qtbot, window)
    kind, relationship = window.inspector.current
    assert kind == "relationship"
    linked = window.document.record("relationship", relationship)
    names = {window.document.record("party", i)["uuid"]: window.document.record("party", i)["name"]
             for i in (1, 2, 3)}  # fmt: skip
    assert (names[linked["party_a"]], names[linked["party_b"]]) == ("Russia", "Armenia")

    # The briefing: Briefing ▸ New Briefing, its title, a key judgment, a section.
    composer = window.composer
    key(qtbot, Qt.Key.Key_B, ALT)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
    key(qtbot, Qt.Key.Key_Return)  # the menu's first command
    qtbot.waitUntil(lambda: composer.content is not None)
    qtbot.waitUntil(composer.metadata.title.hasFocus)
    replace_text(qtbot, "Border clashes, 12-14 September 2022")
    key(qtbot, Qt.Key.Key_Tab)
    assert composer.content.title == "Border clashes, 12-14 September 2022"

    tab_to(qtbot, composer.judgments.add)
    key(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: focused() is not composer.judgments.add)
    replace_text(qtbot, "Fighting is likely to resume within weeks.")
    key(qtbot, Qt.Key.Key_Return)
    assert composer.content.judgments[-1].text == "Fighting is likely to resume within weeks."

    key(qtbot, Qt.Key.Key_B, ALT)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
    for _ in range(2):
        key(qtbot, Qt.Key.Key_Down)
    key(qtbot, Qt.Key.Key_Return)  # Add Section
    qtbot.waitUntil(lambda: len(composer.content.sections) >= 1)
    back_to(qtbot, window)

    # The four entries and the two statements go into the section.
    for list_key in (Qt.Key.Key_1, Qt.Key.Key_2):
        key(qtbot, list_key, CTRL)
        key(qtbot, Qt.Key.Key_A, CTRL)
        key(qtbot, Qt.Key.Key_B, CTRL)
    items = [(i.kind, i.record_id) for s in composer.content.sections for i in s.items]
    assert sorted(items) == sorted(
        [("entry", e) for e in entries] + [("statement", first), ("statement", second)]
    )

    # File ▸ Export PDF (Ctrl+Shift+E); only the options and the file dialog are answered.
    target = tmp_path / "september-2022.pdf"
    asked = []
    answers_pdf = {
        "ask_pdf_path": lambda parent, suggested: asked.append(suggested) or target,
        "offer_to_open": lambda parent, message: False,
        "ask_export_options": lambda _, rows, *__: ExportOptions(rows[0].id, False),
    }
    for name, answer in answers_pdf.items():
        monkeypatch.setattr(export_pdf, name, answer)
    key(qtbot, Qt.Key.Key_E, CTRL | SHIFT)
    assert asked and target.exists()
    text = " ".join(page.extract_text() for page in PdfReader(target).pages)
    text = " ".join(text.split())
    for expected in (
        "Border clashes, 12-14 September 2022",
        "Fighting is likely to resume within weeks.",
        "Shelling of Jermuk",
        "Azerbaijani forces shelled Jermuk and Goris.",
        "Armenian forces provoked the clashes near Kalbajar.",
    ):
        assert expected in text
    assert Path(project.path).exists()
