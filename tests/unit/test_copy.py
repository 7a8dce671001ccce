"""``briefing copy`` between a file and a server: the same project both ways, or nothing."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.errors import BriefingError
from briefing.io.jsondoc import export_json
from briefing.store import open_project
from briefing.store.copying import copy_project


def _document(target: Path | str, folder: Path, name: str) -> dict:
    out = folder / f"{name}.json"
    with open_project(target, "Reader", read_only=True) as project:
        export_json(project, out)
    document = json.loads(out.read_text(encoding="utf-8"))
    document.pop("exported_at")
    return document


def _tables(address: str) -> list[str]:
    with psycopg.connect(address) as connection:
        rows = connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        ).fetchall()
    return sorted(r[0] for r in rows)


def _settings(target: Path | str) -> dict[str, str]:
    with open_project(target, "Reader", read_only=True) as project:
        with project.engine.connect() as connection:
            rows = connection.exec_driver_sql("SELECT key, value FROM project_setting").all()
    return dict(rows)


def test_file_to_server_to_file_gives_an_equal_project(
    demo_path: Path, blank_database: str, tmp_path: Path
) -> None:
    with open_project(demo_path, "A", read_only=True) as project:
        report = copy_project(project, blank_database)
    assert report.counts["entry"] > 0
    back = tmp_path / "back.brief"
    with open_project(blank_database, "A", read_only=True) as project:
        copy_project(project, back)
    original = _document(demo_path, tmp_path, "original")
    assert _document(blank_database, tmp_path, "server") == original
    assert _document(back, tmp_path, "back") == original
    assert _settings(back) == _settings(demo_path)


def test_editions_and_deletions_travel(
    demo_path: Path, blank_database: str, tmp_path: Path
) -> None:
    from briefing.services.editions import freeze_edition, list_editions
    from briefing.services.overview import summarise

    with open_project(demo_path, "A") as project:
        briefing = summarise(project).briefings[0].id
        freeze_edition(project, briefing)
        with project.transaction() as session:
            session.connection().exec_driver_sql(
                "INSERT INTO tombstone(uuid, kind, deleted_at, deleted_by) "
                "VALUES ('6f1c1f43-0000-4d6b-9a51-0a7d2f1b2c11', 'party', "
                "'2021-11-17T00:00:00.000000Z', 'A')"
            )
        copy_project(project, blank_database)
    with open_project(blank_database, "B") as project:
        editions = list_editions(project, summarise(project).briefings[0].id)
        assert [e.number for e in editions] == [1]
        with project.engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT count(*) FROM tombstone").scalar() == 1


def test_copy_refuses_a_database_that_is_not_empty(demo_path: Path, server_address: str) -> None:
    before = _document(server_address, demo_path.parent, "before")
    with open_project(demo_path, "A", read_only=True) as project:
        with pytest.raises(BriefingError, match="already holds tables"):
            copy_project(project, server_address)
    assert _document(server_address, demo_path.parent, "after") == before


def test_copy_refuses_an_existing_file_and_itself(
    server_demo_address: str, demo_path: Path
) -> None:
    original = demo_path.read_bytes()
    with open_project(server_demo_address, "A", read_only=True) as project:
        with pytest.raises(BriefingError, match="already exists"):
            copy_project(project, demo_path)
        with pytest.raises(BriefingError, match="onto itself"):
            copy_project(project, server_demo_address)
    assert demo_path.read_bytes() == original


def _briefing(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefing", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_cli_copy_both_ways(demo_path: Path, blank_database: str, tmp_path: Path) -> None:
    there = _briefing("copy", demo_path, blank_database)
    assert there.returncode == 0, there.stderr
    assert "Copied" in there.stdout and blank_database in there.stdout
    back = tmp_path / "field.brief"
    home = _briefing("copy", blank_database, back)
    assert home.returncode == 0, home.stderr
    assert _briefing("check", back).returncode == 0
    checked = _briefing("check", blank_database)
    assert checked.returncode == 0, checked.stderr


def _spoil(path: Path, statement: str, *values: object) -> None:
    connection = sqlite3.connect(path)
    try:
        connection.execute(statement, values)
        connection.commit()
    finally:
        connection.close()


@pytest.mark.parametrize(
    ("statement", "values"),
    [
        ("UPDATE party SET colour = ? WHERE id = 1", ("<script>",)),
        ("UPDATE party SET name = ? WHERE id = 1", ("",)),
        ("UPDATE timeline_entry SET zone = ? WHERE id = 1", ("Mars/Olympus",)),
        ("UPDATE source SET url = ? WHERE id = 1", ("javascript:alert(1)",)),
    ],
)
def test_a_hostile_file_is_refused_and_the_server_stays_empty(
    demo_path: Path, blank_database: str, statement: str, values: tuple[object, ...]
) -> None:
    _spoil(demo_path, statement, *values)
    result = _briefing("copy", demo_path, blank_database)
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert _tables(blank_database) == []


HOSTILE = st.lists(
    st.sampled_from(
        [*"<>&\"'%?:;\\*", "Աբգդ", "عربي", "中文字", "🙂", "\u200f", "\x00", "\ud800", "\x1b"]
        + ["NaN", "1e309", "9" * 30, " "]
    ),
    min_size=1,
    max_size=12,
).map("".join)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(name=HOSTILE, quote=HOSTILE)
def test_copy_of_hostile_text_is_equal_or_refused(
    name: str, quote: str, demo_template: Path, postgres, tmp_path_factory
) -> None:
    folder = tmp_path_factory.mktemp("hostile")
    path = folder / "hostile.brief"
    path.write_bytes(demo_template.read_bytes())
    raw = [v.encode("utf-8", "surrogatepass") for v in (name, quote)]
    _spoil(path, "UPDATE party SET name = CAST(? AS TEXT) WHERE id = 2", raw[0])
    _spoil(path, "UPDATE statement SET quote = CAST(? AS TEXT) WHERE id = 1", raw[1])
    address = postgres.new_database(prefix="hostile")
    try:
        with open_project(path, "A", read_only=True) as project:
            copy_project(project, address)
    except BriefingError as error:
        assert "\n" not in str(error) and str(error).endswith(".")
        assert _tables(address) == []
        return
    back = folder / "back.brief"
    with open_project(address, "A", read_only=True) as project:
        copy_project(project, back)
    assert _document(back, folder, "back") == _document(path, folder, "original")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE edition SET snapshot = '{\"briefing\": 1}'",
        "UPDATE edition SET uuid = 'NOT-A-UUID'",
        "INSERT INTO tombstone(uuid, kind, deleted_at, deleted_by) "
        "VALUES ('Bad', 'party', '2021-11-17T00:00:00.000000Z', 'A')",
    ],
)
def test_a_bad_edition_or_deletion_is_refused_before_the_server_is_touched(
    demo_path: Path, blank_database: str, statement: str
) -> None:
    from briefing.services.editions import freeze_edition
    from briefing.services.overview import summarise

    with open_project(demo_path, "A") as project:
        freeze_edition(project, summarise(project).briefings[0].id)
        with project.transaction() as session:
            session.connection().exec_driver_sql(statement)
        with pytest.raises(BriefingError, match=r"^Nothing was copied: [^\n]*\.$"):
            copy_project(project, blank_database)
    assert _tables(blank_database) == []
