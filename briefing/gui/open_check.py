"""The first check of a file new to this computer: on a worker thread, with progress and Cancel.

A file this computer verified and nobody changed since opens at once
(:mod:`briefing.store.trust`). Any other file gets the whole-file check, which
on a file of a million entries takes seconds; it runs on a worker thread while
the window stays painted and a progress dialog (shown after half a second)
says what it does and offers Cancel. The open that follows skips the check
only if the file is still exactly as checked.

Closing the window during the check calls the check off, so an open never
finishes into a window that is gone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from briefing.errors import BriefingError
from briefing.store.trust import VerifiedFiles, stamp_of
from briefing.store.verify import has_journal, verify_file

SCALE = 1000
READING_SHARE = 200
"""Of the bar's thousand steps, those for reading the file (the checks take the rest)."""
SHOW_AFTER_MS = 500
THREAD_FROM_BYTES = 32 << 20
"""Smaller files are checked on the window's thread: in well under a second, with no
events handled meanwhile (a request to open another file waits its turn)."""
BUSY = "briefingChecking"
"""Window property set while a check runs, so a second open waits for none of it."""


class CheckCancelled(Exception):
    """The user (or the window closing) called the check off."""


class _Relay(QObject):
    """Carries the worker's news to the window's thread (queued signals)."""

    progressed = Signal(str, float)
    """The stage and the share of it done: a share, as a file's bytes pass what Qt's int holds."""
    finished = Signal()

    def __init__(self, dialog: QProgressDialog, loop: QEventLoop, name: str) -> None:
        super().__init__()
        self.dialog, self.loop, self.name = dialog, loop, name
        self.progressed.connect(self.show_progress, Qt.ConnectionType.QueuedConnection)
        self.finished.connect(self.loop.quit, Qt.ConnectionType.QueuedConnection)

    @Slot(str, float)
    def show_progress(self, stage: str, share: float) -> None:
        if stage == "reading":
            value = int(READING_SHARE * share)
            self.dialog.setLabelText(f"Reading {self.name}, first opened on this computer…")
        else:
            value = READING_SHARE + int((SCALE - READING_SHARE) * share)
            self.dialog.setLabelText(f"Checking {self.name}, first opened on this computer…")
        self.dialog.setValue(min(value, SCALE - 1))


class _CloseWatch(QObject):
    """Calls the check off when the window is asked to close."""

    def __init__(self, cancel: threading.Event) -> None:
        super().__init__()
        self.cancel = cancel

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Close:
            self.cancel.set()
        return False


def needs_check(path: Path, memory: VerifiedFiles) -> bool:
    """Whether opening ``path`` would run the whole-file check (a file new or changed)."""
    path = Path(path)
    if not path.is_file() or has_journal(path):
        return False  # refused, or restored first: the open itself says what happens
    stamp = stamp_of(path)
    return stamp is not None and not memory.knows(path, stamp)


def check_first(parent: QWidget | None, path: Path, memory: VerifiedFiles) -> bool:
    """Check a file new to this computer before it is opened; True when it may be opened.

    False when the check was called off or refused the file (the refusal is
    raised as :class:`BriefingError` for the caller to show).
    """
    path = Path(path)
    if not needs_check(path, memory):
        return True
    if path.stat().st_size < THREAD_FROM_BYTES:
        return True  # the open checks it at once
    window = parent.window() if parent is not None else None
    if window is not None and window.property(BUSY):
        raise BriefingError(
            f"Another project is being checked; open {path.name} again when that is done."
        )
    if window is not None:
        window.setProperty(BUSY, True)
    try:
        return _check_on_worker(parent, window, path, memory)
    finally:
        if window is not None:
            window.setProperty(BUSY, False)


def _reporter(relay: _Relay, cancel: threading.Event) -> Callable[[str, int, int], None]:
    """The check's progress callback (on the worker): stops at Cancel, else tells the relay."""

    def progress(stage: str, done: int, total: int) -> None:
        if cancel.is_set():
            raise CheckCancelled
        relay.progressed.emit(stage, done / total if total > 0 else 0.0)

    return progress


def _check_on_worker(
    parent: QWidget | None, window: QWidget | None, path: Path, memory: VerifiedFiles
) -> bool:
    stamp = stamp_of(path)
    cancel = threading.Event()
    loop = QEventLoop()
    dialog = _dialog(parent, path.name)
    relay = _Relay(dialog, loop, path.name)
    dialog.canceled.connect(cancel.set)
    watch = _CloseWatch(cancel)
    if window is not None:
        window.installEventFilter(watch)
    outcome: list[BaseException | None] = []

    progress = _reporter(relay, cancel)

    def run() -> None:
        try:
            verify_file(path, memory=memory, progress=progress)
            outcome.append(None)
        except BaseException as error:  # noqa: BLE001 - handed to the window's thread
            outcome.append(error)
        relay.finished.emit()

    worker = threading.Thread(target=run, name="open-check", daemon=True)
    worker.start()
    loop.exec()
    worker.join()
    if window is not None:
        window.removeEventFilter(watch)
    dialog.canceled.disconnect(cancel.set)  # closing the dialog says "canceled" too
    dialog.close()
    dialog.deleteLater()
    return _verdict(outcome[0] if outcome else None, path, stamp, memory, cancel)


def _verdict(
    error: BaseException | None,
    path: Path,
    stamp: object,
    memory: VerifiedFiles,
    cancel: threading.Event,
) -> bool:
    if error is None and not cancel.is_set():
        memory.note_checked(path, stamp)  # type: ignore[arg-type]
        return True
    if error is None or isinstance(error, CheckCancelled):
        return False
    if isinstance(error, BriefingError):
        raise error
    return True  # anything else: the open checks again and says what is wrong


def _dialog(parent: QWidget | None, name: str) -> QProgressDialog:
    dialog = QProgressDialog(f"Reading {name}, first opened on this computer…", "Cancel", 0, SCALE)
    dialog.setParent(parent, dialog.windowFlags())
    dialog.setWindowTitle("Checking a project")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(SHOW_AFTER_MS)
    dialog.setAutoReset(False)
    dialog.setAutoClose(False)
    dialog.setValue(0)
    return dialog
