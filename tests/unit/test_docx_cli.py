"""``briefing export FILE -o OUT.docx``: the label, the template, the export record."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from briefing.cli import main
from briefing.services.docx_export import remember_template
from briefing.services.pdf_export import export_history
from briefing.store import open_project

HOUSE = Path(__file__).parent.parent / "fixtures" / "house" / "house.docx"


def header_text(path: Path) -> str:
    document = docx.Document(str(path))
    return "".join(p.text for p in document.sections[0].header.paragraphs)


def test_word_export_is_written_and_recorded(demo_path: Path, tmp_path, capsys) -> None:
    out = tmp_path / "brief.docx"
    assert main(["export", str(demo_path), "-o", str(out), "--tlp", "amber"]) == 0
    assert capsys.readouterr().out.strip() == f"Exported a Word document marked TLP:AMBER to {out}"
    assert "TLP:AMBER" in header_text(out)
    with open_project(demo_path, "Reader", read_only=True) as project:
        (entry,) = export_history(project, 1)
    assert entry.file_name == "brief.docx"


def test_template_from_the_command_line(demo_path: Path, tmp_path, capsys) -> None:
    out = tmp_path / "brief.docx"
    assert main(["export", str(demo_path), "-o", str(out), "--template", str(HOUSE)]) == 0
    assert "in the style of house.docx" in capsys.readouterr().out
    assert "Example Analysis Unit" in header_text(out)


def test_project_template_is_used_by_default(demo_path: Path, tmp_path, capsys) -> None:
    with open_project(demo_path, "Ana") as project:
        remember_template(project, HOUSE)
    out = tmp_path / "brief.docx"
    assert main(["export", str(demo_path), "-o", str(out)]) == 0
    assert "Example Analysis Unit" in header_text(out)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["-o", "x.pdf", "--template", "house.docx"], "--template applies to Word export"),
        (["-o", "x.docx", "--tlp", "clear"], "cannot carry the lower label TLP:CLEAR"),
        (["-o", "x.docx", "--template", "missing.docx"], "missing.docx does not exist."),
        (["-o", "x.odt"], "export writes .json, .stix.json, .misp.json, .pdf or .docx"),
    ],
)
def test_refusals_are_one_sentence(demo_path, tmp_path, capsys, monkeypatch, extra, message):
    monkeypatch.chdir(tmp_path)
    assert main(["export", str(demo_path), *extra]) == 1
    error = capsys.readouterr().err
    assert error.startswith("error: ") and message in error and error.count("\n") == 1
    assert not (tmp_path / "x.docx").exists()


def test_a_template_missing_here_falls_back_to_the_clean_style(demo_path, tmp_path, capsys):
    with open_project(demo_path, "Ana") as project:
        remember_template(project, tmp_path / "elsewhere" / "house.docx")
    out = tmp_path / "brief.docx"
    assert main(["export", str(demo_path), "-o", str(out)]) == 0
    assert "is not on this computer; the clean style is used" in capsys.readouterr().err
    assert "TLP:GREEN" in header_text(out) and "Example Analysis Unit" not in header_text(out)
