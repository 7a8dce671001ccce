"""The inspector's casualty claims table, driven with real keys, clicks and wheel turns."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QComboBox, QLineEdit

from briefing.gui.document import ProjectDocument
from briefing.gui.inspector.claims import ClaimsField
from briefing.gui.inspector.claims_model import (
    AFFECTED,
    CLAIMANT,
    CLAIMED,
    FIGURE,
    WHAT,
    WORDS,
    ClaimsModel,
)
from briefing.gui.inspector.panel import Inspector
from briefing.model import codec
from briefing.services import records
from briefing.services.demo import uid
from briefing.services.stamps import stamp_of
from briefing.store import open_project

CLAIMS = [
    {"side": "party", "party": uid("armenia"), "category": "wounded", "low": None, "best": 4,
     "high": None, "words": "four injured", "claimant": uid("arm-mod"), "source": None,
     "claimed_at": "2021-11-16T00:00:00Z"},
    {"side": "party", "party": uid("armenia"), "category": "captured", "low": None, "best": None,
     "high": None, "words": "up to a dozen", "claimant": None, "source": None,
     "claimed_at": None},
]  # fmt: skip


def entry_id(project, slug: str = "clash") -> int:
    with project.engine.connect() as connection:
        return codec.ids_for_uuids(connection, codec.table("entry"), [uid(slug)])[uid(slug)]


@pytest.fixture
def inspector(qtbot, demo_project):
    entry = entry_id(demo_project)
    records.update_record(demo_project, "entry", entry, {"claims": CLAIMS})
    document = ProjectDocument(demo_project)
    panel = Inspector(document)
    document.changed.connect(panel.apply_change)
    qtbot.addWidget(panel)
    panel.resize(700, 900)
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    panel.show_record("entry", entry)
    yield panel
    document.close()


def field_of(inspector: Inspector) -> ClaimsField:
    field = inspector.forms["entry"].field_for("claims")
    assert isinstance(field, ClaimsField)
    return field


def stored(inspector: Inspector) -> list[dict]:
    record = records.get_record(inspector.document.project, "entry", inspector.current[1])
    return record["claims"]


def cell_text(field: ClaimsField, row: int, column: int) -> str:
    return field.model.index(row, column).data()


def go_to(qtbot, field: ClaimsField, row: int, column: int) -> None:
    """Put the keyboard on a cell the way an analyst does: click into the table, then arrows."""
    table = field.table
    rect = table.visualRect(field.model.index(0, 0))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(table.hasFocus)
    for _ in range(row):
        QTest.keyClick(table, Qt.Key.Key_Down)
    for _ in range(column):
        QTest.keyClick(table, Qt.Key.Key_Right)
    assert (table.currentIndex().row(), table.currentIndex().column()) == (row, column)


def editor(field: ClaimsField) -> QLineEdit | QComboBox:
    found = QApplication.focusWidget()
    assert isinstance(found, QLineEdit | QComboBox) and field.table.isAncestorOf(found)
    return found


def type_into(qtbot, field: ClaimsField, row: int, column: int, text: str) -> None:
    go_to(qtbot, field, row, column)
    QTest.keyClick(field.table, Qt.Key.Key_F2)
    line = editor(field)
    assert isinstance(line, QLineEdit)
    line.selectAll()
    QTest.keyClicks(line, text)
    QTest.keyClick(line, Qt.Key.Key_Return)
    # The view commits a finished editor from the event loop, as it does for the analyst.
    qtbot.waitUntil(lambda: field.table.state() != QAbstractItemView.State.EditingState)


def test_the_model_passes_the_model_tester(qtmodeltester, inspector) -> None:
    qtmodeltester.check(field_of(inspector).model, force_py=True)
    qtmodeltester.check(ClaimsModel(lambda kind, uuid: uuid), force_py=True)


def test_the_claims_are_shown_with_their_words(inspector) -> None:
    field = field_of(inspector)
    assert field.model.rowCount() == 2
    assert cell_text(field, 0, AFFECTED).startswith("Armenia")
    assert cell_text(field, 0, WHAT) == "wounded"
    assert cell_text(field, 0, FIGURE) == "4"
    assert cell_text(field, 0, WORDS) == "four injured"
    assert "Armenian MoD" in cell_text(field, 0, CLAIMANT) or "Ministry" in cell_text(
        field, 0, CLAIMANT
    )
    assert cell_text(field, 0, CLAIMED) == "2021-11-16"
    assert cell_text(field, 1, FIGURE) == "“up to a dozen”"  # no figure: the words, in grey
    assert not field.is_dirty(inspector.forms["entry"].record)


def test_a_typed_range_is_one_undo_step(qtbot, inspector) -> None:
    field = field_of(inspector)
    stack = inspector.document.undo_stack
    type_into(qtbot, field, 0, FIGURE, "3-6 (4)")
    assert (stored(inspector)[0]["low"], stored(inspector)[0]["best"]) == (3, 4)
    assert stored(inspector)[0]["high"] == 6
    assert stack.count() == 1
    assert stack.undoText().startswith("Edit casualty claim of ‘")
    assert cell_text(field, 0, FIGURE) == "3–6 (best 4)"
    assert field.table.currentIndex().column() == FIGURE  # still where the analyst was
    stack.undo()
    assert stored(inspector)[0]["low"] is None and stored(inspector)[0]["best"] == 4
    assert cell_text(field, 0, FIGURE) == "4"


def test_unreadable_figures_are_refused_at_the_field(qtbot, inspector) -> None:
    field = field_of(inspector)
    type_into(qtbot, field, 0, FIGURE, "about ten")
    error = inspector.forms["entry"].error_text("claims")
    assert "‘about ten’ is not a figure" in error
    assert stored(inspector)[0]["best"] == 4
    assert inspector.document.undo_stack.count() == 0
    type_into(qtbot, field, 0, FIGURE, "10")
    assert stored(inspector)[0]["best"] == 10
    assert inspector.forms["entry"].error_text("claims") == ""


def test_a_choice_from_the_keyboard_is_saved_at_once(qtbot, inspector) -> None:
    field = field_of(inspector)
    go_to(qtbot, field, 1, WHAT)
    QTest.keyClick(field.table, Qt.Key.Key_F2)
    combo = editor(field)
    assert isinstance(combo, QComboBox) and combo.currentData() == "captured"
    QTest.keyClick(combo, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: stored(inspector)[1]["category"] == "missing")
    assert inspector.document.undo_stack.count() == 1


def test_insert_adds_a_claim_saved_once_it_says_something(qtbot, inspector) -> None:
    field = field_of(inspector)
    stack = inspector.document.undo_stack
    go_to(qtbot, field, 1, AFFECTED)
    QTest.keyClick(field.table, Qt.Key.Key_Insert)
    assert field.model.rowCount() == 3
    combo = editor(field)  # the new claim's side, to choose
    assert isinstance(combo, QComboBox)
    QTest.keyClick(combo, Qt.Key.Key_Escape)
    assert stack.count() == 0 and len(stored(inspector)) == 2
    type_into(qtbot, field, 2, FIGURE, "50")
    assert stack.count() == 1
    assert stack.undoText().startswith("Add casualty claim to ‘")
    added = stored(inspector)[2]
    assert added["best"] == 50 and added["side"] == "unknown" and added["category"] == "killed"
    stack.undo()
    assert len(stored(inspector)) == 2


def test_a_new_claim_without_figure_or_words_is_not_saved(qtbot, inspector) -> None:
    field = field_of(inspector)
    QTest.mouseClick(field.add_button, Qt.MouseButton.LeftButton)
    QTest.keyClick(editor(field), Qt.Key.Key_Escape)
    type_into(qtbot, field, 2, CLAIMED, "2021-11-17")
    assert "Claim 3 is not saved until it has a figure" in inspector.forms["entry"].error_text(
        "claims"
    )
    assert len(stored(inspector)) == 2
    type_into(qtbot, field, 2, WORDS, "dozens")
    assert stored(inspector)[2]["words"] == "dozens"
    assert stored(inspector)[2]["claimed_at"] == "2021-11-17T00:00:00Z"


def test_delete_removes_the_current_claim_as_one_step(qtbot, inspector) -> None:
    field = field_of(inspector)
    go_to(qtbot, field, 0, WHAT)
    QTest.keyClick(field.table, Qt.Key.Key_Delete)
    assert [c["category"] for c in stored(inspector)] == ["captured"]
    assert inspector.document.undo_stack.undoText().startswith("Delete casualty claim of ‘")
    inspector.document.undo_stack.undo()
    assert [c["category"] for c in stored(inspector)] == ["wounded", "captured"]


def test_the_wheel_never_edits_a_claim(qtbot, inspector) -> None:
    field = field_of(inspector)
    go_to(qtbot, field, 1, WHAT)
    QTest.keyClick(field.table, Qt.Key.Key_F2)
    combo = editor(field)
    assert combo.property("wheelGuarded")
    QTest.keyClick(combo, Qt.Key.Key_Escape)
    for target in (field.table.viewport(), field.widget):
        centre = QPointF(target.rect().center())
        event = QWheelEvent(centre, QPointF(target.mapToGlobal(centre.toPoint())), QPoint(0, 0),
                            QPoint(0, -120), Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
                            False)  # fmt: skip
        QApplication.sendEvent(target, event)
    assert inspector.document.undo_stack.count() == 0
    assert [c["category"] for c in stored(inspector)] == ["wounded", "captured"]


def test_read_only_shows_claims_but_offers_no_edit(qtbot, inspector) -> None:
    inspector.set_read_only(True)
    field = field_of(inspector)
    assert not field.add_button.isEnabled() and not field.remove_button.isEnabled()
    go_to(qtbot, field, 0, FIGURE)
    QTest.keyClick(field.table, Qt.Key.Key_F2)
    QTest.keyClick(field.table, Qt.Key.Key_Delete)
    assert field.model.rowCount() == 2
    assert not (field.model.flags(field.model.index(0, FIGURE)) & Qt.ItemFlag.ItemIsEditable)


def fits_without_scrolling(field: ClaimsField) -> bool:
    table = field.table
    shown = [c for c in range(field.model.columnCount()) if not table.isColumnHidden(c)]
    width = sum(table.horizontalHeader().sectionSize(c) for c in shown)
    return width <= table.viewport().width() and table.horizontalScrollBar().maximum() == 0


def test_a_narrow_dock_shows_the_claims_without_sideways_scrolling(qtbot, inspector) -> None:
    field = field_of(inspector)
    inspector.resize(320, 900)
    qtbot.waitUntil(lambda: fits_without_scrolling(field))
    table = field.table
    for column in (AFFECTED, FIGURE, WHAT, CLAIMANT):
        assert not table.isColumnHidden(column)
        assert table.horizontalHeader().sectionSize(column) >= 60
    assert table.isColumnHidden(WORDS)  # its words still show, in the figure column and tip
    tip = field.model.index(0, AFFECTED).data(Qt.ItemDataRole.ToolTipRole)
    assert "Claimed: 2021-11-16" in tip and "Words: four injured" in tip
    inspector.resize(1100, 900)
    qtbot.waitUntil(lambda: not any(table.isColumnHidden(c) for c in range(7)))
    assert fits_without_scrolling(field)


def test_a_claim_edited_after_a_colleague_changed_the_entry_is_refused(
    qtbot, inspector, demo_path
) -> None:
    field = field_of(inspector)
    inspector.document._watch.stop()  # the colleague's change is not yet seen
    refused: list[str] = []
    inspector.document.stale.connect(lambda error: refused.append(str(error)))
    entry = inspector.current[1]
    with open_project(demo_path, "Bob", take_over=True) as bob:
        seen_by_bob = records.get_record(bob, "entry", entry)
        records.update_record(bob, "entry", entry, {"place": "Sotk"}, stamp_of(seen_by_bob))
    go_to(qtbot, field, 0, WHAT)
    QTest.keyClick(field.table, Qt.Key.Key_Delete)
    assert refused and refused[0].startswith("Bob changed that timeline entry at ")
    assert [c["category"] for c in stored(inspector)] == ["wounded", "captured"]
    assert records.get_record(inspector.document.project, "entry", entry)["place"] == "Sotk"
    assert inspector.document.undo_stack.count() == 0
