"""Fixtures for the window's tests: the application as the program sets it up; dialog answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from briefing.gui import collector, dialogs
from briefing.gui.dialogs import LockChoice


@pytest.fixture(scope="session", autouse=True)
def collected_on_the_window_thread(qapp):
    """As in the program: Python's cycle collector runs on the window's thread only."""
    watcher = collector.install(qapp)
    yield watcher
    watcher.stop()


@dataclass
class Dialogs:
    """Answers the window's dialogs and records what they were asked."""

    lock: LockChoice = LockChoice.CANCEL
    confirm: bool = True
    name: str | None = "Anna Analyst"
    save_path: Path | None = None
    title: str | None = "September 2022 border clashes"
    seen: dict[str, list[str]] = field(default_factory=dict)

    def note(self, kind: str, message: str = "") -> None:
        self.seen.setdefault(kind, []).append(message)


@pytest.fixture
def answers(monkeypatch) -> Dialogs:
    answers = Dialogs()

    def lock(parent, message):
        answers.note("lock", message)
        return answers.lock

    def confirm(parent, message):
        answers.note("confirm", message)
        return answers.confirm

    def name(parent):
        answers.note("name")
        return answers.name

    def save_path(parent, caption, suggested=""):
        answers.note("save", caption)
        return answers.save_path

    monkeypatch.setattr(dialogs, "ask_lock_choice", lock)
    monkeypatch.setattr(dialogs, "confirm_delete", confirm)
    monkeypatch.setattr(dialogs, "ask_analyst_name", name)
    monkeypatch.setattr(dialogs, "ask_save_path", save_path)
    monkeypatch.setattr(dialogs, "ask_project_title", lambda parent: answers.title)
    for kind in ("refusal", "failure", "unexpected"):
        monkeypatch.setattr(
            dialogs, f"show_{kind}", lambda parent, message, k=kind: answers.note(k, message)
        )
    return answers


@pytest.fixture(autouse=True)
def no_new_party(monkeypatch) -> None:
    """A typed unknown name is not added as a party unless a test answers otherwise."""
    monkeypatch.setattr(dialogs, "ask_new_party_kind", lambda parent, name: None)
    monkeypatch.setattr(dialogs, "ask_two_parties", lambda parent, choices: None)
    monkeypatch.setattr(dialogs, "ask_statement_quote", lambda parent: None)
    monkeypatch.setattr(dialogs, "ask_record_name", lambda parent, kind: TYPED_NAMES[kind])


TYPED_NAMES = {
    "entry": "Shelling near Jermuk",
    "party": "OSCE Minsk Group",
    "source": "Field report",
}
"""What the analyst types as a new record's name, in tests that do not answer the dialog."""
