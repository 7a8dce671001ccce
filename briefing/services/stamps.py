"""The optimistic check: an edit applies only to the record as the editor last saw it.

Every record carries a change stamp (``updated_at`` and ``updated_by``), and
anything that changes its content gives it a new one. An edit names the stamp
of the record as it was loaded (a field, a deletion, an entry's claims, a
position set on the map, a briefing's sections, items and judgments); an undo
or redo names the stamps its own change left. If someone else changed (or
deleted) the record since, the edit is refused with who did it and when, and
nothing is written: the editor reloads and decides again. So two analysts on
one team project (or two programs on one file) never silently overwrite each
other, and undoing my edit never undoes theirs.

The rows are read ``FOR UPDATE`` inside the edit's own transaction, so on a
server no other transaction can slip a change in between the check and the
write (SQLite's one writer at a time gives the same on a file).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from briefing.errors import RecordError
from briefing.model import codec
from briefing.model.base import Base, from_utc_text, to_utc_text
from briefing.model.codec import Records
from briefing.model.times import clock_text, day_text, stored_from_document, utc_suffix
from briefing.model.vocab import KIND_NAMES

Stamp = tuple[str, str] | None
"""(updated_at, updated_by) of a record as seen, or None when it did not exist."""
Stamps = dict[tuple[str, str], Stamp]
"""Per (kind, UUID): the stamp a change expects to find."""


class StaleRecord(RecordError):
    """Someone else changed the record since it was loaded; nothing was written.

    ``kind`` and ``uuid`` name the record, so the window can offer to reload it.
    """

    def __init__(self, message: str, kind: str, uuid: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.uuid = uuid


def stamp_of(record: dict[str, Any]) -> Stamp:
    """The stamp of a record in the codec's dict form."""
    return (str(record.get("updated_at") or ""), str(record.get("updated_by") or ""))


def stamps_of(records: Records) -> Stamps:
    """The stamps of every record in a snapshot, by kind and UUID."""
    return {(kind, r["uuid"]): stamp_of(r) for kind, rows in records.items() for r in rows}


def absent(records: Records) -> Stamps:
    """Stamps saying these records are expected not to exist (they were deleted)."""
    return {(kind, r["uuid"]): None for kind, rows in records.items() for r in rows}


def check(connection: Connection, expected: Stamps, done: str = "saved") -> None:
    """Refuse (:class:`StaleRecord`) unless every record is as ``expected``; locks the rows.

    ``done`` says what the refused action would have done (``nothing was deleted``).
    """
    by_kind: dict[str, list[str]] = {}
    for kind, uuid in expected:
        by_kind.setdefault(kind, []).append(uuid)
    for kind, uuids in by_kind.items():
        table = codec.table(kind)
        for start in range(0, len(uuids), 500):
            chunk = uuids[start : start + 500]
            rows = connection.execute(
                select(table.c.uuid, table.c.updated_at, table.c.updated_by)
                .where(table.c.uuid.in_(chunk))
                .with_for_update()
            ).all()
            found = {u: (at, by) for u, at, by in rows}
            for uuid in chunk:
                now = found.get(uuid)
                seen = expected[(kind, uuid)]
                if _same(now, seen):
                    continue
                raise StaleRecord(_sentence(connection, kind, uuid, now, done), kind, uuid)


def read_checked(
    connection: Connection, kind: str, record_id: int, loaded: Stamp | None
) -> list[dict[str, Any]]:
    """One record to edit, as stored once its row is locked.

    With ``loaded``, refused (:class:`StaleRecord`) unless the record is still as the
    editor saw it.
    """
    before = codec.dump(connection, kind, [record_id], with_ids=True)
    if not before:
        raise RecordError(f"That {KIND_NAMES[kind]} no longer exists.")
    if loaded is not None:
        check(connection, {(kind, before[0]["uuid"]): loaded})
        if stamp_of(before[0]) != loaded:  # read before the lock: read again
            before = codec.dump(connection, kind, [record_id], with_ids=True)
    return before


def _same(now: tuple[Any, Any] | None, seen: Stamp) -> bool:
    if now is None or seen is None:
        return now is None and seen is None
    at, by = now
    return _text(at) == _text(seen[0]) and str(by or "") == seen[1]


def _text(value: Any) -> str:
    """A time as stored, whether given as a datetime, stored text or document text."""
    if isinstance(value, datetime):
        return to_utc_text(value)
    if isinstance(value, str):
        try:
            return stored_from_document(value) or value
        except ValueError:
            return value
    return ""


def _sentence(
    connection: Connection, kind: str, uuid: str, now: tuple[Any, Any] | None, done: str
) -> str:
    what = KIND_NAMES[kind]
    if now is None:
        tombstones = Base.metadata.tables["tombstone"]
        row = connection.execute(
            select(tombstones.c.deleted_at, tombstones.c.deleted_by).where(
                tombstones.c.uuid == uuid
            )
        ).first()
        if row is None:
            return f"That {what} no longer exists; reload to see the project as it is now."
        return (
            f"{_who(row[1])} deleted that {what} {_when(row[0])}, after you loaded it; "
            "reload to see the project as it is now."
        )
    return (
        f"{_who(now[1])} changed that {what} {_when(now[0])}, after you loaded it; "
        f"nothing was {done}: reload to see their version."
    )


def _who(name: Any) -> str:
    return str(name) if name else "Someone"


def _when(value: Any) -> str:
    try:
        moment = from_utc_text(_text(value))
    except (TypeError, ValueError):
        return "recently"
    return f"at {clock_text(moment)} {utc_suffix(moment)} on {day_text(moment)}"
