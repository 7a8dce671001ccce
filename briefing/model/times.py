"""Times as analysts read them: zones by name, month names, the date-time group.

Three places write a record's time, each in its own style on purpose, and all
build on this module:

- library lists (:mod:`briefing.services.library_rows`), fixed width so that a
  column reads and sorts at a glance: ``2021-11-16 11:00 +04``;
- running text in the window (:func:`when_text`: charts, statements, composer):
  ``16 Nov 2021 11:00 Baku (07:00 UTC)``;
- the PDF (:mod:`briefing.export.times`), in sentences with the offset named:
  ``16 Nov 2021, 11:00 (Baku, UTC+4)``, and "about" for a time known to the hour.

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


def day_text(moment: datetime, year: bool = True) -> str:
    """``16 Nov 2021`` (or ``16 Nov``)."""
    text = f"{moment.day} {MONTHS[moment.month - 1]}"
    return f"{text} {moment.year}" if year else text


def date_group(moment: datetime) -> str:
    """Military date-time group in UTC: ``DDHHMMZ MON YY``, e.g. ``160700Z NOV 21``."""
    t = moment.astimezone(UTC)
    return f"{t:%d%H%M}Z {MONTHS[t.month - 1].upper()} {t:%y}"


def when_text(moment: datetime | None, zone: str = "UTC", precision: str = "minute") -> str:
    """A time as analysts read it: local time in the reported zone, with UTC beside it.

    The text never claims more precision than the record has: a time known to the
    day shows only the date.
    """
    if moment is None:
        return "time unknown"
    local = moment.astimezone(zone_or_utc(zone))
    utc = moment.astimezone(UTC)
    if precision == "month":
        return f"{MONTHS[local.month - 1]} {local.year}"
    if precision == "day":
        return day_text(local)
    clock = "%H:00" if precision == "hour" else "%H:%M"
    if zone in ("", "UTC"):
        return f"{day_text(utc)} {utc.strftime(clock)} UTC"
    day_shift = "" if local.date() == utc.date() else f" {day_text(utc, year=False)}"
    return (
        f"{day_text(local)} {local.strftime(clock)} {place_of_zone(zone)}"
        f" ({utc.strftime(clock)} UTC{day_shift})"
    )
