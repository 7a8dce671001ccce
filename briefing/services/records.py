"""Create, edit, delete and restore records: one call, one transaction, one undo step.

Every function returns a :class:`Change` saying what changed, with snapshots of
the records before and after, so a view refreshes only that and an undo command
puts the ``before`` snapshot back with :func:`restore`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, delete, insert, text

from briefing.errors import RecordError
from briefing.model import codec, fulltext, rules
from briefing.model.base import Base, to_utc_text, utc_now
from briefing.model.codec import KINDS, Records
from briefing.model.vocab import (
    KIND_NAMES,  # the window imports it from here too
    counted,
)
from briefing.services import stamps
from briefing.services.stamps import Stamp, Stamps
from briefing.store.interface import ProjectStore


@dataclass(frozen=True)
class Change:
    """What one action changed.

    ``before`` holds the affected records as they were (absent for records the
    action created), ``after`` as they are now (absent for deleted ones); both in
    the codec's dict form. ``ids`` maps each kind to the ids touched.
    """

    description: str
    ids: dict[str, tuple[int, ...]] = field(default_factory=dict)
    before: Records = field(default_factory=dict)
    after: Records = field(default_factory=dict)
    created_uuids: tuple[str, ...] = ()
    deleted_uuids: tuple[str, ...] = ()

    def touches(self, kind: str) -> bool:
        return bool(self.ids.get(kind))

    def left(self) -> Stamps:
        """The stamps this change left: its records as ``after`` holds them, deleted ones absent."""
        gone = {(k, r["uuid"]) for k, rows in self.before.items() for r in rows}
        left = stamps.stamps_of(self.after)
        return {**{key: None for key in gone - left.keys()}, **left}

    def keeps_records(self) -> bool:
        """Whether every record it names existed before it and still does: only edits.

        Then no record came or went, and views need not count or look for them again.
        """
        if self.created_uuids or self.deleted_uuids:
            return False
        for kind, ids in self.ids.items():
            before = {r["uuid"] for r in self.before.get(kind, [])}
            if ids and (not before or before != {r["uuid"] for r in self.after.get(kind, [])}):
                return False
        return True

    def found(self) -> Stamps:
        """The stamps this change found: ``before``'s records, the ones it created absent."""
        made = {(k, r["uuid"]) for k, rows in self.after.items() for r in rows}
        found = stamps.stamps_of(self.before)
        return {**{key: None for key in made - found.keys()}, **found}


def _title_of(kind: str, record: dict[str, Any]) -> str:
    for key in ("title", "name", "quote", "heading"):
        value = record.get(key)
        if value:
            value = str(value)
            return value if len(value) <= 40 else value[:39] + "…"
    return KIND_NAMES[kind]


def get_record(project: ProjectStore, kind: str, record_id: int) -> dict[str, Any]:
    """One record in dict form; raises :class:`RecordError` if it no longer exists."""
    with project.engine.connect() as connection:
        found = codec.dump(connection, kind, [record_id])
    if not found:
        raise RecordError(f"That {KIND_NAMES[kind]} no longer exists.")
    return found[0]


def id_of(connection: Connection, kind: str, uuid: str) -> int | None:
    return codec.ids_for_uuids(connection, codec.table(kind), [uuid]).get(uuid)


def create_record(project: ProjectStore, kind: str, values: dict[str, Any]) -> Change:
    """Create one record from field values (references by UUID, as in the codec)."""
    record = dict(values)
    with project.transaction() as session:
        connection = session.connection()
        result = codec.load(connection, {kind: [record]}, analyst=project.analyst)
        record_id = result.ids(kind)[0]
        after = codec.dump(connection, kind, [record_id], with_ids=True)
    return Change(
        f"Add {KIND_NAMES[kind]} ‘{_title_of(kind, record)}’",
        ids={kind: (record_id,)},
        after={kind: after},
        created_uuids=(after[0]["uuid"],),
    )


def update_record(
    project: ProjectStore,
    kind: str,
    record_id: int,
    values: dict[str, Any],
    loaded: Stamp | None = None,
) -> Change:
    """Change some fields of one record; the rest stay as they are.

    With ``loaded`` (the stamp of the record as the editor saw it), the edit is
    refused with :class:`~briefing.services.stamps.StaleRecord` if someone else
    changed the record since (:mod:`briefing.services.stamps`).
    """
    with project.transaction() as session:
        connection = session.connection()
        before = stamps.read_checked(connection, kind, record_id, loaded)
        merged = {**before[0], **values, "uuid": before[0]["uuid"]}
        problems = rules.check_record(kind, merged)
        if problems:
            raise RecordError(problems[0].sentence())
        written = _without_unchanged_links(kind, merged, before[0])
        partners = _partners_set_or_unset(connection, written, before[0])
        partners_before = codec.dump(connection, kind, partners, with_ids=True) if partners else []
        codec.load(connection, {kind: [written]}, analyst=project.analyst, checked=True)
        after = _read_after(connection, kind, record_id, before[0], written, loaded is not None)
        if partners:
            _touch(connection, {kind: set(partners)}, project.analyst)
            after += codec.dump(connection, kind, partners, with_ids=True)
    changed = sorted(k for k in values if before[0].get(k) != after[0].get(k))
    what = f" {changed[0].replace('_', ' ')} of" if len(changed) == 1 else ""
    return Change(
        f"Edit {KIND_NAMES[kind]}{what} ‘{_title_of(kind, after[0])}’",
        ids={kind: (record_id, *partners)},
        before={kind: before + partners_before},
        after={kind: after},
    )


def _partners_set_or_unset(
    connection: Connection, written: dict[str, Any], before: dict[str, Any]
) -> list[int]:
    """The other statements of the contradictions this edit sets or removes, by id.

    A pair is part of both statements, so both get a new stamp: an undo of another
    analyst's older edit of the other statement is then refused instead of removing it.
    """
    if "contradicts" not in written:
        return []
    moved = set(written["contradicts"] or []) ^ set(before.get("contradicts") or [])
    found = codec.ids_for_uuids(connection, codec.table("statement"), moved)
    return sorted(found.values())


def _pairs_of(connection: Connection, ids: set[int]) -> set[tuple[int, int]]:
    """The contradictions naming any of these statements."""
    if not ids:
        return set()
    marks = ",".join(str(int(i)) for i in ids)
    rows = connection.execute(
        text(
            "SELECT statement_id, other_id FROM statement_contradiction "
            f"WHERE statement_id IN ({marks}) OR other_id IN ({marks})"
        )
    )
    return {(int(a), int(b)) for a, b in rows}


LINK_GROUPS = {
    "entry": (("parties", "sources"), ("claims",)),
    "relationship": (("sources",),),
    "statement": (("contradicts",),),
}
"""Per kind, the keys the codec stores as rows of their own, in the groups it rewrites together.
A briefing's body is always written whole: rewriting it is what tells an analyst that it
holds items above their clearance, whichever field they edit (and an undo would rewrite it)."""


def _without_unchanged_links(
    kind: str, merged: dict[str, Any], before: dict[str, Any]
) -> dict[str, Any]:
    """The record to write, leaving out link groups it would only write back as they are.

    The codec keeps the links of a record written without them; rewriting them
    unchanged costs a deletion and an insertion per group (on a server, round
    trips each weighed with the row-level policies).
    """
    written = dict(merged)
    for group in LINK_GROUPS.get(kind, ()):
        if all(merged.get(key) == before.get(key) for key in group):
            for key in group:
                written.pop(key, None)
    return written


def _read_after(
    connection: Connection,
    kind: str,
    record_id: int,
    before: dict[str, Any],
    written: dict[str, Any],
    locked: bool,
) -> list[dict[str, Any]]:
    """The record as the edit left it; links not written are taken from ``before``.

    Only when ``before`` was read under the row's lock at the stamp the editor saw
    (``locked``): then no one else changed its links since, as every change of a
    record's links gives it a new stamp in the same transaction.
    """
    link_keys = [key for group in LINK_GROUPS.get(kind, ()) for key in group]
    if not link_keys or not locked or any(key in written for key in link_keys):
        return codec.dump(connection, kind, [record_id], with_ids=True)
    after = codec.dump(connection, kind, [record_id], with_ids=True, links=False)
    for record in after:
        record.update({key: before[key] for key in link_keys})
    return after


# Which records refer to a record of each kind, and so change when it is deleted.
_DEPENDENTS = {
    "party": [
        ("party", "SELECT id FROM party WHERE parent_id IN ({ids})"),
        ("entry", "SELECT entry_id FROM entry_party WHERE party_id IN ({ids})"),
        ("entry", "SELECT entry_id FROM casualty_claim WHERE party_id IN ({ids})"),
        ("entry", "SELECT entry_id FROM casualty_claim WHERE claimant_id IN ({ids})"),
        ("statement", "SELECT id FROM statement WHERE speaker_id IN ({ids})"),
        ("relationship", "SELECT id FROM relationship WHERE party_a_id IN ({ids})"),
        ("relationship", "SELECT id FROM relationship WHERE party_b_id IN ({ids})"),
    ],
    "source": [
        ("entry", "SELECT entry_id FROM entry_source WHERE source_id IN ({ids})"),
        ("entry", "SELECT entry_id FROM casualty_claim WHERE source_id IN ({ids})"),
        (
            "relationship",
            "SELECT relationship_id FROM relationship_source WHERE source_id IN ({ids})",
        ),
        ("statement", "SELECT id FROM statement WHERE source_id IN ({ids})"),
    ],
    "entry": [("statement", "SELECT id FROM statement WHERE entry_id IN ({ids})")],
    "statement": [
        ("statement", "SELECT other_id FROM statement_contradiction WHERE statement_id IN ({ids})"),
        ("statement", "SELECT statement_id FROM statement_contradiction WHERE other_id IN ({ids})"),
    ],
    "relationship": [],
    "briefing": [],
}


def dependents(connection: Connection, kind: str, ids: list[int]) -> dict[str, set[int]]:
    """Records whose content changes when these records are deleted, by kind."""
    marks = ",".join(str(int(i)) for i in ids)
    found: dict[str, set[int]] = defaultdict(set)
    for other_kind, sql in _DEPENDENTS[kind]:
        found[other_kind].update(r[0] for r in connection.execute(text(sql.format(ids=marks))))
    if kind in codec.ITEM_COLUMNS:
        column = codec.ITEM_COLUMNS[kind]
        found["briefing"].update(
            r[0]
            for r in connection.execute(
                text(
                    "SELECT DISTINCT s.briefing_id FROM section_item i JOIN section s "
                    f"ON s.id = i.section_id WHERE i.{column} IN ({marks})"
                )
            )
        )
    if kind == "party" and found["relationship"]:
        # A party's relationships are deleted with it, and so leave the briefings using them.
        cascaded = dependents(connection, "relationship", sorted(found["relationship"]))
        found["briefing"] |= cascaded.get("briefing", set())
    found[kind] -= set(ids)
    return {k: v for k, v in found.items() if v}


def usage_count(project: ProjectStore, kind: str, record_id: int) -> int:
    """How many briefings include this record (the GUI asks before deleting such a record)."""
    with project.engine.connect() as connection:
        return len(dependents(connection, kind, [record_id]).get("briefing", set()))


def delete_consequences(project: ProjectStore, kind: str, ids: list[int]) -> list[str]:
    """What deleting these records also deletes or changes, one sentence each, for asking."""
    with project.engine.connect() as connection:
        found = dependents(connection, kind, ids)
    said: list[str] = []
    if kind == "party" and found.get("relationship"):
        said.append(f"{counted('relationship', len(found['relationship']))} with it deleted too")
    if kind == "party" and found.get("party"):
        said.append(f"{counted('party', len(found['party']))} that are part of it detached")
    for other in ("entry", "statement", "source"):
        if found.get(other):
            said.append(f"{counted(other, len(found[other]))} no longer linked to it")
    if found.get("briefing"):
        said.append(f"used in {counted('briefing', len(found['briefing']))}: removed from there")
    return said


def delete_records(
    project: ProjectStore,
    kind: str,
    record_ids: list[int],
    loaded: Mapping[int, Stamp] | None = None,
) -> Change:
    """Delete records, remembering them (and what referred to them) for undo and merge.

    With ``loaded`` (per id, the stamp of the record as the analyst saw it), the
    deletion is refused with :class:`~briefing.services.stamps.StaleRecord` if
    someone else changed any of them since: nobody deletes an edit they never saw.
    """
    if not record_ids:
        raise RecordError("Nothing is selected to delete.")
    with project.transaction() as session:
        connection = session.connection()
        doomed = codec.dump(connection, kind, record_ids, with_ids=True)
        if not doomed:
            raise RecordError(f"That {KIND_NAMES[kind]} no longer exists.")
        if loaded:
            seen = {(kind, r["uuid"]): loaded[r["_id"]] for r in doomed if r["_id"] in loaded}
            stamps.check(connection, seen, done="deleted")
        ids = list(record_ids)
        others = dependents(connection, kind, ids)
        before: Records = {
            k: codec.dump(connection, k, sorted(v), with_ids=True) for k, v in others.items()
        }
        before[kind] = before.get(kind, []) + doomed
        table = codec.table(kind)
        connection.execute(delete(table).where(table.c.id.in_(ids)))
        _bury(connection, kind, [r["uuid"] for r in doomed], project.analyst)
        fulltext.reindex(connection, kind, ids)
        for other_kind, other_ids in others.items():
            fulltext.reindex(connection, other_kind, other_ids)
        _touch(connection, others, project.analyst)
        after: Records = {
            k: codec.dump(connection, k, sorted(v), with_ids=True) for k, v in others.items()
        }
        for other_kind, rows in before.items():
            if other_kind == kind:
                continue
            survivors = {r["uuid"] for r in after.get(other_kind, [])}
            gone = [r["uuid"] for r in rows if r["uuid"] not in survivors]
            if gone:  # deleted along with the record (ON DELETE CASCADE)
                _bury(connection, other_kind, gone, project.analyst)
    label = f"‘{_title_of(kind, doomed[0])}’" if len(doomed) == 1 else f"{len(doomed)} records"
    all_ids = {k: tuple(sorted(v)) for k, v in others.items()}
    all_ids[kind] = tuple(sorted(set(all_ids.get(kind, ())) | set(ids)))
    return Change(
        f"Delete {KIND_NAMES[kind]} {label}",
        ids=all_ids,
        before=before,
        after=after,
        deleted_uuids=tuple(r["uuid"] for r in doomed),
    )


def _bury(connection: Connection, kind: str, uuids: list[str], analyst: str) -> None:
    tombstones = Base.metadata.tables["tombstone"]
    connection.execute(delete(tombstones).where(tombstones.c.uuid.in_(uuids)))
    now = utc_now()
    connection.execute(
        insert(tombstones),
        [{"uuid": u, "kind": kind, "deleted_at": now, "deleted_by": analyst} for u in uuids],
    )


def _touch(connection: Connection, changed: dict[str, set[int]], analyst: str) -> None:
    """Mark records whose links changed as edited now, so a merge sees the change."""
    now = to_utc_text(utc_now())
    for kind, ids in changed.items():
        if not ids:
            continue
        marks = ",".join(str(int(i)) for i in ids)
        connection.execute(
            text(
                f"UPDATE {codec.TABLE_NAMES[kind]} SET updated_at = :now, updated_by = :who "
                f"WHERE id IN ({marks})"
            ),
            {"now": now, "who": analyst},
        )


def restore(
    project: ProjectStore,
    records: Records,
    remove: Records | None = None,
    description: str = "Restore",
    expected: Stamps | None = None,
) -> Change:
    """Put records back as given (by UUID) and delete ``remove``: the inverse of a change.

    Used by undo and redo: undoing an edit restores ``before``; undoing a creation
    removes ``after``; undoing a deletion restores ``before``. With ``expected``
    (the stamps the change being undone or redone left, :meth:`Change.left`), it is
    refused if someone else changed any of those records since, so an undo never
    overwrites another analyst's later edit. The returned change's ``after`` holds
    the records as restored, with their new stamps.
    """
    with project.transaction() as session:
        connection = session.connection()
        if expected is not None:
            stamps.check(connection, expected)
        said = [
            r["uuid"] for r in [*records.get("statement", []), *(remove or {}).get("statement", [])]
        ]
        named = set(codec.ids_for_uuids(connection, codec.table("statement"), said).values())
        pairs = _pairs_of(connection, named)
        ids: dict[str, set[int]] = defaultdict(set)
        deleted: list[str] = []
        for kind, doomed in (remove or {}).items():
            uuids = [r["uuid"] for r in doomed]
            found = codec.ids_for_uuids(connection, codec.table(kind), uuids)
            if found:
                table = codec.table(kind)
                connection.execute(delete(table).where(table.c.id.in_(list(found.values()))))
                _bury(connection, kind, list(found), project.analyst)
                fulltext.reindex(connection, kind, found.values())
                ids[kind].update(found.values())
                deleted += list(found)
        copies = {k: [dict(r) for r in v] for k, v in records.items()}
        result = codec.load(connection, copies, analyst=project.analyst)
        tombstones = Base.metadata.tables["tombstone"]
        restored = [r["uuid"] for v in copies.values() for r in v]
        for start in range(0, len(restored), 500):
            connection.execute(
                delete(tombstones).where(tombstones.c.uuid.in_(restored[start : start + 500]))
            )
        for kind in KINDS:
            ids[kind].update(result.ids(kind))
        named |= set(result.ids("statement"))
        moved = pairs ^ _pairs_of(connection, named)
        partners = {i for pair in moved for i in pair} - named
        _touch(connection, {"statement": partners}, project.analyst)
        ids["statement"] |= partners
        restored_ids = {k: set(result.ids(k)) for k in KINDS}
        restored_ids["statement"] |= partners
        after = {
            k: codec.dump(connection, k, sorted(v), with_ids=True)
            for k, v in restored_ids.items()
            if v
        }
    return Change(
        description,
        ids={k: tuple(sorted(v)) for k, v in ids.items() if v},
        after=after,
        deleted_uuids=tuple(deleted),
    )
