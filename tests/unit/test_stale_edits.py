"""Two editors of one project: an edit or undo never overwrites the other's later change."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.errors import RecordError
from briefing.services import demo, records
from briefing.services.stamps import StaleRecord, stamp_of
from briefing.store import open_project


@pytest.fixture
def two_editors(tmp_path: Path):
    path = tmp_path / "desk.brief"
    demo.create_demo_project(path, "setup").close()
    ann = open_project(path, "Ann")
    bob = open_project(path, "Bob", take_over=True)
    yield ann, bob
    bob.close()
    ann.close()


def _entry(project) -> dict:
    return records.get_record(project, "entry", 1)


def test_an_edit_to_a_record_changed_since_it_was_loaded_is_refused(two_editors) -> None:
    ann, bob = two_editors
    seen_by_ann = _entry(ann)
    records.update_record(bob, "entry", 1, {"title": "Bob's title"}, loaded=stamp_of(_entry(bob)))
    with pytest.raises(StaleRecord) as refused:
        records.update_record(
            ann, "entry", 1, {"title": "Ann's title"}, loaded=stamp_of(seen_by_ann)
        )
    assert str(refused.value).startswith("Bob changed that timeline entry at ")
    assert "UTC" in str(refused.value) and "reload" in str(refused.value)
    assert refused.value.uuid == seen_by_ann["uuid"] and refused.value.kind == "entry"
    assert _entry(ann)["title"] == "Bob's title"


def test_an_edit_of_the_record_as_it_is_goes_through(two_editors) -> None:
    ann, bob = two_editors
    records.update_record(bob, "entry", 1, {"title": "Bob's title"}, loaded=stamp_of(_entry(bob)))
    change = records.update_record(
        ann, "entry", 1, {"place": "Jermuk"}, loaded=stamp_of(_entry(ann))
    )
    assert change.after["entry"][0]["title"] == "Bob's title"
    assert _entry(bob)["place"] == "Jermuk"


def test_an_edit_to_a_record_deleted_since_says_who_deleted_it(two_editors) -> None:
    ann, bob = two_editors
    party = records.create_record(ann, "party", {"name": "Short-lived", "kind": "state"})
    seen = party.after["party"][0]
    records.delete_records(bob, "party", [seen["_id"]])
    with pytest.raises(RecordError) as refused:
        records.update_record(ann, "party", seen["_id"], {"name": "Renamed"}, loaded=stamp_of(seen))
    assert "no longer exists" in str(refused.value)


def test_undo_never_overwrites_a_later_edit_by_someone_else(two_editors) -> None:
    ann, bob = two_editors
    mine = records.update_record(
        ann, "entry", 1, {"title": "Ann's title"}, loaded=stamp_of(_entry(ann))
    )
    records.update_record(bob, "entry", 1, {"place": "Sotk"}, loaded=stamp_of(_entry(bob)))
    with pytest.raises(StaleRecord) as refused:
        records.restore(ann, mine.before, {}, "Undo", expected=mine.left())
    assert str(refused.value).startswith("Bob changed that timeline entry")
    now = _entry(ann)
    assert (now["title"], now["place"]) == ("Ann's title", "Sotk")


def test_undo_and_redo_of_my_own_edit_go_through(two_editors) -> None:
    ann, _ = two_editors
    old = _entry(ann)["title"]
    mine = records.update_record(
        ann, "entry", 1, {"title": "Ann's title"}, loaded=stamp_of(_entry(ann))
    )
    undone = records.restore(ann, mine.before, {}, "Undo", expected=mine.left())
    assert _entry(ann)["title"] == old
    records.restore(ann, mine.after, {}, "Redo", expected=undone.left())
    assert _entry(ann)["title"] == "Ann's title"


def test_undo_of_a_creation_is_refused_once_someone_else_edited_the_record(two_editors) -> None:
    ann, bob = two_editors
    made = records.create_record(ann, "party", {"name": "New party", "kind": "state"})
    record = made.after["party"][0]
    records.update_record(
        bob, "party", record["_id"], {"colour": "#112233"}, loaded=stamp_of(record)
    )
    with pytest.raises(StaleRecord):
        records.restore(ann, {}, made.after, "Undo", expected=made.left())
    assert records.get_record(bob, "party", record["_id"])["colour"] == "#112233"


def test_undo_of_a_deletion_is_refused_when_a_touched_record_changed_since(two_editors) -> None:
    ann, bob = two_editors
    entry = _entry(ann)
    source_uuid = entry["sources"][0]
    with ann.engine.connect() as connection:
        source_id = records.id_of(connection, "source", source_uuid)
    gone = records.delete_records(ann, "source", [source_id])
    records.update_record(bob, "entry", 1, {"place": "Sotk"}, loaded=stamp_of(_entry(bob)))
    with pytest.raises(StaleRecord):
        records.restore(ann, gone.before, {}, "Undo", expected=gone.left())
    assert _entry(bob)["place"] == "Sotk"
