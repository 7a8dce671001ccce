from __future__ import annotations

import gc
import sqlite3
import weakref

import pytest

from briefing.gui.document import ProjectDocument
from briefing.services import records


def count(project, table: str) -> int:
    with project.engine.connect() as connection:
        return connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one()


def test_edit_undo_redo_round_trip(qtbot, demo_project) -> None:
    document = ProjectDocument(demo_project)
    entry = records.get_record(demo_project, "entry", 3)
    with qtbot.waitSignal(document.changed) as signal:
        document.run(lambda p: records.update_record(p, "entry", 3, {"title": "Edited"}))
    assert signal.args[0].ids == {"entry": (3,)}
    assert records.get_record(demo_project, "entry", 3)["title"] == "Edited"
    assert document.undo_stack.undoText().startswith("Edit timeline entry")
    document.undo_stack.undo()
    assert records.get_record(demo_project, "entry", 3)["title"] == entry["title"]
    document.undo_stack.redo()
    assert records.get_record(demo_project, "entry", 3)["title"] == "Edited"


def test_delete_and_undo_restores_links_and_briefing_items(qtbot, demo_project) -> None:
    document = ProjectDocument(demo_project)
    items_before = count(demo_project, "section_item")
    links_before = count(demo_project, "entry_party")
    document.run(lambda p: records.delete_records(p, "party", [1]))  # Armenia
    assert count(demo_project, "entry_party") < links_before
    document.undo_stack.undo()
    assert count(demo_project, "entry_party") == links_before
    assert count(demo_project, "section_item") == items_before
    assert records.get_record(demo_project, "party", 1)["name"] == "Armenia"
    document.undo_stack.redo()
    assert document.record("party", 1) is None


def test_create_then_undo_removes_it(qtbot, demo_project) -> None:
    document = ProjectDocument(demo_project)
    change = document.run(
        lambda p: records.create_record(
            p, "party", {"name": "OSCE Minsk Group", "kind": "organisation"}
        )
    )
    new_id = change.ids["party"][0]
    document.undo_stack.undo()
    assert document.record("party", new_id) is None
    document.undo_stack.redo()
    assert document.record("party", new_id)["name"] == "OSCE Minsk Group"


def test_refused_action_changes_nothing_and_says_why(qtbot, demo_project) -> None:
    document = ProjectDocument(demo_project)
    with qtbot.waitSignal(document.failed) as signal:
        assert (
            document.run(lambda p: records.update_record(p, "entry", 999, {"title": "x"})) is None
        )
    assert "no longer exists" in signal.args[0]
    assert document.undo_stack.count() == 0


def test_commit_by_another_program_reloads(qtbot, demo_project) -> None:
    document = ProjectDocument(demo_project)
    other = sqlite3.connect(demo_project.path)
    other.execute("UPDATE party SET colour = '#123456' WHERE id = 2")
    other.commit()
    other.close()
    with qtbot.waitSignal(document.reloaded, timeout=5000):
        pass


@pytest.mark.parametrize("step", ["edit", "undo"])
def test_a_document_with_undo_steps_is_freed_when_dropped(qtbot, demo_project, step) -> None:
    """No cycle through its undo steps: Qt objects go at once, never inside a later event."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        document = ProjectDocument(demo_project)
        document.run(lambda p: records.update_record(p, "entry", 3, {"title": "Edited"}))
        if step == "undo":
            document.undo_stack.undo()
        gone = weakref.ref(document)
        del document
        assert gone() is None
    finally:
        if collecting:
            gc.enable()
