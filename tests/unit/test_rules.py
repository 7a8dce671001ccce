"""The rules of a valid record, and every door asking them: services, JSON, ACLED, CLI."""

from __future__ import annotations

import copy
import json
import math
import re
from pathlib import Path
from typing import Any

import pytest

from briefing.cli import main
from briefing.errors import BriefingError, RecordError
from briefing.io.jsondoc import export_json, import_json
from briefing.model import codec, rules
from briefing.model.base import new_uuid
from briefing.services import records
from briefing.store import Project

PARTY = {"uuid": new_uuid(), "name": "Armenia", "kind": "state"}


def dump_all(project: Project) -> codec.Records:
    with project.engine.connect() as connection:
        return codec.dump_all(connection)


def find(project: Project, kind: str, key: str, value: str) -> dict[str, Any]:
    return next(r for r in dump_all(project)[kind] if r.get(key) == value)


# ---------------------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("kind", "key", "value", "reason"),
    [
        ("party", "name", "", "is empty"),
        ("party", "name", "  ", "is empty"),
        ("party", "name", 7, "must be text"),
        ("party", "name", "x" * (rules.MAX_LINE + 1), "more than the 1,000 allowed"),
        ("entry", "description", "x" * (rules.MAX_TEXT + 1), "more than the 100,000 allowed"),
        ("party", "description", "a\x00b", "NUL"),
        ("party", "description", "a\ud800b", "lone surrogate"),
        ("party", "colour", "red", "# and six hexadecimal digits"),
        ("party", "colour", "#FFF", "# and six hexadecimal digits"),
        ("party", "kind", "empire", "must be one of"),
        ("party", "tlp", "PINK", "must be one of"),
        ("source", "url", "javascript:alert(1)", "must start with http://, https:// or mailto:"),
        ("source", "url", "file:///etc/passwd", "must start with http://, https:// or mailto:"),
        ("source", "url", "https://exa mple.org", "must start with http://, https:// or mailto:"),
        ("source", "reliability", "G", "must be one of"),
        ("entry", "credibility", 0, "from 1 to 6"),
        ("entry", "credibility", 7, "from 1 to 6"),
        ("entry", "credibility", "3", "from 1 to 6"),
        ("entry", "credibility", 3.0, "from 1 to 6"),
        ("entry", "credibility", True, "from 1 to 6"),
        ("entry", "latitude", 1e300, "from −90 to 90"),
        ("entry", "latitude", math.inf, "from −90 to 90"),
        ("entry", "latitude", math.nan, "from −90 to 90"),
        ("entry", "longitude", -180.5, "from −180 to 180"),
        ("entry", "longitude", 10**400, "from −180 to 180"),
        ("entry", "latitude", "40", "number of degrees"),
        ("entry", "zone", "Asia", "not an IANA time zone"),
        ("entry", "zone", "../../etc/passwd", "not an IANA time zone"),
        ("entry", "start_utc", "2021-13-01T00:00:00Z", "not a valid ISO 8601 time"),
        ("entry", "start_utc", "2021-02-30T00:00:00Z", "not a valid ISO 8601 time"),
        ("entry", "start_utc", "2021-11-16T07:00:00", "no time zone"),
        ("entry", "start_utc", "0001-01-01T00:00:00+01:00", "outside the dates"),
        ("entry", "start_utc", "0001-01-01T00:00:00Z", "outside the dates"),
        ("entry", "start_utc", "9999-12-31T23:59:59-05:00", "outside the dates"),
        ("entry", "start_utc", "9999-12-31T23:59:59Z", "outside the dates"),
        ("entry", "start_utc", "1799-12-31T23:59:59Z", "outside the dates"),
        ("entry", "start_utc", "1800-01-01T03:00:00+04:00", "outside the dates"),
        ("entry", "start_utc", "2200-01-01T00:00:00Z", "outside the dates"),
        ("entry", "start_utc", 1637046000, "must be a time"),
        ("entry", "external_id", "  ", "is empty"),
        ("statement", "language", "Armenian!", "language tag"),
        ("relationship", "since", "29 Aug 1997", "YYYY, YYYY-MM or YYYY-MM-DD"),
        ("relationship", "since", "1997-02-30", "YYYY, YYYY-MM or YYYY-MM-DD"),
        ("relationship", "until", "0999", "a year from 1000"),
        ("briefing", "status", "published", "must be one of"),
    ],
)
def test_values_the_program_never_writes_are_refused(
    kind: str, key: str, value: Any, reason: str
) -> None:
    found = rules.check_value(kind, key, value)
    assert found is not None and reason in found
    found.encode("utf-8")  # printable anywhere, even when the value held a lone surrogate


@pytest.mark.parametrize(
    ("kind", "key", "value"),
    [
        ("entry", "start_utc", "1800-01-01T00:00:00Z"),
        ("entry", "start_utc", "2199-12-31T23:59:59Z"),
        ("entry", "start_utc", "2199-12-31T23:59:59.999999Z"),
        ("entry", "start_utc", "2021-11-16T11:00:00+04:00"),
        ("entry", "latitude", -90),
        ("entry", "longitude", 180.0),
        ("entry", "end_utc", None),
        ("party", "colour", "#d90012"),
        ("source", "url", ""),
        ("source", "url", "HTTPS://mil.am/hy/news/10044?a=<b>&c"),
        ("source", "url", "mailto:desk@example.org"),
        ("relationship", "since", "1373"),
        ("relationship", "since", "1997-08-29"),
        ("statement", "language", "az-Latn"),
        ("party", "name", "Հայաստան 😀"),
        ("entry", "description", "x" * rules.MAX_TEXT),
    ],
)
def test_values_inside_the_rules_are_accepted(kind: str, key: str, value: Any) -> None:
    assert rules.check_value(kind, key, value) is None


@pytest.mark.parametrize(
    ("url", "live"),
    [
        ("https://example.org/a?b=1&c=2", True),
        ("HTTP://EXAMPLE.ORG", True),
        ("mailto:desk@example.org", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        ("file:///etc/passwd", False),
        ("data:text/html,x", False),
        ("ftp://example.org/file", False),
        ("https://", False),
        ("/etc/passwd", False),
        ("https://exa mple.org", False),
        ("https://example.org/\x00", False),
        ("", False),
    ],
)
def test_only_http_https_and_mailto_are_live_links(url: str, live: bool) -> None:
    assert rules.live_link(url) is live


def test_a_problem_is_one_sentence_naming_record_and_field() -> None:
    problems = rules.check_record(
        "entry",
        {"uuid": new_uuid(), "title": "Clash near Sotk", "start_utc": "2021-11-16T07:00:00Z",
         "end_utc": "2021-11-15T07:00:00Z"},
    )  # fmt: skip
    assert [p.sentence() for p in problems] == [
        "Timeline entry ‘Clash near Sotk’: field 'end_utc' is before the start."
    ]


@pytest.mark.parametrize(
    ("kind", "record", "field", "reason"),
    [
        ("relationship", {"party_a": PARTY["uuid"], "party_b": PARTY["uuid"]}, "party_b", "itself"),
        ("relationship", {"since": "2000", "until": "1999-12"}, "until", "before ‘since’"),
        ("party", {"parent": PARTY["uuid"]}, "parent", "part of itself"),
        ("entry", {"latitude": 40.0}, "longitude", "give both latitude and longitude"),
    ],
)
def test_rules_across_fields(kind: str, record: dict, field: str, reason: str) -> None:
    whole = {
        "relationship": {"uuid": new_uuid(), "title": "Treaty", "kind": "defence treaty",
                         "party_a": PARTY["uuid"], "party_b": new_uuid()},
        "party": dict(PARTY),
        "entry": {"uuid": new_uuid(), "title": "Clash", "start_utc": "2021-11-16T07:00:00Z"},
    }[kind]  # fmt: skip
    problems = rules.check_record(kind, {**whole, **record})
    assert [(p.field, reason in p.reason) for p in problems] == [(field, True)]


def test_check_records_finds_dangling_links_twins_and_cycles() -> None:
    a, b, c = ({"uuid": new_uuid(), "name": n, "kind": "state", "parent": None} for n in "ABC")
    a["parent"], b["parent"] = b["uuid"], a["uuid"]  # A in B in A
    c["parent"] = new_uuid()  # a party that does not exist
    twin = dict(c, name="C again")
    entry = {
        "uuid": new_uuid(), "title": "Clash", "start_utc": "2021-11-16T07:00:00Z",
        "parties": [{"party": a["uuid"], "role": "target"}], "sources": [new_uuid()],
    }  # fmt: skip
    found = rules.check_records({"party": [a, b, c, twin], "entry": [entry]})
    said = sorted(p.sentence() for p in found)
    assert any("‘C again’: field 'uuid' is used by another record too" in s for s in said)
    assert any("‘C’: field 'parent' refers to a party" in s for s in said)
    assert any("field 'sources[0]' refers to a source" in s for s in said)
    assert any("field 'parent' makes the party part of one of its own members" in s for s in said)
    assert not any("parties[0]" in s for s in said)
    known = rules.check_records({"entry": [entry]}, known=lambda kind, uuid: True)
    assert known == []


def test_every_kind_of_the_demo_project_obeys_the_rules(demo_project: Project) -> None:
    assert rules.check_records(dump_all(demo_project)) == []


def test_briefing_body_is_checked() -> None:
    briefing = {
        "uuid": new_uuid(), "title": "Brief", "as_of": "2021-11-17T00:00:00Z",
        "judgments": [{"text": "x", "likelihood": "certain", "confidence": "high"}],
        "sections": [{"heading": "H", "items": [{"kind": "tombstone", "ref": new_uuid()}]}],
    }  # fmt: skip
    fields = [p.field for p in rules.check_record("briefing", briefing)]
    assert fields == ["judgments[0].likelihood", "sections[0].items[0].kind"]


# ---------------------------------------------------------------------------- the services


def _relationship(project: Project) -> dict[str, Any]:
    return dump_all(project)["relationship"][0]


@pytest.mark.parametrize(
    ("kind", "change", "field"),
    [
        ("party", {"name": ""}, "name"),
        ("party", {"colour": "red"}, "colour"),
        ("source", {"url": "javascript:alert(1)"}, "url"),
        ("relationship", {"since": "2000", "until": "1999"}, "until"),
        ("relationship", "self-tie", "party_b"),
        ("party", "inside itself", "parent"),
        ("party", "inside its member", "parent"),
        ("entry", {"claims": [{"side": "unknown", "category": "killed", "best": 2**70}]}, "claims"),
        ("entry", {"start_utc": "9999-12-31T23:59:59-05:00"}, "start_utc"),
        ("entry", {"latitude": 1e300, "longitude": 0.0}, "latitude"),
        ("source", {"title": "\ud800"}, "title"),
    ],
)
def test_the_services_refuse_what_the_forms_refuse(
    demo_project: Project, kind: str, change: Any, field: str
) -> None:
    """Before, these were written: the rules lived only in the window's forms."""
    record = dump_all(demo_project)[kind][0]
    if change == "self-tie":
        change = {"party_b": record["party_a"]}
    elif change == "inside itself":
        change = {"parent": record["uuid"]}
    elif change == "inside its member":
        armenia = find(demo_project, "party", "short_name", "Armenia")
        member = next(p for p in dump_all(demo_project)["party"] if p["parent"] == armenia["uuid"])
        record, change = armenia, {"parent": member["uuid"]}
    before = dump_all(demo_project)
    record_id = codec.ids_for_uuids(
        demo_project.engine.connect(), codec.table(kind), [record["uuid"]]
    )[record["uuid"]]
    with pytest.raises(RecordError, match=f"field '{re.escape(field)}") as refused:
        records.update_record(demo_project, kind, record_id, change)
    assert "\n" not in str(refused.value)
    assert dump_all(demo_project) == before


def test_create_and_restore_obey_the_rules_too(demo_project: Project) -> None:
    with pytest.raises(RecordError, match="Party ‘Mars’: field 'colour'"):
        records.create_record(
            demo_project, "party", {"name": "Mars", "kind": "state", "colour": "red"}
        )
    entry = dump_all(demo_project)["entry"][0]
    with pytest.raises(RecordError, match="field 'credibility'"):
        records.restore(demo_project, {"entry": [dict(entry, credibility=9)]})


# ---------------------------------------------------------------------------- JSON door


def _document(project: Project, folder: Path) -> dict[str, Any]:
    path = folder / "doc.json"
    export_json(project, path)
    return json.loads(path.read_text(encoding="utf-8"))


HOSTILE_DOCUMENTS = [
    ("entries", 0, "start_utc", "0001-01-01T00:00:00+01:00"),
    ("entries", 0, "start_utc", "9999-12-31T23:59:59-05:00"),
    ("entries", 0, "end_utc", "2021-13-01T00:00:00Z"),
    (
        "entries",
        0,
        "claims",
        [
            {
                "uuid": "3a2c1d4e-0000-4000-8000-000000000001",
                "side": "unknown",
                "category": "killed",
                "best": 2**64,
            }
        ],
    ),
    (
        "entries",
        0,
        "claims",
        [
            {
                "uuid": "3a2c1d4e-0000-4000-8000-000000000002",
                "side": "party",
                "category": "wounded",
                "best": 10**30,
            }
        ],
    ),
    ("entries", 0, "latitude", 1e300),
    ("entries", 0, "credibility", 3.0),
    ("entries", 0, "title", "x" * (rules.MAX_LINE + 1)),
    ("entries", 0, "description", "\ud800 lone"),
    ("entries", 0, "zone", "Asia"),
    ("parties", 0, "name", ""),
    ("parties", 0, "colour", "red"),
    ("sources", 0, "url", "javascript:alert(1)"),
    ("relationships", 0, "until", "1000"),
    ("relationships", 0, "party_b", "party_a"),
    ("parties", 0, "parent", "itself"),
    ("parties", 0, "parent", "a member"),
]


@pytest.mark.parametrize(("key", "index", "field", "value"), HOSTILE_DOCUMENTS)
def test_json_values_at_the_edges_are_refused_and_the_file_is_unchanged(
    demo_project: Project, demo_path: Path, tmp_path: Path, key: str, index: int, field: str,
    value: Any,
) -> None:  # fmt: skip
    document = _document(demo_project, tmp_path)
    record = document[key][index]
    if value == "party_a":
        value = record["party_a"]
    elif value == "itself":
        value = record["uuid"]
    elif value == "a member":
        member = next(p for p in document["parties"] if p.get("parent"))
        record = next(p for p in document["parties"] if p["uuid"] == member["parent"])
        value = member["uuid"]
    record[field] = value
    record["updated_at"] = "2030-01-01T00:00:00Z"
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(document), encoding="utf-8")  # ASCII: \ud800 stays escaped
    demo_project.close()
    before = demo_path.read_bytes()
    from briefing.store import open_project

    with open_project(demo_path, "Test analyst") as project:
        with pytest.raises(BriefingError, match=f"field '{re.escape(field)}") as refused:
            import_json(project, path)
    message = str(refused.value)
    assert "\n" not in message and message.endswith(".")
    message.encode("utf-8")
    assert demo_path.read_bytes() == before


@pytest.mark.parametrize("token", ["Infinity", "-Infinity", "NaN"])
def test_json_constants_that_are_not_numbers_are_refused(
    demo_project: Project, tmp_path: Path, token: str
) -> None:
    document = _document(demo_project, tmp_path)
    document["entries"][0]["credibility"] = 918273645
    text = json.dumps(document).replace("918273645", token, 1)
    path = tmp_path / "hostile.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BriefingError, match="is not a JSON document"):
        import_json(demo_project, path)


def test_the_cli_refuses_a_hostile_document_in_one_line(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = tmp_path / "doc.json"
    assert main(["export", str(demo_path), "-o", str(document)]) == 0
    data = json.loads(document.read_text(encoding="utf-8"))
    data["parties"][0]["name"] = "\ud800"
    document.write_text(json.dumps(data), encoding="utf-8")
    capsys.readouterr()
    before = demo_path.read_bytes()
    assert main(["import", str(demo_path), str(document)]) == 1
    out, err = capsys.readouterr()
    assert err.count("\n") == 1 and err.startswith("error: ") and "field 'name'" in err
    assert "Traceback" not in err and demo_path.read_bytes() == before


# ---------------------------------------------------------------------------- import semantics


def test_importing_our_own_export_changes_nothing_and_says_unchanged(
    demo_project: Project, tmp_path: Path
) -> None:
    path = tmp_path / "doc.json"
    export_json(demo_project, path)
    before = dump_all(demo_project)
    summary = import_json(demo_project, path)
    assert summary.added == {} and summary.updated == {}
    assert summary.unchanged == {kind: len(v) for kind, v in before.items() if v}
    assert dump_all(demo_project) == before  # stamps included: same stamp = same content


def test_a_changed_record_carries_the_documents_newer_stamp(
    demo_project: Project, tmp_path: Path
) -> None:
    document = _document(demo_project, tmp_path)
    party = document["parties"][0]
    party.update(description="Changed elsewhere", updated_at="2031-05-01T10:00:00+02:00",
                 updated_by="Colleague")  # fmt: skip
    path = tmp_path / "newer.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    summary = import_json(demo_project, path)
    assert summary.updated == {"party": 1}
    stored = find(demo_project, "party", "uuid", party["uuid"])
    assert (stored["description"], stored["updated_at"], stored["updated_by"]) == (
        "Changed elsewhere", "2031-05-01T08:00:00Z", "Colleague",
    )  # fmt: skip


def test_a_changed_record_with_an_older_stamp_is_stamped_now_by_the_importer(
    demo_project: Project, tmp_path: Path
) -> None:
    document = _document(demo_project, tmp_path)
    ours = copy.deepcopy(document["parties"][0])
    document["parties"][0].update(description="Changed", updated_at="2000-01-01T00:00:00Z")
    path = tmp_path / "older.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    import_json(demo_project, path)
    stored = find(demo_project, "party", "uuid", ours["uuid"])
    assert stored["updated_by"] == "Test analyst"
    assert stored["updated_at"] > ours["updated_at"]
    assert stored["created_at"] == ours["created_at"]
