"""Casualty claims: who says how many of whom were killed, wounded, captured, missing, displaced.

A claim belongs to one timeline entry, like a section to its briefing: it travels,
merges and is shared with its entry, and editing a claim edits the entry.
Figures are claims, never facts, so claims by different claimants are shown side
by side and never added up (:mod:`briefing.model.claim_figures`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from briefing.model.base import Base, new_uuid, vocab
from briefing.model.library import Party, Source, TimelineEntry
from briefing.model.vocab import ClaimCategory, ClaimSide


class CasualtyClaim(Base):
    """One claimed figure: the side affected, the category, low/best/high or the words used.

    ``side`` is ``party`` (then ``party`` names it), ``civilians``, ``unknown`` or
    ``all sides``. A figure may be a range (low, best, high), a single best figure,
    or no figure at all with the claimant's words ("fatalities", "up to a dozen").
    """

    __tablename__ = "casualty_claim"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("timeline_entry.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    side: Mapped[ClaimSide] = mapped_column(vocab(ClaimSide, "claim_side"))
    party_id: Mapped[int | None] = mapped_column(
        ForeignKey("party.id", ondelete="SET NULL"), index=True
    )
    category: Mapped[ClaimCategory] = mapped_column(vocab(ClaimCategory, "claim_category"))
    low: Mapped[int | None]
    best: Mapped[int | None]
    high: Mapped[int | None]
    words: Mapped[str] = mapped_column(default="", doc="the claimant's words, quoted")
    claimant_id: Mapped[int | None] = mapped_column(
        ForeignKey("party.id", ondelete="SET NULL"), index=True
    )
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("source.id", ondelete="SET NULL"), index=True
    )
    claimed_at: Mapped[datetime | None]

    entry: Mapped[TimelineEntry] = relationship(back_populates="claims")
    party: Mapped[Party | None] = relationship(foreign_keys=[party_id], lazy="joined")
    claimant: Mapped[Party | None] = relationship(foreign_keys=[claimant_id], lazy="joined")
    source: Mapped[Source | None] = relationship(lazy="joined")

    __table_args__ = (
        CheckConstraint(
            "coalesce(low, 0) >= 0 AND coalesce(best, 0) >= 0 AND coalesce(high, 0) >= 0",
            name="figures_not_negative",
        ),
        CheckConstraint(
            "coalesce(low, best, high, 0) <= coalesce(best, high, low, 0)"
            " AND coalesce(best, high, low, 0) <= coalesce(high, best, low, 0)",
            name="figures_in_order",
        ),
    )
