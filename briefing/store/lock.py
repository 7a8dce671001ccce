"""The lock file beside a project: who has it open, written only after a successful open."""

from __future__ import annotations

import json
import os
import socket
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path


@dataclass(frozen=True)
class LockHolder:
    analyst: str
    host: str
    pid: int
    since: str

    def describe(self) -> str:
        who = self.analyst or "another analyst"
        return f"{who} on {self.host} since {self.since[:16].replace('T', ' ')} UTC"

    @property
    def is_ours(self) -> bool:
        return self.host == socket.gethostname() and self.pid == os.getpid()

    @property
    def is_stale(self) -> bool:
        """True when the holder is a program on this machine that is no longer running."""
        if self.host != socket.gethostname():
            return False
        return not _process_alive(self.pid)


def lock_path(project_path: Path) -> Path:
    return project_path.with_name(project_path.name + ".lock")


def read_lock(project_path: Path) -> LockHolder | None:
    """The current holder, or None when there is no readable lock file."""
    try:
        data = json.loads(lock_path(project_path).read_text(encoding="utf-8"))
        return LockHolder(
            str(data["analyst"]), str(data["host"]), int(data["pid"]), str(data["since"])
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_lock(project_path: Path, analyst: str) -> LockHolder:
    holder = LockHolder(
        analyst=analyst,
        host=socket.gethostname(),
        pid=os.getpid(),
        since=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    path = lock_path(project_path)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(asdict(holder)), encoding="utf-8")
    os.replace(temporary, path)
    return holder


def remove_lock(project_path: Path) -> None:
    """Remove the lock if it is still ours (a colleague may have taken it over)."""
    holder = read_lock(project_path)
    if holder is not None and holder.is_ours:
        lock_path(project_path).unlink(missing_ok=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
