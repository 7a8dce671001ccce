"""Failures a user can cause or fix; ``str(error)`` is one sentence fit to show them."""

from __future__ import annotations


class BriefingError(Exception):
    """Base of every error meant for the user rather than for a traceback."""


class RecordError(BriefingError):
    """A record in a document or an edit is wrong; the message names the record and field."""


class DamagedFile(BriefingError):
    """Rows of a file that opened do not agree with each other (a spoiled page or index).

    The open-time checks are cheap and let such a file through; ``briefing check``
    finds the damage. Readers raise this instead of failing on the first row that does
    not fit.
    """

    def __init__(self, what: str) -> None:
        super().__init__(f"the file is damaged: {what}; run briefing check")
