"""STIX 2.1 bundles and MISP events: what they hold, that they validate, and the way back."""

from __future__ import annotations

import itertools
import json
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import stix2
from hypothesis import given
from hypothesis import strategies as st
from pymisp import MISPEvent
from stix2validator import ValidationOptions, validate_parsed_json

from briefing.cli import main
from briefing.errors import BriefingError
from briefing.io.stix import ids, scales
from briefing.io.stix.export import export_stix
from briefing.io.stix.importer import import_stix
from briefing.io.stix.markings import KNOWN_IDS, TLP2_EXTENSION, TLP2_IDS
from briefing.io.stix.misp import export_misp
from briefing.model import codec
from briefing.model.vocab import Likelihood, Tlp
from briefing.store import Project, create_project, open_project

FIXTURES = Path(__file__).parent.parent / "fixtures" / "stix"
MALWARE = "malware--31b940d4-6f7f-459a-80ea-9c1f17b58abc"
OPENCTI_AMBER_STRICT = "marking-definition--826578e1-40ad-459f-bc73-ede076f81f37"


def validation_errors(bundle: dict[str, Any]) -> list[str]:
    """Every error stix2-validator finds in a bundle (warnings are not errors)."""
    results = validate_parsed_json(bundle, ValidationOptions())
    results = results if isinstance(results, list) else [results]
    return [str(error) for result in results for error in result.errors]


def records(project: Project) -> codec.Records:
    with project.engine.connect() as connection:
        return codec.dump_all(connection)


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


def bundle_of(project: Project, path: Path, **options: Any) -> dict[str, Any]:
    export_stix(project, path, **options)
    result: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return result


def mark(project: Project, kind: str, uuids: list[str], label: Tlp) -> None:
    table = codec.TABLE_NAMES[kind]
    with project.transaction() as session:
        for uuid in uuids:
            session.connection().exec_driver_sql(
                f"UPDATE {table} SET tlp = ? WHERE uuid = ?", (label.value, uuid)
            )


# ---------------------------------------------------------------------------- export


def test_the_demo_bundle_passes_the_validator_with_no_errors(
    demo_project: Project, tmp_path: Path
) -> None:
    bundle = bundle_of(demo_project, tmp_path / "demo.stix.json")
    assert validation_errors(bundle) == []
    types = {o["type"] for o in bundle["objects"]}
    assert {"report", "identity", "location", "event", "note", "relationship"} <= types


def test_every_object_carries_a_tlp_2_marking_and_the_definitions_are_oasis(
    demo_project: Project, tmp_path: Path
) -> None:
    demo = records(demo_project)
    mark(demo_project, "party", [demo["party"][0]["uuid"]], Tlp.AMBER_STRICT)
    bundle = bundle_of(demo_project, tmp_path / "demo.stix.json")
    definitions = {o["id"]: o for o in bundle["objects"] if o["type"] == "marking-definition"}
    for label, marking in TLP2_IDS.items():
        if marking in definitions:
            assert definitions[marking]["name"] == label.marking
            assert definitions[marking]["created"] == "2022-10-01T00:00:00.000Z"
            extension = definitions[marking]["extensions"][TLP2_EXTENSION]
            assert extension == {"extension_type": "property-extension", "tlp_2_0": label.lower()}
    assert TLP2_IDS[Tlp.AMBER_STRICT] == "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"
    assert TLP2_IDS[Tlp.AMBER_STRICT] in definitions
    for o in bundle["objects"]:
        if o["type"] != "marking-definition":
            assert [m in definitions for m in o["object_marking_refs"]] == [True]


def test_a_second_export_gives_the_same_bytes(demo_project: Project, tmp_path: Path) -> None:
    export_stix(demo_project, tmp_path / "a.stix.json")
    export_stix(demo_project, tmp_path / "b.stix.json")
    assert (tmp_path / "a.stix.json").read_bytes() == (tmp_path / "b.stix.json").read_bytes()


def test_records_keep_their_uuids_as_stix_identifiers(
    demo_project: Project, tmp_path: Path
) -> None:
    bundle = bundle_of(demo_project, tmp_path / "demo.stix.json")
    found = {o["id"] for o in bundle["objects"]}
    demo = records(demo_project)
    assert {f"identity--{p['uuid']}" for p in demo["party"]} <= found
    assert {f"event--{e['uuid']}" for e in demo["entry"]} <= found
    assert {f"note--{s['uuid']}" for s in demo["statement"]} <= found
    assert {f"report--{b['uuid']}" for b in demo["briefing"]} <= found


def test_the_report_holds_the_briefing_in_reading_order(
    demo_project: Project, tmp_path: Path
) -> None:
    bundle = bundle_of(demo_project, tmp_path / "demo.stix.json")
    (report,) = [o for o in bundle["objects"] if o["type"] == "report"]
    (briefing,) = records(demo_project)["briefing"]
    assert report["name"] == briefing["title"]
    assert report["published"].startswith(briefing["as_of"][:19])
    first_item = briefing["sections"][0]["items"][0]
    assert report["object_refs"][0].endswith(first_item["ref"])
    assert "## Key judgments" in report["description"]
    judgments = [
        o
        for o in bundle["objects"]
        if o["type"] == "note"
        and o["id"] in report["object_refs"]
        and o.get("abstract") == "Key judgment"
    ]  # noqa: E501
    assert len(judgments) == len(briefing["judgments"])
    for note, judgment in zip(
        sorted(judgments, key=lambda n: n["content"]),
        sorted(briefing["judgments"], key=lambda j: j["text"]),
        strict=True,
    ):
        assert note["confidence"] == scales.confidence_of_likelihood(judgment["likelihood"])


def test_sources_are_external_references_with_their_admiralty_grade(
    demo_project: Project, tmp_path: Path
) -> None:
    bundle = bundle_of(demo_project, tmp_path / "demo.stix.json")
    demo = records(demo_project)
    grades = {s["uuid"]: s["reliability"] for s in demo["source"]}
    cited = [
        reference
        for o in bundle["objects"]
        for reference in o.get("external_references", [])
        if reference.get("external_id") in grades
    ]
    assert {r["external_id"] for r in cited} == set(grades)
    for reference in cited:
        assert (
            f"source reliability {grades[reference['external_id']]} (" in reference["description"]
        )


@pytest.mark.parametrize(
    ("credibility", "confidence"), [(1, 90), (2, 70), (3, 50), (4, 30), (5, 10), (6, None)]
)
def test_credibility_maps_to_the_admiralty_credibility_scale(
    credibility: int, confidence: int | None
) -> None:
    assert scales.confidence_of_credibility(credibility) == confidence
    assert scales.credibility_of_confidence(confidence) == credibility


@pytest.mark.parametrize("likelihood", list(Likelihood))
def test_each_icd_203_term_has_its_own_confidence_and_comes_back(likelihood: Likelihood) -> None:
    value = scales.confidence_of_likelihood(likelihood)
    assert scales.likelihood_of_confidence(value) is likelihood


# ---------------------------------------------------------------------------- --max-tlp


def test_max_tlp_green_leaves_out_every_stricter_object_and_reference(
    demo_project: Project, tmp_path: Path
) -> None:
    demo = records(demo_project)
    stricter = {
        "party": [demo["party"][1]["uuid"]],
        "entry": [demo["entry"][0]["uuid"]],
        "statement": [demo["statement"][2]["uuid"]],
        "source": [demo["source"][0]["uuid"], demo["source"][3]["uuid"]],
        "relationship": [demo["relationship"][0]["uuid"]],
    }
    for (kind, uuids), label in zip(stricter.items(), itertools.cycle([Tlp.AMBER, Tlp.RED])):
        mark(demo_project, kind, uuids, label)
    path = tmp_path / "green.stix.json"
    summary = export_stix(demo_project, path, ceiling=Tlp.GREEN)
    text = path.read_text(encoding="utf-8")
    bundle = json.loads(text)
    assert summary.left_out >= sum(len(u) for u in stricter.values())  # and what needs them
    for uuid in itertools.chain.from_iterable(stricter.values()):
        assert uuid not in text
    for label in (Tlp.AMBER, Tlp.AMBER_STRICT, Tlp.RED):
        assert TLP2_IDS[label] not in text
    ids = {o["id"] for o in bundle["objects"]}
    for o in bundle["objects"]:
        for key in ("source_ref", "target_ref"):
            assert key not in o or o[key] in ids
        for ref in o.get("object_refs", []):
            assert ref in ids
    assert validation_errors(bundle) == []


def test_a_briefing_stricter_than_the_ceiling_is_left_out(
    demo_project: Project, tmp_path: Path
) -> None:
    (briefing,) = records(demo_project)["briefing"]
    mark(demo_project, "briefing", [briefing["uuid"]], Tlp.RED)
    bundle = bundle_of(demo_project, tmp_path / "x.stix.json", ceiling=Tlp.AMBER)
    assert not [o for o in bundle["objects"] if o["type"] == "report"]
    assert briefing["uuid"] not in json.dumps(bundle)


# ---------------------------------------------------------------------------- import


def test_export_import_export_gives_the_same_bundle(
    demo_project: Project, empty_template: Path, tmp_path: Path
) -> None:
    demo = records(demo_project)
    mark(demo_project, "source", [demo["source"][0]["uuid"]], Tlp.AMBER)
    first = tmp_path / "first.stix.json"
    export_stix(demo_project, first)
    copied = fresh(empty_template, tmp_path)
    summary = import_stix(copied, first)
    assert summary.skipped == []
    assert summary.added == {kind: len(batch) for kind, batch in demo.items() if batch}
    second = tmp_path / "second.stix.json"
    export_stix(copied, second)
    assert second.read_bytes() == first.read_bytes()
    again = records(copied)
    assert {p["name"] for p in again["party"]} == {p["name"] for p in demo["party"]}
    assert {e["start_utc"] for e in again["entry"]} == {e["start_utc"] for e in demo["entry"]}
    copied.close()


def test_every_field_but_the_private_ones_comes_back_from_the_bundle(
    demo_project: Project, empty_template: Path, tmp_path: Path
) -> None:
    """Notes and the last editor's name stay in the project; the rest travels, sources' tags too."""
    tags = "x<y, a&b, ]]>, 中文, عربي"
    with demo_project.transaction() as session:
        for kind in ("source", "party"):
            table = codec.TABLE_NAMES[kind]
            session.connection().exec_driver_sql(f"UPDATE {table} SET tags = ?", (tags,))
    path = tmp_path / "demo.stix.json"
    export_stix(demo_project, path)
    copied = fresh(empty_template, tmp_path)
    import_stix(copied, path)
    private = {"notes", "updated_by"}
    for kind, batch in records(demo_project).items():
        back = {r["uuid"]: r for r in records(copied)[kind]}
        for record in batch:
            again = back[record["uuid"]]
            differ = {k for k in record if k not in private and again[k] != record[k]}
            assert differ == set(), (kind, record["uuid"], differ)
    assert {s["tags"] for s in records(copied)["source"]} == {tags}
    copied.close()


def test_a_second_import_updates_the_records_with_the_same_ids(
    demo_project: Project, tmp_path: Path
) -> None:
    path = tmp_path / "demo.stix.json"
    bundle = bundle_of(demo_project, path)
    event = next(o for o in bundle["objects"] if o["type"] == "event")
    event["name"] = "Retitled <&> Հայաստան 中文 العربية"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    before = {k: len(v) for k, v in records(demo_project).items()}
    summary = import_stix(demo_project, path)
    assert summary.added == {}
    assert {k: len(v) for k, v in records(demo_project).items()} == before
    titles = {e["uuid"]: e["title"] for e in records(demo_project)["entry"]}
    assert titles[event["id"].split("--")[1]] == "Retitled <&> Հայաստան 中文 العربية"


def test_a_bundle_shaped_like_an_opencti_export_imports(
    empty_template: Path, tmp_path: Path
) -> None:
    project = fresh(empty_template, tmp_path)
    summary = import_stix(project, FIXTURES / "opencti_report.json")
    got = records(project)
    parties = {p["name"]: p for p in got["party"]}
    assert parties["Ministry of Defence of Armenia"]["tlp"] == "AMBER+STRICT"
    assert parties["Armen Grigoryan"]["kind"] == "official"
    assert parties["Azerbaijan"]["kind"] == "state"
    government = parties["Government of Armenia"]["uuid"]
    assert parties["Ministry of Defence of Armenia"]["parent"] == government
    (entry,) = got["entry"]
    assert (entry["place"], entry["latitude"], entry["longitude"]) == ("Kalbajar", 40.1, 46.04)
    assert entry["end_utc"] == "2021-11-16T15:00:00Z" and entry["credibility"] == 2
    assert entry["parties"] == [
        {"party": parties["Ministry of Defence of Armenia"]["uuid"], "role": "target"}
    ]
    (source,) = got["source"]
    assert (source["url"], source["reliability"]) == ("https://mil.am/en/news/10012", "B")
    quotes = {s["quote"]: s for s in got["statement"]}
    armenian = next(s for q, s in quotes.items() if q.startswith("Ադրբեջանը"))
    assert armenian["speaker"] == parties["Armen Grigoryan"]["uuid"]
    assert armenian["entry"] == entry["uuid"] and "<ռազմական> " in armenian["quote"]
    (briefing,) = got["briefing"]
    assert briefing["tlp"] == "AMBER+STRICT" and briefing["as_of"] == "2021-11-17T12:00:00Z"
    kinds = [item["kind"] for item in briefing["sections"][0]["items"]]
    assert kinds == ["party", "party", "party", "party", "entry", "statement", "statement"]
    assert summary.skipped == [
        ("relationship", "relationship--8a0c2e4f-6b9d-5a1c-9e5f-4a5b6c7d8e12")
    ]
    bundle = bundle_of(project, tmp_path / "back.stix.json")
    assert validation_errors(bundle) == []
    assert OPENCTI_AMBER_STRICT not in json.dumps(bundle)
    project.close()


def test_unknown_object_types_are_skipped_and_listed(empty_template: Path, tmp_path: Path) -> None:
    bundle = json.loads((FIXTURES / "opencti_report.json").read_text(encoding="utf-8"))
    strangers = [
        {"type": "malware", "spec_version": "2.1", "id": MALWARE,
         "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
         "name": "x", "is_family": False},
        {"type": "x-opencti-task", "id": "x-opencti-task--0b7d5c3e-86c2-4f0b-9a35-3d2f7e4a1c11",
         "name": "review"},
        {"type": "sighting", "spec_version": "2.1",
         "id": "sighting--ee20065d-2555-424f-ad9e-0f8428623c75",
         "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
         "sighting_of_ref": MALWARE},
        {"type": "marking-definition", "spec_version": "2.1",
         "id": "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41db",
         "created": "2024-01-01T00:00:00.000Z",
         "definition_type": "statement", "definition": {"statement": "Copyright"}},
    ]  # fmt: skip
    bundle["objects"] += strangers
    path = tmp_path / "strangers.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    project = fresh(empty_template, tmp_path)
    summary = import_stix(project, path)
    listed = set(summary.skipped)
    assert {(o["type"], o["id"]) for o in strangers} <= listed
    assert sum(summary.added.values()) == 11
    project.close()


@pytest.mark.parametrize(
    ("marking", "label"),
    [
        (stix2.v21.TLP_WHITE.id, "CLEAR"),
        (stix2.v21.TLP_GREEN.id, "GREEN"),
        (stix2.v21.TLP_AMBER.id, "AMBER"),
        (stix2.v21.TLP_RED.id, "RED"),
        (OPENCTI_AMBER_STRICT, "AMBER+STRICT"),
        (TLP2_IDS[Tlp.AMBER_STRICT], "AMBER+STRICT"),
    ],
)
def test_tlp_1_and_2_markings_and_opencti_identifiers_are_read(
    marking: str, label: str, empty_template: Path, tmp_path: Path
) -> None:
    assert KNOWN_IDS[marking].value == label
    identity = {
        "type": "identity", "spec_version": "2.1",
        "id": "identity--0c2e4f6a-8b1d-5e3f-9a7c-6b5d4e3f2a04",
        "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
        "name": "Armenia", "object_marking_refs": [marking],
    }  # fmt: skip
    path = tmp_path / "one.json"
    bundle = {"type": "bundle", "id": "bundle--0c2e4f6a-8b1d-5e3f-9a7c-6b5d4e3f2a05"}
    path.write_text(json.dumps({**bundle, "objects": [identity]}), encoding="utf-8")
    project = fresh(empty_template, tmp_path)
    import_stix(project, path)
    assert [p["tlp"] for p in records(project)["party"]] == [label]
    project.close()


# ---------------------------------------------------------------------------- MISP


def test_the_misp_event_loads_with_pymisp_with_the_expected_tags(
    demo_project: Project, tmp_path: Path
) -> None:
    (briefing,) = records(demo_project)["briefing"]
    path = tmp_path / "demo.misp.json"
    export_misp(demo_project, path, 1)
    event = MISPEvent()
    event.load(path.read_text(encoding="utf-8"))
    assert event.uuid == briefing["uuid"] and event.info.startswith(briefing["title"])
    assert [t.name for t in event.tags] == [f"tlp:{briefing['tlp'].lower()}"]
    (report,) = event.event_reports
    assert "## Key judgments" in report.content
    tags = {t.name for a in event.attributes for t in a.tags}
    grades = {s["reliability"].lower() for s in records(demo_project)["source"]}
    assert {f'admiralty-scale:source-reliability="{g}"' for g in grades} <= tags
    for judgment in briefing["judgments"]:
        term = judgment["likelihood"].replace(" ", "-")
        assert f'estimative-language:likelihood-probability="{term}"' in tags
    places = [o for o in event.objects if o.name == "geolocation"]
    assert places and all(o.get_attributes_by_relation("latitude") for o in places)
    export_misp(demo_project, tmp_path / "again.misp.json", 1)
    assert (tmp_path / "again.misp.json").read_bytes() == path.read_bytes()


def test_a_misp_export_of_a_briefing_above_the_ceiling_is_refused(
    demo_project: Project, tmp_path: Path
) -> None:
    (briefing,) = records(demo_project)["briefing"]
    mark(demo_project, "briefing", [briefing["uuid"]], Tlp.RED)
    with pytest.raises(BriefingError, match="more strictly than TLP:GREEN"):
        export_misp(demo_project, tmp_path / "x.misp.json", 1, Tlp.GREEN)
    assert not (tmp_path / "x.misp.json").exists()


# ---------------------------------------------------------------------------- command line


def test_the_command_line_exports_and_imports_bundles(
    demo_path: Path, empty_template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle, event = tmp_path / "out.stix.json", tmp_path / "out.misp.json"
    assert main(["export", str(demo_path), "-o", str(bundle), "--max-tlp", "green"]) == 0
    assert main(["export", str(demo_path), "-o", str(event), "--briefing", "1"]) == 0
    target = tmp_path / "new.brief"
    shutil.copyfile(empty_template, target)
    renamed = tmp_path / "platform.json"  # recognised by content, not by name
    shutil.copyfile(bundle, renamed)
    assert main(["import", str(target), str(renamed)]) == 0
    out = capsys.readouterr().out
    assert "Exported" in out and "MISP event" in out and "added: 11 parties" in out


def test_max_tlp_is_refused_for_other_exports(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", str(demo_path), "-o", str(tmp_path / "x.pdf"), "--max-tlp", "RED"]) == 1
    assert capsys.readouterr().err.count("\n") == 1


STIX_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")


@pytest.mark.parametrize("year", [1, 999, 9999])
def test_stix_timestamps_write_every_year_with_four_digits(year: int) -> None:
    text = f"{year:04d}-03-04T05:06:07.089000Z"
    written = ids.timestamp(text)
    assert written == f"{year:04d}-03-04T05:06:07.089Z"
    assert ids.document_time(written) == f"{year:04d}-03-04T05:06:07.089000Z"


@given(
    st.datetimes(
        min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)
    )
)
def test_any_time_the_document_holds_gives_a_stix_timestamp(moment: datetime) -> None:
    written = ids.timestamp(moment.isoformat())
    assert written is not None and STIX_TIMESTAMP.fullmatch(written)
    assert ids.timestamp(ids.document_time(written)) == written


@pytest.mark.parametrize("text", ["0001-01-01T00:30:00+01:00", "9999-12-31T23:30:00-01:00"])
def test_a_stix_time_beyond_year_1_or_9999_in_utc_is_no_time(text: str) -> None:
    assert ids.document_time(text) is None and ids.timestamp(text) is None
