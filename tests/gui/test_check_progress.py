"""The first check of a file new to this computer shows its progress; a known file shows none."""

from __future__ import annotations

from pathlib import Path

from briefing.gui.dialogs import CheckProgress, open_with_dialogs


def test_the_check_progress_says_what_it_reads_and_closes(qtbot) -> None:
    progress = CheckProgress(None, "world.brief")
    progress("reading", 50, 200)
    assert progress.dialog is not None
    assert progress.dialog.labelText() == "Reading world.brief (first opened on this computer)…"
    assert (progress.dialog.value(), progress.dialog.maximum()) == (250, 1000)
    progress("checking pages", 0, 2)
    assert progress.dialog.maximum() == 0  # busy: SQLite does not say how far it is
    progress("checked", 2, 2)
    assert progress.dialog is None


def test_opening_from_the_window_remembers_the_checked_file(qtbot, demo_path: Path) -> None:
    from briefing.store.trust import VerifiedFiles, stamp_of

    project = open_with_dialogs(None, demo_path, "Analyst")
    assert project is not None
    project.close()
    assert VerifiedFiles.default().knows(demo_path, stamp_of(demo_path))
