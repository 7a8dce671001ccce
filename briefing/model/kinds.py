"""The kinds of library record and their tables: plain names, no SQLAlchemy.

Kept apart from the mapped classes so that counting records (``briefing info``)
needs no ORM.
"""

from __future__ import annotations

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
