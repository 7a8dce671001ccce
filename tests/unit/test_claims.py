"""Casualty claims: the format-2 migration, the rules, the services, JSON, share and the sums."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.errors import BriefingError, RecordError
from briefing.io.jsondoc import export_json, import_json
from briefing.model import codec, rules
from briefing.model.claim_figures import (
    ClaimFigures,
    best_estimates,
    casualty_total,
    claim_line,
    compact_summary,
)
from briefing.model.vocab import Tlp
from briefing.services import claims, records
from briefing.services.demo import uid
from briefing.services.share import write_share_copy
from briefing.store import Project, create_project, open_project

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def entry_id(project: Project, slug: str) -> int:
    with project.engine.connect() as connection:
        found = records.id_of(connection, "entry", uid(slug))
    assert found is not None
    return found


def claim(**values: Any) -> dict[str, Any]:
    return {"side": "all sides", "category": "killed", "words": "", **values}


# ---------------------------------------------------------------------------- migration


def test_format_1_figures_become_claims_by_their_reporter(tmp_path: Path) -> None:
    old = sqlite3.connect(FIXTURES / "format1.brief")
    rows = old.execute(
        "SELECT t.uuid, t.killed, t.wounded, t.captured, p.uuid, t.casualty_note, t.description "
        "FROM timeline_entry t LEFT JOIN party p ON p.id = t.casualties_reported_by_id"
    ).fetchall()
    old.close()
    path = tmp_path / "format1.brief"
    shutil.copyfile(FIXTURES / "format1.brief", path)
    with open_project(path, "Ana") as project, project.engine.connect() as connection:
        entries = {e["uuid"]: e for e in codec.dump(connection, "entry")}
    assert len(list(tmp_path.glob("format1.format1-backup-*.brief"))) == 1
    figures = 0
    for uuid, killed, wounded, captured, reporter, note, description in rows:
        got = entries[uuid]["claims"]
        wanted = [(c, v) for c, v in (("killed", killed), ("wounded", wounded),
                                      ("captured", captured)) if v is not None]  # fmt: skip
        figures += len(wanted)
        assert [(c["category"], c["best"]) for c in got] == wanted
        assert all(c["side"] == "all sides" and c["claimant"] == reporter for c in got)
        if note and got:
            assert got[0]["words"] == note
        elif note:
            assert entries[uuid]["description"].endswith(note)
        else:
            assert entries[uuid]["description"] == description
    assert figures > 0
    assert rules.check_records({"entry": list(entries.values())}, known=lambda k, u: True) == []


def test_the_format_2_fixture_holds_claims_of_every_shape_and_a_map(tmp_path: Path) -> None:
    path = tmp_path / "format2.brief"
    shutil.copyfile(FIXTURES / "format2.brief", path)
    with open_project(path, "Ana") as project, project.engine.connect() as connection:
        found = codec.dump_all(connection)
    sides = {c["side"] for e in found["entry"] for c in e["claims"]}
    assert sides == {"all sides", "party", "civilians", "unknown"}
    items = [i for b in found["briefing"] for s in b["sections"] for i in s["items"]]
    assert [i for i in items if i["kind"] == "map"] == [
        {"uuid": i["uuid"], "kind": "map"} for i in items if i["kind"] == "map"
    ]
    assert len([i for i in items if i["kind"] == "map"]) == 1


# ---------------------------------------------------------------------------- rules


@pytest.mark.parametrize(
    ("value", "field", "reason"),
    [
        (claim(best=-1), "best", "from 0 to"),
        (claim(best=2**64), "best", "from 0 to"),
        (claim(best="12"), "best", "whole number"),
        (claim(best=1.5), "best", "whole number"),
        (claim(best=True), "best", "whole number"),
        (claim(low=5, best=4), "low", "above the best"),
        (claim(best=5, high=4), "high", "below the best"),
        (claim(low=5, high=4), "high", "below the low"),
        (claim(), "words", "give a figure, or the words"),
        (claim(words="   "), "words", "give a figure, or the words"),
        (claim(side="party", best=3), "party", "names it"),
        (claim(party="3a2c1d4e-0000-4000-8000-000000000001", best=3), "party", "left out"),
        (claim(side="everyone", best=3), "side", "must be one of"),
        (claim(category="maimed", best=3), "category", "must be one of"),
        (claim(best=3, words="x" * 1001), "words", "more than the 1,000"),
        (claim(best=3, words="a\ud800"), "words", "lone surrogate"),
        (claim(best=3, claimed_at="2021-11-16"), "claimed_at", "time"),
        (claim(best=3, claimant="Armenia"), "claimant", "UUID"),
        ("claims", "", "must be a casualty claim"),
    ],
)
def test_a_claim_that_breaks_a_rule_is_refused(value: Any, field: str, reason: str) -> None:
    found = rules.check_claim(value)
    assert found is not None and found[0] == field and reason in found[1]


@pytest.mark.parametrize(
    "value",
    [
        claim(best=0),
        claim(best=rules.MAX_COUNT),
        claim(low=40, best=49, high=60),
        claim(high=12, words="up to a dozen"),
        claim(side="civilians", category="displaced", low=1000, high=1000),
        claim(side="unknown", category="missing", words="Հայ 😀 <b>&amp;</b>"),
    ],
)
def test_valid_claims_pass(value: dict[str, Any]) -> None:
    assert rules.check_claim(value) is None


# ---------------------------------------------------------------------------- services


def test_add_edit_move_delete_each_one_undo_step(demo_project: Project) -> None:
    clash = entry_id(demo_project, "clash")
    before = records.get_record(demo_project, "entry", clash)
    added = claims.add_claim(
        demo_project, clash,
        {"side": "party", "party": uid("azerbaijan"), "category": "killed", "best": 50,
         "claimant": uid("aze-mod"), "claimed_at": "2021-11-17T09:00:00+04:00"},
    )  # fmt: skip
    new = added.after["entry"][0]["claims"][-1]
    assert (new["best"], new["claimed_at"]) == (50, "2021-11-17T05:00:00Z")
    assert added.after["entry"][0]["updated_at"] > before["updated_at"]
    edited = claims.update_claim(demo_project, clash, new["uuid"], {"low": 45, "high": 60})
    assert edited.before["entry"][0]["claims"][-1]["low"] is None
    moved = claims.move_claim(demo_project, clash, new["uuid"], 0)
    assert moved.after["entry"][0]["claims"][0]["uuid"] == new["uuid"]
    with pytest.raises(RecordError, match=r"claims\[0\]\.high' is below the best figure"):
        claims.update_claim(demo_project, clash, new["uuid"], {"high": 10})
    deleted = claims.delete_claim(demo_project, clash, new["uuid"])
    assert new["uuid"] not in {c["uuid"] for c in deleted.after["entry"][0]["claims"]}
    records.restore(demo_project, deleted.before)  # undo the deletion
    assert records.get_record(demo_project, "entry", clash)["claims"][0]["low"] == 45
    with pytest.raises(RecordError, match="no longer exists"):
        claims.delete_claim(demo_project, clash, "3a2c1d4e-0000-4000-8000-000000000009")


def test_deleting_a_party_leaves_its_claims_about_an_unknown_side(demo_project: Project) -> None:
    party = records.create_record(demo_project, "party", {"name": "Gone", "kind": "militia"})
    party_id = party.ids["party"][0]
    clash = entry_id(demo_project, "clash")
    about = claim(side="party", party=party.created_uuids[0], best=2, claimant=uid("arm-mod"))
    claims.add_claim(demo_project, clash, about)
    change = records.delete_records(demo_project, "party", [party_id])
    assert change.ids["entry"] == (clash,)
    last = records.get_record(demo_project, "entry", clash)["claims"][-1]
    assert (last["side"], last["party"], last["best"]) == ("unknown", None, 2)
    records.restore(demo_project, change.before)
    assert records.get_record(demo_project, "entry", clash)["claims"][-1]["side"] == "party"


# ---------------------------------------------------------------------------- JSON


def test_claims_and_map_items_travel_through_json(demo_project: Project, tmp_path: Path) -> None:
    briefing = records.get_record(demo_project, "briefing", 1)
    briefing["sections"][0]["items"].append({"kind": "map"})
    records.update_record(demo_project, "briefing", 1, {"sections": briefing["sections"]})
    path = tmp_path / "doc.json"
    export_json(demo_project, path)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["version"] == 2
    target = tmp_path / "copy.brief"
    with create_project(target, "Bob") as copy:
        import_json(copy, path)
        with copy.engine.connect() as connection, demo_project.engine.connect() as ours:
            assert codec.dump_all(connection) == codec.dump_all(ours)


def test_a_version_1_document_still_imports_its_figures_as_claims(
    demo_project: Project, tmp_path: Path
) -> None:
    path = tmp_path / "doc.json"
    export_json(demo_project, path)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["version"] = 1
    for entry in document["entries"]:
        entry.pop("claims")
    clash = next(e for e in document["entries"] if e["uuid"] == uid("clash"))
    clash.update(killed=3, wounded=4, casualties_reported_by=uid("arm-mod"),
                 casualty_note="four wounded confirmed")  # fmt: skip
    videos = next(e for e in document["entries"] if e["uuid"] == uid("captives-videos"))
    videos.update(casualty_note="up to a dozen, unverified")
    path.write_text(json.dumps(document), encoding="utf-8")
    target = tmp_path / "old.brief"
    with create_project(target, "Bob") as copy:
        import_json(copy, path)
        again = import_json(copy, path)
        assert again.updated == {} and again.added == {}
        found = {e["uuid"]: e for e in codec.dump_all(copy.engine.connect())["entry"]}
    got = [
        (c["category"], c["best"], c["claimant"], c["words"]) for c in found[uid("clash")]["claims"]
    ]
    assert got == [("killed", 3, uid("arm-mod"), "four wounded confirmed"),
                   ("wounded", 4, uid("arm-mod"), "")]  # fmt: skip
    assert found[uid("captives-videos")]["claims"] == []
    assert found[uid("captives-videos")]["description"].endswith("up to a dozen, unverified")


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"best": -3}, r"claims\[0\]\.best' must be at least 0"),
        ({"best": "many"}, r"claims\[0\]\.best' must be a whole number"),
        ({"side": "civilians"}, r"claims\[0\]\.party' must be left out"),
        ({"party": None}, r"claims\[0\]\.party' is missing"),
        ({"party": "3a2c1d4e-0000-4000-8000-00000000dead"}, "neither in the document nor"),
        ({"low": 9}, r"claims\[0\]\.low' is above the best figure"),
        ({"uuid": "not-a-uuid"}, r"claims\[0\]\.uuid'"),
        ({"extra": 1}, r"claims\[0\]' has a field 'extra'|'extra' is not a known field|extra"),
    ],
)
def test_a_hostile_claim_in_json_is_refused_and_the_file_is_unchanged(
    demo_project: Project, demo_path: Path, tmp_path: Path, bad: dict[str, Any], message: str
) -> None:
    path = tmp_path / "doc.json"
    export_json(demo_project, path)
    document = json.loads(path.read_text(encoding="utf-8"))
    clash = next(e for e in document["entries"] if e["uuid"] == uid("clash"))
    clash["claims"][0].update(bad)
    clash["updated_at"] = "2030-01-01T00:00:00Z"
    path.write_text(json.dumps(document), encoding="utf-8")
    demo_project.close()
    before = demo_path.read_bytes()
    with open_project(demo_path, "Ana") as project, pytest.raises(BriefingError) as refused:
        import_json(project, path)
    text = str(refused.value)
    assert "\n" not in text and text.endswith(".")
    import re

    assert re.search(message, text), text
    assert demo_path.read_bytes() == before


# ---------------------------------------------------------------------------- share


def test_a_claim_of_a_filtered_entry_or_about_a_filtered_party_never_travels(
    demo_project: Project, tmp_path: Path
) -> None:
    secret_party = records.create_record(
        demo_project, "party", {"name": "qxsecretparty", "kind": "militia", "tlp": "RED"}
    ).created_uuids[0]
    clash = entry_id(demo_project, "clash")
    claims.add_claim(demo_project, clash, claim(side="party", party=secret_party, best=7,
                                                words="qxclaimaboutsecret"))  # fmt: skip
    claims.add_claim(demo_project, clash, claim(best=8, claimant=secret_party,
                                                words="qxclaimbysecret"))  # fmt: skip
    videos = entry_id(demo_project, "captives-videos")
    records.update_record(demo_project, "entry", videos, {"tlp": "RED"})
    claims.add_claim(demo_project, videos, claim(best=9, words="qxclaimofsecretentry"))
    out = tmp_path / "green.brief"
    write_share_copy(demo_project, out, Tlp.GREEN)
    raw = out.read_bytes()
    for marker in (b"qxsecretparty", b"qxclaimaboutsecret", b"qxclaimofsecretentry"):
        assert marker not in raw
    assert b"qxclaimbysecret" in raw  # the claim stays; its claimant is cut
    with open_project(out, "Bob") as copy, copy.engine.connect() as connection:
        found = {e["uuid"]: e for e in codec.dump(connection, "entry")}
    assert uid("captives-videos") not in found
    kept = [c for c in found[uid("clash")]["claims"] if c["words"] == "qxclaimbysecret"]
    assert [c["claimant"] for c in kept] == [None]


def test_merging_a_share_copy_back_keeps_the_claims_it_could_not_show(
    demo_project: Project, tmp_path: Path
) -> None:
    from briefing.services.merge import merge_project

    secret = records.create_record(
        demo_project, "party", {"name": "Hidden", "kind": "militia", "tlp": "RED"}
    ).created_uuids[0]
    clash = entry_id(demo_project, "clash")
    claims.add_claim(demo_project, clash, claim(side="party", party=secret, best=7))
    claims.add_claim(demo_project, clash, claim(best=8, claimant=secret))
    out = tmp_path / "green.brief"
    write_share_copy(demo_project, out, Tlp.GREEN)
    with open_project(out, "Bob") as copy:
        records.update_record(copy, "entry", entry_id(copy, "clash"), {"place": "Sotk"})
    merge_project(demo_project, out)
    after = records.get_record(demo_project, "entry", clash)
    assert after["place"] == "Sotk"
    assert [c["party"] for c in after["claims"] if c["best"] == 7] == [secret]
    assert [c["claimant"] for c in after["claims"] if c["best"] == 8] == [secret]


# ---------------------------------------------------------------------------- sums


def test_figures_are_never_added_across_claimants() -> None:
    found = [
        ClaimFigures("AM", "killed", None, 49, None, "Armenian MoD"),
        ClaimFigures("AM", "killed", None, 200, None, "Azerbaijani MoD"),
        ClaimFigures("AZ", "killed", None, 50, None, "Azerbaijani MoD"),
        ClaimFigures("AM", "wounded", None, 4, None, "Armenian MoD"),
        ClaimFigures("AM", "captured", None, None, 12, ""),
        ClaimFigures("civilians", "displaced", 100, None, 300, ""),
    ]
    assert compact_summary(found) == "AM 49/200 k, 4 w, ≤12 c · AZ 50 k · civ 100–300 d"
    assert best_estimates(found) == {"killed": 99, "wounded": 4, "captured": 12, "displaced": 100}
    assert casualty_total(found) == 115
    whole = [ClaimFigures("all sides", "killed", 12, 15, 20), *found[:1]]
    assert best_estimates(whole) == {"killed": 49}
    assert casualty_total([ClaimFigures("unknown", "killed", None, None, None)]) is None


def test_a_claim_reads_as_one_line() -> None:
    names = {"p": "Armenia", "m": "Armenian MoD", "s": "MoD statement"}
    line = claim_line(
        {"side": "party", "party": "p", "category": "wounded", "best": 4, "low": None,
         "high": None, "words": "four  injured", "claimant": "m", "source": "s"},
        names.__getitem__,
    )  # fmt: skip
    assert line == "Armenia: 4 wounded “four injured”, per Armenian MoD (MoD statement)"
    assert claim_line(claim(words="fatalities"), names.__getitem__) == (
        "All sides: “fatalities” killed"
    )


# ---------------------------------------------------------------------------- STIX and MISP


def test_claims_travel_through_stix_and_show_in_misp(demo_project: Project, tmp_path: Path) -> None:
    from briefing.io.stix.export import export_stix
    from briefing.io.stix.importer import import_stix
    from briefing.io.stix.misp import export_misp

    bundle = tmp_path / "demo.stix.json"
    export_stix(demo_project, bundle)
    target = tmp_path / "stix.brief"
    with create_project(target, "Bob") as copy:
        import_stix(copy, bundle)
        with copy.engine.connect() as connection:
            theirs = {e["uuid"]: e["claims"] for e in codec.dump(connection, "entry")}
    with demo_project.engine.connect() as connection:
        ours = {e["uuid"]: e["claims"] for e in codec.dump(connection, "entry")}
    assert theirs[uid("clash")] == ours[uid("clash")]
    assert theirs[uid("captives-videos")] == ours[uid("captives-videos")]
    misp = tmp_path / "demo.misp.json"
    export_misp(demo_project, misp, 1)
    text = json.dumps(json.loads(misp.read_text(encoding="utf-8")), ensure_ascii=False)
    assert "Armenia: 4 wounded “four people were injured”, per Armenian MoD" in text


# ---------------------------------------------------------------------------- hostile claims

HOSTILE_VALUE = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=True),
    st.sampled_from(["", " ", "killed", "party", "civilians", "all sides", "<b>&amp;</b>",
                     "Հայաստան", "أذربيجان", "阿塞拜疆", "😀🇦🇲", "a\ud800", "x" * 1001, "\x00",
                     "2021-11-16T07:00:00Z", "2021-11-16", "3a2c1d4e-0000-4000-8000-000000000001",
                     "NaN", "1e309"]),
    st.lists(st.integers(), max_size=2),
)  # fmt: skip
CLAIM_KEYS = ["uuid", "side", "party", "category", "low", "best", "high", "words", "claimant",
              "source", "claimed_at"]  # fmt: skip


@settings(
    deadline=None, max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(values=st.dictionaries(st.sampled_from(CLAIM_KEYS), HOSTILE_VALUE, max_size=6))
def test_a_hostile_claim_from_the_window_is_refused_in_one_sentence_or_usable(
    demo_project: Project, demo_path: Path, values: dict[str, Any]
) -> None:
    clash = entry_id(demo_project, "clash")
    before = records.get_record(demo_project, "entry", clash)
    try:
        change = claims.add_claim(demo_project, clash, values)
    except BriefingError as error:
        text = str(error)
        assert text and "\n" not in text and text.endswith(".")
        text.encode("utf-8")
        assert records.get_record(demo_project, "entry", clash) == before
        return
    entry = change.after["entry"][0]
    entry.pop("_id")
    assert rules.check_record("entry", entry) == []
    with demo_project.engine.connect() as connection:
        assert rules.check_records(codec.dump_all(connection)) == []
    records.restore(demo_project, change.before)
