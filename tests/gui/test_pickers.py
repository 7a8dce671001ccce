"""Pickers take a typed name: exact or unique prefix, any case or accent; never dropped."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from briefing.gui import dialogs
from briefing.gui.document import ProjectDocument
from briefing.gui.inspector.panel import Inspector
from briefing.model import codec
from briefing.services import records
from briefing.services.demo import uid
from briefing.services.record_choices import Choice, matching


def id_of(project, kind: str, slug: str) -> int:
    with project.engine.connect() as connection:
        return codec.ids_for_uuids(connection, codec.table(kind), [uid(slug)])[uid(slug)]


@pytest.fixture
def inspector(qtbot, demo_project):
    document = ProjectDocument(demo_project)
    panel = Inspector(document)
    document.changed.connect(panel.apply_change)
    qtbot.addWidget(panel)
    panel.resize(420, 700)
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    yield panel
    document.close()


def type_into(qtbot, combo, text: str) -> None:
    """Select what the box holds, type ``text`` and press Tab, as an analyst would."""
    edit = combo.lineEdit()
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    edit.selectAll()
    QTest.keyClicks(edit, text)
    # Keys go where the system sends them: to the suggestion list while it is shown.
    QTest.keyClick(QApplication.activePopupWidget() or edit, Qt.Key.Key_Tab)


def speaker_of(inspector, statement: int) -> str | None:
    return records.get_record(inspector.document.project, "statement", statement)["speaker"]


@pytest.mark.parametrize("typed", ["armen grigoryan", "ARMEN GRIG", "Armen Grigoryan"])
def test_a_typed_unique_name_or_prefix_is_chosen(qtbot, inspector, typed) -> None:
    statement = id_of(inspector.document.project, "statement", "arm-mod-positions")
    inspector.show_record("statement", statement)
    combo = inspector.forms["statement"].field_for("speaker").combo
    type_into(qtbot, combo, typed)
    assert speaker_of(inspector, statement) == uid("grigoryan")
    assert inspector.document.undo_stack.count() == 1


def test_an_ambiguous_prefix_is_kept_and_explained(qtbot, inspector) -> None:
    statement = id_of(inspector.document.project, "statement", "arm-mod-positions")
    inspector.show_record("statement", statement)
    form = inspector.forms["statement"]
    before = speaker_of(inspector, statement)
    type_into(qtbot, form.field_for("speaker").combo, "Armed")
    assert speaker_of(inspector, statement) == before
    assert "Armed Forces of Armenia" in form.error_text("speaker")
    assert "type more" in form.error_text("speaker")
    assert form.field_for("speaker").combo.currentText() == "Armed"


def test_an_unknown_name_offers_a_new_party(qtbot, inspector, monkeypatch) -> None:
    asked: list[str] = []
    monkeypatch.setattr(
        dialogs, "ask_new_party_kind", lambda p, name: asked.append(name) or "official"
    )
    statement = id_of(inspector.document.project, "statement", "arm-mod-positions")
    inspector.show_record("statement", statement)
    type_into(qtbot, inspector.forms["statement"].field_for("speaker").combo, "Jeyhun Bayramov")
    assert asked == ["Jeyhun Bayramov"]
    speaker = speaker_of(inspector, statement)
    project = inspector.document.project
    with project.engine.connect() as connection:
        party = records.get_record(project, "party", records.id_of(connection, "party", speaker))
    assert (party["name"], party["kind"]) == ("Jeyhun Bayramov", "official")
    assert inspector.document.undo_stack.count() == 2


def test_an_unknown_name_declined_stays_in_the_box_with_a_reason(
    qtbot, inspector, monkeypatch
) -> None:
    monkeypatch.setattr(dialogs, "ask_new_party_kind", lambda p, name: None)
    statement = id_of(inspector.document.project, "statement", "arm-mod-positions")
    inspector.show_record("statement", statement)
    form = inspector.forms["statement"]
    combo = form.field_for("speaker").combo
    type_into(qtbot, combo, "Nobody Known")
    assert combo.currentText() == "Nobody Known"
    assert "not a party" in form.error_text("speaker")
    assert inspector.document.undo_stack.count() == 0


def test_the_pop_up_is_as_wide_as_its_longest_entry(inspector) -> None:
    inspector.show_record("party", id_of(inspector.document.project, "party", "arm-mod"))
    combo = inspector.forms["party"].field_for("parent").combo
    widest = max(
        combo.fontMetrics().horizontalAdvance(combo.itemText(i)) for i in range(combo.count())
    )
    assert combo.view().minimumWidth() >= widest
    assert combo.completer().popup().minimumWidth() >= widest


def test_matching_ignores_case_and_accents() -> None:
    offered = [
        Choice(1, "a", "Erdoğan"),
        Choice(2, "b", "Armenia (ARM)"),
        Choice(3, "c", "Armed forces"),
    ]
    assert [c.uuid for c in matching(offered, "erdogan")] == ["a"]
    assert [c.uuid for c in matching(offered, "armenia")] == ["b"]
    assert [c.uuid for c in matching(offered, "arm")] == ["b", "c"]
    assert matching(offered, "") == [] and matching(offered, "zz") == []
