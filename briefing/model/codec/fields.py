"""Record kinds, their tables and fields, and how their values read in a document.

Times in a document are ISO 8601 text in UTC ending in ``Z``; in the file they
are fixed-width text with microseconds (see :mod:`briefing.model.base`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy import Column, Table

from briefing.errors import RecordError
from briefing.model import times
from briefing.model.base import Base, UtcDateTime
from briefing.model.kinds import KINDS as KINDS  # re-exported: the codec's own name
from briefing.model.kinds import TABLE_NAMES

KIND_OF_TABLE = {table: kind for kind, table in TABLE_NAMES.items()}
DOCUMENT_KEYS = {
    "party": "parties",
    "source": "sources",
    "entry": "entries",
    "statement": "statements",
    "relationship": "relationships",
    "briefing": "briefings",
}
ITEM_COLUMNS = {
    "entry": "entry_id",
    "statement": "statement_id",
    "relationship": "relationship_id",
    "party": "party_id",
    "source": "source_id",
}

Records = dict[str, list[dict[str, Any]]]


def table(kind: str) -> Table:
    return Base.metadata.tables[TABLE_NAMES[kind]]


@dataclass(frozen=True)
class Field:
    """One document field: its column, its key (``x`` for ``x_id``) and the kind it refers to."""

    column: Column[Any]
    key: str
    ref_kind: str | None

    @property
    def is_time(self) -> bool:
        return isinstance(self.column.type, UtcDateTime)


def fields(kind: str) -> list[Field]:
    """The scalar fields of a kind: every column but ``id``; ``x_id`` columns become ``x``."""
    result = []
    for column in table(kind).columns:
        if column.name == "id":
            continue
        foreign = next(iter(column.foreign_keys), None)
        if foreign is None:
            result.append(Field(column, column.name, None))
        else:
            result.append(Field(column, column.name[:-3], KIND_OF_TABLE[foreign.column.table.name]))
    return result


def time_to_text(value: datetime | None) -> str | None:
    """A stored time → document time text (ISO 8601 in UTC with ``Z``)."""
    return None if value is None else times.document_text(value)


def parse_time(value: object, where: str) -> datetime | None:
    """Document time text → aware datetime in UTC; a time without a zone is refused."""
    if value is None or value == "":
        return None
    try:
        return times.parse_instant(value)
    except ValueError as error:
        raise RecordError(f"{where} {error}.") from None


def plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def document_time(stored: str | None) -> str | None:
    """Stored time text (always UTC, microseconds) → document text, as :func:`time_to_text`."""
    return None if stored is None else stored.replace(".000000Z", "Z")


def stored_time(value: object) -> str | None:
    """A document time (text or aware datetime) → the text stored in the file.

    Raises ValueError saying what is wrong with it.
    """
    return times.stored_from_document(value)
