from __future__ import annotations

from pathlib import Path

import pytest

from briefing.cli import main
from briefing.errors import BriefingError
from briefing.model.vocab import Tlp
from briefing.services import records
from briefing.services.demo import uid
from briefing.services.editions import freeze_edition
from briefing.services.share import write_share_copy
from briefing.store import Project, open_project
from briefing.store.verify import check_file

# Words that appear only in restricted records, in notes, or in a deleted record. FTS5
# stores terms in lower case and may share a leading prefix with the previous term, so
# the scan looks for the lower-case tail too.
RED_PARTY = "Qqzyxwraith Directorate"
AMBER_ENTRY = "Vvkrumbleton artillery"
NOTE = "Ppnotesecret hunch"
DELETED = "Ddeletedghost convoy"
AMBER_BRIEFING = "Bbamberbrief outlook"
SECRETS = (RED_PARTY, AMBER_ENTRY, NOTE, DELETED, AMBER_BRIEFING)


FIVE_KILLED = {"uuid": "0c1a1a1a-0000-4000-8000-00000000c1a5", "side": "all sides",
               "category": "killed", "best": 5, "words": ""}  # fmt: skip


def tails(word: str) -> list[bytes]:
    first = word.split()[0]
    return [first.encode(), first.lower()[2:].encode()]


def found_in(data: bytes, secret: str) -> bool:
    return any(tail in data for tail in tails(secret))


def id_of(project: Project, kind: str, slug: str) -> int:
    with project.engine.connect() as connection:
        found = records.id_of(connection, kind, uid(slug))
    assert found is not None
    return found


@pytest.fixture
def restricted(demo_project: Project) -> Project:
    """The demo project plus a RED party, an AMBER entry and briefing, notes, a deletion."""
    p = demo_project
    party = records.create_record(p, "party", {"name": RED_PARTY, "kind": "armed group",
                                               "tlp": "RED"}).created_uuids[0]  # fmt: skip
    clash = id_of(p, "entry", "clash")
    parties = records.get_record(p, "entry", clash)["parties"]
    records.update_record(p, "entry", clash, {"parties": [*parties,
                          {"party": party, "role": "involved"}]})  # fmt: skip
    records.update_record(p, "entry", id_of(p, "entry", "captives-videos"),
                          {"tlp": "AMBER", "description": AMBER_ENTRY})  # fmt: skip
    records.update_record(p, "entry", id_of(p, "entry", "war-2020"), {"notes": NOTE})
    ghost = records.create_record(p, "entry", {"title": DELETED, "start_utc": "2021-11-16T00:00Z"})
    records.delete_records(p, "entry", list(ghost.ids["entry"]))
    records.create_record(p, "briefing", {"title": AMBER_BRIEFING, "tlp": "AMBER",
                                          "as_of": "2021-11-17T00:00:00Z"})  # fmt: skip
    freeze_edition(p, id_of(p, "briefing", "briefing"))  # holds the AMBER entry: left out
    return p


def test_restricted_text_is_in_the_original(restricted: Project) -> None:
    """The control for the scans below: the words are there to be found."""
    data = restricted.path.read_bytes()
    assert all(found_in(data, s) for s in (RED_PARTY, AMBER_ENTRY, NOTE, AMBER_BRIEFING))


def test_share_copy_holds_no_restricted_or_private_bytes(restricted: Project, tmp_path: Path):
    out = tmp_path / "shared.brief"
    report = write_share_copy(restricted, out, Tlp.GREEN, strip_notes=True)
    assert report.removed == {"party": 1, "entry": 1, "briefing": 1}
    assert report.editions_removed == 1
    data = out.read_bytes()
    assert [s for s in SECRETS if found_in(data, s)] == []
    assert check_file(out) == []


def test_share_copy_opens_and_keeps_the_rest(restricted: Project, tmp_path: Path) -> None:
    out = tmp_path / "shared.brief"
    write_share_copy(restricted, out, Tlp.GREEN, strip_notes=True)
    with open_project(out, "Bob") as copy, copy.engine.connect() as connection:
        sql = connection.exec_driver_sql
        assert sql("SELECT count(*) FROM timeline_entry").scalar() == 4
        assert sql("SELECT count(*) FROM briefing").scalar() == 1
        assert sql("SELECT count(*) FROM timeline_entry WHERE notes != ''").scalar() == 0
        assert sql("SELECT count(*) FROM tombstone").scalar() == 1
        items = sql("SELECT count(*) FROM section_item WHERE entry_id IS NULL AND "
                    "statement_id IS NULL AND relationship_id IS NULL AND party_id IS NULL "
                    "AND source_id IS NULL AND NOT is_map").scalar()  # fmt: skip
        assert items == 0
        uuids = [copy.setting("project_uuid"), restricted.setting("project_uuid")]
        assert uuids[0] != uuids[1]
        from briefing.services.overview import search

        assert [h.title for h in search(copy, "Qqzyxwraith")] == []
        assert search(copy, "border")


def test_notes_stay_unless_stripped(restricted: Project, tmp_path: Path) -> None:
    out = tmp_path / "shared.brief"
    write_share_copy(restricted, out, Tlp.RED)
    assert found_in(out.read_bytes(), NOTE)
    assert not found_in(out.read_bytes(), DELETED)


def test_share_copy_from_a_read_only_project(demo_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "shared.brief"
    with open_project(demo_path, "Ana", read_only=True) as project:
        write_share_copy(project, out, Tlp.CLEAR)
    assert check_file(out) == []


def test_share_copy_refuses_to_overwrite(demo_project: Project, tmp_path: Path) -> None:
    out = tmp_path / "shared.brief"
    out.write_text("keep me")
    with pytest.raises(BriefingError, match="already exists"):
        write_share_copy(demo_project, out)
    with pytest.raises(BriefingError, match="cannot replace"):
        write_share_copy(demo_project, demo_project.path, overwrite=True)
    assert out.read_text() == "keep me"
    assert not (tmp_path / "shared.brief.part").exists()


def test_cli_share(demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.brief"
    assert main(["share", str(demo_path), "-o", str(out), "--max-tlp", "clear"]) == 0
    assert "TLP:CLEAR" in capsys.readouterr().out
    with open_project(out, "Bob") as copy, copy.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM briefing").scalar() == 0
    assert main(["share", str(demo_path), "-o", str(out)]) == 1
    assert capsys.readouterr().err.startswith("error: out.brief already exists")
    with pytest.raises(SystemExit) as usage:
        main(["share", str(demo_path), "-o", str(out), "--max-tlp", "purple"])
    assert usage.value.code == 2


def test_merging_a_share_copy_back_keeps_what_it_left_out(
    restricted: Project, tmp_path: Path
) -> None:
    from briefing.services.merge import merge_project

    out = tmp_path / "shared.brief"
    write_share_copy(restricted, out, Tlp.GREEN, strip_notes=True)
    with open_project(out, "Bob") as copy:
        records.update_record(
            copy, "entry", id_of(copy, "entry", "clash"), {"claims": [FIVE_KILLED]}
        )
        records.update_record(copy, "entry", id_of(copy, "entry", "war-2020"), {"place": "Here"})
        briefing = id_of(copy, "briefing", "briefing")
        sections = records.get_record(copy, "briefing", briefing)["sections"]
        sections[0]["heading"] = "Events"
        records.update_record(copy, "briefing", briefing, {"sections": sections})
    report = merge_project(restricted, out)
    assert (report.updated, report.conflicting, report.deleted, report.added) == (3, 0, 0, 0)
    clash = records.get_record(restricted, "entry", id_of(restricted, "entry", "clash"))
    assert [c["best"] for c in clash["claims"]] == [5]
    with restricted.engine.connect() as connection:
        red = connection.exec_driver_sql("SELECT uuid FROM party WHERE tlp = 'RED'").scalar()
    assert red in [p["party"] for p in clash["parties"]]
    war = records.get_record(restricted, "entry", id_of(restricted, "entry", "war-2020"))
    assert (war["place"], war["notes"]) == ("Here", NOTE)
    sections = records.get_record(
        restricted, "briefing", id_of(restricted, "briefing", "briefing")
    )["sections"]
    assert sections[0]["heading"] == "Events"
    refs = [i["ref"] for i in sections[0]["items"] if "ref" in i]  # the map names none
    assert refs == [uid("clash"), uid("captives-videos")]
    again = merge_project(restricted, out)
    assert (again.updated, again.conflicting, again.deleted, again.added) == (0, 0, 0, 0)


def test_share_copy_keeps_no_local_paths_or_unknown_settings(
    restricted: Project, tmp_path: Path
) -> None:
    """One rule for settings: identity, title, sync points, ACLED bookkeeping; nothing else."""
    from sqlalchemy import text

    from briefing.services.docx_export import TEMPLATE_KEY

    template = "/home/analyst/Zzhousestyle/private-template.docx"
    with restricted.transaction() as session:
        for key, value in (
            (TEMPLATE_KEY, template),
            ("export/folder", "C:\\Users\\analyst\\Kkexportfolder"),
            ("share:extra", "/srv/Yyshareextra"),
        ):
            session.execute(
                text("INSERT INTO project_setting(key, value) VALUES (:k, :v)"),
                {"k": key, "v": value},
            )
    assert b"Zzhousestyle" in restricted.path.read_bytes()
    out = tmp_path / "shared.brief"
    write_share_copy(restricted, out, Tlp.GREEN)
    data = out.read_bytes()
    for word in (b"Zzhousestyle", b"Kkexportfolder", b"Yyshareextra", b"private-template"):
        assert word not in data
    with open_project(out, "Reader", read_only=True) as copy:
        with copy.engine.connect() as connection:
            keys = {row[0] for row in connection.exec_driver_sql("SELECT key FROM project_setting")}
    assert {"project_uuid", "title", "share:max_tlp", "share:from"} <= keys
    assert TEMPLATE_KEY not in keys and "share:extra" not in keys


def test_the_share_summary_counts_in_words() -> None:
    from briefing.services.share import ShareReport

    one = ShareReport(Path("x.brief"), Tlp.GREEN, {"entry": 1}, 1, False)
    assert "1 stricter record and 1 edition left out." in one.summary
    two = ShareReport(Path("x.brief"), Tlp.GREEN, {"entry": 1, "party": 1}, 0, True)
    assert "2 stricter records and 0 editions left out; notes blanked." in two.summary
