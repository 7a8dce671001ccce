"""Groups of overlapping markers: one colour keeps its ring; a mixed group shows each share."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from reportlab.graphics.shapes import Wedge

from briefing.export.map_drawing import map_drawing
from briefing.figures.map_figure import map_figure
from briefing.figures.map_layout import MIXED_LABEL, legend_items
from briefing.figures.markers import (
    MIN_ARC,
    MIXED_COLOUR,
    STATUS_COLOURS,
    MapEvent,
    group_markers,
    ring_arcs,
)


def event(key: int, status: str, lon: float = 45.9, lat: float = 40.2) -> MapEvent:
    return MapEvent(key, f"Event {key}", lon, lat, status, "", "", 0)


@given(st.lists(st.integers(min_value=1, max_value=10_000), min_size=1, max_size=6))
def test_the_arcs_of_a_ring_close_it_and_every_share_shows(counts: list[int]) -> None:
    shares = [(f"#00000{n}", count) for n, count in enumerate(counts)]
    arcs = ring_arcs(shares)
    assert [a[0] for a in arcs] == [s[0] for s in shares]
    assert abs(sum(a[2] for a in arcs) - 360.0) < 1e-6
    if len(arcs) > 1:
        assert min(a[2] for a in arcs) >= MIN_ARC * 360.0 / (360.0 + MIN_ARC * len(arcs)) - 1e-9
        assert all(abs(a[1] + a[2] - b[1]) < 1e-6 for a, b in zip(arcs, arcs[1:], strict=False))


def test_a_larger_share_gets_a_longer_arc() -> None:
    arcs = dict((colour, span) for colour, _, span in ring_arcs([("#a", 30), ("#b", 10)]))
    assert arcs["#a"] == 270.0 and arcs["#b"] == 90.0


def test_a_mixed_group_is_neutral_and_knows_its_shares() -> None:
    events = [event(1, "confirmed"), event(2, "confirmed"), event(3, "disputed")]
    (group,) = group_markers(events, [(0.0, 0.0)] * 3, 10.0)
    assert group.mixed and group.colour == MIXED_COLOUR
    assert group.shares == ((STATUS_COLOURS["confirmed"], 2), (STATUS_COLOURS["disputed"], 1))
    (single,) = group_markers(events[:2], [(0.0, 0.0)] * 2, 10.0)
    assert not single.mixed and single.colour == STATUS_COLOURS["confirmed"]


def test_the_legend_names_a_mixed_group_only_when_colours_can_mix() -> None:
    two = legend_items([event(1, "confirmed"), event(2, "refuted")], "status")
    assert [i.label for i in two if i.kind == "mixed"] == [MIXED_LABEL]
    one = legend_items([event(1, "confirmed")], "status")
    assert not [i for i in one if i.kind == "mixed"]


def _wedges(node: object) -> list[Wedge]:
    found = [node] if isinstance(node, Wedge) else []
    for child in getattr(node, "contents", []):
        found += _wedges(child)
    return found


def test_the_pdf_map_draws_a_mixed_group_as_arcs_of_each_colour() -> None:
    events = [event(1, "confirmed"), event(2, "confirmed"), event(3, "disputed")]
    figure = map_figure(events, 500, 360)
    (marker,) = figure.markers
    assert marker.count == 3 and len(marker.shares) == 2
    drawing = map_drawing(figure)
    colours = {w.fillColor.hexval().upper().replace("0X", "#") for w in _wedges(drawing)}
    assert {STATUS_COLOURS["confirmed"].upper(), STATUS_COLOURS["disputed"].upper()} <= colours
