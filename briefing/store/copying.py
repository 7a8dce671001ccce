"""Copying a whole project between a file and a server, keeping records, UUIDs and stamps.

The source is an open project (so a file was verified when it was opened). Its
records are read with the codec and written into a new, empty destination with
the codec, which checks every record against the model's rules (the same door
every import goes through); then the project's settings, deletions, frozen
editions and export history follow as rows, briefings matched by UUID.

The destination is built in one transaction: a new file in a private folder beside
the target, checked whole (the checks of opening, plus the stored values) before
it is moved into place; a server database, schema included, committed only at
the end (PostgreSQL changes its schema in the transaction). A refused source
therefore leaves no file and an empty database, as they were.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from briefing import files
from briefing.errors import RecordError
from briefing.files import FileWriteError
from briefing.model import codec
from briefing.store.errors import ProjectError

EXTRA_TABLES = {
    "tombstone": ("uuid", "kind", "deleted_at", "deleted_by"),
    "edition": ("uuid", "briefing_id", "number", "frozen_at", "frozen_by", "snapshot"),
    "export_record": ("briefing_id", "exported_at", "analyst", "file_name", "sha256", "pages"),
}
"""What a project holds beside its records and settings, copied row by row."""


@dataclass(frozen=True)
class CopyReport:
    """How many records of each kind went across, and where."""

    counts: dict[str, int]
    destination: str

    @property
    def summary(self) -> str:
        from briefing.model.vocab import counted

        parts = ", ".join(counted(kind, n) for kind, n in self.counts.items() if n) or "nothing"
        return f"Copied {parts} to {self.destination}."


@dataclass
class _Content:
    records: codec.Records
    settings: list[tuple[str, str]]
    extras: dict[str, list[dict[str, Any]]]


def _read(connection: Connection) -> _Content:
    if connection.dialect.name != "sqlite":  # one snapshot, while others go on editing
        connection.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    records = codec.dump_all(connection)
    rows = connection.execute(text("SELECT key, value FROM project_setting"))
    settings = [(str(key), str(value)) for key, value in rows]
    briefings = dict(connection.execute(text("SELECT id, uuid FROM briefing")).all())
    extras: dict[str, list[dict[str, Any]]] = {}
    for table, columns in EXTRA_TABLES.items():
        rows = connection.execute(text(f"SELECT {', '.join(columns)} FROM {table} ORDER BY 1"))
        extras[table] = [dict(zip(columns, row, strict=True)) for row in rows]
        for row in extras[table]:
            if "briefing_id" in row:
                row["briefing_id"] = briefings.get(row["briefing_id"])
    return _Content(records, settings, extras)


def _extras_problem(extras: dict[str, list[dict[str, Any]]]) -> str | None:
    """Why a deletion or frozen edition cannot go to a server (end of a sentence), or None.

    A file destination is checked whole after writing; a server has no such check.
    """
    from briefing.model import field_rules
    from briefing.store.values import snapshot_reason

    for table in ("tombstone", "edition"):
        for row in extras.get(table, []):
            reason = field_rules.uuid(row["uuid"])
            if reason is not None:
                return f"a {table} UUID {reason}"
    for row in extras.get("edition", []):
        reason = snapshot_reason(row["snapshot"])
        if reason is not None:
            return f"the frozen content of an edition {reason}"
    for table, rows in extras.items():
        if any("briefing_id" in row and row["briefing_id"] is None for row in rows):
            return f"a {table} row belongs to no briefing"
    return None


def _write(connection: Connection, content: _Content) -> None:
    codec.load(connection, content.records)
    connection.execute(text("DELETE FROM project_setting"))
    connection.execute(
        text("INSERT INTO project_setting(key, value) VALUES (:k, :v)"),
        [{"k": k, "v": v} for k, v in content.settings],
    )
    briefings = dict((u, i) for i, u in connection.execute(text("SELECT id, uuid FROM briefing")))
    for table, rows in content.extras.items():
        if not rows:
            continue
        for row in rows:
            if "briefing_id" in row:
                row["briefing_id"] = briefings[row["briefing_id"]]
        columns = EXTRA_TABLES[table]
        connection.execute(
            text(
                f"INSERT INTO {table} ({', '.join(columns)}) "
                f"VALUES ({', '.join(':' + c for c in columns)})"
            ),
            rows,
        )


def copy_project(source: Any, destination: Path | str) -> CopyReport:
    """Copy the open project ``source`` into a new file or an empty server database."""
    from briefing.store.server.address import ServerAddress, is_server_address

    if str(destination) == source.address or (
        not is_server_address(destination)
        and not source.is_server
        and Path(destination).resolve() == Path(source.path).resolve()
    ):
        raise ProjectError("A project cannot be copied onto itself.")
    with source.engine.connect() as connection:
        content = _read(connection)
    title = dict(content.settings).get("title", "")
    try:
        if is_server_address(destination):
            where = ServerAddress.parse(str(destination))
            _copy_to_server(where, title, content)
            shown = str(where)
        else:
            _copy_to_file(Path(destination), title, content)
            shown = str(destination)
    except codec.BrokenRule as error:
        raise RecordError(f"Nothing was copied: {error}") from error
    except RecordError as error:
        raise RecordError(f"Nothing was copied: {error}") from error
    counts = {kind: len(batch) for kind, batch in content.records.items()}
    return CopyReport(counts, shown)


def _copy_to_server(address: Any, title: str, content: _Content) -> None:
    from briefing.store import pg_search
    from briefing.store.server import schema
    from briefing.store.server.connect import project_engine

    problem = _extras_problem(content.extras)
    if problem is not None:
        raise RecordError(f"{problem}.")
    engine = project_engine(address)
    try:
        with engine.begin() as connection:
            schema.initialise(connection, address, title)
            with pg_search.words_written_at_the_end(connection):
                _write(connection, content)
    except DBAPIError as error:
        detail = str(error.orig or error).strip().splitlines()[0].rstrip(".")
        raise ProjectError(f"{address} refused the copy ({detail}); nothing was copied.") from None
    finally:
        engine.dispose()


def _copy_to_file(path: Path, title: str, content: _Content) -> None:
    from briefing.store.project import _engine, _initialise
    from briefing.store.verify import verify_file

    if path.exists() or path.is_symlink():
        raise ProjectError(f"{path.name} already exists; choose another name.")
    try:
        with files.output_path(path, overwrite=False) as work:
            _initialise(work, title)
            engine: Engine = _engine(work, read_only=False)
            try:
                with engine.begin() as connection:
                    _write(connection, content)
            finally:
                engine.dispose()
            verify_file(work, full=True, companions=False)
    except FileWriteError as error:
        raise ProjectError(str(error)) from error
