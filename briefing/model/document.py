"""Briefings and what hangs off them, plus project-wide bookkeeping tables."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from briefing.model.base import Base, RecordMixin, new_uuid, utc_now, vocab
from briefing.model.library import Party, Relationship, Source, Statement, TimelineEntry
from briefing.model.vocab import BriefingStatus, Confidence, Likelihood


class Briefing(RecordMixin, Base):
    """A document assembled from library records."""

    __tablename__ = "briefing"

    title: Mapped[str]
    subtitle: Mapped[str] = mapped_column(default="")
    as_of: Mapped[datetime]
    zone: Mapped[str] = mapped_column(default="UTC", doc="zone the as-of time is shown in")
    authors: Mapped[str] = mapped_column(default="")
    status: Mapped[BriefingStatus] = mapped_column(
        vocab(BriefingStatus, "briefing_status"), default=BriefingStatus.DRAFT
    )
    bluf: Mapped[str] = mapped_column(default="", doc="bottom line up front, Markdown")

    judgments: Mapped[list[KeyJudgment]] = relationship(
        order_by="KeyJudgment.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
        back_populates="briefing",
    )
    sections: Mapped[list[Section]] = relationship(
        order_by="Section.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
        back_populates="briefing",
    )


class KeyJudgment(Base):
    """One key judgment: a statement with an ICD 203 likelihood and a confidence level."""

    __tablename__ = "key_judgment"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    briefing_id: Mapped[int] = mapped_column(ForeignKey("briefing.id", ondelete="CASCADE"))
    position: Mapped[int]
    text: Mapped[str]
    likelihood: Mapped[Likelihood] = mapped_column(vocab(Likelihood, "likelihood"))
    confidence: Mapped[Confidence] = mapped_column(vocab(Confidence, "confidence"))

    briefing: Mapped[Briefing] = relationship(back_populates="judgments")


class Section(Base):
    """A heading, Markdown prose and an ordered list of referenced records."""

    __tablename__ = "section"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    briefing_id: Mapped[int] = mapped_column(ForeignKey("briefing.id", ondelete="CASCADE"))
    position: Mapped[int]
    heading: Mapped[str]
    body: Mapped[str] = mapped_column(default="", doc="Markdown")

    briefing: Mapped[Briefing] = relationship(back_populates="sections")
    items: Mapped[list[SectionItem]] = relationship(
        order_by="SectionItem.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
        back_populates="section",
    )


class SectionItem(Base):
    """A reference from a section to exactly one library record, or a map of the briefing.

    A map item (``is_map``) refers to no record: it shows the briefing's places.
    """

    __tablename__ = "section_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    section_id: Mapped[int] = mapped_column(ForeignKey("section.id", ondelete="CASCADE"))
    position: Mapped[int]
    entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("timeline_entry.id", ondelete="CASCADE"), index=True
    )
    statement_id: Mapped[int | None] = mapped_column(
        ForeignKey("statement.id", ondelete="CASCADE"), index=True
    )
    relationship_id: Mapped[int | None] = mapped_column(
        ForeignKey("relationship.id", ondelete="CASCADE"), index=True
    )
    party_id: Mapped[int | None] = mapped_column(
        ForeignKey("party.id", ondelete="CASCADE"), index=True
    )
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("source.id", ondelete="CASCADE"), index=True
    )
    is_map: Mapped[bool] = mapped_column(
        Boolean(create_constraint=True, name="is_map"), default=False, server_default=text("0")
    )

    section: Mapped[Section] = relationship(back_populates="items")
    entry: Mapped[TimelineEntry | None] = relationship()
    statement: Mapped[Statement | None] = relationship()
    relationship_: Mapped[Relationship | None] = relationship()
    party: Mapped[Party | None] = relationship()
    source: Mapped[Source | None] = relationship()

    __table_args__ = (
        CheckConstraint(
            "(entry_id IS NOT NULL) + (statement_id IS NOT NULL) + (relationship_id IS NOT NULL)"
            " + (party_id IS NOT NULL) + (source_id IS NOT NULL) + (is_map = 1) = 1",
            name="one_target",
        ),
    )


class ExportRecord(Base):
    """One PDF export of a briefing: when, by whom, and the file's SHA-256."""

    __tablename__ = "export_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    briefing_id: Mapped[int] = mapped_column(
        ForeignKey("briefing.id", ondelete="CASCADE"), index=True
    )
    exported_at: Mapped[datetime] = mapped_column(default=utc_now)
    analyst: Mapped[str] = mapped_column(default="")
    file_name: Mapped[str] = mapped_column(default="")
    sha256: Mapped[str] = mapped_column(String(64))
    pages: Mapped[int] = mapped_column(default=0)


class Edition(Base):
    """A briefing frozen as a numbered edition; ``snapshot`` is its JSON content."""

    __tablename__ = "edition"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    briefing_id: Mapped[int] = mapped_column(ForeignKey("briefing.id", ondelete="CASCADE"))
    number: Mapped[int]
    frozen_at: Mapped[datetime] = mapped_column(default=utc_now)
    frozen_by: Mapped[str] = mapped_column(default="")
    snapshot: Mapped[str]

    __table_args__ = (UniqueConstraint("briefing_id", "number"),)


class Tombstone(Base):
    """A deleted record, remembered so that a merge can carry the deletion."""

    __tablename__ = "tombstone"

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    deleted_at: Mapped[datetime] = mapped_column(default=utc_now)
    deleted_by: Mapped[str] = mapped_column(default="")


class ProjectSetting(Base):
    """Project-wide key/value facts: project UUID, title, merge history."""

    __tablename__ = "project_setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str]
