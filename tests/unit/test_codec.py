from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from postgres import demo_project_on_both_back_ends  # noqa: F401  (file and server)

from briefing.errors import RecordError
from briefing.model import codec, fulltext
from briefing.model.base import new_uuid
from briefing.model.vocab import PartyKind, StatementKind
from briefing.store import Project, create_project


def dump_all(project: Project) -> codec.Records:
    with project.engine.connect() as connection:
        return codec.dump_all(connection)


def load(project: Project, records: codec.Records, analyst: str | None = None) -> codec.LoadResult:
    with project.transaction() as session:
        return codec.load(session.connection(), records, analyst=analyst)


def one(project: Project, kind: str, uuid: str) -> dict[str, Any]:
    return next(r for r in dump_all(project)[kind] if r["uuid"] == uuid)


@pytest.fixture
def empty(tmp_path: Path) -> Project:
    project = create_project(tmp_path / "empty.brief", "Test analyst")
    yield project
    project.close()


def party(**values: Any) -> dict[str, Any]:
    return {"uuid": new_uuid(), "name": "Armenia", "kind": "state", **values}


def test_dump_then_load_into_an_empty_project_is_equal(
    demo_project: Project, empty: Project
) -> None:
    records = dump_all(demo_project)
    load(empty, records)
    assert dump_all(empty) == dump_all(demo_project)


def test_load_without_analyst_keeps_the_documents_stamps(empty: Project) -> None:
    record = party(created_at="2021-11-16T07:00:00Z", updated_at="2021-11-17T07:00:00Z")
    load(empty, {"party": [record]})
    stored = one(empty, "party", record["uuid"])
    assert (stored["created_at"], stored["updated_at"]) == (
        "2021-11-16T07:00:00Z",
        "2021-11-17T07:00:00Z",
    )


def test_load_with_an_analyst_stamps_the_change_now(empty: Project) -> None:
    record = party(created_at="2021-11-16T07:00:00Z", updated_at="2021-11-16T07:00:00Z")
    load(empty, {"party": [record]}, analyst="Ana")
    stored = one(empty, "party", record["uuid"])
    updated = datetime.fromisoformat(stored["updated_at"])
    assert stored["updated_by"] == "Ana"
    assert stored["created_at"] == "2021-11-16T07:00:00Z"
    assert datetime.now(UTC) - updated < timedelta(minutes=5)


def test_missing_optional_fields_take_their_defaults(empty: Project) -> None:
    record = {"uuid": new_uuid(), "name": "Armenia", "kind": "state"}
    load(empty, {"party": [record]})
    stored = one(empty, "party", record["uuid"])
    assert (stored["colour"], stored["tlp"], stored["tags"], stored["parent"]) == (
        "#607080",
        "CLEAR",
        "",
        None,
    )


def test_values_from_the_window_may_be_enums_and_aware_datetimes(empty: Project) -> None:
    speaker = party(kind=PartyKind.MINISTRY)
    baku = timezone(timedelta(hours=4))
    statement = {
        "uuid": new_uuid(),
        "quote": "…",
        "kind": StatementKind.DENIAL,
        "speaker": speaker["uuid"],
        "said_at": datetime(2021, 11, 16, 11, 0, tzinfo=baku),
    }
    load(empty, {"party": [speaker], "statement": [statement]})
    stored = one(empty, "statement", statement["uuid"])
    assert (stored["kind"], stored["said_at"]) == ("denial", "2021-11-16T07:00:00Z")
    assert one(empty, "party", speaker["uuid"])["kind"] == "ministry"


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("2021-11-16T07:00:00Z", "2021-11-16T07:00:00.000000Z"),
        ("2021-11-16T11:00:00+04:00", "2021-11-16T07:00:00.000000Z"),
        ("2021-11-16T07:00:00.5Z", "2021-11-16T07:00:00.500000Z"),
        ("2021-11-16T07:00:00.123456Z", "2021-11-16T07:00:00.123456Z"),
        (datetime(2021, 11, 16, 7, tzinfo=UTC), "2021-11-16T07:00:00.000000Z"),
        ("", None),
        (None, None),
    ],
)
def test_stored_time(value: object, stored: str | None) -> None:
    assert codec.stored_time(value) == stored


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("2021-11-16T07:00:00", "has no time zone"),
        (datetime(2021, 11, 16, 7), "has no time zone"),
        ("yesterday", "is not a valid ISO 8601 time"),
        ("2021-02-30T00:00:00Z", "is not a valid ISO 8601 time"),
        (20211116, "must be a time"),
    ],
)
def test_stored_time_refuses(value: object, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        codec.stored_time(value)


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"kind": "state"}, r"Party [0-9a-f-]{36}: field 'name' is missing"),
        (
            {"name": "X", "kind": "empire"},
            r"Party ‘X’: field 'kind' must be one of state, .* \(not empire\)",
        ),
        ({"name": "X", "kind": "state", "tlp": "PINK"}, r"field 'tlp' must be one of"),
        (
            {"name": "X", "kind": "state", "created_at": "2021-11-16"},
            r"field 'created_at' has no time zone",
        ),
        (
            {"name": "X", "kind": "state", "parent": new_uuid()},
            r"field 'parent' refers to a party .* neither",
        ),
    ],
)
def test_load_names_the_record_and_field_at_fault(
    empty: Project, record: dict[str, Any], message: str
) -> None:
    with pytest.raises(RecordError, match=message):
        load(empty, {"party": [record]})
    assert dump_all(empty)["party"] == []


def test_a_parent_later_in_the_batch_is_linked(empty: Project) -> None:
    child, parent = party(name="Ministry of Defence"), party(name="Armenia")
    child["parent"] = parent["uuid"]
    load(empty, {"party": [child, parent]})
    assert one(empty, "party", child["uuid"])["parent"] == parent["uuid"]


def test_a_snapshot_with_ids_comes_back_under_its_old_id(demo_project: Project) -> None:
    with demo_project.engine.connect() as connection:
        (snapshot,) = codec.dump(connection, "source", [3], with_ids=True)
    with demo_project.transaction() as session:
        session.connection().exec_driver_sql("DELETE FROM source WHERE id = 3")
    result = load(demo_project, {"source": [snapshot]})
    assert result.inserted["source"] == [3]


def test_reloading_an_entry_replaces_its_links(demo_project: Project) -> None:
    entry = next(e for e in dump_all(demo_project)["entry"] if len(e["parties"]) > 1)
    keep = entry["parties"][0]
    load(demo_project, {"entry": [{**entry, "parties": [keep], "sources": []}]})
    stored = one(demo_project, "entry", entry["uuid"])
    assert (stored["parties"], stored["sources"]) == ([keep], [])


def test_contradiction_is_seen_from_both_statements(demo_project: Project) -> None:
    first, second, *_ = (s for s in dump_all(demo_project)["statement"] if not s["contradicts"])
    load(demo_project, {"statement": [{**first, "contradicts": [second["uuid"]]}]})
    assert one(demo_project, "statement", second["uuid"])["contradicts"] == [first["uuid"]]
    load(demo_project, {"statement": [{**first, "contradicts": []}]})
    assert one(demo_project, "statement", second["uuid"])["contradicts"] == []


def search_titles(project: Project, words: str) -> list[str]:
    with project.engine.connect() as connection:
        return [hit.title for hit in fulltext.search(connection, words)]


def test_loaded_records_are_searchable_and_old_words_are_forgotten(empty: Project) -> None:
    record = party(name="Հայաստան Republic")
    load(empty, {"party": [record]})
    assert search_titles(empty, "Հայաստան") == ["Հայաստան Republic"]
    load(empty, {"party": [{**record, "name": "Azərbaycan"}]})
    assert search_titles(empty, "Հայաստան") == []
    assert search_titles(empty, "AZƏRBAYCAN") == ["Azərbaycan"]


def test_renaming_a_party_reindexes_its_entries(demo_project: Project) -> None:
    records = dump_all(demo_project)
    entry = next(e for e in records["entry"] if e["parties"])
    named = next(p for p in records["party"] if p["uuid"] == entry["parties"][0]["party"])
    load(demo_project, {"party": [{**named, "name": "Zanzibarian Ministry"}]})
    assert entry["title"] in search_titles(demo_project, "Zanzibarian")


@pytest.mark.parametrize("zone", ["Asia", "Mars/Olympus_Mons", "", "../etc/passwd"])
def test_a_zone_that_is_not_an_iana_zone_is_refused_naming_the_field(demo_project, zone) -> None:
    from briefing.services import records

    with pytest.raises(RecordError, match="field 'zone'.*not an IANA time zone"):
        records.update_record(demo_project, "entry", 3, {"zone": zone})
    assert records.get_record(demo_project, "entry", 3)["zone"] == "Asia/Baku"
