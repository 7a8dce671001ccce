"""One UUID, one record: the rule lives in :mod:`briefing.model.uuid_kinds`.

It is named here too for the STIX import, which takes it from here.
"""

from __future__ import annotations

from briefing.model.uuid_kinds import refuse_shared

__all__ = ["refuse_shared"]
