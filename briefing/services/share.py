"""A copy of a project that is safe to hand over (``briefing share``).

The copy is made with ``VACUUM INTO`` (never a file copy of an open database),
then, in the copy only: records stricter than the chosen TLP label are deleted
(their briefing items go with them) and so are briefings stricter than it,
editions whose frozen text holds such records, the export history and the ACLED
bookkeeping of deleted entries; notes are blanked when asked. The full-text index
is rebuilt and merged into one segment, and a final ``VACUUM`` leaves no free
page, so nothing deleted or restricted survives anywhere in the file's bytes.

Tombstones stay, so deletions still travel when the copy is merged elsewhere;
records left out for their label get none, so merging the copy back never
deletes them. The copy gets its own project identity and a sync point naming the
original, and remembers the label and whether notes were stripped, so that a
merge of the copy back into the original keeps what the copy could not show.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.pool import StaticPool

from briefing.errors import BriefingError
from briefing.model import fulltext
from briefing.model.base import new_uuid, to_utc_text, utc_now
from briefing.model.codec import KINDS, TABLE_NAMES
from briefing.model.vocab import Tlp
from briefing.services.share_hidden import SHARED_FROM, SHARED_LABEL, SHARED_WITHOUT_NOTES
from briefing.services.sync_point import (
    SyncPoint,
    high_water,
    project_uuid,
    write_sync_point,
)
from briefing.store.project import Project
from briefing.store.schema import apply_pragmas
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
            f"{removed} stricter records and {self.editions_removed} editions left out{notes}."
        )


def write_share_copy(
    project: Project,
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
    temporary = destination.with_name(destination.name + ".part")
    try:
        temporary.unlink(missing_ok=True)
        _vacuum_into(project, temporary)
        report = _redact(temporary, destination, max_tlp, strip_notes)
        problems = check_file(temporary)
        if problems:
            raise ShareError(f"The copy failed its own check: {problems[0]}")
        os.replace(temporary, destination)
    except OSError as error:
        raise ShareError(f"Cannot write {destination.name}: {error.strerror or error}.") from error
    except sqlite3.Error as error:
        raise ShareError(f"Cannot write {destination.name}: {error}.") from error
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
            Path(str(temporary) + "-journal").unlink(missing_ok=True)
    return report


def _vacuum_into(project: Project, temporary: Path) -> None:
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


def _copy_engine(path: Path) -> Engine:
    def connect() -> sqlite3.Connection:
        connection = sqlite3.connect(path)
        apply_pragmas(connection)
        return connection

    return create_engine("sqlite://", creator=connect, poolclass=StaticPool)


def _redact(path: Path, destination: Path, max_tlp: Tlp, strip_notes: bool) -> ShareReport:
    engine = _copy_engine(path)
    try:
        with engine.begin() as connection:
            mark = high_water(connection)
            removed = _remove_stricter(connection, max_tlp)
            editions = _remove_editions(connection, max_tlp)
            connection.execute(text("DELETE FROM export_record"))
            _forget_acled_events(connection)
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


def stricter_labels(max_tlp: Tlp) -> list[str]:
    return [t.value for t in Tlp if t.stricter_than(max_tlp)]


def _remove_stricter(connection: Connection, max_tlp: Tlp) -> dict[str, int]:
    labels = stricter_labels(max_tlp)
    removed: dict[str, int] = {}
    if not labels:
        return removed
    marks = ",".join(f"'{label}'" for label in labels)
    for kind in reversed(KINDS):
        result = connection.execute(text(f"DELETE FROM {TABLE_NAMES[kind]} WHERE tlp IN ({marks})"))
        if result.rowcount:
            removed[kind] = result.rowcount
    return removed


def _labels_in(value: object) -> set[str]:
    """Every ``tlp`` value anywhere in a decoded snapshot."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "tlp" and isinstance(item, str):
                found.add(item)
            else:
                found |= _labels_in(item)
    elif isinstance(value, list):
        for item in value:
            found |= _labels_in(item)
    return found


def _remove_editions(connection: Connection, max_tlp: Tlp) -> int:
    """Editions holding a stricter record would leak it, as would unreadable ones: drop them."""
    stricter = set(stricter_labels(max_tlp))
    doomed = []
    for edition_id, snapshot in connection.execute(text("SELECT id, snapshot FROM edition")):
        try:
            leaks = bool(_labels_in(json.loads(snapshot)) & stricter)
        except ValueError:
            leaks = True
        if leaks:
            doomed.append(edition_id)
    for edition_id in doomed:
        connection.execute(text("DELETE FROM edition WHERE id = :i"), {"i": edition_id})
    return len(doomed)


def _forget_acled_events(connection: Connection) -> None:
    """ACLED bookkeeping names event ids; keep it only for entries the copy still holds."""
    connection.execute(
        text(
            "DELETE FROM project_setting WHERE key LIKE 'acled:%' AND substr(key, 7) NOT IN "
            "(SELECT external_id FROM timeline_entry WHERE external_id IS NOT NULL)"
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
