"""Hypothesis strategies for records: valid projects, and hostile values for any field.

``projects()`` draws a whole valid project in codec form (every reference inside
it, no cycles, no self-ties, every value inside the rules); ``hostile_values``
draws values the program never writes, for the doors to refuse in one sentence.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import strategies as st

from briefing.model import codec, vocab
from briefing.model.base import new_uuid

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)
"""Any value JSON can write."""

TEXT = st.text(
    alphabet="Հայաստան Азербайджан Azərbaycan şğıöüç 😀🇦🇲 <&>\"'/ abc XYZ 0 9\n\t", max_size=14
)
NAME = TEXT.filter(lambda t: t.strip() != "")
TIME = st.datetimes(datetime(1990, 1, 1), datetime(2040, 1, 1), timezones=st.just(UTC)).map(
    codec.time_to_text
)
COLOUR = st.from_regex(r"#[0-9A-F]{6}", fullmatch=True)
URL = st.sampled_from(
    [
        "",
        "https://mil.am/hy/news/10044",
        "http://example.org/a?b=1&c=<2>",
        "mailto:desk@example.org",
    ]
)
PARTIAL_DATE = st.sampled_from(["", "1997", "1997-08", "1997-08-29", "2021-11-16"])

HOSTILE_TEXT = st.sampled_from(
    ["", " ", "\x00", "a\ud800b", "\udfff", "x" * 100_001, "<script>&amp;", "Հայ\u202eաստան"]
)
HOSTILE_NUMBER = st.sampled_from(
    [2**64, -(2**63) - 1, 10**30, 1e300, -1e300, float("inf"), float("-inf"), float("nan"), -1,
     7, 0.5, True, "3", None]
)  # fmt: skip
HOSTILE_TIME = st.sampled_from(
    ["0001-01-01T00:00:00+01:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59-05:00",
     "9999-12-31T23:59:59Z", "2021-13-01T00:00:00Z", "2021-02-30T00:00:00Z", "2021-11-16",
     "2021-11-16T07:00:00", "1799-12-31T23:59:59Z", "2200-01-01T00:00:00Z", "now", "", 1637046000]
)  # fmt: skip
HOSTILE_CHOICE = st.sampled_from(["", "red", "PINK", "#GGGGGG", "#000", "Asia", "../etc/passwd",
                                  "javascript:alert(1)", "file:///etc/passwd", 0, []])  # fmt: skip
HOSTILE = HOSTILE_TEXT | HOSTILE_NUMBER | HOSTILE_TIME | HOSTILE_CHOICE


def _common(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "uuid": new_uuid(),
        "created_at": draw(TIME),
        "updated_at": draw(TIME),
        "updated_by": draw(TEXT),
        "tlp": draw(st.sampled_from([t.value for t in vocab.Tlp])),
        "tags": draw(TEXT),
        "notes": draw(TEXT),
    }


def _choice(enum: type) -> st.SearchStrategy[str]:
    return st.sampled_from([m.value for m in enum])


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


def utc_text(moment: datetime) -> str | None:
    return codec.time_to_text(moment.replace(tzinfo=UTC))


@st.composite
def claims(draw: Any, party_ids: list[str], source_ids: list[str]) -> dict[str, Any]:
    """One casualty claim: a figure, a range, or only the claimant's words."""
    side = (
        draw(_choice(vocab.ClaimSide))
        if party_ids
        else draw(st.sampled_from(["civilians", "unknown", "all sides"]))
    )
    figures = sorted(draw(st.lists(st.integers(0, 10**6), min_size=0, max_size=3)))
    low, best, high = (None, None, None)
    if len(figures) == 1:
        best = figures[0]
    elif len(figures) == 2:
        low, high = figures
    elif len(figures) == 3:
        low, best, high = figures
    words = draw(NAME) if not figures else draw(TEXT)
    return {
        "uuid": str(draw(st.uuids())), "side": side,
        "party": draw(st.sampled_from(party_ids)) if side == "party" else None,
        "category": draw(_choice(vocab.ClaimCategory)),
        "low": low, "best": best, "high": high, "words": words,
        "claimant": draw(_maybe(st.sampled_from(party_ids))) if party_ids else None,
        "source": draw(_maybe(st.sampled_from(source_ids))) if source_ids else None,
        "claimed_at": draw(_maybe(TIME)),
    }  # fmt: skip


@st.composite
def projects(draw: st.DrawFn) -> codec.Records:
    """Records of a random valid project in codec form, every reference pointing inside it."""
    parties = [
        {**_common(draw), "name": draw(NAME), "short_name": draw(TEXT), "colour": draw(COLOUR),
         "kind": draw(_choice(vocab.PartyKind)), "description": draw(TEXT)}
        for _ in range(draw(st.integers(1, 4)))
    ]  # fmt: skip
    party_ids = [p["uuid"] for p in parties]
    for n, party in enumerate(parties):  # a parent comes earlier in the list: no cycles
        party["parent"] = draw(_maybe(st.sampled_from(party_ids[:n]))) if n else None
    sources = [
        {**_common(draw), "title": draw(NAME), "publisher": draw(TEXT), "author": draw(TEXT),
         "url": draw(URL), "published_at": draw(_maybe(TIME)), "accessed_at": draw(_maybe(TIME)),
         "kind": draw(_choice(vocab.SourceKind)), "reliability": draw(_choice(vocab.Reliability)),
         "description": draw(TEXT)}
        for _ in range(draw(st.integers(0, 3)))
    ]  # fmt: skip
    source_ids = [s["uuid"] for s in sources]
    some_sources = st.lists(st.sampled_from(source_ids), unique=True) if sources else st.just([])
    entries = []
    for _ in range(draw(st.integers(0, 3))):
        start = draw(st.datetimes(datetime(1990, 1, 1), datetime(2030, 1, 1)))
        end = draw(_maybe(st.timedeltas(timedelta(0), timedelta(days=900))))
        where = draw(_maybe(st.tuples(st.floats(-90, 90), st.floats(-180, 180))))
        entries.append(
            {**_common(draw), "title": draw(NAME), "description": draw(TEXT),
             "start_utc": utc_text(start),
             "end_utc": None if end is None else utc_text(start + end),
             "zone": draw(st.sampled_from(["UTC", "Asia/Baku", "Asia/Yerevan"])),
             "precision": draw(_choice(vocab.Precision)), "place": draw(TEXT),
             "latitude": where and where[0], "longitude": where and where[1],
             "claims": draw(st.lists(claims(party_ids, source_ids), max_size=3)),
             "status": draw(_choice(vocab.Verification)),
             "credibility": draw(st.integers(1, 6)),
             "external_id": draw(_maybe(st.uuids().map(str))),
             "parties": [{"party": p, "role": r} for p, r in draw(st.lists(
                 st.tuples(st.sampled_from(party_ids), _choice(vocab.PartyRole)), unique=True))],
             "sources": draw(some_sources)}
        )  # fmt: skip
    entry_ids = [e["uuid"] for e in entries]
    statements = [
        {**_common(draw), "speaker": draw(_maybe(st.sampled_from(party_ids))),
         "person": draw(TEXT), "person_title": draw(TEXT), "said_at": draw(_maybe(TIME)),
         "zone": "Asia/Yerevan", "precision": draw(_choice(vocab.Precision)),
         "quote": draw(NAME), "language": draw(st.sampled_from(["en", "hy", "az", "ru"])),
         "translation": draw(TEXT), "kind": draw(_choice(vocab.StatementKind)),
         "entry": draw(_maybe(st.sampled_from(entry_ids))) if entries else None,
         "source": draw(_maybe(st.sampled_from(source_ids))) if sources else None}
        for _ in range(draw(st.integers(0, 3)))
    ]  # fmt: skip
    statement_ids = [s["uuid"] for s in statements]
    for statement in statements:
        statement["contradicts"] = draw(st.lists(st.sampled_from(statement_ids), unique=True))
    pairs = [(a, b) for a in party_ids for b in party_ids if a != b]
    relationships = []
    for _ in range(draw(st.integers(0, 2)) if pairs else 0):
        a, b = draw(st.sampled_from(pairs))
        relationships.append(
            {**_common(draw), "party_a": a, "party_b": b,
             "kind": draw(_choice(vocab.RelationshipKind)), "title": draw(NAME),
             "since": draw(PARTIAL_DATE), "until": "",
             "status": draw(_choice(vocab.RelationshipStatus)), "description": draw(TEXT),
             "sources": draw(some_sources)}
        )  # fmt: skip
    library = {
        "party": party_ids,
        "source": source_ids,
        "entry": entry_ids,
        "statement": statement_ids,
        "relationship": [r["uuid"] for r in relationships],
    }
    targets = [(kind, u) for kind, uuids in library.items() for u in uuids]
    item = st.sampled_from(targets).map(lambda t: {"uuid": new_uuid(), "kind": t[0], "ref": t[1]})
    briefings = [
        {**_common(draw), "title": draw(NAME), "subtitle": draw(TEXT), "as_of": draw(TIME),
         "zone": "UTC", "authors": draw(TEXT), "status": draw(_choice(vocab.BriefingStatus)),
         "bluf": draw(TEXT),
         "judgments": [{"uuid": new_uuid(), "text": draw(TEXT),
                        "likelihood": draw(_choice(vocab.Likelihood)),
                        "confidence": draw(_choice(vocab.Confidence))}
                       for _ in range(draw(st.integers(0, 2)))],
         "sections": [{"uuid": new_uuid(), "heading": draw(TEXT), "body": draw(TEXT),
                       "items": draw(st.lists(item, max_size=3))}
                      for _ in range(draw(st.integers(0, 2)))]}
        for _ in range(draw(st.integers(0, 2)))
    ]  # fmt: skip
    return {
        "party": parties,
        "source": sources,
        "entry": entries,
        "statement": statements,
        "relationship": relationships,
        "briefing": briefings,
    }


@st.composite
def spoiled_projects(draw: st.DrawFn) -> tuple[codec.Records, str, int, str]:
    """A valid project with one field of one record set to a hostile value.

    Returns (records, kind, index, key); the value may happen to be valid for the field.
    """
    records = draw(projects())
    kinds = [kind for kind, batch in records.items() if batch]
    kind = draw(st.sampled_from(kinds))
    index = draw(st.integers(0, len(records[kind]) - 1))
    record = records[kind][index]
    key = draw(st.sampled_from(sorted(k for k in record if k != "uuid")))
    record[key] = draw(HOSTILE)
    return records, kind, index, key
