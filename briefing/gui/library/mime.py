"""The drag-and-drop format records travel in between the library and the briefing composer.

A drop can come from any program, so its payload is read as any JSON text from
outside is (:mod:`briefing.model.jsontext`) and held to the shape we write:
anything else is no drop at all, never an error.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QMimeData

from briefing.model import jsontext

MIME_TYPE = "application/x-briefing-records"
"""JSON list of ``{"kind": ..., "id": ...}``, in the order the rows were listed."""

LARGEST_ID = 2**63 - 1
"""The largest row id SQLite holds."""


def encode_records(records: list[tuple[str, int]], titles: list[str] | None = None) -> QMimeData:
    """Mime data carrying records; titles also go as plain text for other programs."""
    data = QMimeData()
    payload = [{"kind": kind, "id": int(record_id)} for kind, record_id in records]
    data.setData(MIME_TYPE, json.dumps(payload).encode("utf-8"))
    if titles:
        data.setText("\n".join(titles))
    return data


def read_payload(data: QMimeData, mime_type: str) -> Any:
    """The JSON value a drop carries in ``mime_type``, or None if it has none we can read."""
    if not data.hasFormat(mime_type):
        return None
    try:
        return jsontext.read(bytes(data.data(mime_type).data()))
    except ValueError:
        return None


def row_id(value: object) -> int | None:
    """``value`` if it can name a row (a whole number SQLite holds, not true or false), or None."""
    return value if type(value) is int and 0 <= value <= LARGEST_ID else None


def decode_records(data: QMimeData) -> list[tuple[str, int]]:
    """The records a drop carries; an empty list for anything malformed."""
    payload = read_payload(data, MIME_TYPE)
    if not isinstance(payload, list):
        return []
    records = []
    for item in payload:
        kind = item.get("kind") if isinstance(item, dict) else None
        record_id = row_id(item.get("id")) if isinstance(item, dict) else None
        if not isinstance(kind, str) or record_id is None:
            return []
        records.append((kind, record_id))
    return records
