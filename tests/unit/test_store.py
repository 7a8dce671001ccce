from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from briefing.cli import main
from briefing.store import (
    ProjectError,
    ProjectLocked,
    ProjectRefused,
    create_project,
    open_project,
)
from briefing.store.lock import lock_path, read_lock
from briefing.store.schema import APPLICATION_ID, SCHEMA_VERSION
from briefing.store.verify import check_file


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_file_carries_our_marks_and_pragmas(tmp_path: Path) -> None:
    path = tmp_path / "new.brief"
    project = create_project(path, "Ana")
    with project.engine.connect() as connection:
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("application_id") == APPLICATION_ID
        assert pragma("user_version") == SCHEMA_VERSION
        assert pragma("journal_mode") == "delete"
        assert pragma("foreign_keys") == 1
        assert pragma("synchronous") == 2
        assert pragma("secure_delete") == 1
        assert pragma("trusted_schema") == 0
    project.close()


def test_lock_written_on_open_and_removed_on_close(demo_path: Path) -> None:
    project = open_project(demo_path, "Ana")
    holder = read_lock(demo_path)
    assert holder is not None and holder.analyst == "Ana" and holder.is_ours
    project.close()
    assert not lock_path(demo_path).exists()


def test_foreign_lock_refuses_writing_but_allows_read_only(demo_path: Path) -> None:
    lock_path(demo_path).write_text(
        '{"analyst": "Bob", "host": "elsewhere", "pid": 1, "since": "2021-11-16T07:00:00+00:00"}'
    )
    with pytest.raises(ProjectLocked, match="Bob on elsewhere"):
        open_project(demo_path, "Ana")
    with open_project(demo_path, "Ana", read_only=True) as project:
        assert project.read_only
    assert read_lock(demo_path).analyst == "Bob"  # a reader never touches the lock
    with open_project(demo_path, "Ana", take_over=True) as project:
        assert not project.read_only
        assert read_lock(demo_path).analyst == "Ana"


def test_read_only_file_opens_read_only(demo_path: Path) -> None:
    demo_path.chmod(0o444)
    try:
        with open_project(demo_path, "Ana") as project:
            assert project.read_only
        assert not lock_path(demo_path).exists()
    finally:
        demo_path.chmod(0o644)


def _foreign_sqlite(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE t(x)")
    connection.commit()
    connection.close()


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _newer(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    connection.commit()
    connection.close()


def _add(sql: str):
    def alter(path: Path) -> None:
        connection = sqlite3.connect(path)
        connection.execute(sql)
        connection.commit()
        connection.close()

    return alter


def _corrupt_page(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 2, page * 2 + 600):
        data[offset] = 0xA5
    path.write_bytes(bytes(data))


REFUSALS = [
    ("text", lambda p: p.write_text("not a database"), "is not a Conflict Briefing project[.]$"),
    ("empty", lambda p: p.write_bytes(b""), "is not a Conflict Briefing project[.]$"),
    ("foreign", None, "another program"),
    ("truncated", _truncate, "truncated"),
    ("newer", _newer, f"format {SCHEMA_VERSION + 5}"),
    (
        "trigger",
        _add("CREATE TRIGGER evil AFTER INSERT ON party BEGIN DELETE FROM source; END"),
        "trigger 'evil'",
    ),
    ("view", _add("CREATE VIEW peek AS SELECT * FROM party"), "view 'peek'"),
    ("table", _add("CREATE TABLE extra(x)"), "table 'extra'"),
    ("corrupt", _corrupt_page, "damaged"),
]


@pytest.mark.parametrize(("name", "spoil", "words"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_untrusted_files_are_refused_and_left_untouched(
    demo_path: Path, name: str, spoil, words: str
) -> None:
    if spoil is None:
        demo_path.unlink()
        _foreign_sqlite(demo_path)
    else:
        spoil(demo_path)
    before = digest(demo_path)
    with pytest.raises(ProjectRefused, match=words) as refusal:
        open_project(demo_path, "Ana")
    message = str(refusal.value)
    assert message.count(".") >= 1 and "\n" not in message and "Traceback" not in message
    assert check_file(demo_path), "check must report the same problem"
    assert digest(demo_path) == before
    assert not lock_path(demo_path).exists()
    assert sorted(p.name for p in demo_path.parent.iterdir()) == ["demo.brief"]


def test_newer_file_names_both_versions(demo_path: Path) -> None:
    _newer(demo_path)
    with pytest.raises(ProjectRefused) as refusal:
        open_project(demo_path, "Ana")
    assert f"format {SCHEMA_VERSION + 5}" in str(refusal.value)
    assert f"up to {SCHEMA_VERSION}" in str(refusal.value)


def test_sound_file_passes_check(demo_path: Path) -> None:
    assert check_file(demo_path) == []


def test_changes_by_another_process_are_noticed(demo_project) -> None:
    assert not demo_project.changed_elsewhere()
    with demo_project.transaction() as session:
        session.connection().exec_driver_sql("UPDATE party SET colour = '#000000' WHERE id = 1")
    assert not demo_project.changed_elsewhere(), "our own commit is not a change elsewhere"
    other = sqlite3.connect(demo_project.path)
    other.execute("UPDATE party SET colour = '#FFFFFF' WHERE id = 1")
    other.commit()
    other.close()
    assert demo_project.changed_elsewhere()
    assert not demo_project.changed_elsewhere()


def test_copy_to_writes_a_project_that_opens(demo_project, tmp_path: Path) -> None:
    target = tmp_path / "copy.brief"
    demo_project.copy_to(target)
    assert check_file(target) == []
    with open_project(target, "Bob") as copy:
        assert copy.setting("title") == demo_project.setting("title")


def test_create_where_no_file_can_be_written_says_so(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "plain-file"
    not_a_folder.write_text("x")
    with pytest.raises(ProjectError, match="Cannot create x.brief") as error:
        create_project(not_a_folder / "x.brief")
    assert "the folder does not exist" in str(error.value)


def test_file_in_read_only_folder_opens_read_only(demo_path: Path) -> None:
    demo_path.parent.chmod(0o555)
    try:
        with open_project(demo_path, "Ana") as project:
            assert project.read_only
    finally:
        demo_path.parent.chmod(0o755)


def test_a_read_inside_a_transaction_does_not_undo_it(demo_project) -> None:
    """The project has one connection; a nested read must not roll the open transaction back."""
    with demo_project.transaction() as session:
        session.connection().exec_driver_sql("UPDATE party SET name = 'Changed' WHERE id = 1")
        with demo_project.engine.connect() as reader:
            reader.exec_driver_sql("SELECT count(*) FROM party").scalar_one()
    with demo_project.engine.connect() as reader:
        name = reader.exec_driver_sql("SELECT name FROM party WHERE id = 1").scalar_one()
    assert name == "Changed"


NAMES_BREAKING_THE_LINE_RULE = [
    ("\udcff", "lone surrogate"),  # bytes that are not UTF-8, as the environment gives them
    ("Ana" + "x" * 1000, "more than the 1,000 allowed"),
    ("A\x00na", "NUL"),
]


@pytest.mark.parametrize(
    ("name", "words"), NAMES_BREAKING_THE_LINE_RULE, ids=["bytes", "long", "NUL"]
)
def test_an_analyst_name_every_change_would_record_against_the_rules_is_refused(
    demo_path: Path, tmp_path: Path, name: str, words: str
) -> None:
    """It would make our own records break the rules (or fail to be written at all)."""
    before = demo_path.read_bytes()
    with pytest.raises(ProjectError, match=f"^The analyst name .*{words}") as refusal:
        open_project(demo_path, name)
    assert "\n" not in str(refusal.value)
    assert demo_path.read_bytes() == before and not lock_path(demo_path).exists()
    with pytest.raises(ProjectError, match="The analyst name"):
        create_project(tmp_path / "new.brief", name)
    assert not (tmp_path / "new.brief").exists()
    with open_project(demo_path, name, read_only=True) as project:  # records nothing
        assert project.read_only


def test_an_analyst_name_of_bytes_that_are_not_utf8_is_one_sentence(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BRIEFING_ANALYST", "\udcff")  # how the environment gives b"\xff"
    events = Path(__file__).resolve().parents[2] / "samples" / "events.csv"
    assert main(["import", str(demo_path), str(events)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: The analyst name ") and err.count("\n") == 1


@pytest.mark.parametrize(
    ("title", "words"), NAMES_BREAKING_THE_LINE_RULE, ids=["bytes", "long", "NUL"]
)
def test_a_new_projects_title_is_held_to_the_line_rule(
    tmp_path: Path, title: str, words: str
) -> None:
    with pytest.raises(ProjectError, match=f"The project's title .*{words}"):
        create_project(tmp_path / "new.brief", "Ana", title=title)
    assert not (tmp_path / "new.brief").exists()
