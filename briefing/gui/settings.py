"""What the program remembers between runs: recent files, window layout, the analyst's name.

Tests and packaged-build smoke runs point ``BRIEFING_SETTINGS_DIR`` and
``BRIEFING_DATA_DIR`` at temporary folders, so they never touch a real user's
settings or data.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

ORGANISATION = "Conflict Briefing"
APPLICATION = "Conflict Briefing"
RECENT_LIMIT = 10
DEMO_FILE_NAME = "Demo - Armenia-Azerbaijan border 2021.brief"


def data_dir() -> Path:
    """The user's data folder for this program (the demo project, the error log)."""
    override = os.environ.get("BRIEFING_DATA_DIR")
    if override:
        folder = Path(override)
    else:
        location = QStandardPaths.StandardLocation.AppDataLocation
        folder = Path(
            QStandardPaths.writableLocation(location) or Path.home() / ".conflict-briefing"
        )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def demo_path() -> Path:
    return data_dir() / DEMO_FILE_NAME


def crash_log_path() -> Path:
    return data_dir() / "errors.log"


class AppSettings:
    """Typed access to the program's QSettings."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self.qsettings = settings or _open()

    # ------------------------------------------------------------------ files

    def recent_files(self) -> list[Path]:
        value = self.qsettings.value("files/recent", [])
        names = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        return [Path(n) for n in names if n]

    def add_recent(self, path: Path) -> None:
        resolved = str(Path(path).resolve())
        names = [str(p) for p in self.recent_files() if str(p) != resolved]
        self.qsettings.setValue("files/recent", [resolved, *names][:RECENT_LIMIT])
        self.qsettings.setValue("files/last", resolved)

    def forget_recent(self, path: Path) -> None:
        names = [str(p) for p in self.recent_files() if p != Path(path)]
        self.qsettings.setValue("files/recent", names)

    def clear_recent(self) -> None:
        self.qsettings.setValue("files/recent", [])

    def last_project(self) -> Path | None:
        value = self.qsettings.value("files/last", "")
        return Path(str(value)) if value else None

    # ------------------------------------------------------------------ analyst

    def analyst_name(self) -> str:
        """$BRIEFING_ANALYST if set, else the name given once and remembered ('' if never)."""
        return os.environ.get("BRIEFING_ANALYST") or str(
            self.qsettings.value("analyst/name", "") or ""
        )

    def set_analyst_name(self, name: str) -> None:
        self.qsettings.setValue("analyst/name", name.strip())

    # ------------------------------------------------------------------ layout

    def window_state(self, key: str) -> QByteArray | None:
        value = self.qsettings.value(f"window/{key}")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_window_state(self, key: str, value: QByteArray) -> None:
        self.qsettings.setValue(f"window/{key}", value)

    def sync(self) -> None:
        self.qsettings.sync()


def _open() -> QSettings:
    folder = os.environ.get("BRIEFING_SETTINGS_DIR")
    if folder:
        path = Path(folder) / "settings.ini"
        return QSettings(str(path), QSettings.Format.IniFormat)
    return QSettings(ORGANISATION, APPLICATION)
