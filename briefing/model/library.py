"""Library records: parties, sources, timeline entries, statements, relationships."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Column, ForeignKey, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from briefing.model.base import Base, RecordMixin, vocab
from briefing.model.vocab import (
    PartyKind,
    PartyRole,
    Precision,
    RelationshipKind,
    RelationshipStatus,
    Reliability,
    SourceKind,
    StatementKind,
    Verification,
)

if TYPE_CHECKING:
    from briefing.model.claims import CasualtyClaim


class Party(RecordMixin, Base):
    """A state, ministry, armed force, official, organisation or outlet."""

    __tablename__ = "party"

    name: Mapped[str]
    short_name: Mapped[str] = mapped_column(default="")
    kind: Mapped[PartyKind] = mapped_column(vocab(PartyKind, "party_kind"))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("party.id", ondelete="SET NULL"), index=True
    )
    colour: Mapped[str] = mapped_column(default="#607080")
    description: Mapped[str] = mapped_column(default="")

    parent: Mapped[Party | None] = relationship(remote_side="Party.id")

    @property
    def label(self) -> str:
        return self.short_name or self.name


class Source(RecordMixin, Base):
    """Where a fact comes from, graded on the Admiralty reliability scale."""

    __tablename__ = "source"

    title: Mapped[str]
    publisher: Mapped[str] = mapped_column(default="")
    author: Mapped[str] = mapped_column(default="", doc="author or account handle")
    url: Mapped[str] = mapped_column(default="")
    published_at: Mapped[datetime | None]
    accessed_at: Mapped[datetime | None]
    kind: Mapped[SourceKind] = mapped_column(vocab(SourceKind, "source_kind"))
    reliability: Mapped[Reliability] = mapped_column(
        vocab(Reliability, "reliability"), default=Reliability.F
    )
    description: Mapped[str] = mapped_column(default="")


entry_source = Table(
    "entry_source",
    Base.metadata,
    Column("entry_id", ForeignKey("timeline_entry.id", ondelete="CASCADE"), primary_key=True),
    Column("source_id", ForeignKey("source.id", ondelete="CASCADE"), primary_key=True, index=True),
)

relationship_source = Table(
    "relationship_source",
    Base.metadata,
    Column("relationship_id", ForeignKey("relationship.id", ondelete="CASCADE"), primary_key=True),
    Column("source_id", ForeignKey("source.id", ondelete="CASCADE"), primary_key=True, index=True),
)

statement_contradiction = Table(
    "statement_contradiction",
    Base.metadata,
    Column("statement_id", ForeignKey("statement.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "other_id", ForeignKey("statement.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
    CheckConstraint("statement_id < other_id", name="ordered_pair"),
)


class EntryParty(Base):
    """A party's part in a timeline entry."""

    __tablename__ = "entry_party"

    entry_id: Mapped[int] = mapped_column(
        ForeignKey("timeline_entry.id", ondelete="CASCADE"), primary_key=True
    )
    party_id: Mapped[int] = mapped_column(
        ForeignKey("party.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[PartyRole] = mapped_column(vocab(PartyRole, "party_role"), primary_key=True)

    party: Mapped[Party] = relationship(lazy="joined")


class TimelineEntry(RecordMixin, Base):
    """Something that happened, at a UTC instant reported in an IANA zone."""

    __tablename__ = "timeline_entry"

    title: Mapped[str]
    description: Mapped[str] = mapped_column(default="")
    start_utc: Mapped[datetime] = mapped_column(index=True)
    end_utc: Mapped[datetime | None]
    zone: Mapped[str] = mapped_column(default="UTC", doc="IANA zone the time was reported in")
    precision: Mapped[Precision] = mapped_column(
        vocab(Precision, "precision"), default=Precision.MINUTE
    )
    place: Mapped[str] = mapped_column(default="")
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    status: Mapped[Verification] = mapped_column(
        vocab(Verification, "verification"), default=Verification.REPORTED, index=True
    )
    credibility: Mapped[int] = mapped_column(default=6)
    external_id: Mapped[str | None] = mapped_column(
        unique=True, doc="identifier in an external data set, e.g. ACLED event_id_cnty"
    )

    parties: Mapped[list[EntryParty]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, lazy="selectin"
    )
    sources: Mapped[list[Source]] = relationship(secondary=entry_source, lazy="selectin")
    claims: Mapped[list[CasualtyClaim]] = relationship(
        order_by="CasualtyClaim.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
        back_populates="entry",
        lazy="selectin",
    )

    __table_args__ = (
        CheckConstraint("credibility BETWEEN 1 AND 6", name="credibility_range"),
        CheckConstraint("end_utc IS NULL OR end_utc >= start_utc", name="end_after_start"),
    )


class Statement(RecordMixin, Base):
    """What a party said, verbatim, and what it contradicts."""

    __tablename__ = "statement"

    speaker_id: Mapped[int | None] = mapped_column(
        ForeignKey("party.id", ondelete="SET NULL"), index=True
    )
    person: Mapped[str] = mapped_column(default="")
    person_title: Mapped[str] = mapped_column(default="")
    said_at: Mapped[datetime | None] = mapped_column(index=True)
    zone: Mapped[str] = mapped_column(default="UTC")
    precision: Mapped[Precision] = mapped_column(
        vocab(Precision, "precision"), default=Precision.DAY
    )
    quote: Mapped[str] = mapped_column(doc="verbatim, in the language it was published in")
    language: Mapped[str] = mapped_column(default="en", doc="BCP 47 tag of the quote")
    translation: Mapped[str] = mapped_column(default="", doc="English, where the quote is not")
    kind: Mapped[StatementKind] = mapped_column(vocab(StatementKind, "statement_kind"))
    entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("timeline_entry.id", ondelete="SET NULL"), index=True
    )
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("source.id", ondelete="SET NULL"), index=True
    )

    speaker: Mapped[Party | None] = relationship(lazy="joined")
    entry: Mapped[TimelineEntry | None] = relationship()
    source: Mapped[Source | None] = relationship(lazy="joined")

    @property
    def attribution(self) -> str:
        """Who said it, as a reader expects: person, title, party."""
        parts = [p for p in (self.person, self.person_title) if p]
        if self.speaker is not None:
            parts.append(self.speaker.name)
        return ", ".join(parts) or "Unattributed"


class Relationship(RecordMixin, Base):
    """Alliance context between two parties."""

    __tablename__ = "relationship"

    party_a_id: Mapped[int] = mapped_column(ForeignKey("party.id", ondelete="CASCADE"), index=True)
    party_b_id: Mapped[int] = mapped_column(ForeignKey("party.id", ondelete="CASCADE"), index=True)
    kind: Mapped[RelationshipKind] = mapped_column(vocab(RelationshipKind, "relationship_kind"))
    title: Mapped[str]
    since: Mapped[str] = mapped_column(default="", doc="ISO date, year-month or year")
    until: Mapped[str] = mapped_column(default="")
    status: Mapped[RelationshipStatus] = mapped_column(
        vocab(RelationshipStatus, "relationship_status"), default=RelationshipStatus.IN_FORCE
    )
    description: Mapped[str] = mapped_column(default="")

    party_a: Mapped[Party] = relationship(foreign_keys=[party_a_id], lazy="joined")
    party_b: Mapped[Party] = relationship(foreign_keys=[party_b_id], lazy="joined")
    sources: Mapped[list[Source]] = relationship(secondary=relationship_source, lazy="selectin")
