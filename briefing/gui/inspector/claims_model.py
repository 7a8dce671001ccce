"""The claims table's model: an entry's claims as rows, each cell read and written as text.

The model holds a copy of the entry's claims (codec dicts) while they are edited;
typed text that cannot be read is refused with a sentence and never kept.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from briefing.export.claim_words import (
    UNSPECIFIED,
    UnreadableFigures,
    figures_text,
    parse_figures,
    quoted,
    side_text,
)
from briefing.gui.inspector.fields import Invalid
from briefing.gui.plain_tip import plain_tip
from briefing.model.claim_figures import ClaimFigures, count
from briefing.model.times import document_text, parse_instant
from briefing.model.vocab import ClaimCategory, ClaimSide

AnyIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

AFFECTED, WHAT, FIGURE, CLAIMANT, SOURCE, CLAIMED, WORDS = range(7)
HEADERS = ("Affected", "What", "Figure", "Claimant", "Source", "Claimed", "Words")
TIPS = (
    "The side the figure is about: a party, civilians, or unknown",
    "What is counted",
    "49 · 40–60 · 40–60 (49) · at least 3 · up to 12; empty if no figure was given "
    "(then the claimant's words show here, in grey)",
    "Who claims it",
    "Where the claim was published",
    "The day it was claimed, e.g. 2021-11-16",
    "The claimant's own words, e.g. ‘up to a dozen’",
)
RULE_COLUMNS = {
    "side": AFFECTED, "party": AFFECTED, "category": WHAT, "low": FIGURE, "best": FIGURE,
    "high": FIGURE, "words": WORDS, "claimant": CLAIMANT, "source": SOURCE, "claimed_at": CLAIMED,
}  # fmt: skip
WIDEST = (100, 72, 110, 110, 120, 84, 160)
"""Widest a column starts (pixels), so the claimant shows in a narrow inspector; tips hold all."""
PARTY_PREFIX = "party:"
MUTED = QColor("#6B6B6B")


def new_claim(like: dict[str, Any] | None = None) -> dict[str, Any]:
    """A claim to fill in; it takes the claimant, source and day of ``like`` (the one above)."""
    claim: dict[str, Any] = {
        "side": ClaimSide.UNKNOWN.value, "party": None, "category": ClaimCategory.KILLED.value,
        "low": None, "best": None, "high": None, "words": "",
        "claimant": None, "source": None, "claimed_at": None,
    }  # fmt: skip
    for key in ("claimant", "source", "claimed_at"):
        if like is not None:
            claim[key] = like.get(key)
    return claim


def day_text(stored: str | None) -> str:
    """``2021-11-16``, or ``2021-11-16 14:30`` when the claim was timed (UTC)."""
    if not stored:
        return ""
    try:
        moment = parse_instant(stored)
    except ValueError:
        return str(stored)
    if (moment.hour, moment.minute) == (0, 0):
        return f"{moment.year:04d}-{moment:%m-%d}"
    return f"{moment.year:04d}-{moment:%m-%d %H:%M}"


def parse_day(typed: str) -> str | None:
    """A typed day (or day and time, UTC) → document time text; Invalid if it is not one."""
    text = typed.strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace(" ", "T"))
    except ValueError:
        raise Invalid(f"‘{text}’ is not a day: write it as 2021-11-16.") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return document_text(moment)


class ClaimsModel(QAbstractTableModel):
    """The claims being edited (codec dicts); a refused input is announced, not kept."""

    edited = Signal()
    refused = Signal(str)

    def __init__(self, name: Callable[[str, str], str], parent: Any = None) -> None:
        super().__init__(parent)
        self.claims: list[dict[str, Any]] = []
        self.read_only = False
        self._name = name

    def set_claims(self, claims: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.claims = copy.deepcopy(claims)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.claims)

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            if role == Qt.ItemDataRole.DisplayRole:
                return HEADERS[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return TIPS[section]
        elif orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        found = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return found if self.read_only else found | Qt.ItemFlag.ItemIsEditable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.claims):
            return None
        claim, column = self.claims[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._shown(claim, column)
        if role == Qt.ItemDataRole.EditRole:
            return self._raw(claim, column)
        if role == Qt.ItemDataRole.ToolTipRole:  # the whole claim: a narrow dock hides columns
            whole = "\n".join(
                f"{HEADERS[c]}: {self._shown(claim, c) or '—'}" for c in range(len(HEADERS))
            )
            return plain_tip(f"{self._shown(claim, column) or TIPS[column]}\n\n{whole}")
        if role == Qt.ItemDataRole.ForegroundRole and column == FIGURE:
            return MUTED if not _figures(claim) else None
        return None

    def _shown(self, claim: dict[str, Any], column: int) -> str:
        if column == AFFECTED:
            if claim.get("side") == ClaimSide.PARTY.value and claim.get("party"):
                return self._name("party", claim["party"])
            return side_text(str(claim.get("side") or ""))
        if column == WHAT:
            return str(claim.get("category") or "")
        if column == FIGURE:
            return _figures(claim) or quoted(str(claim.get("words") or "")) or UNSPECIFIED
        if column == WORDS:
            return str(claim.get("words") or "")
        if column == CLAIMANT:
            return self._name("party", claim["claimant"]) if claim.get("claimant") else ""
        if column == SOURCE:
            return self._name("source", claim["source"]) if claim.get("source") else ""
        return day_text(claim.get("claimed_at"))

    @staticmethod
    def _raw(claim: dict[str, Any], column: int) -> Any:
        """What an editor starts from: a choice's value, or the text to edit."""
        if column == AFFECTED:
            if claim.get("side") == ClaimSide.PARTY.value and claim.get("party"):
                return PARTY_PREFIX + claim["party"]
            return claim.get("side")
        return {
            WHAT: claim.get("category"),
            FIGURE: _figures(claim),
            WORDS: claim.get("words") or "",
            CLAIMANT: claim.get("claimant"),
            SOURCE: claim.get("source"),
            CLAIMED: day_text(claim.get("claimed_at")),
        }[column]

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.read_only:
            return False
        try:
            values = _values(index.column(), value)
        except Invalid as problem:
            self.refused.emit(str(problem))
            return False
        claim = self.claims[index.row()]
        if all(claim.get(k) == v for k, v in values.items()):
            return False
        claim.update(values)
        self.dataChanged.emit(index.siblingAtColumn(0), index.siblingAtColumn(len(HEADERS) - 1))
        self.edited.emit()
        return True

    def add(self, at: int | None = None) -> int:
        """Add a claim to fill in (not saved until it says something); its row."""
        row = len(self.claims) if at is None else at
        like = self.claims[row - 1] if row > 0 else None
        self.beginInsertRows(_ROOT, row, row)
        self.claims.insert(row, new_claim(like))
        self.endInsertRows()
        return row

    def remove(self, row: int) -> bool:
        if not 0 <= row < len(self.claims) or self.read_only:
            return False
        self.beginRemoveRows(_ROOT, row, row)
        del self.claims[row]
        self.endRemoveRows()
        self.edited.emit()
        return True


def _figures(claim: dict[str, Any]) -> str:
    """The figures as written everywhere; stored values that are no count, as they are."""
    stored = [claim.get(k) for k in ("low", "best", "high")]
    if any(v is not None and count(v) is None for v in stored):
        return " / ".join(str(v) for v in stored if v is not None)
    return figures_text(ClaimFigures("", "", *stored))


def _values(column: int, value: Any) -> dict[str, Any]:
    """The claim's fields an editor's value sets; Invalid for text that cannot be read."""
    if column == AFFECTED:
        text = str(value or "")
        if text.startswith(PARTY_PREFIX):
            return {"side": ClaimSide.PARTY.value, "party": text[len(PARTY_PREFIX) :]}
        return {"side": text, "party": None}
    if column == WHAT:
        return {"category": value}
    if column == FIGURE:
        try:
            found = parse_figures(str(value or ""))
        except UnreadableFigures as problem:
            raise Invalid(str(problem)) from None
        return {"low": found.low, "best": found.best, "high": found.high}
    if column == WORDS:
        return {"words": " ".join(str(value or "").split())}
    if column == CLAIMANT:
        return {"claimant": value or None}
    if column == SOURCE:
        return {"source": value or None}
    return {"claimed_at": parse_day(str(value or ""))}
