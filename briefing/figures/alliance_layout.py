"""The alliance diagram's layout and palette, shared by the window and the PDF brief.

Plain Python (no Qt, no ReportLab). A party and the parties under it form one
group, drawn as one block, so the Armenian MoD stays beside Armenia. Groups go
round an ellipse in the order that puts related groups next to each other; ties
are curves, parallel ties between the same parties bowed apart, and each tie's
label is put where it covers no party, no other label and no other tie's line.
Coordinates are centred on (0, 0) with y growing downwards, as on a screen.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import permutations
from typing import Protocol


class DiagramNode(Protocol):
    """A party to place: its group is the top-level party it belongs to."""

    @property
    def party_id(self) -> int: ...
    @property
    def label(self) -> str: ...
    @property
    def group(self) -> int: ...
    @property
    def parent_id(self) -> int | None: ...


class DiagramEdge(Protocol):
    """A tie between two placed parties."""

    @property
    def relationship_id(self) -> int: ...
    @property
    def party_a(self) -> int: ...
    @property
    def party_b(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def status(self) -> str: ...


# ---------------------------------------------------------------------------- palette

KIND_COLOURS = {
    "defence treaty": "#1F4E9A",
    "military base": "#4A5F7A",
    "arms supply": "#9A4A00",
    "political backing": "#2E7D32",
    "mediation": "#6A1B9A",
    "peacekeeping": "#00838F",
    "rivalry": "#C62828",
    "membership": "#37474F",
    "sanctions": "#AD1457",
    "ceasefire agreement": "#558B2F",
    "arms embargo": "#795548",
}
"""A tie's colour says its kind (rivalry, the adversarial tie, in red)."""
OTHER_KIND = "#555555"
ENDED_COLOUR = "#9E9E9E"
UNDIRECTED = frozenset({"defence treaty", "rivalry", "ceasefire agreement"})
"""Kinds drawn without an arrow: they bind both parties alike."""
STATUS_DASHES: dict[str, tuple[float, ...]] = {
    "in force": (),
    "alleged": (6.0, 4.0),
    "suspended": (1.5, 3.0),
    "ended": (),
}
"""A tie's line says its status: solid, dashed (alleged), dotted (suspended), grey (ended)."""
PARTY_FALLBACK = "#607080"
ARROW_NOTE = (
    "Arrows run from the first party to the second: who backs, supplies, hosts a base for "
    "or keeps the peace for whom."
)
NODE_NOTE = (
    "Boxes are parties in their own colours; a dashed frame groups a party with those under it."
)


PARTY_KEY_TITLE = "Parties:"


def party_key(parties: Sequence[tuple[str, str]]) -> list[tuple[str, tuple[str, ...]]]:
    """The key of party kinds: each kind drawn, with the box colours of its parties.

    ``parties`` are (kind, colour) pairs in drawing order; kinds keep that order and
    each colour is listed once per kind, so a reader matches a box's colour to its kind.
    """
    kinds: dict[str, list[str]] = {}
    for kind, colour in parties:
        shades = kinds.setdefault(kind or "party", [])
        if colour.upper() not in (c.upper() for c in shades):
            shades.append(colour)
    return [(kind, tuple(colours)) for kind, colours in kinds.items()]


def tie_colour(kind: str, status: str) -> str:
    """The hex colour of a tie's line and label."""
    return ENDED_COLOUR if status == "ended" else KIND_COLOURS.get(kind, OTHER_KIND)


def tie_label(kind: str, status: str) -> str:
    return kind if status == "in force" else f"{kind} ({status})"


def readable_on(hex_colour: str) -> str:
    """Black or white text, whichever reads better on a party's colour."""
    try:
        value = hex_colour.lstrip("#")
        red, green, blue = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    except (ValueError, AttributeError):
        return "#FFFFFF"
    return "#111111" if 0.299 * red + 0.587 * green + 0.114 * blue > 150 else "#FFFFFF"


NODE_HEIGHT = 30.0
GROUP_PADDING = 10.0
CHILD_INDENT = 18.0
NODE_GAP = 8.0
PARALLEL_SPACING = 60.0
"""How far apart the control points of two edges between the same parties are."""
BRUTE_FORCE_LIMIT = 7
TALL_RING = 0.85
"""A tall ring's height against a round one's: its sides are close, the labels between roomy."""

Point = tuple[float, float]


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float

    @property
    def centre(self) -> Point:
        return self.x + self.width / 2, self.y + self.height / 2

    def contains(self, point: Point) -> bool:
        return (
            self.x <= point[0] <= self.x + self.width and self.y <= point[1] <= self.y + self.height
        )

    def intersects(self, other: Box) -> bool:
        return not (
            other.x >= self.x + self.width
            or other.x + other.width <= self.x
            or other.y >= self.y + self.height
            or other.y + other.height <= self.y
        )


@dataclass(frozen=True)
class DiagramLayout:
    nodes: dict[int, Box]
    groups: dict[int, Box]
    """Boxes around groups of more than one party."""


def _depth(node: DiagramNode, by_id: dict[int, DiagramNode]) -> int:
    depth, current = 0, node
    while current.parent_id in by_id and depth < len(by_id):
        depth += 1
        current = by_id[current.parent_id]  # type: ignore[index]
    return depth


def group_order(groups: Sequence[int], links: Sequence[tuple[int, int]]) -> list[int]:
    """Order groups round the ring so that linked groups sit close together."""
    groups = list(groups)
    if len(groups) <= 3:
        return groups
    weight: dict[tuple[int, int], int] = defaultdict(int)
    for a, b in links:
        if a != b:
            weight[min(a, b), max(a, b)] += 1

    def cost(order: Sequence[int]) -> int:
        place = {g: n for n, g in enumerate(order)}
        size = len(order)
        total = 0
        for (a, b), count in weight.items():
            gap = abs(place[a] - place[b])
            total += count * min(gap, size - gap)
        return total

    if len(groups) <= BRUTE_FORCE_LIMIT:
        first, rest = groups[0], groups[1:]
        return min(([first, *p] for p in permutations(rest)), key=cost)
    order = [max(groups, key=lambda g: sum(c for k, c in weight.items() if g in k))]
    while len(order) < len(groups):
        last = order[-1]
        left = [g for g in groups if g not in order]
        order.append(max(left, key=lambda g: weight.get((min(g, last), max(g, last)), 0)))
    return order


def lay_out(
    nodes: Sequence[DiagramNode],
    edges: Sequence[DiagramEdge],
    text_width: Callable[[DiagramNode], float],
    aspect: float = 1.6,
) -> DiagramLayout:
    """Boxes for every node (and every group of several nodes), centred on (0, 0).

    ``aspect`` is the width/height of the space to fill: a tall pane gets a tall ring.
    """
    by_id = {n.party_id: n for n in nodes}
    members: dict[int, list[DiagramNode]] = defaultdict(list)
    for node in nodes:
        members[node.group].append(node)
    for group_members in members.values():
        group_members.sort(key=lambda n: (_depth(n, by_id), n.label))
    links = [(by_id[e.party_a].group, by_id[e.party_b].group) for e in edges]
    order = group_order(sorted(members), links)
    sizes = {g: _group_size(members[g], by_id, text_width) for g in order}
    widest = max((w for w, _ in sizes.values()), default=0.0)
    tallest = max((h for _, h in sizes.values()), default=0.0)
    count = len(order)
    radius = max(widest * 1.5, count * (widest + 80) / (2 * math.pi) * 1.8, 240.0)
    if aspect >= 1:  # a wide pane: a wide ring
        rx, ry = radius, max(tallest * 1.6, radius * 0.6)
    else:  # a tall pane: the ring and its blocks together take the pane's shape
        ry = max(tallest * 1.6, radius * TALL_RING)
        rx = max(widest / 2 + 20, (aspect * (2 * ry + tallest) - widest) / 2)
    node_boxes: dict[int, Box] = {}
    group_boxes: dict[int, Box] = {}
    for n, group in enumerate(order):
        angle = 2 * math.pi * n / count
        cx, cy = (0.0, 0.0) if count == 1 else (-math.cos(angle) * rx, -math.sin(angle) * ry)
        width, height = sizes[group]
        box = Box(cx - width / 2, cy - height / 2, width, height)
        _place_members(members[group], box, by_id, text_width, node_boxes)
        if len(members[group]) > 1:
            group_boxes[group] = box
    return DiagramLayout(node_boxes, group_boxes)


def _group_size(
    group: list[DiagramNode], by_id: dict[int, DiagramNode], text_width: Callable[..., float]
) -> tuple[float, float]:
    if len(group) == 1:
        return node_width(group[0], text_width), NODE_HEIGHT
    width = max(_depth(n, by_id) * CHILD_INDENT + node_width(n, text_width) for n in group)
    height = len(group) * NODE_HEIGHT + (len(group) - 1) * NODE_GAP
    return width + 2 * GROUP_PADDING, height + 2 * GROUP_PADDING


def node_width(node: DiagramNode, text_width: Callable[[DiagramNode], float]) -> float:
    return max(90.0, text_width(node) + 28)


def _place_members(
    group: list[DiagramNode],
    box: Box,
    by_id: dict[int, DiagramNode],
    text_width: Callable[[DiagramNode], float],
    into: dict[int, Box],
) -> None:
    padding = 0.0 if len(group) == 1 else GROUP_PADDING
    top = box.y + padding
    root_depth = min(_depth(n, by_id) for n in group)
    for node in group:
        indent = (_depth(node, by_id) - root_depth) * CHILD_INDENT
        into[node.party_id] = Box(
            box.x + padding + indent, top, node_width(node, text_width), NODE_HEIGHT
        )
        top += NODE_HEIGHT + NODE_GAP


# ---------------------------------------------------------------------------- edges


def edge_offsets(edges: Sequence[DiagramEdge]) -> dict[int, float]:
    """Sideways offset of each edge's control point, so parallel edges fan out."""
    by_pair: dict[tuple[int, int], list[DiagramEdge]] = defaultdict(list)
    for edge in edges:
        by_pair[min(edge.party_a, edge.party_b), max(edge.party_a, edge.party_b)].append(edge)
    offsets = {}
    for pair in by_pair.values():
        for k, edge in enumerate(pair):
            offsets[edge.relationship_id] = (k - (len(pair) - 1) / 2) * PARALLEL_SPACING
    return offsets


def curve(a: Point, b: Point, offset: float) -> Callable[[float], Point]:
    """A quadratic curve from ``a`` to ``b`` bowed ``offset`` to one side.

    The side is fixed by the direction from the lower to the higher point, so
    that edges drawn either way between two parties fan out the same.
    """
    first, second = (a, b) if a <= b else (b, a)
    dx, dy = second[0] - first[0], second[1] - first[1]
    length = math.hypot(dx, dy) or 1.0
    mid = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
    control = (mid[0] - dy / length * offset, mid[1] + dx / length * offset)

    def point(t: float) -> Point:
        u = 1 - t
        return (
            u * u * a[0] + 2 * u * t * control[0] + t * t * b[0],
            u * u * a[1] + 2 * u * t * control[1] + t * t * b[1],
        )

    return point


def exit_parameter(point: Callable[[float], Point], box: Box, from_end: bool) -> float:
    """Where the curve leaves ``box`` (which holds its start, or its end if ``from_end``)."""
    inside, outside = (1.0, 0.5) if from_end else (0.0, 0.5)
    if box.contains(point(outside)):
        return outside
    for _ in range(30):
        middle = (inside + outside) / 2
        if box.contains(point(middle)):
            inside = middle
        else:
            outside = middle
    return outside


# ---------------------------------------------------------------------------- ties and labels

SAMPLES = 32
LABEL_SHIFTS = (0.0, 0.07, -0.07, 0.14, -0.14, 0.21, -0.21, 0.28, -0.28, 0.35, -0.35)


@dataclass(frozen=True)
class TieShape:
    """Where one tie is drawn: its line as points, and the box of its label."""

    points: tuple[Point, ...]
    label: Box


def tie_shapes(
    layout: DiagramLayout,
    edges: Sequence[DiagramEdge],
    label_size: Callable[[DiagramEdge], tuple[float, float]],
) -> dict[int, TieShape]:
    """Every tie's line (between the borders of its parties) and a label spot clear of the rest.

    A label may not cover a party, another label or another tie's line; when no spot
    along its own line is free, the one covering least is taken.
    """
    offsets = edge_offsets(edges)
    lines: dict[int, tuple[Point, ...]] = {}
    for edge in edges:
        a, b = layout.nodes[edge.party_a], layout.nodes[edge.party_b]
        point = curve(a.centre, b.centre, offsets[edge.relationship_id])
        start = exit_parameter(point, a, from_end=False)
        end = exit_parameter(point, b, from_end=True)
        lines[edge.relationship_id] = tuple(
            point(start + (end - start) * n / SAMPLES) for n in range(SAMPLES + 1)
        )
    taken = list(layout.nodes.values())
    shapes: dict[int, TieShape] = {}
    for edge in edges:
        own = lines[edge.relationship_id]
        others = [p for key, pts in lines.items() if key != edge.relationship_id for p in pts]
        first = 0.5 + offsets[edge.relationship_id] / PARALLEL_SPACING * 0.16
        box = _label_spot(own, first, label_size(edge), taken, others)
        taken.append(box)
        shapes[edge.relationship_id] = TieShape(own, box)
    return shapes


def _label_spot(
    line: tuple[Point, ...], first: float, size: tuple[float, float], taken: list[Box],
    others: list[Point],
) -> Box:  # fmt: skip
    """The first spot along the line (then just beside it) that covers nothing; else the least."""
    width, height = size[0] + 10, size[1] + 4
    last = len(line) - 1

    def box_at(t: float, side: float) -> Box:
        index = round(min(max(t, 0.12), 0.88) * last)
        (x0, y0), (x1, y1) = line[max(index - 1, 0)], line[min(index + 1, last)]
        length = math.hypot(x1 - x0, y1 - y0) or 1.0
        nx, ny = (y0 - y1) / length, (x1 - x0) / length  # the line's normal
        x, y = line[index]
        x, y = x + nx * side * (height + 2), y + ny * side * (height + 2)
        return Box(x - width / 2, y - height / 2, width, height)

    def cost(box: Box) -> int:
        return 10 * sum(box.intersects(o) for o in taken) + sum(box.contains(p) for p in others)

    sides = (0.0, 0.6, -0.6, 1.2, -1.2)
    candidates = [box_at(first + shift, side) for side in sides for shift in LABEL_SHIFTS]
    return min(candidates, key=cost)  # the first free one: on the line, as near its middle
