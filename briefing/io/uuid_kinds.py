"""One UUID, one record: the rule lives in :mod:`briefing.model.uuid_kinds`; named here for the
STIX import, which imports it from here."""

from __future__ import annotations

from briefing.model.uuid_kinds import refuse_shared

__all__ = ["refuse_shared"]
