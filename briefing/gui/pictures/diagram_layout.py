"""The alliance diagram's layout now lives in :mod:`briefing.figures.alliance_layout`."""

from __future__ import annotations

from briefing.figures.alliance_layout import (
    PARALLEL_SPACING,
    Box,
    DiagramLayout,
    curve,
    edge_offsets,
    exit_parameter,
    group_order,
    lay_out,
)

__all__ = [
    "PARALLEL_SPACING",
    "Box",
    "DiagramLayout",
    "curve",
    "edge_offsets",
    "exit_parameter",
    "group_order",
    "lay_out",
]
