"""Undo never takes back a contradiction another analyst set meanwhile, on a file or a server.

A contradiction is one pair of statements, written from either side. Undoing an
edit of statement A writes A back whole, contradictions included; if another
analyst has since set B against A, that undo would silently remove their pair.
Setting or removing a pair therefore gives both statements a new stamp, so the
undo sees that A changed and is refused.
"""

from __future__ import annotations

import pytest

from briefing.services import records
from briefing.services.stamps import StaleRecord
from briefing.store import open_project


def _two_free_statements(project) -> tuple[dict, dict]:
    """Two statements that do not contradict each other, in dict form with ids."""
    with project.engine.connect() as connection:
        ids = [
            int(r[0])
            for r in connection.exec_driver_sql(
                "SELECT id FROM statement WHERE id NOT IN (SELECT statement_id FROM"
                " statement_contradiction UNION SELECT other_id FROM statement_contradiction)"
                " ORDER BY id LIMIT 2"
            )
        ]
    assert len(ids) == 2
    return tuple(records.get_record(project, "statement", i) | {"_id": i} for i in ids)


def _pairs(project, statement: dict) -> list[str]:
    return records.get_record(project, "statement", statement["_id"])["contradicts"]


def test_undoing_an_edit_of_a_is_refused_once_b_was_set_against_a(demo_target) -> None:
    with open_project(demo_target, "Ana") as mine, open_project(demo_target, "Ben") as theirs:
        a, b = _two_free_statements(mine)
        edit = records.update_record(
            mine,
            "statement",
            a["_id"],
            {"quote": "Changed by Ana"},
            loaded=(a["updated_at"], a["updated_by"]),
        )
        b_now = records.get_record(theirs, "statement", b["_id"])
        records.update_record(
            theirs,
            "statement",
            b["_id"],
            {"contradicts": [a["uuid"]]},
            loaded=(b_now["updated_at"], b_now["updated_by"]),
        )
        with pytest.raises(StaleRecord, match="Ben"):
            records.restore(mine, edit.before, description="Undo", expected=edit.left())
        assert _pairs(mine, a) == [b["uuid"]]
        assert records.get_record(mine, "statement", a["_id"])["quote"] == "Changed by Ana"


def test_undoing_ones_own_pair_removes_it_and_restamps_both(demo_target) -> None:
    with open_project(demo_target, "Ana") as mine:
        a, b = _two_free_statements(mine)
        added = records.update_record(
            mine,
            "statement",
            a["_id"],
            {"contradicts": [b["uuid"]]},
            loaded=(a["updated_at"], a["updated_by"]),
        )
        b_after = records.get_record(mine, "statement", b["_id"])
        assert b_after["updated_at"] != b["updated_at"] and b_after["updated_by"] == "Ana"
        assert _pairs(mine, b) == [a["uuid"]]
        undone = records.restore(mine, added.before, description="Undo", expected=added.left())
        assert _pairs(mine, a) == [] and _pairs(mine, b) == []
        b_undone = records.get_record(mine, "statement", b["_id"])
        assert b_undone["updated_at"] != b_after["updated_at"]
        records.restore(mine, added.after, description="Redo", expected=undone.left())
        assert _pairs(mine, b) == [a["uuid"]]


def test_the_other_statement_of_a_new_pair_is_in_the_change(demo_target) -> None:
    """So the window shows both with their new stamps, and the next edit of B is not refused."""
    with open_project(demo_target, "Ana") as mine:
        a, b = _two_free_statements(mine)
        added = records.update_record(
            mine,
            "statement",
            a["_id"],
            {"contradicts": [b["uuid"]]},
            loaded=(a["updated_at"], a["updated_by"]),
        )
        assert set(added.ids["statement"]) == {a["_id"], b["_id"]}
        b_after = next(r for r in added.after["statement"] if r["uuid"] == b["uuid"])
        records.update_record(
            mine, "statement", b["_id"], {"quote": "Then edited"},
            loaded=(b_after["updated_at"], b_after["updated_by"]),
        )  # fmt: skip
