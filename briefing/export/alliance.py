"""Alliance context: a diagram of the parties and their ties (ReportLab graphics) and a table."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from reportlab.graphics.shapes import Drawing, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.platypus import Flowable, LongTable, TableStyle

from briefing.export.fonts import CONDENSED, SANS, bold
from briefing.export.lines import fitted, line_width, shaped_string
from briefing.export.snapshot import AllianceBlock, PartyView, RelationshipView
from briefing.export.styles import FRAME_WIDTH, HEADER_SHADE, MUTED, RULE, SHADE, Styles
from briefing.export.tables import BriefTable
from briefing.export.text import CachedParagraph, clean, paragraphs, plain
from briefing.export.times import date_words
from briefing.figures.alliance_layout import (
    ARROW_NOTE,
    ENDED_COLOUR,
    KIND_COLOURS,
    NODE_GAP,
    NODE_NOTE,
    PARTY_FALLBACK,
    PARTY_KEY_TITLE,
    STATUS_DASHES,
    UNDIRECTED,
    Box,
    DiagramLayout,
    TieShape,
    lay_out,
    party_key,
    readable_on,
    tie_colour,
    tie_label,
    tie_shapes,
)
from briefing.figures.alliance_layout import NODE_HEIGHT as NODE_HEIGHT_SCREEN

MAX_PARTIES = 14
HEIGHT = 230.0
"""Height of the ring; the legend adds its lines below."""
MAX_HEIGHT = 520.0
"""The tallest the ring grows to keep its blocks apart (most of a page)."""
NODE_HEIGHT = 18.0
LABEL_SIZE = 6.8
NODE_SIZE = 8.0
LEGEND_SIZE = 7.0
_NODE_FONT = bold(CONDENSED)
_LABEL_FONT = CONDENSED
_PAD = 8.0


@dataclass(frozen=True)
class _Node:
    party_id: int
    label: str
    group: int
    parent_id: int | None = None


@dataclass(frozen=True)
class _Edge:
    relationship_id: int
    party_a: int
    party_b: int
    kind: str
    status: str


def _fill(hex_colour: str) -> colors.Color:
    try:
        return colors.HexColor(hex_colour)
    except (ValueError, TypeError):
        return colors.HexColor(PARTY_FALLBACK)


def _placed(
    block: AllianceBlock, width: float
) -> tuple[DiagramLayout, list[_Node], list[_Edge], float]:
    """The shared layout, its ring scaled into the drawing, boxes at their size in points.

    A group's members keep their places in it (stacked, children indented), at the
    drawing's box height; only the ring of groups is scaled to fit: across to the
    page's width, each block moved in whole, and down as far as keeps blocks that
    share a column apart (the ring then grows taller than :data:`HEIGHT`, up to
    :data:`MAX_HEIGHT`). Returns the ring's height too.
    """
    nodes = _nodes(block.parties)
    index = {p.uuid: node.party_id for p, node in zip(block.parties, nodes, strict=True)}
    edges = [
        _Edge(n, index[t.party_a.uuid], index[t.party_b.uuid], t.kind.value, t.status.value)
        for n, t in enumerate(block.relationships)
    ]
    widths = {n.party_id: line_width(n.label, _NODE_FONT, NODE_SIZE) + 14 for n in nodes}
    ring = lay_out(nodes, edges, lambda n: widths[n.party_id] - 28, width / HEIGHT)
    group_of = {n.party_id: n.group for n in nodes}
    step = (NODE_HEIGHT + 5) / (NODE_HEIGHT_SCREEN + NODE_GAP)
    anchors = {g: b.centre for g, b in ring.groups.items()}
    anchors.update({k: b.centre for k, b in ring.nodes.items() if group_of[k] not in ring.groups})
    members: dict[int, Box] = {}  # each box placed around its block's anchor at (0, 0)
    for key, box in ring.nodes.items():
        anchor_key = group_of[key] if group_of[key] in ring.groups else key
        ax, ay = anchors[anchor_key]
        x = (box.x - ax) * step if anchor_key != key else -widths[key] / 2
        y = (box.centre[1] - ay) * step - NODE_HEIGHT / 2
        members[key] = Box(x, y, widths[key], NODE_HEIGHT)
    blocks = {
        a: _around([b for k, b in members.items() if k == a or group_of[k] == a], 0)
        for a in anchors
    }
    xs, ys = [c[0] for c in anchors.values()], [c[1] for c in anchors.values()]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    tallest = max(b.height for b in blocks.values())
    room_x = width - 2 * _PAD - max(widths.values()) - 20
    scale_x = min(room_x / span_x, 1.0)
    scale_y = min((HEIGHT - 2 * _PAD - tallest) / span_y, scale_x)
    mid_x, mid_y = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    centres = {a: _inside((x - mid_x) * scale_x, blocks[a], width) for a, (x, _) in anchors.items()}
    scale_y = max(scale_y, _apart(centres, anchors, blocks))
    scale_y = min(scale_y, (MAX_HEIGHT - 2 * _PAD - tallest) / span_y)
    height = max(HEIGHT, span_y * scale_y + tallest + 2 * _PAD)
    boxes: dict[int, Box] = {}
    for key, box in members.items():
        anchor_key = group_of[key] if group_of[key] in ring.groups else key
        y = (anchors[anchor_key][1] - mid_y) * scale_y
        boxes[key] = Box(centres[anchor_key] + box.x, y + box.y, box.width, box.height)
    frames = {g: _around([b for k, b in boxes.items() if group_of[k] == g]) for g in ring.groups}
    return DiagramLayout(boxes, frames), nodes, edges, height


def _inside(centre: float, block: Box, width: float) -> float:
    """A block's centre moved in so that the whole block (and its frame) is inside the drawing."""
    low, high = -width / 2 + _PAD + 5 - block.x, width / 2 - _PAD - 5 - (block.x + block.width)
    return max(low, min(high, centre)) if low <= high else (low + high) / 2


def _apart(
    centres: dict[int, float], anchors: dict[int, tuple[float, float]], blocks: dict[int, Box]
) -> float:
    """The least vertical scale at which no two blocks standing in one column overlap."""
    need = 0.0
    keys = sorted(anchors)
    for n, a in enumerate(keys):
        for b in keys[n + 1 :]:
            left_a, left_b = centres[a] + blocks[a].x, centres[b] + blocks[b].x
            apart = (
                left_a + blocks[a].width + 12 <= left_b or left_b + blocks[b].width + 12 <= left_a
            )
            rise = abs(anchors[a][1] - anchors[b][1])
            if apart or rise == 0:
                continue
            need = max(need, ((blocks[a].height + blocks[b].height) / 2 + 12) / rise)
    return need


def _around(boxes: list[Box], margin: float = 5) -> Box:
    left, top = min(b.x for b in boxes) - margin, min(b.y for b in boxes) - margin
    right = max(b.x + b.width for b in boxes) + margin
    bottom = max(b.y + b.height for b in boxes) + margin
    return Box(left, top, right - left, bottom - top)


def _nodes(parties: tuple[PartyView, ...]) -> list[_Node]:
    """The parties as the window numbers and groups them: by project key, under their parent."""
    keys = [p.key or -n - 1 for n, p in enumerate(parties)]  # no key: a stand-in, still unique
    parents = {p.key: p.parent for p in parties if p.key}

    def group(key: int) -> int:
        seen = {key}
        while parents.get(key) in parents and parents[key] not in seen:
            key = parents[key]  # type: ignore[assignment]
            seen.add(key)
        return key

    def label(text: str) -> str:
        return fitted(clean(text).replace("\n", " "), 120, NODE_SIZE, _NODE_FONT)

    return [
        _Node(key, label(p.label), group(key), p.parent if p.parent in parents else None)
        for key, p in zip(keys, parties, strict=True)
    ]  # fmt: skip


def diagram(block: AllianceBlock, width: float = FRAME_WIDTH) -> Drawing:
    """Parties as boxes in their colours, ties as curves coloured by kind, a legend below.

    The layout and palette are the window's (:mod:`briefing.figures.alliance_layout`).
    """
    layout, nodes, edges, height = _placed(block, width)
    shapes = tie_shapes(
        layout, edges, lambda e: (line_width(tie_label(e.kind, e.status), _LABEL_FONT, LABEL_SIZE),
                                  LABEL_SIZE + 1)
    )  # fmt: skip
    key = party_key([(p.kind, p.colour) for p in block.parties])
    legend = _legend_rows(edges, width, key)
    total = height + len(legend) * (LEGEND_SIZE + 5) + 6
    drawing = Drawing(width, total)
    drawing.initialFontName = SANS  # the default, Helvetica, would be named and not embedded
    drawing.add(Rect(0, 0, width, total, fillColor=SHADE, strokeColor=None))
    top = total - height / 2

    def at(point: tuple[float, float]) -> tuple[float, float]:
        return width / 2 + point[0], top - point[1]  # y grows downwards in the layout

    for edge in edges:
        _tie(drawing, edge, shapes[edge.relationship_id], at)
    for box in layout.groups.values():
        x, y = at((box.x, box.y + box.height))
        drawing.add(Rect(x, y, box.width, box.height, rx=6, ry=6, fillColor=None,
                         strokeColor=MUTED, strokeWidth=0.6, strokeDashArray=[3, 2]))  # fmt: skip
    for node, party in zip(nodes, block.parties, strict=True):
        _party(drawing, node, party, layout.nodes[node.party_id], at)
    _draw_legend(drawing, legend)
    return drawing


def _tie(drawing: Drawing, edge: _Edge, shape: TieShape, at: Callable) -> None:
    colour = colors.HexColor(tie_colour(edge.kind, edge.status))
    points = [c for p in shape.points for c in at(p)]
    dashes = list(STATUS_DASHES.get(edge.status, ())) or None
    drawing.add(PolyLine(points, strokeColor=colour, strokeWidth=1.5, strokeDashArray=dashes))
    if edge.kind not in UNDIRECTED:
        (x1, y1), (x2, y2) = at(shape.points[-2]), at(shape.points[-1])
        length = math.hypot(x2 - x1, y2 - y1) or 1.0
        ux, uy = (x2 - x1) / length, (y2 - y1) / length
        bx, by = x2 - ux * 7, y2 - uy * 7
        drawing.add(Polygon([x2, y2, bx - uy * 3.2, by + ux * 3.2, bx + uy * 3.2, by - ux * 3.2],
                            fillColor=colour, strokeColor=None))  # fmt: skip
    box = shape.label
    x, y = at((box.x, box.y + box.height))
    drawing.add(Rect(x, y, box.width, box.height, rx=2, ry=2, fillColor=colors.white,
                     strokeColor=colour, strokeWidth=0.5))  # fmt: skip
    drawing.add(String(x + box.width / 2, y + (box.height - LABEL_SIZE) / 2 + 1.2,
                       tie_label(edge.kind, edge.status), fontName=_LABEL_FONT,
                       fontSize=LABEL_SIZE, fillColor=colour, textAnchor="middle"))  # fmt: skip


def _party(drawing: Drawing, node: _Node, party: PartyView, box: Box, at: Callable) -> None:
    x, y = at((box.x, box.y + box.height))
    drawing.add(Rect(x, y, box.width, box.height, rx=4, ry=4, fillColor=_fill(party.colour),
                     strokeColor=colors.white, strokeWidth=1))  # fmt: skip
    ink = colors.HexColor(readable_on(party.colour))
    drawing.add(
        shaped_string(x + box.width / 2, y + 5.5, node.label, _NODE_FONT, NODE_SIZE, ink, "middle")
    )


LegendEntry = tuple[str, tuple[str, ...], str]
"""Text, colours and what the sample is: a line of a status, a box (``party``) or nothing."""
SWATCH = 7.0


def _sample_width(entry: LegendEntry) -> float:
    text, colours, sample = entry
    if sample == "party":
        return len(colours) * (SWATCH + 2) + 3
    return 24 if colours else 0


def _rows(entries: list[LegendEntry], width: float) -> list[list[LegendEntry]]:
    rows: list[list[LegendEntry]] = [[]]
    used = 0.0
    for entry in entries:
        needed = _sample_width(entry) + line_width(entry[0], SANS, LEGEND_SIZE) + 12
        if rows[-1] and used + needed > width - 2 * _PAD:
            rows.append([])
            used = 0.0
        rows[-1].append(entry)
        used += needed
    return rows


def _legend_rows(
    edges: list[_Edge], width: float, key: list[tuple[str, tuple[str, ...]]]
) -> list[list[LegendEntry]]:
    """Legend rows that fit the width: tie kinds and statuses, party kinds, then the notes."""
    kinds = [k for k in KIND_COLOURS if any(e.kind == k for e in edges)]
    statuses = [s for s in STATUS_DASHES if any(e.status == s for e in edges)]
    ties: list[LegendEntry] = [(k, (KIND_COLOURS[k],), "in force") for k in kinds]
    ties += [(s, (ENDED_COLOUR if s == "ended" else "#444444",), s) for s in statuses]
    parties: list[LegendEntry] = [(PARTY_KEY_TITLE, (), "")]
    parties += [(kind, colours, "party") for kind, colours in key]
    notes: list[list[LegendEntry]] = [[(ARROW_NOTE, (), "")], [(NODE_NOTE, (), "")]]
    return [*_rows(ties, width), *_rows(parties, width), *notes]


def _draw_legend(drawing: Drawing, rows: list[list[LegendEntry]]) -> None:
    y = len(rows) * (LEGEND_SIZE + 5) - LEGEND_SIZE
    for row in rows:
        x = _PAD
        for text, shades, sample in row:
            if sample == "party":
                for shade in shades:
                    drawing.add(Rect(x, y - 0.5, SWATCH, SWATCH, rx=1.5, ry=1.5,
                                     fillColor=_fill(shade), strokeColor=None))  # fmt: skip
                    x += SWATCH + 2
                x += 3
            elif shades:
                dashes = list(STATUS_DASHES.get(sample, ())) or None
                drawing.add(Line(x, y + 2.5, x + 20, y + 2.5,
                                 strokeColor=colors.HexColor(shades[0]),
                                 strokeWidth=1.5, strokeDashArray=dashes))  # fmt: skip
                x += 24
            drawing.add(String(x, y, text, fontName=SANS, fontSize=LEGEND_SIZE, fillColor=MUTED))
            x += line_width(text, SANS, LEGEND_SIZE) + 12
        y -= LEGEND_SIZE + 5


def _period(tie: RelationshipView) -> str:
    since, until = date_words(tie.since), date_words(tie.until)
    if since and until:
        return f"{since} – {until}"
    if since:
        return f"since {since}"
    return f"until {until}" if until else "—"


def alliance_table(block: AllianceBlock, st: Styles) -> LongTable:
    head = ["Parties", "Tie", "What", "When", "Status", "Sources"]
    rows: list[list[Flowable | list[Flowable]]] = [[CachedParagraph(h, st.cell_head) for h in head]]
    for tie in block.relationships:
        what: list[Flowable] = [CachedParagraph(f"<b>{plain(tie.title)}</b>", st.cell)]
        if tie.description:
            what += paragraphs(tie.description, st.cell)
        rows.append(
            [
                CachedParagraph(
                    f"{plain(tie.party_a.label)} — {plain(tie.party_b.label)}", st.cell
                ),
                CachedParagraph(
                    f'<font color="{KIND_COLOURS.get(tie.kind.value, "#555555")}">'
                    f"{tie.kind.value}</font>",
                    st.cell,
                ),
                what,
                CachedParagraph(plain(_period(tie)), st.cell),
                CachedParagraph(tie.status.value, st.cell),
                CachedParagraph(", ".join(f"[{n}]" for n in tie.notes) or "—", st.cell),
            ]
        )
    scale = FRAME_WIDTH / 100
    widths = [w * scale for w in (19, 14, 35, 13, 10, 9)]
    table = BriefTable(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_SHADE),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, SHADE]),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def alliance_flowables(block: AllianceBlock, st: Styles) -> list[Flowable]:
    """The diagram (when the parties fit on it) followed by the table."""
    flowables: list[Flowable] = []
    if len(block.parties) <= MAX_PARTIES:
        flowables.append(diagram(block))
    else:
        flowables.append(
            CachedParagraph(
                f"{len(block.parties)} parties are too many to draw; see the table.", st.small
            )
        )
    flowables.append(alliance_table(block, st))
    return flowables
