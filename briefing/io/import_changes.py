"""What an import changed, record by record, and the stamps that say so.

"Same stamp = same content" holds everywhere (a merge relies on it), so an
import compares each record it updates with what the project held:

- equal in content: *unchanged*; the record keeps our stamps, as if never touched;
- different: *updated*; it carries the document's stamp when that is newer than
  ours, otherwise the time of the import and the importing analyst.

Content is everything but ``created_at``, ``updated_at`` and ``updated_by``,
compared as stored (so ``+04:00`` and ``Z`` spellings of one time are equal).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from briefing.model import codec
from briefing.model.base import to_utc_text, utc_now

STAMPS = ("created_at", "updated_at", "updated_by")

Current = dict[str, dict[str, dict[str, Any]]]
"""kind → UUID → the record as the project held it before the import."""


def current(connection: Connection, records: codec.Records) -> Current:
    """The project's own version of every record the import names, before it writes."""
    held: Current = {}
    for kind, batch in records.items():
        uuids = [r["uuid"] for r in batch if isinstance(r, dict) and isinstance(r.get("uuid"), str)]
        ids = codec.ids_for_uuids(connection, codec.table(kind), uuids)
        held[kind] = {r["uuid"]: r for r in codec.dump(connection, kind, sorted(ids.values()))}
    return held


def _content(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in STAMPS and k != "_id"}


def settle(
    connection: Connection,
    records: codec.Records,
    before: Current,
    updated: dict[str, list[int]],
    analyst: str,
) -> tuple[dict[str, int], dict[str, int]]:
    """Give every updated record the stamps it deserves; returns (updated, unchanged) counts."""
    now = to_utc_text(utc_now())
    changed: dict[str, int] = {}
    same: dict[str, int] = {}
    for kind, ids in updated.items():
        if not ids:
            continue
        given = {r["uuid"]: r for r in records.get(kind) or []}
        rows = []
        for after in codec.dump(connection, kind, sorted(ids)):
            ours = before[kind].get(after["uuid"])
            if ours is None:
                continue
            if _content(after) == _content(ours):
                rows.append((*_stored(ours), after["uuid"]))
                same[kind] = same.get(kind, 0) + 1
                continue
            changed[kind] = changed.get(kind, 0) + 1
            theirs = _stored_time(given[after["uuid"]].get("updated_at"))
            ours_at = _stored_time(ours["updated_at"])
            if "updated_at" in given[after["uuid"]] and theirs and ours_at and theirs > ours_at:
                stamp = (_stored_time(ours["created_at"]), theirs, after["updated_by"])
            else:
                stamp = (_stored_time(ours["created_at"]), now, analyst)
            rows.append((*stamp, after["uuid"]))
        if rows:
            connection.exec_driver_sql(
                f"UPDATE {codec.TABLE_NAMES[kind]} SET created_at = ?, updated_at = ?, "
                "updated_by = ? WHERE uuid = ?",
                rows,
            )
    return changed, same


def _stored(record: dict[str, Any]) -> tuple[Any, ...]:
    return (
        _stored_time(record["created_at"]),
        _stored_time(record["updated_at"]),
        record["updated_by"],
    )


def _stored_time(value: Any) -> str | None:
    try:
        return codec.stored_time(value)
    except ValueError:
        return None
