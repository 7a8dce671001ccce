"""One UUID, one record: no record has the UUID of a record, or a deletion, of another kind.

Deletions (tombstones), STIX identifiers and merges name a record by its UUID
alone. A source sharing a party's UUID would wipe the party's deletion when
imported, vanish from a STIX round trip, and confuse every later merge. So an
import holding one is refused (:func:`refuse_shared`, called once the records are
loaded in the import's transaction, so records of the same document and those
already in the project are both seen; the caller's rollback leaves the project
as it was), and ``briefing check`` reports a project, file or server, holding
one (:func:`shared_in_project`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, text

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
            raise codec.BrokenRule(_sentence(kind, by_uuid[uuid], uuid, other, deleted))


def _sentence(kind: str, record: Any, uuid: str, other: str, deleted: bool) -> str:
    name = rules.record_name(kind, record)
    was = "a deleted" if deleted else "a"
    return (
        f"The {name} has the UUID {rules.shown(uuid)} of {was} "
        f"{KIND_NAMES.get(other, 'record')}; a UUID names one record only."
    )


def _named() -> str:
    """Every (uuid, kind) the rule counts: each record, and each deletion."""
    tables = [
        f"SELECT uuid, CAST('{kind}' AS TEXT) AS kind FROM {codec.TABLE_NAMES[kind]}"
        for kind in KINDS
    ]
    return " UNION ALL ".join([*tables, "SELECT uuid, kind FROM tombstone"])


def shared_in_project(connection: Connection, limit: int) -> list[str]:
    """Each UUID a whole project gives to records (or deletions) of two kinds, one sentence each.

    A record and the deletion of a record of its own kind may share a UUID (a deletion
    undone); anything else sharing one breaks the rule. The same statements serve a
    file and a server (there, of the records the reader may see).
    """
    shared = connection.execute(
        text(
            f"SELECT uuid FROM ({_named()}) AS named GROUP BY uuid "
            f"HAVING count(DISTINCT kind) > 1 ORDER BY uuid LIMIT {int(limit)}"
        )
    ).all()
    problems = []
    for (uuid,) in shared:
        ids = {kind: _id_of(connection, kind, uuid) for kind in KINDS}
        live = [kind for kind in KINDS if ids[kind] is not None]
        if len(live) > 1:
            other, deleted = live[0], False
        else:
            tomb = connection.execute(
                text("SELECT kind FROM tombstone WHERE uuid = :uuid"), {"uuid": uuid}
            )
            other, deleted = str(tomb.scalar()), True
        (record,) = codec.dump(connection, live[-1], [ids[live[-1]]])
        problems.append(_sentence(live[-1], record, uuid, other, deleted))
    return problems


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


def _id_of(connection: Connection, kind: str, uuid: str) -> int | None:
    table = codec.TABLE_NAMES[kind]
    found = connection.execute(text(f"SELECT id FROM {table} WHERE uuid = :uuid"), {"uuid": uuid})
    return found.scalar()
