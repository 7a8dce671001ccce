"""Alliance context: a diagram of the parties and their ties (ReportLab graphics) and a table."""

from __future__ import annotations

import math
from collections import defaultdict

from reportlab.graphics.shapes import Drawing, Group, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, LongTable, TableStyle

from briefing.export.fonts import CONDENSED, SANS, bold
from briefing.export.lines import line_width, one_line
from briefing.export.snapshot import AllianceBlock, PartyView, RelationshipView
from briefing.export.styles import FRAME_WIDTH, HEADER_SHADE, MUTED, RULE, SHADE, Styles
from briefing.export.tables import BriefTable
from briefing.export.text import CachedParagraph, clean, paragraphs, plain
from briefing.model.vocab import RelationshipKind, RelationshipStatus

MAX_PARTIES = 14
HEIGHT = 210.0
KIND_COLOURS = {
    RelationshipKind.DEFENCE_TREATY: "#1F4E79",
    RelationshipKind.MILITARY_BASE: "#6A3D9A",
    RelationshipKind.ARMS_SUPPLY: "#C05A00",
    RelationshipKind.POLITICAL_BACKING: "#2E7D32",
    RelationshipKind.MEDIATION: "#607D8B",
    RelationshipKind.PEACEKEEPING: "#00838F",
    RelationshipKind.RIVALRY: "#B00020",
    RelationshipKind.MEMBERSHIP: "#37474F",
    RelationshipKind.SANCTIONS: "#AD1457",
    RelationshipKind.CEASEFIRE_AGREEMENT: "#558B2F",
    RelationshipKind.ARMS_EMBARGO: "#795548",
}
DASHES = {
    RelationshipStatus.IN_FORCE: None,
    RelationshipStatus.ALLEGED: [4, 3],
    RelationshipStatus.SUSPENDED: [1, 2.5],
    RelationshipStatus.ENDED: [1, 2.5],
}
LEGEND = "Solid line: in force · dashed: alleged · dotted: suspended or ended."
_NODE_FONT = bold(CONDENSED)
_LABEL_FONT = CONDENSED


def _text_colour(hex_colour: str) -> colors.Color:
    """Black or white, whichever reads better on the party's colour."""
    try:
        fill = colors.HexColor(hex_colour)
    except (ValueError, TypeError):
        fill = colors.HexColor("#607080")
    luminance = 0.2126 * fill.red + 0.7152 * fill.green + 0.0722 * fill.blue
    return colors.black if luminance > 0.55 else colors.white


def _fill(hex_colour: str) -> colors.Color:
    try:
        return colors.HexColor(hex_colour)
    except (ValueError, TypeError):
        return colors.HexColor("#607080")


def _positions(parties: tuple[PartyView, ...], width: float) -> dict[str, tuple[float, float]]:
    """Parties on an ellipse, the first at the top, in the order they first appear."""
    count = len(parties)
    cx, cy = width / 2, HEIGHT / 2 + 4
    rx, ry = width / 2 - 80, HEIGHT / 2 - 26
    return {
        p.uuid: (
            cx + rx * math.cos(math.pi / 2 - 2 * math.pi * i / count),
            cy + ry * math.sin(math.pi / 2 - 2 * math.pi * i / count),
        )
        for i, p in enumerate(parties)
    }


def _label(text: str, size: float, limit: float, font: str) -> str:
    text = clean(text).replace("\n", " ")
    while len(text) > 1 and line_width(text, font, size) > limit:
        text = text[:-2].rstrip() + "…"
    return text


def _text(x: float, y: float, text: str, font: str, size: float, colour: colors.Color) -> Group:
    """A label centred on ``x``: shaped, in display order, each run in the font that has it."""
    line, width = one_line(text, font, size)
    group = Group()
    x -= width / 2
    for piece in line:
        if not piece.space:
            group.add(String(x, y, piece.glyphs, fontName=piece.frag.fontName, fontSize=size,
                             fillColor=colour))  # fmt: skip
        x += piece.width
    return group


def _edges(drawing: Drawing, block: AllianceBlock, at: dict[str, tuple[float, float]]) -> None:
    pairs: dict[frozenset[str], list[RelationshipView]] = defaultdict(list)
    for r in block.relationships:
        pairs[frozenset((r.party_a.uuid, r.party_b.uuid))].append(r)
    for ties in pairs.values():
        for index, tie in enumerate(ties):
            (x1, y1), (x2, y2) = at[tie.party_a.uuid], at[tie.party_b.uuid]
            length = math.hypot(x2 - x1, y2 - y1) or 1.0
            nx, ny = (y1 - y2) / length, (x2 - x1) / length
            offset = index - (len(ties) - 1) / 2
            shift, along = offset * 9, 0.5 + offset * 0.3
            colour = colors.HexColor(KIND_COLOURS[tie.kind])
            drawing.add(
                Line(x1 + nx * shift, y1 + ny * shift, x2 + nx * shift, y2 + ny * shift,
                     strokeColor=colour, strokeWidth=1.6, strokeDashArray=DASHES[tie.status])
            )  # fmt: skip
            mx = x1 + (x2 - x1) * along + nx * shift
            my = y1 + (y2 - y1) * along + ny * shift
            text = tie.kind.value
            width = stringWidth(text, _LABEL_FONT, 6.8) + 4
            drawing.add(Rect(mx - width / 2, my - 3.5, width, 9.5, fillColor=colors.white,
                             strokeColor=colour, strokeWidth=0.4))  # fmt: skip
            drawing.add(String(mx, my - 1.2, text, fontName=_LABEL_FONT, fontSize=6.8,
                               fillColor=colour, textAnchor="middle"))  # fmt: skip


def _nodes(drawing: Drawing, parties: tuple[PartyView, ...], at: dict[str, tuple[float, float]]):
    for party in parties:
        x, y = at[party.uuid]
        text = _label(party.label, 8, 120, _NODE_FONT)
        width = line_width(text, _NODE_FONT, 8) + 12
        drawing.add(Rect(x - width / 2, y - 9, width, 18, rx=4, ry=4,
                         fillColor=_fill(party.colour), strokeColor=colors.white,
                         strokeWidth=1))  # fmt: skip
        drawing.add(_text(x, y - 2.8, text, _NODE_FONT, 8, _text_colour(party.colour)))


def diagram(block: AllianceBlock, width: float = FRAME_WIDTH) -> Drawing:
    """Parties as coloured boxes, ties as lines coloured by kind and dashed by status."""
    drawing = Drawing(width, HEIGHT)
    drawing.initialFontName = SANS  # the default, Helvetica, would be named and not embedded
    drawing.add(Rect(0, 0, width, HEIGHT, fillColor=SHADE, strokeColor=None))
    at = _positions(block.parties, width)
    _edges(drawing, block, at)
    _nodes(drawing, block.parties, at)
    drawing.add(String(6, 5, LEGEND, fontName=SANS, fontSize=6.5, fillColor=MUTED))
    return drawing


def _period(tie: RelationshipView) -> str:
    if tie.since and tie.until:
        return f"{tie.since} – {tie.until}"
    if tie.since:
        return f"since {tie.since}"
    return f"until {tie.until}" if tie.until else "—"


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
                    f'<font color="{KIND_COLOURS[tie.kind]}">{tie.kind.value}</font>', st.cell
                ),
                what,
                CachedParagraph(plain(_period(tie)), st.cell),
                CachedParagraph(tie.status.value, st.cell),
                CachedParagraph(", ".join(f"[{n}]" for n in tie.notes) or "—", st.cell),
            ]
        )
    scale = FRAME_WIDTH / 100
    widths = [w * scale for w in (20, 12, 36, 12, 10, 10)]
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
