"""Declarative base, column types and the fields every record carries."""

from __future__ import annotations

import uuid as uuid_module
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Enum, MetaData, String, Text, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from briefing.model import times
from briefing.model.vocab import Tlp

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ISO_FORMAT = times.STORED_FORMAT


def utc_now() -> datetime:
    return datetime.now(UTC)


def new_uuid() -> str:
    return str(uuid_module.uuid4())


def to_utc_text(value: datetime) -> str:
    """Format an aware datetime as fixed-width ISO text in UTC, so text order is time order."""
    return times.stored_text(value)


def from_utc_text(value: str) -> datetime:
    return times.from_stored_text(value)


class UtcDateTime(TypeDecorator[datetime]):
    """An aware datetime stored as ISO 8601 text in UTC, readable in the sqlite3 shell."""

    impl = String(27)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        return None if value is None else to_utc_text(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> datetime | None:
        return None if value is None else from_utc_text(value)


def vocab(enum: type[StrEnum], name: str) -> Enum:
    """A column restricted to one vocabulary, stored as its plain values with a CHECK."""
    return Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
        length=max(len(m.value) for m in enum),
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: dict[Any, Any] = {datetime: UtcDateTime(), str: Text()}


class RecordMixin:
    """Fields shared by every library record and briefing.

    ``uuid`` never changes, so copies of a project can be merged; ``id`` is for joins.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now, index=True)
    updated_by: Mapped[str] = mapped_column(default="")
    tlp: Mapped[Tlp] = mapped_column(vocab(Tlp, "tlp"), default=Tlp.CLEAR)
    tags: Mapped[str] = mapped_column(default="", doc="comma-separated, lower case")
    notes: Mapped[str] = mapped_column(default="", doc="the analyst's private notes")

    @property
    def tag_list(self) -> list[str]:
        return split_tags(self.tags)


def split_tags(text: str) -> list[str]:
    """Parse a tag field: comma separated, trimmed, lower case, no duplicates, in order."""
    seen: dict[str, None] = {}
    for part in text.split(","):
        tag = part.strip().lower()
        if tag:
            seen.setdefault(tag, None)
    return list(seen)


def join_tags(tags: list[str]) -> str:
    return ", ".join(split_tags(",".join(tags)))
