"""The window shows every script with the shipped fonts, right to left where the text is."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QFontMetrics

from briefing.gui.app import application
from briefing.gui.document import ProjectDocument
from briefing.gui.inspector.panel import Inspector
from briefing.gui.library.model import LibraryModel
from briefing.services import records

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from world import SAMPLES, world_project  # noqa: E402

FAMILIES = ("Noto Sans Arabic", "Noto Sans Hebrew", "Noto Sans Georgian", "Noto Sans Ethiopic",
            "Noto Sans Myanmar", "Noto Sans Devanagari", "Noto Sans Thai", "WenQuanYi Micro Hei",
            "Symbola")  # fmt: skip


@pytest.fixture
def world(tmp_path):
    project = world_project(tmp_path / "world.brief")
    document = ProjectDocument(project)
    yield document
    document.close()


def test_the_shipped_fonts_are_registered_and_fall_back_for_every_script(qapp) -> None:
    app = application()
    assert set(FAMILIES) <= set(QFontDatabase.families())
    assert set(FAMILIES) <= set(app.font().families())
    for family, letter in zip(FAMILIES, "قשქአမहก中😀", strict=True):
        assert QFontMetrics(QFontDatabase.font(family, "", 10)).inFontUcs4(ord(letter)), family


@pytest.fixture
def inspector(qtbot, world):
    panel = Inspector(world)
    world.changed.connect(panel.apply_change)
    qtbot.addWidget(panel)
    panel.resize(420, 800)
    panel.show()
    return panel


def test_an_arabic_quote_reads_right_to_left_and_a_latin_one_left_to_right(inspector) -> None:
    inspector.show_record("statement", 1)
    quote = inspector.forms["statement"].field_for("quote").edit
    assert quote.toPlainText() == SAMPLES[0][3]
    option = quote.document().defaultTextOption()
    assert option.textDirection() == Qt.LayoutDirection.RightToLeft
    assert option.alignment() & Qt.AlignmentFlag.AlignRight
    inspector.show_record("statement", 12)
    assert quote.document().defaultTextOption().textDirection() == Qt.LayoutDirection.LeftToRight


def test_a_character_no_font_has_is_noted_at_its_field_and_still_saved(inspector) -> None:
    records.update_record(inspector.document.project, "statement", 2, {"quote": "Seal \U00017000"})
    inspector.show_record("statement", 2)
    form = inspector.forms["statement"]
    assert form.error_text("quote").startswith("No shipped font has U+17000; the PDF prints □")
    assert form.error_text("translation") == ""
    form.field_for("quote").edit.setPlainText("Seal")
    form.field_for("quote").edited.emit()
    assert form.error_text("quote") == ""
    assert records.get_record(inspector.document.project, "statement", 2)["quote"] == "Seal"


def test_right_to_left_list_cells_are_aligned_right(world, qtmodeltester) -> None:
    model = LibraryModel(world, "party")
    qtmodeltester.check(model, force_py=True)
    names = {model.index(r, 0).data(): r for r in range(model.rowCount())}
    arabic = model.index(names["وزارة الدفاع"], 0).data(Qt.ItemDataRole.TextAlignmentRole)
    georgian_row = names["საქართველოს თავდაცვის სამინისტრო"]
    georgian = model.index(georgian_row, 0).data(Qt.ItemDataRole.TextAlignmentRole)
    assert arabic & Qt.AlignmentFlag.AlignRight
    assert not georgian or not georgian & Qt.AlignmentFlag.AlignRight


def test_the_bottom_line_reads_right_to_left_when_it_is_hebrew(qtbot) -> None:
    from briefing.gui.composer.text_edit import CommittingTextEdit

    edit = CommittingTextEdit()
    qtbot.addWidget(edit)
    edit.set_saved_text(SAMPLES[2][3])
    assert edit.document().defaultTextOption().textDirection() == Qt.LayoutDirection.RightToLeft
    edit.set_saved_text("Armenia asks Russia for help")
    assert edit.document().defaultTextOption().textDirection() == Qt.LayoutDirection.LeftToRight


def test_the_export_message_lists_the_warnings(tmp_path) -> None:
    from briefing.export.pdf import PdfResult
    from briefing.gui.export_pdf import _done_message
    from briefing.model.vocab import Tlp

    warning = "statement “X”, field quote: no shipped font shows U+17000; printed as □."
    result = PdfResult(tmp_path / "a.pdf", 3, "0" * 64, 100, Tlp.GREEN, (warning,))
    assert _done_message(result, read_only=False).endswith(f"\n\nWarning: {warning}")
