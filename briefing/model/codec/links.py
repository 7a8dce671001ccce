"""Writing the links: entry parties and sources, contradictions, briefing bodies."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from briefing.errors import RecordError
from briefing.model.base import Base, new_uuid
from briefing.model.codec.claims import load_claims
from briefing.model.codec.fields import ITEM_COLUMNS, Records, plain, table
from briefing.model.codec.rows import Known, location, missing_reference
from briefing.model.codec.sql import chunks, ids_for_uuids
from briefing.model.rules import MAP_ITEM


def _replace_links(
    connection: Connection,
    sql_table: str,
    columns: tuple[str, ...],
    owner_ids: Iterable[int],
    rows: list[tuple[Any, ...]],
) -> None:
    """Links of the given owners become ``rows`` (owners just inserted have none to clear)."""
    for chunk in chunks(sorted(owner_ids)):
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
        raise missing_reference(location(owner, index, record, key), kind, uuid)
    return found


def load_links(
    connection: Connection, records: Records, known: Known, updated: dict[str, list[int]]
) -> None:
    """Links of the records just written; ``updated`` names those that existed before."""
    stale = {kind: set(ids) for kind, ids in updated.items()}
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
            party_rows.append((entry_id, party_id, plain(link["role"])))
        for uuid in record.get("sources") or ():
            source_id = source_ids.get(uuid)
            if source_id is None:
                source_id = _resolve(known, "source", uuid, ("entry", batch, record, "sources"))
            source_rows.append((entry_id, source_id))
    cleared = [known["entry"][r["uuid"]] for r in entries]
    cleared = [i for i in cleared if i in stale.get("entry", ())]
    _replace_links(connection, "entry_party", ("entry_id", "party_id", "role"), cleared, party_rows)
    _replace_links(connection, "entry_source", ("entry_id", "source_id"), cleared, source_rows)
    load_claims(connection, batch, known, stale.get("entry", set()))
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
    for chunk in chunks(ids):
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
    if (
        connection.dialect.name != "sqlite"
        and connection.execute(
            select(section.c.id).where(section.c.briefing_id == briefing_id).limit(1)
        ).first()
    ):  # a server's policies kept a section holding items hidden from this analyst
        title = record.get("title") or "That briefing"
        raise RecordError(
            f"‘{title}’ holds items you are not cleared to see, so you cannot rewrite it "
            "(nothing was saved); an analyst cleared for them can."
        )
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
            "VALUES (?, ?, ?, ?, ?) RETURNING id",
            (s.get("uuid") or new_uuid(), briefing_id, n, s.get("heading", ""), s.get("body", "")),
        ).scalar_one()
        wanted: dict[str, set[str]] = defaultdict(set)
        for i in s.get("items") or []:
            if i["kind"] != MAP_ITEM:
                wanted[i["kind"]].add(i["ref"])
        for ref_kind, uuids in wanted.items():
            known[ref_kind].update(
                ids_for_uuids(connection, table(ref_kind), uuids - known[ref_kind].keys())
            )
        rows = []
        for p, i in enumerate(s.get("items") or []):
            row: dict[str, Any] = dict.fromkeys(ITEM_COLUMNS.values())
            row.update(uuid=i.get("uuid") or new_uuid(), section_id=section_id, position=p)
            row["is_map"] = i["kind"] == MAP_ITEM
            if row["is_map"]:
                rows.append(row)
                continue
            target = known[i["kind"]].get(i["ref"])
            if target is None:
                where = location("briefing", index, record, f"sections[{n}].items[{p}].ref")
                raise missing_reference(where, i["kind"], i["ref"])
            row[ITEM_COLUMNS[i["kind"]]] = target
            rows.append(row)
        if rows:
            connection.execute(insert(item), rows)
