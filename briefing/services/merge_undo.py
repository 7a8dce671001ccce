"""Undoing a merge: the file as it was before, so that merging again offers the same choices.

A generic undo (:func:`briefing.services.records.restore`) would stamp our old
versions as edited now and bury the records the merge added; the next merge
would then read the undo as a decision against every one of their changes. So
a merge remembers, inside its own transaction and before writing, everything it
is about to change beyond the records themselves: the tombstones it writes or
forgets, the editions it adds or loses with a deleted briefing, the records whose
links a deletion cuts, and the sync point it moves. :func:`undo_merge` puts all
of that back, with the original stamps, as one transaction.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, text

from briefing.model import codec, fulltext
from briefing.model.codec import KINDS, Records
from briefing.services.records import Change, dependents
from briefing.services.sync_point import PREFIX
from briefing.store.interface import ProjectStore

if TYPE_CHECKING:
    from briefing.services.merge_plan import MergePlan

_CHUNK = 500


@dataclass(frozen=True)
class MergeUndo:
    """What :func:`undo_merge` needs to put the file back as it was before a merge."""

    description: str
    records: Records
    created: dict[str, tuple[str, ...]]
    tombstone_uuids: tuple[str, ...]
    tombstones: tuple[dict[str, Any], ...]
    editions_added: tuple[str, ...]
    editions_lost: tuple[dict[str, Any], ...]
    sync_key: str | None = None
    sync_value: str | None = None


def _chunks(values: list[Any]) -> list[list[Any]]:
    return [values[i : i + _CHUNK] for i in range(0, len(values), _CHUNK)]


def _marks(values: list[Any]) -> tuple[str, dict[str, Any]]:
    return ",".join(f":v{i}" for i in range(len(values))), {
        f"v{i}": v for i, v in enumerate(values)
    }


def _rows(connection: Connection, sql: str, values: list[Any]) -> list[dict[str, Any]]:
    """``sql`` with ``{marks}`` filled by ``values``, in chunks, as dicts."""
    found: list[dict[str, Any]] = []
    for chunk in _chunks(values):
        marks, params = _marks(chunk)
        result = connection.execute(text(sql.format(marks=marks)), params)
        found += [dict(row._mapping) for row in result]
    return found


_EDITIONS_OF = (
    "SELECT e.uuid, b.uuid AS briefing, e.number, e.frozen_at, e.frozen_by, e.snapshot "
    "FROM edition e JOIN briefing b ON b.id = e.briefing_id WHERE b.uuid IN ({marks})"
)


def capture_undo(
    connection: Connection,
    plan: MergePlan,
    writes: Records,
    before: Records,
    point_peer: str | None,
) -> MergeUndo:
    """Read, before a merge writes anything, what undoing it will need.

    ``writes`` are the records the merge loads and ``before`` our versions of
    those it replaces or deletes; ``point_peer`` names the sync point it moves.
    """
    present = {
        kind: plan.our_uuids.get(kind, set()) | set(plan.delete.get(kind, [])) for kind in KINDS
    }
    created = {
        kind: tuple(r["uuid"] for r in writes.get(kind, []) if r["uuid"] not in present[kind])
        for kind in KINDS
    }
    saved: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for kind, rows in _cut_links(connection, plan).items():
        saved[kind].update((r["uuid"], r) for r in rows)
    for kind, rows in before.items():
        saved[kind].update((r["uuid"], r) for r in rows)
    buried = sorted(
        {t["uuid"] for t in plan.tombstones} | {r["uuid"] for rows in writes.values() for r in rows}
    )
    tombstones = _rows(
        connection,
        "SELECT uuid, kind, deleted_at, deleted_by FROM tombstone WHERE uuid IN ({marks})",
        buried,
    )
    lost = _rows(connection, _EDITIONS_OF, list(plan.delete.get("briefing", [])))
    sync_key = PREFIX + point_peer if point_peer else None
    sync_value = None
    if sync_key is not None:
        sync_value = connection.execute(
            text("SELECT value FROM project_setting WHERE key = :k"), {"k": sync_key}
        ).scalar()
    return MergeUndo(
        f"Undo: Merge {plan.their_name}",
        {kind: list(rows.values()) for kind, rows in saved.items() if rows},
        {kind: uuids for kind, uuids in created.items() if uuids},
        tuple(buried),
        tuple(tombstones),
        tuple(e["uuid"] for e in plan.editions),
        tuple(lost),
        sync_key,
        sync_value,
    )


def _cut_links(connection: Connection, plan: MergePlan) -> Records:
    """Our records that refer to records the merge deletes, as they are before it does."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for kind, uuids in plan.delete.items():
        ids = sorted(codec.ids_for_uuids(connection, codec.table(kind), uuids).values())
        if ids:
            for other_kind, other_ids in dependents(connection, kind, ids).items():
                wanted[other_kind] |= other_ids
    return {
        kind: codec.dump(connection, kind, sorted(ids), with_ids=True)
        for kind, ids in wanted.items()
    }


def undo_merge(project: ProjectStore, undo: MergeUndo) -> Change:
    """Put the file back as it was before the merge ``undo`` was captured for; one transaction."""
    touched: dict[str, set[int]] = defaultdict(set)
    with project.transaction() as session:
        connection = session.connection()
        for kind in reversed(KINDS):
            found = codec.ids_for_uuids(connection, codec.table(kind), undo.created.get(kind, ()))
            ids = sorted(found.values())
            for chunk in _chunks(ids):
                marks, params = _marks(chunk)
                connection.execute(
                    text(f"DELETE FROM {codec.TABLE_NAMES[kind]} WHERE id IN ({marks})"), params
                )
            if ids:
                fulltext.reindex(connection, kind, ids)
                touched[kind] |= set(ids)
        copies = {kind: [dict(r) for r in rows] for kind, rows in undo.records.items()}
        result = codec.load(connection, copies)  # no analyst: the original stamps return
        for kind in KINDS:
            touched[kind] |= set(result.ids(kind))
        _restore_tombstones(connection, undo)
        _restore_editions(connection, undo)
        _restore_sync_point(connection, undo)
    deleted = tuple(u for uuids in undo.created.values() for u in uuids)
    return Change(
        undo.description,
        ids={kind: tuple(sorted(ids)) for kind, ids in touched.items() if ids},
        after=undo.records,
        deleted_uuids=deleted,
    )


def _restore_tombstones(connection: Connection, undo: MergeUndo) -> None:
    """The merge's deletions taken back and the ones it replaced put back.

    A team server keeps a deletion of a record that stays deleted (an analyst may
    not remove it, and its date never moves back): there the later one stays.
    """
    for chunk in _chunks(list(undo.tombstone_uuids)):
        marks, params = _marks(chunk)
        connection.execute(text(f"DELETE FROM tombstone WHERE uuid IN ({marks})"), params)
    if undo.tombstones:
        connection.execute(
            text(
                "INSERT INTO tombstone(uuid, kind, deleted_at, deleted_by) "
                "VALUES (:uuid, :kind, :deleted_at, :deleted_by) ON CONFLICT (uuid) DO NOTHING"
            ),
            list(undo.tombstones),
        )


def _restore_editions(connection: Connection, undo: MergeUndo) -> None:
    for chunk in _chunks(list(undo.editions_added)):
        marks, params = _marks(chunk)
        connection.execute(text(f"DELETE FROM edition WHERE uuid IN ({marks})"), params)
    if not undo.editions_lost:
        return
    briefings = codec.ids_for_uuids(
        connection, codec.table("briefing"), {e["briefing"] for e in undo.editions_lost}
    )
    rows = [
        {**e, "briefing_id": briefings[e["briefing"]]}
        for e in undo.editions_lost
        if e["briefing"] in briefings
    ]
    if rows:
        connection.execute(
            text(
                "INSERT INTO edition(uuid, briefing_id, number, frozen_at, frozen_by, snapshot) "
                "VALUES (:uuid, :briefing_id, :number, :frozen_at, :frozen_by, :snapshot)"
            ),
            rows,
        )


def _restore_sync_point(connection: Connection, undo: MergeUndo) -> None:
    if undo.sync_key is None:
        return
    if undo.sync_value is None:
        connection.execute(text("DELETE FROM project_setting WHERE key = :k"), {"k": undo.sync_key})
        return
    connection.execute(
        text(
            "INSERT INTO project_setting(key, value) VALUES (:k, :v) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value"
        ),
        {"k": undo.sync_key, "v": undo.sync_value},
    )
