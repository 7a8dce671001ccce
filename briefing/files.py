"""Writing files safely: every file the program writes goes through this module.

The rule, in one place:

- Work happens in a private folder created beside the target (``mkdtemp``: a
  random name, mode 0700, created exclusively), so nothing planted in advance, a
  symbolic link included, can be followed or read into, and nothing half-written
  or not yet redacted is ever readable under a name the user will look at.
- The finished file is flushed and fsync'd, then renamed over the target (an
  atomic replace on the same file system; a link at the target is replaced, not
  followed), and the folder is fsync'd so the rename survives a power cut.
- A run that is killed leaves only its private folder, named
  ``.TARGET.PID.XXXX.partial``; the next write beside it removes those whose
  process is gone.
- Every failure becomes a :class:`FileWriteError` with one sentence naming the
  file and the reason (a full disk, a read-only folder), and the target is left as
  it was.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from briefing.errors import BriefingError

_SUFFIX = ".partial"

_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exhausted",
    errno.EROFS: "the disk is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOENT: "the folder does not exist",
    errno.ENOTDIR: "the folder does not exist",
    errno.EISDIR: "a folder of that name is in the way",
    errno.ENAMETOOLONG: "the name is too long",
}


class FileWriteError(BriefingError):
    """A file could not be written; the target is unchanged."""


def reason_of(error: OSError) -> str:
    """A few words saying why an operating-system call failed."""
    return _REASONS.get(error.errno or 0) or (error.strerror or str(error)).rstrip(".")


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def remove_leftovers(target: Path) -> None:
    """Remove the private folders that killed runs left beside ``target``."""
    prefix = f".{target.name}."
    with contextlib.suppress(OSError):
        for candidate in target.parent.iterdir():
            name = candidate.name
            if not (name.startswith(prefix) and name.endswith(_SUFFIX)):
                continue
            pid_text = name[len(prefix) :].split(".", 1)[0]
            if not pid_text.isdigit() or _pid_alive(int(pid_text)):
                continue
            if candidate.is_dir() and not candidate.is_symlink():
                shutil.rmtree(candidate, ignore_errors=True)


def _sync_file(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextmanager
def output_path(target: Path, overwrite: bool = True) -> Iterator[Path]:
    """Yield a path in a private folder; when the block ends, move it onto ``target``.

    For libraries that write to a path themselves (SQLite's backup and ``VACUUM
    INTO``, ReportLab). The yielded path does not exist yet. If the block raises,
    the target is untouched and the private folder removed.
    """
    target = Path(target)
    folder = target.parent
    remove_leftovers(target)
    try:
        private = Path(
            tempfile.mkdtemp(prefix=f".{target.name}.{os.getpid()}.", suffix=_SUFFIX, dir=folder)
        )
    except OSError as error:
        raise FileWriteError(
            f"Cannot write {target.name} in {folder}: {reason_of(error)}."
        ) from error
    try:
        work = private / target.name
        yield work
        try:
            if not work.is_file() or work.is_symlink():
                raise FileWriteError(f"Cannot write {target.name}: nothing was written.")
            _sync_file(work)
            if not overwrite and target.exists():
                raise FileWriteError(f"{target.name} already exists; choose another name.")
            if target.is_dir() and not target.is_symlink():
                raise FileWriteError(
                    f"Cannot write {target.name}: a folder of that name is in the way."
                )
            os.replace(work, target)
            _fsync_folder(folder)
        except OSError as error:
            raise FileWriteError(f"Cannot write {target.name}: {reason_of(error)}.") from error
    finally:
        shutil.rmtree(private, ignore_errors=True)


@contextmanager
def output_stream(target: Path, overwrite: bool = True) -> Iterator[BinaryIO]:
    """Yield a binary stream whose content replaces ``target`` when the block ends."""
    with output_path(target, overwrite) as work:
        try:
            descriptor = os.open(
                work, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644
            )
            with os.fdopen(descriptor, "wb") as stream:
                yield stream
                stream.flush()
                os.fsync(stream.fileno())
        except OSError as error:
            raise FileWriteError(f"Cannot write {target.name}: {reason_of(error)}.") from error


def write_bytes(target: Path, data: bytes, overwrite: bool = True) -> None:
    """Write ``data`` to ``target`` whole or not at all."""
    with output_stream(target, overwrite) as stream:
        stream.write(data)


def write_text(target: Path, pieces: Iterable[str] | str, overwrite: bool = True) -> None:
    """Write UTF-8 text to ``target`` whole or not at all; ``pieces`` may be a generator."""
    chunks = [pieces] if isinstance(pieces, str) else pieces
    with output_stream(target, overwrite) as stream:
        for chunk in chunks:
            try:
                stream.write(chunk.encode("utf-8"))
            except UnicodeEncodeError as error:
                raise FileWriteError(
                    f"Cannot write {target.name}: the text holds a character that is not "
                    "valid Unicode."
                ) from error
