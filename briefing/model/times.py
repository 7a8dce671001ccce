"""Times as analysts read them: zones by name, month names, the date-time group.

Three places write a record's time, each in its own style on purpose, and all
build on this module:

- library lists (:mod:`briefing.services.library_rows`), fixed width so that a
  column reads and sorts at a glance: ``2021-11-16 11:00 +04``;
- running text in the window (:func:`when_text`: charts, statements, composer):
  ``16 Nov 2021 11:00 Baku (07:00 UTC)``;
- the PDF (:mod:`briefing.export.times`), in sentences with the offset named:
  ``16 Nov 2021, 11:00 (Baku, UTC+4)``, and "about" for a time known to the hour.

Every function here that writes time text is total: an instant whose wall clock
in the reported zone falls outside the years ``datetime`` can hold (1 January
of year 1 seen from New York, 31 December 9999 seen from Baku) is shown in UTC
instead, and one that cannot even be put in UTC is shown as written, with its
offset. Stored times lie inside :data:`briefing.model.rules.EARLIEST` to
``LATEST``; these texts also serve what the rules refuse (a frozen edition, a
document being imported) and never fail on it.

Month names are fixed English abbreviations, not the machine's locale (Qt sets
the C library's locale from the environment), so every text reads the same
wherever the program runs.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
UTC_ZONE = ZoneInfo("UTC")


@cache
def zone_info(name: str) -> ZoneInfo | None:
    """The IANA zone, or None when the name is unknown (the time is then shown in UTC only)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "Asia" names a folder, not a zone
        return None


def zone_or_utc(name: str | None) -> ZoneInfo:
    """The IANA zone by name; UTC when it is empty or unknown to this machine."""
    return zone_info(name or "UTC") or UTC_ZONE


def place_of_zone(name: str) -> str:
    """``Asia/Baku`` → ``Baku``: how analysts name a zone in running text (``UTC`` for none)."""
    return name.rsplit("/", 1)[-1].replace("_", " ") if name and name != "UTC" else "UTC"


def in_zone(moment: datetime, zone: str | ZoneInfo | None = "UTC") -> datetime | None:
    """The instant on the wall clocks of ``zone`` (by name or ZoneInfo; UTC when empty).

    None when that wall clock lies outside years 1 to 9999, which ``datetime`` cannot
    hold (year 1 west of Greenwich, year 9999 east of it).
    """
    where = zone if isinstance(zone, ZoneInfo) else zone_or_utc(zone)
    try:
        return moment.astimezone(where)
    except (OverflowError, ValueError):
        return None


def as_utc(moment: datetime) -> datetime:
    """The instant in UTC; as written (with its own offset) when UTC cannot hold it."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return in_zone(moment, UTC_ZONE) or moment


def utc_suffix(moment: datetime) -> str:
    """``UTC`` for a time in UTC, else its own offset (``UTC+01:00``).

    For :func:`as_utc`'s fallback: a time that could not be put in UTC never claims to be.
    """
    offset = moment.utcoffset()
    if not offset:
        return "UTC"
    seconds = int(offset.total_seconds())
    sign, seconds = ("+" if seconds > 0 else "-"), abs(seconds)
    return f"UTC{sign}{seconds // 3600:02d}:{seconds // 60 % 60:02d}"


def day_text(moment: datetime, year: bool = True) -> str:
    """``16 Nov 2021`` (or ``16 Nov``)."""
    text = f"{moment.day} {MONTHS[moment.month - 1]}"
    return f"{text} {moment.year}" if year else text


def date_group(moment: datetime) -> str:
    """Military date-time group in UTC: ``DDHHMMZ MON YY``, e.g. ``160700Z NOV 21``."""
    t = as_utc(moment)
    zone = "" if t.utcoffset() else "Z"  # no letter for an offset UTC could not take
    return f"{t:%d%H%M}{zone} {MONTHS[t.month - 1].upper()} {t.year % 100:02d}"


def when_text(moment: datetime | None, zone: str = "UTC", precision: str = "minute") -> str:
    """A time as analysts read it: local time in the reported zone, with UTC beside it.

    The text never claims more precision than the record has: a time known to the
    day shows only the date.
    """
    if moment is None:
        return "time unknown"
    utc = as_utc(moment)
    local = in_zone(moment, zone)
    if local is None:  # that zone's wall clock is beyond what a date can hold: UTC only
        local, zone = utc, "UTC"
    if precision == "month":
        return f"{MONTHS[local.month - 1]} {local.year}"
    if precision == "day":
        return day_text(local)
    if zone in ("", "UTC"):
        return f"{day_text(utc)} {clock_text(utc, precision)} {utc_suffix(utc)}"
    day_shift = "" if local.date() == utc.date() else f" {day_text(utc, year=False)}"
    return (
        f"{day_text(local)} {clock_text(local, precision)} {place_of_zone(zone)}"
        f" ({clock_text(utc, precision)} {utc_suffix(utc)}{day_shift})"
    )


def clock_text(moment: datetime, precision: str = "minute") -> str:
    """``11:00``; the minutes as ``00`` for a time known to the hour."""
    return (
        f"{moment.hour:02d}:00" if precision == "hour" else f"{moment.hour:02d}:{moment.minute:02d}"
    )


# ---------------------------------------------------------------------------- time text
# The one place that reads and writes time text: the codec, imports, rules and
# the window all come here.

STORED_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
"""Times in the file: fixed-width text in UTC with microseconds, so text order is time order."""


def parse_instant(value: object) -> datetime:
    """ISO 8601 text with an offset (or an aware datetime) → an aware datetime in UTC.

    Raises ValueError saying what is wrong, as the end of a sentence naming the
    field: not a time, no offset, or a time that cannot be put in UTC.
    """
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        if len(value) > 40:
            raise ValueError("is not a valid ISO 8601 time (it is far too long)")
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"is not a valid ISO 8601 time ('{_shown(value)}')") from None
    else:
        raise ValueError(f"must be a time, not {_shown(repr(value))}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"has no time zone ('{_shown(str(value))}'); give it in UTC")
    try:
        return moment.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ValueError(
            f"is outside the dates the program can show ('{_shown(str(value))}')"
        ) from None


def _shown(text: str) -> str:
    text = text if len(text) <= 40 else text[:39] + "…"
    return text.encode("utf-8", "replace").decode("utf-8") if not text.isascii() else text


def stored_text(moment: datetime) -> str:
    """An aware datetime → the text stored in the file (UTC, microseconds, ``Z``)."""
    if moment.tzinfo is None:
        raise ValueError("a time without a time zone cannot be stored; give it in UTC")
    utc = moment.astimezone(UTC)
    return (
        f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T{utc.hour:02d}:{utc.minute:02d}:"
        f"{utc.second:02d}.{utc.microsecond:06d}Z"
    )


def from_stored_text(text: str) -> datetime:
    """Text stored in the file → an aware datetime in UTC."""
    return datetime.strptime(text, STORED_FORMAT).replace(tzinfo=UTC)


def is_iso_text(text: str) -> bool:
    """Whether text reads as an ISO 8601 time (a real day and hour)."""
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def document_text(moment: datetime) -> str:
    """An aware datetime → document time text: ISO 8601 in UTC with ``Z``, no zero microseconds."""
    return stored_text(moment).replace(".000000Z", "Z")


def stored_from_document(value: object) -> str | None:
    """A document time (text or aware datetime; None or '' for none) → the stored text.

    Raises ValueError saying what is wrong with it.
    """
    if value is None or value == "":
        return None
    if isinstance(value, str) and len(value) == 20 and value[19] == "Z" and value[10] == "T":
        if value[4] == value[7] == "-" and value[13] == value[16] == ":":
            parse_instant(value)  # a real day and hour
            return value[:19] + ".000000Z"
    return stored_text(parse_instant(value))
