"""The map in print: markers and groups, its place in the PDF, and ``briefing map``."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import String

from briefing.cli import main
from briefing.export.docx.picture import _logical
from briefing.export.lines import line_width
from briefing.export.map_drawing import map_drawing, snapshot_events
from briefing.export.map_files import TimeRange, parse_size
from briefing.export.snapshot import TimelineBlock
from briefing.figures.basemap import BORDERS_CAPTION
from briefing.figures.map_figure import LEGEND_WIDTH, map_figure
from briefing.figures.map_numbers import Circle, place_numbers
from briefing.figures.markers import BY_PARTY, MapEvent, group_markers, number_ranges, on_map
from briefing.services import records
from briefing.services.briefing_snapshot import build_snapshot
from briefing.services.pdf_export import export_briefing
from briefing.store import open_project


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def event(key: int, lon: float, lat: float, casualties: int = 0, status: str = "reported"):
    return MapEvent(key, f"Event {key}", lon, lat, status, "", "", casualties, number=key)


# ---------------------------------------------------------------------------- markers


def test_markers_closer_than_a_cell_are_one_group_with_a_count() -> None:
    events = [event(1, 0, 0), event(2, 0, 0), event(3, 0, 0)]
    points = [(0.0, 0.0), (3.0, 0.0), (50.0, 0.0)]
    groups = group_markers(events, points, cell=10.0)
    assert sorted(g.count for g in groups) == [1, 2]
    pair = next(g for g in groups if g.count == 2)
    assert (pair.x, pair.y) == (1.5, 0.0) and set(pair.members) == {0, 1}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(-500, 500), st.floats(-500, 500)), max_size=60))
def test_every_marker_is_in_exactly_one_group(points) -> None:
    events = [event(i, 0, 0) for i in range(len(points))]
    groups = group_markers(events, points, cell=20.0)
    members = sorted(i for g in groups for i in g.members)
    assert members == list(range(len(points)))


def test_number_ranges_are_compact() -> None:
    assert number_ranges([7, 1, 2, 3]) == "1–3, 7"
    assert number_ranges([4, 5]) == "4, 5"
    assert number_ranges(list(range(1, 40, 2))).endswith("…")


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(None, 45.0), (40.0, None), (float("nan"), 45.0), (40.0, float("inf")), (95.0, 45.0),
     (40.0, -181.0), ("forty", 45.0)],
)  # fmt: skip
def test_invalid_positions_are_not_on_the_map(lat, lon) -> None:
    assert not on_map(lat, lon)


def test_valid_positions_are_on_the_map() -> None:
    assert on_map(40.18, 44.51) and on_map(-90, 180) and on_map(0, 0)


def test_a_figure_places_every_marker_inside_the_map_and_names_the_capitals() -> None:
    events = [event(1, 46.06, 39.54, 16, "disputed"), event(2, 44.50, 40.18)]
    figure = map_figure(events, 480, 330)
    x0, y0, x1, y1 = figure.frame
    for marker in figure.markers:
        assert x0 < marker.x < x1 and y0 < marker.y < y1
    names = {label.text for label in figure.labels}
    assert {"Yerevan", "Baku"} <= names
    assert figure.caption[0] == BORDERS_CAPTION
    assert {m.label for m in figure.markers} == {"1", "2"}


# ---------------------------------------------------------------------------- the brief


@pytest.fixture(scope="module")
def brief(demo_template: Path, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("map")
    path = folder / "demo.brief"
    path.write_bytes(demo_template.read_bytes())
    with open_project(path, "Ana") as project:
        records.update_record(project, "entry", 4, {"latitude": None, "longitude": None})
        snapshot = build_snapshot(project, 1)
        export_briefing(project, 1, folder / "demo.pdf")
    pages = [words(p.extract_text()) for p in PdfReader(folder / "demo.pdf").pages]
    return path, snapshot, " ".join(pages)


def test_markers_carry_the_numbers_of_the_timeline_rows(brief) -> None:
    _, snapshot, text = brief
    ordered = snapshot.timeline()
    events = snapshot_events(snapshot)
    for e in events.on_map + events.off_map:
        assert ordered[e.number - 1].title == e.title
    assert "# When, where Event" in text
    first = next(b for s in snapshot.sections for b in s.blocks if isinstance(b, TimelineBlock))
    assert ordered[0] == first.entries[0]


def test_the_map_follows_the_first_timeline_with_its_caption(brief) -> None:
    _, snapshot, text = brief
    body = text[text.rindex("1. What happened") :]  # after the contents
    assert body.index("Timeline") < body.index("Map of events") < body.index("2. What each side")
    assert words(BORDERS_CAPTION) in text
    assert "Natural Earth" in text and "GeoNames" in text


def test_an_entry_without_coordinates_is_listed_as_not_on_the_map(brief) -> None:
    _, snapshot, text = brief
    events = snapshot_events(snapshot)
    (missing,) = events.off_map
    assert missing.title.startswith("Videos appear")
    assert f"Not on the map (no coordinates): {missing.number}. Videos appear" in text


def test_a_brief_without_coordinates_has_no_map(brief) -> None:
    _, snapshot, _ = brief
    blank = replace(
        snapshot,
        sections=tuple(
            replace(
                s,
                blocks=tuple(
                    replace(b, entries=tuple(replace(e, latitude=None) for e in b.entries))
                    if isinstance(b, TimelineBlock)
                    else b
                    for b in s.blocks
                ),
            )
            for s in snapshot.sections
        ),
    )
    assert snapshot_events(blank).on_map == ()


def test_time_range_holds_whole_days() -> None:
    from datetime import UTC, date, datetime

    day = TimeRange(date(2021, 11, 16), date(2021, 11, 16))
    assert day.holds(datetime(2021, 11, 16, 23, 59, tzinfo=UTC))
    assert not day.holds(datetime(2021, 11, 17, tzinfo=UTC))


# ---------------------------------------------------------------------------- the command


@pytest.mark.parametrize(
    ("suffix", "magic"), [("png", b"\x89PNG\r\n\x1a\n"), ("svg", b"<?xml"), ("pdf", b"%PDF-")]
)
def test_briefing_map_writes_each_format(brief, tmp_path, capsys, suffix, magic) -> None:
    path, _, _ = brief
    out = tmp_path / f"map.{suffix}"
    assert main(["map", str(path), "-o", str(out), "--size", "900x600"]) == 0
    assert out.read_bytes().startswith(magic)
    assert "Drew 4 timeline entries on the map" in capsys.readouterr().out
    if suffix == "svg":
        assert ElementTree.parse(out).getroot().tag.endswith("svg")
    if suffix == "pdf":
        text = words(PdfReader(out).pages[0].extract_text())
        assert words(BORDERS_CAPTION) in text and "Yerevan" in text and "Baku" in text
    if suffix == "png":
        assert int.from_bytes(out.read_bytes()[16:20], "big") == 900


def test_briefing_map_takes_a_time_range(brief, tmp_path, capsys) -> None:
    path, _, _ = brief
    out = tmp_path / "map.pdf"
    args = ["map", str(path), "-o", str(out), "--from", "2021-11-16", "--to", "2021-11-16"]
    assert main(args) == 0
    assert "Drew 2 timeline entries" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--from", "16/11/2021"], "--from takes a date such as 2021-11-16"),
        (["--size", "big"], "--size takes WIDTHxHEIGHT"),
        (["--from", "2030-01-01"], "there is nothing to map"),
        (["--briefing", "Nope"], "no briefing with the id or title 'Nope'"),
    ],
)
def test_briefing_map_refuses_in_one_sentence(brief, tmp_path, capsys, extra, message) -> None:
    path, _, _ = brief
    out = tmp_path / "map.png"
    assert main(["map", str(path), "-o", str(out), *extra]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and err.count("\n") == 1
    assert not out.exists()


def test_briefing_map_refuses_an_unknown_format(brief, tmp_path, capsys) -> None:
    path, _, _ = brief
    assert main(["map", str(path), "-o", str(tmp_path / "map.gif")]) == 1
    assert "give a .png, .svg or .pdf name" in capsys.readouterr().err


def test_size_is_bounded() -> None:
    assert parse_size("1200x800") == (1200, 800)
    with pytest.raises(Exception, match="between"):
        parse_size("10x10")


hostile = st.text(
    alphabet=st.sampled_from(list("0123456789-x×<&Եր ə ع 中🙂\ud800")), max_size=20
) | st.sampled_from(["2021-02-30", "99999-01-01", "1e9x1e9", "NaNxNaN", "-5x-5", "1200x800"])


@settings(max_examples=150, deadline=None)
@given(hostile)
def test_hostile_option_values_are_refused_in_one_sentence_or_usable(text) -> None:
    from briefing.errors import BriefingError
    from briefing.export.map_files import parse_day

    for parse in (lambda t: parse_day(t, "--from"), parse_size):
        try:
            parse(text)
        except BriefingError as error:
            assert str(error).count(". ") == 0 and str(error).endswith(".")


def test_the_map_as_png_bytes_for_other_documents(brief) -> None:
    from briefing.export.map_files import snapshot_map_png

    _, snapshot, _ = brief
    data = snapshot_map_png(snapshot)
    assert data is not None and data.startswith(b"\x89PNG")


def test_the_demo_brief_places_the_map_in_what_happened(demo_project, tmp_path: Path) -> None:
    """The demo shows the map where an analyst puts it: after the events, before the statements."""
    briefing = demo_project_briefing(demo_project)
    sections = records.get_record(demo_project, "briefing", briefing)["sections"]
    assert [i["kind"] for i in sections[0]["items"]] == ["entry", "entry", "map"]
    out = tmp_path / "demo.pdf"
    export_briefing(demo_project, briefing, out)
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    # the last mention of each heading is in the body (the first, in the contents)
    happened, statements = text.rindex("1. What happened"), text.rindex("2. What each side says")
    assert happened < text.index("Map of events") < statements
    assert text.count("Map of events") == 1


def demo_project_briefing(project) -> int:
    with project.engine.connect() as connection:
        return connection.exec_driver_sql("SELECT min(id) FROM briefing").scalar()


# ---------------------------------------------------------------------------- numbers


def _clear_of_each_other(figure) -> None:
    """No two number labels' boxes overlap, none covers a marker, all stay in the panel."""
    boxes = [n.box for n in figure.numbers]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and a[2] > b[0] and a[1] < b[3] and a[3] > b[1]), (a, b)
        x0, y0, x1, y1 = figure.frame
        assert x0 <= a[0] and a[2] <= x1 and y0 <= a[1] and a[3] <= y1
        for m in figure.markers:
            nx, ny = min(max(m.x, a[0]), a[2]), min(max(m.y, a[1]), a[3])
            assert (nx - m.x) ** 2 + (ny - m.y) ** 2 >= m.radius**2


def _listed(figure) -> list[str]:
    return sorted(part for n in figure.numbers for part in n.text.split("; "))


def test_the_demo_maps_numbers_stand_clear(brief) -> None:
    _, snapshot, _ = brief
    events = snapshot_events(snapshot)
    figure = map_figure(events.on_map, 480, 330)
    _clear_of_each_other(figure)
    assert _listed(figure) == sorted(m.label for m in figure.markers if m.label)


def test_a_crowded_maps_numbers_stand_clear_on_leaders_or_grouped() -> None:
    # 60 clashes 13 km apart along a front: markers just apart, too close for numbers beside each
    events = [event(k, 45.30 + 0.15 * (k % 20), 40.10 + 0.12 * (k // 20), 2) for k in
              range(1, 61)]  # fmt: skip
    figure = map_figure(events, 480, 330)
    assert len(figure.markers) > 10
    _clear_of_each_other(figure)
    assert any(n.leader for n in figure.numbers)
    assert _listed(figure) == sorted(m.label for m in figure.markers if m.label)


def test_a_map_too_crowded_for_clear_numbers_still_numbers_every_marker() -> None:
    # a hundred markers packed into a panel a fifth of an inch across each way
    circles = [Circle(10 + (k % 10), 10 + (k // 10), 3, str(k + 1)) for k in range(100)]
    labels = place_numbers(circles, (0, 0, 120, 120))
    written = sorted(int(n) for label in labels for n in label.text.split("; "))
    assert written == list(range(1, 101))


def _strings(node) -> list:
    if isinstance(node, String):
        return [node]
    return [s for child in getattr(node, "contents", ()) for s in _strings(child)]


def test_the_legend_prints_every_word_clear_of_its_symbols(tmp_path: Path) -> None:
    """A long size key wraps instead of losing its last letters; a party's name in Arabic
    is shaped and reads in its own order; no word starts inside a symbol or past the legend."""
    arabic = "وزارة الدفاع"
    events = [
        MapEvent(1, "One", 46.06, 39.54, "reported", arabic, "#D90012", 1_000_052, number=1),
        MapEvent(2, "Two", 44.50, 40.18, "reported", "X" * 300, "#00B5E2", 3, number=2),
    ]
    figure = map_figure(events, 560, 330, by=BY_PARTY)
    drawing = map_drawing(figure)
    path = tmp_path / "legend.pdf"
    renderPDF.drawToFile(drawing, str(path))
    printed = words(PdfReader(path).pages[0].extract_text())
    assert "1,000,052 casualties claimed" in printed
    x = figure.legend_at[0]
    legend = [shape for shape in _strings(drawing) if shape.x > x]
    shaped = [_logical(shape) for shape in legend if _logical(shape)[1] == "rtl"]
    assert shaped
    assert "".join(text for text, _ in reversed(shaped)) == arabic.replace(" ", "")
    clear = x + 9 + max(item.radius for item in figure.legend)
    keys = [shape for shape in legend if str(shape.text) in ("1,000", "1,000,052")]
    assert len(keys) == 2 and all(shape.x > clear for shape in keys)
    assert all(shape.x + line_width(str(shape.text), shape.fontName, shape.fontSize)
               <= x + LEGEND_WIDTH for shape in legend if "X" in str(shape.text))  # fmt: skip
