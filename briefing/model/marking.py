"""The marking rule: what a copy or a document marked at a TLP label may hold.

Every writer that lets project text leave the desk asks this module, and only
this module: share copies (``services/share``), PDFs and Word documents and
their "Changes since edition N" section (``export/markings``,
``services/edition_section``), JSON exports with ``--max-tlp``
(``io/jsondoc``), the composer's warning, and every door to come (STIX, MISP).

The rule, for a copy or document marked ``ceiling``:

1. A record may go in when its own label is no stricter than the ceiling
   (:func:`releasable`). A label the program does not know counts as stricter.
2. Whatever carries a record's text goes with it: briefing items pointing at it,
   links to it (contradictions, an entry's parties, sources and casualty claims, a statement's
   speaker, entry and source, a party's parent), and a record that cannot exist
   without it (a relationship whose party is out is out too).
3. Frozen text (an edition's snapshot) counts with the stricter of the record's
   label when it was frozen and its label now; a record deleted since counts as
   not releasable (:func:`frozen_releasable`). The names an item's frozen text
   gives to other records (a party, a source, a contradicted quote) count the
   same way; in editions frozen before those names carried their labels, a name
   counts only if a releasable record of that kind bears it today.
4. A briefing stricter than the ceiling is out with all its editions; an
   edition frozen while its briefing was stricter is out. Unreadable frozen text
   is out.
5. The export history names files written at any label: it is never released.
   Tombstones hold a UUID, a kind, a time and an analyst's name, no record text,
   and travel so that deletions reach colleagues. Undo data is kept in memory
   only (the window's undo stack, a merge's undo); nothing of it is in the file.

The API:

- :func:`releasable` (``label``, ``ceiling``) → bool: rule 1 for one label.
- :func:`stricter_labels` (``ceiling``): the stored labels that are out, for SQL.
- :func:`frozen_releasable` (``frozen``, ``current``, ``ceiling``): rule 3.
- :class:`ReleaseFilter` (``connection``, ``ceiling``): the rule applied to the
  records a file holds now, read once per kind:

  - ``allowed(kind)``: the UUIDs that may go in; ``allows(kind, uuid)``.
  - ``trim(kind, record)`` / ``trim_all(kind, records)``: codec records (see
    :mod:`briefing.model.codec`) without links to what is out; a record that is
    out itself is left out. A door that writes records (JSON, STIX, MISP) passes
    what it writes through these.
  - ``allows_frozen(kind, uuid, frozen_label)``: rule 3 for one frozen record.
  - ``edition_allowed(snapshot)``: may a whole edition go in (a share copy)?
  - ``redact_edition(snapshot)``: the edition without the items that may not go
    in, or None; ``withheld`` lists those items and ``without_withheld(items)``
    drops them from another edition too, so a comparison printed in a document
    (the changes section) shows nothing that was only hidden.

A door that prints a briefing (PDF, Word) lists every record whose text it
prints with its label and refuses a label under any of them
(:mod:`briefing.export.markings`, asking :func:`releasable`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from briefing.model import codec
from briefing.model.codec.sql import fetch
from briefing.model.rules import CLAIM_REFERENCES, MAP_ITEM
from briefing.model.vocab import Tlp

NAME_SQL = {
    "party": "SELECT uuid, name, tlp FROM party",
    "source": "SELECT uuid, title, tlp FROM source",
    "entry": "SELECT uuid, title, tlp FROM timeline_entry",
    "statement": "SELECT uuid, quote, tlp FROM statement",
    "relationship": "SELECT uuid, title, tlp FROM relationship",
}
"""Per kind: the UUID, the name other records' frozen text gives it, and its label."""

NAME_LENGTH = 80
"""Characters of a name kept in frozen text."""

_LINK_LISTS = {"sources": "source", "contradicts": "statement"}
"""Link lists of codec records (UUIDs) and the kind they point at; ``parties`` apart."""


def label_of(value: object) -> Tlp | None:
    """The TLP label a stored value names, or None for anything else."""
    try:
        return Tlp(str(value)) if value is not None else None
    except ValueError:
        return None


_RANKS = {t.value: rank for rank, t in enumerate(Tlp)}


def releasable(label: object, ceiling: Tlp | str) -> bool:
    """Whether a record marked ``label`` may go into a copy or document marked ``ceiling``."""
    rank = _RANKS.get(label) if isinstance(label, str) else None
    return rank is not None and rank <= _RANKS[Tlp(ceiling).value]


def stricter_labels(ceiling: Tlp | str) -> tuple[str, ...]:
    """The labels a copy marked ``ceiling`` leaves out, as stored."""
    return tuple(t.value for t in Tlp if t.rank > Tlp(ceiling).rank)


def frozen_releasable(frozen: object, current: object, ceiling: Tlp | str) -> bool:
    """Frozen text of a record: the stricter of its two labels counts; deleted (None) is out.

    ``frozen`` may be None when the frozen text did not record a label: then the
    current label alone decides.
    """
    if not releasable(current, ceiling):
        return False
    return frozen is None or releasable(frozen, ceiling)


def shorten(value: str, limit: int = NAME_LENGTH) -> str:
    """Text on one line, cut with an ellipsis beyond ``limit`` characters (as frozen)."""
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


@functools.cache
def _references(kind: str) -> tuple[tuple[str, str], ...]:
    """(field, kind referred to) of each reference field of ``kind``."""
    return tuple((f.key, f.ref_kind) for f in codec.fields(kind) if f.ref_kind is not None)


def frozen_names(kind: str, record: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(kind, name) of every other record an edition item's frozen content names."""
    for key, ref_kind in _references(kind):
        value = record.get(key)
        if isinstance(value, str) and value:
            yield ref_kind, value
    for text in record.get("parties") or []:
        if isinstance(text, str):
            yield "party", text.rsplit(" (", 1)[0]
    for key, ref_kind in _LINK_LISTS.items():
        for text in record.get(key) or []:
            if isinstance(text, str):
                yield ref_kind, text


@dataclass
class ReleaseFilter:
    """The marking rule applied to the records a file holds now, for a copy marked ``ceiling``.

    What each kind allows is read once, on first use, with one query per kind.
    """

    connection: Connection
    ceiling: Tlp
    _allowed: dict[str, set[str]] = field(default_factory=dict, repr=False)
    _names: dict[str, set[str]] = field(default_factory=dict, repr=False)
    withheld: set[tuple[str, str]] = field(default_factory=set)
    """(kind, uuid) of the items :meth:`redact_edition` left out so far."""

    def __post_init__(self) -> None:
        self.ceiling = Tlp(self.ceiling)

    # ------------------------------------------------------------------ records

    def allowed(self, kind: str) -> set[str]:
        """UUIDs of the records of ``kind`` a copy at the ceiling may hold (rules 1 and 2)."""
        if kind not in self._allowed:
            self._allowed[kind] = self._load(kind)
        return self._allowed[kind]

    def _load(self, kind: str) -> set[str]:
        required = [
            f for f in codec.fields(kind) if f.ref_kind is not None and not f.column.nullable
        ]
        columns = ", ".join(["t.uuid", "t.tlp", *(f"t.{f.column.name}" for f in required)])
        rows = fetch(self.connection, f"SELECT {columns} FROM {codec.TABLE_NAMES[kind]} t")
        parents = {
            f.column.name: dict(
                fetch(self.connection, f"SELECT id, uuid FROM {codec.TABLE_NAMES[f.ref_kind]}")
            )
            for f in required
            if f.ref_kind is not None
        }
        found = set()
        for row in rows:
            if not releasable(row[1], self.ceiling):
                continue
            refs = zip(required, row[2:], strict=True)
            if all(
                f.ref_kind is not None
                and parents[f.column.name].get(value) in self.allowed(f.ref_kind)
                for f, value in refs
            ):
                found.add(row[0])
        return found

    def allows(self, kind: str, uuid: object) -> bool:
        """Whether the record ``uuid`` of ``kind`` (or text naming it) may go into the copy."""
        return isinstance(uuid, str) and uuid in self.allowed(kind)

    def trim(self, kind: str, record: dict[str, Any]) -> dict[str, Any] | None:
        """A codec record as the copy may hold it: None if it is out, else without links out."""
        if not self.allows(kind, record.get("uuid")):
            return None
        kept = dict(record)
        for key, ref_kind in _references(kind):
            value = kept.get(key)
            if value is not None and not self.allows(ref_kind, value):
                kept[key] = None
        if "parties" in kept:
            kept["parties"] = [p for p in kept["parties"] if self.allows("party", p.get("party"))]
        for key, ref_kind in _LINK_LISTS.items():
            if key in kept:
                kept[key] = [u for u in kept[key] if self.allows(ref_kind, u)]
        if "claims" in kept:
            kept["claims"] = [self._trim_claim(c) for c in kept["claims"]]
            kept["claims"] = [c for c in kept["claims"] if c is not None]
        if "sections" in kept:
            kept["sections"] = [
                {**s, "items": [i for i in s["items"] if self._item_kept(i)]}
                for s in kept["sections"]
            ]
        return kept

    def _item_kept(self, item: dict[str, Any]) -> bool:
        return item["kind"] == MAP_ITEM or self.allows(item["kind"], item["ref"])

    def _trim_claim(self, claim: dict[str, Any]) -> dict[str, Any] | None:
        """A claim about a party that is out is out; a claimant or source that is out is cut."""
        if claim.get("party") is not None and not self.allows("party", claim["party"]):
            return None
        kept = dict(claim)
        for key, ref_kind in CLAIM_REFERENCES.items():
            if kept.get(key) is not None and not self.allows(ref_kind, kept[key]):
                kept[key] = None
        return kept

    def trim_all(self, kind: str, records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """:meth:`trim` over many records, leaving out those that are out."""
        return [r for r in (self.trim(kind, record) for record in records) if r is not None]

    # ------------------------------------------------------------------ frozen text

    def _names_of(self, kind: str) -> set[str]:
        if kind not in self._names:
            rows = fetch(self.connection, NAME_SQL[kind])
            self._names[kind] = {
                shorten(str(name)) for uuid, name, _ in rows if uuid in self.allowed(kind)
            }
        return self._names[kind]

    def allows_frozen(self, kind: str, uuid: object, frozen: object) -> bool:
        """Rule 3: whether text frozen while the record was marked ``frozen`` may go in now."""
        now = self.ceiling if self.allows(kind, uuid) else None  # None: out, or deleted since
        return frozen_releasable(frozen, now, self.ceiling)

    def _item_allowed(self, item: dict[str, Any]) -> bool:
        """Rule 3 for one frozen item: the record it froze and every record it names."""
        kind, record = item.get("kind"), item.get("record")
        if kind == MAP_ITEM:
            return True  # a map names no record: what it shows is checked as the items are
        if kind not in NAME_SQL or not isinstance(record, dict):
            return False
        if not isinstance(item.get("ref"), str):
            return False
        if record and not self.allows_frozen(kind, item.get("ref"), record.get("tlp")):
            return False
        refs = item.get("refs")
        if isinstance(refs, list):
            return all(
                isinstance(ref, list)
                and len(ref) == 3
                and ref[0] in NAME_SQL
                and self.allows_frozen(ref[0], ref[1], ref[2])
                for ref in refs
            )
        return all(
            name in ("", "?") or shorten(name) in self._names_of(ref_kind)
            for ref_kind, name in frozen_names(kind, record)
        )

    def _briefing_allowed(self, snapshot: Any) -> bool:
        if not isinstance(snapshot, dict) or not isinstance(snapshot.get("briefing"), dict):
            return False
        briefing = snapshot["briefing"]
        return self.allows_frozen("briefing", briefing.get("uuid"), briefing.get("tlp"))

    def edition_allowed(self, snapshot: Any) -> bool:
        """Whether an edition's frozen text may go into the copy whole (rules 3 and 4)."""
        if not self._briefing_allowed(snapshot):
            return False
        try:
            return all(
                self._item_allowed(item) for s in snapshot["sections"] for item in s["items"]
            )
        except (KeyError, TypeError, AttributeError, RecursionError):
            return False

    def redact_edition(self, snapshot: Any) -> dict[str, Any] | None:
        """The edition's frozen text without the items that may not go in; None if none may.

        Items left out are added to :attr:`withheld`; a comparison of two editions
        leaves those out of both (see :meth:`without_withheld`).
        """
        if not self._briefing_allowed(snapshot):
            return None
        try:
            sections = [
                {**section, "items": list(section["items"])} for section in snapshot["sections"]
            ]
            for section in sections:
                for item in section["items"]:
                    if not self._item_allowed(item):
                        self.withheld.add((str(item.get("kind")), str(item.get("ref"))))
                section["items"] = self.without_withheld(section["items"])
        except (KeyError, TypeError, AttributeError, RecursionError):
            return None
        return {**snapshot, "sections": sections}

    def without_withheld(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Frozen items but those withheld anywhere, so none shows as added or removed."""
        return [i for i in items if (str(i.get("kind")), str(i.get("ref"))) not in self.withheld]
