"""Composer use cases: assemble a briefing from library records, one undo step per action.

Each edit rewrites the briefing's metadata or its nested sections/judgments
through :func:`briefing.services.records.update_record`, so one action is one
transaction, and its :class:`Change` snapshot undoes it whole. Sections are
addressed by position or by UUID (a text editor keeps the UUID it was opened on).
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from briefing.errors import RecordError
from briefing.model import codec, rules, times
from briefing.model.base import utc_now
from briefing.model.vocab import KIND_NAMES, BriefingStatus, Confidence, Likelihood, Tlp
from briefing.services import records, stamps
from briefing.services.briefing_content import (
    BriefingContent,
    BriefingRow,
    Judgment,
    OutlineItem,
    OutlineSection,
    list_briefings,
    load_briefing,
    short_title,
    tlp_warning,
)
from briefing.services.records import Change
from briefing.services.stamps import Stamp
from briefing.store.interface import ProjectStore

__all__ = [  # reading lives in briefing_content; its names stay importable from here
    "METADATA_FIELDS",
    "NEW_SECTION",
    "NEW_TITLE",
    "BriefingContent",
    "BriefingRow",
    "ItemKey",
    "Judgment",
    "OutlineItem",
    "OutlineSection",
    "SectionKey",
    "add_items",
    "add_judgment",
    "add_section",
    "create_briefing",
    "delete_briefing",
    "edit_judgment",
    "edit_metadata",
    "edit_section",
    "list_briefings",
    "load_briefing",
    "move_items",
    "move_judgment",
    "move_section",
    "remove_items",
    "remove_judgment",
    "remove_section",
    "tlp_warning",
]

SectionKey = int | str
"""A section's position in the briefing, or its UUID."""

METADATA_FIELDS = ("title", "subtitle", "as_of", "zone", "authors", "tlp", "status", "bluf")
NEW_TITLE = "Untitled briefing"
NEW_SECTION = "New section"


# ---------------------------------------------------------------------------- briefings


def create_briefing(project: ProjectStore, title: str = NEW_TITLE, zone: str = "UTC") -> Change:
    """A new draft, as of this minute, by the analyst, with one empty section to drop into."""
    now = utc_now().replace(second=0, microsecond=0)
    values = {
        "title": _checked_title(title),
        "as_of": now,
        "zone": _checked_zone(zone),
        "authors": project.analyst,
        "tlp": Tlp.CLEAR.value,
        "status": BriefingStatus.DRAFT.value,
        "sections": [{"heading": "Summary", "body": "", "items": []}],
        "judgments": [],
    }
    change = records.create_record(project, "briefing", values)
    return dataclasses.replace(change, description=f"New briefing ‘{short_title(title)}’")


def delete_briefing(
    project: ProjectStore, briefing_id: int, *, loaded: Stamp | None = None
) -> Change:
    seen = {briefing_id: loaded} if loaded is not None else None
    return records.delete_records(project, "briefing", [briefing_id], loaded=seen)


def edit_metadata(
    project: ProjectStore, briefing_id: int, *, loaded: Stamp | None = None, **values: Any
) -> Change:
    """Change title, subtitle, as-of time, zone, authors, TLP, status or bottom line up front."""
    unknown = set(values) - set(METADATA_FIELDS)
    if unknown:
        raise RecordError(f"A briefing has no field called {sorted(unknown)[0]!r}.")
    checks: dict[str, Callable[[Any], Any]] = {
        "title": _checked_title,
        "zone": _checked_zone,
        "tlp": lambda v: Tlp(v).value,
        "status": lambda v: BriefingStatus(v).value,
        "as_of": _checked_time,
    }
    try:
        clean = {k: checks.get(k, str)(v) for k, v in values.items()}
    except ValueError as error:
        raise RecordError(f"That value cannot be used for a briefing: {error}.") from error
    return records.update_record(project, "briefing", briefing_id, clean, loaded=loaded)


def _checked_title(title: str) -> str:
    title = str(title).strip()
    if not title:
        raise RecordError("A briefing needs a title.")
    return title


def _checked_zone(zone: str) -> str:
    reason = rules.check_value("briefing", "zone", zone)
    if reason is not None:
        raise RecordError(f"The briefing's zone: {reason}.")
    return zone


def _checked_time(value: datetime | str) -> datetime:
    reason = rules.check_value("briefing", "as_of", value)
    if reason is not None or value is None or value == "":
        raise RecordError(f"The as-of time {reason or 'is missing'}.")
    return times.parse_instant(value)


# ---------------------------------------------------------------------------- body edits


def _edit_body(
    project: ProjectStore,
    briefing_id: int,
    describe: str,
    edit: Callable[[dict[str, Any]], None],
    loaded: Stamp | None = None,
) -> Change:
    """Apply ``edit`` to a copy of the briefing's sections and judgments, then save them whole.

    The save expects the briefing as ``loaded`` (the composer's view of it) or, without
    one, as just read here: a colleague's edit in between is refused, never overwritten.
    """
    current = records.get_record(project, "briefing", briefing_id)
    body = {
        "sections": copy.deepcopy(current["sections"]),
        "judgments": copy.deepcopy(current["judgments"]),
    }
    edit(body)
    expected = loaded if loaded is not None else stamps.stamp_of(current)
    change = records.update_record(project, "briefing", briefing_id, body, loaded=expected)
    return dataclasses.replace(change, description=describe)


def _section_index(sections: list[dict[str, Any]], key: SectionKey) -> int:
    if isinstance(key, str):
        for index, section in enumerate(sections):
            if section["uuid"] == key:
                return index
        raise RecordError("That section is no longer in the briefing.")
    if not 0 <= key < len(sections):
        raise RecordError("That section is no longer in the briefing.")
    return key


def _heading(project: ProjectStore, briefing_id: int, key: SectionKey) -> str:
    sections = records.get_record(project, "briefing", briefing_id)["sections"]
    return short_title(sections[_section_index(sections, key)]["heading"])


def add_section(
    project: ProjectStore,
    briefing_id: int,
    heading: str = NEW_SECTION,
    index: int | None = None,
    *,
    loaded: Stamp | None = None,
) -> Change:
    def edit(body: dict[str, Any]) -> None:
        sections = body["sections"]
        at = len(sections) if index is None else max(0, min(index, len(sections)))
        sections.insert(at, {"heading": heading.strip() or NEW_SECTION, "body": "", "items": []})

    return _edit_body(project, briefing_id, f"Add section ‘{short_title(heading)}’", edit, loaded)


def remove_section(
    project: ProjectStore, briefing_id: int, key: SectionKey, *, loaded: Stamp | None = None
) -> Change:
    heading = _heading(project, briefing_id, key)

    def edit(body: dict[str, Any]) -> None:
        del body["sections"][_section_index(body["sections"], key)]

    return _edit_body(project, briefing_id, f"Remove section ‘{heading}’", edit, loaded)


def move_section(
    project: ProjectStore,
    briefing_id: int,
    key: SectionKey,
    to: int,
    *,
    loaded: Stamp | None = None,
) -> Change:
    """Move a section so that it ends up at position ``to``."""
    heading = _heading(project, briefing_id, key)

    def edit(body: dict[str, Any]) -> None:
        sections = body["sections"]
        section = sections.pop(_section_index(sections, key))
        sections.insert(max(0, min(to, len(sections))), section)

    return _edit_body(project, briefing_id, f"Move section ‘{heading}’", edit, loaded)


def edit_section(
    project: ProjectStore,
    briefing_id: int,
    key: SectionKey,
    heading: str | None = None,
    body: str | None = None,
    *,
    loaded: Stamp | None = None,
) -> Change:
    """Change a section's heading and/or its Markdown prose."""
    if heading is not None and not heading.strip():
        raise RecordError("A section needs a heading.")

    def edit(content: dict[str, Any]) -> None:
        section = content["sections"][_section_index(content["sections"], key)]
        if heading is not None:
            section["heading"] = heading.strip()
        if body is not None:
            section["body"] = body

    what = "heading" if body is None else "text" if heading is None else "heading and text"
    label = heading if heading is not None else _heading(project, briefing_id, key)
    return _edit_body(
        project, briefing_id, f"Edit section {what} of ‘{short_title(label)}’", edit, loaded
    )


# ---------------------------------------------------------------------------- items


def _uuids_of(project: ProjectStore, wanted: Sequence[tuple[str, int]]) -> list[tuple[str, str]]:
    """(kind, id) pairs → (kind, uuid) pairs, refusing kinds a section cannot hold."""
    result = []
    with project.engine.connect() as connection:
        for kind, record_id in wanted:
            if kind not in codec.ITEM_COLUMNS:
                raise RecordError(f"A {KIND_NAMES.get(kind, kind)} cannot go in a section.")
            found = codec.uuids_for_ids(connection, codec.table(kind), [record_id])
            if record_id not in found:
                raise RecordError(f"That {KIND_NAMES[kind]} no longer exists.")
            result.append((kind, found[record_id]))
    return result


def add_items(
    project: ProjectStore,
    briefing_id: int,
    wanted: Sequence[tuple[str, int]],
    section: SectionKey | None = None,
    position: int | None = None,
    *,
    loaded: Stamp | None = None,
) -> Change:
    """Add library records to a section (the last one by default) at ``position`` (the end).

    A record already in that section is not added twice; a briefing without
    sections gets one.
    """
    refs = list(dict.fromkeys(_uuids_of(project, wanted)))
    if not refs:
        raise RecordError("No records were given to add.")

    def edit(body: dict[str, Any]) -> None:
        sections = body["sections"]
        if not sections:
            sections.append({"heading": "Summary", "body": "", "items": []})
        index = len(sections) - 1 if section is None else _section_index(sections, section)
        items = sections[index]["items"]
        present = {(i["kind"], i.get("ref")) for i in items}
        fresh = [{"kind": k, "ref": r} for k, r in refs if (k, r) not in present]
        if not fresh:
            raise RecordError("Those records are already in that section.")
        at = len(items) if position is None else max(0, min(position, len(items)))
        items[at:at] = fresh

    count = f"{len(refs)} records" if len(refs) > 1 else f"a {KIND_NAMES[refs[0][0]]}"
    return _edit_body(project, briefing_id, f"Add {count} to the briefing", edit, loaded)


def add_map(
    project: ProjectStore,
    briefing_id: int,
    section: SectionKey | None = None,
    position: int | None = None,
    *,
    loaded: Stamp | None = None,
) -> Change:
    """Place the map of the briefing's events in a section (the last one by default)."""

    def edit(body: dict[str, Any]) -> None:
        sections = body["sections"]
        if not sections:
            sections.append({"heading": "Summary", "body": "", "items": []})
        index = len(sections) - 1 if section is None else _section_index(sections, section)
        items = sections[index]["items"]
        if any(i["kind"] == rules.MAP_ITEM for i in items):
            raise RecordError("That section already shows the map.")
        at = len(items) if position is None else max(0, min(position, len(items)))
        items.insert(at, {"kind": rules.MAP_ITEM})

    return _edit_body(project, briefing_id, "Add the map to the briefing", edit, loaded)


ItemKey = tuple[int, int]
"""An item's (section position, position within the section)."""


def _take_items(sections: list[dict[str, Any]], keys: Iterable[ItemKey]) -> list[dict[str, Any]]:
    """Remove and return the items at ``keys`` in outline order; refuses stale positions."""
    ordered = sorted(set(keys))
    taken = []
    for section_index, item_index in ordered:
        if not (0 <= section_index < len(sections)) or not (
            0 <= item_index < len(sections[section_index]["items"])
        ):
            raise RecordError("That item is no longer in the briefing.")
        taken.append(sections[section_index]["items"][item_index])
    for section_index, item_index in reversed(ordered):
        del sections[section_index]["items"][item_index]
    return taken


def remove_items(
    project: ProjectStore, briefing_id: int, keys: Sequence[ItemKey], *, loaded: Stamp | None = None
) -> Change:
    """Take items out of the briefing; the library records stay as they are."""
    if not keys:
        raise RecordError("No items are selected to remove.")

    def edit(body: dict[str, Any]) -> None:
        _take_items(body["sections"], keys)

    what = "an item" if len(set(keys)) == 1 else f"{len(set(keys))} items"
    return _edit_body(project, briefing_id, f"Remove {what} from the briefing", edit, loaded)


def move_items(
    project: ProjectStore,
    briefing_id: int,
    keys: Sequence[ItemKey],
    section: int,
    row: int,
    *,
    loaded: Stamp | None = None,
) -> Change:
    """Move items to ``section`` so the first lands before what is now at ``row`` there.

    ``row`` counts the items as they are before the move (as a drop target does).
    """
    if not keys:
        raise RecordError("No items are selected to move.")

    def edit(body: dict[str, Any]) -> None:
        sections = body["sections"]
        target = _section_index(sections, section)
        size = len(sections[target]["items"])
        at = size if row < 0 else min(row, size)
        at -= sum(1 for s, i in set(keys) if s == target and i < at)
        moved = _take_items(sections, keys)
        sections[target]["items"][at:at] = moved

    what = "an item" if len(set(keys)) == 1 else f"{len(set(keys))} items"
    return _edit_body(project, briefing_id, f"Move {what} in the briefing", edit, loaded)


# ---------------------------------------------------------------------------- key judgments


def _judgment_values(text_: str, likelihood: str, confidence: str) -> dict[str, str]:
    if not text_.strip():
        raise RecordError("A key judgment needs its text.")
    try:
        return {
            "text": text_.strip(),
            "likelihood": Likelihood(likelihood).value,
            "confidence": Confidence(confidence).value,
        }
    except ValueError as error:
        raise RecordError(f"That is not an ICD 203 term: {error}.") from error


def add_judgment(
    project: ProjectStore,
    briefing_id: int,
    text_: str,
    likelihood: str = Likelihood.ROUGHLY_EVEN.value,
    confidence: str = Confidence.LOW.value,
    *,
    loaded: Stamp | None = None,
) -> Change:
    values = _judgment_values(text_, likelihood, confidence)

    def edit(body: dict[str, Any]) -> None:
        body["judgments"].append(values)

    return _edit_body(project, briefing_id, "Add a key judgment", edit, loaded)


def _judgment_index(judgments: list[dict[str, Any]], index: int) -> int:
    if not 0 <= index < len(judgments):
        raise RecordError("That key judgment is no longer in the briefing.")
    return index


def edit_judgment(
    project: ProjectStore,
    briefing_id: int,
    index: int,
    *,
    loaded: Stamp | None = None,
    **values: str,
) -> Change:
    """Change a key judgment's text, likelihood term or confidence."""

    def edit(body: dict[str, Any]) -> None:
        judgment = body["judgments"][_judgment_index(body["judgments"], index)]
        merged = {**judgment, **values}
        judgment.update(
            _judgment_values(merged["text"], merged["likelihood"], merged["confidence"])
        )

    what = next(iter(values)) if len(values) == 1 else "judgment"
    return _edit_body(project, briefing_id, f"Edit key judgment {index + 1} ({what})", edit, loaded)


def remove_judgment(
    project: ProjectStore, briefing_id: int, index: int, *, loaded: Stamp | None = None
) -> Change:
    def edit(body: dict[str, Any]) -> None:
        del body["judgments"][_judgment_index(body["judgments"], index)]

    return _edit_body(project, briefing_id, f"Remove key judgment {index + 1}", edit, loaded)


def move_judgment(
    project: ProjectStore, briefing_id: int, index: int, to: int, *, loaded: Stamp | None = None
) -> Change:
    def edit(body: dict[str, Any]) -> None:
        judgments = body["judgments"]
        judgment = judgments.pop(_judgment_index(judgments, index))
        judgments.insert(max(0, min(to, len(judgments))), judgment)

    return _edit_body(project, briefing_id, f"Move key judgment {index + 1}", edit, loaded)
