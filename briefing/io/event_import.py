"""What the ACLED and UCDP GED imports share: the bulk write path, progress and the report.

Both read an event data set row by row and store it in batches inside one
transaction (:func:`bulk_transaction`), each batch through :func:`store_batch`:
every record is held to :mod:`briefing.model.rules` by the codec's bulk load
(plain ``executemany`` on the session's connection, the full-text index rewritten
per batch in a few statements, the file's CHECK constraints tested per batch by
:mod:`briefing.io.deferred_checks`), and an update equal in content to what the
project held keeps its stamps (:mod:`briefing.io.import_changes`). Memory stays
flat: a batch, the parties by name and the ids of events seen. A large file is
read, checked and shaped into records in a second process
(:mod:`briefing.io.child_rows`), each record held to the rules there; the
writer stores those records as they are (``checked``) and holds any it makes
or changes itself (an update) to the rules again.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Connection

from briefing.io import bulk_writes, deferred_checks, import_changes
from briefing.io.csv_rows import BadRow, DataSetError
from briefing.model import codec
from briefing.model.vocab import counted
from briefing.store.project import Project

BATCH = 5000
"""Events stored at a time."""
BULK_CACHE_KIB = bulk_writes.CACHE_KIB
"""SQLite's page cache during an import (:mod:`briefing.io.bulk_writes`)."""
MAX_LISTED = 3
"""Bad rows quoted in a refusal."""


class EventRowsError(DataSetError):
    """Some rows are wrong; ``problems`` lists the first of them with their line numbers.

    ``count`` is how many rows are wrong in all (``problems`` may list fewer).
    """

    def __init__(self, message: str, problems: tuple[BadRow, ...], count: int = 0) -> None:
        super().__init__(message)
        self.problems = problems
        self.count = max(count, len(problems))


def rows_error(file_name: str, bad: list[BadRow], count: int) -> EventRowsError:
    """The refusal of a file with ``count`` bad rows, quoting the first ones."""
    first = "; ".join(str(b) for b in bad[:MAX_LISTED])
    return EventRowsError(
        f"{file_name} has {counted('bad row', count)} ({first}); nothing was imported.",
        tuple(bad),
        count,
    )


@dataclass(frozen=True)
class EventReport:
    """What an import did, for the summary line and the window's dialog."""

    file_name: str
    added: int
    updated: int
    unchanged: int
    parties_added: int
    skipped: tuple[BadRow, ...]
    skipped_count: int = 0
    deleted_here: int = 0

    @property
    def summary(self) -> str:
        text = (
            f"Imported {self.file_name}: {counted('entry', self.added)} added, "
            f"{self.updated} updated, {self.unchanged} unchanged; "
            f"{counted('party', self.parties_added)} added"
        )
        if self.deleted_here:
            text += f"; {self.deleted_here} deleted here and left out"
        skipped = self.skipped_count or len(self.skipped)
        if skipped:
            text += f"; {counted('bad row', skipped)} skipped"
        return text + "."


@dataclass(frozen=True)
class ImportProgress:
    """Work done out of the total, for a progress bar; the last one carries the report."""

    done: int
    total: int
    stage: str
    report: EventReport | None = None


def last_report(steps: Iterable[ImportProgress]) -> EventReport:
    """Run an import to its end without showing progress; its report."""
    report = None
    for step in steps:
        report = step.report or report
    if report is None:
        raise DataSetError("The import ended without a report.")
    return report


@contextmanager
def bulk_transaction(project: Project, size: int = 0) -> Iterator[Connection]:
    """One transaction on the session's connection, set for a bulk write.

    On a file, SQLite's page cache, search index and indexes are set for the
    import (:mod:`.bulk_writes`; ``size`` is the file's, in bytes) and the CHECK
    constraints are tested per batch (:mod:`.deferred_checks`).
    """
    with project.transaction() as session:
        connection = session.connection()
        if connection.dialect.name != "sqlite":  # a server sizes its own caches
            yield connection
            return
        with bulk_writes.bulk_settings(connection, size), deferred_checks.deferred(connection):
            yield connection


def store_batch(
    connection: Connection,
    records: codec.Records,
    analyst: str,
    before: import_changes.Current | None = None,
    checked: bool = False,
) -> dict[str, int]:
    """Store records by the rules; those equal in content to ours keep their stamps.

    ``before`` is what the project held of them, when the caller has already read
    it; ``checked`` says the caller has held every record, as it is, to the rules
    (:func:`briefing.model.rules.check_record`). Returns the count of unchanged
    records per kind.
    """
    if before is None:
        before = import_changes.current(connection, records)
    result = codec.load(connection, records, analyst=analyst, checked=checked)
    if deferred_checks.are_deferred(connection):
        deferred_checks.verify(connection, {k: result.ids(k) for k in records})
    _, unchanged = import_changes.settle(connection, records, before, result.updated, analyst)
    return unchanged


class EventWriter:
    """Turns a data set's events into records and stores them in the caller's transaction.

    Holds what both data sets' writers keep between batches: the connection, the
    analyst, the parties by case-folded name, and the counts for the report.
    """

    def __init__(self, connection: Connection, analyst: str) -> None:
        self.connection = connection
        self.analyst = analyst
        self.parties: dict[str, str] = {}
        self.parties_added = 0
        self.deleted_here = 0

    def store(
        self,
        records: codec.Records,
        before: import_changes.Current | None = None,
        checked: bool = False,
    ) -> dict[str, int]:
        """:func:`store_batch` in this writer's transaction, as this writer's analyst."""
        return store_batch(self.connection, records, self.analyst, before, checked)


def name_uuid(namespace: uuid.UUID, name: str) -> str:
    """``str(uuid.uuid5(namespace, name))``, written out by hand.

    The standard function builds two UUID objects per call, which costs more
    than the rest of a row's work when every row makes several; here the
    namespace is hashed once (:func:`_hashed`) and each name only added to a copy.
    """
    hashed = _hashed(namespace).copy()
    hashed.update(name.encode())
    digest = hashed.hexdigest()
    variant = "89ab"[int(digest[16], 16) & 3]
    return f"{digest[:8]}-{digest[8:12]}-5{digest[13:16]}-{variant}{digest[17:20]}-{digest[20:32]}"


@cache
def _hashed(namespace: uuid.UUID) -> Any:
    """SHA-1 with the namespace's bytes already fed in (the data sets use one each)."""
    return hashlib.sha1(namespace.bytes)


def parties_by_name(connection: Connection) -> dict[str, str]:
    """Every party's UUID by its case-folded name (the first of equal names)."""
    found: dict[str, str] = {}
    for name, party_uuid in connection.exec_driver_sql("SELECT name, uuid FROM party"):
        found.setdefault(str(name).casefold(), party_uuid)
    return found


def buried(connection: Connection, uuids: list[str]) -> set[str]:
    """Of the entries named, those the analyst deleted here (their tombstones)."""
    rows = codec.rows_where_in(connection, "SELECT uuid, kind FROM tombstone", "uuid", uuids)
    return {row[0] for row in rows if row[1] == "entry"}


def union_links(first: list[dict[str, str]], second: list[dict[str, str]]) -> list[dict[str, str]]:
    """An entry's party links, old and new, once each, in a stable order."""
    merged = {(p["role"], p["party"]): p for p in [*first, *second]}
    return [merged[key] for key in sorted(merged)]
