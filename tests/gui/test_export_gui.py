"""File ▸ Export PDF…, the PDF preview tab and the export history, driven as a user would."""

from __future__ import annotations

import errno
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from export_answers import Noted, answer_shared_dialogs, open_window
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from briefing import files
from briefing.gui import export_pdf
from briefing.gui.export_history import ExportHistoryModel
from briefing.gui.export_options import ExportOptions, ExportOptionsDialog
from briefing.gui.main_window import MainWindow
from briefing.gui.pdf_preview import PdfPreviewPane
from briefing.gui.settings import AppSettings
from briefing.model.vocab import Tlp
from briefing.services import briefings, records
from briefing.services.editions import freeze_edition
from briefing.services.pdf_export import ExportEntry, export_history

TITLE = "Armenia–Azerbaijan border clashes"


@dataclass
class Answers(Noted):
    """What the export dialogs answer, and what they were shown."""

    path: Path | None = None
    raise_label: bool = True
    open_pdf: bool = False
    briefing: int | None = None
    changes: bool = False
    pages: str | None = None
    """The timeline pages to choose; None keeps the one offered."""


@pytest.fixture
def answers(monkeypatch, tmp_path) -> Answers:
    answers = Answers(path=tmp_path / "out" / "brief")
    answers.path.parent.mkdir()

    def ask_path(parent, suggested):
        answers.note("suggested", suggested)
        return answers.path

    def ask_options(parent, rows, current, with_editions, changes, pages="auto"):
        answers.note("options", (len(rows), current, sorted(with_editions), changes))
        answers.note("pages", pages)
        chosen = answers.briefing or current or rows[0].id
        wanted = answers.changes and chosen in with_editions
        return ExportOptions(chosen, wanted, answers.pages or pages)

    def offer(parent, message):
        answers.note("done", message)
        return answers.open_pdf

    monkeypatch.setattr(export_pdf, "ask_pdf_path", ask_path)
    monkeypatch.setattr(export_pdf, "ask_export_options", ask_options)
    monkeypatch.setattr(export_pdf, "offer_to_open", offer)
    answer_shared_dialogs(monkeypatch, answers)
    return answers


@pytest.fixture
def window(qtbot, answers, demo_path) -> MainWindow:
    return open_window(qtbot, demo_path, (1400, 900))


def exported(answers: Answers) -> Path:
    assert answers.path is not None
    return answers.path.with_suffix(".pdf")


def preview_pane(window: MainWindow) -> PdfPreviewPane:
    index = next(
        i for i in range(window.workspace.count()) if window.workspace.tabText(i) == "PDF Preview"
    )
    window.workspace.setCurrentIndex(index)
    pane = window.workspace.widget(index)
    assert isinstance(pane, PdfPreviewPane)
    return pane


def pdf_text(path: Path) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(path).pages)


def mark(window: MainWindow, kind: str, record_id: int, label: str) -> None:
    assert window.document is not None
    records.update_record(window.document.project, kind, record_id, {"tlp": label})


# ---------------------------------------------------------------------------- export


def test_export_action_writes_the_pdf_records_it_and_offers_to_open(window, answers) -> None:
    answers.open_pdf = True
    pane = preview_pane(window)
    window.export_pdf_action.trigger()
    target = exported(answers)
    assert TITLE in pdf_text(target)
    assert answers.seen["suggested"] == [
        window.document.project.path.parent / f"{TITLE} 2021-11-16.pdf"
    ]
    assert answers.seen["opened"] == [target]
    assert "Exported 6 pages marked TLP:GREEN" in answers.seen["done"][0]
    history = export_history(window.document.project, 1)
    assert [(h.file_name, h.analyst, h.pages) for h in history] == [
        ("brief.pdf", "Test analyst", 6)
    ]
    shown = pane.history.model
    assert shown.rowCount() == 1 and shown.index(0, 2).data() == "brief.pdf"
    assert shown.index(0, 4).data() == history[0].sha256[:12]


def test_the_chosen_folder_is_suggested_next_time(window, answers) -> None:
    window.export_pdf_action.trigger()
    window.export_pdf_action.trigger()
    assert answers.seen["suggested"][1].parent == answers.path.parent


def test_with_several_briefings_the_one_open_in_the_composer_is_offered(window, answers) -> None:
    project = window.document.project
    second = briefings.create_briefing(project, "Second look").ids["briefing"][0]
    window.composer.refresh()
    window.composer.open_briefing(second)
    answers.briefing = second
    window.export_pdf_action.trigger()
    assert answers.seen["options"] == [(2, second, [], False)]
    assert "Second look" in pdf_text(exported(answers))
    assert len(export_history(project, second)) == 1 and export_history(project, 1) == []


def test_a_single_briefing_without_editions_offers_no_changes(window, answers) -> None:
    answers.changes = True
    window.export_pdf_action.trigger()
    assert answers.seen["options"] == [(1, 1, [], False)]  # asked for the timeline pages
    assert "Changes since" not in pdf_text(exported(answers))


def test_the_changes_since_the_last_edition_can_be_added_and_are_remembered(
    window, answers
) -> None:
    project = window.document.project
    freeze_edition(project, 1)
    window.document.run(lambda p: briefings.edit_metadata(p, 1, title="Border clashes, day two"))
    answers.changes = True
    window.export_pdf_action.trigger()
    assert answers.seen["options"] == [(1, 1, [1], False)]
    text = pdf_text(exported(answers))
    assert "Changes since edition 1" in text and "Border clashes, day two" in text
    assert window.pdf_exporter.include_changes
    answers.changes = False
    window.export_pdf_action.trigger()  # offered ticked, as left last time; now unticked
    assert answers.seen["options"][1] == (1, 1, [1], True)
    assert "Changes since edition 1" not in pdf_text(exported(answers))
    assert not MainWindow(AppSettings()).pdf_exporter.include_changes  # kept in the settings


def test_the_preview_shows_the_changes_when_the_export_would(window, answers) -> None:
    freeze_edition(window.document.project, 1)
    window.document.run(lambda p: briefings.edit_metadata(p, 1, title="Border clashes, day two"))
    window.settings.qsettings.setValue(export_pdf.CHANGES_KEY, True)
    pane = preview_pane(window)
    assert pane.refresh()
    preview = next(pane._folder.glob("*.pdf"))
    assert "Changes since edition 1" in pdf_text(preview)


def test_the_options_offer_the_changes_only_for_a_briefing_with_an_edition(qtbot, window) -> None:
    project = window.document.project
    second = briefings.create_briefing(project, "Second look").ids["briefing"][0]
    rows = briefings.list_briefings(project)
    dialog = ExportOptionsDialog(window, rows, second, {1}, changes=True)
    qtbot.addWidget(dialog)
    assert dialog.briefing_id == second and not dialog.changes.isEnabled()
    assert dialog.options() == ExportOptions(second, changes=False)
    dialog.briefing.setCurrentIndex(dialog.briefing.findData(1))
    assert dialog.changes.isEnabled() and dialog.changes.isChecked()
    assert dialog.options() == ExportOptions(1, changes=True)


def test_timeline_pages_are_chosen_by_keyboard_in_the_options(qtbot, window) -> None:
    rows = briefings.list_briefings(window.document.project)
    dialog = ExportOptionsDialog(window, rows, 1, set(), changes=False, pages="auto")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.pages.setFocus()
    QTest.keyClick(dialog.pages, Qt.Key.Key_Down)
    assert dialog.options().pages == "landscape"
    QTest.keyClick(dialog.pages, Qt.Key.Key_Down)
    assert dialog.options() == ExportOptions(1, changes=False, pages="portrait")


def test_landscape_chosen_in_the_window_is_printed_and_kept(window, answers) -> None:
    answers.pages = "landscape"
    window.export_pdf_action.trigger()
    wide = [p for p in PdfReader(exported(answers)).pages if p.mediabox.width > p.mediabox.height]
    assert len(wide) == 2  # the two short timelines, each on its own landscape page
    answers.pages = None
    window.export_pdf_action.trigger()
    assert answers.seen["pages"] == ["auto", "landscape"]  # offered as kept


@pytest.mark.parametrize("accept", [True, False])
def test_tlp_refusal_offers_to_raise_the_label(window, answers, accept) -> None:
    mark(window, "statement", 1, "AMBER")
    answers.raise_label = accept
    window.export_pdf_action.trigger()
    message, label, verb = answers.seen["raise"][0]
    assert "includes records marked more strictly" in message and "(TLP:AMBER)" in message
    assert (label, verb) == (Tlp.AMBER, "Export")
    history = export_history(window.document.project, 1)
    if accept:
        pages = [p.extract_text() for p in PdfReader(exported(answers)).pages]
        assert all("TLP:AMBER" in p and "TLP:GREEN" not in p for p in pages[1:])
        assert len(history) == 1 and "failure" not in answers.seen
    else:
        assert not exported(answers).exists() and history == []


def test_read_only_project_exports_without_history(qtbot, answers, demo_path) -> None:
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    assert window.open_path(demo_path, read_only=True) and window.document.read_only
    assert window.export_pdf_action.isEnabled()
    window.export_pdf_action.trigger()
    assert TITLE in pdf_text(exported(answers))
    assert "not added to its history" in answers.seen["done"][0]
    assert export_history(window.document.project, 1) == []


@pytest.mark.parametrize(
    ("code", "reason"),
    [(errno.ENOSPC, "the disk is full"), (errno.EACCES, "permission denied")],
)
def test_write_failure_is_one_sentence_and_keeps_the_old_file(
    window, answers, monkeypatch, code, reason
) -> None:
    target = exported(answers)
    target.write_bytes(b"the previous export")

    def fail(*args):
        raise OSError(code, reason)

    monkeypatch.setattr(files.os, "replace", fail)
    window.export_pdf_action.trigger()
    assert answers.seen["failure"] == [f"Cannot write brief.pdf: {reason}."]
    assert target.read_bytes() == b"the previous export"
    assert export_history(window.document.project, 1) == []
    assert "done" not in answers.seen


class CancelAt(export_pdf.QProgressDialog):
    """A progress dialog whose user presses Cancel once the bar reaches ``at`` percent."""

    at = 0

    def wasCanceled(self) -> bool:
        return self.value() >= self.at


@pytest.mark.parametrize(("at", "kept"), [(0, False), (50, False), (97, False), (100, True)])
def test_cancel_before_writing_leaves_no_file(window, answers, monkeypatch, at, kept) -> None:
    """Cancel stops the export until the file is written; after that the export is kept whole."""
    monkeypatch.setattr(CancelAt, "at", at)
    monkeypatch.setattr(export_pdf, "QProgressDialog", CancelAt)
    window.export_pdf_action.trigger()
    target = exported(answers)
    assert target.exists() is kept
    assert list(target.parent.iterdir()) == ([target] if kept else [])
    assert len(export_history(window.document.project, 1)) == int(kept)
    assert ("done" in answers.seen) is kept


@pytest.mark.parametrize(
    ("title", "as_of", "name"),
    [
        (TITLE, datetime(2021, 11, 16, 18, tzinfo=UTC), f"{TITLE} 2021-11-16.pdf"),
        ('Bad/name: "x"?', None, "Bad name x.pdf"),
        ("...", None, "Briefing.pdf"),
    ],
)
def test_suggested_file_name(title, as_of, name) -> None:
    assert export_pdf.pdf_file_name(title, as_of) == name


@pytest.mark.parametrize(
    ("given", "written"),
    [("a.pdf", "a.pdf"), ("a.PDF", "a.PDF"), ("a", "a.pdf"), ("a.brief", "a.brief.pdf")],
)
def test_the_pdf_suffix_is_added_so_a_project_is_never_overwritten(given, written) -> None:
    assert export_pdf.with_pdf_suffix(Path(given)) == Path(written)


# ---------------------------------------------------------------------------- preview


def test_preview_loads_the_briefing_without_recording_an_export(window, answers) -> None:
    pane = preview_pane(window)
    assert pane.refresh()
    assert pane.page_count_shown() == 6 == len(PdfReader(next(pane._folder.glob("*.pdf"))).pages)
    assert pane.page_count.text() == "of 6" and TITLE in pane.status.text()
    assert export_history(window.document.project, 1) == []
    assert pane.history.model.rowCount() == 0


def test_preview_pages_and_zoom(window, answers) -> None:
    pane = preview_pane(window)
    pane.refresh()
    pane.next_action.trigger()
    pane.next_action.trigger()
    assert pane.view.pageNavigator().currentPage() == 2 and pane.page_box.value() == 3
    pane.page_box.setValue(5)
    assert pane.view.pageNavigator().currentPage() == 4
    fitted = pane.zoom()
    pane.zoom_in_action.trigger()
    assert pane.zoom() == pytest.approx(fitted * 1.25)
    assert pane.zoom_label.text() == f"{fitted * 1.25:.0%}"


def test_preview_refreshes_on_demand_and_says_when_it_is_stale(window, answers) -> None:
    pane = preview_pane(window)
    pane.refresh()
    first = pane.status.text()
    window.document.run(lambda p: briefings.edit_metadata(p, 1, title="Renamed brief"))
    assert "has changed since" in pane.status.text() and pane.page_count_shown() == 6
    assert first in pane.status.text()
    pane.refresh()
    assert "Renamed brief" in pane.status.text() and "changed since" not in pane.status.text()
    assert len(list(pane._folder.glob("*.pdf"))) == 1


def test_preview_of_a_refused_briefing_offers_the_raise(window, answers) -> None:
    mark(window, "entry", 3, "RED")
    pane = preview_pane(window)
    assert pane.refresh()
    assert answers.seen["raise"][0][1:] == (Tlp.RED, "Preview")
    assert "TLP:RED" in pane.status.text()


# ---------------------------------------------------------------------------- history


def test_history_model_passes_the_model_tester(qtmodeltester) -> None:
    model = ExportHistoryModel()
    qtmodeltester.check(model, force_py=True)
    at = datetime(2021, 11, 16, 18, 5, tzinfo=UTC)
    model.set_entries([ExportEntry(at, "Anna", "brief.pdf", "ab" * 32, 5)])
    qtmodeltester.check(model, force_py=True)
    row = [model.index(0, column).data() for column in range(model.columnCount())]
    assert row == ["2021-11-16 18:05", "Anna", "brief.pdf", "5", "abababababab"]


@pytest.mark.parametrize("accept", [True, False])
def test_the_marking_is_asked_before_the_file_dialog(window, answers, monkeypatch, accept) -> None:
    order: list[str] = []
    asked_raise, asked_path = export_pdf.ask_raise_label, export_pdf.ask_pdf_path
    monkeypatch.setattr(
        export_pdf, "ask_raise_label", lambda *a: order.append("raise") or asked_raise(*a)
    )
    monkeypatch.setattr(
        export_pdf, "ask_pdf_path", lambda *a: order.append("path") or asked_path(*a)
    )
    mark(window, "statement", 1, "AMBER")
    answers.raise_label = accept
    window.export_pdf_action.trigger()
    assert order == (["raise", "path"] if accept else ["raise"])
    assert len(answers.seen["raise"]) == 1
    assert exported(answers).exists() == accept


def test_export_warnings_stay_in_a_strip_until_dismissed(qtbot, window, answers) -> None:
    strip = window.pdf_exporter.warnings
    assert strip is not None and not strip.shown
    window.document.run(lambda p: briefings.edit_metadata(p, 1, bluf=""))
    window.export_pdf_action.trigger()
    assert strip.shown and strip.bar.isVisible()
    assert "has no bottom line up front" in strip.label.text()
    assert strip.label.text().startswith(f"{exported(answers).name} was exported with 1 warning")
    (message,) = answers.seen["done"]
    assert "listed at the top of the window" in message and "Warning:" not in message
    QTest.mouseClick(strip.dismiss, Qt.MouseButton.LeftButton)
    assert not strip.shown
    window.document.run(lambda p: briefings.edit_metadata(p, 1, bluf="Fighting resumed."))
    window.export_pdf_action.trigger()
    assert not strip.shown  # a clean export shows nothing


def test_the_window_answers_while_the_worker_lays_out_a_page(qtbot) -> None:
    import threading

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QProgressDialog

    from briefing.export.pdf import Progress
    from briefing.gui.exports.worker import run_steps

    ticked, threads = threading.Event(), []

    def steps():
        yield Progress(0.1, "Laying out pages")
        threads.append(threading.current_thread())
        assert ticked.wait(30)  # only a timer on the window's thread can set it
        yield Progress(1.0, "Exported")
        return "done"

    QTimer.singleShot(20, ticked.set)
    dialog = QProgressDialog()
    qtbot.addWidget(dialog)
    written = [False]
    assert run_steps(dialog, steps(), written) == "done" and written == [True]
    assert threads and threads[0] is not threading.main_thread()


def test_a_failure_on_the_worker_is_raised_in_the_window_and_writes_nothing(qtbot, tmp_path):
    from PySide6.QtWidgets import QProgressDialog

    from briefing.errors import BriefingError
    from briefing.export.pdf import Progress
    from briefing.gui.exports.worker import run_steps

    def steps():
        yield Progress(0.1, "Laying out pages")
        raise BriefingError("Part of the briefing cannot be fitted on a page.")

    dialog = QProgressDialog()
    qtbot.addWidget(dialog)
    with pytest.raises(BriefingError, match="cannot be fitted"):
        run_steps(dialog, steps(), [False])
    assert list(tmp_path.iterdir()) == []


def test_the_preview_holds_its_layout_while_an_export_runs(
    qtbot, window, answers, monkeypatch
) -> None:
    pane = preview_pane(window)
    assert pane.render_in_background() and pane.render.busy
    exporting, overlaps, steps = [False], [], pane.render._steps

    def watched():
        while True:
            overlaps.append(exporting[0])
            try:
                yield next(steps)
            except StopIteration as done:
                return done.value

    pane.render._steps = watched()
    real_run = export_pdf.ProgressRun.run

    def run(self, export_steps, flag=None):
        exporting[0] = True
        try:
            return real_run(self, export_steps, flag)
        finally:
            exporting[0] = False

    monkeypatch.setattr(export_pdf.ProgressRun, "run", run)
    window.export_pdf_action.trigger()
    assert exported(answers).exists() and True not in overlaps
    assert pane.render.busy or pane.previewed is not None
    qtbot.waitUntil(lambda: not pane.render.busy, timeout=30000)  # the layout goes on after
    assert pane.previewed is not None and False in overlaps


def test_export_warnings_of_one_project_are_not_shown_over_the_next(
    qtbot, window, answers, demo_path, tmp_path
) -> None:
    other = tmp_path / "other.brief"
    other.write_bytes(demo_path.read_bytes())
    strip = window.pdf_exporter.warnings
    window.document.run(lambda p: briefings.edit_metadata(p, 1, bluf=""))
    window.export_pdf_action.trigger()
    assert strip.shown
    assert window.open_path(other) and window.document.project.path == other
    assert not strip.shown
    window.document.run(lambda p: briefings.edit_metadata(p, 1, bluf=""))
    window.export_pdf_action.trigger()
    assert strip.shown
    window.close_project()
    assert not strip.shown


def test_a_locked_project_says_in_one_sentence_that_the_pages_were_not_kept(
    window, answers, monkeypatch
) -> None:
    from sqlalchemy.exc import OperationalError

    def locked(project, pages):
        raise OperationalError("UPDATE settings", {}, Exception("database is locked"))

    monkeypatch.setattr(export_pdf, "remember_timeline_pages", locked)
    answers.pages = "landscape"
    window.export_pdf_action.trigger()
    assert answers.seen["failure"] == [
        "The timeline pages could not be kept in the project (database is locked)."
    ]
    assert not exported(answers).exists()


def _large_project(path: Path, entries: int) -> Path:
    """A project whose one briefing holds ``entries`` timeline entries (the benchmark's)."""
    import importlib.util

    from briefing.model import codec
    from briefing.store import create_project

    spec = importlib.util.spec_from_file_location(
        "export_bench", Path(__file__).parents[1] / "perf" / "export_bench.py"
    )
    bench = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(bench)  # type: ignore[union-attr]
    with create_project(path, "Bench") as project, project.transaction() as session:
        codec.load(session.connection(), bench.scenario(entries, 10))
    return path


def test_cancel_stops_a_large_export_while_its_content_is_put_together(
    qtbot, answers, monkeypatch, tmp_path
) -> None:
    """Cancel, pressed while the timeline's rows are being made, stops at the next row."""
    import threading

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

    from briefing.export import timeline

    entries, held_at = 150, 20
    window = open_window(qtbot, _large_project(tmp_path / "large.brief", entries), (1400, 900))
    made, pressed = [], threading.Event()
    real_row = timeline._row

    def row(*args, **kwargs):
        made.append(threading.current_thread())
        if len(made) == held_at:  # a long assembly: the worker is still at it when Cancel comes
            assert pressed.wait(60)
        return real_row(*args, **kwargs)

    def press_cancel() -> None:
        shown = [d for d in window.findChildren(QProgressDialog) if d.isVisible()]
        if len(made) < held_at or not shown:
            QTimer.singleShot(20, press_cancel)
            return
        button = shown[0].findChild(QPushButton)
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        pressed.set()

    monkeypatch.setattr(timeline, "_row", row)
    QTimer.singleShot(20, press_cancel)
    window.export_pdf_action.trigger()

    assert pressed.is_set() and len(made) == held_at  # stopped at the next row, not at the end
    assert made[0] is not threading.main_thread()
    target = exported(answers)
    assert list(target.parent.iterdir()) == []
    assert export_history(window.document.project, 1) == [] and "done" not in answers.seen
    assert QApplication.activeModalWidget() is None  # no dialog left over the window

    monkeypatch.setattr(timeline, "_row", real_row)  # the window still exports
    window.export_pdf_action.trigger()
    assert target.exists() and "done" in answers.seen
    assert len(export_history(window.document.project, 1)) == 1
