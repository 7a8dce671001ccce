"""The brief's map of events as a picture, after the first timeline, as in the PDF.

The drawing is the PDF's (``export/map_files``), rasterised; the alt text lists the
numbered markers, so a reader who cannot see the picture still learns what it shows.
"""

from __future__ import annotations

import io

from docx.shared import Emu

from briefing.export.docx.runs import literal
from briefing.export.docx.sheet import Sheet
from briefing.export.map_block import MAP_TITLE
from briefing.export.map_drawing import snapshot_events
from briefing.export.map_files import snapshot_map_png
from briefing.export.snapshot import BriefingSnapshot
from briefing.export.styles import FRAME_WIDTH

ALT_LENGTH = 1500
MAP_HEIGHT = 340.0


def alt_text(snapshot: BriefingSnapshot) -> str:
    """The map in words: each numbered marker's entry and where it is."""
    events = snapshot_events(snapshot)
    placed = "; ".join(f"{e.number}. {e.title} ({e.lat:.3f}, {e.lon:.3f})" for e in events.on_map)
    text = literal(f"Map of {len(events.on_map)} timeline entries: {placed}.")
    return text if len(text) <= ALT_LENGTH else text[: ALT_LENGTH - 1] + "…"


def add_map(sheet: Sheet, snapshot: BriefingSnapshot) -> None:
    """Heading, picture and the entries not on the map; nothing when no entry has a place."""
    png = snapshot_map_png(snapshot, FRAME_WIDTH, MAP_HEIGHT)
    if png is None:
        return
    doc = sheet.document
    sheet.para(doc, "Heading 3", MAP_TITLE).paragraph_format.keep_with_next = True
    paragraph = sheet.para(doc, "Normal")
    width = Emu(min(sheet.text_width, round(FRAME_WIDTH * 12700)))
    shape = paragraph.add_run().add_picture(io.BytesIO(png), width=width)
    shape._inline.docPr.set("descr", alt_text(snapshot))
    shape._inline.docPr.set("name", MAP_TITLE)
    unplaced = snapshot_events(snapshot).off_map
    if unplaced:
        listed = "; ".join(f"{e.number}. {e.title}" for e in unplaced)
        sheet.para(doc, "Caption", f"Not on the map (no coordinates): {listed}.")
