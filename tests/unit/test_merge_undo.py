"""Undoing a merge puts back records, tombstones, editions and the sync point exactly."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from briefing.model import codec
from briefing.services import records
from briefing.services.demo import uid
from briefing.services.editions import freeze_edition
from briefing.services.merge import Resolution, apply_merge, plan_merge, undo_merge
from briefing.services.overview import search
from briefing.store import Project, open_project


@pytest.fixture
def theirs_path(demo_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "colleague.brief"
    shutil.copyfile(demo_template, path)
    return path


def record_id(project: Project, kind: str, slug: str) -> int:
    with project.engine.connect() as connection:
        found = records.id_of(connection, kind, uid(slug))
    assert found is not None
    return found


def state(project: Project) -> dict[str, Any]:
    """Everything a merge may change, stamps included."""
    with project.engine.connect() as connection:
        raw = {
            table: connection.exec_driver_sql(f"SELECT * FROM {table} ORDER BY 1").all()
            for table in ("tombstone", "project_setting", "edition")
        }
        return {"records": codec.dump_all(connection), **raw}


def _killed(best: int) -> list[dict[str, Any]]:
    return [{"uuid": "0c1a1a1a-0000-4000-8000-00000000c1a1", "side": "all sides",
             "category": "killed", "best": best, "words": ""}]  # fmt: skip


KILLED_2, KILLED_3 = _killed(2), _killed(3)


def diverge(ours: Path, theirs: Path) -> None:
    """A conflict, a deletion that cuts a briefing item, an addition and an edition."""
    with open_project(ours, "Ana") as project:
        records.update_record(
            project, "entry", record_id(project, "entry", "clash"), {"claims": KILLED_2}
        )
    with open_project(theirs, "Bob") as project:
        clash = record_id(project, "entry", "clash")
        records.update_record(project, "entry", clash, {"claims": KILLED_3, "place": "Sotk"})
        records.delete_records(project, "entry", [record_id(project, "entry", "captives-videos")])
        records.create_record(
            project, "entry", {"title": "Shelling near Jermuk", "start_utc": "2021-11-17T06:00:00Z"}
        )
        freeze_edition(project, record_id(project, "briefing", "briefing"))


@pytest.mark.parametrize("resolution", list(Resolution))
def test_undo_puts_the_file_back_and_the_same_merge_is_offered_again(
    demo_path: Path, theirs_path: Path, resolution: Resolution
) -> None:
    diverge(demo_path, theirs_path)
    with open_project(demo_path, "Ana") as project:
        before = state(project)
        plan = plan_merge(project, theirs_path)
        report = apply_merge(project, plan, {uid("clash"): resolution})
        assert (report.added, report.deleted, report.editions_added) == (1, 1, 1)
        assert state(project) != before
        assert report.undo is not None
        change = undo_merge(project, report.undo)
        assert state(project) == before
        assert not [hit for hit in search(project, "Jermuk")]
        assert change.touches("entry") and change.touches("briefing")
        again = plan_merge(project, theirs_path)
    assert [c.uuid for c in again.conflicts] == [uid("clash")]
    assert (again.added, again.updated, again.deleted) == (plan.added, plan.updated, plan.deleted)


def test_a_merge_undone_can_be_applied_again(demo_path: Path, theirs_path: Path) -> None:
    diverge(demo_path, theirs_path)
    with open_project(demo_path, "Ana") as project:
        plan = plan_merge(project, theirs_path)
        first = apply_merge(project, plan, {uid("clash"): Resolution.THEIRS})
        merged = state(project)["records"]["entry"]
        assert first.undo is not None
        undo_merge(project, first.undo)
        apply_merge(project, plan, {uid("clash"): Resolution.THEIRS})
        assert state(project)["records"]["entry"] == merged
