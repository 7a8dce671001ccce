"""``briefing export FILE -o OUT.pdf``: choosing the briefing, --tlp, the export record."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing.cli import main
from briefing.services.briefings import create_briefing
from briefing.services.pdf_export import export_history
from briefing.store import open_project
from briefing.store.lock import lock_path


def history(path: Path, briefing_id: int = 1) -> list:
    with open_project(path, "Reader", read_only=True) as project:
        return export_history(project, briefing_id)


def test_the_only_briefing_is_exported_and_recorded(demo_path: Path, tmp_path, capsys) -> None:
    out = tmp_path / "brief.pdf"
    assert main(["export", str(demo_path), "-o", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"Exported 6 pages marked TLP:GREEN to {out}"
    assert len(PdfReader(out).pages) == 6
    (entry,) = history(demo_path)
    assert (entry.analyst, entry.file_name, entry.pages) == ("Test analyst", "brief.pdf", 6)


@pytest.fixture
def two_briefings(demo_path: Path) -> Path:
    with open_project(demo_path, "Ana") as project:
        create_briefing(project, "Morning brief")
    return demo_path


def test_several_briefings_need_a_choice(two_briefings: Path, tmp_path, capsys) -> None:
    assert main(["export", str(two_briefings), "-o", str(tmp_path / "x.pdf")]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and error.startswith("error: ")
    assert "[1] Armenia–Azerbaijan border clashes; [2] Morning brief" in error
    assert "--briefing" in error and not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("choice", ["2", "morning brief"])
def test_briefing_chosen_by_id_or_title(two_briefings: Path, tmp_path, choice: str) -> None:
    out = tmp_path / "morning.pdf"
    assert main(["export", str(two_briefings), "-o", str(out), "--briefing", choice]) == 0
    assert "Morning brief" in PdfReader(out).pages[0].extract_text()
    assert len(history(two_briefings, 2)) == 1 and history(two_briefings, 1) == []


@pytest.mark.parametrize(
    ("label", "status", "marking"),
    [("amber", 0, "TLP:AMBER"), ("TLP:RED", 0, "TLP:RED"), ("clear", 1, None)],
)
def test_tlp_option(demo_path: Path, tmp_path, capsys, label, status, marking) -> None:
    out = tmp_path / "x.pdf"
    assert main(["export", str(demo_path), "-o", str(out), "--tlp", label]) == status
    if marking is None:
        assert "cannot carry the lower label TLP:CLEAR" in capsys.readouterr().err
        assert not out.exists()
    else:
        assert marking in PdfReader(out).pages[1].extract_text()


def test_tlp_refusal_is_one_error_line(demo_path: Path, tmp_path, capsys) -> None:
    from briefing.services import records

    with open_project(demo_path, "Ana") as project:
        records.update_record(project, "statement", 1, {"tlp": "RED"})
    assert main(["export", str(demo_path), "-o", str(tmp_path / "x.pdf")]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "(TLP:RED)" in error and "Traceback" not in error


def test_a_project_held_by_another_analyst_exports_without_record(demo_path, tmp_path, capsys):
    lock_path(demo_path).write_text(
        '{"analyst": "Bob", "host": "elsewhere", "pid": 1, "since": "2999-01-01T00:00:00+00:00"}'
    )
    assert main(["export", str(demo_path), "-o", str(tmp_path / "x.pdf")]) == 0
    assert "not recorded" in capsys.readouterr().err
    assert (tmp_path / "x.pdf").exists() and history(demo_path) == []


def _landscape_pages(path: Path) -> int:
    return sum(p.mediabox.width > p.mediabox.height for p in PdfReader(path).pages)


def test_timeline_pages_are_chosen_and_kept_in_the_project(demo_path: Path, tmp_path) -> None:
    out = tmp_path / "x.pdf"
    assert main(["export", str(demo_path), "-o", str(out)]) == 0
    assert _landscape_pages(out) == 0  # two short timelines: portrait by length
    assert main(["export", str(demo_path), "-o", str(out), "--landscape"]) == 0
    assert _landscape_pages(out) == 2
    assert main(["export", str(demo_path), "-o", str(out)]) == 0
    assert _landscape_pages(out) == 2  # kept in the project
    assert main(["export", str(demo_path), "-o", str(out), "--pages-by-length"]) == 0
    assert _landscape_pages(out) == 0


def test_timeline_pages_apply_to_pdf_only(demo_path: Path, tmp_path, capsys) -> None:
    assert main(["export", str(demo_path), "-o", str(tmp_path / "x.docx"), "--portrait"]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "apply to PDF export" in error
    assert not (tmp_path / "x.docx").exists()


def test_progress_is_quiet_when_piped(demo_path: Path, tmp_path, capsys) -> None:
    assert main(["export", str(demo_path), "-o", str(tmp_path / "x.pdf")]) == 0
    assert main(["export", str(demo_path), "-o", str(tmp_path / "x.docx")]) == 0
    assert capsys.readouterr().err == ""


def test_progress_is_drawn_on_a_terminal(demo_path: Path, tmp_path, monkeypatch) -> None:
    import io

    from briefing import terminal

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    monkeypatch.setattr(terminal.sys, "stderr", screen)
    monkeypatch.setattr(terminal, "SHOW_AFTER_SECONDS", 0.0)
    monkeypatch.setattr(terminal, "REDRAW_SECONDS", 0.0)
    assert main(["export", str(demo_path), "-o", str(tmp_path / "x.pdf")]) == 0
    assert "Exporting PDF: [" in screen.getvalue() and "Laid out page" in screen.getvalue()
