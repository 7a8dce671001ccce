"""The rules of single values: text, vocabularies, numbers, times, links.

Each checker takes one value and says why it breaks a rule (the end of a
sentence, e.g. "must be text, not 7"), or None when it is valid. The rules of
records, claims and structure (:mod:`briefing.model.rules`,
:mod:`briefing.model.claim_rules`) are built from these; the module docstring of
:mod:`briefing.model.rules` lists them all in plain words.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

from briefing.model import times

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

UUID_PATTERN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
COLOUR_PATTERN = re.compile(r"#[0-9A-Fa-f]{6}")
LANGUAGE_PATTERN = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
PARTIAL_DATE_PATTERN = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


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


def shown(value: Any, limit: int = 40) -> str:
    """A value as a refusal may quote it: short, printable, no lone surrogates."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    if not text.isascii():
        text = text.encode("utf-8", "replace").decode("utf-8")
    return "".join(c if c.isprintable() else " " for c in text)


def text(value: Any, limit: int) -> str | None:
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


def line(value: Any) -> str | None:
    return text(value, MAX_LINE)


def long(value: Any) -> str | None:
    return text(value, MAX_TEXT)


def tags(value: Any) -> str | None:
    return text(value, MAX_TAGS)


def choice(values: Iterable[str]) -> Callable[[Any], str | None]:
    words = tuple(values)
    allowed = frozenset(words)
    listed = ", ".join(words)

    def check(value: Any) -> str | None:
        if isinstance(value, str) and value in allowed:
            return None
        return f"must be one of {listed} (not {shown(value)})"

    return check


def uuid(value: Any) -> str | None:
    if isinstance(value, str) and len(value) == 36 and UUID_PATTERN.fullmatch(value):
        return None
    return f"must be a UUID in lower case (not {shown(value)})"


def time(value: Any) -> str | None:
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


def zone(value: Any) -> str | None:
    if not isinstance(value, str) or len(value) > MAX_ZONE or times.zone_info(value) is None:
        return f"‘{shown(value)}’ is not an IANA time zone (for example Asia/Baku or UTC)"
    return None


def count(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        return f"must be a whole number (not {shown(value)})"
    if not 0 <= value <= MAX_COUNT:
        return f"must be from 0 to {MAX_COUNT:,} (not {shown(value)})"
    return None


def credibility(value: Any) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool) and value in CREDIBILITY:
        return None
    return f"must be a whole number from 1 to 6 (not {shown(value)})"


def degrees(limit: int) -> Callable[[Any], str | None]:
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


def colour(value: Any) -> str | None:
    if isinstance(value, str) and len(value) == 7 and COLOUR_PATTERN.fullmatch(value):
        return None
    return f"must be # and six hexadecimal digits, e.g. #D90012 (not {shown(value)})"


def url(value: Any) -> str | None:
    problem = text(value, MAX_URL)
    if problem is not None or value == "":
        return problem
    if not live_link(value):
        return (
            f"must start with http://, https:// or mailto: and hold no spaces (not {shown(value)})"
        )
    return None


def language(value: Any) -> str | None:
    if isinstance(value, str) and len(value) <= MAX_LANGUAGE and LANGUAGE_PATTERN.fullmatch(value):
        return None
    return f"must be a language tag such as en, hy, az or ru (not {shown(value)})"


def external_id(value: Any) -> str | None:
    if value is None:
        return None
    problem = line(value)
    if problem is None and not value.strip():
        return "is empty; leave it out when there is none"
    return problem


def partial_date(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"must be text (not {shown(value)})"
    if value == "":
        return None
    found = PARTIAL_DATE_PATTERN.fullmatch(value)
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


def nothing(value: Any) -> str | None:
    return None
