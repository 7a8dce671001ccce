"""The map of a briefing as a file or as bytes: PDF, SVG and PNG, all from one drawing.

PNG pictures are the PDF drawing rasterised by PDFium, so a picture file looks
exactly like the page; SVG and PDF come from ReportLab's own renderers.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from reportlab.graphics import renderPDF, renderSVG
from reportlab.graphics.shapes import Drawing

from briefing import files
from briefing.errors import BriefingError
from briefing.export.map_drawing import SnapshotMap, label_width, map_drawing, snapshot_events
from briefing.export.snapshot import BriefingSnapshot
from briefing.figures.map_figure import map_figure
from briefing.figures.markers import BY_STATUS

FORMATS = ("png", "svg", "pdf")
PNG_SCALE = 2.0
MIN_SIZE = (300.0, 200.0)
"""The smallest drawing, in points, whose legend column and caption fit."""
"""Pixels per point of a PNG: a 1200 × 800 picture is drawn at 600 × 400 points, sharp."""
DEFAULT_SIZE = (1200, 800)


@dataclass(frozen=True)
class TimeRange:
    """Days from ``first`` to ``last`` (UTC), both included; either may be open."""

    first: date | None = None
    last: date | None = None

    def holds(self, moment: datetime | None) -> bool:
        if moment is None:
            return self.first is None and self.last is None
        start = datetime.combine(self.first, time(), UTC) if self.first else None
        end = datetime.combine(self.last, time(), UTC) + timedelta(days=1) if self.last else None
        aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        return (start is None or aware >= start) and (end is None or aware < end)


def parse_day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise BriefingError(f"{option} takes a date such as 2021-11-16, not '{text}'.") from None


def parse_size(text: str) -> tuple[int, int]:
    """``1200x800`` → (1200, 800), within sizes a map can be read at."""
    try:
        width, height = (int(part) for part in text.lower().replace("×", "x").split("x"))
    except ValueError:
        raise BriefingError(f"--size takes WIDTHxHEIGHT such as 1200x800, not '{text}'.") from None
    if not (300 <= width <= 10_000 and 200 <= height <= 10_000):
        raise BriefingError("--size must be between 300x200 and 10000x10000.")
    return width, height


def events_in(events: SnapshotMap, span: TimeRange) -> SnapshotMap:
    return replace(
        events,
        on_map=tuple(e for e in events.on_map if span.holds(e.when)),
        off_map=tuple(e for e in events.off_map if span.holds(e.when)),
    )


def briefing_map(
    snapshot: BriefingSnapshot,
    width: float,
    height: float,
    span: TimeRange | None = None,
    by: str = BY_STATUS,
) -> Drawing:
    """The brief's map at ``width`` × ``height`` points; an empty map is refused in a sentence."""
    events = events_in(snapshot_events(snapshot), span or TimeRange())
    if not events.on_map:
        raise BriefingError(
            f"No timeline entry of '{snapshot.title}' has coordinates in that time range; "
            "there is nothing to map."
        )
    return map_drawing(
        map_figure(events.on_map, width, height, by, events.off_map, measure=label_width)
    )


def map_png(drawing: Drawing, scale: float = PNG_SCALE) -> bytes:
    """The drawing as PNG bytes, ``scale`` pixels per point."""
    import pypdfium2

    document = pypdfium2.PdfDocument(renderPDF.drawToString(drawing))
    try:
        image = document[0].render(scale=scale).to_pil()
    finally:
        document.close()
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def snapshot_map_png(
    snapshot: BriefingSnapshot, width: float = 480.0, height: float = 330.0, scale: float = 2.0
) -> bytes | None:
    """The brief's map as PNG bytes (``width`` × ``height`` points), None if nothing is placed.

    For documents that embed a picture (Word); the PDF draws :func:`briefing_map` itself.
    """
    events = snapshot_events(snapshot)
    if not events.on_map:
        return None
    return map_png(
        map_drawing(
            map_figure(events.on_map, width, height, off_map=events.off_map, measure=label_width)
        ),
        scale,
    )


def map_bytes(drawing: Drawing, kind: str) -> bytes:
    if kind == "png":
        return map_png(drawing)
    if kind == "svg":
        return renderSVG.drawToString(drawing).encode("utf-8")
    return renderPDF.drawToString(drawing)


def write_map(
    snapshot: BriefingSnapshot,
    target: Path,
    size: tuple[int, int] = DEFAULT_SIZE,
    span: TimeRange | None = None,
    by: str = BY_STATUS,
) -> int:
    """Write the map to ``target`` (its suffix names the format); returns the events drawn."""
    kind = target.suffix.lower().lstrip(".")
    if kind not in FORMATS:
        raise BriefingError(
            f"Cannot draw a map into {target.name}: give a .png, .svg or .pdf name."
        )
    scale = PNG_SCALE if kind == "png" else 1.0
    width, height = size[0] / scale, size[1] / scale
    if width < MIN_SIZE[0] or height < MIN_SIZE[1]:
        least = f"{MIN_SIZE[0] * scale:.0f}x{MIN_SIZE[1] * scale:.0f}"
        raise BriefingError(
            f"A {kind.upper()} map needs --size {least} or more for its legend to fit."
        )
    drawing = briefing_map(snapshot, width, height, span, by)
    files.write_bytes(target, map_bytes(drawing, kind))
    return len(events_in(snapshot_events(snapshot), span or TimeRange()).on_map)
