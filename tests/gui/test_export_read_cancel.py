"""Cancel pressed while a large briefing is still being read, before anything is laid out.

The read runs on the window's thread a few records at a time; a real click on the
progress dialog's Cancel stops it there: no file, no history row, the project
file byte for byte as it was, and the window exports again afterwards.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from export_answers import open_window
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton
from test_export_gui import _large_project, answers, exported  # noqa: F401

from briefing.export import timeline
from briefing.gui import export_pdf
from briefing.services import briefing_snapshot
from briefing.services.pdf_export import export_history

ENTRIES = 120


def _press_cancel_in(window, title: str, pressed: list[int], built: list[int]) -> None:
    """Click Cancel on the dialog titled ``title`` once it shows the read going on."""
    shown = [
        d
        for d in window.findChildren(QProgressDialog)
        if d.isVisible() and d.windowTitle() == title
    ]
    if not shown or shown[0].labelText() != briefing_snapshot.READING or len(built) < 10:
        QTimer.singleShot(1, lambda: _press_cancel_in(window, title, pressed, built))
        return
    pressed.append(len(built))
    QTest.mouseClick(shown[0].findChild(QPushButton), Qt.MouseButton.LeftButton)


@pytest.mark.parametrize("title", [export_pdf.CHECKING, "Exporting PDF"])
def test_cancel_stops_the_read_and_nothing_is_written(
    qtbot,
    answers,  # noqa: F811
    monkeypatch,
    tmp_path: Path,
    title: str,
) -> None:
    path = _large_project(tmp_path / "large.brief", ENTRIES)
    window = open_window(qtbot, path, (1400, 900))
    before = path.read_bytes()
    monkeypatch.setattr(export_pdf, "PROGRESS_DELAY_MS", 0)
    monkeypatch.setattr(briefing_snapshot, "_BUILT_STEP", 1)  # a step per entry
    built: list[int] = []
    rows: list[int] = []
    real_entry, real_row = briefing_snapshot._Builder._entry, timeline._row

    def entry(self, record):
        built.append(1)
        return real_entry(self, record)

    def row(*args, **kwargs):
        rows.append(1)
        return real_row(*args, **kwargs)

    monkeypatch.setattr(briefing_snapshot._Builder, "_entry", entry)
    monkeypatch.setattr(timeline, "_row", row)
    pressed: list[int] = []
    QTimer.singleShot(1, lambda: _press_cancel_in(window, title, pressed, built))
    window.export_pdf_action.trigger()

    reads = 2 if title != export_pdf.CHECKING else 1  # the marking check reads it first
    assert pressed and len(built) < reads * ENTRIES  # stopped inside the read
    assert len(built) <= (reads - 1) * ENTRIES + pressed[0] + 2
    assert rows == []  # nothing was laid out
    assert list(exported(answers).parent.iterdir()) == []
    assert export_history(window.document.project, 1) == [] and "done" not in answers.seen
    assert "failure" not in answers.seen  # a cancel is not a failure to explain
    assert QApplication.activeModalWidget() is None
    assert path.read_bytes() == before

    monkeypatch.setattr(briefing_snapshot._Builder, "_entry", real_entry)
    window.export_pdf_action.trigger()  # the window still exports
    assert exported(answers).exists() and "done" in answers.seen
    assert len(rows) == 2 * ENTRIES  # measured, then made again a page at a time
