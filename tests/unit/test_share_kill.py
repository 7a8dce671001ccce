"""A share copy that fails or is killed half-way leaves nothing unredacted where it was going.

The unredacted copy is made and redacted in a private folder beside the project;
the destination folder only ever receives the finished copy. The runs below are
stopped at fixed points (an error raised inside redaction; SIGKILL while the
unredacted copy exists, and while the finished copy is being written), then every
file under the destination folder, hidden ones included, is scanned.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from briefing.errors import BriefingError
from briefing.model.vocab import Tlp
from briefing.services import records, share
from briefing.services.share import write_share_copy
from briefing.store import Project, open_project

SECRET = "Kkillsecretword"

SCRIPT = """
import shutil, sys, time
from pathlib import Path
from briefing.model.vocab import Tlp
from briefing.services import share
from briefing.store import open_project

project_path, destination, stage = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]

def stop():
    print("stopped", flush=True)
    time.sleep(3600)

if stage == "copied":  # the whole unredacted copy exists
    original = share._vacuum_into
    def hook(*args):
        original(*args)
        stop()
    share._vacuum_into = hook
elif stage == "redacting":  # deletions made, not yet committed
    def hook(*args):
        stop()
    share._remove_editions = hook
elif stage == "delivering":  # half the finished copy written to the destination
    def hook(source, stream, *args):
        data = source.read()
        stream.write(data[: len(data) // 2])
        stream.flush()
        stop()
    shutil.copyfileobj = hook
with open_project(project_path, "Ana", read_only=True) as project:
    share.write_share_copy(project, destination, Tlp.GREEN)
"""


def secret_project(demo_project: Project) -> Path:
    """The demo plus a RED party and RED entries whose words must never reach the destination."""
    records.create_record(
        demo_project, "party", {"name": f"{SECRET} unit", "kind": "armed group", "tlp": "RED"}
    )
    for n in range(200):
        records.create_record(
            demo_project,
            "entry",
            {
                "title": f"{SECRET} event {n}",
                "description": f"{SECRET} " * 50,
                "start_utc": "2021-11-16T00:00:00Z",
                "tlp": "RED",
            },
        )
    demo_project.close()
    return demo_project.path


def unredacted_files(folder: Path) -> list[Path]:
    """Files anywhere under ``folder`` holding the secret as stored or as indexed."""
    words = (SECRET.encode(), SECRET.lower().encode())
    return [
        path
        for path in folder.rglob("*")
        if path.is_file() and any(w in path.read_bytes() for w in words)
    ]


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.endswith(".partial")]


@pytest.fixture
def project_path(demo_project: Project) -> Path:
    return secret_project(demo_project)


def test_the_secret_is_in_the_project(project_path: Path) -> None:
    assert unredacted_files(project_path.parent) == [project_path]


def test_an_error_inside_redaction_leaves_nothing(
    project_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(share, "_remove_editions", fail)
    out = tmp_path / "out"
    out.mkdir()
    with open_project(project_path, "Ana") as project, pytest.raises(BriefingError) as error:
        write_share_copy(project, out / "shared.brief", Tlp.GREEN)
    assert str(error.value) == "Cannot write shared.brief: disk I/O error."
    assert list(out.iterdir()) == []
    assert leftovers(project_path.parent) == []


def test_an_unexpected_failure_leaves_nothing(
    project_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object) -> None:
        raise RuntimeError("stop")

    monkeypatch.setattr(share, "_forget_statistics", fail)
    out = tmp_path / "out"
    out.mkdir()
    with open_project(project_path, "Ana") as project, pytest.raises(RuntimeError):
        write_share_copy(project, out / "shared.brief", Tlp.GREEN)
    assert list(out.iterdir()) == []
    assert leftovers(project_path.parent) == []


@pytest.mark.parametrize("stage", ["copied", "redacting", "delivering"])
def test_a_share_killed_half_way_leaves_no_unredacted_byte_in_the_destination(
    project_path: Path, tmp_path: Path, stage: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    destination = out / "shared.brief"
    environment = {**os.environ, "PYTHONPATH": str(Path(share.__file__).parents[2])}
    child = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(project_path), str(destination), stage],
        stdout=subprocess.PIPE,
        env=environment,
    )
    assert child.stdout is not None
    try:
        assert child.stdout.readline() == b"stopped\n"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert not destination.exists()
    assert unredacted_files(out) == []
    left = leftovers(project_path.parent)
    if stage != "delivering":  # the unredacted copy waits beside the project, private
        assert len(left) == 1 and left[0].stat().st_mode & 0o077 == 0
    # The next share removes what the killed run left and writes a clean copy.
    with open_project(project_path, "Ana", read_only=True) as project:
        write_share_copy(project, destination, Tlp.GREEN)
    assert leftovers(project_path.parent) == []
    assert leftovers(out) == []
    assert unredacted_files(out) == []
    assert destination.exists()


def test_a_project_in_a_folder_we_cannot_write_is_redacted_in_the_system_temporary_folder(
    project_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[Path] = []
    real = tempfile.mkdtemp

    def mkdtemp(**arguments: Any) -> str:
        if Path(arguments.get("dir") or "/") == project_path.parent:
            raise PermissionError(13, "Permission denied")
        made.append(Path(real(**arguments)))
        return str(made[-1])

    monkeypatch.setattr(tempfile, "mkdtemp", mkdtemp)
    out = tmp_path / "out"
    out.mkdir()
    with open_project(project_path, "Ana", read_only=True) as project:
        write_share_copy(project, out / "shared.brief", Tlp.GREEN)
    (private,) = [p for p in made if ".share." in p.name]
    assert private.parent == Path(tempfile.gettempdir()) and not private.exists()
    assert unredacted_files(out) == [] and (out / "shared.brief").exists()


def test_a_missing_destination_folder_is_refused_before_any_copy(
    project_path: Path, tmp_path: Path
) -> None:
    with open_project(project_path, "Ana", read_only=True) as project:
        with pytest.raises(BriefingError) as error:
            write_share_copy(project, tmp_path / "nowhere" / "shared.brief", Tlp.GREEN)
    assert str(error.value).startswith("Cannot write shared.brief: the folder ")
    assert leftovers(project_path.parent) == []
