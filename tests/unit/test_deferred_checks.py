"""An import's rows still meet the file's CHECK constraints, tested per batch instead of per row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import CheckConstraint
from sqlalchemy.exc import IntegrityError

from briefing.errors import RecordError
from briefing.io import deferred_checks
from briefing.io.event_import import bulk_transaction, store_batch
from briefing.io.ucdp import run_ucdp_import
from briefing.model import codec, rules
from briefing.model.base import Base
from briefing.store import Project, create_project

GED = Path(__file__).parents[1] / "fixtures" / "ucdp" / "ged.csv"
ENTRY = "0b3c6a52-7f0e-4f7b-9d2a-6b1e5c4d3a21"


def entry(**changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "uuid": ENTRY,
        "title": "Shelling near Sotk",
        "start_utc": "2022-09-13T00:00:00Z",
        "claims": [{"side": "unknown", "category": "killed", "best": 3}],
    }
    return {**record, **changes}


@pytest.fixture
def project(tmp_path: Path) -> Project:
    opened = create_project(tmp_path / "checks.brief", "Checks")
    yield opened
    opened.close()


def entries(project: Project) -> int:
    with project.engine.connect() as connection:
        return int(connection.exec_driver_sql("SELECT count(*) FROM timeline_entry").scalar_one())


@pytest.mark.parametrize(
    ("record", "constraint"),
    [
        (entry(credibility=9), "credibility_range"),
        (entry(claims=[{"side": "unknown", "category": "eaten", "best": 3}]), "claim_category"),
        (entry(claims=[{"side": "nobody", "category": "killed", "best": 3}]), "claim_side"),
        (entry(claims=[{"side": "unknown", "category": "killed", "low": 5, "best": 3}]),
         "figures_in_order"),
    ],
)  # fmt: skip
def test_with_the_rules_switched_off_the_files_constraints_still_refuse(
    demo_store: Project, monkeypatch: pytest.MonkeyPatch, record: dict[str, Any], constraint: str
) -> None:
    """On a file the constraints are tested per batch, on a server per row as always."""
    before = entries(demo_store)
    monkeypatch.setattr(rules, "check_record", lambda kind, record: [])
    with pytest.raises(codec.BrokenRule, match=constraint):
        with bulk_transaction(demo_store) as connection:
            store_batch(connection, {"entry": [record]}, "analyst", {"entry": {}})
    assert entries(demo_store) == before


def test_a_ged_file_imports_and_reimports_on_both_back_ends(demo_store: Project) -> None:
    first = run_ucdp_import(demo_store, GED)
    again = run_ucdp_import(demo_store, GED)
    assert first.added > 0
    assert (again.added, again.updated, again.unchanged) == (0, 0, first.added)


def test_a_valid_batch_is_stored(project: Project) -> None:
    with bulk_transaction(project) as connection:
        store_batch(connection, {"entry": [entry()]}, "analyst", {"entry": {}})
    assert entries(project) == 1


def test_the_constraints_are_on_again_after_an_import_and_after_a_refused_one(
    project: Project,
) -> None:
    with bulk_transaction(project) as connection:
        assert deferred_checks.are_deferred(connection)
        store_batch(connection, {"entry": [entry()]}, "analyst", {"entry": {}})
    with pytest.raises(RecordError), bulk_transaction(project) as connection:
        store_batch(connection, {"entry": [entry(title="")]}, "analyst", {"entry": {}})
    with pytest.raises(IntegrityError, match="credibility_range"):
        with project.transaction() as session:
            connection = session.connection()
            assert not deferred_checks.are_deferred(connection)
            connection.exec_driver_sql("UPDATE timeline_entry SET credibility = 9")
    with project.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT credibility FROM timeline_entry").scalar() != 9


def test_every_constrained_table_an_event_import_writes_is_tested() -> None:
    """Of the tables the codec writes with an entry, those with CHECK constraints are tested."""
    written_with_an_entry = {"entry_party", "entry_source", "casualty_claim"}
    constrained = {
        name
        for name in written_with_an_entry
        if any(isinstance(c, CheckConstraint) for c in Base.metadata.tables[name].constraints)
    }
    assert constrained == {name for name, _ in deferred_checks.CHILDREN["entry"]}
    for name, owner in deferred_checks.CHILDREN["entry"]:
        keys = Base.metadata.tables[name].c[owner].foreign_keys
        assert {key.column.table.name for key in keys} == {codec.TABLE_NAMES["entry"]}
    for kind in ("entry", "party", "source"):
        assert deferred_checks.conditions(codec.TABLE_NAMES[kind])
