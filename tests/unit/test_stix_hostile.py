"""A STIX bundle is untrusted: refused in one sentence with the project unchanged, or imported.

Also the round trip with random records in many scripts: export, import into a new
project, export again gives the same bundle, and every bundle validates.
"""

from __future__ import annotations

import copy
import difflib
import itertools
import json
import shutil
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from record_strategies import claims
from stix2validator import ValidationOptions, validate_parsed_json

from briefing.errors import BriefingError
from briefing.io.stix.export import export_stix
from briefing.io.stix.importer import import_stix
from briefing.model import codec, vocab
from briefing.model.base import new_uuid
from briefing.store import Project, create_project, open_project

TEXT = st.text(
    alphabet="Հայաստան Азербайджан Azərbaycan العربية 中文字 😀 <&>\"'/ abc XYZ 0 9\n\t",
    max_size=14,
)
NAME = TEXT.filter(lambda t: t.strip() != "")
TIME = st.datetimes(datetime(1990, 1, 1), datetime(2040, 1, 1), timezones=st.just(UTC)).map(
    lambda m: codec.time_to_text(m.replace(microsecond=m.microsecond // 1000 * 1000))
)
IDENTITY = "identity--0c2e4f6a-8b1d-5e3f-9a7c-6b5d4e3f2a04"
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

_names = itertools.count()


@pytest.fixture(scope="module")
def empty_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("empty") / "empty.brief"
    create_project(path, "Template").close()
    return path


def fresh(template: Path, folder: Path) -> Project:
    path = folder / f"p{next(_names)}.brief"
    shutil.copyfile(template, path)
    return open_project(path, "Test analyst")


def dump(project: Project) -> codec.Records:
    with project.engine.connect() as connection:
        return codec.dump_all(connection)


def identity(**changes: Any) -> dict[str, Any]:
    base = {
        "type": "identity", "spec_version": "2.1", "id": IDENTITY,
        "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
        "name": "Armenia",
    }  # fmt: skip
    return {**base, **changes}


def bundle(*objects: Any) -> dict[str, Any]:
    return {"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": list(objects)}


def ours(fields: dict[str, Any]) -> dict[str, Any]:
    from briefing.io.stix.objects import RECORD_EXTENSION

    return {RECORD_EXTENSION: {"extension_type": "property-extension", **fields}}


def event(**changes: Any) -> dict[str, Any]:
    base = {
        "type": "event", "spec_version": "2.1", "id": "event--4c6e8a0b-2d5f-5c7e-9a1b-0c1d2e3f4a08",
        "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
        "name": "Clash", "status": "occurred", "start_time": "2021-11-16T07:00:00.000Z",
        "extensions": {"extension-definition--4ca6de00-5b0d-45ef-a1dc-ea7279ea910e":
                       {"extension_type": "new-sdo"}},
    }  # fmt: skip
    return {**base, **changes}


def with_ours(stix_object: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    return {**stix_object, "extensions": {**stix_object["extensions"], **ours(fields)}}


def part_of(number: int, source: str, target: str) -> dict[str, Any]:
    return {
        "type": "relationship", "spec_version": "2.1",
        "id": f"relationship--{uuid.UUID(int=number, version=4)}",
        "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
        "relationship_type": "part-of", "source_ref": source, "target_ref": target,
    }  # fmt: skip


OTHER = "identity--1f3a5c7e-9b2d-5f4a-8c6e-7d8f9a0b1c05"

REFUSED: list[tuple[str, Any]] = [
    ("not json", b"{\"type\": \"bundle\", "),
    ("a list", [bundle()]),
    ("wrong type", {"type": "report", "objects": []}),
    ("objects not a list", {"type": "bundle", "objects": {"a": 1}}),
    ("object not a dict", bundle(5)),
    ("no id", bundle({"type": "identity", "name": "x"})),
    ("id of another type", bundle(identity(id="event--0c2e4f6a-8b1d-5e3f-9a7c-6b5d4e3f2a04"))),
    ("id without uuid", bundle(identity(id="identity--nope"))),
    ("missing name", bundle({k: v for k, v in identity().items() if k != "name"})),
    ("name a list", bundle(identity(name=["a", "b"]))),
    ("latitude huge", bundle({"type": "location", "spec_version": "2.1",
                              "id": "location--3b5d7f9a-1c4e-5b6d-8f0a-9b0c1d2e3f07",
                              "created": "2024-01-01T00:00:00.000Z",
                              "modified": "2024-01-01T00:00:00.000Z",
                              "latitude": 1e308, "longitude": 0})),
    ("claim huge", bundle(with_ours(event(), {"claims": [
        {"claim_id": "0c1a1a1a-0000-4000-8000-00000000c1a1", "side": "all sides",
         "category": "killed", "best": 10**30}]}))),
    ("claim text", bundle(with_ours(event(), {"claims": [
        {"side": "all sides", "category": "killed", "best": "many"}]}))),
    ("claims not a list", bundle(with_ours(event(), {"claims": "many"}))),
    ("claim side unknown word", bundle(with_ours(event(), {"claims": [
        {"side": "everyone", "category": "killed", "best": 3}]}))),
    ("claim time", bundle(with_ours(event(), {"claims": [
        {"side": "all sides", "category": "killed", "best": 3, "claimed_at": "yesterday"}]}))),
    ("zone unknown", bundle(with_ours(event(), {"zone": "Mars/Base"}))),
    ("event without status", bundle({k: v for k, v in event().items() if k != "status"})),
    ("NaN", b'{"type": "bundle", "objects": [{"type": "identity", "confidence": NaN}]}'),
    ("lone surrogate", bundle(identity(name="\ud800 Armenia"))),
    ("deep nesting", b'{"type": "bundle", "objects": [' + b"[" * 100000 + b"]" * 100000 + b"]}"),
    ("cycle", bundle(identity(), identity(id=OTHER, name="B"),
                     part_of(1, IDENTITY, OTHER), part_of(2, OTHER, IDENTITY))),
    ("time not a time", bundle(identity(created="yesterday"))),
    ("sections not a list", bundle({"type": "report", "spec_version": "2.1",
                                    "id": "report--1d3f5b7c-9e2a-5d4f-8b8c-7d8e9f0a1b15",
                                    "created": "2024-01-01T00:00:00.000Z",
                                    "modified": "2024-01-01T00:00:00.000Z", "name": "r",
                                    "published": "2024-01-01T00:00:00.000Z",
                                    "object_refs": [IDENTITY],
                                    "extensions": ours({"sections": "all"})}, identity())),
]  # fmt: skip


def write(path: Path, content: Any) -> None:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        text = json.dumps(content, ensure_ascii=True)
        path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize(("name", "content"), REFUSED, ids=[n for n, _ in REFUSED])
def test_a_hostile_bundle_is_refused_in_one_sentence_and_changes_nothing(
    name: str, content: Any, demo_project: Project, tmp_path: Path
) -> None:
    path = tmp_path / "hostile.stix.json"
    write(path, content)
    before = dump(demo_project)
    with pytest.raises(BriefingError) as refused:
        import_stix(demo_project, path)
    message = str(refused.value)
    assert "\n" not in message and "Traceback" not in message and len(message) < 800
    assert dump(demo_project) == before


def test_a_huge_confidence_is_read_as_truth_that_cannot_be_judged(
    empty_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "huge.stix.json"
    write(path, bundle(identity(confidence=10**400), event(confidence=10**400)))
    project = fresh(empty_template, tmp_path)
    try:
        import_stix(project, path)
    except BriefingError as error:
        assert "\n" not in str(error)
    else:
        assert [e["credibility"] for e in dump(project)["entry"]] == [6]
    project.close()


def test_ten_thousand_objects_import(empty_template: Path, tmp_path: Path) -> None:
    objects = [
        identity(id=f"identity--{uuid.UUID(int=n, version=4)}", name=f"Party {n} Հայ")
        for n in range(10_000)
    ]
    path = tmp_path / "big.stix.json"
    write(path, bundle(*objects))
    project = fresh(empty_template, tmp_path)
    summary = import_stix(project, path)
    assert summary.added == {"party": 10_000}
    project.close()


def test_unknown_references_and_types_are_listed_not_fatal(
    empty_template: Path, tmp_path: Path
) -> None:
    dangling = {
        "type": "note", "spec_version": "2.1", "id": "note--9b1d3f5a-7c0e-5b2d-8f6a-5b6c7d8e9f13",
        "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
        "content": "Ադրբեջան <b>&amp;</b>",
        "object_refs": ["identity--1f3a5c7e-9b2d-5f4a-8c6e-7d8f9a0b1c06"],
    }  # fmt: skip
    stranger = {"type": "x-thing", "id": "x-thing--1f3a5c7e-9b2d-5f4a-8c6e-7d8f9a0b1c07"}
    path = tmp_path / "b.stix.json"
    write(path, bundle(dangling, stranger, identity()))
    project = fresh(empty_template, tmp_path)
    summary = import_stix(project, path)
    assert summary.skipped == [("x-thing", stranger["id"])]
    (statement,) = dump(project)["statement"]
    assert statement["speaker"] is None and statement["quote"] == dangling["content"]
    project.close()


@SETTINGS
@given(data=st.data())
def test_mutated_bundles_are_refused_in_one_sentence_or_imported(
    data: st.DataObject, demo_template: Path, empty_template: Path, tmp_path: Path
) -> None:
    source = tmp_path / "source.stix.json"
    if not source.exists():
        project = fresh(demo_template, tmp_path)
        export_stix(project, source)
        project.close()
    original = json.loads(source.read_text(encoding="utf-8"))
    mutated = copy.deepcopy(original)
    hostile = st.one_of(
        st.none(), st.booleans(), st.integers(-(10**30), 10**30), st.floats(allow_nan=False),
        TEXT, st.text(max_size=5), st.lists(st.integers(), max_size=2), st.just({"x": [1]}),
    )  # fmt: skip
    for _ in range(data.draw(st.integers(1, 4))):
        target = data.draw(st.sampled_from(mutated["objects"]))
        key = data.draw(st.sampled_from(sorted(target)))
        if data.draw(st.booleans()):
            target[key] = data.draw(hostile)
        else:
            target.pop(key)
    path = tmp_path / f"m{next(_names)}.stix.json"
    write(path, mutated)
    project = fresh(empty_template, tmp_path)
    try:
        import_stix(project, path)
    except BriefingError as error:
        assert "\n" not in str(error)
        assert dump(project) == dump(fresh(empty_template, tmp_path))
    else:
        export_stix(project, tmp_path / "again.stix.json")  # what was imported is usable
    finally:
        project.close()


# ---------------------------------------------------------------------------- round trip


def _common(draw: st.DrawFn) -> dict[str, Any]:
    created = draw(TIME)
    return {
        "uuid": new_uuid(),
        "created_at": created,
        "updated_at": draw(TIME),
        "tlp": draw(st.sampled_from([t.value for t in vocab.Tlp])),
        "tags": draw(TEXT),
    }


def _choice(enum: type) -> st.SearchStrategy[str]:
    return st.sampled_from([m.value for m in enum])


@st.composite
def projects(draw: st.DrawFn) -> codec.Records:
    """A small random project in codec form, texts in many scripts, references inside it."""
    parties = [
        {**_common(draw), "name": draw(NAME), "short_name": draw(TEXT), "colour": "#336699",
         "kind": draw(_choice(vocab.PartyKind)), "description": draw(TEXT)}
        for _ in range(draw(st.integers(1, 3)))
    ]  # fmt: skip
    party_ids = [p["uuid"] for p in parties]
    parties[-1]["parent"] = draw(st.none() | st.sampled_from(party_ids[:-1] or [None]))
    sources = [
        {**_common(draw), "title": draw(NAME), "publisher": draw(TEXT), "author": draw(TEXT),
         "url": draw(st.sampled_from(["", "https://mil.am/en/news/1?a=<&>"])),
         "published_at": draw(st.none() | TIME), "kind": draw(_choice(vocab.SourceKind)),
         "reliability": draw(_choice(vocab.Reliability)), "description": draw(TEXT)}
        for _ in range(draw(st.integers(0, 2)))
    ]  # fmt: skip
    source_ids = [s["uuid"] for s in sources]
    some = st.lists(st.sampled_from(source_ids), unique=True) if sources else st.just([])
    entries = []
    for _ in range(draw(st.integers(0, 2))):
        start = draw(st.datetimes(datetime(1990, 1, 1), datetime(2030, 1, 1))).replace(
            microsecond=0, tzinfo=UTC
        )
        end = draw(st.none() | st.timedeltas(timedelta(0), timedelta(days=90)))
        located = draw(st.booleans())
        entries.append(
            {**_common(draw), "title": draw(NAME), "description": draw(TEXT),
             "start_utc": codec.time_to_text(start),
             "end_utc": None if end is None else codec.time_to_text(start + end),
             "zone": draw(st.sampled_from(["UTC", "Asia/Baku", "Asia/Yerevan"])),
             "precision": draw(_choice(vocab.Precision)), "place": draw(TEXT),
             "latitude": draw(st.floats(-90, 90)) if located else None,
             "longitude": draw(st.floats(-180, 180)) if located else None,
             "claims": draw(st.lists(claims(party_ids, source_ids), max_size=2)),
             "status": draw(_choice(vocab.Verification)),
             "credibility": draw(st.integers(1, 6)),
             "parties": [{"party": p, "role": r} for p, r in draw(st.lists(
                 st.tuples(st.sampled_from(party_ids), _choice(vocab.PartyRole)), unique=True,
                 max_size=3))],
             "sources": draw(some)}
        )  # fmt: skip
    entry_ids = [e["uuid"] for e in entries]
    statements = [
        {**_common(draw), "speaker": draw(st.none() | st.sampled_from(party_ids)),
         "person": draw(TEXT), "person_title": draw(TEXT), "said_at": draw(st.none() | TIME),
         "zone": "Asia/Yerevan", "precision": draw(_choice(vocab.Precision)),
         "quote": draw(NAME), "language": draw(st.sampled_from(["en", "hy", "az", "ar", "zh"])),
         "translation": draw(TEXT), "kind": draw(_choice(vocab.StatementKind)),
         "entry": draw(st.none() | st.sampled_from(entry_ids)) if entries else None,
         "source": draw(st.none() | st.sampled_from(source_ids)) if sources else None}
        for _ in range(draw(st.integers(0, 3)))
    ]  # fmt: skip
    statement_ids = [s["uuid"] for s in statements]
    for statement in statements:
        others = [u for u in statement_ids if u != statement["uuid"]]
        statement["contradicts"] = (
            draw(st.lists(st.sampled_from(others), unique=True)) if others else []
        )  # noqa: E501
    relationships = []
    for _ in range(draw(st.integers(0, 2)) if len(parties) > 1 else 0):
        a, b = draw(st.permutations(party_ids))[:2]
        relationships.append(
            {**_common(draw), "party_a": a, "party_b": b,
             "kind": draw(_choice(vocab.RelationshipKind)), "title": draw(NAME),
             "since": draw(st.sampled_from(["", "1997", "1997-08", "2020-11-10"])),
             "until": draw(st.sampled_from(["", "2024"])),
             "status": draw(_choice(vocab.RelationshipStatus)), "description": draw(TEXT),
             "sources": draw(some)}
        )  # fmt: skip
    library = {
        "party": party_ids, "source": source_ids, "entry": entry_ids, "statement": statement_ids,
        "relationship": [r["uuid"] for r in relationships],
    }  # fmt: skip
    targets = [(kind, u) for kind, uuids in library.items() for u in uuids]
    item = st.sampled_from(targets).map(lambda t: {"uuid": new_uuid(), "kind": t[0], "ref": t[1]})
    briefings = [
        {**_common(draw), "title": draw(NAME), "subtitle": draw(TEXT), "as_of": draw(TIME),
         "zone": "UTC", "authors": draw(TEXT), "status": draw(_choice(vocab.BriefingStatus)),
         "bluf": draw(TEXT),
         "judgments": [{"uuid": new_uuid(), "text": draw(NAME),
                        "likelihood": draw(_choice(vocab.Likelihood)),
                        "confidence": draw(_choice(vocab.Confidence))}
                       for _ in range(draw(st.integers(0, 2)))],
         "sections": [{"uuid": new_uuid(), "heading": draw(NAME), "body": draw(TEXT),
                       "items": draw(st.lists(item, max_size=3, unique_by=lambda i: i["ref"]))}
                      for _ in range(draw(st.integers(0, 2)))]}
        for _ in range(draw(st.integers(0, 2)))
    ]  # fmt: skip
    return {"party": parties, "source": sources, "entry": entries, "statement": statements,
            "relationship": relationships, "briefing": briefings}  # fmt: skip


@SETTINGS
@given(records=projects())
def test_random_records_round_trip_to_the_same_bundle_and_validate(
    records: codec.Records, empty_template: Path, tmp_path: Path
) -> None:
    original = fresh(empty_template, tmp_path)
    with original.transaction() as session:
        codec.load(session.connection(), copy.deepcopy(records))
    first = tmp_path / f"a{next(_names)}.stix.json"
    export_stix(original, first)
    copied = fresh(empty_template, tmp_path)
    try:
        summary = import_stix(copied, first)
        assert summary.skipped == []
        second = tmp_path / f"b{next(_names)}.stix.json"
        export_stix(copied, second)
        diff = difflib.unified_diff(
            first.read_text(encoding="utf-8").splitlines(),
            second.read_text(encoding="utf-8").splitlines(),
            lineterm="",
        )
        assert list(diff)[:40] == []
        results = validate_parsed_json(json.loads(first.read_text()), ValidationOptions())
        assert [str(e) for e in results.errors] == []
    finally:
        original.close()
        copied.close()
