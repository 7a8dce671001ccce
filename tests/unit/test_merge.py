from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from briefing.cli import main
from briefing.errors import BriefingError
from briefing.model import codec
from briefing.services import records
from briefing.services.demo import uid
from briefing.services.merge import Resolution, apply_merge, merge_project, plan_merge
from briefing.store import Project, open_project


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def theirs_path(demo_template: Path, tmp_path: Path) -> Path:
    """A colleague's copy of the same demo project."""
    path = tmp_path / "colleague.brief"
    shutil.copyfile(demo_template, path)
    return path


def edit(path: Path, kind: str, slug: str, analyst: str = "Bob", **values: Any) -> None:
    with open_project(path, analyst) as project:
        with project.engine.connect() as connection:
            record_id = records.id_of(connection, kind, uid(slug))
        records.update_record(project, kind, record_id, values)


def remove(path: Path, kind: str, slug: str, analyst: str = "Bob") -> None:
    with open_project(path, analyst) as project:
        with project.engine.connect() as connection:
            record_id = records.id_of(connection, kind, uid(slug))
        records.delete_records(project, kind, [record_id])


def killed(best: int) -> list[dict[str, Any]]:
    """The clash's claims: one figure of killed on all sides, by nobody in particular."""
    return [{"uuid": "0c1a1a1a-0000-4000-8000-00000000c1a1", "side": "all sides",
             "category": "killed", "best": best, "words": ""}]  # fmt: skip


def killed_of(record: dict[str, Any] | None) -> int | None:
    assert record is not None
    found = [c["best"] for c in record["claims"] if c["category"] == "killed" and c["best"]]
    return found[0] if found else None


def fetch(project: Project, kind: str, uuid: str) -> dict[str, Any] | None:
    with project.engine.connect() as connection:
        record_id = records.id_of(connection, kind, uuid)
        return None if record_id is None else codec.dump(connection, kind, [record_id])[0]


def new_entry(path: Path, title: str) -> str:
    with open_project(path, "Bob") as project:
        change = records.create_record(
            project, "entry", {"title": title, "start_utc": "2021-11-17T06:00:00Z"}
        )
    return change.created_uuids[0]


def test_clean_merge_takes_each_sides_changes(demo_path: Path, theirs_path: Path) -> None:
    added = new_entry(theirs_path, "Shelling near Jermuk")
    edit(theirs_path, "statement", "arm-mod-positions", translation="two positions lost")
    edit(demo_path, "entry", "war-2020", analyst="Ana", place="South Caucasus")
    with open_project(demo_path, "Ana") as project:
        report = merge_project(project, theirs_path)
        assert (report.added, report.updated, report.conflicting, report.deleted) == (1, 1, 0, 0)
        assert fetch(project, "entry", added)["title"] == "Shelling near Jermuk"
        statement = fetch(project, "statement", uid("arm-mod-positions"))
        assert statement["translation"] == "two positions lost"
        assert fetch(project, "entry", uid("war-2020"))["place"] == "South Caucasus"
        hits = [h.title for h in records_search(project, "Jermuk")]
        assert hits == ["Shelling near Jermuk"]


def records_search(project: Project, text: str) -> list[Any]:
    from briefing.services.overview import search

    return search(project, text)


@pytest.mark.parametrize("resolution", list(Resolution))
def test_both_sides_changed_is_a_conflict(
    demo_path: Path, theirs_path: Path, resolution: Resolution
) -> None:
    edit(demo_path, "entry", "clash", analyst="Ana", claims=killed(2))
    edit(theirs_path, "entry", "clash", claims=killed(3), place="Sotk")
    with open_project(demo_path, "Ana") as project:
        plan = plan_merge(project, theirs_path)
        assert [(c.kind, c.uuid, c.fields) for c in plan.conflicts] == [
            ("entry", uid("clash"), ("claims", "place"))
        ]
        report = apply_merge(project, plan, {uid("clash"): resolution})
        assert report.conflicting == 1 and report.conflicts[0].resolution is resolution
        kept = fetch(project, "entry", uid("clash"))
        with project.engine.connect() as connection:
            copies = codec.dump(connection, "entry", None)
    expected = 3 if resolution is Resolution.THEIRS else 2
    assert killed_of(kept) == expected
    sotk = [e for e in copies if e["place"] == "Sotk"]
    assert len(sotk) == {Resolution.OURS: 0, Resolution.THEIRS: 1, Resolution.BOTH: 1}[resolution]
    if resolution is Resolution.BOTH:
        assert sotk[0]["uuid"] != uid("clash") and killed_of(sotk[0]) == 3


def test_cli_reports_conflicts_and_keeps_ours_unless_told(
    demo_path: Path, theirs_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(demo_path, "entry", "clash", analyst="Ana", claims=killed(2))
    edit(theirs_path, "entry", "clash", claims=killed(3))
    before = digest(demo_path)
    assert main(["merge", str(demo_path), str(theirs_path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Would merge" in out and "1 conflicting" in out and "‘Clashes on" in out
    assert digest(demo_path) == before
    assert main(["merge", str(demo_path), str(theirs_path)]) == 0
    assert "kept ours" in capsys.readouterr().out
    with open_project(demo_path, "Ana") as project:
        assert killed_of(fetch(project, "entry", uid("clash"))) == 2


def test_the_command_line_counts_what_it_merged_by_kind(
    demo_path: Path, theirs_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(demo_path, "entry", "clash", analyst="Ana", claims=killed(2))
    edit(theirs_path, "entry", "clash", claims=killed(3))
    assert main(["merge", str(demo_path), str(theirs_path), "--dry-run"]) == 0
    assert "would keep ours: 1 timeline entry\n" in capsys.readouterr().out
    assert main(["merge", str(demo_path), str(theirs_path), "--prefer", "theirs"]) == 0
    assert "took theirs: 1 timeline entry\n" in capsys.readouterr().out
    empty = tmp_path / "empty.brief"
    assert main(["new", str(empty)]) == 0
    assert main(["merge", str(empty), str(theirs_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    added = next(line for line in lines if line.startswith("added: "))
    assert "1 briefing" in added and "parties" in added and "timeline entries" in added
    total = sum(int(part.split()[0]) for part in added.removeprefix("added: ").split(", "))
    assert f": {total} added," in lines[-1]


def test_prefer_theirs_on_the_command_line(demo_path: Path, theirs_path: Path) -> None:
    edit(demo_path, "entry", "clash", analyst="Ana", claims=killed(2))
    edit(theirs_path, "entry", "clash", claims=killed(3))
    assert main(["merge", str(demo_path), str(theirs_path), "--prefer", "theirs"]) == 0
    with open_project(demo_path, "Ana") as project:
        assert killed_of(fetch(project, "entry", uid("clash"))) == 3


def test_deletion_travels_with_its_tombstone(demo_path: Path, theirs_path: Path) -> None:
    remove(theirs_path, "entry", "captives-videos")
    with open_project(demo_path, "Ana") as project:
        report = merge_project(project, theirs_path)
        assert report.deleted == 1
        assert fetch(project, "entry", uid("captives-videos")) is None
        briefing = fetch(project, "briefing", uid("briefing"))
        with project.engine.connect() as connection:
            buried = connection.exec_driver_sql("SELECT uuid FROM tombstone").scalars().all()
    refs = [i.get("ref") for s in briefing["sections"] for i in s["items"]]
    assert uid("captives-videos") not in refs and uid("clash") in refs
    assert buried == [uid("captives-videos")]


def test_an_edit_newer_than_the_deletion_survives(demo_path: Path, theirs_path: Path) -> None:
    remove(theirs_path, "entry", "captives-videos")
    edit(demo_path, "entry", "captives-videos", analyst="Ana", claims=killed(11))
    with open_project(demo_path, "Ana") as project:
        assert merge_project(project, theirs_path).deleted == 0
        assert killed_of(fetch(project, "entry", uid("captives-videos"))) == 11


def test_our_deletion_is_not_undone_by_their_older_copy(demo_path: Path, theirs_path: Path) -> None:
    remove(demo_path, "statement", "aze-mod-detained", analyst="Ana")
    with open_project(demo_path, "Ana") as project:
        report = merge_project(project, theirs_path)
        assert (report.added, report.updated) == (0, 0)
        assert fetch(project, "statement", uid("aze-mod-detained")) is None


@pytest.mark.parametrize("resolution", list(Resolution))
def test_merging_twice_changes_nothing_the_second_time(
    demo_path: Path, theirs_path: Path, resolution: Resolution
) -> None:
    new_entry(theirs_path, "Drone strike near Tegh")
    remove(theirs_path, "party", "aldin")
    edit(demo_path, "entry", "clash", analyst="Ana", claims=killed(2))
    edit(theirs_path, "entry", "clash", claims=killed(3))
    with open_project(demo_path, "Ana") as project:
        merge_project(project, theirs_path, prefer=resolution)
    before = digest(demo_path)
    with open_project(demo_path, "Ana") as project:
        again = merge_project(project, theirs_path, prefer=resolution)
    assert (again.added, again.updated, again.conflicting, again.deleted) == (0, 0, 0, 0)
    assert digest(demo_path) == before


def test_later_edits_after_a_merge_are_not_conflicts(demo_path: Path, theirs_path: Path) -> None:
    edit(demo_path, "entry", "clash", analyst="Ana", claims=killed(2))
    edit(theirs_path, "entry", "clash", claims=killed(3))
    with open_project(demo_path, "Ana") as project:
        merge_project(project, theirs_path)  # conflict, ours kept
    edit(theirs_path, "entry", "war-2020", place="Karabakh")
    edit(demo_path, "entry", "ceasefire-2020", analyst="Ana", place="Moscow")
    with open_project(demo_path, "Ana") as project:
        report = merge_project(project, theirs_path)
        assert (report.updated, report.conflicting) == (1, 0)
        assert fetch(project, "entry", uid("war-2020"))["place"] == "Karabakh"
        assert fetch(project, "entry", uid("ceasefire-2020"))["place"] == "Moscow"
        assert killed_of(fetch(project, "entry", uid("clash"))) == 2


def test_the_colleague_merging_back_takes_the_settled_versions(
    demo_path: Path, theirs_path: Path
) -> None:
    """After Ana merged Bob's file, Bob merging Ana's file gets her versions, no conflicts."""
    edit(demo_path, "entry", "clash", analyst="Ana", claims=killed(2))
    edit(theirs_path, "entry", "clash", claims=killed(3))
    edit(theirs_path, "entry", "war-2020", place="Karabakh")
    with open_project(demo_path, "Ana") as project:
        merge_project(project, theirs_path)
    with open_project(theirs_path, "Bob") as project:
        report = merge_project(project, demo_path)
        assert (report.updated, report.conflicting) == (1, 0)
        assert killed_of(fetch(project, "entry", uid("clash"))) == 2
        assert fetch(project, "entry", uid("war-2020"))["place"] == "Karabakh"


def test_an_edit_unseen_by_the_other_side_still_conflicts_after_a_one_way_merge(
    demo_path: Path, theirs_path: Path
) -> None:
    """Versions Ana took from Bob are newer than her own edit; that must not hide it from Bob."""
    edit(demo_path, "entry", "clash", analyst="Ana", claims=killed(2))
    edit(theirs_path, "entry", "war-2020", place="Karabakh")
    with open_project(demo_path, "Ana") as project:
        assert merge_project(project, theirs_path).updated == 1
    edit(theirs_path, "entry", "clash", claims=killed(9))
    with open_project(theirs_path, "Bob") as project:
        report = merge_project(project, demo_path)
        assert [c.conflict.uuid for c in report.conflicts] == [uid("clash")]
        assert killed_of(fetch(project, "entry", uid("clash"))) == 9


def test_section_items_and_their_order_merge(demo_path: Path, theirs_path: Path) -> None:
    with open_project(theirs_path, "Bob") as project:
        briefing = fetch(project, "briefing", uid("briefing"))
        items = briefing["sections"][1]["items"]
        briefing["sections"][1]["items"] = list(reversed(items))
        briefing["sections"][0]["heading"] = "Events"
        with project.engine.connect() as connection:
            briefing_id = records.id_of(connection, "briefing", uid("briefing"))
        records.update_record(project, "briefing", briefing_id, {"sections": briefing["sections"]})
        expected = fetch(project, "briefing", uid("briefing"))["sections"]
    with open_project(demo_path, "Ana") as project:
        assert merge_project(project, theirs_path).updated == 1
        assert fetch(project, "briefing", uid("briefing"))["sections"] == expected


def test_entries_of_the_same_external_event_are_one_record(
    demo_path: Path, theirs_path: Path
) -> None:
    for path, title in ((demo_path, "ours"), (theirs_path, "theirs")):
        with open_project(path, "Bob") as project:
            records.create_record(
                project,
                "entry",
                {"title": title, "start_utc": "2021-11-16T00:00:00Z", "external_id": "ARM9"},
            )
    with open_project(demo_path, "Ana") as project:
        report = merge_project(project, theirs_path, prefer=Resolution.THEIRS)
        assert (report.added, report.conflicting) == (0, 1)
        with project.engine.connect() as connection:
            titles = connection.exec_driver_sql(
                "SELECT title FROM timeline_entry WHERE external_id = 'ARM9'"
            ).scalars()
            assert list(titles) == ["theirs"]


def _garbage(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:5000])


def _foreign(path: Path) -> None:
    path.unlink()
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE timeline_entry(uuid, title)")
    connection.commit()
    connection.close()


@pytest.mark.parametrize(
    ("spoil", "message"),
    [(_garbage, "truncated|damaged"), (_foreign, "another program"), (Path.unlink, "not exist")],
)
def test_a_bad_other_file_changes_nothing(
    demo_path: Path, theirs_path: Path, spoil: Any, message: str
) -> None:
    spoil(theirs_path)
    before = digest(demo_path)
    with open_project(demo_path, "Ana") as project, pytest.raises(BriefingError, match=message):
        merge_project(project, theirs_path)
    assert digest(demo_path) == before


@pytest.mark.parametrize("spoil", [_garbage, _foreign])
def test_cli_refuses_a_bad_other_file_in_one_line(
    demo_path: Path, theirs_path: Path, spoil: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    spoil(theirs_path)
    before = digest(demo_path)
    assert main(["merge", str(demo_path), str(theirs_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: colleague.brief") and err.count("\n") == 1
    assert digest(demo_path) == before


def test_a_file_cannot_be_merged_with_itself(demo_project: Project) -> None:
    with pytest.raises(BriefingError, match="itself"):
        merge_project(demo_project, demo_project.path)


def test_a_failed_merge_leaves_the_project_untouched(
    demo_path: Path, theirs_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_entry(theirs_path, "Shelling near Jermuk")
    remove(theirs_path, "entry", "captives-videos")
    before = digest(demo_path)

    def fail(*args: Any) -> None:
        raise BriefingError("disk full")

    monkeypatch.setattr("briefing.services.merge._add_editions", fail)
    with open_project(demo_path, "Ana") as project, pytest.raises(BriefingError):
        merge_project(project, theirs_path)
    assert digest(demo_path) == before
