"""A merge takes nothing unchecked from the other file: invalid records, stamps from the
future and deletions of the wrong kind are left out and listed; ours is never spoiled."""

from __future__ import annotations

import hashlib
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from hostile_files import execute, hide_in_schema

from briefing.cli import main
from briefing.model.base import to_utc_text, utc_now
from briefing.services.merge import merge_project, plan_merge
from briefing.store import ProjectRefused, open_project


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def stamp(days: float = 0) -> str:
    return to_utc_text(utc_now() + timedelta(days=days))


@pytest.fixture
def theirs_path(demo_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "colleague.brief"
    shutil.copyfile(demo_template, path)
    return path


def value(path: Path, sql: str, *params: object) -> object:
    with open_project(path, "Ana", read_only=True) as project:
        with project.engine.connect() as connection:
            return connection.exec_driver_sql(sql, params).scalar()


INVALID = [
    ("party", "colour", "'red'", "colour"),
    ("party", "name", "'   '", "name"),
    ("source", "url", "'javascript:alert(1)'", "url"),
    ("relationship", "party_b_id", "party_a_id", "party"),
]


@pytest.mark.parametrize(("table", "column", "bad", "field"), INVALID, ids=[i[1] for i in INVALID])
def test_invalid_records_of_theirs_are_left_out_and_listed(
    demo_path: Path, theirs_path: Path, capsys, table: str, column: str, bad: str, field: str
) -> None:
    execute(
        theirs_path,
        f"UPDATE {table} SET {column} = {bad}, updated_at = '{stamp()}' "
        f"WHERE id = (SELECT min(id) FROM {table})",
    )
    before = value(demo_path, f"SELECT {column} FROM {table} ORDER BY id LIMIT 1")
    assert main(["merge", str(demo_path), str(theirs_path), "--dry-run"]) == 0
    dry = capsys.readouterr().out
    assert "left out: " in dry and field in dry and "1 left out" in dry
    assert main(["merge", str(demo_path), str(theirs_path)]) == 0
    out = capsys.readouterr().out
    assert "left out: " in out and "Traceback" not in out
    assert value(demo_path, f"SELECT {column} FROM {table} ORDER BY id LIMIT 1") == before
    assert main(["check", str(demo_path)]) == 0


def test_a_record_stamped_in_the_future_is_left_out(demo_path: Path, theirs_path: Path) -> None:
    execute(
        theirs_path,
        f"UPDATE party SET name = 'From the future', updated_at = '{stamp(3)}' WHERE id = 1",
    )
    with open_project(demo_path, "Ana") as project:
        report = merge_project(project, theirs_path)
    assert any("future" in line for line in report.left_out)
    assert value(demo_path, "SELECT count(*) FROM party WHERE name = 'From the future'") == 0


def test_a_stamp_within_a_day_ahead_is_believed(demo_path: Path, theirs_path: Path) -> None:
    execute(
        theirs_path,
        f"UPDATE party SET name = 'Clock ahead', updated_at = '{stamp(0.5)}' WHERE id = 1",
    )
    with open_project(demo_path, "Ana") as project:
        report = merge_project(project, theirs_path)
    assert not report.left_out
    assert value(demo_path, "SELECT count(*) FROM party WHERE name = 'Clock ahead'") == 1


def _tombstone(path: Path, uuid: str, kind: str, when: str) -> None:
    execute(path, f"INSERT INTO tombstone VALUES ('{uuid}', '{kind}', '{when}', 'Mallory')")


def test_a_deletion_of_the_wrong_kind_is_not_obeyed(
    demo_path: Path, theirs_path: Path, capsys
) -> None:
    party = str(value(demo_path, "SELECT uuid FROM party WHERE name = 'Armenia'"))
    execute(theirs_path, "PRAGMA foreign_keys = ON", f"DELETE FROM party WHERE uuid = '{party}'")
    _tombstone(theirs_path, party, "source", stamp())
    assert main(["merge", str(demo_path), str(theirs_path)]) == 0
    out = capsys.readouterr().out
    assert "left out: The deletion of party" in out and "names a source" in out
    assert value(demo_path, "SELECT count(*) FROM party WHERE uuid = ?", party) == 1
    assert value(demo_path, "SELECT count(*) FROM tombstone WHERE uuid = ?", party) == 0


def test_far_future_deletions_delete_nothing_and_do_not_travel(
    demo_path: Path, theirs_path: Path
) -> None:
    party = str(value(demo_path, "SELECT uuid FROM party WHERE name = 'Armenia'"))
    execute(theirs_path, "PRAGMA foreign_keys = ON", f"DELETE FROM party WHERE uuid = '{party}'")
    _tombstone(theirs_path, party, "party", "2199-01-01T00:00:00.000000Z")
    _tombstone(theirs_path, "0" * 8 + "-0000-4000-8000-" + "0" * 12, "entry", stamp(30))
    with open_project(demo_path, "Ana") as project:
        report = merge_project(project, theirs_path)
    assert report.deleted == 0 and len(report.left_out) == 2
    assert value(demo_path, "SELECT count(*) FROM party WHERE uuid = ?", party) == 1
    assert value(demo_path, "SELECT count(*) FROM tombstone WHERE deleted_by = 'Mallory'") == 0


def test_deletions_are_listed_by_name_in_the_dry_run_and_the_merge(
    demo_path: Path, theirs_path: Path, capsys
) -> None:
    with open_project(theirs_path, "Bob") as project:
        from briefing.services import records

        records.delete_records(project, "source", [1])
    assert main(["merge", str(demo_path), str(theirs_path), "--dry-run"]) == 0
    assert "would delete: source ‘" in capsys.readouterr().out
    assert main(["merge", str(demo_path), str(theirs_path)]) == 0
    assert "deleted: source ‘" in capsys.readouterr().out


def test_an_unreadable_edition_of_theirs_refuses_their_file_before_ours_is_touched(
    demo_path: Path, theirs_path: Path
) -> None:
    execute(
        theirs_path,
        "INSERT INTO edition(uuid, briefing_id, number, frozen_at, frozen_by, snapshot) "
        "VALUES ('0e0e0e0e-0000-4000-8000-0000000000ed', 1, 7, "
        f"'{stamp()}', 'Mallory', '{{\"sections\": 3}}')",
    )
    ours, theirs = digest(demo_path), digest(theirs_path)
    with open_project(demo_path, "Ana") as project, pytest.raises(ProjectRefused) as refusal:
        plan_merge(project, theirs_path)
    assert "frozen content of edition row 1" in str(refusal.value)
    assert digest(demo_path) == ours and digest(theirs_path) == theirs


def test_a_hostile_other_file_is_refused_before_ours_is_touched(
    demo_path: Path, theirs_path: Path
) -> None:
    hide_in_schema(
        theirs_path,
        "trigger",
        "sqlite_evil",
        "party",
        "CREATE TRIGGER sqlite_evil AFTER UPDATE ON party "
        "BEGIN UPDATE party SET tlp = 'CLEAR'; END",
    )
    ours, theirs = digest(demo_path), digest(theirs_path)
    with open_project(demo_path, "Ana") as project, pytest.raises(ProjectRefused):
        merge_project(project, theirs_path)
    assert digest(demo_path) == ours and digest(theirs_path) == theirs
