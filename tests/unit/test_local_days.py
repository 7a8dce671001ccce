"""Date filters find records on the day the list shows them: local in their zone."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from postgres import demo_project_on_both_back_ends  # noqa: F401  (file and server)

from briefing.services import records
from briefing.services.library_query import ListFilter, ordered_ids
from briefing.services.local_days import local_day


def entry(project, title: str, start: str, zone: str) -> int:
    change = records.create_record(
        project, "entry", {"title": title, "start_utc": start, "zone": zone, "precision": "minute"}
    )
    return change.ids["entry"][0]


@pytest.fixture
def dated(demo_project):
    p = demo_project
    ids = {
        # 00:05 in Yerevan on 13 September is 20:05 UTC on the 12th
        "after midnight": entry(p, "Jermuk shelled", "2022-09-12T20:05:00Z", "Asia/Yerevan"),
        # 23:30 in Baku on 12 September is 19:30 UTC on the 12th
        "before midnight": entry(p, "Kalbajar", "2022-09-12T19:30:00Z", "Asia/Baku"),
        # 23:50 in New York on 12 September is 03:50 UTC on the 13th
        "new york": entry(p, "In New York", "2022-09-13T03:50:00Z", "America/New_York"),
    }
    return demo_project, ids


def found(project, **days) -> set[int]:
    with project.engine.connect() as connection:
        return set(ordered_ids(connection, "entry", ListFilter(**days)))


def test_a_day_finds_what_the_list_shows_on_that_day(dated) -> None:
    project, ids = dated
    day = date(2022, 9, 13)
    assert found(project, date_from=day, date_to=day) == {ids["after midnight"]}
    before = date(2022, 9, 12)
    assert found(project, date_from=before, date_to=before) == {
        ids["before midnight"],
        ids["new york"],
    }


def test_open_ended_ranges_use_the_local_day_too(dated) -> None:
    project, ids = dated
    assert ids["after midnight"] in found(project, date_from=date(2022, 9, 13))
    assert ids["new york"] not in found(project, date_from=date(2022, 9, 13))
    assert ids["new york"] in found(project, date_to=date(2022, 9, 12))
    assert ids["after midnight"] not in found(project, date_to=date(2022, 9, 12))


def test_local_day_of_times_that_are_not_times_is_nothing() -> None:
    assert local_day("2022-09-12T20:05:00Z", "Asia/Yerevan") == "2022-09-13"
    assert local_day("2022-09-12T20:05:00Z", "Nowhere/Land") == "2022-09-12"  # shown in UTC
    for stored in (None, "", "yesterday", 42, "2022-09-12T20:05:00", "\ud800"):
        assert local_day(stored, "Asia/Baku") is None


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.text(max_size=40), st.integers(), st.floats(allow_nan=True)),
       st.one_of(st.text(max_size=30), st.none(), st.integers()))  # fmt: skip
def test_local_day_never_fails(stored, zone) -> None:
    result = local_day(stored, zone)
    assert result is None or len(result) >= 10
