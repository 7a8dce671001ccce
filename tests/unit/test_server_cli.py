"""Every command that takes a project file takes a server address too, and says the same."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefing.cli import main
from briefing.store import open_project
from briefing.store.copying import copy_project
from briefing.store.schema import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_search_info_and_check(server_demo_address: str, capsys) -> None:
    code, out, _ = run(capsys, "search", server_demo_address, "russia treaty")
    assert code == 0 and "1997" in out
    code, out, _ = run(capsys, "info", server_demo_address)
    assert code == 0 and f"File format:      {SCHEMA_VERSION}" in out
    code, out, err = run(capsys, "check", server_demo_address)
    assert code == 0, err
    assert "no problems found" in out


def test_check_names_a_record_that_breaks_a_rule(server_demo_address: str, capsys) -> None:
    import psycopg

    with psycopg.connect(server_demo_address, autocommit=True) as connection:
        connection.execute("UPDATE party SET colour = 'not a colour' WHERE id = 1")
        connection.execute("CREATE TABLE stranger (id int)")
    code, _, err = run(capsys, "check", server_demo_address)
    assert code == 1
    assert "stranger" in err


@pytest.mark.parametrize("suffix", [".json", ".pdf", ".docx", ".stix.json"])
def test_export_from_a_server_equals_export_from_the_file(
    server_demo_address: str, demo_path: Path, tmp_path: Path, capsys, suffix: str
) -> None:
    there = tmp_path / f"server{suffix}"
    here = tmp_path / f"file{suffix}"
    assert run(capsys, "export", server_demo_address, "-o", there)[0] == 0
    assert run(capsys, "export", demo_path, "-o", here)[0] == 0
    if suffix.endswith(".json"):
        a, b = (json.loads(p.read_text(encoding="utf-8")) for p in (there, here))
        for document in (a, b):
            document.pop("exported_at", None)
            document.pop("created", None)
            document.pop("project", None)  # each demo project has an identity of its own
        if suffix == ".json":
            assert a == b
    assert there.stat().st_size > 1000


def test_import_into_a_server(server_address: str, tmp_path: Path, capsys) -> None:
    code, out, err = run(capsys, "import", server_address, ROOT / "samples" / "events.csv")
    assert code == 0, err
    code, out, err = run(capsys, "import", server_address, ROOT / "samples" / "events.csv")
    assert code == 0, err
    code, out, _ = run(capsys, "info", server_address)
    assert "Timeline entries:" in out


def test_share_and_edition_on_a_server(server_demo_address: str, tmp_path: Path, capsys) -> None:
    out_file = tmp_path / "green.brief"
    code, out, err = run(capsys, "share", server_demo_address, "-o", out_file, "--max-tlp", "GREEN")
    assert code == 0, err
    assert run(capsys, "check", out_file)[0] == 0
    code, out, err = run(capsys, "edition", server_demo_address, "--freeze")
    assert code == 0, err
    assert "Froze edition 1" in out


def test_a_field_copy_merges_back_into_the_server(
    server_demo_address: str, tmp_path: Path, capsys
) -> None:
    from briefing.services import records
    from briefing.services.demo import uid

    field = tmp_path / "field.brief"
    with open_project(server_demo_address, "Desk", read_only=True) as project:
        copy_project(project, field)
    with open_project(field, "Field") as project:
        with project.session() as session:
            from briefing.model import Party

            party_id = session.query(Party.id).filter_by(uuid=uid("russia")).scalar()
        records.update_record(project, "party", party_id, {"description": "Seen in the field"})
    code, out, err = run(capsys, "merge", server_demo_address, field)
    assert code == 0, err
    with open_project(server_demo_address, "Desk", read_only=True) as project:
        with project.session() as session:
            party = session.query(Party).filter_by(uuid=uid("russia")).one()
            assert party.description == "Seen in the field"
            assert party.updated_by == "Field"


def test_check_names_a_uuid_given_to_records_of_two_kinds(server_demo_address: str, capsys):
    import psycopg

    with psycopg.connect(server_demo_address, autocommit=True) as connection:
        party = connection.execute("SELECT uuid FROM party WHERE id = 1").fetchone()[0]
        connection.execute("UPDATE source SET uuid = %s WHERE id = 1", (party,))
    code, _, err = run(capsys, "check", server_demo_address)
    assert code == 1
    assert f"has the UUID {party} of a party; a UUID names one record only" in err
