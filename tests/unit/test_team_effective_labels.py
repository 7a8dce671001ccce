"""The effective label of every party and entry on a team server follows every change.

A party's effective label is the strictest of its own and its parent's; an entry's,
of its own and those of the parties it names. The markings' policies decide on it
alone, so after any change (a relabel of the record or of what it depends on, a
link added or removed, a deletion, a merge, a copy) it must equal what the records
say, worked out here from scratch, and the AMBER analyst must see exactly what it
allows: no entry naming a party inside a RED party, by list, id or search.
"""

from __future__ import annotations

import pytest
import test_team_markings as markings

from briefing import cli
from briefing.model.marking import releasable
from briefing.model.vocab import Tlp
from briefing.services import records
from briefing.store import open_project
from briefing.store.copying import copy_project
from briefing.store.errors import ProjectError

desk = markings.desk
RANK = {t.value: t.rank for t in Tlp}


def _stricter(a: str, b: str | None) -> str:
    if b is None:
        return a
    return b if RANK.get(b, 99) > RANK.get(a, 99) else a


def _expected(connection) -> tuple[dict, dict]:
    """Every party's and entry's effective label, worked out from the records alone."""
    parties = {
        i: (tlp, parent)
        for i, tlp, parent in connection.exec_driver_sql("SELECT id, tlp, parent_id FROM party")
    }

    def party(i: int, depth: int = 0) -> str:
        tlp, parent = parties[i]
        if parent is None or parent == i or depth > 50:
            return tlp
        return _stricter(tlp, party(parent, depth + 1))

    party_labels = {i: party(i) for i in parties}
    entries = dict(connection.exec_driver_sql("SELECT id, tlp FROM timeline_entry").all())
    for entry, named in connection.exec_driver_sql("SELECT entry_id, party_id FROM entry_party"):
        entries[entry] = _stricter(entries[entry], party_labels[named])
    return party_labels, entries


def _consistent(address: str) -> None:
    with open_project(address, "postgres") as admin, admin.engine.connect() as connection:
        parties, entries = _expected(connection)
        stored_parties = dict(connection.exec_driver_sql("SELECT id, eff_tlp FROM party").all())
        stored_entries = dict(
            connection.exec_driver_sql("SELECT id, eff_tlp FROM timeline_entry").all()
        )
        words = connection.exec_driver_sql(
            "SELECT count(*) FROM search_word w JOIN timeline_entry e"
            " ON w.kind = 3 AND w.rec = e.id WHERE w.tlp <> e.eff_tlp"
        ).scalar_one()
    assert stored_parties == parties
    assert stored_entries == entries
    assert words == 0


def _amber_sees(desk: dict, table: str, record_id: int) -> bool:
    with open_project(desk["AMBER"], "amber") as project, project.engine.connect() as connection:
        found = connection.exec_driver_sql(
            f"SELECT count(*) FROM {table} WHERE id = %(i)s", {"i": record_id}
        ).scalar_one()
        searched = connection.exec_driver_sql(
            "SELECT count(*) FROM search_word WHERE word = 'quillfeather'"
        ).scalar_one()
    return bool(found) or (table == "timeline_entry" and bool(searched))


@pytest.fixture
def family(desk) -> dict:
    """An AMBER party with a party inside it, and an AMBER entry naming the inner one."""
    with open_project(desk["admin"], "postgres") as admin:
        outer = records.create_record(
            admin, "party", {"name": "Outer", "kind": "state", "tlp": "AMBER"}
        ).after["party"][0]
        inner = records.create_record(
            admin,
            "party",
            {"name": "Inner", "kind": "armed group", "tlp": "GREEN", "parent": outer["uuid"]},
        ).after["party"][0]
        entry = records.create_record(
            admin,
            "entry",
            {
                "title": "Quillfeather raid",
                "start_utc": "2021-11-16T07:00:00Z",
                "tlp": "AMBER",
                "parties": [{"party": inner["uuid"], "role": "involved"}],
            },
        ).after["entry"][0]
    _consistent(desk["admin"])
    return {"outer": outer, "inner": inner, "entry": entry}


def _set(desk: dict, kind: str, record: dict, values: dict) -> None:
    with open_project(desk["admin"], "postgres") as admin:
        records.update_record(admin, kind, record["_id"], values)


def test_a_relabel_of_the_record_itself(desk, family) -> None:
    _set(desk, "entry", family["entry"], {"tlp": "RED"})
    _consistent(desk["admin"])
    assert not _amber_sees(desk, "timeline_entry", family["entry"]["_id"])
    _set(desk, "entry", family["entry"], {"tlp": "AMBER"})
    _consistent(desk["admin"])
    assert _amber_sees(desk, "timeline_entry", family["entry"]["_id"])


def test_a_relabel_of_an_outer_party_hides_the_inner_one_and_its_entries(desk, family) -> None:
    _set(desk, "party", family["outer"], {"tlp": "RED"})
    _consistent(desk["admin"])
    for table, key in (("party", "inner"), ("party", "outer"), ("timeline_entry", "entry")):
        assert not _amber_sees(desk, table, family[key]["_id"]), key
    _set(desk, "party", family["outer"], {"tlp": "CLEAR"})
    _consistent(desk["admin"])
    assert _amber_sees(desk, "timeline_entry", family["entry"]["_id"])


def test_moving_a_party_under_a_red_one_and_naming_a_red_party(desk, family) -> None:
    _set(desk, "party", family["inner"], {"parent": desk["party"]["uuid"]})
    _consistent(desk["admin"])
    assert not _amber_sees(desk, "timeline_entry", family["entry"]["_id"])
    _set(desk, "party", family["inner"], {"parent": None})
    _consistent(desk["admin"])
    assert _amber_sees(desk, "timeline_entry", family["entry"]["_id"])
    _set(
        desk,
        "entry",
        family["entry"],
        {"parties": [{"party": desk["party"]["uuid"], "role": "involved"}]},
    )
    _consistent(desk["admin"])
    assert not _amber_sees(desk, "timeline_entry", family["entry"]["_id"])
    _set(desk, "entry", family["entry"], {"parties": []})
    _consistent(desk["admin"])
    assert _amber_sees(desk, "timeline_entry", family["entry"]["_id"])


def test_deleting_the_red_party_frees_what_it_hid(desk, family) -> None:
    _set(desk, "party", family["inner"], {"parent": desk["party"]["uuid"]})
    assert not _amber_sees(desk, "party", family["inner"]["_id"])
    with open_project(desk["admin"], "postgres") as admin:
        records.delete_records(admin, "party", [desk["party"]["_id"]])
    _consistent(desk["admin"])
    assert _amber_sees(desk, "party", family["inner"]["_id"])
    assert _amber_sees(desk, "timeline_entry", family["entry"]["_id"])


def test_an_analyst_cannot_write_an_effective_label(desk, family) -> None:
    with open_project(desk["AMBER"], "amber") as project:
        with project.transaction() as session:
            session.connection().exec_driver_sql(
                "UPDATE timeline_entry SET eff_tlp = 'CLEAR' WHERE id = %(i)s",
                {"i": family["entry"]["_id"]},
            )
    _consistent(desk["admin"])
    _set(desk, "party", family["outer"], {"tlp": "RED"})
    with open_project(desk["AMBER"], "amber") as project:
        with pytest.raises(ProjectError), project.transaction() as session:
            session.connection().exec_driver_sql(
                "INSERT INTO entry_party (entry_id, party_id) SELECT id, %(p)s FROM"
                " timeline_entry WHERE tlp = 'CLEAR' LIMIT 1",
                {"p": family["outer"]["_id"]},
            )
    _consistent(desk["admin"])


def test_a_merge_naming_a_red_party_hides_the_entry(desk, family, tmp_path, capsys) -> None:
    field = tmp_path / "field.brief"
    with open_project(desk["admin"], "postgres") as admin:
        admin.copy_to(field)
    with open_project(field, "Field analyst") as copy:
        with copy.engine.connect() as connection:
            entry_id = records.id_of(connection, "entry", family["entry"]["uuid"])
        records.update_record(
            copy,
            "entry",
            entry_id,
            {"parties": [{"party": desk["party"]["uuid"], "role": "involved"}]},
        )
    status = cli.main(["merge", desk["admin"], str(field), "--prefer", "theirs"])
    assert status == 0, capsys.readouterr()
    _consistent(desk["admin"])
    assert not _amber_sees(desk, "timeline_entry", family["entry"]["_id"])


def test_a_copy_to_a_server_carries_the_labels_of_parties_stored_before_their_parent(
    server_templates, tmp_path
) -> None:
    from briefing.store import create_project

    path = tmp_path / "made.brief"
    with create_project(path, "Made") as project:
        inner = records.create_record(
            project, "party", {"name": "Inner", "kind": "armed group", "tlp": "GREEN"}
        ).after["party"][0]
        outer = records.create_record(
            project, "party", {"name": "Outer", "kind": "state", "tlp": "RED"}
        ).after["party"][0]
        records.update_record(project, "party", inner["_id"], {"parent": outer["uuid"]})
        records.create_record(
            project,
            "entry",
            {
                "title": "Raid",
                "start_utc": "2021-11-16T07:00:00Z",
                "parties": [{"party": inner["uuid"], "role": "involved"}],
            },
        )
    address = server_templates.new_database()
    with open_project(path, "Made", read_only=True) as source:
        copy_project(source, address)
    _consistent(address)
    with open_project(address, "postgres") as admin, admin.engine.connect() as connection:
        labels = set(connection.exec_driver_sql("SELECT eff_tlp FROM timeline_entry").scalars())
    assert labels == {"RED"}
    assert not releasable("RED", Tlp.AMBER)


def test_no_command_hands_over_an_entry_naming_a_party_inside_a_red_one(
    desk, family, capsys, tmp_path
) -> None:
    _set(desk, "party", family["inner"], {"parent": desk["party"]["uuid"]})
    status, said = markings.run(capsys, "search", desk["AMBER"], "Quillfeather")
    assert status == 0 and "Quillfeather" not in said
    target = tmp_path / "all.json"
    status, said = markings.run(capsys, "export", desk["AMBER"], "-o", target)
    assert status == 0, said
    exported = target.read_text(encoding="utf-8")
    assert "Quillfeather" not in exported and family["inner"]["uuid"] not in exported
    with open_project(desk["AMBER"], "amber") as project:
        with pytest.raises(Exception, match="no longer exists"):
            records.get_record(project, "entry", family["entry"]["_id"])
    status, said = markings.run(capsys, "search", desk["RED"], "Quillfeather")
    assert status == 0 and "Quillfeather" in said
