"""Place names on the printed map: wholly inside the drawing, clear of its furniture."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfbase.pdfmetrics import stringWidth

from briefing.errors import BriefingError
from briefing.export.fonts import SANS
from briefing.export.map_drawing import _caption_fitted, label_width
from briefing.export.map_files import write_map
from briefing.figures.basemap import BORDERS_CAPTION
from briefing.figures.map_figure import map_figure
from briefing.figures.map_layout import Label, estimated_width, place_labels
from briefing.figures.markers import MapEvent
from briefing.figures.projection import Azimuthal
from briefing.services.briefing_snapshot import build_snapshot


def extent(label: Label) -> tuple[float, float]:
    width = label_width(label.text, label.kind, label.size)
    left = {"start": label.tx, "end": label.tx - width, "middle": label.tx - width / 2}
    return left[label.anchor], left[label.anchor] + width


@settings(max_examples=12, deadline=None)
@given(
    st.lists(st.tuples(st.floats(43.0, 48.0), st.floats(38.5, 42.0)), min_size=1, max_size=6),
    st.sampled_from([(300.0, 200.0), (480.0, 330.0), (600.0, 400.0), (900.0, 420.0)]),
)
def test_every_name_lies_wholly_inside_the_printed_map(points, size) -> None:
    events = [
        MapEvent(i, f"E{i}", lon, lat, "reported", "", "", 0, number=i)
        for i, (lon, lat) in enumerate(points, 1)
    ]
    figure = map_figure(events, *size, measure=label_width)
    x0, y0, x1, y1 = figure.frame
    for label in figure.labels:
        left, right = extent(label)
        assert x0 <= left and right <= x1, label
        assert y0 <= label.ty - 0.35 * label.size and label.ty + 0.85 * label.size <= y1


def test_a_country_near_the_edge_is_named_whole_or_not_at_all() -> None:
    """Georgia's label point, a little inside the left edge: its name must not run out."""
    projection = Azimuthal(45.5, 40.3)
    from briefing.figures.basemap import CountryLabel
    from briefing.figures.map_layout import Transform

    georgia = CountryLabel("Georgia", 43.5, 42.2)
    x, _ = projection.forward(georgia.lon, georgia.lat)
    to_drawing = Transform(1.0, (x - 20.0, -500.0), (0.0, 0.0))  # the point 20 units inside
    labels = place_labels([], [georgia], projection, to_drawing, (0, 0, 600, 1000), [])
    assert all(
        label.tx - estimated_width(label.text, "country", label.size) / 2 >= 0 for label in labels
    )
    assert estimated_width("GEORGIA", "country", 8.5) >= stringWidth("GEORGIA", "Helvetica", 8.5)


def test_names_keep_clear_of_the_scale_bar_and_their_dots_too() -> None:
    projection = Azimuthal(45.5, 40.3)
    from briefing.figures.basemap import load_base_map
    from briefing.figures.map_layout import Transform

    base = load_base_map()
    to_drawing = Transform(0.8, (-300.0, -200.0), (0.0, 0.0))
    bar = (0.0, 0.0, 250.0, 120.0)
    labels = place_labels(
        base.places, [], projection, to_drawing, (0, 0, 480, 320), [], furniture=[bar]
    )
    assert labels
    for label in labels:
        width = estimated_width(label.text, label.kind, label.size)
        left = {"start": 0.0, "end": -width, "middle": -width / 2}[label.anchor] + label.tx
        top, bottom = label.ty + 0.85 * label.size, label.ty - 0.35 * label.size
        assert left >= bar[2] or bottom >= bar[3], label  # the name clear of the bar
        assert label.x >= bar[2] + 2.5 or label.y >= bar[3] + 2.5, label  # and its dot
        assert top > bottom


def test_the_caption_wraps_to_a_narrow_map_and_never_runs_past_it() -> None:
    texts = [BORDERS_CAPTION, "Map data: Natural Earth (public domain) and GeoNames (CC BY 4.0)."]
    for width in (150.0, 300.0, 600.0):
        size, lines = _caption_fitted(texts, width, 30.0)
        assert lines and len(lines) * 1.3 * size <= 30.0
        assert all(stringWidth(line, SANS, size) <= width for line in lines if " " in line)


def test_a_png_too_small_for_its_legend_is_refused_in_one_sentence(demo_project, tmp_path) -> None:
    snapshot = build_snapshot(demo_project, 1)
    with pytest.raises(BriefingError, match="needs --size 600x400 or more"):
        write_map(snapshot, tmp_path / "map.png", (400, 300))
    assert not (tmp_path / "map.png").exists()
    assert write_map(snapshot, tmp_path / "map.pdf", (400, 300)) > 0  # points: room enough
