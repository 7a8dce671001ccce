"""Cancel pressed while a large briefing is still being read, before anything is laid out.

The read runs on the window's thread a few records at a time; a real click on the
progress dialog's Cancel stops it there: no file, no history row, the project
file byte for byte as it was, and the window exports again afterwards, reading
the briefing once (the marking check's read is the export's). The preview tab
reads the same way, under its own bar and Cancel.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from export_answers import open_window
from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton
from test_export_gui import _large_project, answers, exported, preview_pane  # noqa: F401

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


@pytest.fixture
def large(qtbot, answers, tmp_path: Path):  # noqa: F811
    """A window open on a project whose briefing holds ``ENTRIES`` timeline entries."""
    window = open_window(qtbot, _large_project(tmp_path / "large.brief", ENTRIES), (1400, 900))
    qtbot.waitUntil(lambda: not window.composer.marking.busy, timeout=30000)  # its own read
    return window


@pytest.fixture
def counted(monkeypatch) -> tuple[list[int], list[int]]:
    """Entries read and timeline rows made, a read step per entry."""
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
    return built, rows


def test_cancel_stops_the_read_and_nothing_is_written(answers, large, counted) -> None:  # noqa: F811
    window, (built, rows) = large, counted
    path = window.document.project.path
    before = path.read_bytes()
    pressed: list[int] = []
    QTimer.singleShot(1, lambda: _press_cancel_in(window, export_pdf.CHECKING, pressed, built))
    window.export_pdf_action.trigger()

    assert pressed and len(built) <= pressed[0] + 2 < ENTRIES  # stopped inside the read
    assert rows == []  # nothing was laid out
    assert list(exported(answers).parent.iterdir()) == []
    assert export_history(window.document.project, 1) == [] and "done" not in answers.seen
    assert "failure" not in answers.seen  # a cancel is not a failure to explain
    assert QApplication.activeModalWidget() is None
    assert path.read_bytes() == before

    built.clear()
    window.export_pdf_action.trigger()  # the window still exports
    assert exported(answers).exists() and "done" in answers.seen
    assert len(built) == ENTRIES  # read once: the marking check's read is the export's
    assert len(rows) == 2 * ENTRIES  # measured, then made again a page at a time


def test_a_refusal_asks_without_reading_again(answers, large, counted) -> None:  # noqa: F811
    from briefing.model import TimelineEntry
    from briefing.model.vocab import Tlp

    window, (built, _rows) = large, counted
    with window.document.project.transaction() as session:
        session.get(TimelineEntry, 7).tlp = Tlp.RED
    window.export_pdf_action.trigger()
    assert answers.seen["raise"][0][1] is Tlp.RED
    assert exported(answers).exists() and len(built) == ENTRIES  # asked, raised, one read
    assert "TLP:RED" in "".join(
        page.extract_text() for page in PdfReader(exported(answers)).pages[:1]
    )

    pane = preview_pane(window)
    pane.render.cancel()
    built.clear()
    assert pane.refresh() and len(answers.seen["raise"]) == 2
    assert len(built) == ENTRIES  # refused after its read, raised without a second one


def test_cancel_stops_the_preview_s_read(answers, large, counted) -> None:  # noqa: F811
    window, (built, rows) = large, counted
    pane = preview_pane(window)
    pane.render.cancel()
    pressed: list[int] = []
    title = "Laying out the preview"
    QTimer.singleShot(1, lambda: _press_cancel_in(window, title, pressed, built))
    assert not pane.refresh()
    assert pressed and len(built) <= pressed[0] + 2 < ENTRIES and rows == []
    assert pane.page_count_shown() == 0 and "failure" not in answers.seen
    assert QApplication.activeModalWidget() is None


def test_the_preview_tab_reads_under_a_bar_with_cancel(qtbot, large, counted) -> None:
    """Shown the first time, the tab reads and lays out between events, with Cancel at hand."""
    window, (built, rows) = large, counted
    pane = preview_pane(window)
    pane.render.cancel()
    assert pane.render_in_background() and pane.render.busy
    assert pane.progress_row.isVisible() and pane.cancel_button.isVisible()
    shown: list[str] = []

    def press_cancel(run: int, fraction: float, message: str) -> None:
        if len(built) >= 10 and not shown:  # a real click, once the read is well under way
            shown.append(pane.progress.format())
            QTimer.singleShot(
                0, lambda: QTest.mouseClick(pane.cancel_button, Qt.MouseButton.LeftButton)
            )

    pane.render.progressed.connect(press_cancel)
    qtbot.waitUntil(lambda: not pane.render.busy, timeout=30000)
    pane.render.progressed.disconnect(press_cancel)
    assert shown[0].startswith(briefing_snapshot.READING)
    stopped_at = len(built)
    assert stopped_at < 20  # at most a few steps after the click was queued
    assert not pane.render.busy and not pane.progress_row.isVisible()
    assert "stopped" in pane.status.text() and pane.page_count_shown() == 0
    qtbot.wait(50)
    assert len(built) == stopped_at < ENTRIES and rows == []
    assert list(pane._folder.glob("*.pdf")) == []

    assert pane.render_in_background()  # laid out in full when let be
    qtbot.waitUntil(lambda: not pane.render.busy, timeout=60000)
    assert pane.page_count_shown() > 0 and not pane.progress_row.isVisible()
    assert len(built) == stopped_at + ENTRIES


def test_closing_the_project_mid_read_stops_the_preview_cleanly(qtbot, large, counted) -> None:
    window, (built, _rows) = large, counted
    pane = preview_pane(window)
    closed_at: list[int] = []

    def close_mid_read(run: int, fraction: float, message: str) -> None:
        if len(built) >= 5 and not closed_at and message == briefing_snapshot.READING:
            closed_at.append(len(built))
            QTimer.singleShot(0, window.close_project)

    pane.render.progressed.connect(close_mid_read)
    qtbot.waitUntil(lambda: window.document is None, timeout=30000)
    qtbot.wait(20)  # the read's session ended before the file closed: no error in the loop
    assert closed_at and len(built) < ENTRIES


def test_the_composer_checks_the_marking_a_step_at_a_time(
    qtbot, large, counted, monkeypatch
) -> None:
    """The check never holds the window; a newer check drops the read under way."""
    window, (built, _rows) = large, counted
    tab = next(
        i for i in range(window.workspace.count()) if window.workspace.tabText(i) == "Briefing"
    )
    window.workspace.setCurrentIndex(tab)
    composer = window.composer
    qtbot.waitUntil(lambda: not composer.marking.busy, timeout=30000)
    built.clear()
    checked: list[str] = []
    composer.marking.checked.connect(checked.append)
    counting = briefing_snapshot._Builder._entry

    def entry(self, record):
        if len(built) == 10:  # well into the read: the analyst pauses again
            QTimer.singleShot(0, lambda: composer.marking.schedule(composer.briefing_id, True))
        return counting(self, record)

    monkeypatch.setattr(briefing_snapshot._Builder, "_entry", entry)
    composer.marking.schedule(composer.briefing_id, now=True)
    assert composer.marking.busy and built == []  # begun, not read in one go
    qtbot.waitUntil(lambda: checked != [], timeout=30000)
    assert checked == [""]  # announced once, by the second read, read in full
    assert ENTRIES + 10 < len(built) < ENTRIES + 15  # the first read was dropped a step later
    assert not composer.marking.busy and composer.banner.isHidden()
