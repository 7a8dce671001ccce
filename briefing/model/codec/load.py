"""Writing: a bulk upsert by UUID of records in document form, with their links."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.exc import IntegrityError

from briefing.errors import RecordError
from briefing.model import fulltext, rules
from briefing.model.base import new_uuid, to_utc_text, utc_now
from briefing.model.codec.fields import DOCUMENT_KEYS, KINDS, Records, table
from briefing.model.codec.links import load_links
from briefing.model.codec.rows import Known, location, missing_reference, referenced, row_for
from briefing.model.codec.sql import ids_for_uuids, uuids_for_ids


@dataclass
class LoadResult:
    """Ids written by :func:`load`, per kind."""

    inserted: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    updated: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))

    def ids(self, kind: str) -> list[int]:
        return [*self.inserted.get(kind, []), *self.updated.get(kind, [])]

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.inserted.values()) + sum(
            len(v) for v in self.updated.values()
        )


def load(
    connection: Connection, records: Records, analyst: str | None = None, checked: bool = False
) -> LoadResult:
    """Insert or update (by UUID) the records given, with their links, in the caller's transaction.

    With ``analyst`` set, every record is stamped as changed now by that analyst
    (an edit or an undo); without it, the documents' own timestamps are kept (an
    import). Every record is first held to :mod:`briefing.model.rules`, so no door
    writes what a form would refuse. Raises :class:`RecordError` naming the record
    and field at fault (a broken rule, a missing reference, a party inside
    itself); the caller's transaction then rolls back, so a load is all or nothing.
    Rows go to SQLite with plain ``executemany``, values already in stored form.
    ``checked`` says the caller has already held every record, as given, to
    :func:`briefing.model.rules.check_record` (an import does so while it reads).
    """
    try:
        return _load(connection, records, analyst, checked)
    except IntegrityError as error:
        raise BrokenRule(_broken_rule(str(error.orig))) from error


class BrokenRule(RecordError):
    """The records break a rule the database enforces; SQLite does not say which record."""


_RULES = {
    "credibility_range": "a timeline entry's credibility must be between 1 and 6",
    "end_after_start": "a timeline entry cannot end before it starts",
    "figures_not_negative": "casualty figures cannot be negative",
    "figures_in_order": "a casualty claim's figures must go low ≤ best ≤ high",
    "casualty_claim.uuid": "two casualty claims have the same identifier",
    "timeline_entry.external_id": "two timeline entries have the same external identifier",
    "FOREIGN KEY": "a record refers to one that does not exist",
}


def broken_rule(reason: str) -> BrokenRule:
    """The refusal of a change that fails the database constraint ``reason`` names."""
    return BrokenRule(_broken_rule(reason))


def _broken_rule(reason: str) -> str:
    """A database constraint failure in words (SQLite names only the rule, not the record)."""
    rule = next((words for key, words in _RULES.items() if key in reason), None)
    if rule is None:
        return f"The change breaks a rule of the project file ({reason})."
    return f"The change breaks a rule of the project file: {rule} ({reason})."


def _load(
    connection: Connection, records: Records, analyst: str | None, checked: bool = False
) -> LoadResult:
    stamp = (to_utc_text(utc_now()), analyst) if analyst is not None else None
    result = LoadResult()
    known: Known = defaultdict(dict)
    for kind in KINDS:
        batch = records.get(kind) or []
        for index, record in enumerate(batch):
            if not isinstance(record, dict):
                raise RecordError(f"{location(kind, index, {})} is not an object.")
            if "uuid" not in record:
                record["uuid"] = new_uuid()
            if checked:
                continue
            problems = rules.check_record(kind, record)
            if problems:
                raise RecordError(_located(problems[0], kind, index, len(batch)))
        wanted = referenced(kind, batch)
        for ref_kind, uuids in wanted.items():
            missing = uuids - known[ref_kind].keys()
            known[ref_kind].update(ids_for_uuids(connection, table(ref_kind), missing))
        _load_kind(connection, kind, batch, known, stamp, result)
    load_links(connection, records, known, result.updated)
    _refuse_cycles(connection, records.get("party") or [], known)
    for kind in KINDS:
        if result.ids(kind):
            fulltext.reindex(connection, kind, result.ids(kind))
    if result.updated.get("party"):
        fulltext.reindex_entries_of_parties(connection, result.updated["party"])
    return result


def _located(problem: rules.Problem, kind: str, index: int, count: int) -> str:
    """The problem's sentence; in a batch of several, with the record's place in it."""
    if count > 1:
        where = f"{problem.record} ({DOCUMENT_KEYS[kind]}[{index}])"
        problem = rules.Problem(problem.kind, where, problem.field, problem.reason)
    return problem.sentence()


def _refuse_cycles(connection: Connection, parties: list[dict[str, Any]], known: Known) -> None:
    """Refuse a party that became, through its parents, part of itself."""
    ids = [known["party"][p["uuid"]] for p in parties if p.get("parent")]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        found = connection.exec_driver_sql(
            "WITH RECURSIVE up(start, id, depth) AS ("
            f" SELECT id, parent_id, 1 FROM party WHERE id IN ({','.join('?' * len(chunk))})"
            " UNION ALL SELECT up.start, p.parent_id, up.depth + 1 FROM up JOIN party p"
            " ON p.id = up.id WHERE up.id != up.start AND up.depth < 10000"
            ") SELECT start FROM up WHERE id = start LIMIT 1",
            tuple(chunk),
        ).first()
        if found is not None:
            party = next(p for p in parties if known["party"][p["uuid"]] == found[0])
            index = next(i for i, p in enumerate(parties) if p is party)
            reason = (
                "makes the party part of itself"
                if party.get("parent") == party["uuid"]
                else rules.party_cycle_reason()
            )
            problem = rules.Problem("party", rules.record_name("party", party), "parent", reason)
            raise RecordError(_located(problem, "party", index, len(parties)))


def _insert(
    connection: Connection, table_name: str, rows: list[dict[str, Any]], verb: str = "INSERT"
) -> None:
    names = list(rows[0])
    values = map(itemgetter(*names), rows) if len(names) > 1 else ((r[names[0]],) for r in rows)
    connection.exec_driver_sql(
        f"{verb} INTO {table_name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
        list(values),  # type: ignore[arg-type]
    )


def _load_kind(
    connection: Connection,
    kind: str,
    batch: list[dict[str, Any]],
    known: Known,
    stamp: tuple[str, str] | None,
    result: LoadResult,
) -> None:
    if not batch:
        return
    kind_table = table(kind)
    existing = ids_for_uuids(connection, kind_table, (r["uuid"] for r in batch))
    rows = [row_for(kind, i, r, known, stamp) for i, r in enumerate(batch)]
    parents: list[tuple[int, str, str]] = []
    if kind == "party":
        for index, (record, row) in enumerate(zip(batch, rows, strict=True)):
            if record.get("parent"):
                parents.append((index, record["uuid"], record["parent"]))
            row["parent_id"] = None
    fresh = [row for row in rows if row["uuid"] not in existing]
    stale = [row for row in rows if row["uuid"] in existing]
    if fresh:
        taken = _taken_ids(connection, kind_table, [row["id"] for row in fresh if "id" in row])
        for row in fresh:
            if row.get("id") in taken:
                del row["id"]
        keeping = [r for r in fresh if "id" in r]
        if keeping and connection.dialect.name != "sqlite":
            _insert_where_free(connection, kind_table, keeping)
        elif keeping:
            _insert(connection, kind_table.name, keeping)
        picked = [r for r in fresh if "id" not in r]
        if picked:
            _insert(connection, kind_table.name, picked)
    if stale:
        for row in stale:
            row.pop("id", None)
        names = [n for n in stale[0] if n != "uuid"]
        connection.exec_driver_sql(
            f"UPDATE {kind_table.name} SET {', '.join(f'{n} = :{n}' for n in names)} "
            "WHERE uuid = :uuid",
            stale,  # type: ignore[arg-type]
        )
    new_ids = ids_for_uuids(connection, kind_table, (row["uuid"] for row in fresh))
    known[kind].update(existing)
    known[kind].update(new_ids)
    result.inserted[kind] += list(new_ids.values())
    result.updated[kind] += [existing[row["uuid"]] for row in stale]
    if parents:
        _link_parents(connection, batch, parents, known)


def _link_parents(
    connection: Connection,
    batch: list[dict[str, Any]],
    parents: list[tuple[int, str, str]],
    known: Known,
) -> None:
    """Parties refer to parties, possibly later in the batch: link them once all exist."""
    wanted = {p for _, _, p in parents} - known["party"].keys()
    known["party"].update(ids_for_uuids(connection, table("party"), wanted))
    updates = []
    for index, child, parent in parents:
        if parent not in known["party"]:
            where = location("party", index, batch[index], "parent")
            raise missing_reference(where, "party", parent)
        updates.append((known["party"][parent], known["party"][child]))
    connection.exec_driver_sql("UPDATE party SET parent_id = ? WHERE id = ?", updates)


def _insert_where_free(
    connection: Connection, kind_table: Table, rows: list[dict[str, Any]]
) -> None:
    """On a server, rows keep their ids where free; the others get the id sequence's next.

    Row-level security may hide the row holding an id from this analyst, so a
    visible-rows check cannot tell a free id: the server decides (``ON CONFLICT``
    on the id, which sees every row), and what it left out is inserted again
    without an id. The analyst learns only that the id was taken.
    """
    names = list(rows[0])
    connection.exec_driver_sql(
        f"INSERT INTO {kind_table.name} ({', '.join(names)}) "
        f"VALUES ({', '.join('?' * len(names))}) ON CONFLICT (id) DO NOTHING",
        [tuple(row[n] for n in names) for row in rows],
    )
    placed = ids_for_uuids(connection, kind_table, (row["uuid"] for row in rows))
    moved = [
        {k: v for k, v in row.items() if k != "id"} for row in rows if row["uuid"] not in placed
    ]
    if moved:
        _insert(connection, kind_table.name, moved)


def _taken_ids(connection: Connection, kind_table: Table, ids: list[int]) -> set[int]:
    return set(uuids_for_ids(connection, kind_table, ids))
