"""Reading: records of the file as plain dicts, references written as UUIDs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table, select

from briefing.errors import DamagedFile
from briefing.model.base import Base
from briefing.model.codec.claims import dump_claims
from briefing.model.codec.fields import (
    ITEM_COLUMNS,
    KINDS,
    Records,
    document_time,
    fields,
    plain,
    table,
)
from briefing.model.codec.sql import fetch, rows_where_in, uuids_for_ids
from briefing.model.rules import MAP_ITEM
from briefing.model.vocab import KIND_NAMES


def _select_rows(
    connection: Connection, kind_table: Table, names: Sequence[str], ids: Sequence[int] | None
) -> list[tuple[Any, ...]]:
    """Rows as stored (times as text, vocabularies as their values), first column the id."""
    sql = f"SELECT id, {', '.join(names)} FROM {kind_table.name}"
    if ids is None:
        return fetch(connection, f"{sql} ORDER BY id")
    rows: list[tuple[Any, ...]] = rows_where_in(connection, sql, "id", ids)
    rows.sort(key=itemgetter(0))
    return rows


def _grouped(rows: Iterable[Any]) -> dict[int, list[Any]]:
    groups: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        groups[row[0]].append(row)
    return groups


def _link_rows(
    connection: Connection,
    sql_table: str,
    owner: str,
    ids: Sequence[int] | None,
    columns: Sequence[str],
) -> dict[int, list[Any]]:
    sql = f"SELECT {', '.join((owner, *columns))} FROM {sql_table}"
    if ids is None:
        return _grouped(fetch(connection, sql))
    return _grouped(rows_where_in(connection, sql, owner, ids))


def dump(
    connection: Connection,
    kind: str,
    ids: Sequence[int] | None = None,
    with_ids: bool = False,
    links: bool = True,
) -> list[dict[str, Any]]:
    """Records of one kind (all of them when ``ids`` is None) as dicts, in id order.

    ``with_ids`` adds the file-local ``_id``, so that an undo puts a deleted record
    back under its old id; interchange documents never carry it. Without ``links``
    only the record's own row is read (no parties, sources, claims, contradictions
    or briefing body), for a caller that knows them already.
    """
    kind_fields = fields(kind)
    rows = _select_rows(connection, table(kind), [f.column.name for f in kind_fields], ids)
    if not rows:
        return []
    row_ids = [row[0] for row in rows]
    uuid_maps = {
        f.key: uuids_for_ids(connection, table(f.ref_kind), (row[n] for row in rows))
        for n, f in enumerate(kind_fields, start=1)
        if f.ref_kind is not None
    }
    convert = [
        (
            n,
            f.key,
            _finder(uuid_maps[f.key], kind, f.key, f.ref_kind)
            if f.ref_kind
            else document_time
            if f.is_time
            else None,
        )
        for n, f in enumerate(kind_fields, start=1)
    ]
    records = []
    for row in rows:
        record: dict[str, Any] = {"_id": row[0]} if with_ids else {}
        for n, key, change in convert:
            value = row[n]
            record[key] = value if change is None or value is None else change(value)
        records.append(record)
    if links:
        _dump_links(connection, kind, row_ids, None if ids is None else row_ids, records)
    return records


def _finder(uuids: dict[int, str], kind: str, key: str, ref_kind: str) -> Callable[[Any], str]:
    """The UUID of a linked record, by its id; a link to a row that cannot be read is damage."""

    def find(row_id: Any) -> str:
        found = uuids.get(row_id)
        if found is None:
            raise _broken(kind, key, ref_kind)
        return found

    return find


def _broken(kind: str, key: str, ref_kind: str) -> DamagedFile:
    owner, target = KIND_NAMES.get(kind, kind), KIND_NAMES.get(ref_kind, ref_kind)
    field = key.replace("_", " ")
    return DamagedFile(f"a {owner} refers to a {target} that cannot be read ({field})")


def _dump_links(
    connection: Connection,
    kind: str,
    all_ids: list[int],
    row_ids: Sequence[int] | None,
    records: list[dict[str, Any]],
) -> None:
    if kind == "entry":
        parties = _link_rows(connection, "entry_party", "entry_id", row_ids, ["party_id", "role"])
        sources = _link_rows(connection, "entry_source", "entry_id", row_ids, ["source_id"])
        party_uuids = uuids_for_ids(
            connection, table("party"), (r[1] for g in parties.values() for r in g)
        )
        source_uuids = uuids_for_ids(
            connection, table("source"), (r[1] for g in sources.values() for r in g)
        )
        find_party = _finder(party_uuids, "entry", "parties", "party")
        find_source = _finder(source_uuids, "entry", "sources", "source")
        for row_id, record in zip(all_ids, records, strict=True):
            record["parties"] = sorted(
                ({"party": find_party(r[1]), "role": plain(r[2])} for r in parties.get(row_id, [])),
                key=lambda p: (p["role"], p["party"]),
            )
            record["sources"] = sorted(find_source(r[1]) for r in sources.get(row_id, []))
        claims = dump_claims(connection, all_ids, row_ids)
        for row_id, record in zip(all_ids, records, strict=True):
            record["claims"] = claims.get(row_id, [])
    elif kind == "relationship":
        sources = _link_rows(
            connection, "relationship_source", "relationship_id", row_ids, ["source_id"]
        )
        source_uuids = uuids_for_ids(
            connection, table("source"), (r[1] for g in sources.values() for r in g)
        )
        find_source = _finder(source_uuids, "relationship", "sources", "source")
        for row_id, record in zip(all_ids, records, strict=True):
            record["sources"] = sorted(find_source(r[1]) for r in sources.get(row_id, []))
    elif kind == "statement":
        forward = _link_rows(
            connection, "statement_contradiction", "statement_id", row_ids, ["other_id"]
        )
        backward = _link_rows(
            connection, "statement_contradiction", "other_id", row_ids, ["statement_id"]
        )
        others = {r[1] for g in (*forward.values(), *backward.values()) for r in g}
        find_other = _finder(
            uuids_for_ids(connection, table("statement"), others),
            "statement",
            "contradicts",
            "statement",
        )
        for row_id, record in zip(all_ids, records, strict=True):
            linked = [r[1] for r in forward.get(row_id, [])] + [
                r[1] for r in backward.get(row_id, [])
            ]
            record["contradicts"] = sorted(find_other(i) for i in linked)
    elif kind == "briefing":
        for row_id, record in zip(all_ids, records, strict=True):
            record.update(_dump_briefing_body(connection, row_id))


def _dump_briefing_body(connection: Connection, briefing_id: int) -> dict[str, Any]:
    tables = Base.metadata.tables
    judgment, section, item = tables["key_judgment"], tables["section"], tables["section_item"]
    judgments = [
        {
            "uuid": r.uuid,
            "text": r.text,
            "likelihood": plain(r.likelihood),
            "confidence": plain(r.confidence),
        }
        for r in connection.execute(
            select(judgment)
            .where(judgment.c.briefing_id == briefing_id)
            .order_by(judgment.c.position)
        )
    ]
    sections = []
    for s in connection.execute(
        select(section).where(section.c.briefing_id == briefing_id).order_by(section.c.position)
    ):
        items = []
        for r in connection.execute(
            select(item).where(item.c.section_id == s.id).order_by(item.c.position)
        ):
            if r.is_map:
                items.append({"uuid": r.uuid, "kind": MAP_ITEM})
                continue
            kind, column = next(
                ((k, c) for k, c in ITEM_COLUMNS.items() if r._mapping[c] is not None),
                ("", ""),
            )
            if not kind:
                raise DamagedFile("an item of a briefing section shows no record")
            ref = uuids_for_ids(connection, table(kind), [r._mapping[column]])
            find = _finder(ref, "briefing", "section items", kind)
            items.append({"uuid": r.uuid, "kind": kind, "ref": find(r._mapping[column])})
        sections.append({"uuid": s.uuid, "heading": s.heading, "body": s.body, "items": items})
    return {"judgments": judgments, "sections": sections}


def dump_all(connection: Connection) -> Records:
    return {kind: dump(connection, kind) for kind in KINDS}
