"""The map as a section item: added in the composer by keyboard, printed where it stands."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton

from briefing.export.docx.writer import export_docx
from briefing.export.map_block import MAP_TITLE
from briefing.export.pdf import export_pdf
from briefing.export.snapshot import MapBlock
from briefing.gui.composer.composer import ComposerWidget
from briefing.gui.composer.outline_model import RECORD_ROLE
from briefing.gui.document import ProjectDocument
from briefing.services import briefings, records
from briefing.services.briefing_snapshot import build_snapshot


def without_maps(project) -> None:
    """The demo briefing with no map placed, so each test places its own."""
    body = records.get_record(project, "briefing", 1)
    for section in body["sections"]:
        section["items"] = [i for i in section["items"] if i["kind"] != "map"]
    records.update_record(project, "briefing", 1, {"sections": body["sections"]})


@pytest.fixture
def composer(qtbot, demo_project):
    without_maps(demo_project)
    widget = ComposerWidget(ProjectDocument(demo_project))
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def kinds(widget: ComposerWidget, section: int) -> list[str]:
    model = widget.outline_model
    parent = model.index(section, 0)
    return [model.index(r, 1, parent).data().split(" · ")[0] for r in range(model.rowCount(parent))]


def test_the_map_is_added_after_the_current_item_by_keyboard(qtbot, qtmodeltester, composer):
    model = composer.outline_model
    composer.outline.setFocus()
    composer.outline.setCurrentIndex(model.index(0, 0, model.index(1, 0)))  # first statement
    qtbot.keyClick(composer.outline, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
    assert kinds(composer, 1)[:3] == ["statement", "map", "statement"]
    item = model.index(1, 0, model.index(1, 0))
    assert item.data() == "Map of events" and item.data(RECORD_ROLE) is None
    qtmodeltester.check(model, force_py=True)
    assert composer.document.undo_stack.count() == 1
    composer.add_map_action.trigger()  # a section shows the map once
    assert kinds(composer, 1).count("map") == 1
    composer.outline.setCurrentIndex(item)
    qtbot.keyClick(composer.outline, Qt.Key.Key_Delete)
    assert "map" not in kinds(composer, 1)
    composer.document.undo_stack.undo()
    assert "map" in kinds(composer, 1)


def test_the_add_map_button_is_in_the_outline_tools(composer) -> None:
    buttons = composer.outline_tools.findChildren(QToolButton)
    assert composer.add_map_action in [b.defaultAction() for b in buttons]


def page_of(pages: list[str], text: str) -> int:
    return next(n for n, page in enumerate(pages) if text in page)


def test_pdf_and_word_print_the_map_where_the_analyst_put_it(demo_project, tmp_path: Path):
    without_maps(demo_project)
    briefings.add_map(demo_project, 1, 2, 0)  # first in "Alliance context"
    snapshot = build_snapshot(demo_project, 1)
    assert isinstance(snapshot.sections[2].blocks[0], MapBlock) and snapshot.map_placed
    export_pdf(snapshot, tmp_path / "map.pdf")
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(tmp_path / "map.pdf").pages]
    assert sum(page.count(MAP_TITLE) for page in pages) == 1  # not after the first timeline
    assert page_of(pages, MAP_TITLE) >= page_of(pages, "3. Alliance context")
    export_docx(snapshot, tmp_path / "map.docx")
    document = Document(str(tmp_path / "map.docx"))
    texts = [p.text for p in document.paragraphs]
    assert texts.count(MAP_TITLE) == 1
    assert texts.index(MAP_TITLE) > texts.index("3. Alliance context")
