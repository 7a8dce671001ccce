"""The domain model: SQLAlchemy typed tables, with no Qt and no I/O beyond the session."""

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

RECORD_KINDS: dict[str, type[RecordMixin]] = {
    "party": Party,
    "source": Source,
    "entry": TimelineEntry,
    "statement": Statement,
    "relationship": Relationship,
    "briefing": Briefing,
}
"""Record kinds by the short name used in the CLI, the JSON document and the GUI."""

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
