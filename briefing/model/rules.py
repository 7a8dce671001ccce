"""What a valid record is: the one statement of the rules every door asks.

The window's forms, the command line, JSON and ACLED imports, undo, merge and
share all ask this module, so a value one of them refuses is refused by all.
Records are in the codec's dict form (:mod:`briefing.model.codec`): references
by UUID, times as ISO 8601 text in UTC.

The rules, in plain words:

Every record
  - ``uuid`` is a UUID in lower case (``8-4-4-4-12`` hexadecimal digits).
  - ``created_at`` and ``updated_at`` are times (see Times); ``updated_by`` is a line of text.
  - ``tlp`` is a TLP 2.0 label: CLEAR, GREEN, AMBER, AMBER+STRICT or RED.
  - ``tags`` and ``notes`` are text.

Text
  - Every text value is text (not a number or a list), holds no NUL character
    and no lone surrogate (half of a UTF-16 pair, which no file can encode).
  - A name, title, place, person or other one-line value holds at most
    ``MAX_LINE`` (1,000) characters; tags at most ``MAX_TAGS`` (2,000); a web
    address at most ``MAX_URL`` (2,000); a description, quote, translation,
    note, bottom line, section text or judgment at most ``MAX_TEXT`` (100,000).
  - A party's name, a source's, timeline entry's, relationship's and briefing's
    title and a statement's quote are not empty.

Vocabularies (:mod:`briefing.model.vocab`)
  - Party kind, source kind and reliability (A–F), verification status,
    precision, statement kind, relationship kind and status, briefing status,
    party role in an entry, likelihood and confidence of a key judgment, and the
    kind of record a briefing section item shows: one of their listed words.

Numbers
  - Credibility is a whole number from 1 to 6.
  - A casualty claim's low, best and high figures are unknown (null) or whole
    numbers from 0 to ``MAX_COUNT`` (100,000,000), with low ≤ best ≤ high where
    given.
  - Latitude is from −90 to 90 and longitude from −180 to 180 degrees, finite;
    both are given or neither. True and false are not numbers.

Times
  - A time is ISO 8601 text with its offset (``2021-11-16T07:00:00Z``) or an
    aware datetime; a time without an offset is refused.
  - Every time lies from ``EARLIEST`` (1800-01-01 00:00 UTC) to ``LATEST``
    (2199-12-31 23:59:59 UTC): the window's time fields, the timeline chart and
    the PDF show every such time in every zone.
  - A zone is an IANA zone known to this machine (``Asia/Baku``, ``UTC``).
  - A timeline entry does not end before it starts.
  - A relationship's ``since`` and ``until`` are empty or a partial date
    ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a real day; years 1000–2199, as
    treaties can be old and are printed as written); ``until`` is not before
    ``since``.

Links
  - Only http, https and mailto addresses are live links (:func:`live_link`); a
    source's web address is empty or such an address, without spaces.
  - A colour is ``#RRGGBB``.
  - A statement's language is a BCP 47 tag such as ``en``, ``hy`` or ``az-Latn``.
  - An external identifier is absent (null) or a non-empty line.

Casualty claims (inside a timeline entry, ``claims``)
  - The side is a party (``side`` ``party`` and ``party`` its UUID), or
    ``civilians``, ``unknown`` or ``all sides`` (and then no party); the category
    is killed, wounded, captured, missing or displaced.
  - A claim gives a figure, or the words the claimant used ("fatalities"), or
    both; the words are one line. Claimant (a party), source and the time it was
    claimed may be left out.

Structure
  - A relationship joins two different parties.
  - A party is not part of itself, nor of one of its own members (no cycle of
    ``parent``).
  - Every reference (parent, speaker, entry, source, a claim's party, claimant and source,
    party A and B, an entry's parties and sources, contradicted statements,
    section items) names a record of the right kind that exists.
  - A list of links holds at most ``MAX_LINKS`` (10,000) items.
  - Two records of one kind never share a UUID.

A refusal is a :class:`Problem`; :meth:`Problem.sentence` names the record the
way a user knows it and the field.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

from briefing.model import times
from briefing.model.vocab import (
    KIND_NAMES,
    BriefingStatus,
    ClaimCategory,
    ClaimSide,
    Confidence,
    Likelihood,
    PartyKind,
    PartyRole,
    Precision,
    RelationshipKind,
    RelationshipStatus,
    Reliability,
    SourceKind,
    StatementKind,
    Tlp,
    Verification,
)

Records = dict[str, list[dict[str, Any]]]

EARLIEST = datetime(1800, 1, 1, tzinfo=UTC)
"""The earliest time a record may hold."""
LATEST = datetime(2199, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
"""The latest time a record may hold."""
EARLIEST_TEXT = "1800-01-01T00:00:00.000000Z"
LATEST_TEXT = "2199-12-31T23:59:59.999999Z"
WALL_EARLIEST = date(1799, 12, 31)
"""The earliest wall-clock day a time in range can show in any zone (UTC−14 to UTC+14)."""
WALL_LATEST = date(2200, 1, 1)
"""The latest wall-clock day a time in range can show in any zone."""
EARLIEST_YEAR_OF_PARTIAL_DATE = 1000

MAX_TEXT = 100_000
"""Characters in a long text: description, quote, translation, notes, bottom line, prose."""
MAX_LINE = 1_000
"""Characters in a one-line value: a name, title, place, person, author."""
MAX_TAGS = 2_000
MAX_URL = 2_000
MAX_ZONE = 64
MAX_LANGUAGE = 35
MAX_COUNT = 100_000_000
"""Largest casualty figure (more than any war's toll; keeps numbers inside 64 bits)."""
MAX_LINKS = 10_000
"""Most items in one list of links (sources, parties, contradictions, section items)."""
CREDIBILITY = range(1, 7)
LIVE_SCHEMES = frozenset({"http", "https", "mailto"})

TIME_KEYS = frozenset(
    {"created_at", "updated_at", "start_utc", "end_utc", "said_at", "published_at", "accessed_at",
     "as_of"}
)  # fmt: skip

TITLE_KEYS = {
    "party": "name",
    "source": "title",
    "entry": "title",
    "statement": "quote",
    "relationship": "title",
    "briefing": "title",
}
"""The field a user names a record by."""

REQUIRED = {
    "party": ("name", "kind"),
    "source": ("title", "kind"),
    "entry": ("title", "start_utc"),
    "statement": ("quote", "kind"),
    "relationship": ("party_a", "party_b", "kind", "title"),
    "briefing": ("title", "as_of"),
}
"""Fields every record of a kind holds (the others have defaults)."""

REFERENCES = {
    "party": {"parent": "party"},
    "source": {},
    "entry": {},
    "statement": {"speaker": "party", "entry": "entry", "source": "source"},
    "relationship": {"party_a": "party", "party_b": "party"},
    "briefing": {},
}
"""Single references of each kind: field → kind referred to."""

CLAIM_REFERENCES = {"party": "party", "claimant": "party", "source": "source"}
"""References a casualty claim holds: field → kind referred to."""

ITEM_KINDS = ("entry", "statement", "relationship", "party", "source")
MAP_ITEM = "map"
"""The kind of a section item that shows a map of the briefing and names no record."""

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True)
class Problem:
    """One broken rule: which record (as a user names it), which field, and why."""

    kind: str
    record: str
    field: str
    reason: str

    def sentence(self) -> str:
        """One sentence naming the record and field, e.g. for an error line or a dialog."""
        record = self.record[:1].upper() + self.record[1:]
        if not self.field:
            return f"{record} {self.reason}."
        return f"{record}: field '{self.field}' {self.reason}."


# ---------------------------------------------------------------------------- values


def shown(value: Any, limit: int = 40) -> str:
    """A value as a refusal may quote it: short, printable, no lone surrogates."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    if not text.isascii():
        text = text.encode("utf-8", "replace").decode("utf-8")
    return "".join(c if c.isprintable() else " " for c in text)


def _text(value: Any, limit: int) -> str | None:
    if not isinstance(value, str):
        return f"must be text, not {shown(value)}"
    if len(value) > limit:
        return f"holds {len(value):,} characters, more than the {limit:,} allowed"
    if "\x00" in value:
        return "holds a NUL character"
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "holds a lone surrogate (half of a character), which no file can hold"
    return None


def _line(value: Any) -> str | None:
    return _text(value, MAX_LINE)


def _long(value: Any) -> str | None:
    return _text(value, MAX_TEXT)


def _tags(value: Any) -> str | None:
    return _text(value, MAX_TAGS)


def _choice(values: Iterable[str]) -> Callable[[Any], str | None]:
    words = tuple(values)
    allowed = frozenset(words)
    listed = ", ".join(words)

    def check(value: Any) -> str | None:
        if isinstance(value, str) and value in allowed:
            return None
        return f"must be one of {listed} (not {shown(value)})"

    return check


def _uuid(value: Any) -> str | None:
    if isinstance(value, str) and len(value) == 36 and _UUID.fullmatch(value):
        return None
    return f"must be a UUID in lower case (not {shown(value)})"


def _time(value: Any) -> str | None:
    if isinstance(value, str) and value[-1:] == "Z" and len(value) in (20, 27):
        # The usual case, quickly: UTC text whose year alone puts it inside the range.
        if "1800" <= value[:4] <= "2199" and times.is_iso_text(value):
            return None
    try:
        moment = times.parse_instant(value)
    except ValueError as error:
        return str(error)
    if not EARLIEST <= moment <= LATEST:
        return f"is outside the dates the program can show ({EARLIEST:%Y}–{LATEST:%Y})"
    return None


def _zone(value: Any) -> str | None:
    if not isinstance(value, str) or len(value) > MAX_ZONE or times.zone_info(value) is None:
        return f"‘{shown(value)}’ is not an IANA time zone (for example Asia/Baku or UTC)"
    return None


def _count(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        return f"must be a whole number (not {shown(value)})"
    if not 0 <= value <= MAX_COUNT:
        return f"must be from 0 to {MAX_COUNT:,} (not {shown(value)})"
    return None


def _credibility(value: Any) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool) and value in CREDIBILITY:
        return None
    return f"must be a whole number from 1 to 6 (not {shown(value)})"


def _degrees(limit: int) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, int | float) or isinstance(value, bool):
            return f"must be a number of degrees (not {shown(value)})"
        if isinstance(value, int) and abs(value) > limit:
            return f"must be from −{limit} to {limit} degrees (not {shown(value)})"
        if not (math.isfinite(value) and -limit <= value <= limit):
            return f"must be from −{limit} to {limit} degrees (not {shown(value)})"
        return None

    return check


def _colour(value: Any) -> str | None:
    if isinstance(value, str) and len(value) == 7 and _COLOUR.fullmatch(value):
        return None
    return f"must be # and six hexadecimal digits, e.g. #D90012 (not {shown(value)})"


def _url(value: Any) -> str | None:
    problem = _text(value, MAX_URL)
    if problem is not None or value == "":
        return problem
    if not live_link(value):
        return (
            f"must start with http://, https:// or mailto: and hold no spaces (not {shown(value)})"
        )
    return None


def _language(value: Any) -> str | None:
    if isinstance(value, str) and len(value) <= MAX_LANGUAGE and _LANGUAGE.fullmatch(value):
        return None
    return f"must be a language tag such as en, hy, az or ru (not {shown(value)})"


def _external_id(value: Any) -> str | None:
    if value is None:
        return None
    problem = _line(value)
    if problem is None and not value.strip():
        return "is empty; leave it out when there is none"
    return problem


def _partial_date(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"must be text (not {shown(value)})"
    if value == "":
        return None
    found = _PARTIAL_DATE.fullmatch(value)
    wrong = f"must be a date written YYYY, YYYY-MM or YYYY-MM-DD (not {shown(value)})"
    if found is None:
        return wrong
    year, month, day = (int(part) if part else 1 for part in found.groups())
    if not EARLIEST_YEAR_OF_PARTIAL_DATE <= year <= LATEST.year:
        return f"must be a year from {EARLIEST_YEAR_OF_PARTIAL_DATE} to {LATEST.year}"
    try:
        date(year, month, day)
    except ValueError:
        return wrong
    return None


def live_link(url: str) -> bool:
    """Whether a URL may become a clickable link: http(s) with a host, or mailto; no spaces.

    Every place that makes a link (PDF, window) asks this; any other address
    (``javascript:``, ``file:``, ``data:``…) is shown as plain text, if at all.
    """
    if not isinstance(url, str) or not url or len(url) > MAX_URL:
        return False
    if any(c.isspace() or not c.isprintable() for c in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    scheme = parts.scheme.lower()
    if scheme == "mailto":
        return len(parts.path) > 0
    return scheme in LIVE_SCHEMES and bool(parts.netloc)


def _nothing(value: Any) -> str | None:
    return None


_COMMON: dict[str, Callable[[Any], str | None]] = {
    "uuid": _uuid,
    "created_at": _time,
    "updated_at": _time,
    "updated_by": _line,
    "tlp": _choice(t.value for t in Tlp),
    "tags": _tags,
    "notes": _long,
}

_FIELDS: dict[str, dict[str, Callable[[Any], str | None]]] = {
    "party": {
        "name": _line,
        "short_name": _line,
        "kind": _choice(k.value for k in PartyKind),
        "parent": _uuid,
        "colour": _colour,
        "description": _long,
    },
    "source": {
        "title": _line,
        "publisher": _line,
        "author": _line,
        "url": _url,
        "published_at": _time,
        "accessed_at": _time,
        "kind": _choice(k.value for k in SourceKind),
        "reliability": _choice(r.value for r in Reliability),
        "description": _long,
    },
    "entry": {
        "title": _line,
        "description": _long,
        "start_utc": _time,
        "end_utc": _time,
        "zone": _zone,
        "precision": _choice(p.value for p in Precision),
        "place": _line,
        "latitude": _degrees(90),
        "longitude": _degrees(180),
        "status": _choice(v.value for v in Verification),
        "credibility": _credibility,
        "external_id": _external_id,
    },
    "statement": {
        "speaker": _uuid,
        "person": _line,
        "person_title": _line,
        "said_at": _time,
        "zone": _zone,
        "precision": _choice(p.value for p in Precision),
        "quote": _long,
        "language": _language,
        "translation": _long,
        "kind": _choice(k.value for k in StatementKind),
        "entry": _uuid,
        "source": _uuid,
    },
    "relationship": {
        "party_a": _uuid,
        "party_b": _uuid,
        "kind": _choice(k.value for k in RelationshipKind),
        "title": _line,
        "since": _partial_date,
        "until": _partial_date,
        "status": _choice(s.value for s in RelationshipStatus),
        "description": _long,
    },
    "briefing": {
        "title": _line,
        "subtitle": _line,
        "as_of": _time,
        "zone": _zone,
        "authors": _line,
        "status": _choice(s.value for s in BriefingStatus),
        "bluf": _long,
    },
}
_PLANS = {kind: tuple({**_COMMON, **own}.items()) for kind, own in _FIELDS.items()}
_CHECKS = {kind: dict(plan) for kind, plan in _PLANS.items()}
_NULLABLE = frozenset(
    {"parent", "published_at", "accessed_at", "end_utc", "latitude", "longitude",
     "external_id", "said_at", "speaker", "entry", "source"}
)  # fmt: skip
_ROLE = _choice(r.value for r in PartyRole)
_LIKELIHOOD = _choice(v.value for v in Likelihood)
_CONFIDENCE = _choice(v.value for v in Confidence)
_ITEM_KIND = _choice((*ITEM_KINDS, MAP_ITEM))


def check_value(kind: str, key: str, value: Any) -> str | None:
    """Why one field's value breaks a rule (the end of a sentence), or None when it is valid.

    Only the value itself is judged; rules across fields (end before start, a
    party related to itself) are :func:`check_record`'s.
    """
    check = _CHECKS[kind].get(key)
    if check is None:
        return None
    if value is None or (value == "" and key in TIME_KEYS):
        if key in REQUIRED[kind]:
            return "is missing"
        return None
    problem = check(value)
    if problem is None and key in REQUIRED[kind] and isinstance(value, str) and not value.strip():
        return "is empty"
    return problem


def record_name(kind: str, record: Mapping[str, Any]) -> str:
    """How a user names a record: ``timeline entry ‘Clash near Sotk’``."""
    title = record.get(TITLE_KEYS[kind])
    if isinstance(title, str) and title.strip():
        return f"{KIND_NAMES[kind]} ‘{shown(' '.join(title[:200].split()))}’"
    uuid = record.get("uuid")
    if isinstance(uuid, str) and uuid:
        return f"{KIND_NAMES[kind]} {shown(uuid)}"
    return f"a new {KIND_NAMES[kind]}"


def check_record(kind: str, record: Mapping[str, Any]) -> list[Problem]:
    """Every broken rule of one record on its own (references are only checked as UUIDs)."""
    if not isinstance(record, Mapping):
        return [Problem(kind, f"a {KIND_NAMES[kind]}", "", "is not an object")]
    problems: list[tuple[str, str]] = []
    get = record.get
    for key in REQUIRED[kind]:
        value = get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            problems.append((key, "is missing" if value is None else "is empty"))
    for key, check in _PLANS[kind]:
        value = get(key)
        if value is None:
            continue
        if value == "" and key in TIME_KEYS:
            continue
        reason = check(value)
        if reason is not None:
            problems.append((key, reason))
    _across(kind, record, problems)
    if kind == "entry":
        _entry_links(record, problems)
    elif kind == "relationship":
        _uuid_list(record, "sources", problems)
    elif kind == "statement":
        _uuid_list(record, "contradicts", problems)
    elif kind == "briefing":
        _briefing_body(record, problems)
    if not problems:
        return []
    name = record_name(kind, record)
    seen: set[str] = set()
    result = []
    for key, reason in problems:
        if key not in seen:
            seen.add(key)
            result.append(Problem(kind, name, key, reason))
    return result


def _across(kind: str, record: Mapping[str, Any], problems: list[Any]) -> None:
    """Rules that join two fields of one record."""
    get = record.get
    if kind == "entry":
        start, end = get("start_utc"), get("end_utc")
        if start and end and _time(start) is None and _time(end) is None:
            if times.parse_instant(end) < times.parse_instant(start):
                problems.append(("end_utc", "is before the start"))
        latitude, longitude = get("latitude"), get("longitude")
        if (latitude is None) != (longitude is None):
            missing = "longitude" if longitude is None else "latitude"
            problems.append((missing, "is missing; give both latitude and longitude, or neither"))
    elif kind == "relationship":
        a, b = get("party_a"), get("party_b")
        if a is not None and a == b:
            problems.append(
                ("party_b", "is the same party as party A; a party cannot be tied to itself")
            )
        since, until = get("since") or "", get("until") or ""
        if (
            since and until and isinstance(since, str) and isinstance(until, str)
            and _partial_date(since) is None and _partial_date(until) is None
            and until < since[: len(until)]
        ):  # fmt: skip
            problems.append(("until", "is before ‘since’"))
    elif kind == "party":
        parent = get("parent")
        if parent is not None and parent == get("uuid"):
            problems.append(("parent", "is the party itself; a party cannot be part of itself"))


def _links(record: Mapping[str, Any], key: str, problems: list[Any]) -> list[Any]:
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append((key, f"must be a list (not {shown(value)})"))
        return []
    if len(value) > MAX_LINKS:
        problems.append((key, f"holds {len(value):,} links, more than the {MAX_LINKS:,} allowed"))
        return []
    return value


def _uuid_list(record: Mapping[str, Any], key: str, problems: list[Any]) -> None:
    for n, value in enumerate(_links(record, key, problems)):
        reason = _uuid(value)
        if reason is not None:
            problems.append((f"{key}[{n}]", reason))
            return


def _entry_links(record: Mapping[str, Any], problems: list[Any]) -> None:
    _uuid_list(record, "sources", problems)
    for n, claim in enumerate(_links(record, "claims", problems)):
        found = check_claim(claim)
        if found is not None:
            key, reason = found
            problems.append((f"claims[{n}]{'.' if key else ''}{key}", reason))
            break
    for n, link in enumerate(_links(record, "parties", problems)):
        if not isinstance(link, Mapping):
            problems.append((f"parties[{n}]", f"must be a party and its role (not {shown(link)})"))
            return
        for key, check in (("party", _uuid), ("role", _ROLE)):
            reason = check(link.get(key))
            if reason is not None:
                problems.append((f"parties[{n}].{key}", reason))
                return


_CLAIM_FIELDS: tuple[tuple[str, Callable[[Any], str | None]], ...] = (
    ("uuid", _uuid),
    ("party", _uuid),
    ("low", _count),
    ("best", _count),
    ("high", _count),
    ("words", _line),
    ("claimant", _uuid),
    ("source", _uuid),
    ("claimed_at", _time),
)
_CLAIM_SIDE = _choice(s.value for s in ClaimSide)
_CLAIM_CATEGORY = _choice(c.value for c in ClaimCategory)


_SIDE_WORDS = frozenset(s.value for s in ClaimSide)
_CATEGORY_WORDS = frozenset(c.value for c in ClaimCategory)


def _plain_count(value: Any) -> bool:
    return value is None or (type(value) is int and 0 <= value <= MAX_COUNT)


def _plain_ref(value: Any) -> bool:
    return value is None or (
        type(value) is str and len(value) == 36 and bool(_UUID.fullmatch(value))
    )


def _plainly_valid(claim: Any) -> bool:
    """The usual claim, quickly (imports check hundreds of thousands): nothing unusual in it."""
    if type(claim) is not dict:
        return False
    get = claim.get
    words, side, category = get("words"), get("side"), get("category")
    return (
        type(side) is str and side in _SIDE_WORDS
        and type(category) is str and category in _CATEGORY_WORDS
        and _plain_count(get("low")) and _plain_count(get("best")) and _plain_count(get("high"))
        and (words is None or (type(words) is str and len(words) <= MAX_LINE
                               and words.isascii() and "\x00" not in words))
        and _plain_ref(get("uuid")) and _plain_ref(get("party"))
        and _plain_ref(get("claimant")) and _plain_ref(get("source"))
        and get("claimed_at") is None
    )  # fmt: skip


def check_claim(claim: Any) -> tuple[str, str] | None:
    """The first broken rule of one casualty claim as (field, reason), or None when valid."""
    if _plainly_valid(claim):
        return _claim_across(claim)
    if not isinstance(claim, Mapping):
        return "", f"must be a casualty claim (not {shown(claim)})"
    for key, check in (("side", _CLAIM_SIDE), ("category", _CLAIM_CATEGORY)):
        value = claim.get(key)
        reason = "is missing" if value is None else check(value)
        if reason is not None:
            return key, reason
    for key, check in _CLAIM_FIELDS:
        value = claim.get(key)
        if value is not None and not (key == "claimed_at" and value == ""):
            reason = check(value)
            if reason is not None:
                return key, reason
    return _claim_across(claim)


def _claim_across(claim: Mapping[str, Any]) -> tuple[str, str] | None:
    """The rules joining a claim's fields: side and party, the order of figures, something said."""
    if (claim.get("side") == ClaimSide.PARTY.value) != (claim.get("party") is not None):
        if claim.get("party") is None:
            return "party", "is missing; a claim about a party names it"
        return "party", "must be left out: the claim is not about one party"
    low, best, high = (claim.get(k) for k in ("low", "best", "high"))
    if low is not None and best is not None and low > best:
        return "low", "is above the best figure"
    if high is not None and best is not None and high < best:
        return "high", "is below the best figure"
    if low is not None and high is not None and high < low:
        return "high", "is below the low figure"
    if low is None and best is None and high is None and not (claim.get("words") or "").strip():
        return "words", "is missing; give a figure, or the words the claimant used"
    return None


def _briefing_body(record: Mapping[str, Any], problems: list[Any]) -> None:
    for n, judgment in enumerate(_links(record, "judgments", problems)):
        where = f"judgments[{n}]"
        if not isinstance(judgment, Mapping):
            problems.append((where, "must be an object with text, likelihood and confidence"))
            break
        checks: tuple[tuple[str, Callable[[Any], str | None]], ...] = (
            ("text", _long),
            ("likelihood", _LIKELIHOOD),
            ("confidence", _CONFIDENCE),
        )
        if _part(judgment, where, checks, problems):
            break
    for n, section in enumerate(_links(record, "sections", problems)):
        where = f"sections[{n}]"
        if not isinstance(section, Mapping):
            problems.append((where, "must be an object with a heading, text and items"))
            return
        checks = (("heading", _line), ("body", _long))
        if _part(section, where, checks, problems, optional=True):
            return
        for p, item in enumerate(_links(section, "items", [])):
            here = f"{where}.items[{p}]"
            if not isinstance(item, Mapping):
                problems.append((here, "must be an object naming a record"))
                return
            if _part(item, here, (("kind", _ITEM_KIND),), problems):
                return
            if item.get("kind") == MAP_ITEM:
                if item.get("ref") is not None:
                    problems.append((f"{here}.ref", "must be left out: a map names no record"))
                    return
            elif _part(item, here, (("ref", _uuid),), problems):
                return
        if section.get("items") is not None and not isinstance(section.get("items"), list):
            problems.append((f"{where}.items", "must be a list"))
            return
        if isinstance(section.get("items"), list) and len(section["items"]) > MAX_LINKS:
            problems.append((f"{where}.items", f"holds more than {MAX_LINKS:,} items"))
            return


def _part(
    part: Mapping[str, Any],
    where: str,
    checks: tuple[tuple[str, Callable[[Any], str | None]], ...],
    problems: list[Any],
    optional: bool = False,
) -> bool:
    """Check one judgment, section or item; True when a problem was found."""
    uuid = part.get("uuid")
    if uuid is not None and _uuid(uuid) is not None:
        problems.append((f"{where}.uuid", _uuid(uuid)))
        return True
    for key, check in checks:
        value = part.get(key)
        if value is None and optional:
            continue
        reason = "is missing" if value is None else check(value)
        if reason is not None:
            problems.append((f"{where}.{key}", reason))
            return True
    return False


# ---------------------------------------------------------------------------- sets


def references(kind: str, record: Mapping[str, Any]) -> Iterable[tuple[str, str, str]]:
    """(field, kind referred to, UUID) of every reference a record holds."""
    get = record.get
    for key, ref_kind in REFERENCES[kind].items():
        value = get(key)
        if isinstance(value, str):
            yield key, ref_kind, value
    if kind in ("entry", "relationship"):
        for n, uuid in enumerate(_list(get("sources"))):
            if isinstance(uuid, str):
                yield f"sources[{n}]", "source", uuid
    if kind == "entry":
        for n, link in enumerate(_list(get("parties"))):
            if isinstance(link, Mapping) and isinstance(link.get("party"), str):
                yield f"parties[{n}].party", "party", link["party"]
        for n, claim in enumerate(_list(get("claims"))):
            if isinstance(claim, Mapping):
                for key, ref_kind in CLAIM_REFERENCES.items():
                    if isinstance(claim.get(key), str):
                        yield f"claims[{n}].{key}", ref_kind, claim[key]
    elif kind == "statement":
        for n, uuid in enumerate(_list(get("contradicts"))):
            if isinstance(uuid, str):
                yield f"contradicts[{n}]", "statement", uuid
    elif kind == "briefing":
        for n, section in enumerate(_list(get("sections"))):
            if not isinstance(section, Mapping):
                continue
            for p, item in enumerate(_list(section.get("items"))):
                if isinstance(item, Mapping) and item.get("kind") in ITEM_KINDS:
                    ref = item.get("ref")
                    if isinstance(ref, str):
                        yield f"sections[{n}].items[{p}].ref", item["kind"], ref


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def check_records(
    records: Records, known: Callable[[str, str], bool] | None = None
) -> list[Problem]:
    """Every broken rule of a set of records: each record, then UUIDs, references and cycles.

    A reference must name a record of the set, or one ``known(kind, uuid)``
    says exists; without ``known`` the set is taken as the whole project.
    Linear in the number of records.
    """
    problems: list[Problem] = []
    uuids: dict[str, set[str]] = {}
    for kind, batch in records.items():
        seen: set[str] = set()
        uuids[kind] = seen
        for record in batch or ():
            problems += check_record(kind, record)
            uuid = record.get("uuid") if isinstance(record, Mapping) else None
            if isinstance(uuid, str):
                if uuid in seen:
                    name = record_name(kind, record)
                    problems.append(Problem(kind, name, "uuid", "is used by another record too"))
                seen.add(uuid)
    for kind, batch in records.items():
        for record in batch or ():
            if isinstance(record, Mapping):
                problems += _dangling(kind, record, uuids, known)
    problems += [p for _, p in party_cycles(records.get("party") or [])]
    return problems


def _dangling(
    kind: str,
    record: Mapping[str, Any],
    uuids: dict[str, set[str]],
    known: Callable[[str, str], bool] | None,
) -> list[Problem]:
    found = []
    for key, ref_kind, uuid in references(kind, record):
        if uuid in uuids.get(ref_kind, ()) or (known is not None and known(ref_kind, uuid)):
            continue
        reason = f"refers to a {KIND_NAMES[ref_kind]} ({shown(uuid)}) that does not exist"
        found.append(Problem(kind, record_name(kind, record), key, reason))
    return found


def party_cycles(parties: list[dict[str, Any]]) -> list[tuple[int, Problem]]:
    """(index, problem) of parties that are, through their parents, part of themselves."""
    index_of = {
        p["uuid"]: n
        for n, p in enumerate(parties)
        if isinstance(p, Mapping) and isinstance(p.get("uuid"), str)
    }
    parent_of = {uuid: parties[n].get("parent") for uuid, n in index_of.items()}
    state: dict[str, int] = {}  # 1 on the path being walked, 2 done
    found = []
    for start in parent_of:
        path = []
        node: Any = start
        while isinstance(node, str) and node in parent_of and node not in state:
            state[node] = 1
            path.append(node)
            node = parent_of[node]
        if isinstance(node, str) and state.get(node) == 1:
            n = index_of[node]
            reason = (
                "makes the party part of itself"
                if parent_of[node] == node
                else party_cycle_reason()
            )
            found.append((n, Problem("party", record_name("party", parties[n]), "parent", reason)))
        for done in path:
            state[done] = 2
    return found


def party_cycle_reason() -> str:
    """The reason given when a chosen parent is one of the party's own members."""
    return "makes the party part of one of its own members"
