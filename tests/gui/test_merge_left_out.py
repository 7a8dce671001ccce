"""The merge dialog names what a merge leaves out of the other file, and what it deletes."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from briefing.gui.sharing.merge_dialog import MergeDialog, plan_summary
from briefing.model.base import to_utc_text, utc_now
from briefing.services.merge import plan_merge
from briefing.services.merge_view import record_names
from briefing.store import open_project


def test_left_out_records_and_deletions_are_listed(
    qtbot, demo_template: Path, demo_path: Path, tmp_path: Path
) -> None:
    theirs = tmp_path / "colleague.brief"
    shutil.copyfile(demo_template, theirs)
    now = to_utc_text(utc_now())
    connection = sqlite3.connect(theirs)
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute(
        "UPDATE source SET url = 'javascript:alert(1)', updated_at = ? WHERE id = 1", (now,)
    )
    connection.execute(
        "INSERT INTO tombstone SELECT uuid, 'party', ?, 'Bob' FROM party WHERE id = 3", (now,)
    )
    connection.execute("DELETE FROM party WHERE id = 3")
    connection.commit()
    connection.close()
    with open_project(demo_path, "Ana") as project:
        plan = plan_merge(project, theirs)
        dialog = MergeDialog(plan, record_names(project, plan))
    qtbot.addWidget(dialog)
    dialog.show()
    rows = [dialog.listed.item(i).text() for i in range(dialog.listed.count())]
    assert "1 left out as invalid" in plan_summary(plan)
    assert any(row.startswith("Deletes party ‘") for row in rows)
    assert any(row.startswith("Left out: ") and "field 'url'" in row for row in rows)
    assert dialog.listed.isVisible()
