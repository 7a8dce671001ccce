"""Records as plain dicts that refer to each other by UUID.

This one form serves JSON interchange, undo (a snapshot before an edit is put
back with :func:`load`), merging and share copies. It works on SQLAlchemy Core
with executemany, so loading 100,000 records costs little more than raw SQL.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy import Column, Connection, Table, bindparam, delete, insert, select, update

from briefing.errors import RecordError
from briefing.model import fulltext
from briefing.model.base import Base, UtcDateTime, new_uuid, to_utc_text, utc_now

KINDS = ("party", "source", "entry", "statement", "relationship", "briefing")
"""Record kinds in an order where each refers only to kinds before it (and parties to parties)."""

TABLE_NAMES = {
    "party": "party",
    "source": "source",
    "entry": "timeline_entry",
    "statement": "statement",
    "relationship": "relationship",
    "briefing": "briefing",
}
KIND_OF_TABLE = {table: kind for kind, table in TABLE_NAMES.items()}
DOCUMENT_KEYS = {
    "party": "parties",
    "source": "sources",
    "entry": "entries",
    "statement": "statements",
    "relationship": "relationships",
    "briefing": "briefings",
}
ITEM_COLUMNS = {
    "entry": "entry_id",
    "statement": "statement_id",
    "relationship": "relationship_id",
    "party": "party_id",
    "source": "source_id",
}

_CHUNK = 500

Records = dict[str, list[dict[str, Any]]]


def table(kind: str) -> Table:
    return Base.metadata.tables[TABLE_NAMES[kind]]


@dataclass(frozen=True)
class _Field:
    column: Column[Any]
    key: str
    ref_kind: str | None

    @property
    def is_time(self) -> bool:
        return isinstance(self.column.type, UtcDateTime)


def fields(kind: str) -> list[_Field]:
    """The scalar fields of a kind: every column but ``id``; ``x_id`` columns become ``x``."""
    result = []
    for column in table(kind).columns:
        if column.name == "id":
            continue
        foreign = next(iter(column.foreign_keys), None)
        if foreign is None:
            result.append(_Field(column, column.name, None))
        else:
            result.append(
                _Field(column, column.name[:-3], KIND_OF_TABLE[foreign.column.table.name])
            )
    return result


def time_to_text(value: datetime | None) -> str | None:
    """A stored time → document time text (ISO 8601 in UTC with ``Z``)."""
    if value is None:
        return None
    text = to_utc_text(value)
    return text.replace(".000000Z", "Z")


def parse_time(value: object, where: str) -> datetime | None:
    """Document time text → aware datetime; a time without a zone is refused."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError as error:
            raise RecordError(f"{where}: '{value}' is not an ISO 8601 time.") from error
    if moment.tzinfo is None:
        raise RecordError(f"{where}: the time '{value}' has no time zone; give it in UTC.")
    return moment


# ---------------------------------------------------------------------------- reading


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def uuids_for_ids(connection: Connection, kind_table: Table, ids: Iterable[int]) -> dict[int, str]:
    wanted = sorted({i for i in ids if i is not None})
    found: dict[int, str] = {}
    for chunk in _chunks(wanted):
        rows = connection.execute(
            select(kind_table.c.id, kind_table.c.uuid).where(kind_table.c.id.in_(chunk))
        )
        found.update({row_id: row_uuid for row_id, row_uuid in rows})
    return found


def ids_for_uuids(
    connection: Connection, kind_table: Table, uuids: Iterable[str]
) -> dict[str, int]:
    wanted = sorted({u for u in uuids if u})
    found: dict[str, int] = {}
    for chunk in _chunks(wanted):
        rows = connection.execute(
            select(kind_table.c.uuid, kind_table.c.id).where(kind_table.c.uuid.in_(chunk))
        )
        found.update({row_uuid: row_id for row_uuid, row_id in rows})
    return found


def _select_rows(connection: Connection, kind_table: Table, ids: Sequence[int] | None) -> list[Any]:
    order = kind_table.c.id
    if ids is None:
        return list(connection.execute(select(kind_table).order_by(order)))
    rows: list[Any] = []
    for chunk in _chunks(sorted(set(ids))):
        rows += connection.execute(
            select(kind_table).where(kind_table.c.id.in_(chunk)).order_by(order)
        )
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
    link = Base.metadata.tables[sql_table]
    cols = [link.c[owner], *(link.c[c] for c in columns)]
    if ids is None:
        return _grouped(connection.execute(select(*cols)))
    rows: list[Any] = []
    for chunk in _chunks(sorted(set(ids))):
        rows += connection.execute(select(*cols).where(link.c[owner].in_(chunk)))
    return _grouped(rows)


def dump(
    connection: Connection, kind: str, ids: Sequence[int] | None = None, with_ids: bool = False
) -> list[dict[str, Any]]:
    """Records of one kind (all of them when ``ids`` is None) as dicts, in id order.

    ``with_ids`` adds the file-local ``_id``, so that an undo puts a deleted record
    back under its old id; interchange documents never carry it.
    """
    kind_table = table(kind)
    rows = _select_rows(connection, kind_table, ids)
    if not rows:
        return []
    row_ids = [row.id for row in rows] if ids is not None else None
    kind_fields = fields(kind)
    uuid_maps = {
        f.key: uuids_for_ids(
            connection, table(f.ref_kind), (row._mapping[f.column.name] for row in rows)
        )
        for f in kind_fields
        if f.ref_kind is not None
    }
    records = []
    for row in rows:
        mapping = row._mapping
        record: dict[str, Any] = {"_id": row.id} if with_ids else {}
        for f in kind_fields:
            value = mapping[f.column.name]
            if f.ref_kind is not None:
                value = uuid_maps[f.key].get(value) if value is not None else None
            elif f.is_time:
                value = time_to_text(value)
            else:
                value = _plain(value)
            record[f.key] = value
        records.append(record)
    _dump_links(connection, kind, rows, row_ids, records)
    return records


def _dump_links(
    connection: Connection,
    kind: str,
    rows: list[Any],
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
        for row, record in zip(rows, records, strict=True):
            record["parties"] = sorted(
                (
                    {"party": party_uuids[r[1]], "role": _plain(r[2])}
                    for r in parties.get(row.id, [])
                ),
                key=lambda p: (p["role"], p["party"]),
            )
            record["sources"] = sorted(source_uuids[r[1]] for r in sources.get(row.id, []))
    elif kind == "relationship":
        sources = _link_rows(
            connection, "relationship_source", "relationship_id", row_ids, ["source_id"]
        )
        source_uuids = uuids_for_ids(
            connection, table("source"), (r[1] for g in sources.values() for r in g)
        )
        for row, record in zip(rows, records, strict=True):
            record["sources"] = sorted(source_uuids[r[1]] for r in sources.get(row.id, []))
    elif kind == "statement":
        forward = _link_rows(
            connection, "statement_contradiction", "statement_id", row_ids, ["other_id"]
        )
        backward = _link_rows(
            connection, "statement_contradiction", "other_id", row_ids, ["statement_id"]
        )
        others = {r[1] for g in (*forward.values(), *backward.values()) for r in g}
        other_uuids = uuids_for_ids(connection, table("statement"), others)
        for row, record in zip(rows, records, strict=True):
            linked = [r[1] for r in forward.get(row.id, [])] + [
                r[1] for r in backward.get(row.id, [])
            ]
            record["contradicts"] = sorted(other_uuids[i] for i in linked)
    elif kind == "briefing":
        for row, record in zip(rows, records, strict=True):
            record.update(_dump_briefing_body(connection, row.id))


def _dump_briefing_body(connection: Connection, briefing_id: int) -> dict[str, Any]:
    tables = Base.metadata.tables
    judgment, section, item = tables["key_judgment"], tables["section"], tables["section_item"]
    judgments = [
        {
            "uuid": r.uuid,
            "text": r.text,
            "likelihood": _plain(r.likelihood),
            "confidence": _plain(r.confidence),
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
            kind, column = next(
                (k, c) for k, c in ITEM_COLUMNS.items() if r._mapping[c] is not None
            )
            ref = uuids_for_ids(connection, table(kind), [r._mapping[column]])
            items.append({"uuid": r.uuid, "kind": kind, "ref": ref[r._mapping[column]]})
        sections.append({"uuid": s.uuid, "heading": s.heading, "body": s.body, "items": items})
    return {"judgments": judgments, "sections": sections}


def dump_all(connection: Connection) -> Records:
    return {kind: dump(connection, kind) for kind in KINDS}


# ---------------------------------------------------------------------------- writing


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


def _where(kind: str, index: int, record: dict[str, Any], key: str | None = None) -> str:
    label = f"{DOCUMENT_KEYS[kind]}[{index}]"
    if isinstance(record.get("uuid"), str):
        label += f" ({record['uuid']})"
    return f"{label}, field '{key}'" if key else label


def _default(column: Column[Any]) -> Any:
    default = column.default
    if default is None:
        return None
    arg = default.arg  # type: ignore[attr-defined]
    return arg(None) if callable(arg) else arg


def _row_for(
    kind: str,
    index: int,
    record: dict[str, Any],
    refs: dict[str, dict[str, int]],
    stamp: tuple[datetime, str] | None,
) -> dict[str, Any]:
    """One document record → one row of column values, refusing bad references and times."""
    row: dict[str, Any] = {}
    for f in fields(kind):
        where = _where(kind, index, record, f.key)
        value = record.get(f.key)
        if f.key not in record or (value is None and not f.column.nullable):
            value = _default(f.column)
            if value is None and not f.column.nullable:
                raise RecordError(f"{where} is missing.")
        if f.ref_kind is not None:
            if value is not None:
                resolved = refs[f.ref_kind].get(value)
                if resolved is None and not (kind == "party" and f.key == "parent"):
                    raise RecordError(
                        f"{where} refers to a {f.ref_kind} ({value}) that is neither in the "
                        "document nor in the project."
                    )
                value = resolved
        elif f.is_time:
            value = parse_time(value, where)
        row[f.column.name] = value
    if stamp is not None:
        row["updated_at"], row["updated_by"] = stamp
        if "created_at" not in record:
            row["created_at"] = stamp[0]
    if isinstance(record.get("_id"), int):
        row["id"] = record["_id"]
    return row


def _referenced(kind: str, records: list[dict[str, Any]]) -> dict[str, set[str]]:
    wanted: dict[str, set[str]] = defaultdict(set)
    for f in fields(kind):
        if f.ref_kind is not None:
            wanted[f.ref_kind].update(r[f.key] for r in records if r.get(f.key))
    if kind in ("entry", "relationship"):
        for r in records:
            wanted["source"].update(r.get("sources") or [])
    if kind == "entry":
        for r in records:
            wanted["party"].update(p["party"] for p in r.get("parties") or [])
    return wanted


def load(connection: Connection, records: Records, analyst: str | None = None) -> LoadResult:
    """Insert or update (by UUID) the records given, with their links, in the caller's transaction.

    With ``analyst`` set, every record is stamped as changed now by that analyst
    (an edit or an undo); without it, the documents' own timestamps are kept (an
    import). Raises :class:`RecordError` naming the record and field at fault;
    the caller's transaction then rolls back, so a load is all or nothing.
    """
    stamp = (utc_now(), analyst) if analyst is not None else None
    result = LoadResult()
    known: dict[str, dict[str, int]] = defaultdict(dict)
    for kind in KINDS:
        batch = records.get(kind) or []
        for index, record in enumerate(batch):
            if not isinstance(record, dict):
                raise RecordError(f"{_where(kind, index, {})} is not an object.")
            record.setdefault("uuid", new_uuid())
        wanted = _referenced(kind, batch)
        for ref_kind, uuids in wanted.items():
            missing = uuids - known[ref_kind].keys()
            known[ref_kind].update(ids_for_uuids(connection, table(ref_kind), missing))
        _load_kind(connection, kind, batch, known, stamp, result)
    _load_links(connection, records, known)
    for kind in KINDS:
        if result.ids(kind):
            fulltext.reindex(connection, kind, result.ids(kind))
    if result.updated.get("party"):
        fulltext.reindex_entries_of_parties(connection, result.updated["party"])
    return result


def _load_kind(
    connection: Connection,
    kind: str,
    batch: list[dict[str, Any]],
    known: dict[str, dict[str, int]],
    stamp: tuple[datetime, str] | None,
    result: LoadResult,
) -> None:
    if not batch:
        return
    kind_table = table(kind)
    existing = ids_for_uuids(connection, kind_table, (r["uuid"] for r in batch))
    rows = [_row_for(kind, i, r, known, stamp) for i, r in enumerate(batch)]
    parents: list[tuple[str, str]] = []
    if kind == "party":
        for record, row in zip(batch, rows, strict=True):
            if record.get("parent"):
                parents.append((record["uuid"], record["parent"]))
            row["parent_id"] = None
    fresh = [row for row in rows if row["uuid"] not in existing]
    stale = [row for row in rows if row["uuid"] in existing]
    for row in stale:
        row.pop("id", None)
    if fresh:
        taken = _taken_ids(connection, kind_table, [row["id"] for row in fresh if "id" in row])
        for row in fresh:
            if row.get("id") in taken:
                del row["id"]
        with_id = [row for row in fresh if "id" in row]
        without_id = [row for row in fresh if "id" not in row]
        for group in (with_id, without_id):
            if group:
                connection.execute(insert(kind_table), group)
    if stale:
        values = {name: bindparam(f"v_{name}") for name in stale[0] if name != "uuid"}
        statement = (
            update(kind_table).where(kind_table.c.uuid == bindparam("v_uuid")).values(values)
        )
        connection.execute(statement, [{f"v_{k}": v for k, v in row.items()} for row in stale])
    new_ids = ids_for_uuids(connection, kind_table, (row["uuid"] for row in fresh))
    known[kind].update(existing)
    known[kind].update(new_ids)
    result.inserted[kind] += list(new_ids.values())
    result.updated[kind] += [existing[row["uuid"]] for row in stale]
    if parents:
        wanted = {p for _, p in parents} - known["party"].keys()
        known["party"].update(ids_for_uuids(connection, kind_table, wanted))
        updates = []
        for child, parent in parents:
            if parent not in known["party"]:
                raise RecordError(
                    f"parties ({child}), field 'parent' refers to a party ({parent}) that is "
                    "neither in the document nor in the project."
                )
            updates.append({"c": known["party"][child], "p": known["party"][parent]})
        connection.execute(
            update(kind_table)
            .where(kind_table.c.id == bindparam("c"))
            .values(parent_id=bindparam("p")),
            updates,
        )


def _taken_ids(connection: Connection, kind_table: Table, ids: list[int]) -> set[int]:
    return set(uuids_for_ids(connection, kind_table, ids))


def _replace_links(
    connection: Connection,
    sql_table: str,
    owner: str,
    owner_ids: list[int],
    rows: list[dict[str, Any]],
) -> None:
    link = Base.metadata.tables[sql_table]
    for chunk in _chunks(owner_ids):
        connection.execute(delete(link).where(link.c[owner].in_(chunk)))
    if rows:
        connection.execute(insert(link).prefix_with("OR IGNORE"), rows)


def _load_links(connection: Connection, records: Records, known: dict[str, dict[str, int]]) -> None:
    entries = [r for r in records.get("entry") or [] if "parties" in r or "sources" in r]
    entry_ids = [known["entry"][r["uuid"]] for r in entries]
    _replace_links(
        connection,
        "entry_party",
        "entry_id",
        entry_ids,
        [
            {
                "entry_id": known["entry"][r["uuid"]],
                "party_id": _ref(known, "party", p["party"], r),
                "role": p["role"],
            }
            for r in entries
            for p in r.get("parties") or []
        ],
    )
    _replace_links(
        connection,
        "entry_source",
        "entry_id",
        entry_ids,
        [
            {"entry_id": known["entry"][r["uuid"]], "source_id": _ref(known, "source", s, r)}
            for r in entries
            for s in r.get("sources") or []
        ],
    )
    relationships = [r for r in records.get("relationship") or [] if "sources" in r]
    _replace_links(
        connection,
        "relationship_source",
        "relationship_id",
        [known["relationship"][r["uuid"]] for r in relationships],
        [
            {
                "relationship_id": known["relationship"][r["uuid"]],
                "source_id": _ref(known, "source", s, r),
            }
            for r in relationships
            for s in r.get("sources") or []
        ],
    )
    _load_contradictions(
        connection, [r for r in records.get("statement") or [] if "contradicts" in r], known
    )
    for record in records.get("briefing") or []:
        if "sections" in record or "judgments" in record:
            _load_briefing_body(connection, known["briefing"][record["uuid"]], record, known)


def _ref(known: dict[str, dict[str, int]], kind: str, uuid: str, record: dict[str, Any]) -> int:
    try:
        return known[kind][uuid]
    except KeyError:
        raise RecordError(
            f"{DOCUMENT_KEYS[kind]} link of {record.get('uuid')} refers to a {kind} ({uuid}) "
            "that is neither in the document nor in the project."
        ) from None


def _load_contradictions(
    connection: Connection, statements: list[dict[str, Any]], known: dict[str, dict[str, int]]
) -> None:
    if not statements:
        return
    link = Base.metadata.tables["statement_contradiction"]
    ids = [known["statement"][r["uuid"]] for r in statements]
    for chunk in _chunks(ids):
        connection.execute(
            delete(link).where(link.c.statement_id.in_(chunk) | link.c.other_id.in_(chunk))
        )
    wanted = {u for r in statements for u in r["contradicts"]} - known["statement"].keys()
    known["statement"].update(ids_for_uuids(connection, table("statement"), wanted))
    pairs = set()
    for record in statements:
        this = known["statement"][record["uuid"]]
        for other_uuid in record["contradicts"]:
            other = _ref(known, "statement", other_uuid, record)
            if other != this:
                pairs.add((min(this, other), max(this, other)))
    if pairs:
        connection.execute(
            insert(link).prefix_with("OR IGNORE"),
            [{"statement_id": a, "other_id": b} for a, b in sorted(pairs)],
        )


def _load_briefing_body(
    connection: Connection,
    briefing_id: int,
    record: dict[str, Any],
    known: dict[str, dict[str, int]],
) -> None:
    tables = Base.metadata.tables
    judgment, section, item = tables["key_judgment"], tables["section"], tables["section_item"]
    connection.execute(delete(judgment).where(judgment.c.briefing_id == briefing_id))
    connection.execute(delete(section).where(section.c.briefing_id == briefing_id))
    judgments = [
        {
            "uuid": j.get("uuid") or new_uuid(),
            "briefing_id": briefing_id,
            "position": n,
            "text": j["text"],
            "likelihood": j["likelihood"],
            "confidence": j["confidence"],
        }
        for n, j in enumerate(record.get("judgments") or [])
    ]
    if judgments:
        connection.execute(insert(judgment), judgments)
    for n, s in enumerate(record.get("sections") or []):
        section_id = connection.execute(
            insert(section).values(
                uuid=s.get("uuid") or new_uuid(),
                briefing_id=briefing_id,
                position=n,
                heading=s.get("heading", ""),
                body=s.get("body", ""),
            )
        ).inserted_primary_key[0]
        wanted: dict[str, set[str]] = defaultdict(set)
        for i in s.get("items") or []:
            wanted[i["kind"]].add(i["ref"])
        for ref_kind, uuids in wanted.items():
            known[ref_kind].update(
                ids_for_uuids(connection, table(ref_kind), uuids - known[ref_kind].keys())
            )
        rows = []
        for p, i in enumerate(s.get("items") or []):
            row: dict[str, Any] = dict.fromkeys(ITEM_COLUMNS.values())
            row.update(uuid=i.get("uuid") or new_uuid(), section_id=section_id, position=p)
            row[ITEM_COLUMNS[i["kind"]]] = _ref(known, i["kind"], i["ref"], record)
            rows.append(row)
        if rows:
            connection.execute(insert(item), rows)
