"""No edit is saved that the analyst did not make: real key and wheel events only."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from briefing.gui.composer import ComposerWidget
from briefing.gui.document import ProjectDocument


@pytest.fixture
def composer(qtbot, demo_project):
    widget = ComposerWidget(ProjectDocument(demo_project))
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_typing_a_judgment_and_tab_keeps_the_other_judgments(qtbot, composer) -> None:
    before = [j.text for j in composer.content.judgments]
    composer.add_judgment()
    table = composer.judgments.table
    editor = QApplication.focusWidget()
    assert editor is not None and editor is not table
    editor.selectAll()
    QTest.keyClicks(editor, "Azerbaijan keeps the heights")
    QTest.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.wait(10)
    assert table.currentIndex().row() == 2
    assert table.currentIndex().column() == 1
    QTest.keyClicks(QApplication.focusWidget(), "zzz")
    qtbot.wait(10)
    texts = [j.text for j in composer.content.judgments]
    assert texts == [*before, "Azerbaijan keeps the heights"]


def wheel(widget, steps: int = -1) -> None:
    """A real wheel event over the middle of ``widget``."""
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent

    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


@pytest.fixture
def inspector(qtbot, demo_project):
    from briefing.gui.inspector.panel import Inspector

    document = ProjectDocument(demo_project)
    panel = Inspector(document)
    document.changed.connect(panel.apply_change)
    qtbot.addWidget(panel)
    panel.resize(420, 500)
    panel.show()
    qtbot.waitExposed(panel)
    yield panel
    document.close()


SLUGS = {"entry": "clash", "statement": "arm-mod-positions"}


def show_first(inspector, kind: str):
    from briefing.model import codec
    from briefing.services.demo import uid

    with inspector.document.project.engine.connect() as connection:
        wanted = uid(SLUGS[kind])
        record_id = codec.ids_for_uuids(connection, codec.table(kind), [wanted])[wanted]
    inspector.show_record(kind, record_id)
    return inspector.forms[kind]


@pytest.mark.parametrize(("kind", "key"), [("entry", "credibility"), ("entry", "precision"),
                                           ("statement", "kind")])  # fmt: skip
def test_the_wheel_over_an_unfocused_choice_changes_nothing(inspector, kind, key) -> None:
    form = show_first(inspector, kind)
    combo = form.field_for(key).combo
    assert combo.focusPolicy() == Qt.FocusPolicy.StrongFocus
    before = combo.currentIndex()
    inspector.setFocus()
    for steps in (-1, -1, 1, -1):
        wheel(combo, steps)
    assert combo.currentIndex() == before
    assert inspector.document.undo_stack.count() == 0


def test_the_wheel_over_the_unfocused_claims_changes_nothing(inspector) -> None:
    form = show_first(inspector, "entry")
    table = form.field_for("claims").table
    before = form.field_for("claims").model.claims
    for steps in (1, -1):
        wheel(table.viewport(), steps)
    QTest.keyClick(inspector, Qt.Key.Key_Tab)
    assert form.field_for("claims").model.claims == before
    assert inspector.document.undo_stack.count() == 0


def test_the_wheel_over_a_focused_choice_is_an_edit_with_an_undo_step(inspector) -> None:
    form = show_first(inspector, "entry")
    combo = form.field_for("credibility").combo
    combo.setFocus()
    assert combo.hasFocus()
    before = combo.currentIndex()
    wheel(combo, -1)
    assert combo.currentIndex() != before
    assert inspector.document.undo_stack.count() == 1


def test_the_wheel_over_the_cover_choices_changes_nothing(composer) -> None:
    metadata = composer.metadata
    before = (
        metadata.tlp.currentIndex(),
        metadata.status.currentIndex(),
        metadata.as_of.dateTime(),
    )
    for widget in (metadata.tlp, metadata.status, metadata.as_of, metadata.zone):
        wheel(widget, -1)
        wheel(widget, 1)
        wheel(widget, -1)
    after = (metadata.tlp.currentIndex(), metadata.status.currentIndex(), metadata.as_of.dateTime())
    assert after == before
    assert composer.document.undo_stack.count() == 0


@pytest.fixture
def window(qtbot, answers, demo_path):
    from briefing.gui.main_window import MainWindow
    from briefing.gui.settings import AppSettings

    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    assert window.open_path(demo_path)
    qtbot.waitUntil(lambda: window.inspector.current is not None)
    return window


def test_a_typed_edit_shows_in_the_status_bar_and_the_undo_history(qtbot, window) -> None:
    form = window.inspector.current_form()
    title = form.field_for("title").edit
    window.activateWindow()
    title.setFocus()
    qtbot.waitUntil(title.hasFocus)
    title.selectAll()
    QTest.keyClicks(title, "Shelling near Jermuk")
    QTest.keyClick(title, Qt.Key.Key_Tab)
    stack = window.document.undo_stack
    assert stack.count() == 1
    assert stack.text(0) in window.saved_label.text()
    assert window.undo_action.text().endswith(stack.text(0))
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stack.index() == 0
