"""Checks run on a file before anything else touches it: a colleague's file is untrusted."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from briefing.store.errors import ProjectRefused
from briefing.store.schema import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    SQLITE_MAGIC,
    expected_schema,
    read_schema,
)

HEADER_SIZE = 100


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
    if not path.exists():
        raise ProjectRefused(f"{name} does not exist.")
    if not path.is_file():
        raise ProjectRefused(f"{name} is a folder, not a project file.")
    try:
        with path.open("rb") as stream:
            header = stream.read(HEADER_SIZE)
        size = path.stat().st_size
    except OSError as error:
        raise ProjectRefused(f"{name} cannot be read ({error.strerror}).") from error
    if len(header) < HEADER_SIZE or not header.startswith(SQLITE_MAGIC):
        raise ProjectRefused(f"{name} is not a Conflict Briefing project (not an SQLite database).")
    application_id = int.from_bytes(header[68:72], "big")
    if application_id != APPLICATION_ID:
        raise ProjectRefused(
            f"{name} is an SQLite database of another program, not a Conflict Briefing project."
        )
    version = int.from_bytes(header[60:64], "big")
    if version > SCHEMA_VERSION:
        raise ProjectRefused(
            f"{name} was saved by a newer Conflict Briefing (file format {version}); "
            f"this program reads formats up to {SCHEMA_VERSION}. Update the program to open it."
        )
    if expected_schema(version) is None:
        raise ProjectRefused(f"{name} has an unknown file format version ({version}).")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    page_count = int.from_bytes(header[28:32], "big")
    counter_valid = header[24:28] == header[92:96]
    if counter_valid and size < page_size * page_count:
        raise ProjectRefused(f"{name} is truncated: it is shorter than its own header says.")
    return FileFacts(path, version, page_size, page_count)


def journal_path(path: Path) -> Path:
    return path.with_name(path.name + "-journal")


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


def finish_interrupted_save(path: Path) -> None:
    """Restore a file that a crash or a killed program left half saved.

    The rollback journal beside it holds the pages as they were; SQLite puts them
    back on the first read-write access, which a read-only connection cannot do.
    Only a file of ours is touched, and only what SQLite itself would restore.
    """
    if not journal_path(path).is_file() or not _is_ours(path):
        return
    try:
        connection = sqlite3.connect(path, timeout=5)
        try:
            connection.execute("PRAGMA trusted_schema = OFF")
            connection.execute("PRAGMA schema_version").fetchone()
        finally:
            connection.close()
    except sqlite3.Error as error:
        raise ProjectRefused(_half_saved(path.name, error)) from error


def _half_saved(name: str, error: sqlite3.Error) -> str:
    if "readonly" in str(error):
        return (
            f"{name} was left half saved by a program that stopped; it is restored when "
            "opened with permission to write to it and its folder."
        )
    return f"{name} is busy or cannot be restored ({error})."


def open_read_only(path: Path) -> sqlite3.Connection:
    """Open without any right to write, with untrusted schema features disabled."""
    uri = path.resolve().as_uri() + "?mode=ro"
    connection = sqlite3.connect(uri, uri=True, timeout=5)
    connection.execute("PRAGMA trusted_schema = OFF")
    connection.execute("PRAGMA query_only = ON")
    return connection


def check_schema(connection: sqlite3.Connection, version: int, name: str) -> None:
    """Refuse a file whose tables, indexes, triggers or views are not exactly ours."""
    expected = expected_schema(version) or set()
    actual = read_schema(connection)
    extra = sorted(actual - expected, key=lambda o: (o[0], o[1]))
    expected_names = {(o[0], o[1]) for o in expected}
    for kind, object_name, _, _ in extra:
        if (kind, object_name) in expected_names:
            raise ProjectRefused(
                f"{name} has been altered outside Conflict Briefing: the {kind} "
                f"'{object_name}' was changed."
            )
        raise ProjectRefused(
            f"{name} has been altered outside Conflict Briefing: it contains a {kind} "
            f"'{object_name}' that is not part of a project file."
        )
    missing = sorted(expected - actual)
    if missing:
        kind, object_name = missing[0][0], missing[0][1]
        raise ProjectRefused(
            f"{name} is damaged: the {kind} '{object_name}' of a project file is missing."
        )


def _one_line(report: str) -> str:
    return " ".join(report.replace("*** in database main ***", "").split())


def integrity_problems(connection: sqlite3.Connection, full: bool = False) -> list[str]:
    """SQLite's own verdict: quick_check, or integrity_check and the foreign keys when ``full``.

    Opening runs the quick check only; on a file of 100,000 entries each of the
    full checks costs about as much again, so they are left to ``briefing check``.
    """
    pragma = "integrity_check" if full else "quick_check"
    rows = [r[0] for r in connection.execute(f"PRAGMA {pragma}(20)")]
    problems = [] if rows == ["ok"] else [_one_line(row) for row in rows]
    if not full:
        return problems
    broken_keys = connection.execute("PRAGMA foreign_key_check").fetchall()
    problems += [
        f"a row of {table} refers to a missing {parent} record"
        for table, _, parent, _ in broken_keys[:20]
    ]
    return problems


def verify_file(path: Path, full: bool = False) -> FileFacts:
    """Run every check; raise :class:`ProjectRefused` with one sentence on the first failure."""
    facts = read_header(path)
    name = path.name
    try:
        connection = open_read_only(path)
    except sqlite3.Error as error:
        raise ProjectRefused(f"{name} cannot be opened ({error}).") from error
    try:
        check_schema(connection, facts.schema_version, name)
        problems = integrity_problems(connection, full=full)
    except sqlite3.DatabaseError as error:
        if journal_path(path).is_file():
            raise ProjectRefused(_half_saved(name, error)) from error
        raise ProjectRefused(f"{name} is damaged or truncated ({error}).") from error
    finally:
        connection.close()
    if problems:
        raise ProjectRefused(f"{name} is damaged: {problems[0]}.")
    return facts


def check_file(path: Path) -> list[str]:
    """Every problem found in a file, each one sentence; an empty list means the file is sound.

    Unlike :func:`verify_file` this goes on after the first problem and runs
    SQLite's full ``integrity_check``. It never writes to the file.
    """
    try:
        facts = read_header(path)
    except ProjectRefused as refusal:
        return [str(refusal)]
    try:
        connection = open_read_only(path)
    except sqlite3.Error as error:
        return [f"{path.name} cannot be opened ({error})."]
    problems: list[str] = []
    try:
        try:
            check_schema(connection, facts.schema_version, path.name)
        except ProjectRefused as refusal:
            problems.append(str(refusal))
        problems += [
            f"{path.name} is damaged: {p}." for p in integrity_problems(connection, full=True)
        ]
    except sqlite3.DatabaseError as error:
        if journal_path(path).is_file():
            problems.append(_half_saved(path.name, error))
        else:
            problems.append(f"{path.name} is damaged or truncated ({error}).")
    finally:
        connection.close()
    return problems
