"""A copy of a project that is safe to hand over (``briefing share``).

What the copy may hold is the marking rule's (:mod:`briefing.model.marking`):
records stricter than the chosen label are deleted (their briefing items and
links go with them), and so are briefings stricter than it, records that cannot
exist without a deleted one, editions whose frozen text the rule keeps out (a
record frozen in them and marked more strictly since, or deleted since), the
export history and the ACLED bookkeeping of deleted entries; notes are blanked
when asked. The full-text index is rebuilt and merged into one segment, and a
final ``VACUUM`` leaves no free page, so nothing deleted or restricted survives
anywhere in the file's bytes.

All of that happens in a private folder beside the project (the system's
temporary folder if the project's folder is read-only): the unredacted copy never
exists in the destination folder, under any name, even if the program is killed
half-way. Only the finished, checked copy is written to the destination, through
:func:`briefing.files.output_stream`. A killed run's private folder is removed by
the next share of the same project.

Tombstones stay, so deletions still travel when the copy is merged elsewhere;
they hold no record text. Records left out for their label get none, so merging
the copy back never deletes them. The copy gets its own project identity and a
sync point naming the original, and remembers the label and whether notes were
stripped, so that a merge of the copy back into the original keeps what the copy
could not show. Of the project's settings it keeps only those
:data:`SHARED_SETTINGS` names: never a path on the analyst's disk.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
import uuid as uuid_module
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.pool import StaticPool

from briefing import files
from briefing.errors import BriefingError
from briefing.model import fulltext
from briefing.model.base import new_uuid, to_utc_text, utc_now
from briefing.model.codec import KINDS, TABLE_NAMES
from briefing.model.marking import ReleaseFilter, releasable
from briefing.model.vocab import Tlp, counted
from briefing.services.share_hidden import SHARED_FROM, SHARED_LABEL, SHARED_WITHOUT_NOTES
from briefing.services.sync_point import (
    SyncPoint,
    high_water,
    project_uuid,
    write_sync_point,
)
from briefing.store.interface import ProjectStore
from briefing.store.schema import apply_pragmas
from briefing.store.values import read_snapshot
from briefing.store.verify import check_file


class ShareError(BriefingError):
    """The copy could not be written; nothing was left behind."""


@dataclass(frozen=True)
class ShareReport:
    path: Path
    max_tlp: Tlp
    removed: dict[str, int]
    editions_removed: int
    notes_stripped: bool

    @property
    def summary(self) -> str:
        removed = sum(self.removed.values())
        notes = "; notes blanked" if self.notes_stripped else ""
        return (
            f"Wrote {self.path.name} holding records up to {self.max_tlp.marking}: "
            f"{counted('stricter record', removed)} and "
            f"{counted('edition', self.editions_removed)} left out{notes}."
        )


def write_share_copy(
    project: ProjectStore,
    destination: Path,
    max_tlp: Tlp = Tlp.GREEN,
    strip_notes: bool = False,
    overwrite: bool = False,
) -> ShareReport:
    """Write a compacted copy of the project without what the label or privacy excludes."""
    destination = Path(destination)
    if destination.resolve() == project.path.resolve():
        raise ShareError("A share copy cannot replace the project it is made from.")
    if destination.exists() and not overwrite:
        raise ShareError(f"{destination.name} already exists; choose another name.")
    if not destination.parent.is_dir():
        raise ShareError(
            f"Cannot write {destination.name}: the folder {destination.parent} does not exist."
        )
    try:
        with _private_folder(project) as folder:
            work = folder / "share.brief"
            _vacuum_into(project, work)
            report = _redact(work, destination, Tlp(max_tlp), strip_notes)
            _check_copy(work)
            _deliver(work, destination, overwrite)
    except OSError as error:
        raise ShareError(f"Cannot write {destination.name}: {files.reason_of(error)}.") from error
    except sqlite3.Error as error:
        raise ShareError(f"Cannot write {destination.name}: {error}.") from error
    return report


def _check_copy(work: Path) -> None:
    """The copy passes ``briefing check`` whole, every record through the rules included.

    Opening checks less than the rules (it never reads records into Python), so a
    record that opened can still break a rule; the copy must not carry it on.
    """
    problems = check_file(work)
    if problems:
        raise ShareError(f"The copy failed its own check: {problems[0]}")


def _scratch_name(project: ProjectStore) -> Path:
    """The name the private folders of one project's shares are made beside (never a file)."""
    return project.path.with_name(f"{project.path.name}.share")


@contextlib.contextmanager
def _private_folder(project: ProjectStore) -> Iterator[Path]:
    """A folder only we can read, where the unredacted copy lives while it is redacted.

    Beside the project, whose folder already holds that data; the system's
    temporary folder if the project's folder cannot be written.
    """
    scratch = _scratch_name(project)
    files.remove_leftovers(scratch)
    prefix = f".{scratch.name}.{os.getpid()}."
    beside = None if project.is_server else scratch.parent  # a server's: the temporary folder
    try:
        folder = Path(tempfile.mkdtemp(prefix=prefix, suffix=".partial", dir=beside))
    except OSError:
        folder = Path(tempfile.mkdtemp(prefix=prefix, suffix=".partial"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _deliver(work: Path, destination: Path, overwrite: bool) -> None:
    """Write the finished copy to the destination, whole or not at all."""
    with work.open("rb") as source, files.output_stream(destination, overwrite) as stream:
        shutil.copyfileobj(source, stream, 1 << 20)


def _vacuum_into(project: ProjectStore, temporary: Path) -> None:
    if project.is_server:  # a team project: its copy as a file is where the share starts
        project.copy_to(temporary)
        return
    with project.engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        assert raw is not None
        if project.read_only:
            raw.execute("PRAGMA query_only = OFF")  # the file itself stays opened read-only
        try:
            raw.execute("VACUUM INTO ?", (str(temporary),))
        finally:
            if project.read_only:
                raw.execute("PRAGMA query_only = ON")


WORK_PRAGMAS = (
    "PRAGMA journal_mode = OFF",
    "PRAGMA synchronous = OFF",
    "PRAGMA secure_delete = OFF",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA cache_size = -131072",
)
"""The private working copy is thrown away if anything fails, so it needs no journal and
no flush to disk (most of a large share's time went to writing both); the final
``VACUUM`` rewrites every page, so nothing freed survives in it; its temporary
tables stay in memory, never in a file outside the private folder. Only the
delivered copy is flushed (:func:`briefing.files.output_stream`)."""


def _copy_engine(path: Path) -> Engine:
    def connect() -> sqlite3.Connection:
        connection = sqlite3.connect(path)
        apply_pragmas(connection)
        for pragma in WORK_PRAGMAS:
            connection.execute(pragma)
        return connection

    return create_engine("sqlite://", creator=connect, poolclass=StaticPool)


def _redact(path: Path, destination: Path, max_tlp: Tlp, strip_notes: bool) -> ShareReport:
    engine = _copy_engine(path)
    try:
        with engine.begin() as connection:
            mark = high_water(connection)
            release = ReleaseFilter(connection, max_tlp)
            removed = _remove_stricter(connection, release)
            editions = _remove_editions(connection, release)
            connection.execute(text("DELETE FROM export_record"))
            _keep_plain_tombstones(connection)
            _keep_shared_settings(connection)
            _forget_statistics(connection)
            if strip_notes:
                for kind in KINDS:
                    connection.execute(text(f"UPDATE {TABLE_NAMES[kind]} SET notes = ''"))
            _new_identity(connection, mark, max_tlp, strip_notes)
            fulltext.rebuild(connection)
            connection.execute(
                text(f"INSERT INTO {fulltext.FTS_TABLE}({fulltext.FTS_TABLE}) VALUES ('optimize')")
            )
        with engine.connect() as connection:
            connection.exec_driver_sql("VACUUM")
    finally:
        engine.dispose()
    return ShareReport(destination, max_tlp, removed, editions, strip_notes)


def _remove_stricter(connection: Connection, release: ReleaseFilter) -> dict[str, int]:
    """Delete what the marking rule keeps out: by label first, then what depended on it."""
    allowed = ",".join(f"'{t.value}'" for t in Tlp if releasable(t, release.ceiling))
    removed: dict[str, int] = {}
    _remove_claims_about_withheld(connection, release)
    for kind in reversed(KINDS):
        result = connection.execute(
            text(f"DELETE FROM {TABLE_NAMES[kind]} WHERE tlp IS NULL OR tlp NOT IN ({allowed})")
        )
        if result.rowcount:
            removed[kind] = result.rowcount
    for kind in KINDS:  # the filter reads each kind after the deletions above
        table = TABLE_NAMES[kind]
        present = [row[0] for row in connection.exec_driver_sql(f"SELECT uuid FROM {table}")]
        for uuid in set(present) - release.allowed(kind):
            connection.exec_driver_sql(f"DELETE FROM {table} WHERE uuid = ?", (uuid,))
            removed[kind] = removed.get(kind, 0) + 1
    return removed


def _remove_claims_about_withheld(connection: Connection, release: ReleaseFilter) -> None:
    """A casualty claim about a party the copy leaves out goes too (its words name the party).

    Claims of an entry left out go with it (ON DELETE CASCADE); a claimant or source
    left out is cut from the claim (ON DELETE SET NULL).
    """
    parties = connection.exec_driver_sql("SELECT id, uuid FROM party").all()
    doomed = [(i,) for i, uuid in parties if not release.allows("party", uuid)]
    if doomed:
        connection.exec_driver_sql("DELETE FROM casualty_claim WHERE party_id = ?", doomed)


def _remove_editions(connection: Connection, release: ReleaseFilter) -> int:
    """Editions whose frozen text the marking rule keeps out (unreadable ones too): drop them."""
    doomed = []
    for edition_id, snapshot in connection.execute(text("SELECT id, snapshot FROM edition")):
        try:
            allowed = release.edition_allowed(read_snapshot(snapshot))
        except (ValueError, TypeError):
            allowed = False
        if not allowed:
            doomed.append(edition_id)
    for edition_id in doomed:
        connection.execute(text("DELETE FROM edition WHERE id = :i"), {"i": edition_id})
    return len(doomed)


def _keep_plain_tombstones(connection: Connection) -> None:
    """A tombstone is a UUID and a kind; one holding anything else (text) does not travel."""
    rows = connection.exec_driver_sql("SELECT rowid, uuid, kind FROM tombstone").all()
    for rowid, uuid, kind in rows:
        if kind not in KINDS or not _is_uuid(uuid):
            connection.exec_driver_sql("DELETE FROM tombstone WHERE rowid = ?", (rowid,))


def _is_uuid(value: object) -> bool:
    try:
        return isinstance(value, str) and bool(uuid_module.UUID(value))
    except ValueError:
        return False


def _forget_statistics(connection: Connection) -> None:
    """SQLite's index statistics may sample key values: the copy keeps none."""
    names = connection.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'sqlite\\_stat%' "
        "ESCAPE '\\'"
    ).all()
    for (name,) in names:
        connection.exec_driver_sql(f'DELETE FROM "{name}"')


SHARED_SETTINGS = (
    "project_uuid",
    "title",
    "created_at",
    SHARED_FROM,
    SHARED_LABEL,
    SHARED_WITHOUT_NOTES,
)
"""Project settings a share copy keeps, besides those the rule below names.

One rule: a share copy keeps only the settings it needs to be the same project
and to merge back, and drops every other (a Word template's path on the analyst's
disk, anything a later version or a foreign file stores): the project's identity,
title and creation time; the sync points with other copies (``merge:``); the
ACLED bookkeeping (``acled:<event id>``) of entries the copy still holds; and what
the share itself writes (rewritten below).
"""


def _keep_shared_settings(connection: Connection) -> None:
    kept = ", ".join(f"'{key}'" for key in SHARED_SETTINGS)
    connection.execute(
        text(
            f"DELETE FROM project_setting WHERE key NOT IN ({kept}) "
            "AND substr(key, 1, 6) <> 'merge:' "
            "AND NOT (substr(key, 1, 6) = 'acled:' AND substr(key, 7) IN "
            "(SELECT external_id FROM timeline_entry WHERE external_id IS NOT NULL))"
        )
    )


def _new_identity(
    connection: Connection, mark: str | None, max_tlp: Tlp, strip_notes: bool
) -> None:
    """The copy is a project of its own that knows it holds the original's versions to ``mark``."""
    original = project_uuid(connection)
    settings = {
        "project_uuid": new_uuid(),
        SHARED_FROM: original,
        SHARED_LABEL: max_tlp.value,
        SHARED_WITHOUT_NOTES: "yes" if strip_notes else "no",
    }
    for key, value in settings.items():
        connection.execute(
            text(
                "INSERT INTO project_setting(key, value) VALUES (:k, :v) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value"
            ),
            {"k": key, "v": value},
        )
    if original and mark:
        write_sync_point(connection, SyncPoint(original, mark, mark, to_utc_text(utc_now())))
