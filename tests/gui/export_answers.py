"""What the export tests share: answers to the dialogs they replace, and an open window."""

from __future__ import annotations

from pathlib import Path

from briefing.gui import export_pdf
from briefing.gui.main_window import MainWindow
from briefing.gui.settings import AppSettings


class Noted:
    """Remembers, per kind, what each replaced dialog was shown (``answers.seen["done"]``)."""

    raise_label: bool = True

    @property
    def seen(self) -> dict[str, list[object]]:
        return self.__dict__.setdefault("_seen", {})

    def note(self, kind: str, value: object) -> None:
        self.seen.setdefault(kind, []).append(value)


def answer_shared_dialogs(monkeypatch, answers: Noted) -> None:
    """Raising the label, failures and opening the file: asked the same way by PDF and Word."""

    def ask_raise(parent, message, label, verb):
        answers.note("raise", (message, label, verb))
        return answers.raise_label

    monkeypatch.setattr(export_pdf, "ask_raise_label", ask_raise)
    monkeypatch.setattr(export_pdf, "show_export_failure", lambda p, m: answers.note("failure", m))
    monkeypatch.setattr(export_pdf, "open_file", lambda path: answers.note("opened", path))


def open_window(qtbot, path: Path, size: tuple[int, int]) -> MainWindow:
    """The main window, shown at ``size``, with the project at ``path`` open."""
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    assert window.open_path(path)
    return window
