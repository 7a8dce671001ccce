"""Times in the PDF: local and UTC side by side, rounded to their precision, in sentences.

The PDF's own wording (see :mod:`briefing.model.times` for the other styles):
``16 Nov 2021, 11:00 (Baku, UTC+4)``, and "about" for a time known to the hour.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from briefing.export.snapshot import Moment
from briefing.model.times import (
    MONTHS,
    as_utc,
    date_group,
    day_text,
    in_zone,
    place_of_zone,
    zone_info,
)
from briefing.model.vocab import Precision


def _format(t: datetime, precision: Precision) -> str:
    if precision is Precision.MONTH:
        return f"{MONTHS[t.month - 1]} {t.year}"
    day = day_text(t)
    if precision is Precision.DAY:
        return day
    if precision is Precision.HOUR:
        return f"{day}, about {t:%H:%M}"
    return f"{day}, {t:%H:%M}"


def offset_label(t: datetime) -> str:
    """``UTC+4``, ``UTC−3:30``, ``UTC``."""
    offset = t.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def local_time(moment: Moment) -> datetime:
    """The instant in the zone it was reported in.

    UTC when the zone is unknown, or when its wall clock there lies beyond the years a
    date can hold.
    """
    zone = zone_info(moment.zone)
    return (in_zone(moment.utc, zone) if zone is not None else None) or as_utc(moment.utc)


def zone_label(moment: Moment) -> str:
    """Where and which offset, e.g. ``Baku, UTC+4``; just ``UTC`` for UTC or an unknown zone."""
    zone = zone_info(moment.zone)
    if zone is None or moment.zone == "UTC" or in_zone(moment.utc, zone) is None:
        return "UTC"
    return f"{place_of_zone(moment.zone)}, {offset_label(local_time(moment))}"


def local_clock(moment: Moment) -> str:
    """Local date and time rounded to the precision, without the zone."""
    return _format(local_time(moment), moment.precision)


def utc_clock(moment: Moment) -> str:
    return _format(as_utc(moment.utc), moment.precision)


def utc_text(moment: Moment) -> str:
    """The instant in UTC, rounded to its precision, e.g. ``16 Nov 2021, 07:00 UTC``."""
    return f"{utc_clock(moment)} UTC"


def local_text(moment: Moment) -> str:
    """The instant where it was reported, e.g. ``16 Nov 2021, 11:00 (Baku, UTC+4)``."""
    label = zone_label(moment)
    if label == "UTC":
        return utc_text(moment)
    return f"{local_clock(moment)} ({label})"


_ISO_DAY = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")


def date_words(text: str) -> str:
    """A date typed as ``1997-08-29`` or ``2020-11`` in the brief's style.

    ``29 Aug 1997``, ``Nov 2020``; any other text (a year, "early 2021") is kept as written.
    """
    match = _ISO_DAY.fullmatch(text.strip())
    if match is None:
        return text
    year, month, day = match.groups()
    if not 1 <= int(month) <= 12:
        return text
    if day is None:
        return f"{MONTHS[int(month) - 1]} {year}"
    try:
        return day_text(datetime(int(year), int(month), int(day), tzinfo=UTC))
    except ValueError:
        return text


def as_of_lines(as_of: datetime, zone: str) -> list[str]:
    """The as-of time three ways: UTC, date-time group, and local in the briefing's zone."""
    moment = Moment(as_of, zone, Precision.MINUTE)
    lines = [utc_text(moment), date_group(as_of)]
    if zone_info(zone) is not None and zone != "UTC":
        lines.append(local_text(moment))
    return lines
