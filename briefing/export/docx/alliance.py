"""Alliance context: the PDF's diagram as a picture with a text description, then a table."""

from __future__ import annotations

import io

from docx.shared import Emu

from briefing.export.alliance import MAX_PARTIES, _period, diagram
from briefing.export.docx.notes import cite
from briefing.export.docx.picture import drawing_png
from briefing.export.docx.runs import Look, literal
from briefing.export.docx.sheet import Sheet
from briefing.export.fonts import register_fonts
from briefing.export.snapshot import AllianceBlock
from briefing.export.styles import FRAME_WIDTH

ALT_LENGTH = 1500


def alt_text(block: AllianceBlock) -> str:
    """What the diagram shows, in words, for readers who cannot see it."""
    ties = "; ".join(
        f"{t.party_a.label} — {t.party_b.label}: {t.kind.value}, {t.status.value}"
        for t in block.relationships
    )
    text = literal(f"Alliance diagram of {len(block.parties)} parties. {ties}.")
    return text if len(text) <= ALT_LENGTH else text[: ALT_LENGTH - 1] + "…"


def _picture(sheet: Sheet, block: AllianceBlock) -> None:
    register_fonts()  # the layout measures labels in the shipped fonts
    drawing = diagram(block, FRAME_WIDTH)
    width = Emu(min(sheet.text_width, round(FRAME_WIDTH * 12700)))
    paragraph = sheet.para(sheet.document, "Normal")
    shape = paragraph.add_run().add_picture(io.BytesIO(drawing_png(drawing)), width=width)
    properties = shape._inline.docPr
    properties.set("descr", alt_text(block))
    properties.set("name", "Alliance diagram")
    paragraph.paragraph_format.keep_with_next = True


def add_alliance(sheet: Sheet, block: AllianceBlock) -> None:
    """The diagram (when the parties fit on it) followed by the table."""
    if len(block.parties) <= MAX_PARTIES:
        _picture(sheet, block)
    else:
        too_many = f"{len(block.parties)} parties are too many to draw; see the table."
        sheet.para(sheet.document, "Caption", too_many)
    table = sheet.table(("Parties", "Tie", "What", "When", "Status", "Sources"),
                        (20, 12, 36, 12, 10, 10))  # fmt: skip
    for tie in block.relationships:
        parties, kind, what, when, status, notes = sheet.row(table)
        sheet.para(parties, "Table Text", f"{tie.party_a.label} — {tie.party_b.label}")
        sheet.para(kind, "Table Text", tie.kind.value)
        sheet.para(what, "Table Text", tie.title, Look(bold=True))
        if tie.description:
            sheet.para(what, "Table Text", tie.description)
        sheet.para(when, "Table Text", _period(tie))
        sheet.para(status, "Table Text", tie.status.value)
        if tie.notes:
            cite(sheet, sheet.para(notes, "Table Text"), tie.notes)
        else:
            sheet.para(notes, "Table Text", "—")
    sheet.gap()
