"""Verification that costs once: files this program verified and nobody changed since.

The whole-file checks of opening (SQLite's ``quick_check``, each index against
its table, and the stored-value scan: steps 4 and 5 of :mod:`briefing.store.verify`,
run side by side by :mod:`briefing.store.fullcheck`) read every page: seconds, on
a file of a million entries tens of seconds of CPU. This module remembers, per
machine, the files that passed them, so a file opened again unchanged skips them.
The header checks, the neighbours check and the schema check still run on every open.

The rule. A file is *known* when all of these equal what was remembered:
SQLite's file change counter (header offset 24, raised by every committed
write of any SQLite program; it must agree with its copy at offset 92), the
size, the modification and status-change times in nanoseconds, the inode and
device (a copy is a new file), this program's version, the file format and the
level of checking that was passed. Anything else is *new* and gets the full
check, done fast (the system asked to read the file ahead, front to back, while
the checks run through memory-mapped I/O on every core), with progress reported
to a callback; the window runs it on a worker thread with Cancel (``briefing.gui.open_check``).

When a file is remembered. Only when a project is closed after an open that
passed the checks, with no commit by another process during the session
(``PRAGMA data_version``) and the file unchanged between its check and its
open: our own edits are trusted, as they went through the program's rules, so
the entry is refreshed, keyed by the final header counter. A file changed by
another program, copied, replaced, restored or merged by another copy of the
program is new again.

The risk accepted. A change that keeps the size and the header counter (bytes
patched by hand, not through SQLite) and also leaves both file times as they
were is not seen. Setting the modification time back is easy; the status-change
time is not (it needs the clock changed, i.e. control of the machine), and a
write within the same tick of the file system's clock as the program's own last
write keeps both. Whoever can write the memory file (the user's data folder) can
already run code as the user. The full check reads through memory-mapped I/O;
a file cut short by another program during that check may end the program
(SIGBUS) instead of being refused in a sentence: nothing is written, so nothing
is lost. A memory file that is unreadable, corrupt or not ours is ignored, and
one entry can only skip the checks for a file that matches it exactly: it can
never make a file with another header, size or times pass.
"""

from __future__ import annotations

import json
import mmap
import os
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import BinaryIO

from briefing import __version__, files
from briefing.model import jsontext

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``: what the full check is doing, for a bar."""

LEVEL = "open-3"
"""The checks a remembered file passed (2: index contents too, see ``fullcheck``; 3: editions
read as the program reads JSON text, text without NUL characters)."""

MEMORY_NAME = "verified-files.json"
MEMORY_LIMIT = 200
"""Files remembered at most; the least recently verified are forgotten first."""

MEMORY_MAX_BYTES = 1_000_000
"""A memory file larger than this is not ours and is ignored."""

READ_AHEAD_CHUNK = 8 << 20
READ_AHEAD_ADVICE = 64 << 20
"""Bytes the system is asked to read at a time (each a step of the progress bar)."""


@dataclass(frozen=True)
class Stamp:
    """What identifies one state of one file on this machine."""

    counter: int
    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    device: int
    program: str
    schema: int
    level: str


def stamp_of(path: Path) -> Stamp | None:
    """The file's stamp now, or None when it cannot be read or its counter is not valid."""
    try:
        with Path(path).open("rb") as stream:
            header = stream.read(100)
            status = os.fstat(stream.fileno())
    except OSError:
        return None
    if len(header) < 100 or header[24:28] != header[92:96]:
        return None
    return Stamp(
        counter=int.from_bytes(header[24:28], "big"),
        size=status.st_size,
        mtime_ns=status.st_mtime_ns,
        ctime_ns=status.st_ctime_ns,
        inode=status.st_ino,
        device=status.st_dev,
        program=__version__,
        schema=int.from_bytes(header[60:64], "big"),
        level=LEVEL,
    )


def data_folder() -> Path:
    """The program's data folder, as the window names it, without Qt.

    ``BRIEFING_DATA_DIR`` overrides it (tests, packaged smoke runs); otherwise
    the folder Qt's ``AppDataLocation`` gives for our organisation and name.
    """
    override = os.environ.get("BRIEFING_DATA_DIR")
    if override:
        return Path(override)
    name = Path("Conflict Briefing") / "Conflict Briefing"
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming") / name
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / name
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / name


class VerifiedFiles:
    """The memory of files verified on this machine: a small JSON file in the data folder."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._just_checked: dict[str, Stamp] = {}

    def note_checked(self, path: Path, stamp: Stamp | None) -> None:
        """Know ``path`` in this process as ``stamp``: it passed the checks just now.

        The window checks a new file on a worker thread, then opens it; the open
        skips the whole-file checks only if the file is still exactly as checked.
        Nothing is written: the file is remembered on disk when it is closed.
        """
        if stamp is not None:
            self._just_checked[_key(path)] = stamp

    @classmethod
    def default(cls) -> VerifiedFiles:
        return cls(data_folder() / MEMORY_NAME)

    def _load(self) -> dict[str, dict[str, object]]:
        """The entries, or none when the memory file is missing, corrupt or not ours."""
        try:
            if self.path.is_symlink() or self.path.stat().st_size > MEMORY_MAX_BYTES:
                return {}
            data = jsontext.read(self.path.read_bytes())
        except (OSError, ValueError):
            return {}
        entries = data.get("files") if isinstance(data, dict) else None
        if not isinstance(entries, dict):
            return {}
        return {k: v for k, v in entries.items() if isinstance(k, str) and isinstance(v, dict)}

    def knows(self, path: Path, stamp: Stamp | None) -> bool:
        """True when ``stamp`` is exactly what was remembered for the file at ``path``."""
        if stamp is None:
            return False
        if self._just_checked.get(_key(path)) == stamp:
            return True
        entry = self._load().get(_key(path))
        if entry is None:
            return False
        remembered = {k: v for k, v in entry.items() if k != "at"}
        return remembered == asdict(stamp)

    def remember(self, path: Path, stamp: Stamp | None) -> None:
        """Keep ``stamp`` as the verified state of ``path``; failure to write is harmless."""
        if stamp is None:
            return
        entries = self._load()
        held = entries.get(_key(path))
        if held is not None and {k: v for k, v in held.items() if k != "at"} == asdict(stamp):
            return  # already known: a read-only open writes nothing
        entries.pop(_key(path), None)
        entries[_key(path)] = {**asdict(stamp), "at": time.time_ns()}
        kept = sorted(entries.items(), key=lambda item: _when(item[1]))[-MEMORY_LIMIT:]
        self._write(dict(kept))

    def forget(self, path: Path) -> None:
        entries = self._load()
        if entries.pop(_key(path), None) is not None:
            self._write(entries)

    def _write(self, entries: dict[str, dict[str, object]]) -> None:
        text = json.dumps({"format": "conflict-briefing-verified", "files": entries}, indent=0)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            files.write_text(self.path, [text])
        except (OSError, files.FileWriteError):
            pass


def _key(path: Path) -> str:
    return str(Path(path).resolve())


def _when(entry: dict[str, object]) -> int:
    value = entry.get("at")
    return value if isinstance(value, int) else 0


def read_ahead(path: Path, progress: Progress | None = None) -> None:
    """Have the system read the file front to back, so the checks that follow find it in memory.

    ``quick_check`` reads pages in B-tree order, which on a cold disk is mostly
    seeks; one sequential pass costs a fraction of that. Where the system takes
    advice (``posix_fadvise``), the file is asked for a chunk at a time and read
    by the system while the checks start, with no copy into the program; that
    took 0.06 s of CPU instead of 2.2 s on a 2.4 GB file, and the check after it
    ended sooner. Elsewhere the file is read through once.
    """
    total = Path(path).stat().st_size
    with Path(path).open("rb", buffering=0) as stream:
        if hasattr(os, "posix_fadvise"):
            _advise(stream.fileno(), total, progress)
            return
        _read_through(stream, total, progress)


def _advise(descriptor: int, total: int, progress: Progress | None) -> None:
    os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_SEQUENTIAL)
    for start in range(0, total, READ_AHEAD_ADVICE):
        os.posix_fadvise(descriptor, start, READ_AHEAD_ADVICE, os.POSIX_FADV_WILLNEED)
        if progress is not None:
            progress("reading", min(total, start + READ_AHEAD_ADVICE), total)
    if progress is not None and total == 0:
        progress("reading", 0, 0)


def _read_through(stream: BinaryIO, total: int, progress: Progress | None) -> None:
    done = 0
    buffer = bytearray(READ_AHEAD_CHUNK)
    while True:
        count = stream.readinto(buffer)
        if not count:
            break
        done += count
        if progress is not None:
            progress("reading", done, total)


def mmap_size(size: int) -> int:
    """The ``PRAGMA mmap_size`` for checking a file of ``size`` bytes (0 where unsupported)."""
    return size + (1 << 20) if mmap.PAGESIZE and sys.maxsize > 2**32 else 0
