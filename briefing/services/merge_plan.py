"""Deciding a merge: which records to add, replace or delete, and which ones conflict.

The rule, record by record (records match by UUID; a timeline entry also by its
external id, so an ACLED event imported on both sides is one record):

1. The same stamp (``updated_at`` and ``updated_by``) on both sides is the same
   version: nothing to do. Otherwise the contents are compared; equal contents
   need nothing either.
2. Two different versions: each side's version is *known to the other side* when
   its stamp is at or before what the other side is known to hold of it (the
   sync points of :mod:`briefing.services.sync_point`). If they knew our version
   and theirs still differs, theirs is the later decision: take theirs. If we
   knew theirs, keep ours. If neither knew the other's, the record changed on
   both sides since they diverged: a conflict. If both knew, the side that merged
   last decided and its version stands (with no merge on record, the newer one).
3. Two files that never merged (a copy handed over and edited on both sides)
   hold no sync point naming each other. Then the newest stamp they hold as the
   same version of some record (or deletion) is taken as the point where they
   diverged: each knew every version stamped up to it. The first merge records
   it as what the other side knows of ours, so later merges rely on sync points
   alone (after a one-way merge, versions held in common no longer tell when the
   files diverged). With nothing in common, every record that differs is a
   conflict.
4. A record only one side holds: if the other side has a tombstone for it, the
   newer of the deletion and the last edit wins; otherwise it was added there.
5. A share copy's version of a record first gets back what the copy left out
   (links to stricter records, stripped notes; see :mod:`share_hidden`), so an
   edit made in the copy never removes what its editor could not see.

Their tombstones and frozen editions that we lack are copied as well.

Nothing of theirs is taken unchecked: a record that breaks the model's rules, a
stamp from the future, a deletion naming another kind of record or a frozen
edition that cannot be read is left out and listed (:mod:`merge_check`).

Stamps come from the analysts' clocks, so the rule assumes those are roughly right.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal, NamedTuple

from sqlalchemy import Connection, text

from briefing.model import codec, rules
from briefing.model.base import to_utc_text, utc_now
from briefing.model.codec import KINDS, TABLE_NAMES, Records
from briefing.model.vocab import KIND_NAMES
from briefing.services.merge_check import (
    LeftOut,
    edition_problem,
    horizon,
    record_problems,
    tombstone_problem,
)
from briefing.services.share_hidden import hidden_records, restore_hidden, share_settings
from briefing.services.sync_point import SyncPoint, high_water, project_uuid, read_sync_points

IGNORED_FIELDS = frozenset({"_id", "created_at", "updated_at", "updated_by"})
"""Fields that say when and by whom, not what: two versions equal in the rest are equal."""


class Resolution(StrEnum):
    """How a conflict is settled: keep our version, take theirs, or keep both records."""

    OURS = "ours"
    THEIRS = "theirs"
    BOTH = "both"


class Stamp(NamedTuple):
    at: str
    by: str
    id: int


class Tomb(NamedTuple):
    kind: str
    at: str
    by: str


@dataclass
class Side:
    """What a merge needs to know of one file before reading any record in full."""

    name: str
    project_uuid: str
    stamps: dict[str, dict[str, Stamp]]
    tombstones: dict[str, Tomb]
    points: dict[str, SyncPoint]
    high_water: str | None
    external_ids: dict[str, str]

    def uuids(self, kind: str) -> set[str]:
        return set(self.stamps[kind])


def read_side(connection: Connection, name: str) -> Side:
    stamps: dict[str, dict[str, Stamp]] = {}
    for kind in KINDS:
        rows = connection.execute(
            text(f"SELECT uuid, updated_at, updated_by, id FROM {TABLE_NAMES[kind]}")
        )
        stamps[kind] = {row[0]: Stamp(row[1], row[2], row[3]) for row in rows}
    tombstones = {
        row[0]: Tomb(row[1], row[2], row[3])
        for row in connection.execute(
            text("SELECT uuid, kind, deleted_at, deleted_by FROM tombstone")
        )
    }
    external: dict[str, str] = dict(
        connection.execute(
            text("SELECT external_id, uuid FROM timeline_entry WHERE external_id IS NOT NULL")
        ).all()
    )
    return Side(
        name,
        project_uuid(connection),
        stamps,
        tombstones,
        read_sync_points(connection),
        high_water(connection),
        external,
    )


@dataclass(frozen=True)
class Base:
    """How far each side is known to the other; see the module docstring."""

    theirs_known: str | None
    ours_known: str | None
    last_decider: Literal["ours", "theirs"] | None


def _latest(*values: str | None) -> str | None:
    present = [v for v in values if v]
    return max(present) if present else None


def find_base(ours: Side, theirs: Side) -> Base:
    mine = ours.points.get(theirs.project_uuid)
    peer = theirs.points.get(ours.project_uuid)
    if mine is None and peer is None:
        common = _divergence(ours, theirs)
        return Base(common, common, None)
    decider: Literal["ours", "theirs"]
    if mine is not None and peer is not None:
        decider = "ours" if mine.at >= peer.at else "theirs"
    else:
        decider = "ours" if mine is not None else "theirs"
    return Base(
        _latest(mine.seen if mine else None, peer.shown if peer else None),
        _latest(peer.seen if peer else None, mine.shown if mine else None),
        decider,
    )


def _divergence(ours: Side, theirs: Side) -> str | None:
    """The newest stamp both files hold as the same version of a record or deletion."""
    common: str | None = None
    for kind in KINDS:
        their_stamps = theirs.stamps[kind]
        for uuid, stamp in ours.stamps[kind].items():
            other = their_stamps.get(uuid)
            if (
                other is not None
                and other[:2] == stamp[:2]
                and (common is None or stamp.at > common)
            ):
                common = stamp.at
    for uuid, tomb in ours.tombstones.items():
        if theirs.tombstones.get(uuid) == tomb and (common is None or tomb.at > common):
            common = tomb.at
    return common


def decide(ours_at: str, theirs_at: str, base: Base) -> Literal["ours", "theirs", "conflict"]:
    """Which version of a record that differs stands (rule 2 and 3 of the module docstring)."""
    they_knew = base.ours_known is not None and ours_at <= base.ours_known
    we_knew = base.theirs_known is not None and theirs_at <= base.theirs_known
    if they_knew != we_knew:
        return "theirs" if they_knew else "ours"
    if not they_knew:
        return "conflict"
    if base.last_decider is not None:
        return base.last_decider
    return "theirs" if theirs_at > ours_at else "ours"


# ---------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class Conflict:
    """A record changed on both sides since they diverged."""

    kind: str
    uuid: str
    title: str
    fields: tuple[str, ...]
    ours: dict[str, Any]
    theirs: dict[str, Any]


@dataclass
class MergePlan:
    """Everything a merge will do, decided before anything is written."""

    our_name: str
    their_name: str
    their_uuid: str
    our_high_water: str | None
    their_high_water: str | None
    previous_point: SyncPoint | None
    base: Base
    add: Records = field(default_factory=lambda: defaultdict(list))
    replace: Records = field(default_factory=lambda: defaultdict(list))
    delete: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    conflicts: list[Conflict] = field(default_factory=list)
    before: Records = field(default_factory=lambda: defaultdict(list))
    tombstones: list[dict[str, Any]] = field(default_factory=list)
    revive: list[str] = field(default_factory=list)
    editions: list[dict[str, Any]] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    our_uuids: dict[str, set[str]] = field(default_factory=dict)
    left_out: list[LeftOut] = field(default_factory=list)
    """Parts of their file not taken, each with its sentence (see :mod:`merge_check`)."""
    deleting: list[str] = field(default_factory=list)
    """Our records their deletions remove, as a user names them."""

    @property
    def added(self) -> int:
        return sum(len(v) for v in self.add.values())

    @property
    def updated(self) -> int:
        return sum(len(v) for v in self.replace.values())

    @property
    def deleted(self) -> int:
        return sum(len(v) for v in self.delete.values())

    @property
    def left_out_sentences(self) -> list[str]:
        return [part.sentence for part in self.left_out]

    @property
    def changes_nothing(self) -> bool:
        return not (
            self.added or self.updated or self.deleted or self.conflicts or self.tombstones
        ) and not (self.revive or self.editions)


def title_of(record: dict[str, Any]) -> str:
    for key in ("title", "name", "quote", "heading"):
        value = record.get(key)
        if value:
            value = " ".join(str(value).split())
            return value if len(value) <= 60 else value[:59] + "…"
    return str(record.get("uuid", ""))


def content(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in IGNORED_FIELDS}


def differing_fields(ours: dict[str, Any], theirs: dict[str, Any]) -> tuple[str, ...]:
    keys = (set(ours) | set(theirs)) - IGNORED_FIELDS
    return tuple(sorted(k for k in keys if ours.get(k) != theirs.get(k)))


def _aliases(ours: Side, theirs: Side) -> dict[str, str]:
    """Their entries that are ours under another UUID, matched by external id."""
    aliases = {}
    our_entries = ours.stamps["entry"]
    their_entries = theirs.stamps["entry"]
    for external_id, their_uuid in theirs.external_ids.items():
        our_uuid = ours.external_ids.get(external_id)
        if (
            our_uuid is not None
            and our_uuid != their_uuid
            and their_uuid not in our_entries
            and our_uuid not in their_entries
        ):
            aliases[their_uuid] = our_uuid
    return aliases


def _rename(records: Records, aliases: dict[str, str]) -> None:
    """Give their records the UUIDs our entries have for the same external event."""
    if not aliases:
        return
    for record in records.get("entry", []):
        record["uuid"] = aliases.get(record["uuid"], record["uuid"])
    for record in records.get("statement", []):
        if record.get("entry") in aliases:
            record["entry"] = aliases[record["entry"]]
    for record in records.get("briefing", []):
        for section in record.get("sections") or []:
            for item in section.get("items") or []:
                if item["kind"] == "entry" and "ref" in item:
                    item["ref"] = aliases.get(item["ref"], item["ref"])


def _dump(connection: Connection, kind: str, ids: list[int], with_ids: bool = False) -> dict:
    if not ids:
        return {}
    return {r["uuid"]: r for r in codec.dump(connection, kind, ids, with_ids=with_ids)}


def make_plan(
    ours_connection: Connection, theirs_connection: Connection, their_name: str, our_name: str = ""
) -> MergePlan:
    """Read both files and decide every record; writes nothing."""
    ours = read_side(ours_connection, our_name)
    theirs = read_side(theirs_connection, their_name)
    limit = horizon()
    now = to_utc_text(utc_now())
    if theirs.high_water is not None and theirs.high_water > now:
        theirs.high_water = now  # what is stamped later is left out, so not yet seen
    aliases = _aliases(ours, theirs)
    for their_uuid, our_uuid in aliases.items():
        theirs.stamps["entry"][our_uuid] = theirs.stamps["entry"].pop(their_uuid)
    plan = MergePlan(
        our_name,
        their_name,
        theirs.project_uuid,
        ours.high_water,
        theirs.high_water,
        ours.points.get(theirs.project_uuid),
        find_base(ours, theirs),
    )
    base = plan.base
    label, notes_stripped = share_settings(theirs_connection)
    hidden = hidden_records(ours_connection, label) if label else None
    context = _Context(ours, theirs, base, ours_connection, theirs_connection, aliases, limit)
    context.hidden, context.keep_notes = hidden, notes_stripped
    for kind in KINDS:
        _plan_kind(plan, kind, context)
    plan.our_uuids = {kind: ours.uuids(kind) - set(plan.delete[kind]) for kind in KINDS}
    _plan_tombstones(plan, ours, theirs, limit)
    plan.editions = _plan_editions(plan, ours_connection, theirs_connection, limit)
    return plan


@dataclass
class _Context:
    ours: Side
    theirs: Side
    base: Base
    ours_connection: Connection
    theirs_connection: Connection
    aliases: dict[str, str]
    limit: str
    """The latest stamp of theirs believed (see :func:`merge_check.horizon`)."""
    hidden: dict[str, set[str]] | None = None
    keep_notes: bool = False


def _plan_kind(plan: MergePlan, kind: str, context: _Context) -> None:
    ours, theirs, base, aliases = context.ours, context.theirs, context.base, context.aliases
    our_stamps, their_stamps = ours.stamps[kind], theirs.stamps[kind]
    differing = [
        u for u, s in our_stamps.items() if u in their_stamps and their_stamps[u][:2] != s[:2]
    ]
    arriving = []
    for uuid, stamp in their_stamps.items():
        if uuid in our_stamps:
            continue
        tomb = ours.tombstones.get(uuid)
        if tomb is not None and tomb.at > stamp.at:
            continue
        arriving.append(uuid)
        if tomb is not None:
            plan.revive.append(uuid)
    leaving, refused = [], []
    for uuid, stamp in our_stamps.items():
        tomb = theirs.tombstones.get(uuid)
        if uuid in their_stamps or tomb is None:
            continue
        if tomb.kind != kind or tomb.at > context.limit:
            refused.append(uuid)
        elif tomb.at > stamp.at:
            leaving.append(uuid)
        else:
            plan.kept.append(uuid)
    wanted_theirs = [their_stamps[u].id for u in (*differing, *arriving)]
    theirs_records = _dump(context.theirs_connection, kind, wanted_theirs)
    if aliases and kind in ("entry", "statement", "briefing"):
        renamed = {kind: list(theirs_records.values())}
        _rename(renamed, aliases)
        theirs_records = {r["uuid"]: r for r in renamed[kind]}
    ours_records = _dump(
        context.ours_connection,
        kind,
        [our_stamps[u].id for u in (*differing, *leaving, *refused)],
        with_ids=True,
    )
    bad = _leave_out_invalid(plan, kind, theirs_records, context.limit)
    bad |= _leave_out_shared(plan, kind, {u: theirs_records[u] for u in arriving}, context)
    differing = [u for u in differing if u not in bad]
    arriving = [u for u in arriving if u not in bad]
    plan.revive = [u for u in plan.revive if u not in bad]
    for uuid in refused:
        tomb = theirs.tombstones[uuid]
        name = rules.record_name(kind, ours_records[uuid])
        sentence = tombstone_problem(tomb.kind, tomb.at, kind, name, context.limit)
        plan.left_out.append(LeftOut("deletion", uuid, sentence))
    plan.deleting += [rules.record_name(kind, ours_records[u]) for u in leaving]
    for uuid in differing:
        mine, other = ours_records[uuid], theirs_records[uuid]
        if context.hidden is not None:
            restore_hidden(kind, mine, other, context.hidden, context.keep_notes)
        if content(mine) == content(other):
            continue
        verdict = decide(our_stamps[uuid].at, their_stamps[uuid].at, base)
        if verdict == "theirs":
            plan.replace[kind].append(other)
            plan.before[kind].append(mine)
        elif verdict == "conflict":
            fields = differing_fields(mine, other)
            plan.conflicts.append(Conflict(kind, uuid, title_of(mine), fields, mine, other))
    plan.add[kind] += [theirs_records[u] for u in arriving]
    plan.delete[kind] += leaving
    plan.before[kind] += [ours_records[u] for u in leaving]


def _leave_out_invalid(plan: MergePlan, kind: str, records: dict[str, Any], limit: str) -> set[str]:
    """Their records that may not be copied: listed in the plan; returns their UUIDs."""
    bad = set()
    for uuid, record in records.items():
        problems = record_problems(kind, record, limit)
        if problems:
            bad.add(uuid)
            plan.left_out += [LeftOut(kind, uuid, sentence) for sentence in problems]
    return bad


def _leave_out_shared(
    plan: MergePlan, kind: str, records: dict[str, Any], context: _Context
) -> set[str]:
    """Their new records whose UUID names a record of another kind, on either side.

    Deletions and later merges name a record by its UUID alone (see
    :mod:`briefing.model.uuid_kinds`): such a record is listed and left out.
    """
    bad = set()
    for uuid, record in records.items():
        sides = (context.ours, context.theirs)
        other = next(
            (k for k in KINDS if k != kind for side in sides if uuid in side.stamps[k]), None
        )
        tomb = context.ours.tombstones.get(uuid)
        if other is None and tomb is not None and tomb.kind != kind:
            other = tomb.kind
        if other is None:
            continue
        bad.add(uuid)
        name = rules.record_name(kind, record)
        plan.left_out.append(
            LeftOut(
                kind,
                uuid,
                f"{name[:1].upper()}{name[1:]} was left out: its UUID ({rules.shown(uuid)}) "
                f"also names a {KIND_NAMES.get(other, 'record')}, and a UUID names one record.",
            )
        )
    return bad


def _plan_tombstones(plan: MergePlan, ours: Side, theirs: Side, limit: str) -> None:
    """Their deletions we do not know yet travel on, so a third copy learns of them too."""
    present = set().union(*plan.our_uuids.values())
    present |= {r["uuid"] for records in plan.add.values() for r in records}
    for uuid, tomb in theirs.tombstones.items():
        if uuid in present:
            continue
        if tomb.at > limit:
            what = KIND_NAMES.get(tomb.kind, "record")
            plan.left_out.append(
                LeftOut(
                    "deletion",
                    uuid,
                    f"The deletion of a {what} ({rules.shown(uuid)}) was left out: it is dated "
                    "more than a day in the future (a wrong clock or a forged stamp).",
                )
            )
            continue
        known = ours.tombstones.get(uuid)
        if known is None or known.at < tomb.at:
            plan.tombstones.append(
                {"uuid": uuid, "kind": tomb.kind, "deleted_at": tomb.at, "deleted_by": tomb.by}
            )


_EDITIONS = (
    "SELECT e.uuid, b.uuid, e.number, e.frozen_at, e.frozen_by, e.snapshot "
    "FROM edition e JOIN briefing b ON b.id = e.briefing_id ORDER BY b.uuid, e.number"
)


def _plan_editions(
    plan: MergePlan, ours_connection: Connection, theirs_connection: Connection, limit: str
) -> list[dict]:
    """Their frozen editions we lack, renumbered after ours where both froze the same number.

    On a team server, which gives each briefing's editions their numbers (hidden ones
    counted, no gaps), theirs follow the server's next number instead, in their order.
    An edition that cannot be read or is dated in the future is left out and listed.
    """
    ours = list(ours_connection.execute(text(_EDITIONS)))
    known = {row[0] for row in ours}
    taken: dict[str, set[int]] = defaultdict(set)
    for row in ours:
        taken[row[1]].add(row[2])
    following = _ServerNumbers(ours_connection, taken)
    editions = []
    for uuid, briefing, number, frozen_at, frozen_by, snapshot in theirs_connection.execute(
        text(_EDITIONS)
    ):
        if uuid in known:
            continue
        problem = edition_problem(
            {"number": number, "frozen_at": frozen_at, "snapshot": snapshot}, limit
        )
        if problem:
            plan.left_out.append(LeftOut("edition", uuid, problem))
            continue
        if following.allocated:
            number = following.take(briefing)
        elif number in taken[briefing]:
            number = max(taken[briefing]) + 1
        taken[briefing].add(number)
        editions.append(
            {
                "uuid": uuid,
                "briefing": briefing,
                "number": number,
                "frozen_at": frozen_at,
                "frozen_by": frozen_by,
                "snapshot": snapshot,
            }
        )
    return editions


class _ServerNumbers:
    """The numbers a team server gives a briefing's next editions (``briefing_next_edition``).

    Its editions we cannot read count too, so the numbers we see may have gaps before it;
    a briefing the server does not hold yet (the merge brings it) starts after what we see.
    """

    def __init__(self, connection: Connection, taken: dict[str, set[int]]) -> None:
        self.connection = connection
        self.taken = taken
        self.allocated = connection.dialect.name == "postgresql" and bool(
            connection.execute(
                text("SELECT to_regprocedure('briefing_next_edition(integer)') IS NOT NULL")
            ).scalar()
        )
        self.next: dict[str, int] = {}

    def take(self, briefing: str) -> int:
        if briefing not in self.next:
            given = self.connection.execute(
                text("SELECT briefing_next_edition(id) FROM briefing WHERE uuid = :u"),
                {"u": briefing},
            ).scalar()
            self.next[briefing] = given or max(self.taken[briefing], default=0) + 1
        number = self.next[briefing]
        self.next[briefing] += 1
        return number
