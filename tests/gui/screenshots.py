"""Screenshots of the main window on the demo project, for looking at by eye.

Run by hand (not collected by pytest)::

    python tests/gui/screenshots.py OUT_FOLDER [WIDTHxHEIGHT ...]

Writes, per window size, one PNG per workspace tab (the library showing the
timeline with the border clashes selected), one per other library list, and
the window with the project open read-only.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("BRIEFING_ANALYST", "Screenshots")

SIZES = ((1200, 800), (1600, 1000))
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


def settle(app: object, rounds: int = 6) -> None:
    """Let queued layouts, lazy loads and deferred selections finish."""
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

    for _ in range(rounds):
        loop = QEventLoop()
        QTimer.singleShot(30, loop.quit)
        loop.exec()
        QCoreApplication.processEvents()


def shoot(folder: Path, width: int, height: int, scratch: Path) -> list[Path]:
    from PySide6.QtWidgets import QApplication

    from briefing.gui.app import application
    from briefing.gui.main_window import MainWindow
    from briefing.gui.settings import AppSettings
    from briefing.services.demo import create_demo_project

    app = application()
    os.environ["BRIEFING_SETTINGS_DIR"] = str(scratch / f"settings-{width}")  # first run layout
    path = scratch / f"demo-{width}.brief"
    create_demo_project(path, "Screenshots").close()
    window = MainWindow(AppSettings())
    window.resize(width, height)
    window.show()
    window.open_path(path)
    settle(app)
    window.show_record("entry", record_id(window, "entry", "clash"))
    settle(app)
    written = []
    for index in range(window.workspace.count()):
        title = window.workspace.tabText(index)
        window.workspace.setCurrentIndex(index)
        settle(app)
        widget = window.workspace.currentWidget()
        refresh = getattr(widget, "refresh_action", None)
        if title == "PDF Preview" and refresh is not None:
            refresh.trigger()
            settle(app, 12)
        name = f"{width}x{height}-{index:02d}-{title.lower().replace(' ', '-')}.png"
        out = folder / name
        window.grab().save(str(out))
        written.append(out)
    window.workspace.setCurrentIndex(0)
    for kind, slug in SHOWN.items():
        window.show_record(kind, record_id(window, kind, slug))
        settle(app)
        out = folder / f"{width}x{height}-library-{kind}.png"
        window.grab().save(str(out))
        written.append(out)
    window.close_project()
    window.open_path(path, read_only=True)
    settle(app)
    out = folder / f"{width}x{height}-read-only.png"
    window.grab().save(str(out))
    written.append(out)
    window.close()
    QApplication.processEvents()
    return written


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    folder = Path(argv[0])
    folder.mkdir(parents=True, exist_ok=True)
    sizes = [tuple(int(n) for n in s.split("x")) for s in argv[1:]] or list(SIZES)
    with tempfile.TemporaryDirectory() as scratch:
        os.environ.setdefault("BRIEFING_DATA_DIR", str(Path(scratch) / "data"))
        for width, height in sizes:
            for out in shoot(folder, width, height, Path(scratch)):
                print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
