"""Checks run on a file before anything else touches it: a colleague's file is untrusted.

What opening checks, in order, each refusal one sentence, nothing written first:

1. The header, read without SQLite: SQLite's magic, our application id, a format
   we know, a length that matches the page count, rollback-journal mode (we never
   write a write-ahead log, and opening one would write beside the file).
2. What lies beside it: a ``-wal`` file is refused (SQLite would read it as the
   newest pages, then write them into the file); a ``-journal`` that SQLite would
   roll into the file is first rolled into a private copy of both, and the copy
   is verified (steps 1, 3-5) before the real file is restored. See
   :func:`verify_restored_copy`.
3. The schema: every row of ``sqlite_master`` is ours, including those under
   SQLite's reserved ``sqlite_`` names, where only what SQLite itself creates is
   allowed (:func:`briefing.store.schema.expected_reserved`).
4. SQLite's ``quick_check`` (pages, records, NOT NULL) and ``integrity_check``
   of every table with indexes (each index holds exactly its table's rows:
   ``quick_check`` alone lets a file with swapped index pages through, and its
   look-ups then find the wrong rows). See :mod:`briefing.store.fullcheck`.
5. The stored values' types and forms, CHECK constraints and links
   (:mod:`briefing.store.values`): what the program reads without checking again.

Steps 4 and 5 read the whole file; a file this machine verified and nobody has
changed since skips them (:mod:`briefing.store.trust`, with the risk that
accepts). Steps 1 to 3 run on every open.

``briefing check`` (:func:`check_file`) runs all of that without stopping at the
first problem, plus every stored record against the model's rules.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import file_problem, not_a_file
from briefing.store.errors import ProjectRefused
from briefing.store.fullcheck import whole_file_problems
from briefing.store.schema import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    SQLITE_MAGIC,
    SQLITE_OWN_TABLES,
    expected_reserved,
    expected_schema,
    read_reserved,
    read_schema,
)
from briefing.store.trust import Progress, VerifiedFiles, read_ahead, stamp_of

HEADER_SIZE = 100
_NOT_OURS = "{name} is not a Conflict Briefing project."
"""What an analyst is told of a file this program did not make, whatever it is."""


@dataclass(frozen=True)
class FileFacts:
    """What the header of an acceptable project file says."""

    path: Path
    schema_version: int
    page_size: int
    page_count: int


def read_header(path: Path) -> FileFacts:
    """Read the SQLite header without SQLite, refusing files that are not ours."""
    name = path.name
    if not path.exists() or path.is_dir():
        raise ProjectRefused(not_a_file(name, path.is_dir(), "a project file"))
    if not path.is_file():
        raise ProjectRefused(f"{name} is not a regular file, so not a project file.")
    try:
        with path.open("rb") as stream:
            header = stream.read(HEADER_SIZE)
        size = path.stat().st_size
    except OSError as error:
        raise ProjectRefused(file_problem(name, error, "a project file")) from error
    if len(header) < HEADER_SIZE or not header.startswith(SQLITE_MAGIC):
        raise ProjectRefused(_NOT_OURS.format(name=name))
    application_id = int.from_bytes(header[68:72], "big")
    if application_id != APPLICATION_ID:
        raise ProjectRefused(
            f"{name} is a database of another program, not a Conflict Briefing project."
        )
    version = int.from_bytes(header[60:64], "big", signed=True)  # as PRAGMA user_version reads
    if version > SCHEMA_VERSION:
        raise ProjectRefused(
            f"{name} was saved by a newer Conflict Briefing (file format {version}); "
            f"this program reads formats up to {SCHEMA_VERSION}. Update the program to open it."
        )
    if expected_schema(version) is None:
        raise ProjectRefused(f"{name} has an unknown file format version ({version}).")
    if header[18] != 1 or header[19] != 1:
        raise ProjectRefused(
            f"{name} was switched to a journal mode Conflict Briefing does not use (write-ahead "
            "log); switch it back with the sqlite3 shell (PRAGMA journal_mode = DELETE)."
        )
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    page_count = int.from_bytes(header[28:32], "big")
    counter_valid = header[24:28] == header[92:96]
    if counter_valid and size < page_size * page_count:
        raise ProjectRefused(f"{name} is truncated: it is shorter than its own header says.")
    return FileFacts(path, version, page_size, page_count)


def journal_path(path: Path) -> Path:
    return path.with_name(path.name + "-journal")


def wal_path(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def check_companions(path: Path) -> None:
    """Refuse what SQLite would read from beside the file as if it were part of it."""
    name = path.name
    wal = wal_path(path)
    if wal.exists() or wal.is_symlink():
        raise ProjectRefused(
            f"{name} has a write-ahead log ({wal.name}) beside it, which Conflict Briefing "
            "never writes; move that file away before opening the project."
        )
    journal = journal_path(path)
    if journal.is_symlink() or (journal.exists() and not journal.is_file()):
        raise ProjectRefused(
            f"{name} has something that is not a journal file at {journal.name}; "
            "move it away before opening the project."
        )


def has_journal(path: Path) -> bool:
    """A rollback journal SQLite might roll into the file.

    SQLite never rolls back an empty journal or one whose first byte is zero.
    """
    journal = journal_path(path)
    try:
        if not journal.is_file() or journal.is_symlink():
            return False
        with journal.open("rb") as stream:
            return stream.read(1) not in (b"", b"\0")
    except OSError:
        return False


def _is_ours(path: Path) -> bool:
    """Magic and application id only: a half-saved file's page count may not match yet."""
    try:
        with path.open("rb") as stream:
            header = stream.read(HEADER_SIZE)
    except OSError:
        return False
    return (
        header.startswith(SQLITE_MAGIC) and int.from_bytes(header[68:72], "big") == APPLICATION_ID
    )


def _roll_back(path: Path) -> None:
    """Let SQLite put back the pages a hot journal holds (on the first read-write access)."""
    connection = sqlite3.connect(path, timeout=5)
    try:
        connection.execute("PRAGMA trusted_schema = OFF")
        connection.execute("PRAGMA schema_version").fetchone()
    finally:
        connection.close()


@contextmanager
def restored_copy(path: Path) -> Iterator[Path]:
    """A private copy of the file as its journal would restore it; the file is not touched.

    A journal is untrusted as much as the file: rolled back, it can rewrite any
    page, the schema included. So the file and its journal are copied into a
    private folder and SQLite restores the copy, which the caller then checks.
    """
    name = path.name
    with tempfile.TemporaryDirectory(prefix="briefing-verify-") as folder:
        copy = Path(folder) / name
        try:
            shutil.copyfile(path, copy)
            shutil.copyfile(journal_path(path), journal_path(copy))
        except OSError as error:
            raise ProjectRefused(
                f"{name} was left half saved and cannot be checked before it is restored "
                f"({error.strerror or error})."
            ) from error
        if not _is_ours(copy):
            raise ProjectRefused(_NOT_OURS.format(name=name))
        try:
            _roll_back(copy)
        except sqlite3.Error as error:
            raise ProjectRefused(f"{name} is damaged and its journal cannot restore it.") from error
        journal_path(copy).unlink(missing_ok=True)  # one SQLite did not roll back is not used
        yield copy


def verify_restored_copy(path: Path) -> None:
    """Refuse a file that would fail opening once its journal is rolled back into it."""
    with restored_copy(path) as copy:
        verify_file(copy, companions=False)


def finish_interrupted_save(path: Path) -> None:
    """Restore a file that a crash or a killed program left half saved.

    The rollback journal beside it holds the pages as they were; SQLite puts them
    back on the first read-write access, which a read-only connection cannot do.
    Only a file whose restored copy passed :func:`verify_restored_copy` is touched.
    """
    check_companions(path)
    if not has_journal(path) or not _is_ours(path):
        return
    verify_restored_copy(path)
    try:
        _roll_back(path)
    except sqlite3.Error as error:
        raise ProjectRefused(_half_saved(path.name, error)) from error


def _half_saved(name: str, error: Exception) -> str:
    if "readonly" in str(error):
        return (
            f"{name} was left half saved by a program that stopped; it is restored when "
            "opened with permission to write to it and its folder."
        )
    return f"{name} is busy or cannot be restored ({shown(str(error), 200)})."


def readable_text(data: bytes) -> str:
    """Text as stored; bytes that are not UTF-8 (a file edited outside) read as U+FFFD.

    Python's own decoding would raise on the first such value, wherever it is read.
    """
    return data.decode("utf-8", "replace")


def open_read_only(path: Path) -> sqlite3.Connection:
    """Open without any right to write, with untrusted schema features disabled."""
    uri = path.resolve().as_uri() + "?mode=ro"
    connection = sqlite3.connect(uri, uri=True, timeout=5)
    connection.text_factory = readable_text
    connection.execute("PRAGMA trusted_schema = OFF")
    connection.execute("PRAGMA query_only = ON")
    return connection


def shown(text: str, limit: int = 60) -> str:
    """A name read from a file, fit for a one-line sentence (it may hold anything)."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_schema(connection: sqlite3.Connection, version: int, name: str) -> None:
    """Refuse a file whose tables, indexes, triggers or views are not exactly ours.

    Objects under SQLite's reserved ``sqlite_`` names are checked too: only the
    indexes SQLite builds for our tables' keys, and the tables SQLite itself
    adds (``sqlite_sequence``, ``sqlite_stat1``-``4``) exactly as it writes them.
    """
    expected = expected_schema(version) or set()
    actual = read_schema(connection)
    extra = sorted(actual - expected)
    expected_names = {(o[0], o[1]) for o in expected}
    for kind, object_name, _, _ in extra:
        if (kind, object_name) in expected_names:
            raise ProjectRefused(
                f"{name} has been altered outside Conflict Briefing: the {shown(kind)} "
                f"'{shown(object_name)}' was changed."
            )
        article = "an" if kind[:1].lower() in tuple("aeiou") else "a"
        raise ProjectRefused(
            f"{name} has been altered outside Conflict Briefing: it contains {article} "
            f"{shown(kind)} '{shown(object_name)}' that is not part of a project file."
        )
    missing = sorted(expected - actual)
    if missing:
        kind, object_name = missing[0][0], missing[0][1]
        raise ProjectRefused(
            f"{name} is damaged: the {kind} '{object_name}' of a project file is missing."
        )
    _check_reserved(connection, version, name)


def _check_reserved(connection: sqlite3.Connection, version: int, name: str) -> None:
    ours = expected_reserved(version)
    reserved = read_reserved(connection)
    for kind, object_name, _, _ in sorted(reserved - ours - SQLITE_OWN_TABLES):
        raise ProjectRefused(
            f"{name} has been altered outside Conflict Briefing: it hides a {shown(kind)} "
            f"under SQLite's reserved name '{shown(object_name)}'."
        )
    missing = sorted(ours - reserved)
    if missing:
        raise ProjectRefused(
            f"{name} is damaged: SQLite's index '{missing[0][1]}' of a project file is missing."
        )


def verify_file(
    path: Path,
    full: bool = False,
    companions: bool = True,
    memory: VerifiedFiles | None = None,
    progress: Progress | None = None,
) -> FileFacts:
    """Run every check of opening; raise :class:`ProjectRefused` on the first failure.

    ``full`` runs the whole-file checks even on a file the memory knows. With a
    ``memory``, a file it knows unchanged skips the whole-file checks (steps 4
    and 5; :mod:`briefing.store.trust` says when and the risk it accepts); a new
    file is read ahead first and checked through memory-mapped I/O, with
    ``progress`` told what is being done.
    """
    facts = read_header(path)
    name = path.name
    if companions:
        check_companions(path)
    known = memory is not None and not has_journal(path) and memory.knows(path, stamp_of(path))
    whole = full or not known
    if whole:
        read_ahead(path, progress)
    try:
        connection = open_read_only(path)
    except sqlite3.Error as error:
        raise ProjectRefused(f"{name} cannot be opened ({error}).") from error
    try:
        check_schema(connection, facts.schema_version, name)
        problems = _whole_file_problems(path, name, progress) if whole else []
    except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
        if journal_path(path).is_file():
            raise ProjectRefused(_half_saved(name, error)) from error
        raise ProjectRefused(_damaged(name, error)) from error
    finally:
        connection.close()
    if problems:
        raise ProjectRefused(problems[0])
    return facts


def _whole_file_problems(path: Path, name: str, progress: Progress | None) -> list[str]:
    """Steps 4 and 5, which read every page (:mod:`briefing.store.fullcheck`)."""
    return whole_file_problems(path, name, lambda: open_read_only(path), progress, limit=1)


def _damaged(name: str, error: Exception) -> str:
    if isinstance(error, UnicodeDecodeError):
        return f"{name} is damaged: its schema is not readable text."
    return f"{name} is damaged or truncated ({shown(str(error), 200)})."


def check_file(path: Path, refuse: bool = False) -> list[str]:
    """Every problem found in a file, each one sentence; an empty list means the file is sound.

    Unlike :func:`verify_file` this goes on after the first problem and checks
    every record against the model's rules. It never writes to the file. With
    ``refuse``, a file that cannot be checked at all (missing, unreadable, not a
    project) raises :class:`ProjectRefused` rather than being listed, so the
    command line says so as it says any other refusal.
    """
    try:
        check_companions(path)
        if not has_journal(path):
            facts = read_header(path)
    except ProjectRefused as refusal:
        if refuse:
            raise
        return [str(refusal)]
    if has_journal(path):
        note = (
            f"{path.name} was left half saved by a program that stopped; opening it restores "
            "it from the journal beside it (what follows is checked on a restored copy)."
        )
        try:
            with restored_copy(path) as copy:
                return [note, *check_file(copy)]
        except ProjectRefused as refusal:
            return [note, str(refusal)]
    try:
        connection = open_read_only(path)
    except sqlite3.Error as error:
        return [f"{path.name} cannot be opened ({error})."]
    problems: list[str] = []
    try:
        try:
            check_schema(connection, facts.schema_version, path.name)
        except ProjectRefused as refusal:
            return [str(refusal)]
        problems += whole_file_problems(path, path.name, lambda: open_read_only(path), limit=20)
        if not problems:
            from briefing.store.values import full_value_problems  # the ORM: only here

            problems += full_value_problems(path, limit=50)
    except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
        if journal_path(path).is_file():
            problems.append(_half_saved(path.name, error))
        else:
            problems.append(_damaged(path.name, error))
    finally:
        connection.close()
    return problems
