"""How SQLite is set for the length of a bulk import, and set back after it.

An import writes hundreds of thousands of rows in one transaction. Two of
SQLite's settings, right for a window's small edits, make that cost grow faster
than the rows:

- the page cache: every UUID index takes its inserts at random, which a small
  cache writes out and reads back page by page (:data:`CACHE_KIB`, bounded, so
  memory stays flat);
- the search index's merging: FTS5 writes its pending words as a new segment
  each time they pass ``hashsize`` (1 MB) and merges segments four at a time
  (``automerge``), so a large import wrote thousands of small segments and merged
  them again and again; measured on 300,000 ACLED rows, indexing took 7.1 s CPU
  with the defaults and 4.8 s with the settings of :data:`SEARCH_SETTINGS`.

- indexes kept up row by row: a secondary index (not unique, not looked up by the
  import) takes each insert at its place, while building it once after the load
  sorts the rows in one go. When an import brings at least as many rows as its
  tables hold (:data:`LATER_INDEXES`), those indexes are dropped for the length of
  the transaction and built again, with the very statement the file states, before
  it ends; a rolled-back import takes them back with everything else. Measured on
  100,000 UCDP events (480,000 claims): 5.1 s of row writing became 3.7 s, plus
  0.9 s to build the indexes.

The search index's rows are written with each batch, not all at the end: measured
on 100,000 UCDP entries, writing them 50,000 at a time took 2.6 s CPU against
2.5 s for 5,000 at a time (tokenising costs the same either way), and would have
held the whole import's record ids until its end.

FTS5 keeps its settings in the file (the index's ``_config`` table), so they are
put back as they were before the transaction ends; a rolled-back import takes
them back with everything else.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress

from sqlalchemy import Connection
from sqlalchemy.exc import SQLAlchemyError

from briefing.model.fulltext import FTS_TABLE

CACHE_KIB = 65_536
"""SQLite's page cache during an import, in KiB. Bounded, not scaled to the file:
measured, a cache eight times as large saved no CPU at 300,000 ACLED events
(61.8 against 61.6 s) and at 100,000 UCDP events (22.4 against 22.0 s), and
doubled the import's peak memory."""
SEARCH_SETTINGS = {"hashsize": 64 << 20, "automerge": 16}
"""FTS5 settings during an import: words held in memory (bytes) before a segment is
written, and segments of a level merged at a time (16 is FTS5's largest)."""
SEARCH_DEFAULTS = {"hashsize": 1 << 20, "automerge": 4}
"""FTS5's own values of the same settings, when the file states none."""


LATER_INDEXES = {
    "timeline_entry": (
        "ix_timeline_entry_start_utc", "ix_timeline_entry_status", "ix_timeline_entry_updated_at",
    ),
    "casualty_claim": (
        "ix_casualty_claim_claimant_id", "ix_casualty_claim_party_id",
        "ix_casualty_claim_source_id",
    ),
    "entry_party": ("ix_entry_party_party_id",),
    "entry_source": ("ix_entry_source_source_id",),
}  # fmt: skip
"""Per table, the indexes an import never reads, which it may build after the load."""
BYTES_PER_ROW = 250
"""Fewest bytes of CSV per event in ACLED and UCDP files (about 300 and 450 in real
ones): a file's size over this is the most events it may bring."""
LATER_FROM_ROWS = 20_000
"""Fewest events an import must be able to bring for its indexes to be built after it."""


@contextmanager
def bulk_settings(connection: Connection, size: int = 0) -> Iterator[None]:
    """The page cache, search index and indexes set for a bulk write in the block (SQLite only).

    ``size`` is the size of the file imported, in bytes: it decides which
    indexes are built after the load rather than kept up row by row.
    """
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = -{CACHE_KIB}")
    try:
        with _search_settings(connection):
            later = _drop_later_indexes(connection, size // BYTES_PER_ROW)
            yield
            for statement in later:
                connection.exec_driver_sql(statement)
    finally:
        with suppress(SQLAlchemyError):  # never hide why the import stopped
            connection.exec_driver_sql(f"PRAGMA cache_size = {int(before or -2000)}")


@contextmanager
def _search_settings(connection: Connection) -> Iterator[None]:
    names = ", ".join(f"'{name}'" for name in SEARCH_SETTINGS)
    stated = dict(
        connection.exec_driver_sql(
            f"SELECT k, v FROM {FTS_TABLE}_config WHERE k IN ({names})"
        ).all()
    )
    for name, value in SEARCH_SETTINGS.items():
        _set(connection, name, value)
    try:
        yield
    finally:
        with suppress(SQLAlchemyError):  # never hide why the import stopped
            for name, default in SEARCH_DEFAULTS.items():
                _set(connection, name, stated.get(name, default))
                if name not in stated:  # leave the file as it was: no value stated
                    connection.exec_driver_sql(
                        f"DELETE FROM {FTS_TABLE}_config WHERE k = ?", (name,)
                    )


def _set(connection: Connection, name: str, value: object) -> None:
    connection.exec_driver_sql(
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES (?, ?)", (name, value)
    )


def _drop_later_indexes(connection: Connection, rows: int) -> list[str]:
    """Drop the indexes to build after a load of up to ``rows`` events; their statements."""
    if rows < LATER_FROM_ROWS:
        return []
    statements = []
    for table, names in LATER_INDEXES.items():
        held = connection.exec_driver_sql(f"SELECT max(rowid) FROM {table}").scalar() or 0
        if held > rows:
            continue
        for name in names:
            sql = connection.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)
            ).scalar()
            if sql is None:
                continue
            connection.exec_driver_sql(f"DROP INDEX {name}")
            statements.append(str(sql))
    return statements
