"""One UUID, one record: an import may not give a record the UUID of one of another kind.

Deletions (tombstones), STIX identifiers and merges name a record by its UUID
alone. A source sharing a party's UUID would wipe the party's deletion when
imported, vanish from a STIX round trip, and confuse every later merge, so an
import holding one is refused. Called once the records are loaded in the import's
transaction, so records of the same document and those already in the project
are both seen; the caller's rollback leaves the project as it was.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection

from briefing.model import codec, rules
from briefing.model.kinds import KINDS
from briefing.model.vocab import KIND_NAMES


def refuse_shared(connection: Connection, records: Mapping[str, Sequence[Any]]) -> None:
    """Raise :class:`codec.BrokenRule` naming the first record whose UUID another kind has."""
    for kind, batch in records.items():
        by_uuid = {r["uuid"]: r for r in batch}
        found = _other_kind(connection, kind, list(by_uuid))
        if found is not None:
            uuid, other, deleted = found
            name = rules.record_name(kind, by_uuid[uuid])
            was = "a deleted" if deleted else "a"
            raise codec.BrokenRule(
                f"The {name} has the UUID {rules.shown(uuid)} of {was} "
                f"{KIND_NAMES.get(other, 'record')}; a UUID names one record only."
            )


def _other_kind(
    connection: Connection, kind: str, uuids: list[str]
) -> tuple[str, str, bool] | None:
    for other in KINDS:
        if other != kind:
            table = codec.TABLE_NAMES[other]
            rows = codec.rows_where_in(connection, f"SELECT uuid FROM {table}", "uuid", uuids)
            if rows:
                return min(rows)[0], other, False
    rows = codec.rows_where_in(connection, "SELECT uuid, kind FROM tombstone", "uuid", uuids)
    deleted = sorted(row for row in rows if row[1] != kind)
    return (deleted[0][0], deleted[0][1], True) if deleted else None
