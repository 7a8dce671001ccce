"""What a JSON or STIX import did, in the words the command line and the window both show."""

from __future__ import annotations

from typing import Protocol

from briefing.model.vocab import counted


class RecordChanges(Protocol):
    """Records added, updated and left unchanged, counted per kind."""

    added: dict[str, int]
    updated: dict[str, int]
    unchanged: dict[str, int]


def summary_lines(name: str, changes: RecordChanges) -> list[str]:
    """One sentence (a status bar's), then a line of the records of each kind.

    A document imported again says its records were all there already, unchanged.
    """
    added, updated = sum(changes.added.values()), sum(changes.updated.values())
    unchanged = sum(changes.unchanged.values())
    lines = [
        f"Imported {name}: {counted('record', added)} added, {updated} updated, "
        f"{unchanged} unchanged."
    ]
    parts = (("added", changes.added), ("updated", changes.updated))
    for label, counts in (*parts, ("unchanged", changes.unchanged)):
        if counts:
            lines.append(f"  {label}: " + ", ".join(counted(k, n) for k, n in counts.items()))
    return lines
