"""What a merge will not take from the other file, decided before anything touches ours.

The other file is first verified like any file that is opened (read-only:
:func:`briefing.store.open_project`). Then, for the parts a merge would copy:

- A record (added, replacing ours, or offered as theirs in a conflict) that
  breaks the model's rules (:mod:`briefing.model.rules`) is left out, with each
  broken rule listed by record and field.
- A record, deletion (tombstone) or frozen edition stamped more than
  :data:`FUTURE_TOLERANCE` after the moment of the merge is left out: a clock that
  far ahead is wrong (or the stamp forged), and a stamp from the future would win
  every later merge. A day covers clocks set to the wrong zone or a little off.
- A deletion whose kind is not the kind of the record it would delete is left
  out (a deletion names a record by UUID; the kind must agree).
- A frozen edition whose content is not of the shape the program freezes.

Left-out parts are listed in the merge's summary, the command line's output and
dry run, and the window's merge dialog; nothing of them is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from briefing.model import rules
from briefing.model.base import to_utc_text, utc_now
from briefing.model.codec import stored_time
from briefing.model.vocab import KIND_NAMES
from briefing.store.values import snapshot_reason

FUTURE_TOLERANCE = timedelta(days=1)
"""How far after the merge a stamp of the other file may lie and still be believed."""


@dataclass(frozen=True)
class LeftOut:
    """One part of the other file a merge does not take, and why, in one sentence."""

    kind: str
    uuid: str
    sentence: str


def horizon() -> str:
    """The latest stamp believed now, in the stored form (fixed-width text orders as time)."""
    return to_utc_text(utc_now() + FUTURE_TOLERANCE)


def _stored(value: Any) -> str | None:
    try:
        return stored_time(value)
    except ValueError:
        return None


def record_problems(kind: str, record: Mapping[str, Any], limit: str) -> list[str]:
    """Why a record of theirs may not be copied (each one sentence); empty if it may."""
    problems = [p.sentence() for p in rules.check_record(kind, record)]
    if problems:
        return problems
    for key in ("created_at", "updated_at"):
        stamp = _stored(record.get(key))
        if stamp is not None and stamp > limit:
            name = rules.record_name(kind, record)
            problems.append(
                f"{name[:1].upper()}{name[1:]}: field '{key}' lies more than a day in the "
                "future (a wrong clock or a forged stamp)."
            )
    return problems


def tombstone_problem(tomb_kind: str, tomb_at: str, kind: str, name: str, limit: str) -> str:
    """Why their deletion of our record ``name`` of ``kind`` is not obeyed; empty if it is."""
    if tomb_kind != kind:
        known = KIND_NAMES.get(tomb_kind, "record of an unknown kind")
        return (
            f"The deletion of {name} was left out: it names a {rules.shown(known)}, "
            f"not a {KIND_NAMES[kind]}."
        )
    if tomb_at > limit:
        return (
            f"The deletion of {name} was left out: it is dated more than a day in the "
            "future (a wrong clock or a forged stamp)."
        )
    return ""


def edition_problem(edition: Mapping[str, Any], limit: str) -> str:
    """Why a frozen edition of theirs is not copied; empty if it may be."""
    where = f"Edition {edition['number']} of a briefing"
    frozen_at = edition.get("frozen_at")
    if not isinstance(frozen_at, str) or frozen_at > limit:
        return f"{where} was left out: it is dated more than a day in the future."
    reason = snapshot_reason(edition.get("snapshot"))
    return f"{where} was left out: its frozen content {reason}." if reason else ""
