"""The alliance diagram's shared layout: labels clear of parties, labels and other ties."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from briefing.export import alliance
from briefing.export.times import date_words
from briefing.figures import alliance_layout as shared
from briefing.figures.alliance_layout import Box, lay_out, tie_shapes


@dataclass(frozen=True)
class Node:
    party_id: int
    label: str
    group: int
    parent_id: int | None = None


@dataclass(frozen=True)
class Edge:
    relationship_id: int
    party_a: int
    party_b: int
    kind: str = "defence treaty"
    status: str = "in force"


NODES = [Node(n, name, n) for n, name in enumerate(("Russia", "Armenia", "Azerbaijan", "Turkey",
                                                     "Russian peacekeepers", "Iran"))]  # fmt: skip
EDGES = [
    Edge(1, 0, 1), Edge(2, 0, 1, "military base"), Edge(3, 3, 2, "political backing"),
    Edge(4, 3, 2, "arms supply", "alleged"), Edge(5, 4, 2, "peacekeeping"),
    Edge(6, 1, 2, "rivalry"), Edge(7, 5, 1, "mediation"),
]  # fmt: skip


def _shapes():
    layout = lay_out(NODES, EDGES, lambda n: 7.0 * len(n.label))
    return layout, tie_shapes(layout, EDGES, lambda e: (6.0 * len(e.kind), 12.0))


def test_labels_cover_no_party_and_no_other_label() -> None:
    layout, shapes = _shapes()
    labels = [s.label for s in shapes.values()]
    for index, label in enumerate(labels):
        assert not any(label.intersects(box) for box in layout.nodes.values())
        assert not any(label.intersects(other) for other in labels[index + 1 :])


def test_labels_cover_no_other_tie() -> None:
    _, shapes = _shapes()
    for key, shape in shapes.items():
        others = [p for k, s in shapes.items() if k != key for p in s.points]
        assert not any(shape.label.contains(p) for p in others), key


def test_parallel_ties_are_drawn_apart() -> None:
    _, shapes = _shapes()
    treaty, base = shapes[1].points, shapes[2].points
    middle = len(treaty) // 2
    gap = abs(treaty[middle][0] - base[middle][0]) + abs(treaty[middle][1] - base[middle][1])
    assert gap > 20


def test_window_and_pdf_share_one_palette() -> None:
    from briefing.gui.pictures import diagram as window

    assert window.KIND_COLOURS is shared.KIND_COLOURS
    assert alliance.KIND_COLOURS is shared.KIND_COLOURS
    assert shared.tie_colour("rivalry", "in force") == "#C62828"  # adversarial ties drawn
    assert shared.tie_colour("rivalry", "ended") == shared.ENDED_COLOUR


def test_box_intersection() -> None:
    assert Box(0, 0, 10, 10).intersects(Box(5, 5, 10, 10))
    assert not Box(0, 0, 10, 10).intersects(Box(10, 0, 10, 10))


@pytest.mark.parametrize(
    ("typed", "printed"),
    [("1997-08-29", "29 Aug 1997"), ("2020-11", "Nov 2020"), ("2020", "2020"),
     ("early 2021", "early 2021"), ("2021-13", "2021-13"), ("2021-02-30", "2021-02-30")],
)  # fmt: skip
def test_alliance_dates_take_the_brief_style(typed: str, printed: str) -> None:
    assert date_words(typed) == printed


def test_the_party_key_lists_each_kind_once_with_its_colours() -> None:
    from briefing.figures.alliance_layout import party_key

    key = party_key([("state", "#D90012"), ("state", "#00B5E2"), ("armed force", "#1F4E9A"),
                     ("state", "#d90012"), ("", "#777777")])  # fmt: skip
    assert key == [("state", ("#D90012", "#00B5E2")), ("armed force", ("#1F4E9A",)),
                   ("party", ("#777777",))]  # fmt: skip


def test_the_pdf_legend_names_the_party_kinds(demo_project, tmp_path) -> None:
    from pypdf import PdfReader

    from briefing.services.pdf_export import export_briefing

    export_briefing(demo_project, 1, tmp_path / "d.pdf")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(tmp_path / "d.pdf").pages)
    assert "Parties: state armed force" in text


def test_the_word_picture_draws_the_ties(demo_project) -> None:
    import io

    from PIL import Image
    from reportlab.graphics.shapes import PolyLine

    from briefing.export.alliance import diagram
    from briefing.export.docx.picture import drawing_png
    from briefing.export.fonts import register_fonts
    from briefing.export.snapshot import AllianceBlock
    from briefing.services.briefing_snapshot import build_snapshot

    register_fonts()
    snapshot = build_snapshot(demo_project, 1)
    block = next(b for s in snapshot.sections for b in s.blocks if isinstance(b, AllianceBlock))
    drawn = diagram(block)
    ties = [shape for shape in drawn.contents if isinstance(shape, PolyLine)]
    assert ties

    def green(drawing) -> int:  # pixels in the colour of the political backing tie
        image = Image.open(io.BytesIO(drawing_png(drawing))).convert("RGB")
        return sum(n for n, colour in image.getcolors(1 << 22) if colour == (0x2E, 0x7D, 0x32))

    with_ties = green(drawn)
    drawn.contents = [shape for shape in drawn.contents if shape not in ties]
    assert with_ties > green(drawn) + 500  # the curve itself, not only its label


def test_many_long_named_parties_in_one_family_are_drawn_apart_and_inside(tmp_path) -> None:
    """Twelve parties, six of them one family under a state, every name as long as a box
    takes: in the PDF's diagram no party's box covers another's and none leaves the picture;
    every name reads back from the printed page."""
    from pypdf import PdfReader
    from reportlab.graphics import renderPDF
    from reportlab.graphics.shapes import Rect

    from briefing.export.alliance import diagram
    from briefing.export.fonts import register_fonts
    from briefing.export.snapshot import AllianceBlock, PartyView, RelationshipView
    from briefing.model.vocab import RelationshipKind, RelationshipStatus

    register_fonts()
    names = ["Supercalifragilistic" * 3, "X" * 60, "Tab here", "Q\"uote's", "Parent's child <1>"]
    names += [f"Ministry number {n} of a very long official name" for n in range(7)]
    parents = {2: 1, 3: 1, 4: 2, 5: 3, 6: 4}
    parties = tuple(
        PartyView(f"u{n}", name, name, "state", "#3366AA", key=n, parent=parents.get(n))
        for n, name in enumerate(names, start=1)
    )
    kinds = list(RelationshipKind)
    ties = tuple(
        RelationshipView(f"r{n}", parties[n], parties[(n + 1) % 12], kinds[n % len(kinds)], "",
                         "", "", RelationshipStatus.IN_FORCE, "", ())
        for n in range(11)
    )  # fmt: skip
    drawing = diagram(AllianceBlock(ties, parties))
    boxes = [
        (s.x, s.y, s.x + s.width, s.y + s.height)
        for s in drawing.contents
        if isinstance(s, Rect) and s.fillColor is not None and s.height > 15 and s.width < 200
        and s.fillColor.hexval().upper() == "0X3366AA"
    ]  # fmt: skip
    assert len(boxes) == 12
    for n, (x0, y0, x1, y1) in enumerate(boxes):
        assert 0 <= x0 and x1 <= drawing.width and 0 <= y0 and y1 <= drawing.height
        for a0, b0, a1, b1 in boxes[n + 1 :]:
            assert x1 <= a0 or a1 <= x0 or y1 <= b0 or b1 <= y0, "two parties' boxes overlap"
    path = tmp_path / "diagram.pdf"
    renderPDF.drawToFile(drawing, str(path))
    printed = "".join(PdfReader(path).pages[0].extract_text().split())
    assert all(name.replace(" ", "")[:8] in printed for name in names)
