"""Editions: a briefing frozen under a number, and what changed between editions.

Freezing stores the briefing's full content (see :mod:`edition_snapshot`) in the
``edition`` table, so a later reader can see exactly what edition 3 said and
what changed since edition 2. The differences come back as plain dataclasses
that the window and the PDF show as they like. A comparison for a document marked
at a label leaves out, by the marking rule (:mod:`briefing.model.marking`), every
frozen item that may not go into it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select, text

from briefing.errors import BriefingError
from briefing.export.claim_words import figure_text, side_text
from briefing.model import Briefing, Edition
from briefing.model.claim_figures import ClaimFigures
from briefing.model.marking import NAME_SQL, ReleaseFilter, frozen_names
from briefing.model.rules import MAP_ITEM
from briefing.model.vocab import Tlp
from briefing.services.briefing_content import MAP_OUTLINE_ITEM
from briefing.services.edition_snapshot import BRIEFING_FIELDS, short, snapshot_briefing
from briefing.store.interface import ProjectStore
from briefing.store.values import read_snapshot


@dataclass(frozen=True)
class EditionInfo:
    id: int
    briefing_id: int
    number: int
    frozen_at: datetime
    frozen_by: str


@dataclass(frozen=True)
class FieldChange:
    """One field that differs: its name, a label a reader understands, old and new text."""

    field: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class ItemChange:
    """One item, section or key judgment added, removed or changed."""

    kind: str
    key: str
    title: str
    section: str
    fields: tuple[FieldChange, ...] = ()
    names: tuple[tuple[str, str], ...] | None = ()
    """(kind, uuid) of the other records whose names the item's frozen text shows (in
    either edition); None when that text names records without keeping their UUIDs."""

    @property
    def where(self) -> str:
        return "" if self.kind in ("section", "key judgment") else f" (in ‘{self.section}’)"

    @property
    def is_item(self) -> bool:
        return self.kind not in ("section", "key judgment")


@dataclass(frozen=True)
class EditionDiff:
    """What changed from edition ``old_number`` to ``new_number`` (None: the current draft)."""

    briefing_title: str
    old_number: int | None
    new_number: int | None
    briefing_fields: tuple[FieldChange, ...]
    added: tuple[ItemChange, ...]
    removed: tuple[ItemChange, ...]
    changed: tuple[ItemChange, ...]
    withheld: bool = False
    """Items were left out for the document's marking (see :func:`edition_changes`)."""
    sealed: bool = False
    """Nothing may be shown: a compared edition was frozen under a stricter label."""

    @property
    def is_empty(self) -> bool:
        return not (self.briefing_fields or self.added or self.removed or self.changed)

    def lines(self) -> list[str]:
        """The changes as short lines of text, for the command line."""
        lines = [f"changed: {f.label}" for f in self.briefing_fields]
        for verb, changes in (("added", self.added), ("removed", self.removed)):
            lines += [f"{verb}: {c.kind} ‘{c.title}’{c.where}" for c in changes]
        for c in self.changed:
            labels = ", ".join(f.label for f in c.fields)
            lines.append(f"changed: {c.kind} ‘{c.title}’: {labels}")
        return lines


# ---------------------------------------------------------------------------- freezing


def list_editions(project: ProjectStore, briefing_id: int) -> list[EditionInfo]:
    with project.session() as session:
        rows = session.scalars(
            select(Edition).where(Edition.briefing_id == briefing_id).order_by(Edition.number)
        )
        return [EditionInfo(e.id, e.briefing_id, e.number, e.frozen_at, e.frozen_by) for e in rows]


def freeze_edition(project: ProjectStore, briefing_id: int) -> EditionInfo:
    """Freeze the briefing as it stands under the next edition number (one undoable step)."""
    with project.transaction() as session:
        if session.get(Briefing, briefing_id) is None:
            raise BriefingError("That briefing no longer exists.")
        number = _next_number(session.connection(), briefing_id)
        snapshot = snapshot_briefing(session.connection(), briefing_id)
        edition = Edition(
            briefing_id=briefing_id,
            number=number,
            frozen_by=project.analyst,
            snapshot=json.dumps(snapshot, ensure_ascii=False, sort_keys=True),
        )
        session.add(edition)
        session.flush()
        return EditionInfo(
            edition.id, briefing_id, edition.number, edition.frozen_at, edition.frozen_by
        )


def _next_number(connection: Connection, briefing_id: int) -> int:
    """The briefing's next edition number, counting editions the analyst may not see.

    On a team server the markings may hide some of the briefing's editions, yet
    numbers are unique across all of them: the server allocates the number
    (:mod:`briefing.store.pg_security`). A file holds every edition in view.
    """
    if connection.dialect.name == "postgresql":
        allocated = connection.execute(
            text("SELECT to_regprocedure('briefing_next_edition(integer)') IS NOT NULL")
        ).scalar()
        if allocated:
            number = connection.execute(
                text("SELECT briefing_next_edition(:b)"), {"b": briefing_id}
            ).scalar()
            if number is None:
                raise BriefingError("That briefing no longer exists.")
            return int(number)
    latest = connection.execute(
        select(func.max(Edition.number)).where(Edition.briefing_id == briefing_id)
    ).scalar()
    return (latest or 0) + 1


def delete_edition(project: ProjectStore, edition_id: int) -> None:
    """Remove an edition again: the inverse of freezing, for undo."""
    with project.transaction() as session:
        edition = session.get(Edition, edition_id)
        if edition is not None:
            session.delete(edition)


# ---------------------------------------------------------------------------- comparing


def _snapshot_of(project: ProjectStore, briefing_id: int, number: int) -> dict[str, Any]:
    with project.session() as session:
        text = session.scalar(
            select(Edition.snapshot).where(
                Edition.briefing_id == briefing_id, Edition.number == number
            )
        )
    if text is None:
        raise BriefingError(f"This briefing has no edition {number}.")
    try:
        return read_snapshot(text)
    except ValueError as reason:  # a file changed since it was checked, or read unchecked
        raise BriefingError(
            f"The project file is damaged: the frozen content of edition {number} {reason}; "
            "run briefing check."
        ) from None


def _previous_number(project: ProjectStore, briefing_id: int, before: int | None) -> int | None:
    query = select(func.max(Edition.number)).where(Edition.briefing_id == briefing_id)
    if before is not None:
        query = query.where(Edition.number < before)
    with project.session() as session:
        return session.scalar(query)


def edition_changes(
    project: ProjectStore, briefing_id: int, number: int | None = None, ceiling: Tlp | None = None
) -> EditionDiff:
    """What edition ``number`` changed since the edition before it.

    By default: what the briefing as it stands changed since its latest edition.
    With no earlier edition, everything counts as added. With ``ceiling``, the
    comparison is for a document marked at that label: items the marking rule
    keeps out of it are left out of both versions.
    """
    if number is None:
        with project.engine.connect() as connection:
            new = snapshot_briefing(connection, briefing_id)
    else:
        new = _snapshot_of(project, briefing_id, number)
    old_number = _previous_number(project, briefing_id, number)
    old = _snapshot_of(project, briefing_id, old_number) if old_number is not None else None
    if ceiling is None:
        return diff_snapshots(old, new, old_number, number)
    with project.engine.connect() as connection:
        release = ReleaseFilter(connection, ceiling)
        new_shown = release.redact_edition(new)
        old_shown = release.redact_edition(old) if old is not None else None
    if new_shown is None or (old is not None and old_shown is None):
        return EditionDiff("", old_number, number, (), (), (), (), sealed=True)
    for shown in (new_shown, old_shown):
        for section in shown["sections"] if shown is not None else ():
            section["items"] = release.without_withheld(section["items"])
    diff = diff_snapshots(old_shown, new_shown, old_number, number)
    return replace(diff, withheld=bool(release.withheld))


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_text(v)}" for k, v in sorted(value.items()))
    return str(value)


LABELS = {
    "bluf": "bottom line up front",
    "as_of": "as-of time",
    "tlp": "TLP label",
    "start_utc": "start (UTC)",
    "end_utc": "end (UTC)",
    "said_at": "time said",
    "status": "status",
    "claims": "casualty claims",
}


def _field_changes(
    old: dict[str, Any], new: dict[str, Any], keys: Iterable[str] | None = None
) -> tuple[FieldChange, ...]:
    names = keys if keys is not None else sorted(set(old) | set(new))
    changes: list[FieldChange] = []
    for k in names:
        if old.get(k) == new.get(k):
            continue
        if k == "claims" and _all_claims(old.get(k)) and _all_claims(new.get(k)):
            changes += claim_changes(old.get(k) or [], new.get(k) or [])
            continue
        label = LABELS.get(k, k.replace("_", " "))
        changes.append(FieldChange(k, label, _text(old.get(k)), _text(new.get(k))))
    return tuple(changes)


def _all_claims(value: object) -> bool:
    return value is None or (
        isinstance(value, list) and all(isinstance(c, dict) and "uuid" in c for c in value)
    )


NO_CLAIM = "—"


def claim_changes(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[FieldChange]:
    """One change per claim whose figures, words or claimant differ (matched by UUID).

    Labelled by side and category (``casualties: Armenia wounded``); an added claim
    was ``—`` before, a removed one is ``—`` after.
    """
    before = {c["uuid"]: c for c in old}
    after = {c["uuid"]: c for c in new}
    order = [*after, *(u for u in before if u not in after)]
    changes = []
    for uuid in order:
        was, now = before.get(uuid), after.get(uuid)
        if was == now:
            continue
        shown = now or was
        assert shown is not None
        label = f"casualties: {side_text(str(shown.get('side')))} {shown.get('category')}"
        changes.append(FieldChange("claims", label, _claim_text(was), _claim_text(now)))
    return changes


def _claim_text(claim: dict[str, Any] | None) -> str:
    if claim is None:
        return NO_CLAIM
    figures = ClaimFigures(
        str(claim.get("side")), str(claim.get("category")), _count(claim.get("low")),
        _count(claim.get("best")), _count(claim.get("high")),
    )  # fmt: skip
    text = figure_text(figures, str(claim.get("words") or ""))
    return f"{text} ({claim['claimant']})" if claim.get("claimant") else text


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _title(record: dict[str, Any], kind: str = "") -> str:
    if kind == MAP_ITEM:
        return MAP_OUTLINE_ITEM.title
    for key in ("title", "name", "quote", "heading", "text"):
        if record.get(key):
            return short(str(record[key]), 60)
    return "untitled"


Keyed = dict[tuple[str, str], tuple[str, dict[str, Any]]]
"""(kind, uuid) → (heading of the section holding it, content)."""


def _items(snapshot: dict[str, Any]) -> Keyed:
    """Items by the record they reference; a record listed twice counts once."""
    found: Keyed = {}
    for section in snapshot["sections"]:
        for item in section["items"]:
            found.setdefault((item["kind"], item["ref"]), (section["heading"], item["record"]))
    return found


def _parts(snapshot: dict[str, Any]) -> Keyed:
    """Key judgments, sections (without their items) and items, each keyed alike."""
    parts: Keyed = {
        ("key judgment", j["uuid"]): ("key judgments", j) for j in snapshot["judgments"]
    }
    for section in snapshot["sections"]:
        content = {k: v for k, v in section.items() if k != "items"}
        parts[("section", section["uuid"])] = (section["heading"], content)
    parts.update(_items(snapshot))
    return parts


Names = tuple[tuple[str, str], ...] | None
"""(kind, uuid) of the records an item's frozen text names; None: names without UUIDs."""


def _names(snapshot: dict[str, Any] | None) -> dict[tuple[str, str], Names]:
    """Per item (kind, uuid): the records its frozen text names (see :class:`ItemChange`)."""
    found: dict[tuple[str, str], Names] = {}
    for section in snapshot["sections"] if snapshot else ():
        for item in section["items"]:
            refs = item.get("refs")
            if isinstance(refs, list) and all(isinstance(r, list) and len(r) == 3 for r in refs):
                names: Names = tuple(sorted({(str(r[0]), str(r[1])) for r in refs}))
            elif item["kind"] not in NAME_SQL:  # the map names no record
                names = ()
            else:
                names = None if any(frozen_names(item["kind"], item["record"])) else ()
            found.setdefault((item["kind"], item["ref"]), names)
    return found


def _both(first: Names, second: Names) -> Names:
    if first is None or second is None:
        return None
    return tuple(sorted({*first, *second}))


def diff_snapshots(
    old: dict[str, Any] | None,
    new: dict[str, Any],
    old_number: int | None = None,
    new_number: int | None = None,
) -> EditionDiff:
    """Compare two frozen briefings: fields, key judgments, sections and items."""
    before = _parts(old) if old else {}
    after = _parts(new)
    names_before, names_after = _names(old), _names(new)
    added, changed = [], []
    for (kind, key), (section, record) in after.items():
        names = names_after.get((kind, key), ())
        if (kind, key) not in before:
            added.append(ItemChange(kind, key, _title(record, kind), section, (), names))
            continue
        old_section, old_record = before[(kind, key)]
        fields = _field_changes(old_record, record)
        if old_section != section and kind != "section":
            fields = (FieldChange("section", "section", old_section, section), *fields)
        if fields:
            names = _both(names, names_before.get((kind, key), ()))
            changed.append(ItemChange(kind, key, _title(record, kind), section, fields, names))
    removed = [
        ItemChange(kind, key, _title(record, kind), section, (), names_before.get((kind, key), ()))
        for (kind, key), (section, record) in before.items()
        if (kind, key) not in after
    ]
    return EditionDiff(
        new["briefing"].get("title", ""),
        old_number,
        new_number,
        _field_changes(old["briefing"], new["briefing"], BRIEFING_FIELDS) if old else (),
        tuple(added),
        tuple(removed),
        tuple(changed),
    )
