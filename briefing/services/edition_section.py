"""The PDF's "Changes since edition N" section, from the editions service's comparison.

Which two versions are compared depends on where the briefing stands: if it
changed since its latest edition N, the brief shows those changes ("changes
since edition N"); if it is edition N unchanged, the brief *is* edition N and
shows what N changed since the edition before it. With no earlier edition there
is nothing to compare and no section.
"""

from __future__ import annotations

from briefing.export.changes import EditionChanges, FieldShift, PartChange
from briefing.services.editions import (
    EditionDiff,
    FieldChange,
    ItemChange,
    edition_changes,
    list_editions,
)
from briefing.services.records import KIND_NAMES
from briefing.store.project import Project


def _shifts(fields: tuple[FieldChange, ...]) -> tuple[FieldShift, ...]:
    return tuple(FieldShift(f.label, f.old, f.new) for f in fields)


def _parts(changes: tuple[ItemChange, ...]) -> tuple[PartChange, ...]:
    return tuple(
        PartChange(
            KIND_NAMES.get(c.kind, c.kind),
            c.title,
            c.section if c.is_item else "",
            _shifts(c.fields),
        )
        for c in changes
    )


def changes_section(project: Project, briefing_id: int) -> EditionChanges | None:
    """What the brief printed now changed since the edition before it; None if there is none."""
    editions = {e.number: e for e in list_editions(project, briefing_id)}
    if not editions:
        return None
    diff: EditionDiff = edition_changes(project, briefing_id)
    if diff.is_empty:  # the briefing is its latest edition: compare that with the one before
        diff = edition_changes(project, briefing_id, max(editions))
    if diff.old_number is None:
        return None
    since = editions[diff.old_number]
    return EditionChanges(
        since=since.number,
        since_frozen_at=since.frozen_at,
        since_frozen_by=since.frozen_by,
        edition=diff.new_number,
        cover=_shifts(diff.briefing_fields),
        added=_parts(diff.added),
        removed=_parts(diff.removed),
        changed=_parts(diff.changed),
    )
