"""A file new to this computer is checked on a worker thread, with progress and Cancel."""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QProgressDialog, QPushButton

from briefing.gui import open_check
from briefing.gui.main_window import MainWindow
from briefing.gui.settings import AppSettings
from briefing.store import fullcheck
from briefing.store.trust import VerifiedFiles, stamp_of

STEP_S = 0.08
"""Each progress report of the check is held this long, so a small file checks slowly."""


@pytest.fixture(autouse=True)
def every_file_on_the_worker(monkeypatch) -> None:
    """The demo file is small; here it is checked as a large one is."""
    monkeypatch.setattr(open_check, "THREAD_FROM_BYTES", 0)


@pytest.fixture
def window(qtbot, answers):
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    return window


@pytest.fixture
def slow(monkeypatch) -> list[str]:
    """The real check, slowed down; records the thread each report came from."""
    threads: list[str] = []
    real = open_check.verify_file

    def verify_slowly(path, memory=None, progress=None):
        import threading

        def held(stage: str, done: int, total: int) -> None:
            threads.append(threading.current_thread().name)
            time.sleep(STEP_S)
            progress(stage, done, total)

        return real(path, memory=memory, progress=held)  # noqa: B023

    monkeypatch.setattr(open_check, "verify_file", verify_slowly)
    return threads


@pytest.fixture
def whole_checks(monkeypatch) -> list[Path]:
    """Every whole-file check run, on any thread."""
    runs: list[Path] = []
    real = fullcheck.whole_file_problems

    def counted(path, *args, **kwargs):
        runs.append(Path(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(fullcheck, "whole_file_problems", counted)
    import briefing.store.verify as verify

    monkeypatch.setattr(verify, "whole_file_problems", counted)
    return runs


def _progress_dialog(window: MainWindow) -> QProgressDialog | None:
    """The window's own progress dialog, if shown (never another test's leftovers)."""
    found = [d for d in window.findChildren(QProgressDialog) if d.isVisible()]
    return found[0] if found else None


def test_a_new_file_is_checked_off_the_window_thread_with_progress(
    qtbot, window: MainWindow, demo_path: Path, slow: list[str], whole_checks: list[Path]
) -> None:
    labels: list[str] = []
    values: list[int] = []

    def look() -> None:
        dialog = _progress_dialog(window)
        if dialog is not None:
            labels.append(dialog.labelText())
            values.append(dialog.value())

    from PySide6.QtCore import QTimer

    timer = QTimer()
    timer.timeout.connect(look)
    timer.start(50)
    assert window.open_path(demo_path)
    timer.stop()
    assert window.document is not None
    assert "MainThread" not in slow  # every report came from the worker
    assert any(label.startswith("Checking demo.brief, first opened") for label in labels)
    assert values == sorted(values) and values[-1] > 0
    assert whole_checks == [demo_path]  # checked once: the open trusted the worker's check
    window.close_project()
    assert VerifiedFiles.default().knows(demo_path, stamp_of(demo_path))


def test_a_known_file_opens_without_a_check(
    qtbot, window: MainWindow, demo_path: Path, whole_checks: list[Path]
) -> None:
    assert window.open_path(demo_path)
    window.close_project()
    whole_checks.clear()
    assert window.open_path(demo_path)
    assert whole_checks == []


def test_cancel_calls_the_check_off_and_opens_nothing(
    qtbot, window: MainWindow, demo_path: Path, slow: list[str], whole_checks: list[Path]
) -> None:
    before = demo_path.read_bytes()

    def press_cancel() -> None:
        dialog = _progress_dialog(window)
        if dialog is None:
            QTimer.singleShot(50, press_cancel)
            return
        button = dialog.findChild(QPushButton)
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)

    from PySide6.QtCore import QTimer

    QTimer.singleShot(50, press_cancel)
    assert not window.open_path(demo_path)
    assert window.document is None
    assert whole_checks == [demo_path]  # called off, and not run again by an open
    assert demo_path.read_bytes() == before
    assert not VerifiedFiles.default().knows(demo_path, stamp_of(demo_path))


def test_a_refused_file_is_said_once_and_not_opened(
    qtbot, window: MainWindow, demo_path: Path, answers, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.brief"
    shutil.copyfile(demo_path, bad)
    connection = sqlite3.connect(bad)
    connection.execute("UPDATE timeline_entry SET place = x'41' WHERE id = 1")
    connection.commit()
    connection.close()
    assert not window.open_path(bad)
    assert window.document is None
    assert len(answers.seen.get("refusal", [])) == 1


def test_a_file_changed_after_its_check_is_checked_again_at_open(
    qtbot, window: MainWindow, demo_path: Path, whole_checks: list[Path], monkeypatch
) -> None:
    real = open_check.verify_file

    def check_then_touch(path, memory=None, progress=None):
        real(path, memory=memory, progress=progress)
        time.sleep(0.02)
        Path(path).touch()  # another program writes between the check and the open

    monkeypatch.setattr(open_check, "verify_file", check_then_touch)
    assert window.open_path(demo_path)
    assert whole_checks == [demo_path, demo_path]


def test_a_second_open_during_a_check_is_refused_in_a_sentence(
    qtbot, window: MainWindow, demo_path: Path, answers, tmp_path: Path, slow: list[str]
) -> None:
    from PySide6.QtCore import QTimer

    other = tmp_path / "other.brief"
    shutil.copyfile(demo_path, other)
    second: list[bool] = []
    QTimer.singleShot(100, lambda: second.append(window.open_path(other)))
    assert window.open_path(demo_path)
    assert second == [False]
    assert answers.seen["refusal"] == [
        "Another project is being checked; open other.brief again when that is done."
    ]
    assert window.document is not None and window.document.project.path == demo_path


def test_a_small_file_is_checked_on_the_window_thread(
    qtbot, window: MainWindow, demo_path: Path, whole_checks: list[Path], monkeypatch
) -> None:
    monkeypatch.setattr(open_check, "THREAD_FROM_BYTES", 32 << 20)
    assert window.open_path(demo_path)
    assert whole_checks == [demo_path]


def test_progress_past_two_gigabytes_moves_the_bar(qtbot) -> None:
    """A file larger than Qt's int counts its bytes read: the bar still moves."""
    import threading

    from PySide6.QtCore import QEventLoop

    dialog = QProgressDialog("", "Cancel", 0, open_check.SCALE)
    qtbot.addWidget(dialog)
    relay = open_check._Relay(dialog, QEventLoop(), "large.brief")
    report = open_check._reporter(relay, threading.Event())
    report("reading", 3_000_000_000, 4_000_000_000)
    qtbot.waitUntil(lambda: dialog.value() == open_check.READING_SHARE * 3 // 4)
    report("checking", 500, 1000)
    middle = open_check.READING_SHARE + (open_check.SCALE - open_check.READING_SHARE) // 2
    qtbot.waitUntil(lambda: dialog.value() == middle)
