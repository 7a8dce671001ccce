"""Tooltips show a record's text as it was written, markup characters and all."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtGui import QHelpEvent, QTextDocument
from PySide6.QtWidgets import QApplication, QLabel, QToolTip
from window_helpers import open_demo_window

from briefing.gui.plain_tip import LONGEST_TIP, plain_tip
from briefing.services import records
from briefing.store import open_project

HOSTILE = [
    "Shelling <b>near</b> Sotk & Jermuk, per the ministry's statement",
    "<img src='file:///etc/hosts'> Casualties reported at the border posts",
    "<a href='https://example.invalid/'>Official</a> figures: 4 wounded, 1 <killed>",
    "Line one <i>kept</i>\nline   two with   spaces\n\nand a <!-- hidden --> comment",
]
_TAG = re.compile(r"<[A-Za-z!/]")


def shown(tip: str) -> str:
    """What a tooltip label shows: rich text when its first line looks like markup (as Qt)."""
    first = tip.split("\n", 1)[0]
    if not _TAG.search(first):
        return tip
    document = QTextDocument()
    document.setHtml(tip)
    return document.toPlainText().replace("\u2029", "\n").replace("\u2028", "\n")


@pytest.mark.parametrize("text", HOSTILE)
def test_a_tip_shows_every_character_of_its_text(qapp, text: str) -> None:
    assert shown(plain_tip(text)) == text


def test_a_long_text_is_cut_for_the_tip_and_no_tip_for_none(qapp) -> None:
    assert shown(plain_tip("<b>" * 2000)) == ("<b>" * 2000)[:LONGEST_TIP] + "…"
    assert plain_tip("") == "" and plain_tip(None) == ""


def test_hovering_a_library_row_shows_its_title_as_written(qtbot, demo_path: Path) -> None:
    title = HOSTILE[0]
    with open_project(demo_path, "Test analyst") as project:
        records.create_record(
            project,
            "entry",
            {"title": title, "start_utc": "2021-11-16T04:00:00.000000Z", "zone": "Asia/Yerevan"},
        )
    window = open_demo_window(qtbot, demo_path)
    pane = window.library.panes["entry"]
    window.library.setCurrentWidget(pane)
    pane.filter_bar.search.setFocus()
    qtbot.keyClicks(pane.filter_bar.search, "Jermuk")
    qtbot.waitUntil(lambda: pane.model.rowCount() == 1)
    table = pane.table
    column = next(
        c for c in range(pane.model.columnCount()) if pane.model.index(0, c).data() == title
    )
    where = table.visualRect(pane.model.index(0, column)).center()
    event = QHelpEvent(QEvent.Type.ToolTip, where, table.viewport().mapToGlobal(where))
    QApplication.sendEvent(table.viewport(), event)
    qtbot.waitUntil(QToolTip.isVisible)
    label = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "qtooltip_label")
    assert isinstance(label, QLabel)
    assert shown(label.text()) == title
    QToolTip.hideText()
