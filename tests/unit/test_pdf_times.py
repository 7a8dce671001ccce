"""Times as the brief prints them: local and UTC, date-time group, precision."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from briefing.export.snapshot import Moment
from briefing.export.times import as_of_lines, date_group, local_text, utc_text, zone_label
from briefing.model.vocab import Precision

CLASH = datetime(2021, 11, 16, 7, 0, tzinfo=UTC)


def test_date_time_group_of_the_conventions() -> None:
    assert date_group(CLASH) == "160700Z NOV 21"


@pytest.mark.parametrize(
    ("zone", "precision", "local", "utc"),
    [
        ("Asia/Baku", Precision.MINUTE, "16 Nov 2021, 11:00 (Baku, UTC+4)",
         "16 Nov 2021, 07:00 UTC"),
        ("Asia/Yerevan", Precision.HOUR, "16 Nov 2021, about 11:00 (Yerevan, UTC+4)",
         "16 Nov 2021, about 07:00 UTC"),
        ("Asia/Kolkata", Precision.MINUTE, "16 Nov 2021, 12:30 (Kolkata, UTC+5:30)",
         "16 Nov 2021, 07:00 UTC"),
        ("America/St_Johns", Precision.DAY, "16 Nov 2021 (St Johns, UTC−3:30)", "16 Nov 2021 UTC"),
        ("Europe/Moscow", Precision.MONTH, "Nov 2021 (Moscow, UTC+3)", "Nov 2021 UTC"),
        ("UTC", Precision.MINUTE, "16 Nov 2021, 07:00 UTC", "16 Nov 2021, 07:00 UTC"),
        ("Mars/Olympus", Precision.MINUTE, "16 Nov 2021, 07:00 UTC", "16 Nov 2021, 07:00 UTC"),
    ],
)  # fmt: skip
def test_local_and_utc(zone: str, precision: Precision, local: str, utc: str) -> None:
    moment = Moment(CLASH, zone, precision)
    assert (local_text(moment), utc_text(moment)) == (local, utc)


def test_day_crossing_midnight_shows_each_date() -> None:
    late = Moment(datetime(2021, 11, 16, 22, 30, tzinfo=UTC), "Asia/Baku", Precision.MINUTE)
    assert local_text(late).startswith("17 Nov 2021, 02:30")
    assert zone_label(late) == "Baku, UTC+4"


def test_as_of_three_ways() -> None:
    as_of = datetime(2021, 11, 16, 18, 0, tzinfo=UTC)
    assert as_of_lines(as_of, "Asia/Yerevan") == [
        "16 Nov 2021, 18:00 UTC",
        "161800Z NOV 21",
        "16 Nov 2021, 22:00 (Yerevan, UTC+4)",
    ]
    assert as_of_lines(as_of, "UTC") == ["16 Nov 2021, 18:00 UTC", "161800Z NOV 21"]
