"""The cover's line saying what a brief holds, the same in PDF and Word.

The counts are of the records this briefing includes, not of the project (whose
totals ``briefing info`` lists), and the line says so in its first words.
"""

from __future__ import annotations

from briefing.export.snapshot import AllianceBlock, BriefingSnapshot, StatementBlock
from briefing.model.times import day_text
from briefing.model.vocab import counted


def scope_line(snapshot: BriefingSnapshot) -> str:
    """What the briefing includes, counted by kind ("" when it includes nothing).

    For example "This briefing includes 2 key judgments, 5 timeline entries (…)
    and 6 sources."
    """
    blocks = [block for section in snapshot.sections for block in section.blocks]
    statements = {
        s.uuid
        for block in blocks
        if isinstance(block, StatementBlock)
        for top in block.statements
        for s in (top, *top.contradicts)
    }
    alliances = [block for block in blocks if isinstance(block, AllianceBlock)]
    ties = {r.uuid for block in alliances for r in block.relationships}
    parts = []
    if snapshot.judgments:
        parts.append(counted("key judgment", len(snapshot.judgments)))
    entries = snapshot.timeline()
    if entries:
        first = min(e.start.utc for e in entries)
        last = max(e.start.utc for e in entries)
        span = day_text(first)
        if first.date() != last.date():
            span = f"{day_text(first)} to {day_text(last)}"
        parts.append(f"{counted('entry', len(entries))} ({span})")
    if statements:
        parts.append(counted("statement", len(statements)))
    if ties:
        parts.append(counted("relationship", len(ties)))
    if snapshot.sources:
        parts.append(counted("source", len(snapshot.sources)))
    if not parts:
        return ""
    listed = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
    return f"This briefing includes {listed}."
