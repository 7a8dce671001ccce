"""Failures a user can cause or fix; ``str(error)`` is one sentence fit to show them."""

from __future__ import annotations


class BriefingError(Exception):
    """Base of every error meant for the user rather than for a traceback."""


class RecordError(BriefingError):
    """A record in a document or an edit is wrong; the message names the record and field."""
