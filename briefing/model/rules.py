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

Where each rule lives (one home each): single values (text, vocabularies,
numbers, times, links) in :mod:`briefing.model.field_rules`; casualty claims in
:mod:`briefing.model.claim_rules`; records, references and structure here.
Import them from this module: it is the one every door asks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from briefing.model import field_rules as field
from briefing.model import times
from briefing.model.claim_rules import CLAIM_REFERENCES as CLAIM_REFERENCES
from briefing.model.claim_rules import check_claim as check_claim
from briefing.model.field_rules import (
    CREDIBILITY as CREDIBILITY,
)
from briefing.model.field_rules import (
    EARLIEST as EARLIEST,
)
from briefing.model.field_rules import (
    EARLIEST_TEXT as EARLIEST_TEXT,
)
from briefing.model.field_rules import (
    EARLIEST_YEAR_OF_PARTIAL_DATE as EARLIEST_YEAR_OF_PARTIAL_DATE,
)
from briefing.model.field_rules import (
    LATEST as LATEST,
)
from briefing.model.field_rules import (
    LATEST_TEXT as LATEST_TEXT,
)
from briefing.model.field_rules import (
    LIVE_SCHEMES as LIVE_SCHEMES,
)
from briefing.model.field_rules import (
    MAX_COUNT as MAX_COUNT,
)
from briefing.model.field_rules import (
    MAX_LANGUAGE as MAX_LANGUAGE,
)
from briefing.model.field_rules import (
    MAX_LINE as MAX_LINE,
)
from briefing.model.field_rules import (
    MAX_LINKS as MAX_LINKS,
)
from briefing.model.field_rules import (
    MAX_TAGS as MAX_TAGS,
)
from briefing.model.field_rules import (
    MAX_TEXT as MAX_TEXT,
)
from briefing.model.field_rules import (
    MAX_URL as MAX_URL,
)
from briefing.model.field_rules import (
    MAX_ZONE as MAX_ZONE,
)
from briefing.model.field_rules import (
    WALL_EARLIEST as WALL_EARLIEST,
)
from briefing.model.field_rules import (
    WALL_LATEST as WALL_LATEST,
)
from briefing.model.field_rules import (
    Problem as Problem,
)
from briefing.model.field_rules import (
    live_link as live_link,
)
from briefing.model.field_rules import (
    shown as shown,
)
from briefing.model.vocab import (
    KIND_NAMES,
    BriefingStatus,
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

ITEM_KINDS = ("entry", "statement", "relationship", "party", "source")
MAP_ITEM = "map"
"""The kind of a section item that shows a map of the briefing and names no record."""


_COMMON: dict[str, Callable[[Any], str | None]] = {
    "uuid": field.uuid,
    "created_at": field.time,
    "updated_at": field.time,
    "updated_by": field.line,
    "tlp": field.choice(t.value for t in Tlp),
    "tags": field.tags,
    "notes": field.long,
}

_FIELDS: dict[str, dict[str, Callable[[Any], str | None]]] = {
    "party": {
        "name": field.line,
        "short_name": field.line,
        "kind": field.choice(k.value for k in PartyKind),
        "parent": field.uuid,
        "colour": field.colour,
        "description": field.long,
    },
    "source": {
        "title": field.line,
        "publisher": field.line,
        "author": field.line,
        "url": field.url,
        "published_at": field.time,
        "accessed_at": field.time,
        "kind": field.choice(k.value for k in SourceKind),
        "reliability": field.choice(r.value for r in Reliability),
        "description": field.long,
    },
    "entry": {
        "title": field.line,
        "description": field.long,
        "start_utc": field.time,
        "end_utc": field.time,
        "zone": field.zone,
        "precision": field.choice(p.value for p in Precision),
        "place": field.line,
        "latitude": field.degrees(90),
        "longitude": field.degrees(180),
        "status": field.choice(v.value for v in Verification),
        "credibility": field.credibility,
        "external_id": field.external_id,
    },
    "statement": {
        "speaker": field.uuid,
        "person": field.line,
        "person_title": field.line,
        "said_at": field.time,
        "zone": field.zone,
        "precision": field.choice(p.value for p in Precision),
        "quote": field.long,
        "language": field.language,
        "translation": field.long,
        "kind": field.choice(k.value for k in StatementKind),
        "entry": field.uuid,
        "source": field.uuid,
    },
    "relationship": {
        "party_a": field.uuid,
        "party_b": field.uuid,
        "kind": field.choice(k.value for k in RelationshipKind),
        "title": field.line,
        "since": field.partial_date,
        "until": field.partial_date,
        "status": field.choice(s.value for s in RelationshipStatus),
        "description": field.long,
    },
    "briefing": {
        "title": field.line,
        "subtitle": field.line,
        "as_of": field.time,
        "zone": field.zone,
        "authors": field.line,
        "status": field.choice(s.value for s in BriefingStatus),
        "bluf": field.long,
    },
}
_PLANS = {kind: tuple({**_COMMON, **own}.items()) for kind, own in _FIELDS.items()}
_CHECKS = {kind: dict(plan) for kind, plan in _PLANS.items()}
_ROLE = field.choice(r.value for r in PartyRole)
_LIKELIHOOD = field.choice(v.value for v in Likelihood)
_CONFIDENCE = field.choice(v.value for v in Confidence)
_ITEM_KIND = field.choice((*ITEM_KINDS, MAP_ITEM))


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
        if start and end and field.time(start) is None and field.time(end) is None:
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
            and field.partial_date(since) is None and field.partial_date(until) is None
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
        reason = field.uuid(value)
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
        for key, check in (("party", field.uuid), ("role", _ROLE)):
            reason = check(link.get(key))
            if reason is not None:
                problems.append((f"parties[{n}].{key}", reason))
                return


def _briefing_body(record: Mapping[str, Any], problems: list[Any]) -> None:
    for n, judgment in enumerate(_links(record, "judgments", problems)):
        where = f"judgments[{n}]"
        if not isinstance(judgment, Mapping):
            problems.append((where, "must be an object with text, likelihood and confidence"))
            break
        checks: tuple[tuple[str, Callable[[Any], str | None]], ...] = (
            ("text", field.long),
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
        checks = (("heading", field.line), ("body", field.long))
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
            elif _part(item, here, (("ref", field.uuid),), problems):
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
    if uuid is not None and field.uuid(uuid) is not None:
        problems.append((f"{where}.uuid", field.uuid(uuid)))
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
