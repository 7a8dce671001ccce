"""The lock file beside a project: who has it open, written only after a successful open.

Its content is untrusted input like the project: a colleague's program, a
crash or a stranger may leave anything at its path. A lock is read without
following a link, only from a regular file, at most :data:`MAX_LOCK_SIZE`
bytes; anything that is not a lock we would write (garbage, binary, a huge file,
a process number out of range) reads as no lock. It is written through
:mod:`briefing.files`, so nothing planted beside it is followed.
"""

from __future__ import annotations

import json
import os
import socket
import stat
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from briefing import files
from briefing.files import FileWriteError
from briefing.model import jsontext
from briefing.store.errors import ProjectError

MAX_LOCK_SIZE = 4096
MAX_PID = 2**31 - 1


@dataclass(frozen=True)
class LockHolder:
    analyst: str
    host: str
    pid: int
    since: str

    def describe(self) -> str:
        who = _line(self.analyst) or "another analyst"
        since = _line(self.since)[:16].replace("T", " ")
        return f"{who} on {_line(self.host) or 'another computer'} since {since} UTC"

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


def _line(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _read_small(path: Path) -> bytes | None:
    """The bytes of a small regular file at ``path`` (never through a link), else None."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError:
        return None
    try:
        facts = os.fstat(descriptor)
        if not stat.S_ISREG(facts.st_mode) or facts.st_size > MAX_LOCK_SIZE:
            return None
        return os.read(descriptor, MAX_LOCK_SIZE + 1)
    except OSError:
        return None
    finally:
        os.close(descriptor)


def read_lock(project_path: Path) -> LockHolder | None:
    """The current holder, or None when there is no lock we could have written."""
    data = _read_small(lock_path(project_path))
    if data is None or len(data) > MAX_LOCK_SIZE:
        return None
    try:
        fields = jsontext.read(data.decode("utf-8"))
    except ValueError:
        return None
    if not isinstance(fields, dict):
        return None
    analyst, host, pid, since = (fields.get(k) for k in ("analyst", "host", "pid", "since"))
    if not all(isinstance(v, str) for v in (analyst, host, since)):
        return None
    if not isinstance(pid, int) or isinstance(pid, bool) or not 0 < pid <= MAX_PID:
        return None
    return LockHolder(analyst, host, pid, since)  # type: ignore[arg-type]


def write_lock(project_path: Path, analyst: str) -> LockHolder:
    """Write our lock; a failure (a folder in the way, a full disk) is one sentence."""
    holder = LockHolder(
        analyst=analyst,
        host=socket.gethostname(),
        pid=os.getpid(),
        since=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    path = lock_path(project_path)
    try:
        files.write_text(path, json.dumps(asdict(holder)))
    except FileWriteError as error:
        reason = str(error).rstrip(".")
        raise ProjectError(
            f"{project_path.name} cannot be locked for editing: {reason[:1].lower()}{reason[1:]}; "
            "open it read-only instead."
        ) from error
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
