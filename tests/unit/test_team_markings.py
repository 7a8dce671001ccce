"""Markings enforced by the server: an analyst cleared for AMBER never receives a RED record.

The administrator adds a RED timeline entry (with a word found nowhere else), a
RED party with a statement it made, puts the entry into the demo briefing and
freezes an edition holding it. Then an AMBER analyst and a RED analyst, each a
login role, go through every command; only the RED one ever meets the word.
"""

from __future__ import annotations

import itertools
import json
import os
import zipfile
from pathlib import Path

import pytest

from briefing import cli
from briefing.errors import BriefingError, RecordError
from briefing.model import codec, fulltext_server
from briefing.services import briefings, editions, records
from briefing.store import open_project, pg_team
from briefing.store.server.address import ServerAddress
from briefing.store.server.connect import connect

SECRET = "Kestrelwood"
"""A word only the RED records hold."""

_numbers = itertools.count()


@pytest.fixture
def desk(postgres, server_demo_address: str) -> dict:
    """The demo project holding RED records, and two analysts' addresses."""
    with open_project(server_demo_address, "postgres") as admin:
        entry = records.create_record(
            admin,
            "entry",
            {
                "title": f"{SECRET} strike",
                "description": f"Seen from {SECRET} ridge",
                "start_utc": "2021-11-16T05:00:00Z",
                "tlp": "RED",
            },
        ).after["entry"][0]
        party = records.create_record(
            admin, "party", {"name": f"{SECRET} unit", "kind": "armed group", "tlp": "RED"}
        ).after["party"][0]
        records.create_record(
            admin,
            "statement",
            {"quote": "We were never there.", "kind": "denial", "speaker": party["uuid"]},
        )
        briefing_id = _first_briefing(admin)
        briefings.add_items(admin, briefing_id, [("entry", entry["_id"])])
        editions.freeze_edition(admin, briefing_id)
    names = {}
    address = ServerAddress.parse(server_demo_address)
    connection = connect(address)
    connection.autocommit = True
    try:
        for label in ("AMBER", "RED"):
            name = f"{label.lower()}_{os.getpid()}_{next(_numbers)}"
            pg_team.add_analyst(connection, name, label, "not used: the test server trusts")
            names[label] = name
    finally:
        connection.close()
    as_user = {
        label: f"postgresql://{name}@{address.where}/{address.database}"
        for label, name in names.items()
    }
    return {
        "entry": entry, "party": party, "briefing": briefing_id, "admin": server_demo_address,
        **as_user,
    }  # fmt: skip


def _first_briefing(project) -> int:
    with project.engine.connect() as connection:
        return connection.exec_driver_sql("SELECT min(id) FROM briefing").scalar_one()


def run(capsys, *args: str) -> tuple[int, str]:
    status = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out + err


def _holds_secret(path: Path) -> bool:
    data = path.read_bytes()
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as document:
            data = b"".join(document.read(n) for n in document.namelist())
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        data = " ".join(p.extract_text() or "" for p in PdfReader(path).pages).encode()
    return SECRET.encode() in data or SECRET.lower().encode() in data.lower()


def test_the_amber_analyst_never_receives_the_red_records(desk, capsys, tmp_path) -> None:
    amber = desk["AMBER"]
    status, said = run(capsys, "info", amber)
    assert status == 0 and SECRET not in said
    status, said = run(capsys, "search", amber, SECRET)
    assert status == 0 and SECRET not in said
    for name in ("all.json", "all.stix.json", "brief.pdf", "brief.docx"):
        target = tmp_path / name
        status, said = run(capsys, "export", amber, "-o", target)
        assert status == 0, said
        assert not _holds_secret(target), name
    document = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    uuids = json.dumps(document)
    assert desk["entry"]["uuid"] not in uuids and desk["party"]["uuid"] not in uuids
    share = tmp_path / "share.brief"
    status, said = run(capsys, "share", amber, "-o", share, "--max-tlp", "RED")
    assert status == 0, said
    assert not _holds_secret(share)
    copy = tmp_path / "copy.brief"
    status, said = run(capsys, "copy", amber, copy)
    assert status == 0, said
    assert not _holds_secret(copy)
    status, said = run(capsys, "edition", amber)
    assert SECRET not in said


def test_the_amber_analyst_cannot_reach_the_red_record_by_id_or_uuid(desk) -> None:
    with open_project(desk["AMBER"], "amber") as project:
        with pytest.raises(RecordError):
            records.get_record(project, "entry", desk["entry"]["_id"])
        with project.engine.connect() as connection:
            assert records.id_of(connection, "entry", desk["entry"]["uuid"]) is None
            assert codec.dump(connection, "party", [desk["party"]["_id"]]) == []
            hidden = connection.exec_driver_sql(
                "SELECT count(*) FROM statement WHERE quote = 'We were never there.'"
            ).scalar_one()
            assert hidden == 0  # its speaker is RED
            editions_seen = connection.exec_driver_sql("SELECT count(*) FROM edition").scalar_one()
            assert editions_seen == 0  # the edition froze the RED entry's text


def test_the_red_analyst_sees_what_the_amber_one_does_not(desk, capsys) -> None:
    status, said = run(capsys, "search", desk["RED"], SECRET)
    assert status == 0 and SECRET in said
    with open_project(desk["RED"], "red") as project:
        assert records.get_record(project, "entry", desk["entry"]["_id"])["tlp"] == "RED"


ABOVE_CLEARANCE = (
    "Your clearance does not allow saving that party: it would be marked above what you "
    "may read, or name a record that is; nothing was saved."
)


def test_the_amber_analyst_cannot_write_a_red_record(desk) -> None:
    with open_project(desk["AMBER"], "amber") as project:
        with pytest.raises(BriefingError) as refused:
            records.create_record(project, "party", {"name": "Mine", "kind": "state", "tlp": "RED"})
        assert str(refused.value) == ABOVE_CLEARANCE
        mine = records.create_record(project, "party", {"name": "Mine", "kind": "state"})
        party_id = mine.after["party"][0]["_id"]
        with pytest.raises(BriefingError) as refused:
            records.update_record(project, "party", party_id, {"tlp": "RED"})
        assert str(refused.value) == ABOVE_CLEARANCE
        assert records.get_record(project, "party", party_id)["tlp"] != "RED"


def test_writing_above_ones_clearance_through_the_cli_is_one_sentence(
    desk, capsys, tmp_path
) -> None:
    document = tmp_path / "mine.json"
    status, _ = run(capsys, "export", desk["AMBER"], "-o", document)
    assert status == 0
    content = json.loads(document.read_text(encoding="utf-8"))
    party = next(p for p in content["parties"] if p["tlp"] != "RED")
    party["tlp"] = "RED"  # as marked by the analyst, above their clearance
    document.write_text(json.dumps(content), encoding="utf-8")
    status, said = run(capsys, "import", desk["AMBER"], document)
    assert status == 1
    assert said.strip() == f"error: {ABOVE_CLEARANCE}"
    assert "row-level security" not in said and "Traceback" not in said


def test_the_amber_analyst_editing_the_briefing_never_drops_the_red_item(desk) -> None:
    with open_project(desk["AMBER"], "amber") as project:
        with pytest.raises(BriefingError) as refused:
            briefings.edit_metadata(project, desk["briefing"], subtitle="Seen by AMBER")
        said = str(refused.value)
        assert "holds items you are not cleared to see" in said and "nothing was saved" in said
    with open_project(desk["RED"], "red") as project, project.engine.connect() as connection:
        kept = connection.exec_driver_sql(
            "SELECT count(*) FROM section_item WHERE entry_id = %(e)s", {"e": desk["entry"]["_id"]}
        ).scalar_one()
    assert kept == 1


def test_ids_come_from_the_server_so_a_hidden_record_never_clashes(desk, capsys, tmp_path) -> None:
    hidden = desk["entry"]["_id"]
    with open_project(desk["AMBER"], "amber") as project:
        with pytest.raises(RecordError):
            records.get_record(project, "entry", hidden)
        # A record arriving with the id the hidden one holds (an undo, a copy) gets another.
        arriving = {
            "_id": hidden,
            "uuid": "0b9f3a52-51c4-4c55-9d0c-2f3f3c1f0a11",
            "title": "Arrived with an id",
            "start_utc": "2021-11-17T05:00:00Z",
        }
        change = records.restore(project, {"entry": [arriving]})
        given = change.ids["entry"][0]
        assert given != hidden
        assert records.get_record(project, "entry", given)["title"] == "Arrived with an id"
    document = tmp_path / "mine.json"
    assert run(capsys, "export", desk["AMBER"], "-o", document)[0] == 0
    content = json.loads(document.read_text(encoding="utf-8"))
    entry = content["entries"][0]
    for kind in ("parties", "sources", "statements", "relationships", "briefings"):
        content[kind] = []
    content["entries"] = [
        {**entry, "uuid": f"{entry['uuid'][:-4]}{n:04d}", "title": f"Imported {n}"}
        for n in range(3)
    ]
    document.write_text(json.dumps(content), encoding="utf-8")
    status, said = run(capsys, "import", desk["AMBER"], document)
    assert status == 0, said
    with open_project(desk["RED"], "red") as project:
        assert records.get_record(project, "entry", hidden)["title"] == f"{SECRET} strike"
        with project.engine.connect() as connection:
            imported = connection.exec_driver_sql(
                "SELECT count(*) FROM timeline_entry WHERE title LIKE 'Imported %%'"
            ).scalar_one()
    assert imported == 3


def test_freezing_beside_a_hidden_edition_takes_the_next_number(desk) -> None:
    """The desk froze edition 1 holding the RED entry: AMBER cannot see it, yet never clashes."""
    with open_project(desk["AMBER"], "amber") as project:
        assert editions.list_editions(project, desk["briefing"]) == []
        mine = editions.freeze_edition(project, desk["briefing"])
        again = editions.freeze_edition(project, desk["briefing"])
        assert (mine.number, again.number) == (2, 3)
        assert [e.number for e in editions.list_editions(project, desk["briefing"])] == [2, 3]
    with open_project(desk["RED"], "red") as project:
        numbers = [e.number for e in editions.list_editions(project, desk["briefing"])]
    assert numbers == [1, 2, 3]


def test_a_notice_of_a_red_change_tells_the_amber_analyst_nothing_of_it(desk) -> None:
    """Only the moment of a commit reaches every listener (the accepted risk), not its content."""
    import psycopg

    from briefing.store.pg_notify import CHANNEL

    with psycopg.connect(desk["AMBER"], autocommit=True) as listening:
        listening.execute(f"LISTEN {CHANNEL}")
        with open_project(desk["RED"], "red") as project:
            records.update_record(
                project, "entry", desk["entry"]["_id"], {"place": f"{SECRET} pass"}
            )
        notes = list(listening.notifies(timeout=5, stop_after=1))
    assert notes, "the commit was announced"
    for note in notes:
        assert len(note.payload) == 16 and int(note.payload, 16) >= 0
        assert SECRET.lower() not in note.payload.lower()


def test_reimporting_ones_own_export_says_why_a_briefing_is_kept(desk, capsys, tmp_path) -> None:
    document = tmp_path / "mine.json"
    assert run(capsys, "export", desk["AMBER"], "-o", document)[0] == 0
    status, said = run(capsys, "import", desk["AMBER"], document)
    assert status == 1 and said.count("\n") == 1
    assert "holds items you are not cleared to see" in said
    assert "duplicate key" not in said and SECRET not in said


def _searched(address: str, words: str) -> dict:
    """What each way of searching gives the analyst at ``address`` for ``words``."""
    from briefing.model import fulltext
    from briefing.services.library_query import ListFilter, ordered_ids

    with open_project(address, "reader") as project, project.engine.connect() as connection:
        found = fulltext.search_results(connection, words, typing=True)
        tsquery = fulltext_server.tsquery_of(connection, fulltext.fts_query(words))
        counted = connection.exec_driver_sql(
            f"SELECT count(*) FROM ({fulltext_server.words_sql('1,2,3,4,5,6')}) AS found",
            {"fts_tsquery": tsquery},
        ).scalar_one()
        started = connection.exec_driver_sql(
            "SELECT count(*) FROM search_word WHERE word >= %(w)s AND word < %(w)s || 'z'",
            {"w": SECRET.lower()[:5]},
        ).scalar_one()
        return {
            "hits": [(h.kind, h.record_id) for h in found.hits],
            "entries": ordered_ids(connection, "entry", ListFilter(text=words), limit=50),
            "parties": ordered_ids(connection, "party", ListFilter(text=words), limit=50),
            "count": counted,
            "words": started,
        }


def test_a_red_only_word_gives_the_amber_analyst_no_result_and_no_count(desk) -> None:
    for words in (SECRET, SECRET[:6], f"{SECRET} ridge", f"strike {SECRET[:4]}"):
        amber = _searched(desk["AMBER"], words)
        assert amber == {"hits": [], "entries": [], "parties": [], "count": 0, "words": 0}, words
    red = _searched(desk["RED"], SECRET)
    assert ("entry", desk["entry"]["_id"]) in red["hits"] and red["entries"] == [
        desk["entry"]["_id"]
    ]
    assert red["parties"] == [desk["party"]["_id"]] and red["count"] >= 2 and red["words"] >= 2


def test_the_search_words_follow_a_change_of_the_records_label(desk) -> None:
    entry_id = desk["entry"]["_id"]
    with open_project(desk["RED"], "red") as project:
        records.update_record(project, "entry", entry_id, {"tlp": "AMBER"})
    assert _searched(desk["AMBER"], f"{SECRET} strike")["entries"] == [entry_id]
    with open_project(desk["admin"], "postgres") as admin:
        with admin.engine.begin() as connection:  # by hand, around the program
            connection.exec_driver_sql(
                f"UPDATE timeline_entry SET tlp = 'RED' WHERE id = {entry_id}"
            )
    assert _searched(desk["AMBER"], f"{SECRET} strike") == {
        "hits": [],
        "entries": [],
        "parties": [],
        "count": 0,
        "words": 0,
    }


def test_an_analysts_search_reads_the_words_index_not_every_row(desk) -> None:
    from briefing.model import fulltext

    with open_project(desk["AMBER"], "amber") as project, project.engine.connect() as connection:
        tsquery = fulltext_server.tsquery_of(connection, fulltext.fts_query("border"))
        plan = "\n".join(
            row[0]
            for row in connection.exec_driver_sql(
                f"EXPLAIN {fulltext_server.matching_ids_sql(3)}", {"fts_tsquery": tsquery}
            )
        )
    assert "search_word" in plan and "Seq Scan on search_word" not in plan
    assert "search_index" not in plan


def test_a_project_from_before_the_search_words_gets_them_from_its_administrator(desk) -> None:
    from briefing.store import pg_search
    from briefing.store.errors import ProjectError

    with open_project(desk["admin"], "postgres") as admin, admin.engine.begin() as connection:
        pg_search.remove(connection)
    with pytest.raises(ProjectError, match="its administrator must open it once"):
        open_project(desk["AMBER"], "amber")
    open_project(desk["admin"], "postgres").close()  # puts them back, filled
    assert _searched(desk["AMBER"], SECRET)["count"] == 0
    assert _searched(desk["RED"], SECRET)["entries"] == [desk["entry"]["_id"]]


def test_the_amber_analyst_cannot_write_search_words_with_a_false_label(desk) -> None:
    from briefing.store.errors import ProjectError

    with open_project(desk["AMBER"], "amber") as project:
        with project.engine.connect() as connection:
            seen, label = connection.exec_driver_sql(
                "SELECT id, tlp FROM timeline_entry ORDER BY id LIMIT 1"
            ).one()
        false = "GREEN" if label != "GREEN" else "CLEAR"
        for rec in (desk["entry"]["_id"], seen):  # a RED entry's, one's own entry's
            with pytest.raises(ProjectError), project.transaction() as session:
                session.connection().exec_driver_sql(
                    "INSERT INTO search_word (word, kind, rec, tlp)"
                    f" VALUES ('planted', 3, {rec}, '{false}')"
                )
    assert _searched(desk["RED"], "planted")["count"] == 0


def _as_admin(desk: dict, statement: str) -> None:
    with open_project(desk["admin"], "postgres") as admin, admin.transaction() as session:
        session.connection().exec_driver_sql(statement)


def _role(address: str) -> str:
    return address.split("://", 1)[1].split("@", 1)[0]


def test_a_temporary_table_cannot_stand_in_for_the_clearances(desk) -> None:
    """A session's own tables come first on its search path; the marking functions skip them
    (where the server lets an analyst make temporary tables: by default it does not)."""
    amber = _role(desk["AMBER"])
    _as_admin(
        desk,
        "DO $$ BEGIN EXECUTE 'GRANT TEMPORARY ON DATABASE ' || quote_ident(current_database())"
        f" || ' TO \"{amber}\"'; END $$",
    )
    with open_project(desk["AMBER"], "amber") as project:
        with project.engine.connect() as connection:
            run = connection.exec_driver_sql
            run("CREATE TEMP TABLE analyst_clearance (role text, clearance text)")
            run("INSERT INTO analyst_clearance VALUES (current_user, 'RED')")
            run("CREATE TEMP TABLE tlp_release (clearance text, label text)")
            run("INSERT INTO tlp_release VALUES ('RED', 'RED')")
            for table in ("party", "timeline_entry", "statement", "edition"):
                run(f"CREATE TEMP TABLE {table} (id integer, uuid text)")
            red = run("SELECT count(*) FROM public.timeline_entry WHERE tlp = 'RED'").scalar_one()
            parties = run("SELECT count(*) FROM public.party WHERE tlp = 'RED'").scalar_one()
            editions_seen = run("SELECT count(*) FROM public.edition").scalar_one()
    assert (red, parties, editions_seen) == (0, 0, 0)


def test_the_amber_analyst_cannot_list_what_is_hidden_from_any_labels(desk) -> None:
    from sqlalchemy.exc import ProgrammingError

    with open_project(desk["AMBER"], "amber") as project:
        for function in ("briefing_hidden_parties", "briefing_hidden_entries"):
            with project.engine.connect() as connection, pytest.raises(ProgrammingError):
                connection.exec_driver_sql(f"SELECT {function}(ARRAY['CLEAR'])")
        with project.engine.connect() as connection:
            section = connection.exec_driver_sql("SELECT min(id) FROM section").scalar_one()
            asked_red = connection.exec_driver_sql(
                f"SELECT briefing_section_hides({section}, ARRAY['CLEAR','GREEN','AMBER','RED'])"
            ).scalar_one()
            own = connection.exec_driver_sql(
                f"SELECT briefing_section_hides({section}, ARRAY['CLEAR','GREEN','AMBER'])"
            ).scalar_one()
    assert asked_red == own  # asking as if cleared for RED tells nothing more


def test_only_analysts_connect_and_none_makes_temporary_tables(desk) -> None:
    from sqlalchemy.exc import ProgrammingError

    with open_project(desk["AMBER"], "amber") as project:
        with project.engine.connect() as connection, pytest.raises(ProgrammingError):
            connection.exec_driver_sql("CREATE TEMP TABLE party (id integer)")
        with project.engine.connect() as connection:
            public = connection.exec_driver_sql(
                "SELECT has_database_privilege('public', current_database(), 'CONNECT')"
            ).scalar_one()
    assert not public
