"""Where the relationship diagram puts things: groups of parties on a ring, edges as curves.

Plain Python. A party and the parties under it form one group, drawn as one
block, so the Armenian MoD stays beside Armenia. Groups go round an ellipse in
the order that puts related groups next to each other.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import permutations

from briefing.services.charts import DiagramEdge, DiagramNode

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
