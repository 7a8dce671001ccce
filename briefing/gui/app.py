"""Start the editor: the application object, fonts, icon, error hook and the first project.

``briefing gui FILE`` opens FILE; with no file, the last project, or on the very
first run a demo project created in the user's data folder.
"""

from __future__ import annotations

import os
import signal
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

import shiboken6
from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QFileOpenEvent, QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from briefing import __version__
from briefing.export.fonts import font_files
from briefing.gui import collector, dialogs
from briefing.gui.main_window import MainWindow
from briefing.gui.settings import (
    APPLICATION,
    ORGANISATION,
    AppSettings,
    crash_log_path,
    demo_path,
)
from briefing.resources import resources_dir
from briefing.services.demo import create_demo_project
from briefing.store.server.address import is_server_address

FALLBACK_FAMILY = "DejaVu Sans"
RUN_ENDED = "briefing-run-ended"
"""Property set on the window once its run is over: a late quit check leaves it alone."""
"""Shipped with the program; covers Armenian, Cyrillic and Azerbaijani Latin."""
QUIT_RETRY_MS = 50
SIGNAL_POLL_MS = 300


def run(file: Path | None = None, demo: bool = False) -> int:
    """Show the main window and run until it closes; returns the exit status.

    The first project is opened once the event loop runs, so that every question
    asked on the way (the analyst's name, a lock) is asked inside it, where the
    ``BRIEFING_QUIT_AFTER_MS`` timer of an unattended run can still answer it.
    """
    app = application()
    window = MainWindow(AppSettings())
    install_excepthook(window)
    quit_later(window)
    close_on_signals(window)
    file_open_requests(app).requested.connect(window.open_requested)
    window.show()
    QTimer.singleShot(0, lambda: open_first_project(window, file, demo))
    status = app.exec()
    window.setProperty(RUN_ENDED, True)
    return status


def open_first_project(window: MainWindow, file: Path | None, demo: bool) -> None:
    """Ask who is editing (the first time only), then open FILE, the demo or the last project.

    A file the system asked to open as the program started (macOS) comes first.
    """
    window.analyst()
    if window.document is not None:
        return
    if is_server_address(str(file or "")):
        window.open_address(str(file))
        return
    path = start_file(window.settings, file, demo)
    if path is not None:
        window.open_path(path)
    elif window.settings.last_project() is not None:
        missing = window.settings.last_project()
        window.statusBar().showMessage(f"The last project, {missing}, is no longer there.", 15000)


def quit_later(window: MainWindow) -> None:
    """``BRIEFING_QUIT_AFTER_MS``: close the window after that long, as smoke tests need."""
    quit_after = os.environ.get("BRIEFING_QUIT_AFTER_MS", "")
    if quit_after.isdigit():
        QTimer.singleShot(int(quit_after), lambda: close_when_unasked(window))


def close_on_signals(window: MainWindow) -> None:
    """Close cleanly (project closed, lock removed) when the session ends or Ctrl+C is pressed.

    Python only sees a signal when it runs, so a light timer hands it control now
    and then while Qt's event loop waits.
    """
    for number in (signal.SIGTERM, signal.SIGINT, getattr(signal, "SIGHUP", None)):
        if number is not None:
            signal.signal(number, lambda *_: close_when_unasked(window))
    heartbeat = QTimer(window)
    heartbeat.setInterval(SIGNAL_POLL_MS)
    heartbeat.timeout.connect(lambda: None)
    heartbeat.start()


def close_when_unasked(window: MainWindow) -> None:
    """Close the window; a question still open is cancelled first, then tried again."""
    modal = QApplication.activeModalWidget()
    if modal is None:
        window.close()
        # Work under way when the close came may undo it; an unattended run ends all the same.
        QTimer.singleShot(QUIT_RETRY_MS, lambda: close_if_shown(window))
        return
    if isinstance(modal, QDialog):
        modal.reject()
    else:
        modal.close()
    QTimer.singleShot(QUIT_RETRY_MS, lambda: close_when_unasked(window))


def close_if_shown(window: MainWindow) -> None:
    """Make sure a close asked for ends the program.

    Work under way when the close came (a project being opened) may have shown the
    window again, or opened a project in the closed window, or kept Qt from quitting.
    """
    if not shiboken6.isValid(window) or window.property(RUN_ENDED):
        return
    if window.isVisible():
        close_when_unasked(window)
        return
    window.close_project()
    QApplication.exit(0)


class FileOpenRequests(QObject):
    """Hears the system ask to open a file: macOS sends it to the application, e.g. from the Finder.

    A filter on the application rather than an ``event()`` override of a QApplication
    subclass: PySide can crash delivering the window system's events through such an
    override.
    """

    requested = Signal(object)
    """The system asked to open a file (a :class:`Path`)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.FileOpen or not isinstance(event, QFileOpenEvent):
            return False
        if not event.file():
            return False
        self.requested.emit(Path(event.file()))
        return True


def file_open_requests(app: QApplication) -> FileOpenRequests:
    """The application's one listener for the system's file-open requests."""
    listener = app.findChild(FileOpenRequests)
    if listener is None:
        listener = FileOpenRequests(app)
        app.installEventFilter(listener)
    return listener


def application() -> QApplication:
    """The QApplication, named for QSettings, with the icon and shipped fonts."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    file_open_requests(app)
    collector.install(app)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("io.github.conflictbriefing.ConflictBriefing")
    icon = application_icon()
    if icon is not None:
        app.setWindowIcon(icon)
    load_fonts(app)
    return app


def application_icon() -> QIcon | None:
    try:
        folder = resources_dir() / "icons"
    except FileNotFoundError:
        return None
    icon = QIcon()
    for path in sorted(folder.glob("conflict-briefing-*.png")):
        icon.addFile(str(path))
    return None if icon.isNull() else icon


def load_fonts(app: QApplication) -> None:
    """Register every shipped font and fall back to them, DejaVu first, then script by script.

    So the window shows Arabic, Hebrew, Georgian, Ethiopic, Myanmar, Indic, Thai,
    CJK and emoji letters with the fonts the PDF embeds, on any machine.
    """
    try:
        folder = resources_dir() / "fonts"
    except FileNotFoundError:
        return
    fallbacks: list[str] = []
    for name in font_files():
        if not (folder / name).is_file():
            continue
        font_id = QFontDatabase.addApplicationFont(str(folder / name))
        for family in QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []:
            if family not in fallbacks:
                fallbacks.append(family)
    font = QFont(app.font())
    families = font.families() or [font.family()]
    wanted = [f for f in [FALLBACK_FAMILY, *fallbacks] if f not in families]
    if wanted:
        font.setFamilies([*families, *wanted])
        app.setFont(font)


def ensure_demo_project() -> Path:
    """The demo project in the user's data folder, created when missing."""
    path = demo_path()
    if not path.exists():
        create_demo_project(path, "").close()
    return path


def start_file(settings: AppSettings, file: Path | None, demo: bool) -> Path | None:
    """Which project to open first: FILE, the demo, the last one, or (first run) the demo."""
    if file is not None:
        return Path(file)
    if demo:
        return ensure_demo_project()
    last = settings.last_project()
    if last is None:
        return ensure_demo_project()
    return last if last.exists() else None


# ---------------------------------------------------------------------------- failures

UNEXPECTED = (
    "Something unexpected went wrong, and the last action may not have finished. "
    "Everything saved before it is safe. Details were written to {log}."
)


def report_unexpected(
    kind: type[BaseException],
    value: BaseException,
    trace: TracebackType | None,
    parent: QWidget | None,
) -> Path:
    """Log a traceback to the data folder and tell the user one sentence; returns the log."""
    log = crash_log_path()
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    text = "".join(traceback.format_exception(kind, value, trace))
    try:
        with log.open("a", encoding="utf-8") as stream:
            stream.write(f"--- {stamp} Conflict Briefing {__version__}\n{text}\n")
    except OSError:
        sys.stderr.write(text)
    dialogs.show_unexpected(parent, UNEXPECTED.format(log=log))
    return log


def install_excepthook(window: QWidget) -> None:
    """No traceback ever reaches the user: it goes to the log, and they get one sentence."""

    def hook(kind: type[BaseException], value: BaseException, trace: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            QApplication.quit()
            return
        report_unexpected(kind, value, trace, window)

    sys.excepthook = hook
