"""The domain model: SQLAlchemy typed tables, with no Qt and no I/O beyond the session.

The mapped classes are loaded on first use (:func:`__getattr__`), all together,
so that a light module of this package (``vocab``, ``times``, ``kinds``) can be
imported by ``briefing info`` or ``--version`` without SQLAlchemy's ORM.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from briefing.model.base import Base, RecordMixin, join_tags, split_tags, utc_now
    from briefing.model.claims import CasualtyClaim
    from briefing.model.document import (
        Briefing,
        Edition,
        ExportRecord,
        KeyJudgment,
        ProjectSetting,
        Section,
        SectionItem,
        Tombstone,
    )
    from briefing.model.library import (
        EntryParty,
        Party,
        Relationship,
        Source,
        Statement,
        TimelineEntry,
        entry_source,
        relationship_source,
        statement_contradiction,
    )

    RECORD_KINDS: dict[str, type[RecordMixin]]

_HOMES = {
    "base": ("Base", "RecordMixin", "join_tags", "split_tags", "utc_now"),
    "claims": ("CasualtyClaim",),
    "document": (
        "Briefing",
        "Edition",
        "ExportRecord",
        "KeyJudgment",
        "ProjectSetting",
        "Section",
        "SectionItem",
        "Tombstone",
    ),
    "library": (
        "EntryParty",
        "Party",
        "Relationship",
        "Source",
        "Statement",
        "TimelineEntry",
        "entry_source",
        "relationship_source",
        "statement_contradiction",
    ),
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}

__all__ = [
    "RECORD_KINDS",
    "Base",
    "Briefing",
    "CasualtyClaim",
    "Edition",
    "EntryParty",
    "ExportRecord",
    "KeyJudgment",
    "Party",
    "ProjectSetting",
    "RecordMixin",
    "Relationship",
    "Section",
    "SectionItem",
    "Source",
    "Statement",
    "TimelineEntry",
    "Tombstone",
    "entry_source",
    "join_tags",
    "relationship_source",
    "split_tags",
    "statement_contradiction",
    "utc_now",
]


def __getattr__(name: str) -> Any:
    """Load every mapped class at the first use of any: their relationships name each other."""
    if name != "RECORD_KINDS" and name not in _HOME_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    found = {}
    for module in _HOMES:
        loaded = importlib.import_module(f"{__name__}.{module}")
        found.update({key: getattr(loaded, key) for key in _HOMES[module]})
    found["RECORD_KINDS"] = {
        "party": found["Party"],
        "source": found["Source"],
        "entry": found["TimelineEntry"],
        "statement": found["Statement"],
        "relationship": found["Relationship"],
        "briefing": found["Briefing"],
    }  # record kinds by the short name used in the CLI, the JSON document and the GUI
    globals().update(found)
    return found[name]
