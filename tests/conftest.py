"""Shared fixtures: one demo project built per session and copied for each test."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("BRIEFING_ANALYST", "Test analyst")

from postgres import (  # noqa: E402, F401  (the throw-away PostgreSQL server)
    backend,
    blank_database,
    demo_store,
    demo_target,
    empty_target,
    postgres,
    server_address,
    server_demo_address,
    server_templates,
)

from briefing.services.demo import create_demo_project  # noqa: E402
from briefing.store import Project, open_project  # noqa: E402


@pytest.fixture(autouse=True)
def private_settings(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Each test gets its own settings and data folders, never the user's real ones."""
    folder = tmp_path_factory.mktemp("settings")
    monkeypatch.setenv("BRIEFING_SETTINGS_DIR", str(folder))
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(folder / "data"))
    return folder


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo project file built once; tests copy it rather than rebuild it."""
    path = tmp_path_factory.mktemp("template") / "demo.brief"
    create_demo_project(path, "Template").close()
    return path


@pytest.fixture
def demo_path(demo_template: Path, tmp_path: Path) -> Path:
    """A private copy of the demo project file."""
    path = tmp_path / "demo.brief"
    shutil.copyfile(demo_template, path)
    return path


@pytest.fixture
def demo_project(demo_path: Path) -> Iterator[Project]:
    """The demo project, open for writing."""
    project = open_project(demo_path, "Test analyst")
    yield project
    project.close()
