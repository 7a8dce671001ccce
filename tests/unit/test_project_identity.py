"""A project's identity names it to every merge partner: only a UUID is accepted."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from briefing.store.errors import ProjectRefused
from briefing.store.project import open_project


@pytest.mark.parametrize("identity", ["a" * 60000, "x", "NOT-A-UUID-0000-0000-0000-000000000000"])
def test_a_file_whose_identity_is_not_a_uuid_is_refused_untouched(
    demo_path: Path, tmp_path: Path, identity: str
) -> None:
    hostile = tmp_path / "hostile.brief"
    shutil.copyfile(demo_path, hostile)
    with sqlite3.connect(hostile) as connection:
        connection.execute(
            "UPDATE project_setting SET value = ? WHERE key = 'project_uuid'", (identity,)
        )
    before = hostile.read_bytes()
    with pytest.raises(ProjectRefused, match="project identity that is not a UUID"):
        open_project(hostile, "Anna")
    assert hostile.read_bytes() == before
