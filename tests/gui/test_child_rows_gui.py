"""Import Event Data… with the file read in a second process: Cancel ends that process, and
its death is one sentence; either way nothing is imported and no process is left behind."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

import pytest
from test_sharing_gui import (  # noqa: F401 - fixtures
    Answers,
    RecordingProgress,
    answers,
    project_of,
    window,
)

from briefing.gui.main_window import MainWindow
from briefing.gui.sharing import ask
from briefing.io import child_rows, ucdp

GED = Path(__file__).parents[1] / "fixtures" / "ucdp" / "ged.csv"


@pytest.fixture
def children(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every file read in a child process; the pids of those started."""
    monkeypatch.setattr(child_rows, "CHILD_FROM_BYTES", 0)
    monkeypatch.setattr(child_rows, "spare_core", lambda: True)
    monkeypatch.setattr(ucdp, "BATCH", 100)
    started: list[int] = []
    real = child_rows._started

    def spy(make: Any) -> Any:
        child = real(make)
        assert child is not None
        started.append(child[0].pid)
        return child

    monkeypatch.setattr(child_rows, "_started", spy)
    return started


def many(folder: Path) -> Path:
    """3,000 GED rows: megabytes of entries, more than a pipe holds."""
    lines = GED.read_text(encoding="utf-8").splitlines()
    header, first = lines[0], lines[1]
    rest = first.split(",", 2)[2]
    body = [f"{n},R{n},{rest}" for n in range(3_000)]
    path = folder / "many-ged.csv"
    path.write_text("\n".join([header, *body]) + "\n", encoding="utf-8")
    return path


def assert_reaped(pid: int) -> None:
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def ucdp_entries(shown: MainWindow) -> int:
    with project_of(shown).engine.connect() as connection:
        return int(
            connection.exec_driver_sql(
                "SELECT count(*) FROM timeline_entry WHERE external_id LIKE 'UCDP-GED:%'"
            ).scalar()
        )


def assert_nothing_imported(shown: MainWindow, answers: Answers) -> None:  # noqa: F811
    """No entry, no report, and the status line says so."""
    assert ucdp_entries(shown) == 0 and "report" not in answers.seen
    assert "nothing was imported" in shown.statusBar().currentMessage()


def test_cancel_ends_the_reading_process(
    window: MainWindow,  # noqa: F811 - fixtures
    answers: Answers,  # noqa: F811 - fixtures
    children: list[int],
    tmp_path: Path,
) -> None:
    file = project_of(window).path
    before = file.read_bytes()
    answers.path, answers.cancel_after = many(tmp_path), 1
    window.sharing.import_action.trigger()
    assert len(children) == 1
    assert_reaped(children[0])
    assert_nothing_imported(window, answers)
    assert file.read_bytes() == before


def test_a_reading_process_killed_is_one_sentence(
    window: MainWindow,  # noqa: F811 - fixtures
    answers: Answers,  # noqa: F811 - fixtures
    children: list[int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Killing(RecordingProgress):
        def setValue(self, progress: int) -> None:  # noqa: N802 - Qt override
            if not self.answers.progress:  # the first batch is stored: the system kills it
                os.kill(children[0], signal.SIGKILL)
            super().setValue(progress)

    monkeypatch.setattr(ask, "progress_dialog", lambda parent, title: Killing(answers))
    file = project_of(window).path
    before = file.read_bytes()
    answers.path = path = many(tmp_path)
    window.sharing.import_action.trigger()
    assert answers.seen["refusal"] == [
        f"Reading {path.name} stopped unexpectedly; nothing was imported."
    ]
    assert_reaped(children[0])
    assert ucdp_entries(window) == 0 and "report" not in answers.seen
    assert file.read_bytes() == before


def test_the_window_runs_its_events_while_the_import_waits_for_the_reading_process(
    window: MainWindow,  # noqa: F811 - fixtures
    answers: Answers,  # noqa: F811 - fixtures
    children: list[int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The import waits for the reading process's first rows until the window's own timer
    has fired: a wait on the window's thread would hold that timer back."""
    import threading

    from PySide6.QtCore import QTimer

    ticked = threading.Event()
    waits: list[tuple[str, bool]] = []
    real = child_rows._Drain.next_message

    def slow_first(self: Any, *args: Any) -> Any:
        if not waits:
            QTimer.singleShot(0, window, ticked.set)  # runs only if the window runs its events
            waits.append((threading.current_thread().name, ticked.wait(5.0)))
        return real(self, *args)

    monkeypatch.setattr(child_rows._Drain, "next_message", slow_first)
    answers.path = many(tmp_path)
    window.sharing.import_action.trigger()
    assert waits and waits[0][0] != "MainThread"
    assert waits[0][1], "the window's timer fired while the import waited"
    assert ucdp_entries(window) == 3_000
    assert_reaped(children[0])


def test_after_cancel_the_dialog_stays_saying_so_until_the_import_is_undone(
    window: MainWindow,  # noqa: F811 - fixtures
    answers: Answers,  # noqa: F811 - fixtures
    children: list[int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QProgressDialog, QPushButton

    from briefing.gui.sharing.acled_flow import STOPPING

    seen: list[tuple[str, bool]] = []

    class Pressed(QProgressDialog):
        def setValue(self, progress: int) -> None:  # noqa: N802 - Qt override
            super().setValue(progress)
            if not self.wasCanceled():
                self.show()
                button = self.findChild(QPushButton)
                QTest.mouseClick(button, Qt.MouseButton.LeftButton)  # while a batch is stored
                seen.append((self.labelText(), self.isVisible()))

    monkeypatch.setattr(ask, "progress_dialog", lambda parent, title: Pressed(parent))
    answers.path = many(tmp_path)
    window.sharing.import_action.trigger()
    assert seen == [(STOPPING, True)]  # the window waits, modal, until it is rolled back
    assert_nothing_imported(window, answers)
    assert_reaped(children[0])


def stuck(*args: object) -> Any:
    """A reading that gives no row for a long while, as on a stalled network drive."""
    import time

    time.sleep(STUCK_SECONDS)
    yield 1


STUCK_SECONDS = 30


def test_cancel_ends_a_reading_process_that_gives_no_rows(
    window: MainWindow,  # noqa: F811 - fixtures
    answers: Answers,  # noqa: F811 - fixtures
    children: list[int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """While the import waits for rows inside a step, the window paints and hears Cancel."""
    import time

    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QProgressDialog, QPushButton

    monkeypatch.setattr(ucdp, "_made", stuck)
    made: list[QProgressDialog] = []

    def press() -> None:  # a timer of the window's: it fires only if the window runs
        made[0].show()
        QTest.mouseClick(made[0].findChild(QPushButton), Qt.MouseButton.LeftButton)

    def pressed_soon(parent: Any, title: str) -> QProgressDialog:
        made.append(QProgressDialog("", "Cancel", 0, 100, parent))
        QTimer.singleShot(1000, press)
        return made[0]

    monkeypatch.setattr(ask, "progress_dialog", pressed_soon)
    answers.path = many(tmp_path)
    started = time.monotonic()
    window.sharing.import_action.trigger()
    assert time.monotonic() - started < STUCK_SECONDS / 2
    assert_reaped(children[0])
    assert_nothing_imported(window, answers)
