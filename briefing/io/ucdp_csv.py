"""Reading a UCDP Georeferenced Event Dataset (GED) CSV: columns, dates, places, figures.

The final and candidate releases share the columns read here; either ``id`` or
``relid`` names an event (``id`` is preferred, as UCDP keeps it from release to
release). Each data row becomes a :class:`GedEvent`, or a :class:`BadRow` naming
the line where the row starts and what is wrong with it. A file is recognised as
GED by its header (:func:`is_ged_header`).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from briefing.io.acled_csv import local_midnight, zone_for
from briefing.io.csv_header import is_cut, whole_header
from briefing.io.csv_rows import BadRow, DataSetError, coordinate, count, data_rows, separator
from briefing.io.input_file import is_regular
from briefing.model import rules
from briefing.model.vocab import Precision

GED_COLUMNS = frozenset({"date_start", "date_prec", "where_prec", "side_a", "side_b", "best"})
"""Columns whose presence (with ``id`` or ``relid``) marks a header as UCDP GED."""
READ = (
    "id", "relid", "type_of_violence", "conflict_name", "dyad_name", "side_a", "side_b",
    "where_prec", "where_coordinates", "adm_1", "adm_2", "latitude", "longitude", "country",
    "event_clarity", "date_prec", "date_start", "date_end", "best", "high", "low",
)  # fmt: skip
"""The columns the import reads, in the order UCDP writes them."""

# date_prec: 1 the day is known, 2 within 2–6 days, 3 the week, 4 the month, 5 longer.
PRECISIONS = {
    "1": Precision.DAY,
    "2": Precision.DAY,
    "3": Precision.DAY,
    "4": Precision.MONTH,
    "5": Precision.MONTH,
}
DATE_PRECISION_WORDS = {
    "1": "the exact day",
    "2": "a span of two to six days",
    "3": "the week",
    "4": "the month",
    "5": "a span longer than a month",
}
# where_prec: how precisely the coordinates place the event.
WHERE_PRECISION_WORDS = {
    "1": "the exact place",
    "2": "within about 25 km",
    "3": "the second-order administrative division",
    "4": "the first-order administrative division",
    "5": "a linear feature or between places",
    "6": "the country",
    "7": "international waters or airspace",
}
VIOLENCE = {"1": "state-based conflict", "2": "non-state conflict", "3": "one-sided violence"}
FIGURES = ("deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "low", "best", "high")
SOURCE_COLUMNS = ("source_headline", "source_office", "source_date", "source_article")


GedError = DataSetError
"""The file cannot be imported; nothing was changed (the same for every data set)."""


@dataclass(frozen=True)
class GedSide:
    name: str
    ucdp_id: str


@dataclass(frozen=True)
class GedEvent:
    """One row of a GED file, checked and typed."""

    line: int
    event_id: str
    start_utc: datetime
    end_utc: datetime | None
    precision: Precision
    date_prec: str
    zone: str
    violence: str
    side_a: GedSide | None
    side_b: GedSide | None
    conflict: str
    dyad: str
    place: str
    where_prec: str
    latitude: float | None
    longitude: float | None
    figures: dict[str, int | None]
    sources: str
    clarity: str
    title: str = field(init=False, default="")
    """The entry's title (:func:`_title`), made once with the event."""
    description: str = field(init=False, default="")
    """The entry's description (:func:`_description`), made once with the event."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "title", _title(self))  # frozen: set once, here
        object.__setattr__(self, "description", _description(self))


def _title(event: GedEvent) -> str:
    who = event.dyad or " – ".join(s.name for s in (event.side_a, event.side_b) if s)
    who = who or event.conflict or "UCDP event"
    where = event.place.split(", ")[0] if event.place else ""
    return f"{who} in {where}" if where else who


def _description(event: GedEvent) -> str:
    parts = []
    if event.violence:
        parts.append(f"{event.violence[:1].upper()}{event.violence[1:]}")
    if event.conflict:
        parts.append(f"conflict: {event.conflict}")
    text = "; ".join(parts) + ("." if parts else "")
    if event.date_prec in DATE_PRECISION_WORDS:
        text += f" Date known to {DATE_PRECISION_WORDS[event.date_prec]} (UCDP date_prec)."
    if event.where_prec in WHERE_PRECISION_WORDS:
        text += f" Place known to {WHERE_PRECISION_WORDS[event.where_prec]} (UCDP where_prec)."
    if event.sources:
        text += f"\n\nSources (per UCDP): {event.sources}"
    return text.strip()


def is_ged_header(header: Iterable[str]) -> bool:
    columns = {c.strip().lower() for c in header}
    return GED_COLUMNS <= columns and bool(columns & {"id", "relid"})


def is_ged_file(path: Path) -> bool:
    """Whether a CSV file's first line is a GED header (False when it cannot be read).

    A first line cut off early (the file ends within it) is GED's when it starts
    as GED's does, so that the refusal names what a GED import lacks.
    """
    if not is_regular(path):
        return False  # a pipe would block the opening; the import refuses it in words
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as stream:
            line = stream.readline(1_000_000)
        first = next(csv.reader([line], delimiter=separator(line)), [])
    except (OSError, UnicodeDecodeError, csv.Error):
        return False
    if line and is_cut(line) and first and first[0].strip().lower() in ("id", "relid"):
        return True
    return is_ged_header(first)


def _day(text: str, column: str) -> date:
    value = text.strip()[:10]
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"{column} '{rules.shown(text.strip())}' is not a date like 2021-11-16"
        ) from None


def _side(get: dict[str, str], key: str) -> GedSide | None:
    name = get.get(key, "").strip()
    if not name:
        return None
    reason = rules.check_value("party", "name", name)
    if reason is not None:
        raise ValueError(f"{key} ‘{rules.shown(name)}’ {reason}")
    ucdp_id = (get.get(f"{key}_new_id") or get.get(f"{key}_dset_id") or "").strip()
    return GedSide(name, ucdp_id)


def _place(get: dict[str, str]) -> str:
    parts: list[str] = []
    for column in ("where_coordinates", "adm_2", "adm_1", "country"):
        value = " ".join(get.get(column, "").split())
        if value and value not in parts:
            parts.append(value)
    return ", ".join(parts)


def _sources(get: dict[str, str]) -> str:
    parts = [" ".join(get.get(c, "").split()) for c in SOURCE_COLUMNS]
    return "; ".join(p for p in parts if p)


def to_event(line: int, get: dict[str, str]) -> GedEvent:
    """One row (column → text) as an event; raises ValueError naming what is wrong."""
    event_id = (get.get("id") or "").strip() or (get.get("relid") or "").strip()
    if not event_id:
        raise ValueError("id and relid are empty")
    if not get.get("date_start", "").strip():
        raise ValueError("date_start is empty")
    zone = zone_for("", "", get.get("country", ""))
    start = local_midnight(_day(get["date_start"], "date_start"), zone)
    end_text = get.get("date_end", "").strip()
    end = local_midnight(_day(end_text, "date_end"), zone) if end_text else None
    if end is not None and end < start:
        raise ValueError("date_end is before date_start")
    date_prec = get.get("date_prec", "").strip() or "1"
    if date_prec not in PRECISIONS:
        raise ValueError(f"date_prec '{rules.shown(date_prec)}' is not 1 to 5")
    latitude = coordinate(get.get("latitude", ""), "latitude", 90)
    longitude = coordinate(get.get("longitude", ""), "longitude", 180)
    if (latitude is None) != (longitude is None):
        raise ValueError("a coordinate is given without the other")
    figures = {column: count(get.get(column, ""), column) for column in FIGURES}
    low, best, high = figures["low"], figures["best"], figures["high"]
    claim = {"side": "all sides", "category": "killed", "low": low, "best": best, "high": high}
    if any(v is not None for v in (low, best, high)):
        found = rules.check_claim(claim)
        if found is not None:
            raise ValueError(f"{found[0]} {found[1]}")
    event = GedEvent(
        line=line,
        event_id=event_id,
        start_utc=start,
        end_utc=end if end != start else None,
        precision=PRECISIONS[date_prec],
        date_prec=date_prec,
        zone=zone,
        violence=VIOLENCE.get(get.get("type_of_violence", "").strip(), ""),
        side_a=_side(get, "side_a"),
        side_b=_side(get, "side_b"),
        conflict=" ".join(get.get("conflict_name", "").split()),
        dyad=" ".join(get.get("dyad_name", "").split()),
        place=_place(get),
        where_prec=get.get("where_prec", "").strip(),
        latitude=latitude,
        longitude=longitude,
        figures=figures,
        sources=_sources(get),
        clarity=get.get("event_clarity", "").strip(),
    )
    for key, value in (
        ("external_id", event.event_id), ("title", event.title), ("place", event.place),
        ("description", event.description),
    ):  # fmt: skip
        reason = rules.check_value("entry", key, value)
        if reason is not None:
            raise ValueError(f"{'id' if key == 'external_id' else key} {reason}")
    return event


def read_rows(lines: Iterable[str], name: str) -> Iterator[GedEvent | BadRow]:
    """Every data row of a GED file as an event or a bad row, in file order."""
    lines = whole_header(lines, name, "a UCDP GED import", READ)
    return data_rows(lines, name, _header_problem, to_event)


def _header_problem(header: list[str]) -> str | None:
    if is_ged_header(header):
        return None
    return (
        "is not a UCDP GED file: its header lacks id or relid, or one of "
        f"{', '.join(sorted(GED_COLUMNS))}."
    )
