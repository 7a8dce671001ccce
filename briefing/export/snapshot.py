"""What a briefing export prints, as plain frozen dataclasses.

The exporter reads only these objects, never ORM rows or Qt objects, so it can
run in a worker, be tested alone, and print exactly what was read in one go.
Blocks are in reading order and source notes are numbered in order of first use.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from briefing.export.changes import EditionChanges
from briefing.model.vocab import (
    BriefingStatus,
    Confidence,
    Likelihood,
    PartyRole,
    Precision,
    RelationshipKind,
    RelationshipStatus,
    Reliability,
    SourceKind,
    StatementKind,
    Tlp,
    Verification,
)


@dataclass(frozen=True)
class Marked:
    """A record whose content the export prints, with its own TLP label."""

    kind: str
    title: str
    tlp: Tlp
    uuid: str = ""
    """The record's, so an export can look its label up again just before writing."""


@dataclass(frozen=True)
class Moment:
    """A UTC instant, the IANA zone it was reported in and how precisely it is known."""

    utc: datetime
    zone: str
    precision: Precision


@dataclass(frozen=True)
class PartyView:
    uuid: str
    name: str
    label: str
    kind: str
    colour: str
    description: str = ""
    key: int = 0
    """The party's number in the project: the alliance diagram orders parties by it."""
    parent: int | None = None
    """The ``key`` of the party it belongs to (a ministry's state), drawn beside it."""


@dataclass(frozen=True)
class SourceNote:
    """One numbered source note."""

    number: int
    uuid: str
    title: str
    publisher: str
    author: str
    url: str
    kind: SourceKind
    reliability: Reliability
    published_at: datetime | None
    accessed_at: datetime | None
    description: str = ""


@dataclass(frozen=True)
class PartyPart:
    label: str
    role: PartyRole
    colour: str = ""


@dataclass(frozen=True)
class ClaimView:
    """One casualty claim as printed: who is affected, how many, and who says so.

    A claim is never added to another claimant's: exports show them side by side.
    """

    side: str
    """The party affected (its label), or ``civilians`` / ``unknown``."""
    category: str
    low: int | None
    best: int | None
    high: int | None
    words: str
    """The claimant's own words where no figure was given, e.g. ``up to a dozen``."""
    claimant: str
    """The claiming party's label; empty when nobody is named."""
    note: int | None = None
    """The source note number, when the claim cites a source."""
    claimed: Moment | None = None


@dataclass(frozen=True)
class EntryView:
    uuid: str
    title: str
    description: str
    start: Moment
    end: Moment | None
    place: str
    parties: tuple[PartyPart, ...]
    status: Verification
    credibility: int
    notes: tuple[int, ...]
    latitude: float | None = None
    longitude: float | None = None
    claims: tuple[ClaimView, ...] = ()


@dataclass(frozen=True)
class StatementView:
    """A quote with who said it.

    ``contradicts`` holds the statements it contradicts that are printed beside it;
    ``contradicted_earlier`` names those whose pairing with it was printed before.
    """

    uuid: str
    attribution: str
    kind: StatementKind
    said: Moment | None
    quote: str
    language: str
    translation: str
    about: str
    note: int | None
    contradicts: tuple[StatementView, ...] = ()
    contradicted_earlier: tuple[str, ...] = ()


@dataclass(frozen=True)
class RelationshipView:
    uuid: str
    party_a: PartyView
    party_b: PartyView
    kind: RelationshipKind
    title: str
    since: str
    until: str
    status: RelationshipStatus
    description: str
    notes: tuple[int, ...]


@dataclass(frozen=True)
class TimelineBlock:
    """Consecutive timeline entries of a section, in time order."""

    entries: tuple[EntryView, ...]


@dataclass(frozen=True)
class StatementBlock:
    """Statements as printed: each contradicting pair once in the brief, side by side."""

    statements: tuple[StatementView, ...]


@dataclass(frozen=True)
class AllianceBlock:
    """Consecutive relationships and the parties they tie, for a diagram and a table."""

    relationships: tuple[RelationshipView, ...]
    parties: tuple[PartyView, ...]


@dataclass(frozen=True)
class PartyBlock:
    parties: tuple[PartyView, ...]


@dataclass(frozen=True)
class SourceBlock:
    """Sources placed in a section directly, by note number."""

    notes: tuple[int, ...]


@dataclass(frozen=True)
class MapBlock:
    """The map of the brief's events, where the analyst placed it in a section."""


Block = TimelineBlock | StatementBlock | AllianceBlock | PartyBlock | SourceBlock | MapBlock


@dataclass(frozen=True)
class SectionView:
    heading: str
    body: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class JudgmentView:
    text: str
    likelihood: Likelihood
    confidence: Confidence


@dataclass(frozen=True)
class BriefingSnapshot:
    """One briefing with every record it prints, resolved."""

    uuid: str
    title: str
    subtitle: str
    as_of: datetime
    zone: str
    authors: str
    tlp: Tlp
    status: BriefingStatus
    tags: tuple[str, ...]
    bluf: str
    judgments: tuple[JudgmentView, ...]
    sections: tuple[SectionView, ...]
    sources: tuple[SourceNote, ...]
    included: tuple[Marked, ...]
    project_title: str = ""
    organisation: str = ""
    """Who issues the brief (a project setting), printed on the cover."""
    edition: str = ""
    """Which edition the brief is ("Edition 2", "Draft after edition 2"); empty if none."""
    changes: EditionChanges | None = None
    """What changed since an earlier edition, printed after the key judgments when given."""

    def source(self, number: int) -> SourceNote:
        return self.sources[number - 1]

    @property
    def map_placed(self) -> bool:
        """Whether a section places the map; if not, it follows the first timeline table."""
        return any(isinstance(b, MapBlock) for s in self.sections for b in s.blocks)

    def timeline(self) -> tuple[EntryView, ...]:
        """Every timeline entry once, in the order the timeline tables print them.

        Their positions (from 1) are the row numbers of the tables and of the map's markers.
        """
        seen: dict[str, EntryView] = {}
        for section in self.sections:
            for block in section.blocks:
                if isinstance(block, TimelineBlock):
                    for entry in block.entries:
                        seen.setdefault(entry.uuid, entry)
        return tuple(seen.values())
