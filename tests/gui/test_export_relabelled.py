"""A colleague marks a record more strictly while the export's file dialog is open.

The marking check reads the briefing before the file dialog; a record relabelled
(from a second connection) while the dialog is open must not be written under
the old label: the export reads again and refuses or asks to raise, as it does
for any read. PDF and Word alike; the files are read back.
"""

from __future__ import annotations

import pytest
from export_answers import open_window
from pypdf import PdfReader
from test_export_gui import answers, exported  # noqa: F401

from briefing.gui import export_pdf
from briefing.gui.exports import word
from briefing.gui.exports.word_options import WordOptions
from briefing.model.vocab import Tlp
from briefing.services import records
from briefing.services.pdf_export import export_history
from briefing.store.project import open_project


def _quote(project, statement_id: int) -> str:
    return str(records.get_record(project, "statement", statement_id)["quote"])


def _relabel_behind(path, kind: str, record_id: int, label: str) -> None:
    """What a colleague does meanwhile: another connection, through the service layer."""
    other = open_project(path, "Colleague")
    try:
        records.update_record(other, kind, record_id, {"tlp": label})
    finally:
        other.close()


@pytest.mark.parametrize("accept", [True, False])
def test_a_record_relabelled_during_the_pdf_dialog_is_not_written_under_the_old_label(
    qtbot,
    answers,  # noqa: F811
    demo_path,
    monkeypatch,
    accept,
) -> None:
    window = open_window(qtbot, demo_path, (1400, 900))
    project = window.document.project
    quote = " ".join(_quote(project, 1).split()[:4])
    asked = export_pdf.ask_pdf_path

    def ask_path(parent, suggested):
        _relabel_behind(demo_path, "statement", 1, "RED")
        return asked(parent, suggested)

    monkeypatch.setattr(export_pdf, "ask_pdf_path", ask_path)
    answers.raise_label = accept
    window.export_pdf_action.trigger()

    ((message, label, _verb),) = answers.seen["raise"]  # asked after the dialog, not before
    assert label is Tlp.RED and "TLP:RED" in message
    if not accept:
        assert not exported(answers).exists() and export_history(project, 1) == []
        return
    pages = [" ".join((p.extract_text() or "").split()) for p in PdfReader(exported(answers)).pages]
    assert all("TLP:RED" in p for p in pages)
    assert "Raised from TLP:GREEN" in pages[0]  # the cover says why
    assert not any("TLP:GREEN" in p for p in pages[1:])
    assert quote in " ".join(pages)  # printed, but only under the raised label


def test_an_unchanged_briefing_is_written_from_the_read_before_the_dialog(
    qtbot,
    answers,  # noqa: F811
    demo_path,
    monkeypatch,
) -> None:
    window = open_window(qtbot, demo_path, (1400, 900))
    asked = export_pdf.ask_pdf_path
    monkeypatch.setattr(
        export_pdf,
        "ask_pdf_path",
        lambda parent, s: _relabel_behind(demo_path, "statement", 1, "CLEAR") or asked(parent, s),
    )
    window.export_pdf_action.trigger()  # a looser label needs no new read nor question
    assert exported(answers).exists() and "raise" not in answers.seen


def test_a_record_relabelled_during_the_word_dialog_is_asked_about_again(
    qtbot, monkeypatch, demo_path, tmp_path
) -> None:
    seen: dict[str, list[object]] = {}
    path = tmp_path / "brief.docx"

    def ask_path(parent, suggested):
        _relabel_behind(demo_path, "entry", 3, "RED")
        return path

    monkeypatch.setattr(
        word, "ask_word_options", lambda p, rows, current, *a: WordOptions(rows[0].id, False, None)
    )
    monkeypatch.setattr(word, "ask_docx_path", ask_path)
    monkeypatch.setattr(word, "offer_to_open", lambda p, m: False)
    monkeypatch.setattr(
        export_pdf,
        "ask_raise_label",
        lambda p, message, label, verb: seen.setdefault("raise", []).append(label) or False,
    )
    monkeypatch.setattr(export_pdf, "show_export_failure", lambda p, m: None)
    window = open_window(qtbot, demo_path, (1200, 800))
    window.export_word_action.trigger()
    assert seen["raise"] == [Tlp.RED]  # declined: nothing written under the old label
    assert not path.exists()


def test_a_record_only_the_changes_section_names_is_not_printed_once_marked_stricter(
    qtbot,
    answers,  # noqa: F811
    demo_path,
    monkeypatch,
) -> None:
    from briefing.services.editions import freeze_edition

    with open_project(demo_path, "Ana") as project:
        freeze_edition(project, 1)
        body = records.get_record(project, "briefing", 1)
        item = body["sections"][0]["items"].pop(1)  # now named only by "Removed"
        records.update_record(project, "briefing", 1, {"sections": body["sections"]})
        with project.engine.connect() as connection:
            record_id = records.id_of(connection, item["kind"], item["ref"])
        title = records.get_record(project, item["kind"], record_id)["title"]
    window = open_window(qtbot, demo_path, (1400, 900))
    asked = export_pdf.ask_pdf_path

    def ask_path(parent, suggested):
        _relabel_behind(demo_path, item["kind"], record_id, "RED")
        return asked(parent, suggested)

    monkeypatch.setattr(export_pdf, "ask_pdf_path", ask_path)
    answers.changes = True
    window.export_pdf_action.trigger()

    text = " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(exported(answers)).pages
    )
    assert "Changes since edition 1" in text and "TLP:GREEN" in text
    assert " ".join(title.split()) not in text  # read again: the RED record is left out
    assert "raise" not in answers.seen  # the section holds only what GREEN may hold
