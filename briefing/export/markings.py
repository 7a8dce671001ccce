"""The TLP label an export carries: the briefing's own, unless raised for stricter records.

Whether a record may be printed under a label is the marking rule's
(:mod:`briefing.model.marking`); this module words its refusals for a PDF or Word export.
"""

from __future__ import annotations

from briefing.errors import BriefingError
from briefing.export.snapshot import BriefingSnapshot, Marked
from briefing.model.marking import releasable
from briefing.model.vocab import Tlp

_LISTED = 5


class MarkingError(BriefingError):
    """The export's TLP label is lower than a record it includes, or than the briefing's own."""


def stricter_records(snapshot: BriefingSnapshot, label: Tlp) -> list[Marked]:
    """Records the export prints that are marked more strictly than ``label``, strictest first."""
    found = [m for m in snapshot.included if not releasable(m.tlp, label)]
    return sorted(found, key=lambda m: -m.tlp.rank)


def export_label(snapshot: BriefingSnapshot, override: Tlp | None = None) -> Tlp:
    """The label to print; refuses to lower the briefing's label or to under-mark a record."""
    label = snapshot.tlp if override is None else Tlp(override)
    if label.rank < snapshot.tlp.rank:
        raise MarkingError(
            f"The briefing is marked {snapshot.tlp.marking}; an export cannot carry the lower "
            f"label {label.marking}."
        )
    stricter = stricter_records(snapshot, label)
    if stricter:
        strictest = stricter[0].tlp
        named = "; ".join(f"{m.kind} ‘{m.title}’ ({m.tlp.marking})" for m in stricter[:_LISTED])
        more = f"; and {len(stricter) - _LISTED} more" if len(stricter) > _LISTED else ""
        raise MarkingError(
            f"The export would be marked {label.marking} but includes records marked more "
            f"strictly: {named}{more}. Raise the label to {strictest.marking} or remove them."
        )
    return label
