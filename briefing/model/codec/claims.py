"""Casualty claims in the codec: read and written as the ``claims`` list of their entry."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

from briefing.model.base import new_uuid
from briefing.model.codec.fields import document_time, stored_time, table
from briefing.model.codec.rows import Known, location, missing_reference
from briefing.model.codec.sql import chunks, fetch, rows_where_in, uuids_for_ids
from briefing.model.rules import CLAIM_REFERENCES
from briefing.model.vocab import ClaimSide

_COLUMNS = (
    "entry_id", "uuid", "side", "party_id", "category", "low", "best", "high", "words",
    "claimant_id", "source_id", "claimed_at", "position",
)  # fmt: skip


def dump_claims(
    connection: Connection, all_ids: list[int], row_ids: Sequence[int] | None
) -> dict[int, list[dict[str, Any]]]:
    """Entry id → its claims in document form, in their order."""
    sql = f"SELECT {', '.join(_COLUMNS)} FROM casualty_claim"
    rows = (
        fetch(connection, sql)
        if row_ids is None
        else rows_where_in(connection, sql, "entry_id", row_ids)
    )
    rows.sort(key=lambda r: (r[0], r[12], r[1]))
    parties = uuids_for_ids(
        connection, table("party"), {i for r in rows for i in (r[3], r[9]) if i}
    )
    sources = uuids_for_ids(connection, table("source"), {r[10] for r in rows if r[10]})
    wanted = set(all_ids)
    found: dict[int, list[dict[str, Any]]] = {}
    for r in rows:
        if r[0] not in wanted:
            continue
        party = parties.get(r[3]) if r[3] else None
        side = r[2] if r[2] != ClaimSide.PARTY.value or party else ClaimSide.UNKNOWN.value
        found.setdefault(r[0], []).append(
            {
                "uuid": r[1],
                "side": side,
                "party": party if side == ClaimSide.PARTY.value else None,
                "category": r[4],
                "low": r[5],
                "best": r[6],
                "high": r[7],
                "words": r[8],
                "claimant": parties.get(r[9]) if r[9] else None,
                "source": sources.get(r[10]) if r[10] else None,
                "claimed_at": document_time(r[11]),
            }
        )
    return found


def load_claims(
    connection: Connection, batch: list[dict[str, Any]], known: Known, stale: set[int]
) -> None:
    """The claims of entries that carry a ``claims`` list become exactly that list."""
    entries = [r for r in batch if "claims" in r]
    cleared = sorted(i for i in (known["entry"][r["uuid"]] for r in entries) if i in stale)
    for chunk in chunks(cleared):
        marks = ",".join("?" * len(chunk))
        connection.exec_driver_sql(
            f"DELETE FROM casualty_claim WHERE entry_id IN ({marks})", tuple(chunk)
        )
    rows = []
    parties, sources = known["party"], known["source"]
    for record in entries:
        entry_id = known["entry"][record["uuid"]]
        for n, claim in enumerate(record.get("claims") or ()):
            get = claim.get
            party, claimant, source = get("party"), get("claimant"), get("source")
            party_id = None if party is None else parties.get(party)
            claimant_id = None if claimant is None else parties.get(claimant)
            source_id = None if source is None else sources.get(source)
            if (
                (party_id is None and party is not None)
                or (claimant_id is None and claimant is not None)
                or (source_id is None and source is not None)
            ):
                _refuse_missing(batch, record, n, claim, known)
            if not get("uuid"):
                claim["uuid"] = new_uuid()
            claimed = get("claimed_at")
            rows.append(
                (
                    entry_id, claim["uuid"], claim["side"], party_id, claim["category"],
                    get("low"), get("best"), get("high"), get("words") or "", claimant_id,
                    source_id, None if claimed is None else stored_time(claimed or None), n,
                )
            )  # fmt: skip
    if rows:
        connection.exec_driver_sql(
            f"INSERT INTO casualty_claim ({', '.join(_COLUMNS)}) "
            f"VALUES ({', '.join('?' * len(_COLUMNS))})",
            rows,  # type: ignore[arg-type]
        )


def _refuse_missing(
    batch: list[dict[str, Any]], record: dict[str, Any], n: int, claim: Any, known: Known
) -> None:
    """Refuse the first reference of a claim to a record neither given nor in the project."""
    for key, kind in CLAIM_REFERENCES.items():
        uuid = claim.get(key)
        if uuid is not None and known[kind].get(uuid) is None:
            index = next(i for i, r in enumerate(batch) if r is record)
            where = location("entry", index, record, f"claims[{n}].{key}")
            raise missing_reference(where, kind, uuid)
