"""Starting the program: unattended runs, the first-run question, files the system opens."""

from __future__ import annotations

import shutil
import sys

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication

from briefing.gui import app as gui_app
from briefing.gui.settings import AppSettings
from briefing.store.lock import lock_path

HANG_GUARD_MS = 60000
"""Ends a run that would otherwise never return, so a regression fails instead of hanging."""


@pytest.fixture
def run(qapp, monkeypatch):
    """``gui_app.run`` with a quit timer, the excepthook restored, and a guard against hanging."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)

    def run_for(ms: int, *args, **kwargs) -> int:
        monkeypatch.setenv("BRIEFING_QUIT_AFTER_MS", str(ms))
        hung: list[bool] = []

        def guard() -> None:
            hung.append(True)
            QApplication.exit(3)

        timer = QTimer(singleShot=True, interval=HANG_GUARD_MS, timeout=guard)
        timer.start()
        status = gui_app.run(*args, **kwargs)
        timer.stop()
        assert not hung, "the run did not end by itself"
        return status

    return run_for


def test_an_unattended_run_quits_while_the_name_is_still_asked(run, demo_path, monkeypatch):
    monkeypatch.delenv("BRIEFING_ANALYST")
    asked: list[str] = []

    def look() -> None:
        modal = QApplication.activeModalWidget()
        asked.append(modal.windowTitle() if modal is not None else "")

    QTimer.singleShot(100, look)
    assert run(300, demo_path) == 0
    assert asked == ["Your name"]
    assert not lock_path(demo_path).exists()
    assert AppSettings().analyst_name() == ""  # cancelled, so asked again on the next start


def test_a_first_run_asks_the_name_once(run, answers, demo_path, monkeypatch):
    monkeypatch.delenv("BRIEFING_ANALYST")
    assert run(200, demo_path) == 0
    assert run(200, demo_path) == 0
    assert answers.seen["name"] == [""]
    assert AppSettings().analyst_name() == "Anna Analyst"


@pytest.mark.parametrize("after_ms", [None, 100])  # None: asked as the program starts
def test_a_file_the_system_asks_to_open_is_opened(run, answers, demo_path, tmp_path, after_ms):
    other = tmp_path / "other.brief"
    shutil.copyfile(demo_path, other)
    app = QApplication.instance()
    if after_ms is None:
        app.postEvent(app, QFileOpenEvent(str(other)))
    else:
        QTimer.singleShot(after_ms, lambda: app.postEvent(app, QFileOpenEvent(str(other))))
    assert run(400, demo_path) == 0
    settings = AppSettings()
    assert settings.last_project() == other.resolve()
    opened = [other.resolve()] if after_ms is None else [other.resolve(), demo_path.resolve()]
    assert settings.recent_files()[: len(opened)] == opened
    assert not lock_path(other).exists()


def test_a_termination_signal_closes_the_project_and_frees_the_lock(run, demo_path):
    """Logging out sends SIGTERM: the window closes cleanly instead of leaving a stale lock."""
    import os
    import signal

    handlers = {n: signal.getsignal(n) for n in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    locked: list[bool] = []

    def terminate() -> None:
        locked.append(lock_path(demo_path).exists())
        os.kill(os.getpid(), signal.SIGTERM)

    QTimer.singleShot(1500, terminate)
    try:
        assert run(8000, demo_path) == 0
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
    assert locked == [True]
    assert not lock_path(demo_path).exists()
