"""The marking rule itself: labels, frozen text, links cut, what depends on what is out."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from briefing.model import codec
from briefing.model.marking import (
    ReleaseFilter,
    frozen_releasable,
    releasable,
    stricter_labels,
)
from briefing.model.vocab import Tlp
from briefing.services import records
from briefing.services.demo import uid
from briefing.store import Project


def test_a_label_is_releasable_up_to_the_ceiling_and_no_further() -> None:
    assert releasable("GREEN", Tlp.GREEN) and releasable(Tlp.CLEAR, "GREEN")
    assert not releasable("AMBER", Tlp.GREEN)
    assert releasable("AMBER+STRICT", Tlp.RED) and not releasable("RED", Tlp.AMBER_STRICT)
    assert stricter_labels(Tlp.AMBER) == ("AMBER+STRICT", "RED")
    assert stricter_labels(Tlp.RED) == ()


@pytest.mark.parametrize("label", [None, "", "red", "TLP:RED", "WHITE", 3, "GREEN "])
def test_a_label_the_program_does_not_know_is_never_releasable(label: object) -> None:
    assert not releasable(label, Tlp.RED)


def test_frozen_text_counts_with_the_stricter_label_and_deleted_is_out() -> None:
    assert frozen_releasable("GREEN", "GREEN", Tlp.GREEN)
    assert not frozen_releasable("RED", "GREEN", Tlp.GREEN)  # lowered since: still out
    assert not frozen_releasable("GREEN", "RED", Tlp.GREEN)  # raised since
    assert not frozen_releasable("GREEN", None, Tlp.RED)  # deleted since
    assert frozen_releasable(None, "CLEAR", Tlp.CLEAR)  # no frozen label: the current decides


def relabel(project: Project, kind: str, slug: str, tlp: str) -> None:
    with project.engine.connect() as connection:
        record_id = records.id_of(connection, kind, uid(slug))
    assert record_id is not None
    records.update_record(project, kind, record_id, {"tlp": tlp})


def dump(project: Project, kind: str) -> list[dict[str, Any]]:
    with project.engine.connect() as connection:
        return codec.dump(connection, kind)


def test_trim_cuts_links_to_what_is_out_and_drops_what_cannot_exist_without_it(
    demo_project: Project,
) -> None:
    relabel(demo_project, "party", "russia", "RED")
    relabel(demo_project, "statement", "aze-mod-provocation", "AMBER")
    with demo_project.engine.connect() as connection:
        release = ReleaseFilter(connection, Tlp.GREEN)
        relationships = release.trim_all("relationship", codec.dump(connection, "relationship"))
        entries = release.trim_all("entry", codec.dump(connection, "entry"))
        statements = release.trim_all("statement", codec.dump(connection, "statement"))
        parties = release.trim_all("party", codec.dump(connection, "party"))
        (briefing,) = release.trim_all("briefing", codec.dump(connection, "briefing"))
    kept = {r["uuid"] for r in relationships}
    assert uid("treaty-1997") not in kept and uid("turkey-backing") in kept  # Russia's are out
    assert uid("russia") not in {p["uuid"] for p in parties}
    peacekeepers = next(p for p in parties if p["uuid"] == uid("ru-peacekeepers"))
    assert peacekeepers["parent"] is None  # the link to Russia is cut, the record kept
    assert all(p["party"] != uid("russia") for e in entries for p in e["parties"])
    assert all(uid("aze-mod-provocation") not in s["contradicts"] for s in statements)
    refs = {i.get("ref") for s in briefing["sections"] for i in s["items"]}  # a map names none
    assert uid("treaty-1997") not in refs and uid("aze-mod-provocation") not in refs
    assert uid("turkey-backing") in refs


def test_a_briefing_stricter_than_the_ceiling_is_out(demo_project: Project) -> None:
    relabel(demo_project, "briefing", "briefing", "AMBER")
    with demo_project.engine.connect() as connection:
        briefings = dump(demo_project, "briefing")
        assert ReleaseFilter(connection, Tlp.GREEN).trim_all("briefing", briefings) == []
        assert ReleaseFilter(connection, Tlp.AMBER).allows("briefing", uid("briefing"))


def frozen(project: Project) -> dict[str, Any]:
    from briefing.services.editions import freeze_edition

    with project.engine.connect() as connection:
        briefing_id = records.id_of(connection, "briefing", uid("briefing"))
    assert briefing_id is not None
    freeze_edition(project, briefing_id)
    with project.engine.connect() as connection:
        (snapshot,) = connection.execute(text("SELECT snapshot FROM edition")).one()
    return json.loads(snapshot)


def test_an_edition_item_lists_the_records_it_names_with_their_labels(demo_project: Project):
    snapshot = frozen(demo_project)
    items = [i for s in snapshot["sections"] for i in s["items"]]
    clash = next(i for i in items if i["ref"] == uid("clash"))
    labels = {(kind, uuid): label for kind, uuid, label in clash["refs"]}
    assert labels[("party", uid("arm-forces"))] in {t.value for t in Tlp}
    assert ("source", uid("article")) in labels and ("party", uid("arm-mod")) in labels
    assert all(ref[0] in {"party", "source", "entry", "statement"} for ref in clash["refs"])


@pytest.mark.parametrize("legacy", [False, True])
def test_an_edition_naming_a_record_now_stricter_is_withheld(
    demo_project: Project, legacy: bool
) -> None:
    snapshot = frozen(demo_project)
    if legacy:
        for section in snapshot["sections"]:
            for item in section["items"]:
                del item["refs"]
    with demo_project.engine.connect() as connection:
        assert ReleaseFilter(connection, Tlp.GREEN).edition_allowed(snapshot)
    relabel(demo_project, "party", "arm-forces", "RED")  # named by the clash entry only
    with demo_project.engine.connect() as connection:
        release = ReleaseFilter(connection, Tlp.GREEN)
        assert not release.edition_allowed(snapshot)
        redacted = release.redact_edition(snapshot)
    assert redacted is not None
    refs = {i["ref"] for s in redacted["sections"] for i in s["items"]}
    assert uid("clash") not in refs and uid("war-2020") in refs
    assert ("entry", uid("clash")) in release.withheld


@pytest.mark.parametrize(
    "snapshot",
    [None, [], "text", {"briefing": []}, {"briefing": {"uuid": 1}}, {"sections": []}],
)
def test_frozen_text_of_an_unknown_shape_is_out(demo_project: Project, snapshot: Any) -> None:
    with demo_project.engine.connect() as connection:
        release = ReleaseFilter(connection, Tlp.RED)
        assert not release.edition_allowed(snapshot)
        assert release.redact_edition(snapshot) is None


def test_an_item_of_an_unknown_shape_is_withheld(demo_project: Project) -> None:
    snapshot = frozen(demo_project)
    shaped = len(snapshot["sections"][0]["items"])
    snapshot["sections"][0]["items"].append({"kind": "entry", "ref": 5, "record": "x"})
    snapshot["sections"][0]["items"].append({"kind": "spy", "ref": "x", "record": {}})
    with demo_project.engine.connect() as connection:
        release = ReleaseFilter(connection, Tlp.RED)
        assert not release.edition_allowed(snapshot)
        redacted = release.redact_edition(snapshot)
    assert redacted is not None and len(redacted["sections"][0]["items"]) == shaped


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.text()
    | st.sampled_from(["GREEN", "RED", "entry", "party", uid("clash"), "?"]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "briefing",
                    "sections",
                    "items",
                    "kind",
                    "ref",
                    "record",
                    "refs",
                    "tlp",
                    "uuid",
                    "parties",
                    "sources",
                    "contradicts",
                    "speaker",
                ]
            ),
            children,
            max_size=5,
        )
    ),  # fmt: skip
    max_leaves=25,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(snapshot=JSON)
def test_frozen_text_of_any_shape_is_judged_without_an_error(
    demo_project: Project, snapshot: Any
) -> None:
    """Hostile frozen content: allowed or not, redacted or refused; never a traceback."""
    with demo_project.engine.connect() as connection:
        release = ReleaseFilter(connection, Tlp.RED)
        allowed = release.edition_allowed(snapshot)
        redacted = release.redact_edition(snapshot)
    assert isinstance(allowed, bool)
    assert redacted is None or isinstance(redacted, dict)
    if allowed:
        assert redacted == snapshot


def test_frozen_text_nested_beyond_any_reader_is_judged_without_an_error(
    demo_project: Project,
) -> None:
    deep: Any = "x"
    for _ in range(50_000):
        deep = {"kind": "entry", "ref": deep, "record": {}}
    snapshot = {"briefing": {"uuid": uid("briefing"), "tlp": "GREEN"}, "sections": [
        {"uuid": "s", "heading": "h", "items": [deep]}]}  # fmt: skip
    with demo_project.engine.connect() as connection:
        release = ReleaseFilter(connection, Tlp.RED)
        assert release.edition_allowed(snapshot) is False
        redacted = release.redact_edition(snapshot)
    assert redacted is None or redacted["sections"][0]["items"] == []
