from __future__ import annotations

import copy
import itertools
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator
from postgres import demo_project_on_both_back_ends  # noqa: F401  (file and server)
from record_strategies import projects

from briefing import files
from briefing.errors import BriefingError, RecordError
from briefing.io.jsoncheck import document_schema, first_problem
from briefing.io.jsondoc import FORMAT, VERSION, export_json, import_json
from briefing.model import codec
from briefing.model.base import new_uuid
from briefing.store import Project, create_project, open_project


def dump_all(project: Project) -> codec.Records:
    with project.engine.connect() as connection:
        return codec.dump_all(connection)


def counts(project: Project) -> dict[str, int]:
    return {kind: len(records) for kind, records in dump_all(project).items()}


@pytest.fixture(scope="module")
def empty_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("empty") / "empty.brief"
    create_project(path, "Template").close()
    return path


_names = itertools.count()


def fresh_copy(template: Path, folder: Path) -> Project:
    path = folder / f"p{next(_names)}.brief"
    shutil.copyfile(template, path)
    return open_project(path, "Test analyst")


# ---------------------------------------------------------------------------- random projects


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(records=projects())
def test_export_then_import_into_a_new_file_gives_an_equal_project(
    records: codec.Records, empty_template: Path, tmp_path: Path
) -> None:
    original = fresh_copy(empty_template, tmp_path)
    with original.transaction() as session:
        codec.load(session.connection(), copy.deepcopy(records))
    document = tmp_path / f"d{next(_names)}.json"
    export_json(original, document)
    copied = fresh_copy(empty_template, tmp_path)
    import_json(copied, document)
    try:
        assert dump_all(copied) == dump_all(original)
        assert Draft202012Validator(document_schema()).is_valid(json.loads(document.read_text()))
    finally:
        original.close()
        copied.close()


# ---------------------------------------------------------------------------- the demo


def test_demo_round_trip_keeps_every_record_and_the_title(
    demo_project: Project, empty_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "demo.json"
    written = export_json(demo_project, path)
    assert written == counts(demo_project)
    copied = fresh_copy(empty_template, tmp_path)
    summary = import_json(copied, path)
    assert summary.added == written and summary.updated == {}
    assert dump_all(copied) == dump_all(demo_project)
    assert copied.setting("title") == demo_project.setting("title")
    copied.close()


def test_document_has_the_envelope_and_one_record_per_line(
    demo_project: Project, tmp_path: Path
) -> None:
    path = tmp_path / "demo.json"
    export_json(demo_project, path)
    text = path.read_text(encoding="utf-8")
    document = json.loads(text)
    assert (document["format"], document["version"]) == (FORMAT, VERSION)
    assert document["project"]["uuid"] == demo_project.setting("project_uuid")
    assert list(document)[4:] == list(codec.DOCUMENT_KEYS.values())
    assert "Հայաստանի" in text  # written as UTF-8, not \u escapes
    assert not any("_id" in record for record in document["parties"])
    assert (
        len(text.splitlines()) == 4 + sum(len(v) + 2 for v in dump_all(demo_project).values()) + 2
    )


def test_importing_again_updates_records_with_the_same_uuid(
    demo_project: Project, tmp_path: Path
) -> None:
    path = tmp_path / "demo.json"
    export_json(demo_project, path)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["entries"][1]["title"] = "Retitled <&> Հայաստան"
    document["entries"][1]["sources"] = []
    path.write_text(json.dumps(document), encoding="utf-8")
    before = counts(demo_project)
    summary = import_json(demo_project, path)
    assert summary.added == {} and summary.updated == {"entry": 1}
    assert sum(summary.unchanged.values()) == sum(before.values()) - 1
    assert counts(demo_project) == before
    entry = next(
        e for e in dump_all(demo_project)["entry"] if e["uuid"] == document["entries"][1]["uuid"]
    )
    assert (entry["title"], entry["sources"]) == ("Retitled <&> Հայաստան", [])
    # The document's stamp is not newer than ours: the change is the importing analyst's, now.
    assert entry["updated_by"] == "Test analyst"
    assert entry["updated_at"] > document["entries"][1]["updated_at"]


def test_import_brings_back_a_deleted_record_and_forgets_its_tombstone(
    demo_project: Project, tmp_path: Path
) -> None:
    from briefing.services.records import delete_records

    path = tmp_path / "demo.json"
    export_json(demo_project, path)
    change = delete_records(demo_project, "party", [1])
    (deleted,) = change.deleted_uuids
    import_json(demo_project, path)
    with demo_project.engine.connect() as connection:
        tombstones = connection.exec_driver_sql("SELECT uuid FROM tombstone").scalars().all()
    assert deleted in {p["uuid"] for p in dump_all(demo_project)["party"]}
    assert deleted not in tombstones


# ---------------------------------------------------------------------------- bad documents

Mutation = Any
STATEMENT = r"statements\[3\] \(uuid [0-9a-f-]{36}\): "
ENTRY = r"entries\[1\] \(uuid [0-9a-f-]{36}\): "
UNKNOWN = "00000000-0000-4000-8000-000000000000"


def _set(key: str, index: int, field: str, value: Any) -> Mutation:
    return lambda d: d[key][index].__setitem__(field, value)


def _drop(key: str, index: int, field: str) -> Mutation:
    return lambda d: d[key][index].pop(field)


SCHEMA_ERRORS = [
    (
        _set("statements", 3, "kind", "boast"),
        STATEMENT + "field 'kind' must be one of claim, denial, accusation, request, warning",
    ),
    (_drop("entries", 1, "title"), ENTRY + "field 'title' is missing"),
    (
        _set(
            "entries",
            1,
            "claims",
            [{"uuid": UNKNOWN, "side": "civilians", "category": "killed", "best": "many"}],
        ),
        ENTRY + r"field 'claims\[0\]\.best' must be a whole number or null",
    ),
    (
        _set(
            "entries",
            1,
            "claims",
            [{"uuid": UNKNOWN, "side": "civilians", "category": "killed", "best": -1}],
        ),
        ENTRY + r"field 'claims\[0\]\.best' must be at least 0",
    ),
    (_set("entries", 1, "credibility", 7), ENTRY + "field 'credibility' must be at most 6"),
    (
        _set("entries", 1, "start_utc", "2021-11-16 07:00"),
        ENTRY + "field 'start_utc' must be an ISO 8601 time",
    ),
    (
        _set("entries", 1, "start_utc", "2021-11-16T07:00:00"),
        ENTRY + "field 'start_utc' must be an ISO 8601 time",
    ),
    (_set("entries", 1, "titel", "x"), ENTRY + "field 'titel' is not a known field"),
    (_set("entries", 1, "sources", "none"), ENTRY + "field 'sources' must be a list"),
    (_set("statements", 3, "speaker", "ABC"), STATEMENT + "field 'speaker' must be a UUID"),
    (_set("statements", 3, "tlp", "AMBER STRICT"), STATEMENT + "field 'tlp' must be one of CLEAR"),
    (
        lambda d: d["briefings"][0]["sections"][1]["items"][0].__setitem__("kind", "thing"),
        r"briefings\[0\] \(uuid .*\): field 'sections\[1\]\.items\[0\]\.kind' must be one of",
    ),
    (
        lambda d: d["briefings"][0]["judgments"][0].__setitem__("likelihood", "probable"),
        r"briefings\[0\] .*: field 'judgments\[0\]\.likelihood' must be one of almost no chance",
    ),
    (lambda d: d["sources"].__setitem__(2, "a source"), r"sources\[2\] must be an object"),
    (lambda d: d.__setitem__("entries", {}), "the document: field 'entries' must be a list"),
    (
        lambda d: d.__setitem__("comment", "hi"),
        "the document: field 'comment' is not a known field",
    ),
]

LOAD_ERRORS = [
    (_set("statements", 3, "speaker", UNKNOWN), STATEMENT + "field 'speaker' refers to a party"),
    (
        _set("statements", 3, "contradicts", [UNKNOWN]),
        STATEMENT + "field 'contradicts' refers to a statement",
    ),
    (_set("entries", 1, "sources", [UNKNOWN]), ENTRY + "field 'sources' refers to a source"),
    (
        _set("entries", 1, "parties", [{"party": UNKNOWN, "role": "target"}]),
        ENTRY + "field 'parties' refers to a party",
    ),
    (
        _set("parties", 2, "parent", UNKNOWN),
        r"parties\[2\] \(uuid .*\): field 'parent' refers to a party",
    ),
    (
        lambda d: d["briefings"][0]["sections"][1]["items"][0].__setitem__("ref", UNKNOWN),
        r"briefings\[0\] .*: field 'sections\[1\]\.items\[0\]\.ref' refers to a",
    ),
    (
        _set("entries", 1, "start_utc", "2021-02-30T00:00:00Z"),
        ENTRY + "field 'start_utc' is not a valid ISO 8601 time",
    ),
    (
        _set("entries", 1, "end_utc", "2001-01-01T00:00:00Z"),
        ENTRY + "field 'end_utc' is before the start",
    ),
    (
        lambda d: d["entries"][2].__setitem__("uuid", d["entries"][0]["uuid"]),
        r"entries\[2\] \(uuid .*\): the same uuid is already used by entries\[0\]",
    ),
    (
        lambda d: [e.__setitem__("external_id", "ARM1") for e in d["entries"]],
        "Nothing was imported from bad.json: .* two timeline entries have the same external",
    ),
]


@pytest.fixture(scope="module")
def demo_document(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> dict:
    path = tmp_path_factory.mktemp("doc") / "demo.json"
    with open_project(demo_template, "Test analyst", read_only=True) as project:
        export_json(project, path)
    return json.loads(path.read_text(encoding="utf-8"))


def _bad_copy(document: dict, mutate: Mutation, folder: Path) -> Path:
    bad = copy.deepcopy(document)
    mutate(bad)
    path = folder / "bad.json"
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(("mutate", "message"), SCHEMA_ERRORS + LOAD_ERRORS)
def test_a_wrong_document_is_refused_naming_record_and_field(
    mutate: Mutation, message: str, demo_document: dict, empty_template: Path, tmp_path: Path
) -> None:
    path = _bad_copy(demo_document, mutate, tmp_path)
    project = fresh_copy(empty_template, tmp_path)
    with pytest.raises(RecordError, match=message):
        import_json(project, path)
    assert sum(counts(project).values()) == 0
    project.close()


@pytest.mark.parametrize(("mutate", "message"), SCHEMA_ERRORS)
def test_quick_check_and_jsonschema_agree(
    mutate: Mutation, message: str, demo_document: dict
) -> None:
    bad = copy.deepcopy(demo_document)
    mutate(bad)
    assert not Draft202012Validator(document_schema()).is_valid(bad)
    assert first_problem(bad) is not None
    assert first_problem(demo_document) is None


def test_a_bad_last_record_leaves_the_project_unchanged(
    demo_project: Project, demo_document: dict, tmp_path: Path
) -> None:
    document = copy.deepcopy(demo_document)
    for record in itertools.chain(*(document[k] for k in codec.DOCUMENT_KEYS.values())):
        record["notes"] = "changed by the import"
    document["parties"].append({"uuid": new_uuid(), "name": "New party", "kind": "state"})
    document["briefings"][-1]["sections"][-1]["items"][-1]["ref"] = UNKNOWN
    path = tmp_path / "last.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    before = dump_all(demo_project)
    with pytest.raises(RecordError, match=r"briefings\[0\]"):
        import_json(demo_project, path)
    assert dump_all(demo_project) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "bad.json is not a JSON document"),
        (b'{"format": "conflict-briefing",', "bad.json is not a JSON document .line 1"),
        (b"\xff\xfe\x00garbage", "bad.json is not a JSON document"),
        (b'{"latitude": NaN}', "bad.json is not a JSON document"),
        (b"[1, 2]", "bad.json is not a Conflict Briefing document"),
        (b'{"format": "acled"}', "bad.json is not a Conflict Briefing document"),
        (b'{"format": "conflict-briefing"}', "does not say which interchange version"),
        (b'{"format": "conflict-briefing", "version": "1"}', "does not say which interchange"),
        (
            b'{"format": "conflict-briefing", "version": 3}',
            r"newer Conflict Briefing \(interchange version 3\); this program reads version 2",
        ),
    ],
)
def test_unreadable_documents_get_one_sentence(
    content: bytes, message: str, tmp_path: Path, empty_template: Path
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    project = fresh_copy(empty_template, tmp_path)
    with pytest.raises(BriefingError, match=message):
        import_json(project, path)
    project.close()


def test_a_missing_document_is_named(empty_template: Path, tmp_path: Path) -> None:
    project = fresh_copy(empty_template, tmp_path)
    with pytest.raises(BriefingError, match="nothing.json does not exist"):
        import_json(project, tmp_path / "nothing.json")
    project.close()


# ---------------------------------------------------------------------------- writing safely


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(
    demo_project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "out.json"
    path.write_text("old", encoding="utf-8")

    def refuse(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", refuse)
    with pytest.raises(BriefingError, match="Cannot write out.json: the disk is full"):
        export_json(demo_project, path)
    assert path.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir() if "out" in p.name) == ["out.json"]


@pytest.mark.skipif(os.geteuid() == 0, reason="an administrator may write anywhere")
def test_export_into_a_read_only_folder_is_refused(demo_project: Project, tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(BriefingError, match="Cannot write out.json in .*locked"):
            export_json(demo_project, folder / "out.json")
    finally:
        folder.chmod(0o755)


def test_export_into_a_missing_folder_is_refused(demo_project: Project, tmp_path: Path) -> None:
    with pytest.raises(BriefingError, match="Cannot write out.json in .*nowhere"):
        export_json(demo_project, tmp_path / "nowhere" / "out.json")


# ---------------------------------------------------------------------------- the schema


def _properties(kind: str) -> dict[str, Any]:
    return document_schema()["$defs"][kind]["properties"]


LINKS = {"entry": {"parties", "sources", "claims"}, "statement": {"contradicts"},
         "relationship": {"sources"}, "briefing": {"judgments", "sections"}}  # fmt: skip


@pytest.mark.parametrize("kind", codec.KINDS)
def test_schema_describes_exactly_the_fields_the_codec_writes(kind: str) -> None:
    fields = {f.key for f in codec.fields(kind)} | LINKS.get(kind, set())
    assert set(_properties(kind)) == fields
    required = set(document_schema()["$defs"][kind]["required"])
    no_default = {
        f.key for f in codec.fields(kind) if not f.column.nullable and f.column.default is None
    }
    assert required == no_default | {"uuid"}


@pytest.mark.parametrize("kind", codec.KINDS)
def test_schema_vocabularies_are_the_models(kind: str) -> None:
    for f in codec.fields(kind):
        enums = getattr(f.column.type, "enums", None)
        if enums is not None:
            assert _properties(kind)[f.key]["enum"] == list(enums)


def test_schema_is_valid_draft_2020_12() -> None:
    schema = document_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
