"""Merging a colleague's copy of a project into the open one (``briefing merge``).

How each record is decided is in :mod:`briefing.services.merge_plan`; this module
opens the other file safely (verified, read-only), applies a plan in one
transaction (all or nothing, one undo step) and reports what it did. A window
first calls :func:`plan_merge`, lets the analyst settle each conflict (ours,
theirs, or both as separate records), then calls :func:`apply_merge`.
"""

from __future__ import annotations

import copy
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import Connection, delete, text

from briefing.errors import BriefingError
from briefing.model import codec, fulltext
from briefing.model.base import Base, new_uuid, to_utc_text, utc_now
from briefing.model.codec import KINDS, Records
from briefing.model.rules import CLAIM_REFERENCES, MAP_ITEM
from briefing.model.vocab import counted
from briefing.services.merge_plan import Conflict, MergePlan, Resolution, make_plan
from briefing.services.merge_undo import MergeUndo, capture_undo, undo_merge
from briefing.services.records import KIND_NAMES, Change, dependents
from briefing.services.sync_point import SyncPoint, high_water, write_sync_point
from briefing.store.interface import ProjectStore
from briefing.store.project import open_project
from briefing.store.verify import verify_file

__all__ = [
    "Conflict",
    "ConflictOutcome",
    "MergeError",
    "MergePlan",
    "MergeReport",
    "MergeUndo",
    "Resolution",
    "apply_merge",
    "merge_project",
    "plan_merge",
    "undo_merge",
]


class MergeError(BriefingError):
    """A merge could not be done; nothing was changed."""


@dataclass(frozen=True)
class ConflictOutcome:
    conflict: Conflict
    resolution: Resolution

    WAYS: ClassVar[dict[Resolution, tuple[str, str]]] = {
        Resolution.OURS: ("keep ours", "kept ours"),
        Resolution.THEIRS: ("take theirs", "took theirs"),
        Resolution.BOTH: ("keep both", "kept both"),
    }
    """How a conflict was settled, in words: (to be done, done)."""

    def describe(self) -> str:
        c = self.conflict
        what = self.WAYS[self.resolution][1]
        fields = ", ".join(f.replace("_", " ") for f in c.fields)
        return f"{KIND_NAMES[c.kind]} ‘{c.title}’ changed on both sides ({fields}): {what}"


@dataclass(frozen=True)
class MergeReport:
    """What a merge did (or, for a dry run, would do)."""

    our_name: str
    their_name: str
    added: int
    updated: int
    deleted: int
    conflicts: tuple[ConflictOutcome, ...]
    editions_added: int
    dry_run: bool
    change: Change | None = None
    undo: MergeUndo | None = None
    """How to put the file back as it was (see :mod:`merge_undo`); None when nothing changed."""
    left_out: tuple[str, ...] = ()
    """What of their file was not taken, one sentence each (see :mod:`merge_check`)."""
    deleting: tuple[str, ...] = ()
    """Our records their deletions removed (or, in a dry run, would remove), by name."""
    by_kind: tuple[tuple[str, Mapping[str, int]], ...] = ()
    """What was done (added, updated, …) to how many records of each kind."""

    @property
    def conflicting(self) -> int:
        return len(self.conflicts)

    @property
    def summary(self) -> str:
        verb = "Would merge" if self.dry_run else "Merged"
        counts = (
            f"{self.added} added, {self.updated} updated, "
            f"{self.conflicting} conflicting, {self.deleted} deleted"
        )
        if self.editions_added:
            counts += f", {counted('edition', self.editions_added)} added"
        if self.left_out:
            counts += f", {len(self.left_out)} left out"
        return f"{verb} {self.their_name} into {self.our_name}: {counts}."

    def lines(self) -> list[str]:
        """The counts by kind, each deletion and each part left out, one line each."""
        verb = "would delete" if self.dry_run else "deleted"
        counts = [f"{what}: {_per_kind(n)}" for what, n in self.by_kind if any(n.values())]
        return (
            counts
            + [f"{verb}: {name}" for name in self.deleting]
            + [f"left out: {sentence}" for sentence in self.left_out]
        )


def _per_kind(counts: Mapping[str, int]) -> str:
    """``3 timeline entries, 1 source``: the kinds in the usual order, none left at zero."""
    return ", ".join(counted(kind, counts[kind]) for kind in KINDS if counts.get(kind))


def _kinds_done(
    plan: MergePlan, outcomes: tuple[ConflictOutcome, ...], dry_run: bool
) -> tuple[tuple[str, Mapping[str, int]], ...]:
    """How many records of each kind the merge adds and updates, and settles each way.

    Deletions are not counted here: each is named on a line of its own.
    """
    done: list[tuple[str, Mapping[str, int]]] = [
        ("would add" if dry_run else "added", {k: len(v) for k, v in plan.add.items()}),
        ("would update" if dry_run else "updated", {k: len(v) for k, v in plan.replace.items()}),
    ]
    for resolution in Resolution:
        settled = [o.conflict.kind for o in outcomes if o.resolution is resolution]
        what = ConflictOutcome.WAYS[resolution]
        done.append((f"would {what[0]}" if dry_run else what[1], Counter(settled)))
    return tuple(done)


# ---------------------------------------------------------------------------- planning


def plan_merge(project: ProjectStore, other_path: Path) -> MergePlan:
    """Verify and open the other file read-only, and decide every record; writes nothing."""
    other_path = Path(other_path)
    if other_path.exists() and other_path.resolve() == project.path.resolve():
        raise MergeError(f"{project.name} cannot be merged with itself.")
    other = open_project(other_path, project.analyst, read_only=True)
    try:
        verify_file(other_path, full=True)  # a merge reads it all: indexes must match tables
        with project.engine.connect() as ours, other.engine.connect() as theirs:
            return make_plan(ours, theirs, other_path.name, project.name)
    finally:
        other.close()


def merge_project(
    project: ProjectStore,
    other_path: Path,
    prefer: Resolution = Resolution.OURS,
    dry_run: bool = False,
) -> MergeReport:
    """Merge ``other_path`` into the project, settling every conflict as ``prefer``."""
    plan = plan_merge(project, other_path)
    if dry_run:
        return _report(plan, _outcomes(plan, None, prefer), dry_run=True)
    return apply_merge(project, plan, prefer=prefer)


def _outcomes(
    plan: MergePlan, resolutions: Mapping[str, Resolution] | None, prefer: Resolution
) -> tuple[ConflictOutcome, ...]:
    chosen = resolutions or {}
    return tuple(ConflictOutcome(c, Resolution(chosen.get(c.uuid, prefer))) for c in plan.conflicts)


def _report(
    plan: MergePlan,
    outcomes: tuple[ConflictOutcome, ...],
    dry_run: bool,
    change: Change | None = None,
) -> MergeReport:
    return MergeReport(
        plan.our_name,
        plan.their_name,
        plan.added,
        plan.updated,
        plan.deleted,
        outcomes,
        len(plan.editions),
        dry_run,
        change,
        left_out=tuple(plan.left_out_sentences),
        deleting=tuple(plan.deleting),
        by_kind=_kinds_done(plan, outcomes, dry_run),
    )


# ---------------------------------------------------------------------------- applying


def apply_merge(
    project: ProjectStore,
    plan: MergePlan,
    resolutions: Mapping[str, Resolution] | None = None,
    prefer: Resolution = Resolution.OURS,
) -> MergeReport:
    """Carry out a plan in one transaction; ``resolutions`` maps conflict UUIDs to choices."""
    outcomes = _outcomes(plan, resolutions, prefer)
    writes, before, created = _writes(plan, outcomes, project.analyst)
    point = _next_point(plan)
    if not any(writes.values()) and plan.changes_nothing and point is None:
        return _report(plan, outcomes, dry_run=False)
    final = {kind: plan.our_uuids[kind] | {r["uuid"] for r in writes[kind]} for kind in KINDS}
    prune_references(writes, final)
    with project.transaction() as session:
        connection = session.connection()
        if high_water(connection) != plan.our_high_water:
            raise MergeError(
                f"{project.name} changed while the merge was being prepared; merge again."
            )
        undo = capture_undo(connection, plan, writes, before, point.peer if point else None)
        touched = _delete(connection, plan.delete)
        if plan.tombstones:
            connection.execute(
                text(
                    "INSERT OR REPLACE INTO tombstone(uuid, kind, deleted_at, deleted_by) "
                    "VALUES (:uuid, :kind, :deleted_at, :deleted_by)"
                ),
                plan.tombstones,
            )
        result = codec.load(connection, writes)
        _forget_tombstones(connection, [r["uuid"] for rs in writes.values() for r in rs])
        _add_editions(connection, plan.editions)
        for kind, ids in touched.items():
            fulltext.reindex(connection, kind, ids)
        if point is not None:
            write_sync_point(connection, point)
    changed = {kind: set(result.ids(kind)) | touched.get(kind, set()) for kind in KINDS}
    change = Change(
        f"Merge {plan.their_name}",
        ids={k: tuple(sorted(v)) for k, v in changed.items() if v},
        before=dict(before),
        after=dict(writes),
        created_uuids=tuple(created),
        deleted_uuids=tuple(u for uuids in plan.delete.values() for u in uuids),
    )
    return replace(_report(plan, outcomes, dry_run=False, change=change), undo=undo)


def _writes(
    plan: MergePlan, outcomes: tuple[ConflictOutcome, ...], analyst: str
) -> tuple[Records, Records, list[str]]:
    """The records to load (theirs, and copies kept beside ours), and ours as they were."""
    writes: Records = defaultdict(list)
    before: Records = defaultdict(list)
    created: list[str] = []
    for kind in KINDS:
        writes[kind] += [_copy(kind, r) for r in plan.replace.get(kind, [])]
        writes[kind] += [_copy(kind, r) for r in plan.add.get(kind, [])]
        before[kind] += plan.before.get(kind, [])
        created += [r["uuid"] for r in plan.add.get(kind, [])]
    for outcome in outcomes:
        conflict = outcome.conflict
        if outcome.resolution is Resolution.THEIRS:
            writes[conflict.kind].append(copy.deepcopy(conflict.theirs))
            before[conflict.kind].append(conflict.ours)
        elif outcome.resolution is Resolution.BOTH:
            duplicate = as_new_record(conflict.kind, conflict.theirs, analyst)
            writes[conflict.kind].append(duplicate)
            created.append(duplicate["uuid"])
    return writes, before, created


def _copy(kind: str, record: dict[str, Any]) -> dict[str, Any]:
    """A copy that pruning may change without changing the plan (briefings and entries nest)."""
    return copy.deepcopy(record) if kind in ("briefing", "entry") else dict(record)


def as_new_record(kind: str, record: dict[str, Any], analyst: str) -> dict[str, Any]:
    """A copy of a record under new UUIDs (its sections and items too), stamped as made now."""
    duplicate = copy.deepcopy(record)
    now = codec.time_to_text(utc_now())
    duplicate.update(uuid=new_uuid(), created_at=now, updated_at=now, updated_by=analyst)
    if kind == "entry":
        duplicate["external_id"] = None
    for judgment in duplicate.get("judgments") or []:
        judgment["uuid"] = new_uuid()
    for claim in duplicate.get("claims") or []:
        claim["uuid"] = new_uuid()
    for section in duplicate.get("sections") or []:
        section["uuid"] = new_uuid()
        for item in section.get("items") or []:
            item["uuid"] = new_uuid()
    return duplicate


def prune_references(records: Records, final: dict[str, set[str]]) -> None:
    """Drop references to records that will not exist after the merge (deleted on our side).

    An optional reference becomes empty, a link is left out, and a relationship
    whose party is gone is not written at all, as deleting the party would do.
    """
    for kind in KINDS:
        kept = []
        for record in records.get(kind, []):
            if _prune_record(kind, record, final):
                kept.append(record)
            else:
                final[kind].discard(record["uuid"])
        records[kind] = kept


def _pruned_claim(claim: dict[str, Any], final: dict[str, set[str]]) -> dict[str, Any] | None:
    """A claim about a party that will not exist goes; a missing claimant or source is cut."""
    if claim.get("party") is not None and claim["party"] not in final["party"]:
        return None
    for key, ref_kind in CLAIM_REFERENCES.items():
        if claim.get(key) is not None and claim[key] not in final[ref_kind]:
            claim[key] = None
    return claim


def _prune_record(kind: str, record: dict[str, Any], final: dict[str, set[str]]) -> bool:
    for key, ref_kind, nullable in _references(kind):
        value = record.get(key)
        if value is None or value in final[ref_kind]:
            continue
        if not nullable:
            return False
        record[key] = None
    if "parties" in record:
        record["parties"] = [p for p in record["parties"] if p["party"] in final["party"]]
    if "sources" in record:
        record["sources"] = [s for s in record["sources"] if s in final["source"]]
    if "contradicts" in record:
        record["contradicts"] = [s for s in record["contradicts"] if s in final["statement"]]
    if "claims" in record:
        record["claims"] = [_pruned_claim(c, final) for c in record["claims"]]
        record["claims"] = [c for c in record["claims"] if c is not None]
    for section in record.get("sections") or []:
        section["items"] = [
            i
            for i in section.get("items") or []
            if i["kind"] == MAP_ITEM or i["ref"] in final[i["kind"]]
        ]
    return True


@cache
def _references(kind: str) -> tuple[tuple[str, str, bool], ...]:
    """(field, kind referred to, may be empty) for each reference field of a kind."""
    return tuple(
        (f.key, f.ref_kind, bool(f.column.nullable))
        for f in codec.fields(kind)
        if f.ref_kind is not None
    )


def _delete(connection: Connection, doomed: dict[str, list[str]]) -> dict[str, set[int]]:
    """Delete our records that their newer deletions name; returns ids to re-index."""
    touched: dict[str, set[int]] = defaultdict(set)
    for kind in KINDS:
        found = codec.ids_for_uuids(connection, codec.table(kind), doomed.get(kind, []))
        ids = sorted(found.values())
        if not ids:
            continue
        for other_kind, other_ids in dependents(connection, kind, ids).items():
            touched[other_kind] |= other_ids
        table = codec.table(kind)
        for start in range(0, len(ids), 500):
            connection.execute(delete(table).where(table.c.id.in_(ids[start : start + 500])))
        touched[kind] |= set(ids)
    return touched


def _forget_tombstones(connection: Connection, uuids: list[str]) -> None:
    table = Base.metadata.tables["tombstone"]
    for start in range(0, len(uuids), 500):
        connection.execute(delete(table).where(table.c.uuid.in_(uuids[start : start + 500])))


def _add_editions(connection: Connection, editions: list[dict[str, Any]]) -> None:
    if not editions:
        return
    briefings = codec.ids_for_uuids(
        connection, codec.table("briefing"), {e["briefing"] for e in editions}
    )
    rows = [
        {
            "uuid": e["uuid"],
            "briefing_id": briefings[e["briefing"]],
            "number": e["number"],
            "frozen_at": e["frozen_at"],
            "frozen_by": e["frozen_by"],
            "snapshot": e["snapshot"],
        }
        for e in editions
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


def _next_point(plan: MergePlan) -> SyncPoint | None:
    """What we know of them after this merge, or None when it says nothing new.

    We have now seen every version of theirs; what they know of ours is what
    the merge assumed (the divergence point, the first time).
    """
    previous = plan.previous_point
    if not plan.their_uuid or plan.their_high_water is None:
        return None
    seen = max(plan.their_high_water, previous.seen if previous and previous.seen else "")
    shown_parts = [plan.base.ours_known, previous.shown if previous else None]
    shown = max((p for p in shown_parts if p), default=None)
    if previous is not None and (previous.seen, previous.shown) == (seen, shown):
        return None
    return SyncPoint(
        plan.their_uuid,
        seen=seen,
        shown=shown,
        at=to_utc_text(utc_now()),
        file_name=plan.their_name,
    )
