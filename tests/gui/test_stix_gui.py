"""File ▸ Export ▸ STIX Bundle… / MISP Event… and File ▸ Import STIX Bundle…."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog

from briefing.gui.exports import stix_dialogs
from briefing.gui.exports.stix_dialogs import ExportChoice, SkippedList
from briefing.gui.main_window import MainWindow
from briefing.gui.settings import AppSettings
from briefing.io.stix.markings import TLP2_IDS
from briefing.model import codec
from briefing.model.vocab import Tlp

OPENCTI = Path(__file__).parents[1] / "fixtures" / "stix" / "opencti_report.json"


@dataclass
class Answers:
    path: Path | None = None
    scope: int = 0
    ceiling: str | None = None
    seen: dict[str, list[Any]] = field(default_factory=dict)

    def note(self, kind: str, value: Any) -> Any:
        self.seen.setdefault(kind, []).append(value)
        return value


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    answers = Answers()

    def choose(dialog: QDialog) -> bool:
        if isinstance(dialog, ExportChoice):
            dialog.scope.setCurrentIndex(answers.scope)
            dialog.ceiling.setCurrentIndex(dialog.ceiling.findData(answers.ceiling))
        answers.note("dialog", dialog)
        return True

    monkeypatch.setattr(stix_dialogs, "exec_dialog", choose)
    monkeypatch.setattr(
        stix_dialogs, "ask_save_path", lambda *a: answers.note("save", answers.path)
    )
    monkeypatch.setattr(
        stix_dialogs, "ask_open_path", lambda *a: answers.note("open", answers.path)
    )
    monkeypatch.setattr(stix_dialogs, "show_refusal", lambda p, t, m: answers.note("refusal", m))
    return answers


@pytest.fixture
def window(qtbot: Any, answers: Answers, demo_path: Path) -> MainWindow:
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    window.show()
    assert window.open_path(demo_path)
    return window


def test_the_file_menu_holds_the_exchange_actions(window: MainWindow) -> None:
    file_menu = window.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions()]
    assert "Import &STIX Bundle…" in texts
    export = next(a.menu() for a in file_menu.actions() if a.text() == "E&xport")
    assert [a.text() for a in export.actions()] == ["&STIX Bundle…", "&MISP Event…"]
    assert all(a.isEnabled() for a in export.actions())


def test_export_with_a_ceiling_then_import_shows_what_was_skipped(
    window: MainWindow, answers: Answers, tmp_path: Path, qtbot: Any
) -> None:
    answers.path, answers.ceiling = tmp_path / "shared", "GREEN"
    window.exchange.stix_export_action.trigger()
    written = tmp_path / "shared.stix.json"
    text = written.read_text(encoding="utf-8")
    assert TLP2_IDS[Tlp.RED] not in text and json.loads(text)["type"] == "bundle"
    assert "STIX objects" in window.statusBar().currentMessage()

    shown: list[SkippedList] = []
    answers.path = OPENCTI
    original = stix_dialogs.show_skipped

    def keep(parent: Any, summary: str, skipped: list[tuple[str, str]]) -> None:
        dialog = SkippedList(parent, summary, skipped)
        shown.append(dialog)
        qtbot.addWidget(dialog)

    stix_dialogs.show_skipped = keep
    try:
        window.exchange.stix_import_action.trigger()
    finally:
        stix_dialogs.show_skipped = original
    (dialog,) = shown
    assert [dialog.objects.item(n).text() for n in range(dialog.objects.count())] == [
        "relationship  relationship--8a0c2e4f-6b9d-5a1c-9e5f-4a5b6c7d8e12"
    ]
    dialog.show()
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert window.document is not None and window.document.undo_stack.count() == 0
    with window.document.project.engine.connect() as connection:
        names = {p["name"] for p in codec.dump(connection, "party")}
    assert "Government of Armenia" in names


def test_misp_export_of_the_open_briefing(
    window: MainWindow, answers: Answers, tmp_path: Path
) -> None:
    answers.path = tmp_path / "event.misp.json"
    window.exchange.misp_export_action.trigger()
    event = json.loads(answers.path.read_text(encoding="utf-8"))
    assert event["Tag"][0]["name"].startswith("tlp:")


def test_a_refused_bundle_is_told_in_one_sentence(
    window: MainWindow, answers: Answers, tmp_path: Path
) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"type": "bundle", "objects": [7]}', encoding="utf-8")
    answers.path = path
    window.exchange.stix_import_action.trigger()
    (message,) = answers.seen["refusal"]
    assert message.startswith("Nothing was imported from bad.json") and "\n" not in message


def test_the_skipped_list_renders(qtbot: Any, tmp_path: Path) -> None:
    skipped = [("malware", f"malware--{n:08d}-6f7f-459a-80ea-9c1f17b58abc") for n in range(3)]
    dialog = SkippedList(None, "Imported from x.json: 11 added, 0 updated.", skipped)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.objects.count() == 3 and dialog.objects.isVisible()
    shutil.rmtree(tmp_path / "png", ignore_errors=True)
    (tmp_path / "png").mkdir()
    assert dialog.grab().save(str(tmp_path / "png" / "skipped.png"))


def test_the_import_summary_reads_as_the_command_line_prints_it(
    window: MainWindow,
    answers: Answers,
    demo_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from briefing.cli import main

    copy = tmp_path / "copy.brief"
    shutil.copyfile(demo_path, copy)
    assert main(["import", str(copy), str(OPENCTI)]) == 0
    printed = capsys.readouterr().out.splitlines()
    shown: list[str] = []
    monkeypatch.setattr(
        stix_dialogs, "show_skipped", lambda parent, summary, skipped: shown.append(summary)
    )
    answers.path = OPENCTI
    window.exchange.stix_import_action.trigger()
    (summary,) = shown
    assert printed[0].startswith("Imported opencti_report.json: ")
    assert summary.splitlines() == [line for line in printed if "skipped:" not in line]
    assert window.statusBar().currentMessage().startswith(printed[0] + " An import cannot")
