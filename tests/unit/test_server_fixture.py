"""The throw-away PostgreSQL of the tests never outlives its run.

A run interrupted before its end (a killed terminal, a SIGKILL) leaves its server
running in its folder; the next run stops such servers when it starts, but only
those whose owning test process is gone, never another run's that is still going.
A run's own server is stopped when it ends.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import postgres
import pytest


def _running(server: postgres.Server) -> bool:
    pid = postgres._postmaster(server.folder)
    return pid is not None and postgres._alive(pid)


def _gone_pid() -> int:
    """The id of a process that has ended (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.fixture
def spare(postgres: postgres.Server):  # noqa: ANN201 - needs the binaries, as the suite's
    started = postgres_start()
    yield started
    started.stop()


def postgres_start() -> postgres.Server:
    server = postgres.start_server()
    assert isinstance(server, postgres.Server), server
    return server


def test_a_server_whose_run_is_gone_is_stopped_by_the_next_run(spare) -> None:
    (spare.folder / postgres.OWNER_FILE).write_text(f"{_gone_pid()} 0\n", encoding="utf-8")
    pid = postgres._postmaster(spare.folder)
    assert pid is not None and postgres._alive(pid)
    stopped = postgres.sweep_stale_servers()
    assert spare.folder in stopped
    assert pid is not None and not postgres._alive(pid)
    assert not spare.folder.exists()


def test_a_server_of_a_run_still_going_is_left_alone(spare) -> None:
    assert postgres.owner_alive(spare.folder)  # this process owns it
    assert spare.folder not in postgres.sweep_stale_servers()
    assert _running(spare)


def test_a_folder_naming_no_owner_is_left_alone(spare) -> None:
    """Made by another program or an older run: nothing says its owner is gone."""
    (spare.folder / postgres.OWNER_FILE).unlink()
    assert spare.folder not in postgres.sweep_stale_servers()
    assert _running(spare)


def test_stopping_a_server_ends_its_process_and_removes_its_folder(spare) -> None:
    pid = postgres._postmaster(spare.folder)
    assert pid is not None and postgres._alive(pid)
    spare.stop()
    assert not postgres._alive(pid)
    assert not Path(spare.folder).exists()
    spare.stop()  # a second stop (at exit) is harmless
