"""A field copy of a team project comes back through the ordinary merge rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_merge import edit, fetch, remove

from briefing.services.demo import uid
from briefing.services.merge import Resolution, merge_project
from briefing.store import open_project
from briefing.store.copying import copy_project


@pytest.fixture
def field(server_demo_address: str, tmp_path: Path) -> Path:
    path = tmp_path / "field.brief"
    with open_project(server_demo_address, "Desk", read_only=True) as project:
        copy_project(project, path)
    return path


@pytest.mark.parametrize(
    ("prefer", "kept"), [(Resolution.OURS, "desk"), (Resolution.THEIRS, "field")]
)
def test_a_record_changed_on_both_sides_is_a_conflict(
    server_demo_address: str, field: Path, prefer: Resolution, kept: str
) -> None:
    edit(server_demo_address, "party", "russia", "Desk", description="desk")
    edit(field, "party", "russia", "Field", description="field")
    with open_project(server_demo_address, "Desk") as project:
        report = merge_project(project, field, prefer)
        assert [c.describe() for c in report.conflicts]
        assert fetch(project, "party", uid("russia"))["description"] == kept


def test_a_deletion_and_an_edit_in_the_field_travel_to_the_server(
    server_demo_address: str, field: Path
) -> None:
    remove(field, "relationship", "turkey-backing", "Field")
    edit(field, "entry", "clash", "Field", place="Sotk")
    with open_project(server_demo_address, "Desk") as project:
        report = merge_project(project, field)
        assert not report.conflicts
        assert fetch(project, "relationship", uid("turkey-backing")) is None
        entry = fetch(project, "entry", uid("clash"))
        assert (entry["place"], entry["updated_by"]) == ("Sotk", "Field")
    with open_project(server_demo_address, "Desk") as project:  # merging again changes nothing
        again = merge_project(project, field)
        assert not again.conflicts and not again.deleting
