"""Reading an ACLED CSV export: columns, dates, precision, places, and what is wrong.

Real exports differ: columns go missing or are added, and dates come as
``2021-11-16`` or ``16 November 2021``. Only ``event_id_cnty`` (the stable id)
and ``event_date`` are needed; every other column is used when present. Each
row becomes an :class:`AcledEvent`, or a :class:`BadRow` naming the line in the
file where the row starts and what is wrong with it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cached_property, lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from briefing.errors import BriefingError, file_problem
from briefing.io.csv_header import whole_header
from briefing.io.csv_rows import (
    BadRow,
    DataSetError,
    coordinate,
    data_rows,
    text_lines,
    whole_number,
)
from briefing.io.input_file import check_regular
from briefing.model import rules
from briefing.model.vocab import Precision

REQUIRED = ("event_id_cnty", "event_date")
READ = (
    "event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type", "actor1",
    "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "civilian_targeting", "iso",
    "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "source",
    "notes", "fatalities", "timestamp",
)  # fmt: skip
"""The columns the import reads, in the order ACLED writes them."""
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%d-%B-%Y", "%d-%b-%Y")

# Countries that keep one time zone, by ISO 3166 alpha-3 code (the prefix of
# event_id_cnty), numeric code (ACLED's ``iso`` column) and name. Elsewhere, UTC.
ZONES = (
    ("ARM", 51, "Armenia", "Asia/Yerevan"),
    ("AZE", 31, "Azerbaijan", "Asia/Baku"),
    ("GEO", 268, "Georgia", "Asia/Tbilisi"),
    ("TUR", 792, "Turkey", "Europe/Istanbul"),
    ("IRN", 364, "Iran", "Asia/Tehran"),
    ("UKR", 804, "Ukraine", "Europe/Kyiv"),
    ("BLR", 112, "Belarus", "Europe/Minsk"),
    ("MDA", 498, "Moldova", "Europe/Chisinau"),
    ("SYR", 760, "Syria", "Asia/Damascus"),
    ("IRQ", 368, "Iraq", "Asia/Baghdad"),
    ("LBN", 422, "Lebanon", "Asia/Beirut"),
    ("ISR", 376, "Israel", "Asia/Jerusalem"),
    ("PSE", 275, "Palestine", "Asia/Hebron"),
    ("YEM", 887, "Yemen", "Asia/Aden"),
    ("AFG", 4, "Afghanistan", "Asia/Kabul"),
    ("PAK", 586, "Pakistan", "Asia/Karachi"),
    ("MMR", 104, "Myanmar", "Asia/Yangon"),
    ("SDN", 729, "Sudan", "Africa/Khartoum"),
    ("ETH", 231, "Ethiopia", "Africa/Addis_Ababa"),
    ("SOM", 706, "Somalia", "Africa/Mogadishu"),
    ("NGA", 566, "Nigeria", "Africa/Lagos"),
    ("MLI", 466, "Mali", "Africa/Bamako"),
    ("BFA", 854, "Burkina Faso", "Africa/Ouagadougou"),
    ("NER", 562, "Niger", "Africa/Niamey"),
    ("LBY", 434, "Libya", "Africa/Tripoli"),
)
_ZONE_BY_KEY = {
    key: zone for alpha, number, name, zone in ZONES for key in (alpha, str(number), name.lower())
}

# ACLED time_precision: 1 the day is known, 2 within a week (the date given is in
# that week), 3 within a month. Our vocabulary has no week, so 2 reads as a day.
PRECISIONS = {"1": Precision.DAY, "2": Precision.DAY, "3": Precision.MONTH}


AcledError = DataSetError
"""The file cannot be imported; nothing was changed (the same for every data set)."""


@dataclass(frozen=True)
class AcledEvent:
    """One row of an export, checked and typed."""

    line: int
    event_id: str
    start_utc: datetime
    precision: Precision
    zone: str
    event_type: str
    sub_event_type: str
    actors: tuple[tuple[str, str, str], ...]
    """(name, role, ACLED ``inter`` code or text) for actor1, actor2 and associated actors."""
    place: str
    location: str
    latitude: float | None
    longitude: float | None
    fatalities: int | None
    notes: str
    reported_by: str
    civilian_targeting: bool
    timestamp: int | None

    @cached_property
    def title(self) -> str:
        what = self.sub_event_type or self.event_type or "ACLED event"
        return f"{what} in {self.location}" if self.location else what

    @cached_property
    def description(self) -> str:
        text = self.notes
        if self.reported_by:
            text += f"\n\nReported by (per ACLED): {self.reported_by}."
        return text.strip()


def zone_for(iso: str, event_id: str, country: str) -> str:
    """The IANA zone of the event's country where it has one zone, else UTC."""
    return _zone(iso.strip(), event_id[:3].upper(), country.strip().lower())


@lru_cache(maxsize=1024)
def _zone(iso: str, prefix: str, country: str) -> str:
    for key in (iso, prefix, country):
        if key in _ZONE_BY_KEY:
            return _ZONE_BY_KEY[key]
    return "UTC"


@lru_cache(maxsize=4096)
def parse_day(text: str) -> date:
    value = " ".join(text.split())
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(
        f"event_date '{rules.shown(text)}' is not a date like 2021-11-16 or 16 November 2021"
    )


@lru_cache(maxsize=4096)
@lru_cache(maxsize=16_384)
def local_midnight(day: date, zone: str) -> datetime:
    """The start of a day in a zone, in UTC; ValueError for a day outside the rules' range.

    Cached: a data set's events fall on a few thousand days in a few zones.
    """
    if not rules.EARLIEST.year <= day.year <= rules.LATEST.year:
        raise ValueError(
            f"event_date {day.isoformat()} is outside the dates the program can show "
            f"({rules.EARLIEST.year}–{rules.LATEST.year})"
        )
    moment = datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(zone)).astimezone(UTC)
    if not rules.EARLIEST <= moment <= rules.LATEST:
        raise ValueError(f"event_date {day.isoformat()} is outside the dates the program can show")
    return moment


def _obeys_rules(event: AcledEvent, fatalities_text: str) -> None:
    """Refuse a row whose entry or parties would break a rule (:mod:`briefing.model.rules`)."""
    if (event.latitude is None) != (event.longitude is None):
        given = "latitude" if event.longitude is None else "longitude"
        raise ValueError(f"{given} is given without the other coordinate")
    if event.timestamp is not None and not 0 <= event.timestamp <= LATEST_STAMP:
        raise ValueError(f"timestamp {event.timestamp} is not a time the program can show")
    if event.fatalities is not None:
        found = rules.check_claim(
            {"side": "all sides", "category": "killed", "best": event.fatalities}
        )
        if found is not None:
            raise ValueError(f"fatalities {fatalities_text.strip()[:40]} {found[1]}")
    values = (
        ("event_id_cnty", "external_id", event.event_id),
        ("title", "title", event.title),
        ("location", "place", event.place),
        ("notes", "description", event.description),
    )
    for column, key, value in values:
        reason = rules.check_value("entry", key, value)
        if reason is not None:
            raise ValueError(f"{column} {reason}")
    for name, _, _ in event.actors:
        reason = rules.check_value("party", "name", name)
        if reason is not None:
            raise ValueError(f"actor ‘{rules.shown(name)}’ {reason}")


LATEST_STAMP = int(rules.LATEST.timestamp())


def _actors(get: dict[str, str]) -> tuple[tuple[str, str, str], ...]:
    found = []
    for column, role, inter in (("actor1", "initiator", "inter1"), ("actor2", "target", "inter2")):
        if get.get(column, "").strip():
            found.append((get[column].strip(), role, get.get(inter, "").strip()))
    for column in ("assoc_actor_1", "assoc_actor_2"):
        for name in get.get(column, "").split(";"):
            if name.strip():
                found.append((name.strip(), "involved", ""))
    return tuple(found)


def _place(get: dict[str, str]) -> str:
    parts: list[str] = []
    for column in ("location", "admin3", "admin2", "admin1", "country"):
        value = get.get(column, "").strip()
        if value and value not in parts:
            parts.append(value)
    return ", ".join(parts)


def to_event(line: int, get: dict[str, str]) -> AcledEvent:
    """One row (column → text) as an event; raises ValueError naming what is wrong."""
    event_id = get.get("event_id_cnty", "").strip()
    if not event_id:
        raise ValueError("event_id_cnty is empty")
    if not get.get("event_date", "").strip():
        raise ValueError("event_date is empty")
    day = parse_day(get["event_date"])
    precision_code = get.get("time_precision", "").strip() or "1"
    if precision_code not in PRECISIONS:
        raise ValueError(f"time_precision '{rules.shown(precision_code)}' is not 1, 2 or 3")
    zone = zone_for(get.get("iso", ""), event_id, get.get("country", ""))
    fatalities = whole_number(get.get("fatalities", ""), "fatalities")
    if fatalities is not None and fatalities < 0:
        raise ValueError(f"fatalities {fatalities} is negative")
    timestamp = whole_number(get.get("timestamp", ""), "timestamp")
    event = AcledEvent(
        line=line,
        event_id=event_id,
        start_utc=local_midnight(day, zone),
        precision=PRECISIONS[precision_code],
        zone=zone,
        event_type=get.get("event_type", "").strip(),
        sub_event_type=get.get("sub_event_type", "").strip(),
        actors=_actors(get),
        place=_place(get),
        location=get.get("location", "").strip(),
        latitude=coordinate(get.get("latitude", ""), "latitude", 90),
        longitude=coordinate(get.get("longitude", ""), "longitude", 180),
        fatalities=fatalities,
        notes=get.get("notes", "").strip(),
        reported_by=get.get("source", "").strip(),
        civilian_targeting=bool(get.get("civilian_targeting", "").strip()),
        timestamp=timestamp,
    )
    _obeys_rules(event, get.get("fatalities", ""))
    return event


@contextmanager
def streamed_rows(path: Path) -> Iterator[Iterator[AcledEvent | BadRow]]:
    """The rows of the file as :func:`read_rows` gives them, read as they are needed.

    Nothing holds the whole file, so memory stays flat in its size.
    """
    with text_lines(path, "ACLED") as lines:
        yield _rows(lines, path.name)


def count_lines(path: Path) -> int:
    """Lines in the file (for a progress bar), counted in binary chunks."""
    try:
        check_regular(path)
    except BriefingError as error:
        raise AcledError(str(error)) from None
    count = 0
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(1 << 20):
                count += chunk.count(b"\n")
    except OSError as error:
        raise AcledError(file_problem(path.name, error)) from error
    return count


def read_rows(text: str, name: str) -> Iterator[AcledEvent | BadRow]:
    """Every data row of the file as an event or a bad row, in file order."""
    return _rows(io.StringIO(text), name)


def _rows(lines: Iterable[str], name: str) -> Iterator[AcledEvent | BadRow]:
    lines = whole_header(lines, name, "an ACLED import", READ)
    return data_rows(lines, name, _header_problem, to_event)


def _header_problem(header: list[str]) -> str | None:
    missing = [column for column in REQUIRED if column not in header]
    if not missing:
        return None
    plural = "s" if len(missing) > 1 else ""
    return f"lacks the column{plural} {', '.join(missing)}, which an ACLED import needs."
