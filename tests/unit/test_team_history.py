"""What an analyst may write of a team project's history and settings, and nothing more.

Tombstones steer merges (a deletion travels, or a record comes back), sync points
say what a merge already weighed, editions and export records are the project's
record of what was published, and some settings say who the project is. An
analyst writes each only as their own actions do: a deletion leaves a tombstone
(undoing it takes it back), a freeze adds an edition (undoing it removes that
one), an export adds its record, a merge moves its sync point. Every other write
is refused or changes nothing, whatever SQL the analyst sends; the administrator
is not bound.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import test_team_markings as markings
from sqlalchemy import text

from briefing.model.base import new_uuid, to_utc_text
from briefing.services import editions, records
from briefing.services.pdf_export import keep_setting
from briefing.store import open_project
from briefing.store.errors import ProjectError

desk = markings.desk
"""The demo project with RED records, an AMBER and a RED analyst."""


def _at(days: float) -> str:
    return to_utc_text(datetime.now(UTC) + timedelta(days=days))


def _attempt(address: str, sql: str, params: dict | None = None) -> None:
    """Run ``sql`` as the analyst at ``address``; a refusal is one of the two allowed outcomes."""
    with open_project(address, "amber") as project:
        try:
            with project.transaction() as session:
                session.connection().exec_driver_sql(sql, params or {})
        except ProjectError:
            pass


def _admin_rows(desk: dict, sql: str, params: dict | None = None) -> list[tuple]:
    with open_project(desk["admin"], "postgres") as admin, admin.engine.connect() as connection:
        return [tuple(r) for r in connection.exec_driver_sql(sql, params or {})]


def _as_older(desk: dict, *statements: str) -> None:
    """Run ``statements`` as the administrator, leaving the project as an older program's
    team pieces did; then the administrator opens it, which brings them up to date."""
    from briefing.store.server.address import ServerAddress
    from briefing.store.server.connect import connect

    connection = connect(ServerAddress.parse(desk["admin"]))
    connection.autocommit = True
    try:
        for sql in statements:
            connection.execute(sql)  # type: ignore[arg-type]
    finally:
        connection.close()
    open_project(desk["admin"], "postgres").close()


def _some_entry(address: str) -> dict:
    with open_project(address, "amber") as project, project.engine.connect() as connection:
        row = connection.exec_driver_sql(
            "SELECT id, uuid FROM timeline_entry ORDER BY id LIMIT 1"
        ).one()
    return {"_id": int(row[0]), "uuid": str(row[1])}


def _tombstones(desk: dict) -> list[tuple]:
    return _admin_rows(desk, "SELECT uuid, kind, deleted_at, deleted_by FROM tombstone ORDER BY 1")


TOMB = (
    "INSERT INTO tombstone (uuid, kind, deleted_at, deleted_by)"
    " VALUES (%(u)s, %(k)s, %(at)s, 'forger')"
)


@pytest.mark.parametrize("whose", ["seen", "red"])
def test_no_tombstone_for_a_record_that_exists(desk, whose) -> None:
    """A tombstone for a live record (one the analyst sees, or a RED one) would delete it
    in a later merge."""
    uuid = _some_entry(desk["AMBER"])["uuid"] if whose == "seen" else desk["entry"]["uuid"]
    before = _tombstones(desk)
    _attempt(desk["AMBER"], TOMB, {"u": uuid, "k": "entry", "at": _at(0)})
    _attempt(
        desk["AMBER"],
        TOMB.replace("INSERT", "INSERT OR REPLACE"),
        {"u": uuid, "k": "entry", "at": _at(0)},
    )
    assert _tombstones(desk) == before


def test_no_tombstone_dated_in_the_future_or_of_an_unknown_kind(desk) -> None:
    before = _tombstones(desk)
    _attempt(desk["AMBER"], TOMB, {"u": new_uuid(), "k": "entry", "at": _at(3)})
    _attempt(desk["AMBER"], TOMB, {"u": new_uuid(), "k": "edition", "at": _at(0)})
    assert _tombstones(desk) == before


def test_a_deletion_leaves_a_tombstone_its_undo_takes_back_and_no_one_else_can(desk) -> None:
    with open_project(desk["AMBER"], "amber") as project:
        made = records.create_record(
            project, "entry", {"title": "Shelling", "start_utc": "2021-11-16T06:00:00Z"}
        )
        entry = made.after["entry"][0]
        change = records.delete_records(project, "entry", [entry["_id"]])
    buried = [t for t in _tombstones(desk) if t[0] == entry["uuid"]]
    assert len(buried) == 1 and buried[0][3] == "amber"
    _attempt(desk["AMBER"], "DELETE FROM tombstone WHERE uuid = %(u)s", {"u": entry["uuid"]})
    for sql, params in (
        ("UPDATE tombstone SET deleted_at = %(at)s WHERE uuid = %(u)s", {"at": _at(3)}),
        ("UPDATE tombstone SET deleted_at = %(at)s WHERE uuid = %(u)s", {"at": _at(-300)}),
        ("UPDATE tombstone SET uuid = %(other)s WHERE uuid = %(u)s", {"other": new_uuid()}),
    ):
        _attempt(desk["AMBER"], sql, {"u": entry["uuid"], **params})
    assert [t for t in _tombstones(desk) if t[0] == entry["uuid"]] == buried
    with open_project(desk["AMBER"], "amber") as project:
        records.restore(project, change.before, description="Undo", expected=change.left())
    assert [t for t in _tombstones(desk) if t[0] == entry["uuid"]] == []


SETTINGS_KEPT = (
    ("UPDATE project_setting SET value = %(v)s WHERE key = 'project_uuid'", {"v": new_uuid()}),
    ("DELETE FROM project_setting WHERE key = 'project_uuid'", {}),
    ("UPDATE project_setting SET value = 'Forged' WHERE key = 'title'", {}),
    ("INSERT INTO project_setting (key, value) VALUES ('anything', 'x')", {}),
    (
        "INSERT INTO project_setting (key, value) VALUES (%(k)s, %(v)s)",
        {"k": f"merge:{new_uuid()}", "v": json.dumps({"seen": "9999-01-01T00:00:00.000000Z"})},
    ),
    (
        "INSERT INTO project_setting (key, value) VALUES (%(k)s, 'not a sync point')",
        {"k": f"merge:{new_uuid()}"},
    ),
)


@pytest.mark.parametrize(("sql", "params"), SETTINGS_KEPT)
def test_the_projects_identity_and_sync_points_are_not_the_analysts_to_forge(
    desk, sql, params
) -> None:
    before = _admin_rows(desk, "SELECT key, value FROM project_setting ORDER BY 1")
    _attempt(desk["AMBER"], sql, params)
    assert _admin_rows(desk, "SELECT key, value FROM project_setting ORDER BY 1") == before


def test_an_analyst_keeps_their_export_choices_and_import_bookkeeping(desk) -> None:
    peer = f"merge:{new_uuid()}"
    point = json.dumps({"seen": _at(0), "shown": None, "at": _at(0), "file": "field.brief"})
    with open_project(desk["AMBER"], "amber") as project:
        keep_setting(project, "pdf_timeline_pages", "all")
        keep_setting(project, "organisation", "Desk")
        with project.transaction() as session:
            run = session.connection().exec_driver_sql
            run("INSERT INTO project_setting (key, value) VALUES ('acled:123', 'x')")
            run(
                "INSERT INTO project_setting (key, value) VALUES (%(k)s, %(v)s)",
                {"k": peer, "v": point},
            )
    kept = dict(_admin_rows(desk, "SELECT key, value FROM project_setting"))
    assert kept["pdf_timeline_pages"] == "all" and kept["organisation"] == "Desk"
    assert kept["acled:123"] == "x" and kept[peer] == point


def _editions(desk: dict) -> list[tuple]:
    return _admin_rows(
        desk, "SELECT id, number, frozen_at, frozen_by, snapshot FROM edition ORDER BY 1"
    )


def test_a_frozen_edition_is_never_rewritten_nor_removed_but_by_undoing_ones_own_freeze(
    desk,
) -> None:
    with open_project(desk["AMBER"], "amber") as project:
        mine = editions.freeze_edition(project, desk["briefing"])
        theirs = editions.freeze_edition(project, desk["briefing"])
    with open_project(desk["RED"], "red") as project:
        red = editions.freeze_edition(project, desk["briefing"])
    before = _editions(desk)
    for sql in (
        "UPDATE edition SET snapshot = replace(snapshot, 'a', 'b') WHERE id = %(e)s",
        "UPDATE edition SET frozen_by = 'someone else' WHERE id = %(e)s",
        "DELETE FROM edition WHERE id = %(e)s",
    ):
        _attempt(desk["AMBER"], sql, {"e": red.id})
    for sql in (
        "UPDATE edition SET snapshot = replace(snapshot, 'a', 'b') WHERE id = %(e)s",
        "UPDATE edition SET number = 99 WHERE id = %(e)s",
    ):
        _attempt(desk["AMBER"], sql, {"e": mine.id})
    assert _editions(desk) == before
    _attempt(
        desk["AMBER"],
        "INSERT INTO edition (uuid, briefing_id, number, frozen_at, frozen_by, snapshot)"
        " SELECT %(u)s, briefing_id, 50, %(at)s, frozen_by, snapshot FROM edition WHERE id = %(e)s",
        {"u": new_uuid(), "at": _at(3), "e": mine.id},
    )
    assert _editions(desk) == before
    with open_project(desk["AMBER"], "amber") as project:
        editions.delete_edition(project, theirs.id)  # undo of their own freeze
    assert [e[0] for e in _editions(desk)] == [e[0] for e in before if e[0] != theirs.id]


def _exports(desk: dict) -> list[tuple]:
    return _admin_rows(desk, "SELECT * FROM export_record ORDER BY id")


def test_an_export_record_is_only_added_as_an_export_adds_it(desk) -> None:
    from briefing.services.pdf_export import record_export

    class Done:
        path = __import__("pathlib").Path("brief.pdf")
        sha256 = "0" * 64
        pages = 3

    with open_project(desk["AMBER"], "amber") as project:
        record_export(project, desk["briefing"], Done())
    before = _exports(desk)
    assert len(before) == 1
    made = before[0][0]
    insert = (
        "INSERT INTO export_record (briefing_id, exported_at, analyst, file_name, sha256, pages)"
        " VALUES (%(b)s, %(at)s, 'x', 'old.pdf', %(h)s, 1)"
    )
    for at in (_at(-30), _at(3)):
        _attempt(desk["AMBER"], insert, {"b": desk["briefing"], "at": at, "h": "1" * 64})
    _attempt(desk["AMBER"], "UPDATE export_record SET sha256 = %(h)s", {"h": "2" * 64})
    _attempt(desk["AMBER"], "DELETE FROM export_record WHERE id = %(e)s", {"e": made})
    assert _exports(desk) == before


def test_deleting_a_briefing_takes_its_editions_and_exports_with_it(desk) -> None:
    """The analyst may not delete them one by one, yet a briefing they delete goes whole."""
    with open_project(desk["AMBER"], "amber") as project:
        briefing = records.create_record(
            project, "briefing", {"title": "Short-lived", "as_of": "2021-11-16T05:00:00Z"}
        )
        briefing_id = briefing.after["briefing"][0]["_id"]
        editions.freeze_edition(project, briefing_id)
        records.delete_records(project, "briefing", [briefing_id])
    left = _admin_rows(
        desk, "SELECT count(*) FROM edition WHERE briefing_id = %(b)s", {"b": briefing_id}
    )
    assert left == [(0,)]


def test_the_administrator_is_not_bound(desk) -> None:
    with open_project(desk["admin"], "postgres") as admin, admin.transaction() as session:
        run = session.connection().exec_driver_sql
        run("UPDATE project_setting SET value = 'Renamed' WHERE key = 'title'")
        run("UPDATE edition SET frozen_by = 'archivist'")
    assert _admin_rows(desk, "SELECT value FROM project_setting WHERE key = 'title'") == [
        ("Renamed",)
    ]


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE edition SET frozen_by = 'x'",
        "INSERT INTO project_setting (key, value) VALUES ('title', 'Forged')",
        f"INSERT INTO tombstone (uuid, kind, deleted_at, deleted_by) VALUES ('{new_uuid()}',"
        " 'entry', '9999-01-01T00:00:00.000000Z', 'x')",
    ],
)
def test_a_refused_write_is_one_sentence(desk, sql) -> None:
    with open_project(desk["AMBER"], "amber") as project:
        with pytest.raises(ProjectError, match="Only the project's administrator may make that"):
            with project.transaction() as session:
                session.connection().exec_driver_sql(sql)


def test_an_untitled_project_takes_the_title_of_an_analysts_import_once(desk) -> None:
    with open_project(desk["admin"], "postgres") as admin, admin.transaction() as session:
        session.connection().exec_driver_sql(
            "UPDATE project_setting SET value = '' WHERE key = 'title'"
        )
    _attempt(desk["AMBER"], "UPDATE project_setting SET value = 'Adopted' WHERE key = 'title'")
    _attempt(desk["AMBER"], "UPDATE project_setting SET value = 'Forged' WHERE key = 'title'")
    assert _admin_rows(desk, "SELECT value FROM project_setting WHERE key = 'title'") == [
        ("Adopted",)
    ]


def _entry_and_field_copy(desk: dict, tmp_path) -> tuple[dict, Path]:
    """An entry the AMBER analyst made, and a field copy of the project holding it."""
    from briefing.store.copying import copy_project

    with open_project(desk["AMBER"], "amber") as project:
        made = records.create_record(
            project, "entry", {"title": "Shelling", "start_utc": "2021-11-16T06:00:00Z"}
        ).after["entry"][0]
    field = tmp_path / "field.brief"
    with open_project(desk["AMBER"], "amber", read_only=True) as project:
        copy_project(project, field)
    return made, field


def _delete_in_copy(field, uuid: str) -> None:
    with open_project(field, "Field") as copy, copy.engine.connect() as connection:
        records.delete_records(copy, "entry", [records.id_of(connection, "entry", uuid)])


def test_an_analysts_field_copy_merges_back_with_its_deletion_and_sync_point(
    desk, tmp_path
) -> None:
    """A merge by an analyst writes only what the rules above let it: all it needs."""
    from test_merge import edit, fetch

    from briefing.services.demo import uid
    from briefing.services.merge import merge_project

    made, field = _entry_and_field_copy(desk, tmp_path)
    _delete_in_copy(field, made["uuid"])
    edit(field, "entry", "clash", "Field", place="Sotk")
    with open_project(desk["AMBER"], "amber") as project:
        report = merge_project(project, field)
        assert not report.conflicts
        assert fetch(project, "entry", made["uuid"]) is None
        assert fetch(project, "entry", uid("clash"))["place"] == "Sotk"
    assert [t for t in _tombstones(desk) if t[0] == made["uuid"]]
    points = _admin_rows(desk, "SELECT key FROM project_setting WHERE left(key, 6) = 'merge:'")
    assert len(points) == 1


def test_an_analysts_merge_bringing_a_later_deletion_is_undone(desk, tmp_path) -> None:
    """The copy deleted a record the project had deleted already, later: the merge moves the
    deletion's date on, and undoing the merge takes the records back without an error (the
    later date stays, as the server keeps a deletion's latest date)."""
    from briefing.services.merge import apply_merge, plan_merge, undo_merge

    made, field = _entry_and_field_copy(desk, tmp_path)
    with open_project(desk["AMBER"], "amber") as project:
        records.delete_records(project, "entry", [made["_id"]])
    _delete_in_copy(field, made["uuid"])
    [(_u, _k, first, _b)] = [t for t in _tombstones(desk) if t[0] == made["uuid"]]
    with open_project(desk["AMBER"], "amber") as project:
        report = apply_merge(project, plan_merge(project, field), {})
        [(_u, _k, merged, _b)] = [t for t in _tombstones(desk) if t[0] == made["uuid"]]
        assert str(merged) > str(first) and report.undo is not None
        undo_merge(project, report.undo)
    assert [t[0] for t in _tombstones(desk) if t[0] == made["uuid"]] == [made["uuid"]]


def test_an_analysts_merge_numbers_the_editions_it_brings_after_the_servers(desk, tmp_path) -> None:
    """The desk briefing's edition 1 holds a RED entry: the AMBER analyst's copy lacks it, and
    the two editions frozen in the copy (its 1 and 2) come back as 2 and 3, in their order."""
    from briefing.services.merge import merge_project

    _made, field = _entry_and_field_copy(desk, tmp_path)
    [(briefing,)] = _admin_rows(
        desk, "SELECT uuid FROM briefing WHERE id = %(b)s", {"b": desk["briefing"]}
    )
    with open_project(field, "Field") as copy:
        with copy.engine.connect() as connection:
            in_copy = records.id_of(connection, "briefing", briefing)
        frozen = [editions.freeze_edition(copy, in_copy) for _ in range(2)]
        with copy.engine.connect() as connection:
            uuids = [
                connection.execute(
                    text("SELECT uuid FROM edition WHERE id = :e"), {"e": e.id}
                ).scalar_one()
                for e in frozen
            ]
    assert [e.number for e in frozen] == [1, 2]
    with open_project(desk["AMBER"], "amber") as project:
        report = merge_project(project, field)
    assert report.editions_added == 2
    numbers = dict(
        _admin_rows(
            desk,
            "SELECT uuid, number FROM edition WHERE briefing_id = %(b)s",
            {"b": desk["briefing"]},
        )
    )
    assert [numbers[u] for u in uuids] == [2, 3] and sorted(numbers.values()) == [1, 2, 3]
