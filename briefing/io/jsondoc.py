"""JSON interchange: a whole project as one versioned document, records linked by UUID.

The document is what ``codec.dump`` gives for every kind, under the keys of
``codec.DOCUMENT_KEYS``, described by ``resources/schema/project.schema.json``.
Export writes one record per line, so a document diffs and greps well.

Import is one transaction, all or nothing. A document whose envelope comes
first and whose lists come in the order of ``codec.KINDS`` (as export writes
it) is read and stored in batches (:mod:`briefing.io.jsonstream`), each batch
checked against the schema and the rules before it is written (on a file, the
file's CHECK constraints are then tested once per batch:
:mod:`briefing.io.deferred_checks`), so memory stays flat in the number of
entries, sources and relationships; parties, statements and briefings are read
list by list (they refer to records of their own list), and the UUIDs seen are
kept to refuse a repeated one. Any other document is read whole, checked, then
stored. A problem anywhere rolls everything back.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from briefing import files
from briefing.errors import BriefingError, RecordError, file_problem
from briefing.io import deferred_checks, import_changes, json_v1
from briefing.io.input_file import check_regular
from briefing.io.jsoncheck import RECORD_KEYS, first_problem, record_label
from briefing.io.jsonstream import Field, NotAnObject, Syntax, read_pieces
from briefing.io.jsontext import unreadable
from briefing.model import ProjectSetting, codec, field_rules, rules, uuid_kinds
from briefing.model.base import utc_now
from briefing.model.jsontext import refuse_constant, unique_object
from briefing.model.marking import ReleaseFilter
from briefing.model.vocab import Tlp
from briefing.store.project import Project, project_title
from briefing.terminal import ProgressCallback

FORMAT = "conflict-briefing"
VERSION = 2
"""Interchange version written; a document of a newer version is refused."""


@dataclass(frozen=True)
class ImportSummary:
    """How many records of each kind an import added, updated and found unchanged."""

    added: dict[str, int]
    updated: dict[str, int]
    unchanged: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """Records in the document."""
        return sum(self.added.values()) + sum(self.updated.values()) + sum(self.unchanged.values())


# ---------------------------------------------------------------------------- export


_EXPORT_CHUNK = 2000
"""Records read and written at a time, so an export of any size needs little memory."""


def envelope(project: Project) -> dict[str, Any]:
    """What a document says about itself and the project it came from."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": codec.time_to_text(utc_now()),
        "project": {"uuid": project.setting("project_uuid"), "title": project_title(project)},
    }


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


RecordLists = Iterable[tuple[str, Iterable[list[dict[str, Any]]]]]
"""(document key, chunks of records) for each list of the document."""


def _text(header: dict[str, Any], lists: RecordLists) -> Iterator[str]:
    """JSON text with one record per line, produced piece by piece."""
    yield "{\n" + ",\n".join(f"  {_dumps(k)}: {_dumps(v)}" for k, v in header.items())
    for key, chunks in lists:
        yield f",\n  {_dumps(key)}: ["
        separator = "\n    "
        for chunk in chunks:
            for record in chunk:
                yield separator + _dumps(record)
                separator = ",\n    "
        yield "]" if separator == "\n    " else "\n  ]"
    yield "\n}\n"


def encode(document: dict[str, Any]) -> str:
    """A whole document held in memory as JSON text with one record per line."""
    keys = codec.DOCUMENT_KEYS.values()
    header = {k: v for k, v in document.items() if k not in keys}
    return "".join(_text(header, ((k, [document[k]]) for k in keys if k in document)))


def write_atomically(path: Path, pieces: Iterable[str]) -> None:
    """Write a file whole or not at all, never through a planted link (:mod:`briefing.files`)."""
    files.write_text(path, pieces)


def _records(
    connection: Connection, kind: str, counts: dict[str, int], release: ReleaseFilter | None
) -> Iterator[list[Any]]:
    table = codec.TABLE_NAMES[kind]
    ids = [row[0] for row in connection.exec_driver_sql(f"SELECT id FROM {table} ORDER BY id")]
    counts[kind] = 0
    for start in range(0, len(ids), _EXPORT_CHUNK):
        chunk = codec.dump(connection, kind, ids[start : start + _EXPORT_CHUNK])
        if release is not None:
            chunk = release.trim_all(kind, chunk)
        _refuse_broken(kind, chunk)
        counts[kind] += len(chunk)
        yield chunk


def _refuse_broken(kind: str, chunk: list[dict[str, Any]]) -> None:
    """Write nothing an import would refuse: a record breaking a rule stops the export.

    Such a record came from a file written by another program (``briefing check``
    lists them all); references are followed by the file's own links.
    """
    problems = rules.check_records({kind: chunk}, known=lambda kind, uuid: True)
    if problems:
        raise RecordError(
            f"{problems[0].sentence()[:-1]}, so the export would not import again; nothing was "
            "exported (briefing check lists every such record)."
        )


def export_json(project: Project, path: Path, max_tlp: Tlp | None = None) -> dict[str, int]:
    """Write the project to ``path``; returns the number of records per kind.

    With ``max_tlp``, the document holds only what the marking rule lets into a
    copy marked at that label (:mod:`briefing.model.marking`).
    """
    path = Path(path)
    counts: dict[str, int] = {}
    header = envelope(project)
    with project.engine.connect() as connection:
        release = ReleaseFilter(connection, max_tlp) if max_tlp is not None else None
        lists = (
            (key, _records(connection, kind, counts, release))
            for kind, key in codec.DOCUMENT_KEYS.items()
        )
        write_atomically(path, _text(header, lists))
    return counts


# ---------------------------------------------------------------------------- import


def read_document(path: Path) -> dict[str, Any]:
    """Parse a file and check that it is an interchange document of a version we read."""
    name = path.name
    check_regular(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise BriefingError(file_problem(name, error)) from error
    try:
        document = json.loads(data, parse_constant=refuse_constant, object_pairs_hook=unique_object)
    except json.JSONDecodeError as error:
        raise _not_json(name, error.lineno, error.colno, error.msg) from error
    except (ValueError, RecursionError) as error:
        raise BriefingError(unreadable(name, error)) from error
    check_envelope(name, document)
    return document


def _not_json(name: str, line: int, column: int, message: str) -> BriefingError:
    return BriefingError(
        f"{name} is not a JSON document (line {line}, column {column}: {message})."
    )


def check_envelope(name: str, document: Any) -> None:
    """Refuse what is not an interchange document, or one of a version we do not read."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BriefingError(
            f'{name} is not a Conflict Briefing document (its "format" is not "{FORMAT}").'
        )
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BriefingError(f"{name} does not say which interchange version it is.")
    if version > VERSION:
        raise BriefingError(
            f"{name} was written by a newer Conflict Briefing (interchange version {version}); "
            f"this program reads version {VERSION}. Update the program to import it."
        )
    project = document.get("project")
    title = project.get("title") if isinstance(project, dict) else None
    reason = field_rules.line(title) if isinstance(title, str) else None
    if reason is not None:  # a project without a title of its own adopts it
        raise BriefingError(f"{name}: the project's title {reason}; nothing was imported.")


def check_document(document: dict[str, Any]) -> None:
    """Refuse a document that breaks its schema or a rule of :mod:`briefing.model.rules`.

    References to records outside the document are checked when it is stored.
    """
    problem = first_problem(document)
    if problem is not None:
        raise RecordError(problem)
    for kind, key in codec.DOCUMENT_KEYS.items():
        seen: dict[str, int] = {}
        for index, record in enumerate(document.get(key) or []):
            earlier = seen.setdefault(record["uuid"], index)
            if earlier != index:
                raise RecordError(
                    f"{record_label(document, key, index)}: the same uuid is already used by "
                    f"{key}[{earlier}]."
                )
            problems = rules.check_record(kind, record)
            if problems:
                raise RecordError(_sentence(document, key, index, problems[0]))
    parties = document.get("parties") or []
    for index, cycle in rules.party_cycles(parties):
        raise RecordError(_sentence(document, "parties", index, cycle))


def _sentence(
    document: dict[str, Any], key: str, index: int, problem: rules.Problem, offset: int = 0
) -> str:
    label = record_label(document, key, index, offset)
    return f"{label}: field '{problem.field}' {problem.reason}."


def import_json(
    project: Project, path: Path, progress: ProgressCallback | None = None
) -> ImportSummary:
    """Store every record of a document, all or nothing; records with a known UUID are updated.

    A record equal in content to ours stays as it is (unchanged); one that
    differs is stamped as :mod:`briefing.io.import_changes` says. ``progress``
    hears how many bytes of the document have been stored.
    """
    path = Path(path)
    check_regular(path)
    try:
        return _import_in_batches(project, path, progress)
    except _ReadWhole:
        return _import_whole(project, path)


def _import_whole(project: Project, path: Path) -> ImportSummary:
    document = read_document(path)
    if document.get("version") == 1:
        json_v1.upgrade_entries(document.get("entries"))
    check_document(document)
    records = {kind: document.get(key) or [] for kind, key in codec.DOCUMENT_KEYS.items()}
    try:
        with project.transaction() as session:
            connection = session.connection()
            before = import_changes.current(connection, records)
            result = codec.load(connection, records)
            uuid_kinds.refuse_shared(connection, records)
            updated, unchanged = import_changes.settle(
                connection, records, before, result.updated, project.analyst
            )
            _forget_deletions(connection, records)
            _adopt_title(session, document)
    except codec.BrokenRule as error:
        raise RecordError(f"Nothing was imported from {path.name}: {error}") from error
    return ImportSummary(
        added={k: len(v) for k, v in result.inserted.items() if v},
        updated=updated,
        unchanged=unchanged,
    )


class _ReadWhole(Exception):
    """The document is not laid out to be read in batches (nothing was written)."""


_WHOLE_LISTS = frozenset({"parties", "statements", "briefings"})
"""Lists read whole: their records refer to records of the same list."""

_KIND_OF_KEY = {key: kind for kind, key in codec.DOCUMENT_KEYS.items()}


@dataclass
class _Batches:
    """What an import in batches has done so far."""

    name: str
    header: dict[str, Any] = field(default_factory=dict)
    lists: list[str] = field(default_factory=list)
    uuids: dict[str, dict[str, int]] = field(default_factory=dict)
    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    def summary(self) -> ImportSummary:
        return ImportSummary(
            added={k: n for k, n in self.added.items() if n},
            updated=self.updated,
            unchanged=self.unchanged,
        )


def _import_in_batches(
    project: Project, path: Path, progress: ProgressCallback | None
) -> ImportSummary:
    name = path.name
    try:
        stream = path.open("rb")
    except OSError as error:
        raise BriefingError(file_problem(name, error)) from error
    state = _Batches(name)
    with stream:
        total = os.fstat(stream.fileno()).st_size
        pieces = read_pieces(stream, frozenset(RECORD_KEYS), refuse_constant, _WHOLE_LISTS)
        try:
            with project.transaction() as session, _checks_per_batch(session) as connection:
                for piece in _parsed(name, pieces):
                    if isinstance(piece, Field):
                        _take_field(state, piece)
                    else:
                        _take_batch(project, connection, state, piece.key, piece.start, piece.batch)
                    if progress is not None:
                        progress("importing", stream.tell(), total)
                _check_header(state)
                _adopt_title(session, state.header)
        except codec.BrokenRule as error:
            raise RecordError(f"Nothing was imported from {name}: {error}") from error
    return state.summary()


@contextmanager
def _checks_per_batch(session: Session) -> Iterator[Connection]:
    """The session's connection; on a file, CHECK constraints tested once per batch.

    SQLite rebuilds each vocabulary constraint's list for every row it inserts
    (:mod:`briefing.io.deferred_checks`); a server checks row by row.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield connection
        return
    with deferred_checks.deferred(connection):
        yield connection


def _parsed(name: str, pieces: Iterator[Any]) -> Iterator[Any]:
    """The pieces, with text that is not JSON refused in the words ``read_document`` uses."""
    try:
        yield from pieces
    except NotAnObject:
        raise _ReadWhole() from None
    except Syntax as error:
        raise _not_json(name, error.lineno, error.colno, error.msg) from error
    except (ValueError, RecursionError) as error:
        raise BriefingError(unreadable(name, error)) from error


def _take_field(state: _Batches, piece: Field) -> None:
    if piece.key in state.header or piece.key in state.lists:
        raise _ReadWhole()  # a repeated key: JSON readers keep the last one
    state.header[piece.key] = piece.value
    if "format" in state.header and "version" in state.header:
        _check_header(state)


def _check_header(state: _Batches) -> None:
    check_envelope(state.name, state.header)
    problem = first_problem(state.header)
    if problem is not None:
        raise RecordError(problem)


def _take_batch(
    project: Project,
    connection: Connection,
    state: _Batches,
    key: str,
    start: int,
    batch: list[Any],
) -> None:
    """Check one batch of a record list as the whole document would be, then store it."""
    kind = _KIND_OF_KEY[key]
    if start == 0:
        order = [_KIND_OF_KEY[k] for k in state.lists]
        later = [k for k in order if codec.KINDS.index(k) > codec.KINDS.index(kind)]
        if "format" not in state.header or "version" not in state.header or later:
            raise _ReadWhole()
        if key in state.lists or key in state.header:
            raise _ReadWhole()
        state.lists.append(key)
    if not batch:
        return
    _check_batch(state, kind, key, start, batch)
    records = {kind: batch}
    before = import_changes.current(connection, records)
    try:
        result = codec.load(connection, records)
    except RecordError as error:
        if isinstance(error, codec.BrokenRule) or not start:
            raise
        raise RecordError(_shifted(str(error), key, start)) from error
    if deferred_checks.are_deferred(connection):
        deferred_checks.verify(connection, {k: result.ids(k) for k in records})
    uuid_kinds.refuse_shared(connection, records)
    updated, unchanged = import_changes.settle(
        connection, records, before, result.updated, project.analyst
    )
    _forget_deletions(connection, records)
    for counts, more in (
        (state.added, {k: len(v) for k, v in result.inserted.items()}),
        (state.updated, updated),
        (state.unchanged, unchanged),
    ):
        for name, count in more.items():
            counts[name] = counts.get(name, 0) + count


def _check_batch(state: _Batches, kind: str, key: str, start: int, batch: list[Any]) -> None:
    if kind == "entry" and state.header.get("version") == 1:
        json_v1.upgrade_entries(batch)
    part = {**state.header, key: batch}
    problem = first_problem(part, start)
    if problem is not None:
        raise RecordError(problem)
    seen = state.uuids.setdefault(kind, {})
    for index, record in enumerate(batch):
        earlier = seen.setdefault(record["uuid"], start + index)
        if earlier != start + index:
            raise RecordError(
                f"{record_label(part, key, index, start)}: the same uuid is already used by "
                f"{key}[{earlier}]."
            )
        problems = rules.check_record(kind, record)
        if problems:
            raise RecordError(_sentence(part, key, index, problems[0], start))
    if kind == "party":
        for index, cycle in rules.party_cycles(batch):
            raise RecordError(_sentence(part, key, index, cycle))


def _shifted(message: str, key: str, start: int) -> str:
    """A message naming ``key[i]`` of a batch, naming it by its place in the whole list."""
    return re.sub(
        rf"\b{re.escape(key)}\[(\d+)\]",
        lambda m: f"{key}[{int(m.group(1)) + start}]",
        message,
        count=1,
    )


def _forget_deletions(connection: Connection, records: codec.Records) -> None:
    """An imported record is wanted again: drop its tombstone so a merge does not delete it."""
    uuids = [r["uuid"] for batch in records.values() for r in batch]
    for start in range(0, len(uuids), 500):
        chunk = tuple(uuids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        connection.exec_driver_sql(f"DELETE FROM tombstone WHERE uuid IN ({marks})", chunk)


def _adopt_title(session: Session, document: dict[str, Any]) -> None:
    """A project without a title of its own takes the document's."""
    title = (document.get("project") or {}).get("title")
    row = session.get(ProjectSetting, "title")
    if title and row is not None and not row.value:
        row.value = title
