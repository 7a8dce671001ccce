"""Time texts: the shared pieces, the window's running text, and the three styles side by side."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from briefing.export import times as pdf_times
from briefing.export.snapshot import Moment
from briefing.model.times import date_group, day_text, place_of_zone, when_text, zone_or_utc
from briefing.model.vocab import Precision
from briefing.services import library_rows

CLASH = datetime(2021, 11, 16, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "key"),
    [("Asia/Baku", "Asia/Baku"), ("", "UTC"), (None, "UTC"), ("Mars/Olympus", "UTC"),
     ("../etc", "UTC")],
)  # fmt: skip
def test_unknown_zones_fall_back_to_utc(name: str | None, key: str) -> None:
    assert zone_or_utc(name).key == key


@pytest.mark.parametrize(
    ("name", "place"),
    [("Asia/Yerevan", "Yerevan"), ("America/St_Johns", "St Johns"), ("UTC", "UTC"), ("", "UTC")],
)
def test_place_of_zone(name: str, place: str) -> None:
    assert place_of_zone(name) == place


def test_day_text_and_date_time_group() -> None:
    assert (day_text(CLASH), day_text(CLASH, year=False)) == ("16 Nov 2021", "16 Nov")
    assert date_group(CLASH.astimezone(zone_or_utc("Asia/Baku"))) == "160700Z NOV 21"


@pytest.mark.parametrize(
    ("precision", "zone", "expected"),
    [
        ("minute", "Asia/Baku", "16 Nov 2021 11:00 Baku (07:00 UTC)"),
        ("hour", "Asia/Yerevan", "16 Nov 2021 11:00 Yerevan (07:00 UTC)"),
        ("day", "Asia/Baku", "16 Nov 2021"),
        ("month", "UTC", "Nov 2021"),
        ("minute", "UTC", "16 Nov 2021 07:00 UTC"),
        ("minute", "America/New_York", "16 Nov 2021 02:00 New York (07:00 UTC)"),
    ],
)
def test_when_text(precision: str, zone: str, expected: str) -> None:
    assert when_text(CLASH, zone, precision) == expected


def test_when_text_names_the_utc_day_when_it_differs() -> None:
    moment = datetime(2021, 11, 16, 22, 30, tzinfo=UTC)
    assert when_text(moment, "Asia/Baku") == "17 Nov 2021 02:30 Baku (22:30 UTC 16 Nov)"


@pytest.mark.parametrize(
    ("precision", "listed", "running", "printed"),
    [
        ("minute", "2021-11-16 11:00 +04", "16 Nov 2021 11:00 Baku (07:00 UTC)",
         "16 Nov 2021, 11:00 (Baku, UTC+4)"),
        ("hour", "2021-11-16 11h +04", "16 Nov 2021 11:00 Baku (07:00 UTC)",
         "16 Nov 2021, about 11:00 (Baku, UTC+4)"),
        ("day", "2021-11-16", "16 Nov 2021", "16 Nov 2021 (Baku, UTC+4)"),
    ],
)  # fmt: skip
def test_each_place_keeps_its_own_style(
    precision: str, listed: str, running: str, printed: str
) -> None:
    """Lists sort by fixed width, the window reads in words, the PDF names the offset."""
    assert library_rows.local_text(CLASH, "Asia/Baku", precision) == listed
    assert when_text(CLASH, "Asia/Baku", precision) == running
    assert pdf_times.local_text(Moment(CLASH, "Asia/Baku", Precision(precision))) == printed
