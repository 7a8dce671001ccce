"""Hostile project files: hidden schema objects, planted journals, bad stored values, lock files.

Each is refused in one sentence and left byte for byte as it was (with everything
beside it), or accepted and usable.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from hostile_files import execute, hide_in_schema, listing, plant_journal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from project_mutations import Mutation, apply, check_invariant, mutations

from briefing.cli import main
from briefing.store import ProjectError, ProjectRefused, open_project
from briefing.store.lock import MAX_LOCK_SIZE, lock_path, read_lock
from briefing.store.verify import check_file

TRIGGER = "CREATE TRIGGER {name} AFTER UPDATE ON party BEGIN UPDATE party SET tlp = 'CLEAR'; END"


def refused_untouched(path: Path, words: str) -> str:
    """Open must refuse ``path`` with one sentence holding ``words`` and change nothing."""
    before = listing(path.parent)
    with pytest.raises(ProjectRefused, match=words) as refusal:
        open_project(path, "Ana")
    message = str(refusal.value)
    assert "\n" not in message and "Traceback" not in message and message.endswith(".")
    assert listing(path.parent) == before
    return message


# ---------------------------------------------------------------------------- reserved names

HIDDEN = [
    ("trigger", "sqlite_evil", "party", TRIGGER.format(name="sqlite_evil")),
    ("view", "sqlite_peek", "sqlite_peek", "CREATE VIEW sqlite_peek AS SELECT * FROM party"),
    ("table", "sqlite_stat1", "sqlite_stat1", "CREATE TABLE sqlite_stat1(tbl,idx,stat,evil)"),
    ("index", "sqlite_autoindex_party_9", "party", None),
    ("trigger", "sqlite_autoindex_party_1x", "party", TRIGGER.format(name="x")),
]


@pytest.mark.parametrize(("kind", "name", "table", "sql"), HIDDEN, ids=[h[1] for h in HIDDEN])
def test_objects_hidden_under_reserved_names_are_refused(
    demo_path: Path, kind: str, name: str, table: str, sql: str | None
) -> None:
    hide_in_schema(demo_path, kind, name, table, sql)  # type: ignore[arg-type]
    message = refused_untouched(demo_path, "altered outside Conflict Briefing|damaged")
    assert name in message
    assert any(name in p for p in check_file(demo_path))


def test_what_sqlite_itself_adds_under_reserved_names_is_accepted(demo_path: Path) -> None:
    execute(demo_path, "ANALYZE")  # writes sqlite_stat1 as SQLite defines it
    with open_project(demo_path, "Ana") as project:
        assert not project.read_only
    assert check_file(demo_path) == []


def test_an_index_sqlite_needs_that_is_missing_is_damage(demo_path: Path) -> None:
    execute(
        demo_path,
        "DELETE FROM sqlite_master WHERE name = 'sqlite_autoindex_party_1'",
        writable_schema=True,
    )
    with pytest.raises(ProjectRefused):
        open_project(demo_path, "Ana")


# ---------------------------------------------------------------------------- planted journals


def test_a_planted_journal_is_not_rolled_into_the_file_before_it_is_verified(
    demo_path: Path, tmp_path: Path
) -> None:
    hostile = tmp_path / "hostile" / "demo.brief"
    hostile.parent.mkdir()
    shutil.copyfile(demo_path, hostile)
    execute(hostile, TRIGGER.format(name="evil"))
    plant_journal(demo_path, hostile)
    message = refused_untouched(demo_path, "trigger 'evil'")
    assert "demo.brief" in message
    assert any("trigger 'evil'" in p for p in check_file(demo_path))
    assert (demo_path.parent / "demo.brief-journal").exists()


def test_a_journal_left_by_a_killed_save_still_restores_the_file(
    demo_path: Path, tmp_path: Path
) -> None:
    before = tmp_path / "before" / "demo.brief"
    before.parent.mkdir()
    shutil.copyfile(demo_path, before)
    execute(demo_path, "UPDATE party SET name = 'Half saved' WHERE id = 1")
    plant_journal(demo_path, before)  # what a save killed half-way leaves
    problems = check_file(demo_path)
    assert len(problems) == 1 and "left half saved" in problems[0]
    with open_project(demo_path, "Ana") as project, project.engine.connect() as connection:
        name = connection.exec_driver_sql("SELECT name FROM party WHERE id = 1").scalar()
    assert name != "Half saved"
    assert not (demo_path.parent / "demo.brief-journal").exists()
    assert check_file(demo_path) == []


@pytest.mark.parametrize("header", [b"\0" * 28, b"\0garbage" * 70, b"\xd9garbage" * 70])
def test_a_journal_sqlite_would_not_roll_back_neither_breaks_open_nor_check(
    demo_path: Path, header: bytes
) -> None:
    demo_path.with_name("demo.brief-journal").write_bytes(header)
    problems = check_file(demo_path)
    assert all("\n" not in p for p in problems)
    try:
        open_project(demo_path, "Ana").close()
    except ProjectRefused as refusal:
        assert "\n" not in str(refusal)


def test_a_planted_write_ahead_log_is_refused(demo_path: Path, tmp_path: Path) -> None:
    other = tmp_path / "wal" / "x.brief"
    other.parent.mkdir()
    shutil.copyfile(demo_path, other)
    connection = sqlite3.connect(other)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA wal_autocheckpoint = 0")
    connection.execute("UPDATE party SET tlp = 'CLEAR'")
    connection.commit()
    shutil.copyfile(other.with_name("x.brief-wal"), demo_path.with_name("demo.brief-wal"))
    connection.close()
    refused_untouched(demo_path, "write-ahead log")


def test_a_file_in_write_ahead_log_mode_is_refused(demo_path: Path) -> None:
    execute(demo_path, "PRAGMA journal_mode = WAL")
    refused_untouched(demo_path, "write-ahead log")


# ---------------------------------------------------------------------------- stored values

SPOILED_SNAPSHOTS = [
    '{"sections": 1}',
    "{}",
    '{"briefing": {}, "judgments": [], "sections": [1]}',
    '{"briefing": {}, "judgments": [{"uuid": 7}], "sections": []}',
    '{"briefing": {}, "judgments": [], "sections": [{"uuid": "s", "heading": "H", '
    '"items": [{"kind": "entry", "ref": "r"}]}]}',
]
"""Frozen content that is JSON but not a frozen briefing: the editions service reads none."""

_FROZEN = '"judgments": [], "sections": []'
TWO_WAY_SNAPSHOTS = [
    ("repeated key", f'{{"briefing": {{"title": "Shown"}}, {_FROZEN}, '
     '"briefing": {"title": "Exported"}}', "appears twice"),
    ("repeated nested key", f'{{"briefing": {{"tlp": "CLEAR", "tlp": "RED"}}, {_FROZEN}}}',
     "appears twice"),
    ("long number", f'{{"briefing": {{"n": 1{"0" * 5000}}}, {_FROZEN}}}', "digits"),
    ("deep", f'{{"briefing": {{"n": {"[" * 1500}{"]" * 1500}}}, {_FROZEN}}}', "too deeply"),
]  # fmt: skip
"""Frozen content SQLite's JSON functions read (the first of two keys) but the program would
read otherwise, or not at all."""

BAD_VALUES = [
    ("time", "UPDATE timeline_entry SET start_utc = 'yesterday' WHERE id = 1", "start utc"),
    ("month 13", "UPDATE party SET updated_at = '2021-13-01T00:00:00.000000Z'", "updated at"),
    ("30 February", "UPDATE statement SET said_at = '2021-02-30T00:00:00.000000Z'", "said at"),
    ("year 1", "UPDATE timeline_entry SET start_utc = '0001-01-01T00:00:00.000000Z'", "start utc"),
    ("count as text", "UPDATE casualty_claim SET best = 'many' WHERE id = 1", "best"),
    ("blob name", "UPDATE party SET name = x'00ff' WHERE id = 1", "name"),
    ("NUL", "UPDATE party SET name = 'Arm' || char(0) || 'enia' WHERE id = 1", "name of row 1"),
    # SQLite's length() stops at the NUL: the limit of a String(n) column saw one character
    ("NUL before length", "INSERT INTO project_setting VALUES ('k' || char(0) || "
     "printf('%.5000c', 'x'), '')", "key of row"),
    ("infinite", "UPDATE timeline_entry SET latitude = 9e999 WHERE id = 1", "latitude"),
    ("dangling", "INSERT INTO entry_source VALUES (1, 99999)", "missing source"),
    ("snapshot", "INSERT INTO edition(uuid, briefing_id, number, frozen_at, frozen_by, snapshot) "
     "VALUES ('e', 1, 1, '2021-11-16T00:00:00.000000Z', '', 'not json')", "edition"),
    *((f"snapshot shape {n}", "INSERT INTO edition(uuid, briefing_id, number, frozen_at, "
       "frozen_by, snapshot) VALUES ('0f0e0d0c-0b0a-4908-8706-050403020100', 1, 9, "
       f"'2021-11-16T00:00:00.000000Z', '', '{shape}')", "edition")
      for n, shape in enumerate(SPOILED_SNAPSHOTS)),
    *((f"snapshot {name}", "INSERT INTO edition(uuid, briefing_id, number, frozen_at, "
       "frozen_by, snapshot) VALUES ('0f0e0d0c-0b0a-4908-8706-050403020100', 1, 9, "
       f"'2021-11-16T00:00:00.000000Z', '', '{text}')", f"content of edition row 1 .*{words}")
      for name, text, words in TWO_WAY_SNAPSHOTS),
    ("uuid", "UPDATE party SET uuid = 'armenia' WHERE id = 1", "uuid of row 1 of party"),
    ("uuid upper case", "UPDATE casualty_claim SET uuid = upper(uuid) WHERE id = 1", "not a UUID"),
    ("uuid as number", "UPDATE section SET uuid = 7 WHERE id = 1", "not a UUID"),
    ("tombstone", "INSERT INTO tombstone VALUES ('u', 'dragon', "
     "'2021-11-16T00:00:00.000000Z', '')", "tombstone"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "sql", "words"), BAD_VALUES, ids=[b[0] for b in BAD_VALUES])
def test_values_the_program_never_writes_are_refused_on_open_and_by_check(
    demo_path: Path, capsys: pytest.CaptureFixture[str], name: str, sql: str, words: str
) -> None:
    execute(demo_path, "PRAGMA foreign_keys = OFF", "PRAGMA ignore_check_constraints = ON", sql)
    refused_untouched(demo_path, words)
    problems = check_file(demo_path)
    assert problems and all("\n" not in p for p in problems)
    for command in ("check", "info"):
        assert main([command, str(demo_path)]) == 1
        err = capsys.readouterr().err
        assert "Traceback" not in err and err.startswith(("problem: ", "error: "))


RULE_BREAKS = [
    ("grade", "UPDATE source SET reliability = 'Z' WHERE id = 1"),
    ("credibility", "UPDATE timeline_entry SET credibility = 9 WHERE id = 1"),
    ("self tie", "UPDATE relationship SET party_b_id = party_a_id WHERE id = 1"),
    ("early", "UPDATE timeline_entry SET start_utc = '1750-01-01T00:00:00.000000Z' WHERE id = 1"),
    ("link", "UPDATE source SET url = 'javascript:alert(1)' WHERE id = 1"),
]


@pytest.mark.parametrize(("name", "sql"), RULE_BREAKS, ids=[b[0] for b in RULE_BREAKS])
def test_check_reports_records_that_break_the_rules_naming_record_and_field(
    demo_path: Path, capsys: pytest.CaptureFixture[str], name: str, sql: str
) -> None:
    execute(demo_path, "PRAGMA ignore_check_constraints = ON", sql)
    assert main(["check", str(demo_path)]) == 1
    err = capsys.readouterr().err
    assert "problem: " in err and "Traceback" not in err


def test_a_record_breaking_a_rule_is_not_exported_for_an_import_to_refuse(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Opening lets rules only ``check`` reads through; the export holds records to them all."""
    execute(demo_path, "UPDATE source SET url = 'javascript:alert(1)' WHERE id = 1")
    out = demo_path.with_name("demo.json")
    assert main(["export", str(demo_path), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "field 'url'" in err and "nothing was exported" in err
    assert not out.exists() and not list(demo_path.parent.glob("*.json*"))


# ---------------------------------------------------------------------------- lock files

LOCKS = [
    ("garbage", lambda p: p.write_text("{{{ not json")),
    ("binary", lambda p: p.write_bytes(bytes(range(256)) * 4)),
    ("huge", lambda p: p.write_bytes(b"x" * (MAX_LOCK_SIZE * 50))),
    ("list", lambda p: p.write_text("[1, 2, 3]")),
    ("huge pid", lambda p: p.write_text(json.dumps(
        {"analyst": "A", "host": os.uname().nodename, "pid": 10**30, "since": "x"}))),
    ("negative pid", lambda p: p.write_text(json.dumps(
        {"analyst": "A", "host": os.uname().nodename, "pid": -1, "since": "x"}))),
    ("deep", lambda p: p.write_text("[" * 100_000)),
    ("repeated key", lambda p: p.write_text(
        '{"pid": "one", "analyst": "A", "host": "h", "since": "x", "pid": 1}')),
    ("fifo", lambda p: os.mkfifo(p)),
    ("link", lambda p: p.symlink_to(p.with_name("victim.txt"))),
]  # fmt: skip


@pytest.mark.parametrize(("name", "plant"), LOCKS, ids=[lock[0] for lock in LOCKS])
def test_lock_files_with_any_content_never_break_opening(demo_path: Path, name: str, plant) -> None:
    victim = demo_path.with_name("victim.txt")
    victim.write_text("precious")
    plant(lock_path(demo_path))
    assert read_lock(demo_path) is None
    with open_project(demo_path, "Ana") as project:
        assert not project.read_only
    assert victim.read_text() == "precious"


def test_a_folder_at_the_lock_path_is_one_sentence(demo_path: Path) -> None:
    lock_path(demo_path).mkdir()
    with pytest.raises(ProjectError, match="cannot be locked for editing.*read-only") as error:
        open_project(demo_path, "Ana")
    assert "\n" not in str(error.value)
    with open_project(demo_path, "Ana", read_only=True) as project:
        assert project.read_only


def test_a_planted_link_at_the_old_temporary_lock_name_is_not_followed(demo_path: Path) -> None:
    victim = demo_path.with_name("victim.txt")
    victim.write_text("precious")
    demo_path.with_name("demo.brief.lock.tmp").symlink_to(victim)
    with open_project(demo_path, "Ana"):
        pass
    assert victim.read_text() == "precious"


# ---------------------------------------------------------------------------- planted links


def _plant(folder: Path, target: str) -> Path:
    victim = folder / "victim.txt"
    victim.write_text("precious")
    for name in (f"{target}.part", f".{target}.part"):
        (folder / name).symlink_to(victim)
    return victim


def test_planted_links_are_not_followed_by_save_as_new_and_exports(
    demo_project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    victims = [_plant(out, name) for name in ("copy.brief",)]
    demo_project.copy_to(out / "copy.brief")
    demo_project.close()
    for name, args in (
        ("new.brief", ["new", str(out / "new.brief")]),
        ("out.json", ["export", str(demo_project.path), "-o", str(out / "out.json")]),
        ("out.pdf", ["export", str(demo_project.path), "-o", str(out / "out.pdf")]),
    ):
        folder = out / name.replace(".", "_")
        folder.mkdir()
        victims.append(_plant(folder, name))
        args = [a.replace(str(out / name), str(folder / name)) for a in args]
        assert main(args) == 0, capsys.readouterr().err
    assert all(v.read_text() == "precious" for v in victims)


# ---------------------------------------------------------------------------- mutated files


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_mutated_files_are_refused_untouched_or_usable_everywhere(
    demo_template: Path, tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    """Flipped bytes, swapped or cut pages, edited schema rows, hostile objects, planted
    journals and values the program never writes (tests/fuzz runs many more)."""
    mutation = data.draw(mutations(demo_template.stat().st_size), label="mutation")
    folder = tmp_path_factory.mktemp("case")
    (folder / "file").mkdir()
    path = folder / "file" / demo_template.name
    shutil.copyfile(demo_template, path)
    apply(path, mutation)
    outcome = check_invariant(path, demo_template, folder)
    assert not outcome.failure, f"{mutation}: {outcome.failure}"


ROUND_TRIP_BREAKERS = [
    Mutation("value", ("party", "name", "'Arm' || char(0) || 'enia'", 0, False)),
    Mutation("value", ("source", "url", "'javascript:alert(1)'", 0, False)),
    Mutation("value", ("timeline_entry", "zone", "'Asia'", 0, False)),
]


@pytest.mark.parametrize("mutation", ROUND_TRIP_BREAKERS, ids=str)
def test_what_the_export_writes_of_a_spoiled_file_imports_again(
    demo_template: Path, tmp_path: Path, mutation: Mutation
) -> None:
    (tmp_path / "file").mkdir()
    path = tmp_path / "file" / demo_template.name
    shutil.copyfile(demo_template, path)
    apply(path, mutation)
    outcome = check_invariant(path, demo_template, tmp_path)
    assert not outcome.failure, outcome.failure
