from __future__ import annotations

from typing import Any

import pytest
from postgres import demo_project_on_both_back_ends  # noqa: F401  (file and server)

from briefing.errors import RecordError
from briefing.model import codec
from briefing.services.records import (
    create_record,
    delete_records,
    dependents,
    get_record,
    restore,
    update_record,
    usage_count,
)
from briefing.store import Project

STAMPS = ("updated_at", "updated_by")


def dump_all(project: Project) -> codec.Records:
    with project.engine.connect() as connection:
        return codec.dump_all(connection)


def unstamped(records: codec.Records) -> codec.Records:
    """Records without the last-change stamps, which every undo renews."""
    return {
        kind: [{k: v for k, v in r.items() if k not in STAMPS} for r in batch]
        for kind, batch in records.items()
    }


def tombstones(project: Project) -> dict[str, str]:
    with project.engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT uuid, kind FROM tombstone")
        return {uuid: kind for uuid, kind in rows}


def id_of(project: Project, kind: str, field: str, value: Any) -> int:
    with project.engine.connect() as connection:
        table = codec.TABLE_NAMES[kind]
        return connection.exec_driver_sql(
            f"SELECT id FROM {table} WHERE {field} = ?", (value,)
        ).scalar_one()


def test_create_then_undo_then_redo(demo_project: Project) -> None:
    original = dump_all(demo_project)
    change = create_record(
        demo_project, "source", {"title": "Ermənistan <b>&</b>", "kind": "news", "reliability": "B"}
    )
    (uuid,) = change.created_uuids
    created = get_record(demo_project, "source", change.ids["source"][0])
    assert (created["title"], created["updated_by"]) == ("Ermənistan <b>&</b>", "Test analyst")
    restore(demo_project, {}, remove=change.after, description="Undo")
    assert unstamped(dump_all(demo_project)) == unstamped(original)
    assert tombstones(demo_project) == {uuid: "source"}
    restore(demo_project, change.after, description="Redo")
    assert get_record(demo_project, "source", change.ids["source"][0])["uuid"] == uuid
    assert tombstones(demo_project) == {}


def test_update_then_undo(demo_project: Project) -> None:
    record_id = id_of(demo_project, "party", "short_name", "Armenia")
    change = update_record(
        demo_project, "party", record_id, {"name": "Հայաստան", "colour": "#000000"}
    )
    assert change.before["party"][0]["name"] == "Armenia"
    assert get_record(demo_project, "party", record_id)["name"] == "Հայաստան"
    assert change.description == "Edit party ‘Հայաստան’"
    one_field = update_record(demo_project, "party", record_id, {"colour": "#ffffff"})
    assert one_field.description == "Edit party colour of ‘Հայաստան’"
    restore(demo_project, change.before)
    assert get_record(demo_project, "party", record_id)["name"] == "Armenia"


def test_update_keeps_fields_not_given(demo_project: Project) -> None:
    record_id = id_of(demo_project, "source", "id", 1)
    before = get_record(demo_project, "source", record_id)
    update_record(demo_project, "source", record_id, {"reliability": "A"})
    after = get_record(demo_project, "source", record_id)
    assert {k for k in after if after[k] != before[k]} == {"reliability", *STAMPS}


def test_a_bad_edit_changes_nothing(demo_project: Project) -> None:
    original = dump_all(demo_project)
    with pytest.raises(RecordError, match="field 'credibility' must be a whole number from 1 to 6"):
        update_record(demo_project, "entry", 1, {"credibility": 9, "title": "changed"})
    assert dump_all(demo_project) == original


@pytest.mark.parametrize(
    ("kind", "field", "value"),
    [
        ("party", "short_name", "Armenia"),
        ("source", "id", 1),
        ("entry", "id", 2),
        ("statement", "id", 1),
        ("relationship", "id", 1),
        ("briefing", "id", 1),
    ],
)
def test_undo_of_a_delete_restores_links_and_briefing_items(
    demo_project: Project, kind: str, field: str, value: Any
) -> None:
    original = dump_all(demo_project)
    record_id = id_of(demo_project, kind, field, value)
    change = delete_records(demo_project, kind, [record_id])
    uuid = change.deleted_uuids[0]
    assert tombstones(demo_project)[uuid] == kind
    assert uuid not in {r["uuid"] for r in dump_all(demo_project)[kind]}
    restore(demo_project, change.before, description="Undo delete")
    assert unstamped(dump_all(demo_project)) == unstamped(original)
    assert get_record(demo_project, kind, record_id)["uuid"] == uuid  # same id again
    assert tombstones(demo_project) == {}


def test_deleting_a_party_removes_it_everywhere_and_marks_what_changed(
    demo_project: Project,
) -> None:
    armenia = id_of(demo_project, "party", "short_name", "Armenia")
    assert usage_count(demo_project, "party", armenia) == 1
    change = delete_records(demo_project, "party", [armenia])
    assert {"party", "entry", "relationship", "briefing"} <= set(change.ids)
    after = dump_all(demo_project)
    uuid = change.deleted_uuids[0]
    assert all(p["party"] != uuid for e in after["entry"] for p in e["parties"])
    assert all(uuid not in (r["party_a"], r["party_b"]) for r in after["relationship"])
    items = [i for b in after["briefing"] for s in b["sections"] for i in s["items"]]
    assert all(i.get("ref") != uuid for i in items)  # a map item names no record
    touched = {e["uuid"] for e in change.after["entry"]}
    assert all(e["updated_by"] == "Test analyst" for e in after["entry"] if e["uuid"] in touched)


def test_dependents_of_a_statement_are_the_statements_it_contradicts(
    demo_project: Project,
) -> None:
    statement = next(s for s in dump_all(demo_project)["statement"] if s["contradicts"])
    statement_id = id_of(demo_project, "statement", "uuid", statement["uuid"])
    with demo_project.engine.connect() as connection:
        found = dependents(connection, "statement", [statement_id])
    others = {id_of(demo_project, "statement", "uuid", u) for u in statement["contradicts"]}
    assert found["statement"] == others


@pytest.mark.parametrize(("ids", "message"), [([], "Nothing is selected"), ([999], "no longer")])
def test_deleting_nothing_is_refused(demo_project: Project, ids: list[int], message: str) -> None:
    with pytest.raises(RecordError, match=message):
        delete_records(demo_project, "entry", ids)


def test_editing_a_vanished_record_is_refused(demo_project: Project) -> None:
    with pytest.raises(RecordError, match="That timeline entry no longer exists"):
        update_record(demo_project, "entry", 999, {"title": "x"})
