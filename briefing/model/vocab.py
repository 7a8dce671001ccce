"""The analysts' controlled vocabulary: TLP, Admiralty grades, ICD 203 terms, statuses.

Values are stored as the lower-case strings below; ``label`` gives the words a
reader sees. See CONVENTIONS in the project documentation for the sources.
"""

from __future__ import annotations

from enum import StrEnum


class Tlp(StrEnum):
    """Traffic Light Protocol 2.0 labels, in order of strictness."""

    CLEAR = "CLEAR"
    GREEN = "GREEN"
    AMBER = "AMBER"
    AMBER_STRICT = "AMBER+STRICT"
    RED = "RED"

    @property
    def rank(self) -> int:
        return list(Tlp).index(self)

    @property
    def marking(self) -> str:
        """The label as written on a document, e.g. ``TLP:AMBER+STRICT``."""
        return f"TLP:{self.value}"

    @property
    def colour(self) -> str:
        return TLP_COLOURS[self]

    def stricter_than(self, other: Tlp) -> bool:
        return self.rank > other.rank


TLP_COLOURS = {
    Tlp.CLEAR: "#FFFFFF",
    Tlp.GREEN: "#33FF00",
    Tlp.AMBER: "#FFC000",
    Tlp.AMBER_STRICT: "#FFC000",
    Tlp.RED: "#FF2B2B",
}

TLP_AUDIENCE = {
    Tlp.CLEAR: "anyone; no limit on disclosure",
    Tlp.GREEN: "the recipient's community, not publicly",
    Tlp.AMBER: "the recipient's organisation and its clients, need-to-know",
    Tlp.AMBER_STRICT: "the recipient's organisation only",
    Tlp.RED: "the named recipients only",
}


class Reliability(StrEnum):
    """Admiralty source reliability."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
    F = "F"

    @property
    def label(self) -> str:
        return RELIABILITY_LABELS[self]


RELIABILITY_LABELS = {
    Reliability.A: "Completely reliable",
    Reliability.B: "Usually reliable",
    Reliability.C: "Fairly reliable",
    Reliability.D: "Not usually reliable",
    Reliability.E: "Unreliable",
    Reliability.F: "Reliability cannot be judged",
}

CREDIBILITY_LABELS = {
    1: "Confirmed by other sources",
    2: "Probably true",
    3: "Possibly true",
    4: "Doubtful",
    5: "Improbable",
    6: "Truth cannot be judged",
}


def admiralty_grade(reliability: str | None, credibility: int | None) -> str:
    """Write a grade the usual way, e.g. ``B2``; unknown parts become ``F`` and ``6``."""
    return f"{reliability or 'F'}{credibility or 6}"


class Likelihood(StrEnum):
    """ICD 203 likelihood terms (first column of the table)."""

    ALMOST_NO_CHANCE = "almost no chance"
    VERY_UNLIKELY = "very unlikely"
    UNLIKELY = "unlikely"
    ROUGHLY_EVEN = "roughly even chance"
    LIKELY = "likely"
    VERY_LIKELY = "very likely"
    ALMOST_CERTAIN = "almost certain"

    @property
    def alternative(self) -> str:
        return LIKELIHOOD_TABLE[self][0]

    @property
    def probability(self) -> str:
        return LIKELIHOOD_TABLE[self][1]


LIKELIHOOD_TABLE = {
    Likelihood.ALMOST_NO_CHANCE: ("remote", "1–5 %"),
    Likelihood.VERY_UNLIKELY: ("highly improbable", "5–20 %"),
    Likelihood.UNLIKELY: ("improbable", "20–45 %"),
    Likelihood.ROUGHLY_EVEN: ("roughly even odds", "45–55 %"),
    Likelihood.LIKELY: ("probable", "55–80 %"),
    Likelihood.VERY_LIKELY: ("highly probable", "80–95 %"),
    Likelihood.ALMOST_CERTAIN: ("nearly certain", "95–99 %"),
}


class Confidence(StrEnum):
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"


class Precision(StrEnum):
    """How precisely a time is known; displays round to it."""

    MINUTE = "minute"
    HOUR = "hour"
    DAY = "day"
    MONTH = "month"


class Verification(StrEnum):
    CONFIRMED = "confirmed"
    REPORTED = "reported"
    UNCONFIRMED = "unconfirmed"
    DISPUTED = "disputed"
    REFUTED = "refuted"


class PartyKind(StrEnum):
    STATE = "state"
    MINISTRY = "ministry"
    ARMED_FORCE = "armed force"
    ARMED_GROUP = "armed group"
    OFFICIAL = "official"
    ORGANISATION = "organisation"
    OUTLET = "outlet"
    ALLIANCE = "alliance"
    INTERNATIONAL_ORGANISATION = "international organisation"
    NON_STATE_ARMED_GROUP = "non-state armed group"
    MILITIA = "militia"
    PRIVATE_MILITARY_COMPANY = "private military company"


class PartyRole(StrEnum):
    INITIATOR = "initiator"
    TARGET = "target"
    INVOLVED = "involved"


class SourceKind(StrEnum):
    OFFICIAL_STATEMENT = "official statement"
    NEWS = "news"
    SOCIAL_MEDIA = "social media post"
    NGO_REPORT = "NGO report"
    DATASET = "dataset"
    ACADEMIC = "academic"
    OTHER = "other"


class StatementKind(StrEnum):
    CLAIM = "claim"
    DENIAL = "denial"
    ACCUSATION = "accusation"
    REQUEST = "request"
    WARNING = "warning"


class RelationshipKind(StrEnum):
    DEFENCE_TREATY = "defence treaty"
    MILITARY_BASE = "military base"
    ARMS_SUPPLY = "arms supply"
    POLITICAL_BACKING = "political backing"
    MEDIATION = "mediation"
    PEACEKEEPING = "peacekeeping"
    RIVALRY = "rivalry"
    MEMBERSHIP = "membership"
    SANCTIONS = "sanctions"
    CEASEFIRE_AGREEMENT = "ceasefire agreement"
    ARMS_EMBARGO = "arms embargo"


class RelationshipStatus(StrEnum):
    IN_FORCE = "in force"
    SUSPENDED = "suspended"
    ENDED = "ended"
    ALLEGED = "alleged"


class ClaimCategory(StrEnum):
    """What a casualty claim counts."""

    KILLED = "killed"
    WOUNDED = "wounded"
    CAPTURED = "captured"
    MISSING = "missing"
    DISPLACED = "displaced"

    @property
    def letter(self) -> str:
        """The abbreviation of compact summaries: ``k``, ``w``, ``c``, ``m``, ``d``."""
        return self.value[0]


class ClaimSide(StrEnum):
    """Whom a casualty claim is about: one party (named by the claim), or a group."""

    PARTY = "party"
    CIVILIANS = "civilians"
    UNKNOWN = "unknown"
    ALL_SIDES = "all sides"


class BriefingStatus(StrEnum):
    DRAFT = "draft"
    FINAL = "final"


KIND_NAMES = {
    "party": "party",
    "source": "source",
    "entry": "timeline entry",
    "statement": "statement",
    "relationship": "relationship",
    "briefing": "briefing",
}
"""What a reader calls one record of each kind (the code's ``entry`` is a timeline entry)."""

KIND_PLURALS = {
    "party": "parties",
    "source": "sources",
    "entry": "timeline entries",
    "statement": "statements",
    "relationship": "relationships",
    "briefing": "briefings",
}
"""What a reader calls several records of each kind."""


IRREGULAR_PLURALS = {"casualty": "casualties", "copy": "copies", "entry": "entries"}
"""Plurals the plain rule gets wrong, by the last word of a noun."""


def plural_of(noun: str) -> str:
    """The plural of an English noun the program counts: its last word takes the ending."""
    head, _, last = noun.rpartition(" ")
    if last in IRREGULAR_PLURALS:
        many = IRREGULAR_PLURALS[last]
    elif last.endswith("sis"):  # analysis, crisis, thesis
        many = last[:-2] + "es"
    elif last.endswith(("s", "x", "ch", "sh")):
        many = last + "es"
    elif last.endswith("y") and last[-2:-1] not in ("a", "e", "o", "u", ""):
        many = last[:-1] + "ies"
    else:
        many = last + "s"
    return f"{head} {many}" if head else many


def counted(kind: str, count: int, grouped: bool = False) -> str:
    """A number in words: ``1 timeline entry``, ``3 timeline entries``, ``2 lanes``.

    ``kind`` is a record kind (``entry`` reads "timeline entry") or any noun
    ("lane", "page", "frozen edition"); ``grouped`` writes 1,000 for 1000.
    """
    one, many = (
        (KIND_NAMES[kind], KIND_PLURALS[kind]) if kind in KIND_NAMES else (kind, plural_of(kind))
    )
    number = f"{count:,}" if grouped else str(count)
    return f"{number} {one if count == 1 else many}"
