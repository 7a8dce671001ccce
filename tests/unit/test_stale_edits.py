"""Two editors of one project: an edit or undo never overwrites the other's later change."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.errors import RecordError
from briefing.services import briefings, records
from briefing.services.claims import delete_claim, set_claims
from briefing.services.stamps import StaleRecord, stamp_of
from briefing.store import open_project


@pytest.fixture
def two_editors(demo_target: Path | str):
    """Ann and Bob on one demo project: a file, then a team server."""
    ann = open_project(demo_target, "Ann")
    extra = {"take_over": True} if isinstance(demo_target, Path) else {}
    bob = open_project(demo_target, "Bob", **extra)
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


def _stale_by_bob(refused: pytest.ExceptionInfo[StaleRecord], what: str) -> None:
    said = str(refused.value)
    assert said.startswith(f"Bob changed that {what} at ") and "UTC" in said
    assert "reload" in said and "\n" not in said


def test_a_deletion_of_a_record_changed_since_it_was_loaded_is_refused(two_editors) -> None:
    ann, bob = two_editors
    seen = _entry(ann)
    records.update_record(bob, "entry", 1, {"place": "Sotk"}, loaded=stamp_of(_entry(bob)))
    with pytest.raises(StaleRecord) as refused:
        records.delete_records(ann, "entry", [1], loaded={1: stamp_of(seen)})
    _stale_by_bob(refused, "timeline entry")
    assert "nothing was deleted" in str(refused.value)
    assert _entry(bob)["place"] == "Sotk"


def test_a_deletion_of_the_record_as_it_is_goes_through(two_editors) -> None:
    ann, bob = two_editors
    gone = records.delete_records(ann, "entry", [1], loaded={1: stamp_of(_entry(ann))})
    assert gone.deleted_uuids
    with pytest.raises(RecordError):
        _entry(bob)


def test_a_claims_edit_to_an_entry_changed_since_is_refused(two_editors) -> None:
    ann, bob = two_editors
    seen = next(e for e in _entries_with_claims(ann))
    entry_id, claims = seen["_id"], [dict(c) for c in seen["claims"]]
    records.update_record(
        bob, "entry", entry_id, {"place": "Sotk"}, loaded=stamp_of(_get(bob, entry_id))
    )
    claims[0]["best"] = 999
    with pytest.raises(StaleRecord) as refused:
        set_claims(ann, entry_id, claims, loaded=stamp_of(seen))
    _stale_by_bob(refused, "timeline entry")
    assert _get(bob, entry_id)["claims"] == seen["claims"]
    change = set_claims(ann, entry_id, claims, loaded=stamp_of(_get(ann, entry_id)))
    assert change.after["entry"][0]["claims"][0]["best"] == 999


def test_undo_of_a_claims_edit_never_overwrites_a_later_edit(two_editors) -> None:
    ann, bob = two_editors
    seen = next(e for e in _entries_with_claims(ann))
    entry_id = seen["_id"]
    mine = delete_claim(ann, entry_id, seen["claims"][0]["uuid"], loaded=stamp_of(seen))
    records.update_record(
        bob, "entry", entry_id, {"place": "Sotk"}, loaded=stamp_of(_get(bob, entry_id))
    )
    with pytest.raises(StaleRecord):
        records.restore(ann, mine.before, {}, "Undo", expected=mine.left())
    now = _get(bob, entry_id)
    assert now["place"] == "Sotk" and len(now["claims"]) == len(seen["claims"]) - 1


def test_a_position_set_on_the_map_after_someone_moved_the_entry_is_refused(
    two_editors,
) -> None:
    ann, bob = two_editors
    seen = _entry(ann)
    records.update_record(
        bob, "entry", 1, {"latitude": 40.1, "longitude": 45.1}, loaded=stamp_of(_entry(bob))
    )
    with pytest.raises(StaleRecord) as refused:
        records.update_record(
            ann, "entry", 1, {"latitude": 39.5, "longitude": 46.0}, loaded=stamp_of(seen)
        )
    _stale_by_bob(refused, "timeline entry")
    assert (_entry(bob)["latitude"], _entry(bob)["longitude"]) == (40.1, 45.1)


def _briefing(project) -> dict:
    with project.engine.connect() as connection:
        first = connection.exec_driver_sql("SELECT min(id) FROM briefing").scalar_one()
    return {**records.get_record(project, "briefing", first), "_id": first}


@pytest.mark.parametrize(
    "edit",
    [
        lambda p, b, s, loaded: briefings.edit_section(p, b, s, body="Mine.", loaded=loaded),
        lambda p, b, s, loaded: briefings.edit_section(p, b, s, heading="Mine", loaded=loaded),
        lambda p, b, s, loaded: briefings.add_section(p, b, "Another", loaded=loaded),
        lambda p, b, s, loaded: briefings.move_section(p, b, s, 5, loaded=loaded),
        lambda p, b, s, loaded: briefings.add_items(p, b, [("source", 1)], s, loaded=loaded),
        lambda p, b, s, loaded: briefings.add_judgment(p, b, "Likely so.", loaded=loaded),
        lambda p, b, s, loaded: briefings.edit_metadata(p, b, subtitle="Mine", loaded=loaded),
        lambda p, b, s, loaded: briefings.delete_briefing(p, b, loaded=loaded),
    ],
    ids=["text", "heading", "add-section", "move", "add-items", "judgment", "metadata", "delete"],
)
def test_a_composer_edit_to_a_briefing_changed_since_is_refused(two_editors, edit) -> None:
    ann, bob = two_editors
    seen = _briefing(ann)
    section = seen["sections"][0]["uuid"]
    theirs = briefings.edit_section(
        bob, seen["_id"], section, body="Bob's words.", loaded=stamp_of(_briefing(bob))
    )
    with pytest.raises(StaleRecord) as refused:
        edit(ann, seen["_id"], section, stamp_of(seen))
    _stale_by_bob(refused, "briefing")
    assert _briefing(bob) == theirs.after["briefing"][0]


def test_a_composer_edit_without_a_stamp_never_drops_a_colleague_edit(two_editors) -> None:
    """Reading the briefing and saving it whole expects it unchanged in between."""
    ann, bob = two_editors
    seen = _briefing(ann)
    section = seen["sections"][0]["uuid"]
    briefings.edit_section(bob, seen["_id"], section, body="Bob's words.")
    briefings.add_judgment(ann, seen["_id"], "Likely so.")
    now = _briefing(bob)
    assert now["sections"][0]["body"] == "Bob's words."
    assert now["judgments"][-1]["text"] == "Likely so."


def test_undo_of_a_composer_edit_never_overwrites_a_later_one(two_editors) -> None:
    ann, bob = two_editors
    seen = _briefing(ann)
    section = seen["sections"][0]["uuid"]
    mine = briefings.edit_section(ann, seen["_id"], section, body="Ann's.", loaded=stamp_of(seen))
    briefings.add_judgment(bob, seen["_id"], "Bob's judgment.", loaded=stamp_of(_briefing(bob)))
    with pytest.raises(StaleRecord):
        records.restore(ann, mine.before, {}, "Undo", expected=mine.left())
    now = _briefing(bob)
    assert now["sections"][0]["body"] == "Ann's."
    assert now["judgments"][-1]["text"] == "Bob's judgment."


def _get(project, entry_id: int) -> dict:
    return {**records.get_record(project, "entry", entry_id), "_id": entry_id}


def _entries_with_claims(project):
    with project.engine.connect() as connection:
        ids = [
            r[0]
            for r in connection.exec_driver_sql(
                "SELECT DISTINCT entry_id FROM casualty_claim ORDER BY entry_id"
            )
        ]
    return (_get(project, i) for i in ids)
