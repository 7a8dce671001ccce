"""Time texts: the shared pieces, the window's running text, and the three styles side by side."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from briefing.export import times as pdf_times
from briefing.export.snapshot import Moment
from briefing.model.times import (
    date_group,
    day_text,
    in_zone,
    place_of_zone,
    when_text,
    zone_or_utc,
)
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


# ---------------------------------------------------------------------------- the edges

EDGE_ZONES = ["UTC", "America/New_York", "Pacific/Kiritimati", "Etc/GMT+12", "Asia/Baku", ""]


def _every_time_text(moment: datetime, zone: str, precision: Precision) -> list[str]:
    from briefing.export.changes import EditionChanges, intro

    pdf = Moment(moment, zone, precision)
    changes = EditionChanges(
        since=1, since_frozen_at=moment, since_frozen_by="A", edition=None, added=(),
        removed=(), changed=(), cover=(),
    )  # fmt: skip
    return [
        when_text(moment, zone, precision.value),
        date_group(moment),
        library_rows.local_text(moment, zone, precision.value),
        library_rows.utc_text(moment, precision.value),
        library_rows.dtg(moment),
        pdf_times.local_text(pdf),
        pdf_times.utc_text(pdf),
        pdf_times.zone_label(pdf),
        *pdf_times.as_of_lines(moment, zone),
        intro(changes),
    ]


@pytest.mark.parametrize("zone", EDGE_ZONES)
@pytest.mark.parametrize("precision", list(Precision))
@pytest.mark.parametrize(
    "moment",
    [datetime(1, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, 23, 59, tzinfo=UTC),
     datetime.fromisoformat("0001-01-01T00:30:00+01:00"),
     datetime.fromisoformat("9999-12-31T23:00:00-05:00"),
     datetime(1800, 1, 1, tzinfo=UTC), datetime(2199, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)],
)  # fmt: skip
def test_time_texts_are_total_at_the_edges_of_a_date(
    moment: datetime, zone: str, precision: Precision
) -> None:
    """Year 1 seen from the west and 9999 from the east cannot be held by a date: shown in UTC."""
    texts = _every_time_text(moment, zone, precision)
    assert all(texts)
    if in_zone(moment, zone) is None:
        assert "New York" not in texts[0] and "Kiritimati" not in texts[0]


def test_a_time_utc_cannot_hold_is_shown_with_its_own_offset() -> None:
    moment = datetime.fromisoformat("0001-01-01T00:30:00+01:00")
    assert when_text(moment, "UTC") == "1 Jan 1 00:30 UTC+01:00"
    assert date_group(moment) == "010030 JAN 01"


def test_year_one_in_new_york_is_shown_in_utc() -> None:
    moment = datetime(1, 1, 1, 3, tzinfo=UTC)
    assert when_text(moment, "America/New_York") == "1 Jan 1 03:00 UTC"
    assert when_text(datetime(1, 1, 1, 6, tzinfo=UTC), "America/New_York") == (
        "1 Jan 1 01:03 New York (06:00 UTC)"  # local mean time, UTC-4:56
    )
