"""An entry's Admiralty grade, worked out where the library works it out, asked for by name.

The grade joins the reliability of the entry's best source with the credibility
of its information (``B3``); the inspector shows it in words beside the fields
it comes from, and the library in its Grade column.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, text

from briefing.model.vocab import CREDIBILITY_LABELS, Reliability, admiralty_grade
from briefing.services.library_rows import BEST_RELIABILITY_SQL


@dataclass(frozen=True)
class Grade:
    """A grade and what it says."""

    code: str
    reliability: Reliability
    credibility: int

    @property
    def words(self) -> str:
        source = self.reliability.label.lower()
        info = CREDIBILITY_LABELS[self.credibility].lower()
        return f"{self.code}: best source {source}; information {info}"


def entry_grade(connection: Connection, entry_id: int) -> Grade | None:
    """The grade of one entry; None when it no longer exists or holds values no grade has."""
    row = connection.execute(
        text(
            f"SELECT {BEST_RELIABILITY_SQL}, t.credibility FROM timeline_entry t WHERE t.id = :id"
        ),
        {"id": entry_id},
    ).first()
    if row is None:
        return None
    best, credibility = row
    code = admiralty_grade(best, credibility)
    try:
        reliability = Reliability(code[0])
        number = int(code[1:])
    except ValueError:
        return None  # a damaged file's values: the form shows nothing rather than failing
    if number not in CREDIBILITY_LABELS:
        return None
    return Grade(code, reliability, number)
