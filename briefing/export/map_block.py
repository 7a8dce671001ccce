"""The brief's map of events, printed where a section places it, else after the first timeline.

An analyst places the map with a section's map item; a brief without one prints
the map after the first timeline, where a reader has just seen the numbered rows
its markers carry. Entries without coordinates are listed under it by number.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Spacer

from briefing.export.map_drawing import SnapshotMap, label_width, map_drawing, snapshot_events
from briefing.export.snapshot import BriefingSnapshot
from briefing.export.styles import FRAME_WIDTH, Styles
from briefing.export.text import CachedParagraph, plain
from briefing.figures.map_figure import map_figure

MAP_HEIGHT = 340.0
MAP_TITLE = "Map of events"


def off_map_text(events: SnapshotMap) -> str:
    """Entries the map cannot show, by row number and title."""
    listed = "; ".join(f"{e.number}. {plain(e.title)}" for e in events.off_map)
    return f"<b>Not on the map</b> (no coordinates): {listed}."


def map_flowables(snapshot: BriefingSnapshot, st: Styles) -> list[Flowable]:
    """Heading, drawing and the list of unplaced entries; nothing when no entry has a place."""
    events = snapshot_events(snapshot)
    if not events.on_map:
        return []
    heading = CachedParagraph(MAP_TITLE, st.block_heading)
    heading._heading = True  # type: ignore[attr-defined]  # kept with the drawing
    drawing = map_drawing(
        map_figure(
            events.on_map, FRAME_WIDTH, MAP_HEIGHT, off_map=events.off_map, measure=label_width
        )
    )
    flow: list[Flowable] = [heading, drawing]
    if events.off_map:
        flow.append(CachedParagraph(off_map_text(events), st.small))
    return [*flow, Spacer(1, 8)]
