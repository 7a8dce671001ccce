"""A process killed with SIGKILL in the middle of a large import loses all of it or none."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from briefing.io.jsondoc import FORMAT, VERSION
from briefing.store import create_project, open_project
from briefing.store.verify import check_file

ENTRIES = 30_000

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


def write_document(path: Path, entries: int) -> None:
    party, source = str(uuid.uuid4()), str(uuid.uuid4())
    document = {
        "format": FORMAT,
        "version": VERSION,
        "parties": [{"uuid": party, "name": "Armed Forces of Armenia", "kind": "armed force"}],
        "sources": [{"uuid": source, "title": "Ministry of Defence", "kind": "official statement"}],
        "entries": [
            {
                "uuid": str(uuid.UUID(int=n + 1, version=4)),
                "title": f"Shelling near Sotk, report {n}",
                "description": "Heavy artillery reported by both sides; Հայաստան, Azərbaycan.",
                "start_utc": "2021-11-16T07:00:00Z",
                "parties": [{"party": party, "role": "target"}],
                "sources": [source],
            }
            for n in range(entries)
        ],
    }
    path.write_text(json.dumps(document), encoding="utf-8")


def entry_count(path: Path) -> int:
    with open_project(path, "Test analyst") as project:
        with project.engine.connect() as connection:
            return connection.exec_driver_sql("SELECT count(*) FROM timeline_entry").scalar_one()


def kill_mid_write(process: subprocess.Popen[bytes], path: Path) -> bool:
    """SIGKILL the process once its transaction has written pages into the file itself.

    SQLite spills a large transaction into the file before committing, keeping the
    old pages in the journal; a kill then leaves a half-written file that only the
    journal can restore. Returns False if the process finished first.
    """
    journal, size = path.with_name(path.name + "-journal"), path.stat().st_size
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if journal.exists() and path.stat().st_size > size:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
            return True
        time.sleep(0.002)
    process.wait()
    return False


def test_a_killed_import_leaves_a_sound_file_with_all_of_it_or_none(tmp_path: Path) -> None:
    document = tmp_path / "large.json"
    write_document(document, ENTRIES)
    project_path = tmp_path / "target.brief"
    create_project(project_path, "Test analyst").close()
    process = subprocess.Popen(
        [sys.executable, "-m", "briefing", "import", str(project_path), str(document)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    killed = kill_mid_write(process, project_path)
    assert killed, "the import finished before it could be killed; make the document larger"
    assert process.returncode == -signal.SIGKILL
    (problem,) = check_file(project_path)  # checking never writes, so it cannot restore
    assert "left half saved" in problem
    count = entry_count(project_path)  # opening restores the file from the journal
    assert check_file(project_path) == []
    assert count in (0, ENTRIES)
