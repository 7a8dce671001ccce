"""One document record becomes one row of column values, checked on the way."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Enum as SqlEnum

from briefing.errors import RecordError
from briefing.model.base import to_utc_text
from briefing.model.codec.fields import DOCUMENT_KEYS, fields, plain, stored_time
from briefing.model.rules import CLAIM_REFERENCES
from briefing.model.times import zone_info

Known = dict[str, dict[str, int]]
"""UUID → id of every record met so far, per kind."""


def location(kind: str, index: int, record: dict[str, Any], key: str | None = None) -> str:
    label = f"{DOCUMENT_KEYS[kind]}[{index}]"
    if isinstance(record.get("uuid"), str):
        label += f" (uuid {record['uuid']})"
    return f"{label}: field '{key}'" if key else label


def missing_reference(where: str, kind: str, uuid: object) -> RecordError:
    return RecordError(
        f"{where} refers to a {kind} ({uuid}) that is neither in the document nor in the project."
    )


_PLAIN, _REFERENCE, _TIME, _CHOICE, _ZONE = range(5)
_STAMPED = frozenset({"created_at", "updated_at", "updated_by"})
"""Columns a stamp sets whenever the record leaves them out."""


@dataclass(frozen=True)
class _Column:
    """How one document field becomes one column value."""

    name: str
    key: str
    treatment: int
    ref_kind: str | None
    nullable: bool
    default: Any
    factory: Callable[[], Any] | None
    allowed: frozenset[str] | None

    def default_value(self) -> Any:
        value = self.default if self.factory is None else self.factory()
        return to_utc_text(value) if isinstance(value, datetime) else value


@cache
def _plan(kind: str) -> tuple[_Column, ...]:
    columns = []
    for f in fields(kind):
        column_type = f.column.type
        arg = f.column.default.arg if f.column.default is not None else None  # type: ignore[attr-defined]
        factory = (lambda arg=arg: arg(None)) if callable(arg) else None
        allowed = frozenset(column_type.enums) if isinstance(column_type, SqlEnum) else None
        if f.ref_kind is not None:
            treatment = _REFERENCE
        elif f.is_time:
            treatment = _TIME
        elif allowed is not None:
            treatment = _CHOICE
        elif f.column.name == "zone":
            treatment = _ZONE
        else:
            treatment = _PLAIN
        default = None if callable(arg) else plain(arg)
        columns.append(
            _Column(
                f.column.name,
                f.key,
                treatment,
                f.ref_kind,
                bool(f.column.nullable),
                default,
                factory,
                allowed,
            )
        )
    return tuple(columns)


def row_for(
    kind: str, index: int, record: dict[str, Any], known: Known, stamp: tuple[str, str] | None
) -> dict[str, Any]:
    """One document record → one row of column values, refusing bad references and values."""
    row: dict[str, Any] = {}
    get = record.get
    for c in _plan(kind):
        value = get(c.key)
        treatment = c.treatment
        if value is None or (treatment == _TIME and value == ""):
            if stamp is not None and c.name in _STAMPED:
                value = stamp[0]  # replaced by the stamp below: no default to work out
            elif not c.nullable or c.key not in record:
                value = c.default_value()
                if value is None and not c.nullable:
                    raise RecordError(f"{location(kind, index, record, c.key)} is missing.")
            else:
                value = None
        elif treatment == _PLAIN:
            pass
        elif treatment == _ZONE:
            if not isinstance(value, str) or zone_info(value) is None:
                raise RecordError(
                    f"{location(kind, index, record, c.key)} '{value}' is not an IANA time zone "
                    "(for example Asia/Baku or UTC)."
                )
        elif treatment == _REFERENCE:
            resolved = known[c.ref_kind].get(value)  # type: ignore[index]
            if resolved is None and not (kind == "party" and c.key == "parent"):
                where = location(kind, index, record, c.key)
                raise missing_reference(where, c.ref_kind, value)  # type: ignore[arg-type]
            value = resolved
        elif treatment == _TIME:
            try:
                value = stored_time(value)
            except ValueError as error:
                raise RecordError(f"{location(kind, index, record, c.key)} {error}.") from None
        else:
            value = plain(value)
            if value not in c.allowed:  # type: ignore[operator]
                raise RecordError(
                    f"{location(kind, index, record, c.key)} must be one of "
                    f"{', '.join(sorted(c.allowed))} (not '{value}')."  # type: ignore[arg-type]
                )
        row[c.name] = value
    if stamp is not None:
        row["updated_at"], row["updated_by"] = stamp
        if record.get("created_at") is None:
            row["created_at"] = stamp[0]
    if isinstance(record.get("_id"), int):
        row["id"] = record["_id"]
    return row


def referenced(kind: str, records: list[dict[str, Any]]) -> dict[str, set[str]]:
    wanted: dict[str, set[str]] = defaultdict(set)
    for f in fields(kind):
        if f.ref_kind is not None:
            wanted[f.ref_kind].update(r[f.key] for r in records if r.get(f.key))
    if kind in ("entry", "relationship"):
        for r in records:
            wanted["source"].update(r.get("sources") or [])
    if kind == "entry":
        for r in records:
            wanted["party"].update(p["party"] for p in r.get("parties") or [])
        claims = [claim for r in records for claim in r.get("claims") or ()]
        for key, ref_kind in CLAIM_REFERENCES.items():
            wanted[ref_kind].update({found for claim in claims if (found := claim.get(key))})
    return wanted
