"""Sync points: what two copies of a project are known to hold of each other.

A merge needs to know, for a record that differs between two files, which side
changed it since they last agreed. Rather than keep a copy of the common base,
each file remembers, per peer project (by its ``project_uuid`` setting), two
high-water marks in ``project_setting`` under ``merge:<peer uuid>``:

- ``seen``: the newest stamp (``updated_at`` or ``deleted_at``) the peer's file
  held when it was last merged into this one: every version of theirs stamped at
  or before it has been weighed here;
- ``shown``: the newest stamp of this file the peer is known to hold: set when a
  share copy is made, whose every version came from the original.

Stamps are fixed-width ISO text in UTC, so text order is time order.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import Connection, text

from briefing.model import jsontext
from briefing.model.codec import KINDS, TABLE_NAMES

PREFIX = "merge:"


@dataclass(frozen=True)
class SyncPoint:
    """What this file knows of one peer project; see the module docstring."""

    peer: str
    seen: str | None = None
    shown: str | None = None
    at: str = ""
    file_name: str = ""

    def to_json(self) -> str:
        return json.dumps(
            {"seen": self.seen, "shown": self.shown, "at": self.at, "file": self.file_name},
            sort_keys=True,
        )


def project_uuid(connection: Connection) -> str:
    row = connection.execute(
        text("SELECT value FROM project_setting WHERE key = 'project_uuid'")
    ).first()
    return row[0] if row else ""


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def read_sync_points(connection: Connection) -> dict[str, SyncPoint]:
    """Every sync point the file holds, by peer project uuid; malformed ones are ignored."""
    points: dict[str, SyncPoint] = {}
    rows = connection.execute(
        text("SELECT key, value FROM project_setting WHERE substr(key, 1, :n) = :prefix"),
        {"n": len(PREFIX), "prefix": PREFIX},
    )
    for key, value in rows:
        try:
            data = jsontext.read(value)
        except (ValueError, TypeError):
            continue
        if not isinstance(data, dict):
            continue
        peer = key[len(PREFIX) :]
        points[peer] = SyncPoint(
            peer,
            _text_or_none(data.get("seen")),
            _text_or_none(data.get("shown")),
            str(data.get("at") or ""),
            str(data.get("file") or ""),
        )
    return points


def write_sync_point(connection: Connection, point: SyncPoint) -> None:
    connection.execute(
        text(
            "INSERT INTO project_setting(key, value) VALUES (:k, :v) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value"
        ),
        {"k": PREFIX + point.peer, "v": point.to_json()},
    )


def high_water(connection: Connection) -> str | None:
    """The newest stamp in the file: the latest record edit or deletion."""
    parts = [f"SELECT max(updated_at) AS t FROM {TABLE_NAMES[kind]}" for kind in KINDS]
    parts.append("SELECT max(deleted_at) AS t FROM tombstone")
    union = " UNION ALL ".join(parts)
    row = connection.execute(text(f"SELECT max(t) FROM ({union}) AS stamps")).first()
    return row[0] if row else None
