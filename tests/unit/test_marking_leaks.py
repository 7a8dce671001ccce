"""Markings never leak: frozen, relabelled and deleted records, read back as raw bytes.

The demo briefing (TLP:GREEN) is frozen as edition 1 while it holds three words
that must later stay out of anything marked GREEN: an entry marked RED after the
freeze, an entry deleted after it, and a party named by a kept entry and marked
RED after it. Each output is scanned as bytes (the share copy's file, the JSON
document) or read back (the PDF's text, outline and decompressed streams).
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing.cli import main
from briefing.services import records
from briefing.services.demo import uid
from briefing.services.editions import freeze_edition
from briefing.services.pdf_export import export_briefing
from briefing.store import Project, open_project

RELABELLED = "Zzredlater"
FROZEN = "Zzfrozentext"
DELETED = "Xxgonelater"
NAMED = "Qqnamedparty"
HISTORY = "Wwhistoryfile"
TOMB = "Ttombtextsecret"
SECRETS = (RELABELLED, FROZEN, DELETED, NAMED, HISTORY, TOMB)


def found(data: bytes, word: str) -> bool:
    """The word as stored, lower-cased (full-text terms) or as UTF-16 (PDF strings)."""
    return any(
        form in data for form in (word.encode(), word.lower().encode(), word.encode("utf-16-be"))
    )


def leaked(data: bytes, words: tuple[str, ...] = SECRETS) -> list[str]:
    return [w for w in words if found(data, w)]


def record_id(project: Project, kind: str, slug: str) -> int:
    with project.engine.connect() as connection:
        value = records.id_of(connection, kind, uid(slug))
    assert value is not None
    return value


def prepare(path: Path, tmp: Path, legacy: bool = False) -> None:
    """Freeze edition 1 holding the words, then restrict, delete and unlink what holds them."""
    with open_project(path, "Ana") as p:
        briefing = record_id(p, "briefing", "briefing")
        videos = record_id(p, "entry", "captives-videos")
        records.update_record(
            p,
            "entry",
            videos,
            {"title": f"{RELABELLED} captives videos", "description": f"{FROZEN} footage"},
        )
        war = record_id(p, "entry", "war-2020")
        records.update_record(p, "entry", war, {"title": f"{DELETED} war of 2020"})
        party = records.create_record(
            p, "party", {"name": f"{NAMED} Brigade", "kind": "armed group"}
        ).created_uuids[0]
        ceasefire = record_id(p, "entry", "ceasefire-2020")
        parties = records.get_record(p, "entry", ceasefire)["parties"]
        records.update_record(
            p, "entry", ceasefire, {"parties": [*parties, {"party": party, "role": "involved"}]}
        )
        export_briefing(p, briefing, tmp / f"{HISTORY}.pdf")  # a line of export history
        freeze_edition(p, briefing)
        # After the freeze: the entry goes RED and leaves the briefing, the other is deleted,
        # the party leaves the entry and goes RED.
        body = records.get_record(p, "briefing", briefing)
        for section in body["sections"]:
            section["items"] = [
                i for i in section["items"] if i.get("ref") != uid("captives-videos")
            ]
        records.update_record(p, "briefing", briefing, {"sections": body["sections"]})
        records.update_record(p, "entry", videos, {"tlp": "RED"})
        records.delete_records(p, "entry", [war])
        records.update_record(p, "entry", ceasefire, {"parties": parties})
        records.update_record(p, "party", _id_of_uuid(p, "party", party), {"tlp": "RED"})
    with sqlite3.connect(path) as connection:  # a tombstone that carries text
        connection.execute(
            "INSERT INTO tombstone(uuid, kind, deleted_at, deleted_by) VALUES (?, 'entry', "
            "'2021-11-16T00:00:00.000000Z', 'Ana')",
            (f"{TOMB} a",),
        )
        if legacy:  # an edition frozen before items listed the records they name
            (snapshot,) = connection.execute("SELECT snapshot FROM edition").fetchone()
            content = json.loads(snapshot)
            for section in content["sections"]:
                for item in section["items"]:
                    item.pop("refs", None)
            connection.execute("UPDATE edition SET snapshot = ?", (json.dumps(content),))
    connection.close()


def _id_of_uuid(project: Project, kind: str, uuid: str) -> int:
    with project.engine.connect() as connection:
        value = records.id_of(connection, kind, uuid)
    assert value is not None
    return value


@pytest.fixture(params=[False, True], ids=["edition", "legacy-edition"])
def prepared(request: pytest.FixtureRequest, demo_path: Path, tmp_path: Path) -> Path:
    prepare(demo_path, tmp_path, legacy=request.param)
    return demo_path


def test_the_words_are_there_to_be_found(prepared: Path) -> None:
    """The control for every scan below: the original file holds every word."""
    assert leaked(prepared.read_bytes()) == list(SECRETS)


def test_green_share_copy_holds_no_byte_of_them(prepared: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "shared.brief"
    out.parent.mkdir()
    assert main(["share", str(prepared), "-o", str(out), "--max-tlp", "GREEN"]) == 0
    assert leaked(out.read_bytes()) == []
    with sqlite3.connect(out) as connection:
        assert connection.execute("SELECT count(*) FROM edition").fetchone() == (0,)
        assert connection.execute("SELECT count(*) FROM export_record").fetchone() == (0,)
        tombstones = connection.execute("SELECT uuid, kind FROM tombstone").fetchall()
    connection.close()
    assert (uid("war-2020"), "entry") in tombstones  # the deletion still travels
    assert [p.name for p in out.parent.iterdir()] == ["shared.brief"]


def test_red_share_copy_keeps_the_relabelled_record(prepared: Path, tmp_path: Path) -> None:
    """The control: at RED the record is releasable and its words are found."""
    out = tmp_path / "red.brief"
    assert main(["share", str(prepared), "-o", str(out), "--max-tlp", "RED"]) == 0
    assert leaked(out.read_bytes(), (RELABELLED, DELETED, HISTORY, TOMB)) == [RELABELLED]


def pdf_bytes(path: Path) -> bytes:
    """Extracted text, outline titles, metadata and every decompressed stream of a PDF."""
    reader = PdfReader(path)
    parts = [page.extract_text() for page in reader.pages]
    parts += [str(entry) for entry in reader.outline]
    parts += [str(reader.metadata)]
    data = " ".join(" ".join(parts).split()).encode()
    raw = path.read_bytes()
    chunks = [data, raw]
    for start in range(len(raw)):
        if raw.startswith(b"stream", start):
            body = raw[start + 6 :].lstrip(b"\r\n")
            try:
                chunks.append(zlib.decompressobj().decompress(body))
            except zlib.error:
                continue
    return b"\n".join(chunks)


def test_green_pdf_changes_section_holds_none_of_them(prepared: Path, tmp_path: Path) -> None:
    out = tmp_path / "brief.pdf"
    assert main(["export", str(prepared), "-o", str(out), "--changes"]) == 0
    data = pdf_bytes(out)
    assert leaked(data) == []
    assert b"Changes since edition 1" in data
    assert b"not shown" in data


def test_red_pdf_prints_the_relabelled_record_but_never_the_deleted_one(
    prepared: Path, tmp_path: Path
) -> None:
    """The control: at RED the record taken out of the briefing is listed as removed."""
    out = tmp_path / "red.pdf"
    assert main(["export", str(prepared), "-o", str(out), "--changes", "--tlp", "RED"]) == 0
    data = pdf_bytes(out)
    assert found(data, RELABELLED)
    assert not found(data, DELETED)


def test_json_export_at_green_holds_none_of_them(prepared: Path, tmp_path: Path) -> None:
    out = tmp_path / "green.json"
    assert main(["export", str(prepared), "-o", str(out), "--max-tlp", "green"]) == 0
    assert leaked(out.read_bytes()) == []
    everything = tmp_path / "all.json"
    assert main(["export", str(prepared), "-o", str(everything)]) == 0
    assert leaked(everything.read_bytes(), (RELABELLED, NAMED)) == [RELABELLED, NAMED]


def test_json_export_at_green_imports_into_a_new_project(prepared: Path, tmp_path: Path):
    """Links to what was left out are cut, so the document is whole."""
    out = tmp_path / "green.json"
    assert main(["export", str(prepared), "-o", str(out), "--max-tlp", "GREEN"]) == 0
    fresh = tmp_path / "fresh.brief"
    assert main(["new", str(fresh)]) == 0
    assert main(["import", str(fresh), str(out)]) == 0


def test_max_tlp_is_refused_for_a_pdf(demo_path: Path, tmp_path: Path, capsys) -> None:
    assert main(["export", str(demo_path), "-o", str(tmp_path / "x.pdf"), "--max-tlp", "RED"]) == 1
    assert "--max-tlp applies to JSON export" in capsys.readouterr().err


def test_an_edition_frozen_under_a_stricter_label_is_not_compared_in_print(
    demo_path: Path, tmp_path: Path
) -> None:
    """The briefing was AMBER when frozen and is GREEN now: the old bottom line stays out."""
    sealed = "Yysealedbluf"
    with open_project(demo_path, "Ana") as p:
        briefing = record_id(p, "briefing", "briefing")
        records.update_record(p, "briefing", briefing, {"tlp": "AMBER", "bluf": sealed})
        freeze_edition(p, briefing)
        records.update_record(p, "briefing", briefing, {"tlp": "GREEN", "bluf": "Rewritten."})
    out = tmp_path / "brief.pdf"
    assert main(["export", str(demo_path), "-o", str(out), "--changes"]) == 0
    data = pdf_bytes(out)
    assert leaked(data, (sealed,)) == []
    assert b"Changes since edition 1" in data and b"not shown" in data
    amber = tmp_path / "amber.pdf"
    assert main(["export", str(demo_path), "-o", str(amber), "--changes", "--tlp", "AMBER"]) == 0
    assert found(pdf_bytes(amber), sealed)  # the control
