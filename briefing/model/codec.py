"""Records as plain dicts that refer to each other by UUID.

This one form serves JSON interchange, undo (a snapshot before an edit is put
back with :func:`load`), merging and share copies. It works on SQLAlchemy Core
with executemany, so loading 100,000 records costs little more than raw SQL.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from functools import cache
from operator import itemgetter
from typing import Any

from sqlalchemy import Column, Connection, Table, delete, insert, select
from sqlalchemy import Enum as SqlEnum
from sqlalchemy.exc import IntegrityError

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
            raise RecordError(f"{where} is not a valid ISO 8601 time ('{value}').") from error
    if moment.tzinfo is None:
        raise RecordError(f"{where} has no time zone ('{value}'); give it in UTC.")
    return moment


# ---------------------------------------------------------------------------- reading


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _lookup(
    connection: Connection, kind_table: Table, by: str, want: str, keys: Iterable[Any]
) -> dict[Any, Any]:
    """Map values of column ``by`` to column ``want``, a chunk of keys per query."""
    wanted = sorted({k for k in keys if k is not None and k != ""})
    found: dict[Any, Any] = {}
    for chunk in _chunks(wanted):
        marks = ",".join("?" * len(chunk))
        sql = f"SELECT {by}, {want} FROM {kind_table.name} WHERE {by} IN ({marks})"
        found.update(_fetch(connection, sql, chunk))
    return found


def uuids_for_ids(connection: Connection, kind_table: Table, ids: Iterable[int]) -> dict[int, str]:
    return _lookup(connection, kind_table, "id", "uuid", ids)


def ids_for_uuids(
    connection: Connection, kind_table: Table, uuids: Iterable[str]
) -> dict[str, int]:
    return _lookup(connection, kind_table, "uuid", "id", uuids)


def _fetch(connection: Connection, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
    """Plain tuples from the connection's own sqlite3 connection, in its transaction."""
    driver = connection.connection.driver_connection
    return driver.execute(sql, tuple(parameters)).fetchall()  # type: ignore[union-attr]


def _select_rows(
    connection: Connection, kind_table: Table, names: Sequence[str], ids: Sequence[int] | None
) -> list[tuple[Any, ...]]:
    """Rows as stored (times as text, vocabularies as their values), first column the id."""
    sql = f"SELECT id, {', '.join(names)} FROM {kind_table.name}"
    if ids is None:
        return _fetch(connection, f"{sql} ORDER BY id")
    rows: list[tuple[Any, ...]] = []
    for chunk in _chunks(sorted(set(ids))):
        marks = ",".join("?" * len(chunk))
        rows += _fetch(connection, f"{sql} WHERE id IN ({marks})", chunk)
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
        return _grouped(_fetch(connection, sql))
    rows: list[Any] = []
    for chunk in _chunks(sorted(set(ids))):
        marks = ",".join("?" * len(chunk))
        rows += _fetch(connection, f"{sql} WHERE {owner} IN ({marks})", chunk)
    return _grouped(rows)


def _document_time(stored: str | None) -> str | None:
    """Stored time text (always UTC, microseconds) → document text, as :func:`time_to_text`."""
    return None if stored is None else stored.replace(".000000Z", "Z")


def dump(
    connection: Connection, kind: str, ids: Sequence[int] | None = None, with_ids: bool = False
) -> list[dict[str, Any]]:
    """Records of one kind (all of them when ``ids`` is None) as dicts, in id order.

    ``with_ids`` adds the file-local ``_id``, so that an undo puts a deleted record
    back under its old id; interchange documents never carry it.
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
        (n, f.key, uuid_maps[f.key].get if f.ref_kind else _document_time if f.is_time else None)
        for n, f in enumerate(kind_fields, start=1)
    ]
    records = []
    for row in rows:
        record: dict[str, Any] = {"_id": row[0]} if with_ids else {}
        for n, key, change in convert:
            value = row[n]
            record[key] = value if change is None or value is None else change(value)
        records.append(record)
    _dump_links(connection, kind, row_ids, None if ids is None else row_ids, records)
    return records


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
        for row_id, record in zip(all_ids, records, strict=True):
            record["parties"] = sorted(
                (
                    {"party": party_uuids[r[1]], "role": _plain(r[2])}
                    for r in parties.get(row_id, [])
                ),
                key=lambda p: (p["role"], p["party"]),
            )
            record["sources"] = sorted(source_uuids[r[1]] for r in sources.get(row_id, []))
    elif kind == "relationship":
        sources = _link_rows(
            connection, "relationship_source", "relationship_id", row_ids, ["source_id"]
        )
        source_uuids = uuids_for_ids(
            connection, table("source"), (r[1] for g in sources.values() for r in g)
        )
        for row_id, record in zip(all_ids, records, strict=True):
            record["sources"] = sorted(source_uuids[r[1]] for r in sources.get(row_id, []))
    elif kind == "statement":
        forward = _link_rows(
            connection, "statement_contradiction", "statement_id", row_ids, ["other_id"]
        )
        backward = _link_rows(
            connection, "statement_contradiction", "other_id", row_ids, ["statement_id"]
        )
        others = {r[1] for g in (*forward.values(), *backward.values()) for r in g}
        other_uuids = uuids_for_ids(connection, table("statement"), others)
        for row_id, record in zip(all_ids, records, strict=True):
            linked = [r[1] for r in forward.get(row_id, [])] + [
                r[1] for r in backward.get(row_id, [])
            ]
            record["contradicts"] = sorted(other_uuids[i] for i in linked)
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


Known = dict[str, dict[str, int]]
"""UUID → id of every record met so far, per kind."""


def _where(kind: str, index: int, record: dict[str, Any], key: str | None = None) -> str:
    label = f"{DOCUMENT_KEYS[kind]}[{index}]"
    if isinstance(record.get("uuid"), str):
        label += f" (uuid {record['uuid']})"
    return f"{label}: field '{key}'" if key else label


def _missing_reference(where: str, kind: str, uuid: object) -> RecordError:
    return RecordError(
        f"{where} refers to a {kind} ({uuid}) that is neither in the document nor in the project."
    )


_PLAIN, _REFERENCE, _TIME, _CHOICE = range(4)


@dataclass(frozen=True)
class _Column:
    """How one document field becomes one column value."""

    name: str
    key: str
    treatment: int
    ref_kind: str | None
    nullable: bool
    default: Any
    factory: Callable[[], Any] | None
    allowed: frozenset[str] | None

    def default_value(self) -> Any:
        value = self.default if self.factory is None else self.factory()
        return to_utc_text(value) if isinstance(value, datetime) else value


@cache
def _plan(kind: str) -> tuple[_Column, ...]:
    columns = []
    for f in fields(kind):
        column_type = f.column.type
        arg = f.column.default.arg if f.column.default is not None else None  # type: ignore[attr-defined]
        factory = (lambda arg=arg: arg(None)) if callable(arg) else None
        allowed = frozenset(column_type.enums) if isinstance(column_type, SqlEnum) else None
        if f.ref_kind is not None:
            treatment = _REFERENCE
        elif f.is_time:
            treatment = _TIME
        elif allowed is not None:
            treatment = _CHOICE
        else:
            treatment = _PLAIN
        default = None if callable(arg) else _plain(arg)
        columns.append(
            _Column(
                f.column.name,
                f.key,
                treatment,
                f.ref_kind,
                bool(f.column.nullable),
                default,
                factory,
                allowed,
            )
        )
    return tuple(columns)


def stored_time(value: object) -> str | None:
    """A document time (text or aware datetime) → the text stored in the file.

    Raises ValueError saying what is wrong with it.
    """
    if value is None or value == "":
        return None
    if isinstance(value, str):
        canonical = len(value) == 20 and value[19] == "Z" and value[10] == "T"
        canonical = canonical and value[4] == value[7] == "-" and value[13] == value[16] == ":"
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"is not a valid ISO 8601 time ('{value}')") from None
        if canonical:
            return value[:19] + ".000000Z"
    elif isinstance(value, datetime):
        moment = value
    else:
        raise ValueError(f"must be a time, not {value!r}")
    if moment.tzinfo is None:
        raise ValueError(f"has no time zone ('{value}'); give it in UTC")
    return to_utc_text(moment)


def _row_for(
    kind: str, index: int, record: dict[str, Any], known: Known, stamp: tuple[str, str] | None
) -> dict[str, Any]:
    """One document record → one row of column values, refusing bad references and values."""
    row: dict[str, Any] = {}
    get = record.get
    for c in _plan(kind):
        value = get(c.key)
        treatment = c.treatment
        if value is None or (treatment == _TIME and value == ""):
            if not c.nullable or c.key not in record:
                value = c.default_value()
                if value is None and not c.nullable:
                    raise RecordError(f"{_where(kind, index, record, c.key)} is missing.")
            else:
                value = None
        elif treatment == _PLAIN:
            pass
        elif treatment == _REFERENCE:
            resolved = known[c.ref_kind].get(value)  # type: ignore[index]
            if resolved is None and not (kind == "party" and c.key == "parent"):
                where = _where(kind, index, record, c.key)
                raise _missing_reference(where, c.ref_kind, value)  # type: ignore[arg-type]
            value = resolved
        elif treatment == _TIME:
            try:
                value = stored_time(value)
            except ValueError as error:
                raise RecordError(f"{_where(kind, index, record, c.key)} {error}.") from None
        else:
            value = _plain(value)
            if value not in c.allowed:  # type: ignore[operator]
                raise RecordError(
                    f"{_where(kind, index, record, c.key)} must be one of "
                    f"{', '.join(sorted(c.allowed))} (not '{value}')."  # type: ignore[arg-type]
                )
        row[c.name] = value
    if stamp is not None:
        row["updated_at"], row["updated_by"] = stamp
        if record.get("created_at") is None:
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
    Rows go to SQLite with plain ``executemany``, values already in stored form.
    """
    try:
        return _load(connection, records, analyst)
    except IntegrityError as error:
        raise BrokenRule(_broken_rule(str(error.orig))) from error


class BrokenRule(RecordError):
    """The records break a rule the database enforces; SQLite does not say which record."""


_RULES = {
    "credibility_range": "a timeline entry's credibility must be between 1 and 6",
    "end_after_start": "a timeline entry cannot end before it starts",
    "casualties_not_negative": "casualty figures cannot be negative",
    "timeline_entry.external_id": "two timeline entries have the same external identifier",
    "FOREIGN KEY": "a record refers to one that does not exist",
}


def _broken_rule(reason: str) -> str:
    """A database constraint failure in words (SQLite names only the rule, not the record)."""
    rule = next((words for key, words in _RULES.items() if key in reason), None)
    if rule is None:
        return f"The change breaks a rule of the project file ({reason})."
    return f"The change breaks a rule of the project file: {rule} ({reason})."


def _load(connection: Connection, records: Records, analyst: str | None) -> LoadResult:
    stamp = (to_utc_text(utc_now()), analyst) if analyst is not None else None
    result = LoadResult()
    known: Known = defaultdict(dict)
    for kind in KINDS:
        batch = records.get(kind) or []
        for index, record in enumerate(batch):
            if not isinstance(record, dict):
                raise RecordError(f"{_where(kind, index, {})} is not an object.")
            if "uuid" not in record:
                record["uuid"] = new_uuid()
        wanted = _referenced(kind, batch)
        for ref_kind, uuids in wanted.items():
            missing = uuids - known[ref_kind].keys()
            known[ref_kind].update(ids_for_uuids(connection, table(ref_kind), missing))
        _load_kind(connection, kind, batch, known, stamp, result)
    _load_links(connection, records, known, result)
    for kind in KINDS:
        if result.ids(kind):
            fulltext.reindex(connection, kind, result.ids(kind))
    if result.updated.get("party"):
        fulltext.reindex_entries_of_parties(connection, result.updated["party"])
    return result


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
    rows = [_row_for(kind, i, r, known, stamp) for i, r in enumerate(batch)]
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
        for group in ([r for r in fresh if "id" in r], [r for r in fresh if "id" not in r]):
            if group:
                _insert(connection, kind_table.name, group)
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
            where = _where("party", index, batch[index], "parent")
            raise _missing_reference(where, "party", parent)
        updates.append((known["party"][parent], known["party"][child]))
    connection.exec_driver_sql("UPDATE party SET parent_id = ? WHERE id = ?", updates)


def _taken_ids(connection: Connection, kind_table: Table, ids: list[int]) -> set[int]:
    return set(uuids_for_ids(connection, kind_table, ids))


def _replace_links(
    connection: Connection,
    sql_table: str,
    columns: tuple[str, ...],
    owner_ids: Iterable[int],
    rows: list[tuple[Any, ...]],
) -> None:
    """Links of the given owners become ``rows`` (owners just inserted have none to clear)."""
    for chunk in _chunks(sorted(owner_ids)):
        marks = ",".join("?" * len(chunk))
        connection.exec_driver_sql(
            f"DELETE FROM {sql_table} WHERE {columns[0]} IN ({marks})", tuple(chunk)
        )
    if rows:
        connection.exec_driver_sql(
            f"INSERT OR IGNORE INTO {sql_table} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' * len(columns))})",
            rows,  # type: ignore[arg-type]
        )


def _resolve(
    known: Known, kind: str, uuid: str, where: tuple[str, list[dict[str, Any]], dict[str, Any], str]
) -> int:
    """The id of a linked record; ``where`` = (owner kind, its batch, the record, the field)."""
    found = known[kind].get(uuid)
    if found is None:
        owner, batch, record, key = where
        index = next(i for i, r in enumerate(batch) if r is record)
        raise _missing_reference(_where(owner, index, record, key), kind, uuid)
    return found


def _load_links(connection: Connection, records: Records, known: Known, result: LoadResult) -> None:
    stale = {kind: set(ids) for kind, ids in result.updated.items()}
    batch = records.get("entry") or []
    entries = [r for r in batch if "parties" in r or "sources" in r]
    party_ids, source_ids = known["party"], known["source"]
    party_rows, source_rows = [], []
    for record in entries:
        entry_id = known["entry"][record["uuid"]]
        for link in record.get("parties") or ():
            party_id = party_ids.get(link["party"])
            if party_id is None:
                party_id = _resolve(
                    known, "party", link["party"], ("entry", batch, record, "parties")
                )
            party_rows.append((entry_id, party_id, _plain(link["role"])))
        for uuid in record.get("sources") or ():
            source_id = source_ids.get(uuid)
            if source_id is None:
                source_id = _resolve(known, "source", uuid, ("entry", batch, record, "sources"))
            source_rows.append((entry_id, source_id))
    cleared = [known["entry"][r["uuid"]] for r in entries]
    cleared = [i for i in cleared if i in stale.get("entry", ())]
    _replace_links(connection, "entry_party", ("entry_id", "party_id", "role"), cleared, party_rows)
    _replace_links(connection, "entry_source", ("entry_id", "source_id"), cleared, source_rows)
    batch = records.get("relationship") or []
    relationships = [r for r in batch if "sources" in r]
    rows = [
        (
            known["relationship"][r["uuid"]],
            _resolve(known, "source", s, ("relationship", batch, r, "sources")),
        )
        for r in relationships
        for s in r.get("sources") or ()
    ]
    cleared = [known["relationship"][r["uuid"]] for r in relationships]
    cleared = [i for i in cleared if i in stale.get("relationship", ())]
    columns = ("relationship_id", "source_id")
    _replace_links(connection, "relationship_source", columns, cleared, rows)
    _load_contradictions(connection, records.get("statement") or [], known)
    for index, record in enumerate(records.get("briefing") or []):
        if "sections" in record or "judgments" in record:
            _load_briefing_body(connection, index, record, known)


def _load_contradictions(connection: Connection, batch: list[dict[str, Any]], known: Known) -> None:
    statements = [r for r in batch if "contradicts" in r]
    if not statements:
        return
    ids = [known["statement"][r["uuid"]] for r in statements]
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        connection.exec_driver_sql(
            f"DELETE FROM statement_contradiction WHERE statement_id IN ({marks}) "
            f"OR other_id IN ({marks})",
            (*chunk, *chunk),
        )
    wanted = {u for r in statements for u in r["contradicts"]} - known["statement"].keys()
    known["statement"].update(ids_for_uuids(connection, table("statement"), wanted))
    pairs = set()
    for record in statements:
        this = known["statement"][record["uuid"]]
        for other_uuid in record["contradicts"]:
            other = _resolve(
                known, "statement", other_uuid, ("statement", batch, record, "contradicts")
            )
            if other != this:
                pairs.add((min(this, other), max(this, other)))
    if pairs:
        connection.exec_driver_sql(
            "INSERT OR IGNORE INTO statement_contradiction (statement_id, other_id) VALUES (?, ?)",
            sorted(pairs),
        )


def _load_briefing_body(
    connection: Connection, index: int, record: dict[str, Any], known: Known
) -> None:
    tables = Base.metadata.tables
    judgment, section, item = tables["key_judgment"], tables["section"], tables["section_item"]
    briefing_id = known["briefing"][record["uuid"]]
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
        section_id = connection.exec_driver_sql(
            "INSERT INTO section (uuid, briefing_id, position, heading, body) "
            "VALUES (?, ?, ?, ?, ?)",
            (s.get("uuid") or new_uuid(), briefing_id, n, s.get("heading", ""), s.get("body", "")),
        ).lastrowid
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
            target = known[i["kind"]].get(i["ref"])
            if target is None:
                where = _where("briefing", index, record, f"sections[{n}].items[{p}].ref")
                raise _missing_reference(where, i["kind"], i["ref"])
            row[ITEM_COLUMNS[i["kind"]]] = target
            rows.append(row)
        if rows:
            connection.execute(insert(item), rows)
