"""File ▸ Export Word…: options with the house template, progress, refusals, open afterwards."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from export_answers import Noted, answer_shared_dialogs, open_window
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from briefing.gui import export_pdf
from briefing.gui.exports import word, word_options
from briefing.gui.exports.word_options import NO_TEMPLATE, WordOptions, WordOptionsDialog
from briefing.gui.main_window import MainWindow
from briefing.services import records
from briefing.services.briefings import list_briefings
from briefing.services.docx_export import house_template
from briefing.services.pdf_export import export_history

HOUSE = Path(__file__).parent.parent / "fixtures" / "house" / "house.docx"


@dataclass
class Answers(Noted):
    path: Path
    template: Path | None = HOUSE
    raise_label: bool = True
    open_it: bool = True


@pytest.fixture
def answers(monkeypatch, tmp_path) -> Answers:
    answers = Answers(tmp_path / "brief")

    def ask_options(parent, rows, current, with_editions, changes, template, folder):
        answers.note("options", template)
        return WordOptions(current or rows[0].id, False, answers.template)

    def ask_path(parent, suggested):
        answers.note("suggested", suggested)
        return answers.path

    def offer(parent, message):
        answers.note("done", message)
        return answers.open_it

    monkeypatch.setattr(word, "ask_word_options", ask_options)
    monkeypatch.setattr(word, "ask_docx_path", ask_path)
    monkeypatch.setattr(word, "offer_to_open", offer)
    answer_shared_dialogs(monkeypatch, answers)
    return answers


@pytest.fixture
def window(qtbot, answers, demo_path) -> MainWindow:
    return open_window(qtbot, demo_path, (1200, 800))


def header(path: Path) -> str:
    return "".join(p.text for p in docx.Document(str(path)).sections[0].header.paragraphs)


def test_the_file_menu_offers_word_export(window) -> None:
    file_menu = window.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions()]
    assert texts.index("Export &Word…") == texts.index("&Export PDF…") + 1
    assert window.export_word_action.isEnabled()


def test_export_writes_records_remembers_the_template_and_opens(window, answers) -> None:
    window.export_word_action.trigger()
    target = answers.path.with_suffix(".docx")
    assert "Example Analysis Unit" in header(target) and "TLP:GREEN" in header(target)
    assert answers.seen["opened"] == [target]
    assert answers.seen["suggested"][0].name == "Armenia–Azerbaijan border clashes 2021-11-16.docx"
    project = window.document.project
    assert house_template(project) == HOUSE
    assert [h.file_name for h in export_history(project, 1)] == ["brief.docx"]
    window.export_word_action.trigger()
    assert answers.seen["options"] == [None, HOUSE]  # remembered for the next export


def test_a_stricter_record_offers_to_raise_the_label(window, answers) -> None:
    records.update_record(window.document.project, "entry", 3, {"tlp": "AMBER"})
    window.export_word_action.trigger()
    ((message, label, _verb),) = answers.seen["raise"]
    assert "Raise the label to TLP:AMBER" in message
    assert "TLP:AMBER" in header(answers.path.with_suffix(".docx"))


def test_declining_to_raise_writes_nothing(window, answers) -> None:
    answers.raise_label = False
    records.update_record(window.document.project, "entry", 3, {"tlp": "RED"})
    window.export_word_action.trigger()
    assert not answers.path.with_suffix(".docx").exists()
    assert export_history(window.document.project, 1) == []


def test_a_broken_template_is_said_in_one_sentence(window, answers, tmp_path) -> None:
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a document")
    answers.template = broken
    window.export_word_action.trigger()
    assert answers.seen["failure"] == [
        "The template broken.docx is not a Word document that can be read."
    ]
    assert not answers.path.with_suffix(".docx").exists()


def test_cancel_stops_before_the_file_is_written(window, answers, monkeypatch) -> None:
    monkeypatch.setattr(export_pdf.QProgressDialog, "wasCanceled", lambda self: True)
    window.export_word_action.trigger()
    assert not answers.path.with_suffix(".docx").exists()
    assert "done" not in answers.seen


def test_options_dialog_chooses_and_clears_the_template(qtbot, demo_project, monkeypatch) -> None:
    monkeypatch.setattr(word_options, "ask_template_path", lambda parent, start: HOUSE)
    rows = list_briefings(demo_project)
    dialog = WordOptionsDialog(None, rows, 1, set(), False, None, HOUSE.parent)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.template_label.text() == NO_TEMPLATE and not dialog.clear.isEnabled()
    choose = dialog.findChild(word_options.QPushButton, "wordTemplateChoose")
    QTest.mouseClick(choose, Qt.MouseButton.LeftButton)
    assert dialog.template_label.text() == "house.docx"
    assert dialog.word_options() == WordOptions(1, False, HOUSE)
    QTest.mouseClick(dialog.clear, Qt.MouseButton.LeftButton)
    assert dialog.word_options().template is None
    assert dialog.windowTitle() == "Export Word"


def test_done_message_offers_to_open_the_document(qtbot) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    seen: list[str] = []

    def press_open() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        button = next(b for b in box.buttons() if b.text() == "Open Document")
        seen.append(box.windowTitle())
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(50, press_open)
    assert word.offer_to_open(None, "Exported a Word document marked TLP:GREEN to x.docx.")
    assert seen == ["Word document exported"]


def test_a_template_missing_here_is_not_offered_nor_forgotten(window, answers, tmp_path) -> None:
    from briefing.services.docx_export import remember_template

    elsewhere = tmp_path / "elsewhere" / "house.docx"
    remember_template(window.document.project, elsewhere)
    answers.template = None  # the analyst keeps the clean style offered
    window.export_word_action.trigger()
    assert answers.seen["options"] == [None]
    assert answers.path.with_suffix(".docx").exists()
    assert house_template(window.document.project) == elsewhere


def test_declining_the_marking_never_opens_the_file_dialog(window, answers) -> None:
    answers.raise_label = False
    records.update_record(window.document.project, "entry", 3, {"tlp": "RED"})
    window.export_word_action.trigger()
    assert "raise" in answers.seen and "suggested" not in answers.seen
