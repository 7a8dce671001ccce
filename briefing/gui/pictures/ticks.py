"""Time-axis ticks at steps a reader expects: minutes, hours, days, weeks, months, years.

Plain Python, so the spacing rules can be tested without drawing anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from briefing.services.charts import MONTHS

MIN_SPACING_PX = 90.0
_EPOCH_MONDAY = datetime(1970, 1, 5, tzinfo=UTC)


@dataclass(frozen=True)
class Step:
    seconds: float
    """Typical length, used to pick a step; months and years are counted on the calendar."""
    unit: str
    count: int


_H, _D = 3600, 86400
STEPS = (
    *(Step(60 * n, "minute", n) for n in (1, 5, 15, 30)),
    *(Step(_H * n, "hour", n) for n in (1, 3, 6, 12)),
    Step(_D, "day", 1),
    Step(2 * _D, "day", 2),
    Step(7 * _D, "week", 1),
    *(Step(30.44 * _D * n, "month", n) for n in (1, 3, 6)),
    *(Step(365.25 * _D * n, "year", n) for n in (1, 2, 5, 10, 25, 50, 100)),
)


def choose_step(pixels_per_second: float, min_spacing: float = MIN_SPACING_PX) -> Step:
    """The finest step whose ticks stand at least ``min_spacing`` pixels apart."""
    for step in STEPS:
        if step.seconds * pixels_per_second >= min_spacing:
            return step
    return STEPS[-1]


def ticks(start: datetime, end: datetime, step: Step) -> Iterator[datetime]:
    """Tick times from the first step boundary at or before ``start`` up to ``end``, in UTC."""
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    if step.unit in ("month", "year"):
        months = step.count * (12 if step.unit == "year" else 1)
        index = max((start.year * 12 + start.month - 1) // months * months, 12)  # year 1 on
        while index < 10_000 * 12:  # datetime ends with year 9999
            moment = datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC)
            if moment > end:
                return
            yield moment
            index += months
    size = timedelta(seconds=step.seconds)
    origin = _EPOCH_MONDAY if step.unit == "week" else datetime(1970, 1, 1, tzinfo=UTC)
    moment = origin + (start - origin) // size * size
    while moment <= end:
        yield moment
        if moment > datetime.max.replace(tzinfo=UTC) - size:
            return
        moment += size


def tick_label(moment: datetime, step: Step, first: bool = False) -> str:
    """Short label for a tick; the date is named at midnight and on the first tick."""
    moment = moment.astimezone(UTC)
    day = f"{moment.day} {MONTHS[moment.month - 1]}"
    if step.unit == "year":
        return str(moment.year)
    if step.unit == "month":
        return f"{MONTHS[moment.month - 1]} {moment.year}"
    if step.unit in ("day", "week"):
        return f"{day} {moment.year}" if first or (moment.month, moment.day) == (1, 1) else day
    clock = f"{moment:%H:%M}"
    return f"{day} {clock}" if first or (moment.hour, moment.minute) == (0, 0) else clock
