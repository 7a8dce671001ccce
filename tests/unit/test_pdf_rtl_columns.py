"""Right-to-left text in a table is measured by its words, as Latin text is.

A cell of Arabic party names was measured as one unbroken line, so its column
claimed room it did not need and the others (the casualties column most) were
squeezed. The widths are read back from the printed PDF: where each header word
starts on the page.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.platypus import SimpleDocTemplate

from briefing.export.column_widths import measure
from briefing.export.snapshot import EntryView
from briefing.export.styles import WIDE_MARGIN_X, WIDE_SIZE, styles
from briefing.export.text import CachedParagraph, plain
from briefing.export.timeline import timeline_table
from briefing.model.vocab import PartyRole
from briefing.services.briefing_snapshot import build_snapshot

ARABIC = ("القوات", "الحرس", "الشرطة")
LATIN = ("Armed1", "Guards", "Police")
"""Party names of about the same width in either script, short enough that their column
is held to its longest line."""
HEADERS = ("Event", "Parties", "Casualties", "Status")
ARABIC_TITLE = "هجوم بطائرة مسيرة على مواقع المدفعية قرب قرية سوتك الحدودية خلال ساعات الليل"
LATIN_TITLE = "Drone strike on artillery positions near the border village of Sotk at night"


def _entry(demo_project) -> tuple[EntryView, object]:
    snapshot = build_snapshot(demo_project, 1)
    entries = [
        item
        for section in snapshot.sections
        for block in section.blocks
        for item in getattr(block, "entries", ()) or ()
        if isinstance(item, EntryView) and item.claims
    ]
    sources = {note.number: note for note in snapshot.sources}
    return entries[0], sources.__getitem__


def _printed_columns(entry: EntryView, source, path: Path) -> dict[str, float]:
    """Where each header word starts on the landscape page the table is printed on."""
    doc = SimpleDocTemplate(str(path), pagesize=WIDE_SIZE, leftMargin=WIDE_MARGIN_X,
                            rightMargin=WIDE_MARGIN_X)  # fmt: skip
    doc.build([timeline_table((entry,), styles(), source, wide=True)])
    found: dict[str, float] = {}

    def visit(text, cm, tm, font, size) -> None:
        if text.strip() in HEADERS:
            found.setdefault(text.strip(), cm[4] + tm[4])

    PdfReader(path).pages[0].extract_text(visitor_text=visit)
    assert set(found) == set(HEADERS)
    return found


def _with(entry: EntryView, names: tuple[str, ...], title: str) -> EntryView:
    party = entry.parties[0]
    parties = tuple(
        dataclasses.replace(party, label=name, role=role)
        for name, role in zip(names, PartyRole, strict=False)
    )
    return dataclasses.replace(entry, parties=parties, title=title)


def test_arabic_names_and_title_leave_the_columns_as_latin_ones_do(
    demo_project, tmp_path: Path
) -> None:
    entry, source = _entry(demo_project)
    latin = _printed_columns(_with(entry, LATIN, LATIN_TITLE), source, tmp_path / "latin.pdf")
    arabic = _printed_columns(_with(entry, ARABIC, ARABIC_TITLE), source, tmp_path / "ar.pdf")

    def casualties(found: dict[str, float]) -> float:
        return found["Status"] - found["Casualties"]

    def parties(found: dict[str, float]) -> float:
        return found["Casualties"] - found["Parties"]

    assert abs(casualties(arabic) - casualties(latin)) < 3.0, (latin, arabic)
    assert abs(parties(arabic) - parties(latin)) < 6.0, (latin, arabic)


@pytest.mark.parametrize(
    "text", ["القوات المسلحة<br/>الحرس الوطني", "צבא ההגנה<br/>לישראל", "Armed Forces<br/>Guard"]
)
def test_a_cell_is_measured_by_its_longest_word_and_longest_line(text: str) -> None:
    cell = styles().cell
    lines = text.split("<br/>")
    found = measure(CachedParagraph("<br/>".join(plain(line) for line in lines), cell))

    def width(text: str) -> float:
        return measure(CachedParagraph(plain(text), cell)).high

    words = [width(word) for line in lines for word in line.split()]
    whole = [width(line) for line in lines]
    assert found.low == pytest.approx(max(words), abs=0.5)
    assert found.high == pytest.approx(max(whole), abs=0.5)
    assert found.high < sum(whole) - 1  # the forced line break is kept
