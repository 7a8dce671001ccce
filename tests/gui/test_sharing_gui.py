"""File ▸ Merge Project…, Import ACLED CSV…, Save a Copy for Sharing… and the Editions tab."""

from __future__ import annotations

import csv
import hashlib
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QProgressDialog

from briefing.gui import dialogs
from briefing.gui.main_window import MainWindow
from briefing.gui.settings import AppSettings
from briefing.gui.sharing import ask
from briefing.gui.sharing.editions_panel import EditionsPanel
from briefing.gui.sharing.merge_dialog import MergeDialog
from briefing.gui.sharing.share_dialog import ShareDialog
from briefing.model import codec
from briefing.model.vocab import Tlp
from briefing.services import records
from briefing.services.demo import uid
from briefing.services.merge import Resolution, plan_merge
from briefing.store import Project, open_project

ACLED = Path(__file__).parents[1] / "fixtures" / "acled" / "events.csv"


@dataclass
class Answers:
    """What the sharing dialogs answer, and what they were shown."""

    path: Path | None = None
    skip_bad_rows: bool = True
    cancel_after: int | None = None
    on_dialog: Callable[[QDialog], bool] = lambda dialog: True
    seen: dict[str, list[Any]] = field(default_factory=dict)
    progress: list[tuple[int, int]] = field(default_factory=list)

    def note(self, kind: str, value: Any) -> Any:
        self.seen.setdefault(kind, []).append(value)
        return value


class RecordingProgress(QProgressDialog):
    """A progress dialog that remembers each value and may be cancelled after some steps."""

    def __init__(self, answers: Answers) -> None:
        super().__init__("", "Cancel", 0, 100)
        self.answers = answers

    def setValue(self, progress: int) -> None:  # noqa: N802 - Qt override
        super().setValue(progress)
        self.answers.progress.append((progress, self.maximum()))

    def wasCanceled(self) -> bool:  # noqa: N802 - Qt override
        limit = self.answers.cancel_after
        return limit is not None and len(self.answers.progress) >= limit


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    answers = Answers()
    path = lambda parent, *rest: answers.note("path", answers.path)  # noqa: E731
    for name in ("ask_other_project", "ask_csv_path", "ask_share_path"):
        monkeypatch.setattr(ask, name, path)
    monkeypatch.setattr(ask, "exec_dialog", lambda d: answers.note("dialog", answers.on_dialog(d)))
    monkeypatch.setattr(ask, "show_refusal", lambda p, t, m: answers.note("refusal", m))
    monkeypatch.setattr(ask, "show_report", lambda p, t, m, d="": answers.note("report", (m, d)))
    monkeypatch.setattr(
        ask,
        "ask_skip_bad_rows",
        lambda p, n, bad, count=0: answers.note("bad", bad) and answers.skip_bad_rows,
    )
    monkeypatch.setattr(ask, "progress_dialog", lambda parent, title: RecordingProgress(answers))
    monkeypatch.setattr(dialogs, "show_failure", lambda p, m: answers.note("failure", m))
    return answers


@pytest.fixture
def window(qtbot: Any, answers: Answers, demo_path: Path) -> MainWindow:
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    window.show()
    assert window.open_path(demo_path)
    return window


def project_of(window: MainWindow) -> Project:
    assert window.document is not None
    return window.document.project


def record_id(project: Project, kind: str, slug: str) -> int:
    with project.engine.connect() as connection:
        found = records.id_of(connection, kind, uid(slug))
    assert found is not None
    return found


def fetch(project: Project, kind: str, slug: str) -> dict[str, Any]:
    with project.engine.connect() as connection:
        return codec.dump(connection, kind, [record_id(project, kind, slug)])[0]


def killed(best: int) -> list[dict[str, Any]]:
    """The clash's claims: one figure of killed on all sides."""
    return [{"uuid": "0c1a1a1a-0000-4000-8000-00000000c1a1", "side": "all sides",
             "category": "killed", "best": best, "words": ""}]  # fmt: skip


def killed_of(record: dict[str, Any]) -> int:
    (claim,) = record["claims"]
    return int(claim["best"])


def edit(path: Path, analyst: str, kind: str, slug: str, **values: Any) -> None:
    with open_project(path, analyst) as project:
        with project.engine.connect() as connection:
            record_id = records.id_of(connection, kind, uid(slug))
        records.update_record(project, kind, record_id, values)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------------------- merge


@pytest.fixture
def colleague(demo_template: Path, demo_path: Path, tmp_path: Path) -> Path:
    """A colleague's copy: the clash changed on both sides, an entry added there."""
    path = tmp_path / "colleague.brief"
    shutil.copyfile(demo_template, path)
    edit(demo_path, "Ana", "entry", "clash", claims=killed(2))
    edit(path, "Bob", "entry", "clash", claims=killed(3), place="Sotk")
    with open_project(path, "Bob") as project:
        records.create_record(
            project, "entry", {"title": "Shelling near Jermuk", "start_utc": "2021-11-17T06:00:00Z"}
        )
    return path


def choose(resolution: Resolution, by_button: bool) -> Callable[[QDialog], bool]:
    """Answer the merge dialog: check what it shows, then settle the conflict."""

    def answer(dialog: QDialog) -> bool:
        assert isinstance(dialog, MergeDialog)
        row = dialog.tree.topLevelItem(0)
        assert row.text(0) == "Timeline entry ‘Clashes on the Armenia–Azerbaijan border’"
        fields = {row.child(i).text(0): row.child(i).text(1) + " | " + row.child(i).text(2)
                  for i in range(row.childCount())}  # fmt: skip
        assert fields["casualty claims"] == "All sides: 2 killed | All sides: 3 killed" and fields[
            "place"
        ].endswith("| Sotk")
        if by_button:
            dialog.all_buttons[resolution].click()
        else:
            dialog.set_choice(uid("clash"), resolution)
        return True

    return answer


@pytest.mark.parametrize(
    ("resolution", "by_button", "killed", "copies"),
    [
        (Resolution.OURS, False, 2, 0),
        (Resolution.THEIRS, True, 3, 0),
        (Resolution.BOTH, False, 2, 1),
    ],
)
def test_merge_settles_a_conflict_and_undo_puts_the_project_back(
    window: MainWindow,
    answers: Answers,
    colleague: Path,
    resolution: Resolution,
    by_button: bool,
    killed: int,
    copies: int,
) -> None:
    project = project_of(window)
    answers.path, answers.on_dialog = colleague, choose(resolution, by_button)
    window.sharing.merge_action.trigger()
    [(summary, detail)] = answers.seen["report"]
    assert "1 added, 0 updated, 1 conflicting, 0 deleted" in summary
    assert "‘Clashes on the Armenia" in detail and "Undo" in detail
    assert killed_of(fetch(project, "entry", "clash")) == killed
    with project.engine.connect() as connection:
        sotk = connection.exec_driver_sql(
            "SELECT count(*) FROM timeline_entry WHERE place = 'Sotk'"
        ).scalar()
        jermuk = "SELECT count(*) FROM timeline_entry WHERE title LIKE 'Shelling near Jermuk'"
        assert connection.exec_driver_sql(jermuk).scalar() == 1
    assert sotk == (1 if resolution is Resolution.THEIRS else copies)
    assert window.undo_action.text() == f"&Undo Merge {colleague.name}"
    window.undo_action.trigger()
    assert killed_of(fetch(project, "entry", "clash")) == 2
    with project.engine.connect() as connection:
        assert connection.exec_driver_sql(jermuk).scalar() == 0
    again = plan_merge(project, colleague)
    assert ([c.uuid for c in again.conflicts], again.added) == ([uid("clash")], 1)
    window.redo_action.trigger()
    assert killed_of(fetch(project, "entry", "clash")) == killed
    assert "failure" not in answers.seen


def test_a_corrupt_other_file_is_refused_in_a_sentence(
    window: MainWindow, answers: Answers, tmp_path: Path, demo_template: Path
) -> None:
    spoilt = tmp_path / "broken.brief"
    spoilt.write_bytes(demo_template.read_bytes()[:5000])
    before = digest(project_of(window).path)
    answers.path = spoilt
    window.sharing.merge_action.trigger()
    [message] = answers.seen["refusal"]
    assert message.startswith("broken.brief") and message.count(".") >= 1 and "\n" not in message
    assert "dialog" not in answers.seen
    assert digest(project_of(window).path) == before
    assert window.document is not None and window.document.undo_stack.count() == 0


def test_a_file_with_nothing_new_changes_nothing(
    window: MainWindow, answers: Answers, demo_template: Path, tmp_path: Path
) -> None:
    same = tmp_path / "same.brief"
    shutil.copyfile(demo_template, same)
    answers.path = same
    window.sharing.merge_action.trigger()
    assert "nothing changed" in answers.seen["report"][0][0]
    assert "dialog" not in answers.seen


# ---------------------------------------------------------------------------- ACLED


def with_bad_row(tmp_path: Path) -> Path:
    with ACLED.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    rows.insert(1, {**rows[0], "event_id_cnty": "ARM90099", "event_date": "31 Smarch 2021"})
    path = tmp_path / "bad.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def acled_entries(project: Project) -> list[str]:
    with project.engine.connect() as connection:
        return list(
            connection.exec_driver_sql(
                "SELECT external_id FROM timeline_entry WHERE external_id IS NOT NULL "
                "ORDER BY external_id"
            ).scalars()
        )


def test_acled_import_shows_progress_and_clears_the_undo_history(
    window: MainWindow, answers: Answers
) -> None:
    document = window.document
    assert document is not None
    clash = record_id(document.project, "entry", "clash")
    document.run(lambda p: records.update_record(p, "entry", clash, {"claims": killed(5)}))
    assert document.undo_stack.count() == 1
    answers.path = ACLED
    window.sharing.import_action.trigger()
    assert len(acled_entries(project_of(window))) == 5
    assert answers.progress and answers.progress[-1][0] <= answers.progress[-1][1]
    [(summary, detail)] = answers.seen["report"]
    assert "5 timeline entries added" in summary and "cannot be undone" in detail
    assert document.undo_stack.count() == 0
    assert "cannot be undone" in window.statusBar().currentMessage()


@pytest.mark.parametrize("skip", [True, False])
def test_bad_rows_are_listed_and_may_be_skipped(
    window: MainWindow, answers: Answers, tmp_path: Path, skip: bool
) -> None:
    answers.path, answers.skip_bad_rows = with_bad_row(tmp_path), skip
    window.sharing.import_action.trigger()
    [problems] = answers.seen["bad"]
    assert [p.line for p in problems] == [3] and "Smarch" in problems[0].reason
    assert len(acled_entries(project_of(window))) == (5 if skip else 0)
    assert ("report" in answers.seen) is skip


def test_cancelling_the_import_imports_nothing(window: MainWindow, answers: Answers) -> None:
    answers.path, answers.cancel_after = ACLED, 1
    window.sharing.import_action.trigger()
    assert acled_entries(project_of(window)) == []
    assert "report" not in answers.seen
    assert "nothing was imported" in window.statusBar().currentMessage()


# ---------------------------------------------------------------------------- share copy


@pytest.mark.parametrize(
    ("label", "left_out"),
    [(Tlp.GREEN, ["1 timeline entry"]), (Tlp.CLEAR, ["1 timeline entry", "1 briefing"])],
)
def test_share_copy_is_written_with_the_chosen_label(
    demo_path: Path, answers: Answers, qtbot: Any, tmp_path: Path, label: Tlp, left_out: list[str]
) -> None:
    edit(demo_path, "Ana", "entry", "captives-videos", tlp="AMBER")
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    assert window.open_path(demo_path)

    def answer(dialog: QDialog) -> bool:
        assert isinstance(dialog, ShareDialog)
        assert dialog.label.currentText() == "TLP:GREEN — the recipient's community, not publicly"
        dialog.set_choice(label, strip_notes=True)
        return True

    answers.path, answers.on_dialog = tmp_path / "for Bob.brief", answer
    window.sharing.share_action.trigger()
    [(summary, detail)] = answers.seen["report"]
    assert label.marking in summary
    for words in left_out:
        assert f"{words} marked more strictly than {label.marking}" in detail
    assert "the notes of every record" in detail
    connection = sqlite3.connect(answers.path)
    try:
        settings = dict(connection.execute("SELECT key, value FROM project_setting"))
    finally:
        connection.close()
    assert settings["share:max_tlp"] == label.value
    assert b"Videos appear to show captured" not in answers.path.read_bytes()


# ---------------------------------------------------------------------------- editions


def editions_panel(window: MainWindow) -> EditionsPanel:
    tabs = window.workspace
    index = next(i for i in range(tabs.count()) if tabs.tabText(i) == "Editions")
    tabs.setCurrentIndex(index)
    panel = tabs.widget(index)
    assert isinstance(panel, EditionsPanel)
    return panel


def list_rows(panel: EditionsPanel) -> list[str]:
    return [panel.list.topLevelItem(i).text(0) for i in range(panel.list.topLevelItemCount())]


def test_freeze_an_edition_and_see_what_changed_since(window: MainWindow, answers: Answers) -> None:
    panel = editions_panel(window)
    assert panel.heading.text().startswith("No edition yet")
    assert panel.freeze_button.text() == "Freeze as Edition 1"
    panel.freeze_button.click()
    assert list_rows(panel) == ["Current draft", "Edition 1"]
    assert panel.changes.lines() == ["No changes."]
    assert not panel.freeze_button.isEnabled()
    window.undo_action.trigger()
    assert list_rows(panel) == ["Current draft"]
    window.redo_action.trigger()
    assert list_rows(panel) == ["Current draft", "Edition 1"]
    document = window.document
    assert document is not None
    clash = record_id(document.project, "entry", "clash")
    document.run(lambda p: records.update_record(p, "entry", clash, {"claims": killed(7)}))
    assert panel.heading.text().startswith("Changes in the current draft since edition 1")
    lines = panel.changes.lines()
    assert lines[0] == "Changed: 1 item"
    assert lines[1].startswith("  Timeline entry ‘Clashes on the Armenia")
    assert "    casualties: All sides killed | — | 7" in lines
    panel.freeze_button.click()
    assert list_rows(panel) == ["Current draft", "Edition 2", "Edition 1"]
    panel.list.setCurrentItem(panel.list.topLevelItem(1))
    assert panel.heading.text().startswith("Changes in edition 2 since edition 1 (frozen ")
    assert "    casualties: All sides killed | — | 7" in panel.changes.lines()
