"""The brief's optional "Changes since edition N" section: what was added, removed, changed.

A reader of edition 3 who has read edition 2 wants the differences first, not
the whole brief again. The section follows the key judgments: one table per kind
of change, each changed item with its fields, old beside new. Long texts are
shortened; the brief itself holds them in full. What the marking rule keeps out
of the document was left out before it reaches this module; a sentence says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher

from reportlab.platypus import Flowable, TableStyle

from briefing.export.markdown import prose_blocks
from briefing.export.styles import FRAME_WIDTH, HEADER_SHADE, RULE, Styles
from briefing.export.tables import BriefTable
from briefing.export.text import CachedParagraph, plain
from briefing.model.times import as_utc, clock_text, day_text, utc_suffix

REMOVED = "#B00020"
ADDED = "#1B5E20"
LONGEST = 280
"""Characters of an old or new value printed; a bottom line rewritten is not printed twice."""


@dataclass(frozen=True)
class FieldShift:
    """One field that changed: its label, the old and the new text."""

    label: str
    old: str
    new: str


@dataclass(frozen=True)
class PartChange:
    """A section, key judgment or item added, removed or changed (with its fields)."""

    kind: str
    title: str
    section: str = ""
    fields: tuple[FieldShift, ...] = ()


@dataclass(frozen=True)
class EditionChanges:
    """What changed since edition ``since``: in edition ``edition``, or in the draft if None."""

    since: int
    since_frozen_at: datetime
    since_frozen_by: str
    edition: int | None
    cover: tuple[FieldShift, ...]
    added: tuple[PartChange, ...]
    removed: tuple[PartChange, ...]
    changed: tuple[PartChange, ...]
    withheld: bool = False
    """Changes concerning records the document's marking keeps out were left out."""
    sealed: bool = False
    """No change can be shown: a compared edition was frozen under a stricter label."""
    records: tuple[tuple[str, str], ...] = ()
    """(kind, uuid) of the records whose items the section shows, for a look-up before writing."""

    @property
    def title(self) -> str:
        return f"Changes since edition {self.since}"


CONTEXT = 12
"""Unchanged words kept on each side of a change in a long field."""


def _words(text: str) -> list[str]:
    """The field as words, Markdown rendered to its text (no ``**`` left)."""
    blocks = prose_blocks(text)
    return " ".join("".join(span.text for span in b.spans) for b in blocks).split()


def word_diff(old: str, new: str) -> tuple[str, str]:
    """Markup for the old and new value: removed words struck through, added words marked.

    A long field is shown around the change: the changed words with :data:`CONTEXT`
    words either side, the rest as "…".
    """
    a, b = _words(old), _words(new)
    if not a or not b:
        return (_whole(a) if a else "—"), (_whole(b) if b else "—")
    out_a: list[str] = []
    out_b: list[str] = []
    codes = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(codes):
        if tag == "equal":
            kept = _around(a[i1:i2], index == 0, index == len(codes) - 1)
            out_a.append(kept)
            out_b.append(kept)
            continue
        if i2 > i1:
            gone = plain(" ".join(a[i1:i2]))
            out_a.append(f'<strike><font color="{REMOVED}">{gone}</font></strike>')
        if j2 > j1:
            out_b.append(f'<u><font color="{ADDED}">{plain(" ".join(b[j1:j2]))}</font></u>')
    return " ".join(p for p in out_a if p), " ".join(p for p in out_b if p)


def _short(text: str) -> str:
    """A value shortened to :data:`LONGEST` characters (the Word changes table's cells)."""
    text = " ".join(text.split())
    return text if len(text) <= LONGEST else text[: LONGEST - 1] + "…"


def _whole(words: list[str]) -> str:
    text = " ".join(words)
    return plain(text if len(text) <= LONGEST else text[: LONGEST - 1] + "…")


def _around(words: list[str], first: bool, last: bool) -> str:
    """Unchanged words: all of them when few, else only those next to a change."""
    if len(words) <= 2 * CONTEXT:
        return plain(" ".join(words))
    head = [] if first else words[:CONTEXT]
    tail = [] if last else words[-CONTEXT:]
    return " ".join(p for p in (plain(" ".join(head)), "…", plain(" ".join(tail))) if p)


def intro(changes: EditionChanges) -> str:
    """The sentence above the tables: which two versions are compared."""
    frozen = changes.since_frozen_at
    frozen = as_utc(frozen)
    when = f"{day_text(frozen)} {clock_text(frozen)} {utc_suffix(frozen)}"
    by = f" by {changes.since_frozen_by}" if changes.since_frozen_by.strip() else ""
    since = f"edition {changes.since} (frozen {when}{by})"
    what = f"Edition {changes.edition}" if changes.edition is not None else "This version"
    counts = (
        f"{len(changes.added)} added, {len(changes.removed)} removed, "
        f"{len(changes.changed) + bool(changes.cover)} changed"
    )
    if changes.sealed:
        return (
            f"{what} compared with {since}: not shown, because that comparison holds text "
            "marked more strictly than this document."
        )
    withheld = (
        " Changes concerning records marked more strictly than this document, or deleted "
        "since, are not shown."
        if changes.withheld
        else ""
    )
    return f"{what} compared with {since}: {counts}.{withheld}"


def _table(
    rows: list[list[Flowable]], widths: list[float], ends: list[int] | None = None
) -> BriefTable:
    """A table with a rule below the header and below each row in ``ends`` (default: all)."""
    table = BriefTable(rows, colWidths=widths, repeatRows=1)
    rules = [("LINEBELOW", (0, 0), (-1, 0), 0.3, RULE)]
    if ends is None:
        rules.append(("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE))
    else:
        rules += [("LINEBELOW", (0, row), (-1, row), 0.3, RULE) for row in ends]
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_SHADE),
                *rules,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _listing(parts: tuple[PartChange, ...], st: Styles) -> BriefTable:
    head = [CachedParagraph(h, st.cell_head) for h in ("What", "Title", "In section")]
    rows: list[list[Flowable]] = [head]
    for part in parts:
        rows.append(
            [
                CachedParagraph(plain(part.kind.capitalize()), st.cell),
                CachedParagraph(plain(part.title), st.cell_bold),
                CachedParagraph(plain(part.section), st.cell),
            ]
        )
    return _table(rows, [80, FRAME_WIDTH - 80 - 130, 130])


def _changed(changes: EditionChanges, st: Styles) -> BriefTable:
    head = [CachedParagraph(h, st.cell_head) for h in ("What", "Field", "Before", "After")]
    rows: list[list[Flowable]] = [head]
    ends: list[int] = []
    parts = list(changes.changed)
    if changes.cover:
        parts.insert(0, PartChange("cover", "title page and bottom line", "", changes.cover))
    for part in parts:
        where = f" <font color='#5A6270'>in {plain(part.section)}</font>" if part.section else ""
        what = f"{plain(part.kind.capitalize())}: <b>{plain(part.title)}</b>{where}"
        for index, shift in enumerate(part.fields):
            rows.append(
                [
                    CachedParagraph(what if index == 0 else "", st.cell),
                    CachedParagraph(plain(shift.label), st.cell),
                    *(CachedParagraph(m, st.cell) for m in word_diff(shift.old, shift.new)),
                ]
            )
        ends.append(len(rows) - 1)
    rest = FRAME_WIDTH - 150 - 70
    return _table(rows, [150, 70, rest / 2, rest / 2], ends)


def changes_flowables(changes: EditionChanges, st: Styles) -> list[Flowable]:
    """The section's body (its heading is the story builder's)."""
    flow: list[Flowable] = [CachedParagraph(plain(intro(changes)), st.body)]
    for title, parts in (("Added", changes.added), ("Removed", changes.removed)):
        if parts:
            heading = CachedParagraph(title, st.block_heading)
            heading._heading = True  # type: ignore[attr-defined]
            flow += [heading, _listing(parts, st)]
    if changes.changed or changes.cover:
        heading = CachedParagraph("Changed", st.block_heading)
        heading._heading = True  # type: ignore[attr-defined]
        flow += [heading, _changed(changes, st)]
    return flow
