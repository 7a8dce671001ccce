from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from postgres import demo_project_on_both_back_ends  # noqa: F401  (file and server)

from briefing.cli import main
from briefing.errors import BriefingError
from briefing.services import records
from briefing.services.demo import uid
from briefing.services.editions import (
    diff_snapshots,
    edition_changes,
    freeze_edition,
    list_editions,
)
from briefing.store import Project

SEVEN_KILLED = {
    "uuid": "0c1a1a1a-0000-4000-8000-00000000c1a7",
    "side": "all sides",
    "category": "killed",
    "best": 7,
    "words": "",
    "claimant": uid("arm-mod"),
}


def record_id(project: Project, kind: str, slug: str) -> int:
    with project.engine.connect() as connection:
        found = records.id_of(connection, kind, uid(slug))
    assert found is not None
    return found


def briefing_body(project: Project) -> dict[str, Any]:
    return records.get_record(project, "briefing", record_id(project, "briefing", "briefing"))


def test_editions_are_numbered_in_order(demo_project: Project) -> None:
    briefing = record_id(demo_project, "briefing", "briefing")
    first, second = freeze_edition(demo_project, briefing), freeze_edition(demo_project, briefing)
    assert (first.number, second.number) == (1, 2)
    assert [e.number for e in list_editions(demo_project, briefing)] == [1, 2]
    assert second.frozen_by == "Test analyst"


def test_first_edition_counts_everything_as_added(demo_project: Project) -> None:
    briefing = record_id(demo_project, "briefing", "briefing")
    freeze_edition(demo_project, briefing)
    diff = edition_changes(demo_project, briefing, 1)
    kinds = sorted({c.kind for c in diff.added})
    assert kinds == ["entry", "key judgment", "map", "relationship", "section", "statement"]
    assert diff.old_number is None and not diff.removed and not diff.changed


def test_changes_since_the_latest_edition(demo_project: Project) -> None:
    briefing = record_id(demo_project, "briefing", "briefing")
    freeze_edition(demo_project, briefing)
    records.update_record(
        demo_project, "entry", record_id(demo_project, "entry", "clash"), {"claims": [SEVEN_KILLED]}
    )
    party = record_id(demo_project, "party", "aze-forces")
    records.update_record(demo_project, "party", party, {"name": "Azerbaijani Armed Forces"})
    body = briefing_body(demo_project)
    events = body["sections"][0]["items"]
    removed = events.pop(1)  # the captives videos
    body["sections"][1]["items"].append(
        {"kind": "party", "ref": uid("turkey"), "uuid": uid("item-new")}
    )
    records.update_record(
        demo_project,
        "briefing",
        briefing,
        {"sections": body["sections"], "bluf": "Fighting resumed."},
    )
    diff = edition_changes(demo_project, briefing)
    assert diff.new_number is None and diff.old_number == 1
    assert [f.label for f in diff.briefing_fields] == ["bottom line up front"]
    assert [(c.kind, c.key) for c in diff.added] == [("party", uid("turkey"))]
    assert [(c.kind, c.key) for c in diff.removed] == [("entry", removed["ref"])]
    [clash] = [c for c in diff.changed if c.key == uid("clash")]
    fields = {f.field: (f.old, f.new) for f in clash.fields if f.field != "claims"}
    claims = [(f.label, f.old, f.new) for f in clash.fields if f.field == "claims"]
    assert claims[0] == ("casualties: All sides killed", "—", "7 (Ministry of Defence of Armenia)")
    assert ("casualties: Armenia wounded", "4 (Ministry of Defence of Armenia)", "—") in claims
    assert len(claims) == 1 + 3  # the new claim, and the demo's three it replaced
    assert "Azerbaijani Armed Forces (involved)" in fields["parties"][1]


def test_a_frozen_edition_does_not_follow_later_edits(demo_project: Project) -> None:
    briefing = record_id(demo_project, "briefing", "briefing")
    freeze_edition(demo_project, briefing)
    entry = record_id(demo_project, "entry", "clash")
    records.update_record(demo_project, "entry", entry, {"title": "Border battle"})
    freeze_edition(demo_project, briefing)
    records.update_record(demo_project, "entry", entry, {"title": "Renamed again"})
    diff = edition_changes(demo_project, briefing, 2)
    changes = {c.key: [(f.field, f.old, f.new) for f in c.fields] for c in diff.changed}
    renamed = ("Clashes on the Armenia–Azerbaijan border", "Border battle")
    assert changes.pop(uid("clash")) == [("title", *renamed)]
    assert set(changes) == {
        uid(s)
        for s in ("arm-mod-attack", "aze-mod-provocation", "arm-mod-casualties", "aze-mod-detained")
    }
    assert all(fields == [("entry", *renamed)] for fields in changes.values())


def test_moving_an_item_between_sections_is_a_change() -> None:
    def snapshot(section: str) -> dict[str, Any]:
        item = {"kind": "entry", "ref": "e1", "record": {"title": "Clash"}}
        return {
            "briefing": {"title": "B"},
            "judgments": [],
            "sections": [
                {"uuid": "s1", "heading": "One", "body": "", "items": [item] if section else []},
                {"uuid": "s2", "heading": "Two", "body": "", "items": [] if section else [item]},
            ],
        }

    diff = diff_snapshots(snapshot("one"), snapshot(""), 1, 2)
    [change] = diff.changed
    assert [(f.field, f.old, f.new) for f in change.fields] == [("section", "One", "Two")]


def test_notes_never_enter_an_edition(demo_project: Project) -> None:
    entry = record_id(demo_project, "entry", "clash")
    records.update_record(demo_project, "entry", entry, {"notes": "Private hunch"})
    briefing = record_id(demo_project, "briefing", "briefing")
    freeze_edition(demo_project, briefing)
    with demo_project.engine.connect() as connection:
        snapshot = connection.exec_driver_sql("SELECT snapshot FROM edition").scalar_one()
    assert "Private hunch" not in snapshot and "Clashes on the Armenia" in snapshot


def test_missing_edition_is_one_sentence(demo_project: Project) -> None:
    briefing = record_id(demo_project, "briefing", "briefing")
    with pytest.raises(BriefingError, match="no edition 4"):
        edition_changes(demo_project, briefing, 4)


@pytest.mark.parametrize(
    "spoiled",
    [
        '{"sections": 1}',
        # SQLite's JSON reads the first of two equal keys, Python's the last
        '{"briefing": {}, "judgments": [], "judgments": 1, "sections": []}',
        '{"briefing": {"title": "Shown"}, "judgments": [], "sections": [], '
        '"briefing": {"title": "Compared"}}',
    ],
)
def test_a_frozen_content_the_service_cannot_read_is_one_sentence(
    demo_project: Project, spoiled: str
) -> None:
    briefing = record_id(demo_project, "briefing", "briefing")
    freeze_edition(demo_project, briefing)
    with demo_project.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE edition SET snapshot = ?", (spoiled,))
    with pytest.raises(BriefingError, match="damaged: the frozen content of edition 1") as error:
        edition_changes(demo_project, briefing)
    assert "\n" not in str(error.value)


def test_cli_freezes_and_lists_changes(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["edition", str(demo_path)]) == 0
    assert "no editions yet" in capsys.readouterr().out
    assert main(["edition", str(demo_path), "--freeze"]) == 0
    assert "Froze edition 1" in capsys.readouterr().out
    assert main(["edition", str(demo_path), "--briefing", "1"]) == 0
    out = capsys.readouterr().out
    assert "edition 1" in out and "No changes since edition 1." in out
    assert main(["edition", str(demo_path), "--briefing", "9"]) == 1


def test_a_change_lists_the_records_its_frozen_text_names() -> None:
    def snapshot(speaker: str, refs: list | None) -> dict[str, Any]:
        item: dict[str, Any] = {
            "kind": "statement", "ref": "q1", "record": {"quote": "We hold", "speaker": speaker},
        }  # fmt: skip
        if refs is not None:
            item["refs"] = refs
        return {
            "briefing": {"title": "B"},
            "judgments": [],
            "sections": [{"uuid": "s1", "heading": "One", "body": "", "items": [item]}],
        }

    old = snapshot("Kalbajar Watch", [["party", "p1", "CLEAR"]])
    diff = diff_snapshots(old, snapshot("Lachin Watch", [["party", "p2", "GREEN"]]), 1, 2)
    [change] = diff.changed
    assert change.names == (("party", "p1"), ("party", "p2"))
    # frozen before names kept their UUIDs: the names cannot be looked up by UUID
    diff = diff_snapshots(snapshot("Kalbajar Watch", None), snapshot("Lachin Watch", []), 1, 2)
    assert diff.changed[0].names is None
