"""Entries' casualty claims read from SQL for lists, the timeline chart and the map.

Lists show a compact line per entry ("AM 49 k · AZ 50 k") and pictures size a
marker by the entry's best-estimate total; both follow the rule of
:mod:`briefing.model.claim_figures` (never added up across claimants), applied
here to plain rows so that a hundred thousand entries need one query.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import Connection

from briefing.model.claim_figures import (
    CASUALTY_CATEGORIES,
    ClaimFigures,
    compact_summary,
    count,
)
from briefing.model.codec.sql import chunks, fetch, rows_where_in
from briefing.model.vocab import ClaimSide

_ROWS = (
    "SELECT c.entry_id, c.side, c.party_id, c.category, c.low, c.best, c.high,"
    " coalesce(nullif(p.short_name, ''), p.name) FROM casualty_claim c"
    " LEFT JOIN party p ON p.id = c.party_id"
)
_COUNT = "CASE WHEN typeof({0}) = 'integer' AND {0} >= 0 THEN {0} END"
_ESTIMATE = f"coalesce({_COUNT.format('best')}, {_COUNT.format('low')}, {_COUNT.format('high')})"
_CATEGORIES = ", ".join(f"'{c.value}'" for c in CASUALTY_CATEGORIES)
_TOTALS = (
    "SELECT entry_id, sum(total) FROM ("
    " SELECT entry_id, category, max("
    "  coalesce(max(CASE WHEN side = 'all sides' THEN figure END), 0),"
    "  coalesce(sum(CASE WHEN side != 'all sides' THEN figure END), 0)) AS total"
    " FROM ("
    "  SELECT entry_id, category, min(" + _ESTIMATE + ") AS figure,"
    "   CASE WHEN side = 'party' AND party_id IS NULL THEN 'unknown' ELSE side END AS side"
    "  FROM casualty_claim WHERE category IN (" + _CATEGORIES + ")"
    "   AND " + _ESTIMATE + " IS NOT NULL {where}"
    "  GROUP BY entry_id, category, 4, party_id) AS figures"
    " GROUP BY entry_id, category) AS totals"
    " GROUP BY entry_id"
)


def _side(side: str, party_id: int | None, label: str | None = None) -> str:
    """The side a figure is about: its party (by label when given, else by id) or the word."""
    if side != ClaimSide.PARTY.value:
        return side
    if party_id is None:
        return ClaimSide.UNKNOWN.value
    return label or f"party {party_id}"


def _claims_by_entry(
    connection: Connection, sql: str, ids: Iterable[int] | None
) -> dict[int, list[ClaimFigures]]:
    rows = (
        fetch(connection, sql) if ids is None else rows_where_in(connection, sql, "entry_id", ids)
    )
    found: dict[int, list[ClaimFigures]] = defaultdict(list)
    for entry_id, side, party_id, category, low, best, high, *label in rows:
        shown = _side(side, party_id, label[0] if label else None)
        found[entry_id].append(ClaimFigures(shown, category, count(low), count(best), count(high)))
    return found


def casualty_totals(connection: Connection, ids: Iterable[int] | None = None) -> dict[int, int]:
    """Entry id → best-estimate casualties, for entries whose claims give a figure.

    :func:`briefing.model.claim_figures.casualty_total` in SQL, so that a map of a
    hundred thousand entries costs one query: per side and category the lowest
    estimate any claimant gives, sides added, an ``all sides`` figure standing for
    the whole; a stored value that is not a count is left out.
    """
    if ids is None:
        return dict(fetch(connection, _TOTALS.format(where="")))
    found: dict[int, int] = {}
    for chunk in chunks(sorted(set(ids))):
        where = f"AND entry_id IN ({','.join('?' * len(chunk))})"
        found.update(fetch(connection, _TOTALS.format(where=where), chunk))
    return found


def claim_summaries(connection: Connection, ids: Iterable[int]) -> dict[int, str]:
    """Entry id → one line such as ``AM 49 k · AZ 50 k`` (parties by their short names)."""
    return {
        entry_id: compact_summary(claims)
        for entry_id, claims in _claims_by_entry(connection, _ROWS, ids).items()
    }
