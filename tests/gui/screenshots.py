"""Screenshots of the main window on the demo project, for looking at by eye.

Run by hand (not collected by pytest)::

    python tests/gui/screenshots.py OUT_FOLDER            # every size, theme and scale
    python tests/gui/screenshots.py OUT_FOLDER 1280x720 dark 2

The first form runs the second once per combination, each in its own process,
since the scale must be set before the application starts. Per combination it
writes one PNG per workspace tab (the library showing the timeline with the
border clashes selected), one per other library list with its record in the
inspector, and the window with the project open read-only. Names read
``SIZE-THEME[-SCALEx]-WHAT.png``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("BRIEFING_ANALYST", "Screenshots")

COMBINATIONS = (
    ("1280x720", "light", "1"),
    ("1280x720", "dark", "1"),
    ("1600x1000", "light", "1"),
    ("1600x1000", "dark", "1"),
    ("2560x1440", "light", "1"),
    ("2560x1440", "dark", "1"),
    ("1280x720", "light", "2"),
    ("1280x720", "dark", "2"),
)
"""Window size in logical pixels, theme, scale (2: 200 %, a 2560×1440 screen)."""
SHOWN = {
    "statement": "grigoryan-request",  # Armenian letters in the speaker's name
    "relationship": "treaty-1997",
    "party": "azerbaijan",  # Azerbaijani letters in the description
    "source": "article",
}
"""The record each other library list shows, by its demo slug."""


def record_id(window: object, kind: str, slug: str) -> int:
    from briefing.model import codec
    from briefing.services.demo import uid

    with window.document.project.engine.connect() as connection:  # type: ignore[attr-defined]
        return codec.ids_for_uuids(connection, codec.table(kind), [uid(slug)])[uid(slug)]


def settle(rounds: int = 6) -> None:
    """Let queued layouts, lazy loads and deferred selections finish."""
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

    for _ in range(rounds):
        loop = QEventLoop()
        QTimer.singleShot(30, loop.quit)
        loop.exec()
        QCoreApplication.processEvents()


def shoot(folder: Path, size: str, theme: str, scale: str, scratch: Path) -> list[Path]:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from briefing.gui.app import application
    from briefing.gui.main_window import MainWindow
    from briefing.gui.settings import AppSettings
    from briefing.gui.theme import apply_scheme
    from briefing.services.demo import create_demo_project

    width, height = (int(n) for n in size.split("x"))
    prefix = f"{size}-{theme}" + ("" if scale == "1" else f"-{scale}x")
    app = application()
    os.environ["BRIEFING_SETTINGS_DIR"] = str(scratch / "settings")  # first run layout
    os.environ["BRIEFING_DATA_DIR"] = str(scratch / "data")
    path = scratch / "demo.brief"
    create_demo_project(path, "Screenshots").close()
    window = MainWindow(AppSettings())
    scheme = Qt.ColorScheme.Dark if theme == "dark" else Qt.ColorScheme.Light
    apply_scheme(app, scheme)  # the offscreen platform has no system setting of its own
    window.resize(width, height)
    window.show()
    window.open_path(path)
    settle()
    window.show_record("entry", record_id(window, "entry", "clash"))
    settle()
    written = []

    def save(what: str) -> None:
        out = folder / f"{prefix}-{what}.png"
        window.grab().save(str(out))
        written.append(out)

    for index in range(window.workspace.count()):
        title = window.workspace.tabText(index)
        window.workspace.setCurrentIndex(index)
        settle()
        if title == "PDF Preview":
            settle(40)  # laid out a step at a time between events
        save(f"{index:02d}-{title.lower().replace(' ', '-')}")
    window.workspace.setCurrentIndex(0)
    for kind, slug in SHOWN.items():
        window.show_record(kind, record_id(window, kind, slug))
        settle()
        save(f"library-{kind}")
    window.close_project()
    window.open_path(path, read_only=True)
    settle()
    save("read-only")
    window.close()
    QApplication.processEvents()
    return written


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    folder = Path(argv[0])
    folder.mkdir(parents=True, exist_ok=True)
    if len(argv) == 1:
        for size, theme, scale in COMBINATIONS:
            env = dict(os.environ, QT_SCALE_FACTOR=scale)
            command = [sys.executable, __file__, str(folder), size, theme, scale]
            if subprocess.run(command, env=env, check=False).returncode != 0:
                return 1
        return 0
    size, theme, scale = argv[1:4]
    os.environ["QT_SCALE_FACTOR"] = scale
    with tempfile.TemporaryDirectory() as scratch:
        for out in shoot(folder, size, theme, scale, Path(scratch)):
            print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
