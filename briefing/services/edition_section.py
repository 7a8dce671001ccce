"""The PDF's "Changes since edition N" section, from the editions service's comparison.

Which two versions are compared depends on where the briefing stands: if it
changed since its latest edition N, the brief shows those changes ("changes
since edition N"); if it is edition N unchanged, the brief *is* edition N and
shows what N changed since the edition before it. With no earlier edition there
is nothing to compare and no section. The section holds only what the marking
rule lets into a document marked ``ceiling`` (:mod:`briefing.model.marking`):
items of records now marked more strictly, frozen under a stricter label or
deleted since are left out, and a sentence says so.
"""

from __future__ import annotations

import getpass

from briefing.export.changes import EditionChanges, FieldShift, PartChange
from briefing.model import RECORD_KINDS
from briefing.model.marking import label_of
from briefing.model.vocab import Tlp
from briefing.services.editions import (
    EditionDiff,
    FieldChange,
    ItemChange,
    edition_changes,
    list_editions,
)
from briefing.services.records import KIND_NAMES
from briefing.store.interface import ProjectStore


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


def changes_section(
    project: ProjectStore, briefing_id: int, ceiling: Tlp | None = None
) -> EditionChanges | None:
    """What the brief printed now changed since the edition before it; None if there is none.

    ``ceiling`` is the label the document carries (None: the briefing's own).
    """
    editions = {e.number: e for e in list_editions(project, briefing_id)}
    if not editions:
        return None
    number = None
    if edition_changes(project, briefing_id).is_empty:
        number = max(editions)  # the briefing is its latest edition: compare with the one before
    if ceiling is None:
        ceiling = _label_of(project, briefing_id)
    diff: EditionDiff = edition_changes(project, briefing_id, number, ceiling)
    if diff.old_number is None:
        return None
    since = editions[diff.old_number]
    return EditionChanges(
        since=since.number,
        since_frozen_at=since.frozen_at,
        since_frozen_by=given_name(since.frozen_by),
        edition=diff.new_number,
        cover=_shifts(diff.briefing_fields),
        added=_parts(diff.added),
        removed=_parts(diff.removed),
        changed=_parts(diff.changed),
        withheld=diff.withheld,
        sealed=diff.sealed,
        records=_records(diff),
    )


def _records(diff: EditionDiff) -> tuple[tuple[str, str], ...]:
    """(kind, uuid) of every record whose text the section shows.

    Those are the items' and the records their frozen text names; ("", "") stands
    for a name that came without its UUID.
    """
    found: dict[tuple[str, str], None] = {}
    for change in (*diff.added, *diff.removed, *diff.changed):
        if change.kind in RECORD_KINDS:  # not the map, which is no record
            found[(change.kind, change.key)] = None
        found.update(dict.fromkeys(change.names if change.names is not None else [("", "")]))
    return tuple(found)


def given_name(analyst: str) -> str:
    """The analyst's name as they gave it; "" for a bare login name of this machine's account."""
    try:
        login = getpass.getuser()
    except (KeyError, OSError):
        login = ""
    return "" if not analyst.strip() or analyst.strip() == login else analyst


def _label_of(project: ProjectStore, briefing_id: int) -> Tlp:
    with project.engine.connect() as connection:
        value = connection.exec_driver_sql(
            "SELECT tlp FROM briefing WHERE id = ?", (briefing_id,)
        ).scalar()
    return label_of(value) or Tlp.RED
