"""Two windows on one team project: what is typed in one shows in the other within a second."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from postgres import PASSWORD_GROUP
from PySide6.QtCore import Qt

from briefing.gui import team_project
from briefing.gui.main_window import MainWindow
from briefing.gui.settings import AppSettings
from briefing.model import codec
from briefing.services.demo import uid
from briefing.store import pg_team
from briefing.store.server.address import ServerAddress
from briefing.store.server.connect import connect


def _window(qtbot) -> MainWindow:
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    return window


@pytest.fixture
def two_windows(qtbot, answers, server_demo_address):
    first, second = _window(qtbot), _window(qtbot)
    assert first.open_address(server_demo_address)
    assert second.open_address(server_demo_address)
    for window in (first, second):
        window.document._watch.stop()  # only the server's notice may bring the change
    yield first, second
    for window in (first, second):
        window.close_project()


def _clash(window: MainWindow) -> int:
    with window.document.project.engine.connect() as connection:
        return codec.ids_for_uuids(connection, codec.table("entry"), [uid("clash")])[uid("clash")]


def _titles(window: MainWindow) -> list[str]:
    model = window.library.panes["entry"].model
    return [model.data(model.index(row, 2)) for row in range(model.rowCount())]


def test_an_edit_typed_in_one_window_shows_in_the_other(qtbot, two_windows) -> None:
    first, second = two_windows
    clash = _clash(first)
    second.library.show_kind("entry")
    qtbot.waitUntil(lambda: "Clashes on the Armenia–Azerbaijan border" in _titles(second))
    first.library.show_kind("entry").select_record(clash)
    qtbot.waitUntil(lambda: first.inspector.current == ("entry", clash))
    edit = first.inspector.forms["entry"].field_for("title").edit
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(edit, "Shelling near Jermuk")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert first.document.undo_stack.count() == 1
    qtbot.waitUntil(lambda: "Shelling near Jermuk" in _titles(second))  # by the notice alone
    assert "Clashes on the Armenia–Azerbaijan border" not in _titles(second)


def test_the_window_says_it_is_a_team_project_and_who_you_are(two_windows, server_demo_address):
    first, _ = two_windows
    assert "on 127.0.0.1:" in first.windowTitle()
    assert "(team project, you are postgres)" in first.windowTitle()
    assert first.team_label.text().startswith("Team project on 127.0.0.1:")
    assert first.team_label.text().endswith(" · you are postgres")
    assert team_project.recent_addresses(first.settings)[0] == server_demo_address
    assert all(not str(p).startswith("postgresql") for p in first.settings.recent_files())


def test_the_password_is_asked_only_when_needed_and_never_saved(
    qtbot, answers, postgres, server_demo_address, monkeypatch, private_settings
) -> None:
    where = ServerAddress.parse(server_demo_address)
    name = f"guarded_analyst_{os.getpid()}"
    connection = connect(where)
    connection.autocommit = True
    try:
        pg_team.add_analyst(connection, name, "AMBER", "s3cret-Պ")
    finally:
        connection.close()
    postgres.execute(f"GRANT {PASSWORD_GROUP} TO {name}")  # the server now asks a password
    asked: list[str] = []
    monkeypatch.setattr(
        team_project,
        "ask_password",
        lambda parent, address: asked.append(address.user) or "s3cret-Պ",
    )
    window = _window(qtbot)
    address = f"postgresql://{name}@{where.where}/{where.database}"
    assert window.open_address(address)
    assert asked == [name]
    assert f"you are {name}" in window.windowTitle()
    window.close_project()
    window.settings.qsettings.sync()
    kept = "".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in Path(private_settings).rglob("*")
        if p.is_file()
    )
    assert address in kept and "s3cret" not in kept


def test_a_searched_team_list_fills_from_its_own_connection_off_the_window_thread(
    qtbot, server_demo_address, monkeypatch
) -> None:
    from briefing.gui.document import ProjectDocument
    from briefing.gui.library import model as library_model
    from briefing.services import library_query as query
    from briefing.services.library_query import ListFilter
    from briefing.store import open_project
    from briefing.store.server.project import ServerProject

    entries = library_model.FIRST_PAGES * library_model.PAGE_SIZE + 300
    project = open_project(server_demo_address, "Test analyst")
    rows = [
        {"title": f"Shelling report {n}", "start_utc": f"2022-01-{1 + n % 28:02d}T10:00:00Z"}
        for n in range(entries)
    ]
    with project.transaction() as session:
        codec.load(session.connection(), {"entry": rows})
    asked: list[tuple[str, int | None]] = []
    real_ids, real_reading = query.ordered_ids, ServerProject.reading
    opened: list[tuple[str, object]] = []

    def noted(connection, kind, chosen=None, sort_key=None, descending=False, limit=None):
        asked.append((threading.current_thread().name, limit))
        return real_ids(connection, kind, chosen, sort_key, descending, limit)

    def reading(self):
        opened.append((threading.current_thread().name, self))
        return real_reading(self)

    monkeypatch.setattr(query, "ordered_ids", noted)
    monkeypatch.setattr(ServerProject, "reading", reading)
    document = ProjectDocument(project)
    model = library_model.LibraryModel(document, "entry")
    with qtbot.waitSignal(model.loaded, timeout=20_000):
        model.set_filter(ListFilter(text="shelling"))
    assert model.rowCount() == entries
    assert opened == [("library-ids", project)]
    assert ("library-ids", None) in asked
    assert all(limit is not None for thread, limit in asked if thread != "library-ids")
    document.close()
