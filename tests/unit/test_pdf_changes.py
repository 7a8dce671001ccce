"""The optional "Changes since edition N" section of the PDF, read back from the file."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing.cli import main
from briefing.services import records
from briefing.services.demo import uid
from briefing.services.editions import freeze_edition
from briefing.store import Project, open_project


def record_id(project: Project, kind: str, slug: str) -> int:
    with project.engine.connect() as connection:
        found = records.id_of(connection, kind, uid(slug))
    assert found is not None
    return found


def freeze(path: Path) -> None:
    with open_project(path, "Ana") as project:
        freeze_edition(project, record_id(project, "briefing", "briefing"))


def revise(path: Path) -> None:
    """Edition 1, then: an entry changed (with markup in its title), an item removed."""
    freeze(path)
    with open_project(path, "Ana") as project:
        clash = record_id(project, "entry", "clash")
        claims = records.get_record(project, "entry", clash)["claims"]
        claims[0]["best"] = 7  # Armenia wounded, per the Armenian MoD: 4 before
        records.update_record(
            project, "entry", clash, {"claims": claims, "title": "Clashes & <b>shelling</b>"}
        )
        briefing = record_id(project, "briefing", "briefing")
        body = records.get_record(project, "briefing", briefing)
        body["sections"][0]["items"].pop(1)  # the captives videos
        records.update_record(project, "briefing", briefing, {"sections": body["sections"]})


def export(path: Path, out: Path, *extra: str) -> list[str]:
    assert main(["export", str(path), "-o", str(out), *extra]) == 0
    return [page.extract_text() for page in PdfReader(out).pages]


def words(text: str) -> str:
    return " ".join(text.split())


def test_changes_since_the_latest_edition_follow_the_key_judgments(
    demo_path: Path, tmp_path: Path
) -> None:
    revise(demo_path)
    pages = export(demo_path, tmp_path / "brief.pdf", "--changes")
    assert "Changes since edition 1" in pages[0]  # in the contents
    body = words(" ".join(pages[1:]))
    start = body.index("Changes since edition 1")
    assert body.index("Key judgments") < start < body.index("1. ", start)
    section = body[start : body.index("1. ", start)]
    assert "This version compared with edition 1 (frozen " in section and "by Ana)" in section
    assert "0 added, 1 removed, 5 changed" in section  # the entry and 4 statements about it
    assert "Removed" in section and "Videos appear to show captured Armenian servicemen" in section
    assert "Clashes & <b>shelling</b>" in section  # text, not markup
    assert (
        "casualties: Armenia wounded 4 (Ministry of Defence of Armenia) "
        "7 (Ministry of Defence of Armenia)" in section
    )  # the changed figure, old beside new


def test_an_unchanged_edition_shows_what_it_changed_since_the_one_before(
    demo_path: Path, tmp_path: Path
) -> None:
    revise(demo_path)
    freeze(demo_path)
    body = words(" ".join(export(demo_path, tmp_path / "e2.pdf", "--changes")[1:]))
    assert "Edition 2 compared with edition 1" in body
    assert "casualties: Armenia wounded 4 (Ministry of Defence of Armenia)" in body


def test_the_section_is_off_unless_asked(demo_path: Path, tmp_path: Path) -> None:
    revise(demo_path)
    text = " ".join(export(demo_path, tmp_path / "plain.pdf"))
    assert "Changes since edition" not in text


@pytest.mark.parametrize("editions", [0, 1])
def test_without_an_earlier_edition_there_is_no_section_and_a_note(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], editions: int
) -> None:
    for _ in range(editions):
        freeze(demo_path)
    text = " ".join(export(demo_path, tmp_path / "first.pdf", "--changes"))
    assert "Changes since edition" not in text
    assert "no earlier edition" in capsys.readouterr().err


def test_changes_is_refused_for_json(demo_path: Path, tmp_path: Path, capsys) -> None:
    assert main(["export", str(demo_path), "-o", str(tmp_path / "x.json"), "--changes"]) == 1
    assert "--changes apply to PDF export" in capsys.readouterr().err
