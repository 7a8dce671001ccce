"""Identifiers and timestamps of the STIX objects a project exports.

A record's own object is named by the record's UUID (``identity--<party uuid>``),
so an object that came from a platform keeps its identifier when it goes back,
and an export of the same records always gives the same identifiers. Objects
derived from a record (an entry's location, a role, a contradiction) are named by
a UUID version 5 computed from the UUIDs they join.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from briefing.model import times

NAMESPACE = uuid.UUID("3d0c6f5e-8e8a-5a43-9d55-7c1f2b9e4a10")
"""Namespace of the version-5 identifiers of derived objects."""

PRIMARY_TYPES = {
    "party": "identity",
    "entry": "event",
    "statement": "note",
    "relationship": "relationship",
    "briefing": "report",
}
"""The STIX type of each record kind's own object (sources become external references)."""


def primary_id(kind: str, record_uuid: str) -> str:
    return f"{PRIMARY_TYPES[kind]}--{record_uuid}"


def derived_id(stix_type: str, *parts: str) -> str:
    """A deterministic identifier for an object made from several records."""
    return f"{stix_type}--{uuid.uuid5(NAMESPACE, ':'.join(parts))}"


def uuid_of(stix_id: object) -> str | None:
    """The UUID part of ``type--uuid`` in its canonical form, or None when it is not one."""
    if not isinstance(stix_id, str) or "--" not in stix_id or len(stix_id) > 300:
        return None
    text = stix_id.rsplit("--", 1)[1]
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return None


def type_of(stix_id: str) -> str:
    return stix_id.rsplit("--", 1)[0]


def timestamp(text: str | None) -> str | None:
    """A document time (ISO text in UTC) → a STIX timestamp to the millisecond.

    The year is always four digits (``0999``), as STIX and RFC 3339 require; a time
    whose UTC day falls outside years 1–9999 has no timestamp (None).
    """
    if not text:
        return None
    try:
        stored = times.stored_text(datetime.fromisoformat(text))
    except (ValueError, OverflowError):
        return None
    return stored[:23] + "Z"


def document_time(text: object) -> str | None:
    """A STIX timestamp → a document time (ISO text in UTC), None when it is not one."""
    if not isinstance(text, str) or not 10 <= len(text) <= 40:
        return None
    try:
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is None:
            return None
        return times.document_text(moment)
    except (ValueError, OverflowError):  # not a time, or its UTC day is before year 1
        return None
