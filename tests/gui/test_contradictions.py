from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from briefing.gui.contradictions import PARTNER_BACKGROUND, ContradictionsView
from briefing.gui.document import ProjectDocument
from briefing.services import records

CLASH = 3
ARM_MOD_ATTACK, AZE_MOD_PROVOCATION, GRIGORYAN = 1, 4, 6


@pytest.fixture
def view(qtbot, demo_project) -> ContradictionsView:
    widget = ContradictionsView(ProjectDocument(demo_project))
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    return widget


def column_cards(view: ContradictionsView) -> dict[str, list[int]]:
    return {c.label: [s.id for s in c.statements] for c in view.view.columns}


@pytest.mark.parametrize(
    ("kind", "record_id"), [("entry", CLASH), ("statement", AZE_MOD_PROVOCATION)]
)
def test_groups_the_clash_statements_by_party(view, kind, record_id) -> None:
    view.show_record(kind, record_id)
    assert column_cards(view) == {"Armenia": [1, 2, 3], "Azerbaijan": [4, 5]}
    assert "Clashes on the Armenia–Azerbaijan border" in view.heading.text()
    assert "#1 ↔ #4" in view.summary.text()
    assert view.cards[AZE_MOD_PROVOCATION].contradicted
    assert not view.cards[2].contradicted


def test_other_kinds_leave_the_view_as_it_is(view) -> None:
    view.show_record("entry", CLASH)
    view.show_record("party", 1)
    assert view.view is not None and view.view.entry_id == CLASH


def test_clicking_a_card_emits_the_statement_and_marks_partners(qtbot, view) -> None:
    view.show_record("entry", CLASH)
    card = view.cards[ARM_MOD_ATTACK]
    with qtbot.waitSignal(view.recordActivated) as signal:
        qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
    assert signal.args == ["statement", ARM_MOD_ATTACK]
    assert PARTNER_BACKGROUND in view.cards[AZE_MOD_PROVOCATION].styleSheet()
    assert PARTNER_BACKGROUND not in view.cards[5].styleSheet()


def test_a_statement_about_nothing_says_so(view) -> None:
    view.document.run(lambda p: records.update_record(p, "statement", GRIGORYAN, {"entry": None}))
    view.show_record("statement", GRIGORYAN)
    assert view.view is None
    assert "not linked" in view.heading.text()


def test_an_edit_refreshes_the_cards(view) -> None:
    view.show_record("entry", CLASH)
    view.document.run(
        lambda p: records.update_record(p, "statement", 5, {"quote": "We hold the heights."})
    )
    assert [s.quote for s in view.view.columns[1].statements][1] == "We hold the heights."
    view.document.undo_stack.undo()
    assert view.view.columns[1].statements[1].quote.startswith("stopped the enemy")


def test_following_a_statement_marks_its_card_without_rebuilding(view) -> None:
    view.show_record("entry", CLASH)
    card = view.cards[AZE_MOD_PROVOCATION]
    view.show_record("statement", AZE_MOD_PROVOCATION)
    assert view.cards[AZE_MOD_PROVOCATION] is card
    assert "#2F6FA7" in card.styleSheet()
    assert PARTNER_BACKGROUND in view.cards[ARM_MOD_ATTACK].styleSheet()
