"""Map geometry: the projection there and back, the antimeridian and the poles, clipping."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.figures.basemap import base_layers, load_base_map
from briefing.figures.clip import clip_line, clip_ring
from briefing.figures.map_layout import scale_bar
from briefing.figures.projection import (
    REACH_KM,
    Azimuthal,
    centred_on,
    great_circle_km,
)

lons = st.floats(-180, 180, allow_nan=False)
lats = st.floats(-90, 90, allow_nan=False)


@settings(max_examples=400, deadline=None)
@given(lon0=lons, lat0=lats, lon=lons, lat=lats)
def test_a_point_projected_and_back_is_where_it_was(lon0, lat0, lon, lat) -> None:
    projection = Azimuthal(lon0, lat0)
    if great_circle_km((lon0, lat0), (lon, lat)) > 19_000:
        return  # next to the antipode, where every direction meets
    x, y = projection.forward(lon, lat)
    assert math.isfinite(x) and math.isfinite(y)
    back = projection.inverse(x, y)
    assert great_circle_km(back, (lon, lat)) < 0.01  # ten metres


@settings(max_examples=200, deadline=None)
@given(lon0=lons, lat0=st.floats(-89, 89), lon=lons, lat=lats)
def test_distance_from_the_centre_is_true(lon0, lat0, lon, lat) -> None:
    expected = great_circle_km((lon0, lat0), (lon, lat))
    if expected > 19_000:
        return
    x, y = Azimuthal(lon0, lat0).forward(lon, lat)
    assert math.hypot(x, y) == pytest.approx(expected, abs=0.01)


def test_many_points_project_as_one_does() -> None:
    projection = Azimuthal(45.5, 40.3)
    points = [(44.51, 40.18), (49.89, 40.38), (-179.9, -16.5), (0.0, 90.0)]
    for many, one in zip(projection.forward_many(points), points, strict=True):
        assert many == pytest.approx(projection.forward(*one))


def test_the_antipode_is_drawn_on_the_rim_not_at_the_centre() -> None:
    x, y = Azimuthal(0.0, 0.0).forward(180.0, 0.0)
    assert math.hypot(x, y) == pytest.approx(math.pi * 6371.0088)


def test_yerevan_to_baku_is_about_four_hundred_and_sixty_km() -> None:
    projection = centred_on([(44.51, 40.18), (49.89, 40.38)])
    ax, ay = projection.forward(44.51, 40.18)
    bx, by = projection.forward(49.89, 40.38)
    assert math.hypot(bx - ax, by - ay) == pytest.approx(458, abs=5)


def test_events_either_side_of_the_antimeridian_stay_together() -> None:
    points = [(179.8, -16.8), (-179.9, -16.6)]  # Fiji, on both sides of 180°
    projection = centred_on(points)
    assert abs(abs(projection.lon0) - 180) < 1
    (ax, ay), (bx, by) = projection.forward_many(points)
    assert math.hypot(bx - ax, by - ay) < 50


def _longest_segment(lines) -> float:
    return max(
        (math.dist(a, b) for line in lines for a, b in zip(line, line[1:], strict=False)),
        default=0.0,
    )


@pytest.mark.parametrize(
    ("centre", "half"),
    [((180.0, -17.0), 600.0), ((-179.0, 66.0), 900.0), ((0.0, 90.0), 1500.0), ((0, -90), 2000)],
    ids=["fiji", "bering-strait", "north-pole", "south-pole"],
)
def test_the_base_map_does_not_streak_across_the_antimeridian_or_the_poles(centre, half) -> None:
    base = load_base_map()
    projection = Azimuthal(*centre)
    rect = (-half, -half, half, half)
    layers = base_layers(base, projection, rect, base.level_for(2 * half / 800))
    assert layers.coasts  # there is something to draw
    for lines in (layers.coasts, layers.borders):
        for line in lines:
            for x, y in line:
                assert -half - 1e-6 <= x <= half + 1e-6 and -half - 1e-6 <= y <= half + 1e-6
        # No line jumps across the view: the seam at 180° would draw one.
        assert _longest_segment(lines) < half
    # No coast runs straight along the 180° cut Natural Earth makes in Fiji and Chukotka.


def test_the_whole_world_can_be_drawn_without_the_antipode() -> None:
    base = load_base_map()
    layers = base_layers(base, Azimuthal(45.5, 40.3), (-REACH_KM, -REACH_KM, REACH_KM, REACH_KM), 3)
    for ring in layers.land:
        for x, y in ring:
            assert math.hypot(x, y) <= REACH_KM * math.sqrt(2) + 1


def test_the_armenia_azerbaijan_border_is_drawn_in_detail_at_a_hundred_km() -> None:
    base = load_base_map()
    projection = Azimuthal(45.7, 39.9)
    rect = (-100.0, -100.0, 100.0, 100.0)  # 200 km across, about 0.3 km a pixel
    fine = base_layers(base, projection, rect, base.level_for(0.3))
    coarse = base_layers(base, projection, rect, len(base.tolerances) - 1)
    fine_points = sum(len(line) for line in fine.borders)
    assert fine_points > 150  # about a point per kilometre of border
    assert fine_points > 3 * sum(len(line) for line in coarse.borders)


def test_clipping_a_ring_keeps_what_is_inside() -> None:
    square = [(-2, -2), (2, -2), (2, 2), (-2, 2)]
    assert sorted(clip_ring(square, (-1, -1, 1, 1))) == sorted([(-1, -1), (1, -1), (1, 1), (-1, 1)])
    assert clip_ring(square, (5, 5, 6, 6)) == []


def test_clipping_a_line_splits_it_where_it_leaves() -> None:
    line = [(-2, 0), (0, 0), (2, 0), (2, 5), (0, 5)]
    pieces = clip_line([(-2, 0.5), (2, 0.5), (2, 3), (-2, 3), (-2, 0.8), (0, 0.8)], (-1, 0, 1, 1))
    assert pieces == [[(-1, 0.5), (1, 0.5)], [(-1, 0.8), (0, 0.8)]]
    assert clip_line(line, (10, 10, 11, 11)) == []


@pytest.mark.parametrize(
    ("units_per_km", "room", "km"), [(1.0, 160, 100), (0.1, 160, 1000), (3.0, 160, 50)]
)
def test_scale_bar_takes_a_round_length(units_per_km, room, km) -> None:
    bar = scale_bar(units_per_km, room)
    assert bar.km == km and bar.length <= room and bar.label == f"{km} km"


@settings(max_examples=100, deadline=None)
@given(lon0=lons, lat0=lats, points=st.lists(st.tuples(lons, lats), min_size=1, max_size=20))
def test_array_projection_agrees_with_the_point_one(lon0, lat0, points) -> None:
    import numpy as np

    from briefing.figures.projection import centred_on_arrays

    projection = Azimuthal(lon0, lat0)
    lon_array = np.array([p[0] for p in points])
    lat_array = np.array([p[1] for p in points])
    xs, ys = projection.forward_arrays(lon_array, lat_array)
    for x, y, point in zip(xs.tolist(), ys.tolist(), points, strict=True):
        assert (x, y) == pytest.approx(projection.forward(*point), abs=1e-6)
    a, b = centred_on_arrays(lon_array, lat_array), centred_on(points)
    assert great_circle_km((a.lon0, a.lat0), (b.lon0, b.lat0)) < 0.01


def test_lines_projected_together_are_each_as_projected_alone() -> None:
    """The base map projects every line of a view in one go; none runs into the next."""
    from briefing.figures.basemap import _project_lines

    projection = Azimuthal(45.5, 40.3)
    lines = [
        [(44.0, 40.0), (45.0, 41.0)],
        [(-120.0, 35.0), (-60.0, -20.0), (10.0, -40.0)],  # far: on the rim, following it
        [],
        [(46.0, 39.5)],
    ]
    together = _project_lines(projection, lines, 3000.0)
    alone = [_project_lines(projection, [line], 3000.0)[0] for line in lines]
    assert together == alone
    assert [len(line) for line in together[:1] + together[2:]] == [2, 0, 1]
    assert len(together[1]) > 3  # points added along the rim between far points
    assert all(math.hypot(x, y) <= 3000.0 + 1e-6 for x, y in together[1])
