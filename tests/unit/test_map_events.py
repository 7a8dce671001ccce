"""Timeline entries read for the window's map: placed or listed, coloured by the acting party."""

from __future__ import annotations

from briefing.services import records
from briefing.services.map_events import briefing_entry_ids, map_events

CLASH, CAPTIVES, REQUEST = 3, 4, 5


def test_every_entry_with_a_position_is_placed_in_time_order(demo_project) -> None:
    found = map_events(demo_project)
    assert [e.key for e in found.events] == [1, 2, CLASH, REQUEST, CAPTIVES]
    assert found.off_map == ()
    assert found.starts.tolist() == sorted(found.starts.tolist())
    captives = next(e for e in found.events if e.key == CAPTIVES)
    assert captives.casualties == 12 and captives.status == "unconfirmed"


def test_the_marker_takes_the_initiators_colour(demo_project) -> None:
    found = {e.key: e for e in map_events(demo_project).events}
    assert found[CAPTIVES].party == "Azerbaijani forces"  # the initiator, not the target
    assert found[CAPTIVES].party_colour.startswith("#")
    assert found[REQUEST].party == "Armenia"


def test_a_subset_and_a_briefing(demo_project) -> None:
    assert sorted(briefing_entry_ids(demo_project, 1)) == [1, 2, 3, 4, 5]
    assert [e.key for e in map_events(demo_project, [REQUEST, CLASH]).events] == [CLASH, REQUEST]


def test_an_entry_without_coordinates_is_listed_apart(demo_project) -> None:
    records.update_record(demo_project, "entry", CLASH, {"latitude": None, "longitude": None})
    found = map_events(demo_project)
    assert [u.entry_id for u in found.off_map] == [CLASH]
    assert CLASH not in {e.key for e in found.events}
    assert len(found.starts) == len(found.events)


def test_positions_checked_in_arrays_agree_with_the_rules() -> None:
    """The map's array check of positions refuses exactly what the model's rules refuse."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from briefing.figures.markers import on_map
    from briefing.services.map_events import placed_mask

    values = st.one_of(
        st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers(-(2**70), 2**70),
        st.sampled_from([True, False, "40.2", "", 90, -180, 90.0000001, -180.5]),
    )  # fmt: skip

    @settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.tuples(values, values), min_size=1, max_size=20))
    def agree(pairs: list[tuple[object, object]]) -> None:
        lats, lons = [p[0] for p in pairs], [p[1] for p in pairs]
        assert placed_mask(lats, lons).tolist() == [on_map(a, o) for a, o in pairs]

    agree()


def test_a_position_another_program_spoiled_is_listed_not_drawn(demo_project) -> None:
    import sqlite3

    connection = sqlite3.connect(demo_project.path)
    with connection:
        connection.execute(f"UPDATE timeline_entry SET latitude = 'north' WHERE id = {CLASH}")
    connection.close()
    found = map_events(demo_project)
    assert CLASH in {u.entry_id for u in found.off_map}
    assert CLASH not in {e.key for e in found.events}
    assert len(found.lats) == len(found.events)


def test_a_worker_reads_in_short_steps_and_finds_the_same(demo_project, monkeypatch) -> None:
    from briefing.services import map_events as module

    whole = map_events(demo_project)
    monkeypatch.setattr(module, "STEP", 2)  # five entries: three statements
    engine = module.reader(demo_project)
    assert engine is not None
    stepped = map_events(demo_project, engine=engine)
    engine.dispose()
    assert [e.key for e in stepped.events] == [e.key for e in whole.events]
    assert [e.casualties for e in stepped.events] == [e.casualties for e in whole.events]
    assert stepped.starts.tolist() == whole.starts.tolist()


def test_a_worker_read_no_longer_wanted_stops_between_steps(demo_project, monkeypatch) -> None:
    import pytest

    from briefing.services import map_events as module

    monkeypatch.setattr(module, "STEP", 2)
    asked: list[int] = []

    def wanted() -> bool:
        asked.append(1)
        return len(asked) < 2  # wanted for the first step only

    engine = module.reader(demo_project)
    assert engine is not None
    with pytest.raises(module.Superseded):
        map_events(demo_project, engine=engine, wanted=wanted)
    engine.dispose()
    assert len(asked) == 2
