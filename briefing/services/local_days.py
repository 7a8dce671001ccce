"""Date filters on the day a list shows: the local day in the zone a time was reported in.

A list shows an entry at 00:05 local on 13 September; filtering on 13 September
must find it, although in UTC it is still the 12th. SQL narrows the rows by UTC
bounds widened by the largest offset any zone has had (so the time index still
serves), and a small function registered on the connection keeps the rows whose
local day is in the range.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, text

from briefing.model.base import to_utc_text
from briefing.model.times import zone_or_utc

LOCAL_DAY = "briefing_local_day"
"""The SQL function name: ``briefing_local_day(stored_utc_text, zone)`` → ``YYYY-MM-DD``."""

WIDEST_OFFSET = timedelta(hours=16)
"""More than any zone's offset from UTC, local mean times of old dates included."""

ZONED_FIELDS = {"entry": ("start_utc", "zone"), "statement": ("said_at", "zone")}
"""Times shown in their record's zone; others (a source's publication) are shown in UTC."""


def local_day(stored: object, zone: object) -> str | None:
    """The local calendar day of a stored UTC time in ``zone``; None when it is not a time."""
    if not isinstance(stored, str) or not stored:
        return None
    try:
        moment = datetime.fromisoformat(stored)
        if moment.tzinfo is None:
            return None
        local = moment.astimezone(zone_or_utc(zone if isinstance(zone, str) else None))
    except (ValueError, OverflowError, TypeError):
        return None
    return f"{local.year:04d}-{local.month:02d}-{local.day:02d}"


def register(connection: Connection | sqlite3.Connection) -> None:
    """Make :data:`LOCAL_DAY` callable in SQL on this connection (SQLite)."""
    raw = (
        connection
        if isinstance(connection, sqlite3.Connection)
        else connection.connection.dbapi_connection
    )
    create = getattr(raw, "create_function", None)
    if create is not None:
        create(LOCAL_DAY, 2, local_day, deterministic=True)


def _utc_text(day: date, shift: timedelta) -> str:
    moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
    try:
        return to_utc_text(moment + shift)
    except OverflowError:
        return to_utc_text(moment)


def date_clauses(
    kind: str, field: str, date_from: date | None, date_to: date | None
) -> tuple[list[str], dict[str, Any]]:
    """WHERE clauses and parameters keeping records whose shown day is within the range."""
    clauses: list[str] = []
    params: dict[str, Any] = {}
    zoned = ZONED_FIELDS.get(kind)
    slack = WIDEST_OFFSET if zoned else timedelta()
    if date_from:
        clauses.append(f"t.{field} >= :date_from")
        params["date_from"] = _utc_text(date_from, -slack)
    if date_to:
        clauses.append(f"t.{field} < :date_to")
        params["date_to"] = _utc_text(date_to + timedelta(days=1), slack)
    if zoned and (date_from or date_to):
        time_field, zone_field = zoned
        shown = f"{LOCAL_DAY}(t.{time_field}, t.{zone_field})"
        if date_from:
            clauses.append(f"{shown} >= :day_from")
            params["day_from"] = date_from.isoformat()
        if date_to:
            clauses.append(f"{shown} <= :day_to")
            params["day_to"] = date_to.isoformat()
    return clauses, params


def data_span(connection: Connection, table: str, field: str) -> tuple[date, date] | None:
    """The first and last day (UTC) a list's dated records fall on, for opening calendars."""
    row = connection.execute(
        text(f"SELECT min({field}), max({field}) FROM {table} WHERE {field} IS NOT NULL")
    ).one()
    days = []
    for value in row:
        try:
            days.append(datetime.fromisoformat(str(value)).date())
        except (TypeError, ValueError):
            return None
    return (days[0], days[1]) if len(days) == 2 else None
