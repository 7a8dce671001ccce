"""The drag-and-drop format records travel in between the library and the briefing composer."""

from __future__ import annotations

import json

from PySide6.QtCore import QMimeData

MIME_TYPE = "application/x-briefing-records"
"""JSON list of ``{"kind": ..., "id": ...}``, in the order the rows were listed."""


def encode_records(records: list[tuple[str, int]], titles: list[str] | None = None) -> QMimeData:
    """Mime data carrying records; titles also go as plain text for other programs."""
    data = QMimeData()
    payload = [{"kind": kind, "id": int(record_id)} for kind, record_id in records]
    data.setData(MIME_TYPE, json.dumps(payload).encode("utf-8"))
    if titles:
        data.setText("\n".join(titles))
    return data


def decode_records(data: QMimeData) -> list[tuple[str, int]]:
    """The records a drop carries; an empty list for anything malformed."""
    if not data.hasFormat(MIME_TYPE):
        return []
    try:
        payload = json.loads(bytes(data.data(MIME_TYPE).data()).decode("utf-8"))
        return [(str(item["kind"]), int(item["id"])) for item in payload]
    except (ValueError, TypeError, KeyError):
        return []
