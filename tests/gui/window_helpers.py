"""What the whole-window tests share: the demo project open at a size, records by slug, tabs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from briefing.model import codec
from briefing.services.demo import uid


def open_demo_window(qtbot, demo_path: Path, size: tuple[int, int] = (1280, 720)):
    """The real window at ``size`` with the demo project open and a record inspected."""
    from briefing.gui.main_window import MainWindow
    from briefing.gui.settings import AppSettings

    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    assert window.open_path(demo_path)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.inspector.current is not None)
    return window


def id_of(window, kind: str, slug: str) -> int:
    """The id of a demo record, by the slug the demo names it with."""
    with window.document.project.engine.connect() as connection:
        return codec.ids_for_uuids(connection, codec.table(kind), [uid(slug)])[uid(slug)]


def tab_index(window, title: str) -> int:
    return next(i for i in range(window.workspace.count()) if window.workspace.tabText(i) == title)


def show_tab(window, title: str) -> QWidget:
    """Make a workspace tab current, by its whole title."""
    index = tab_index(window, title)
    window.workspace.setCurrentIndex(index)
    return window.workspace.widget(index)


def click_tab(qtbot, window, title: str) -> QWidget:
    """Click a workspace tab with the mouse, as the analyst would."""
    bar = window.workspace.tabBar()
    where = bar.tabRect(tab_index(window, title)).center()
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=where)
    qtbot.waitUntil(lambda: window.workspace.tabText(window.workspace.currentIndex()) == title)
    return window.workspace.currentWidget()


def go_dark(qtbot, window) -> None:
    """Announce a dark system setting as the system would (offscreen has none of its own)."""
    from briefing.gui.theme import is_dark

    QApplication.instance().styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    qtbot.waitUntil(lambda: is_dark(window.palette()))


def go_light(qtbot) -> None:
    """Back to light (the window may be gone already)."""
    from briefing.gui.theme import is_dark

    QApplication.instance().styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    qtbot.waitUntil(lambda: not is_dark(QApplication.palette()))
