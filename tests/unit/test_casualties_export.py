"""Casualty claims in the brief: the summary's shape, its words, and the PDF and Word read back."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from briefing.export.casualties import (
    OTHERS,
    SUMMARY_TITLE,
    casualty_summary,
    figure_text,
    side_text,
)
from briefing.export.docx.writer import export_docx
from briefing.export.pdf import export_pdf
from briefing.export.snapshot import BriefingSnapshot, ClaimView, Moment, TimelineBlock
from briefing.model.vocab import Precision
from briefing.services.briefing_snapshot import build_snapshot
from briefing.store import open_project

DAY = Moment(datetime(2021, 11, 16, 12, tzinfo=UTC), "Asia/Yerevan", Precision.DAY)


def claim(side: str = "Armenia", category: str = "killed", best: int | None = None,
          claimant: str = "Armenian MoD", low: int | None = None, high: int | None = None,
          words: str = "", note: int | None = None) -> ClaimView:  # fmt: skip
    return ClaimView(side, category, low, best, high, words, claimant, note, DAY)


def with_claims(snapshot: BriefingSnapshot, *per_entry: tuple[ClaimView, ...]) -> BriefingSnapshot:
    """The snapshot with the given claims on its first timeline entries, in timeline order."""
    order = {e.uuid: n for n, e in enumerate(snapshot.timeline())}

    def entries(block: TimelineBlock) -> TimelineBlock:
        changed = []
        for entry in block.entries:
            n = order[entry.uuid]
            changed.append(replace(entry, claims=per_entry[n] if n < len(per_entry) else ()))
        return TimelineBlock(tuple(changed))

    sections = tuple(
        replace(
            s, blocks=tuple(entries(b) if isinstance(b, TimelineBlock) else b for b in s.blocks)
        )  # fmt: skip
        for s in snapshot.sections
    )
    return replace(snapshot, sections=sections)


@pytest.fixture(scope="module")
def snapshot(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> BriefingSnapshot:
    folder = tmp_path_factory.mktemp("claims")
    shutil.copyfile(demo_template, folder / "demo.brief")
    with open_project(folder / "demo.brief", "Ana") as project:
        return build_snapshot(project, 1)


@pytest.mark.parametrize(
    ("made", "text"),
    [
        (claim(best=49), "49"),
        (claim(best=1200), "1,200"),
        (claim(low=40, best=49, high=60), "40–60 (best 49)"),
        (claim(low=40, high=60), "40–60"),
        (claim(low=3), "at least 3"),
        (claim(high=12), "up to 12"),
        (claim(words="up to a dozen"), "“up to a dozen”"),
        (claim(), "unspecified"),
    ],
)
def test_a_figure_is_written_as_claimed(made: ClaimView, text: str) -> None:
    assert figure_text(made) == text


def test_sides_that_are_not_parties_have_words() -> None:
    assert side_text("civilians") == "Civilians"
    assert side_text("unknown") == "Side unknown"
    assert side_text("Armenia") == "Armenia"


def test_claims_stand_side_by_side_per_claimant_and_are_never_added(snapshot) -> None:
    first = (
        claim("Armenia", "killed", 49, "Armenian MoD"),
        claim("Armenia", "killed", 60, "Azerbaijani MoD"),
        claim("Azerbaijan", "killed", 50, "Azerbaijani MoD"),
        claim("Armenia", "wounded", 4, "Armenian MoD"),
    )
    summary = casualty_summary(with_claims(snapshot, first))
    assert summary is not None
    assert summary.claimants == ("Armenian MoD", "Azerbaijani MoD")  # as many claims: by name
    shown = [(r.side, r.category, [[c.best for c in cell] for cell in r.cells])
             for r in summary.rows]  # fmt: skip
    assert shown == [
        ("Armenia", "killed", [[49], [60]]),
        ("Armenia", "wounded", [[4], []]),
        ("Azerbaijan", "killed", [[], [50]]),
    ]
    assert all(r.number == 1 for r in summary.rows)
    assert not any(c.best == 109 for r in summary.rows for cell in r.cells for c in cell)


def test_many_claimants_share_the_last_column_each_named(snapshot) -> None:
    names = ["A", "B", "C", "D", "E"]
    claims = tuple(claim(best=i, claimant=n) for i, n in enumerate(names))
    summary = casualty_summary(with_claims(snapshot, claims))
    assert summary is not None and summary.claimants[-1] == OTHERS
    assert len(summary.claimants) == 4
    last = summary.rows[0].cells[-1]
    assert {c.claimant for c in last} == {"D", "E"}


def test_no_claims_no_summary(snapshot) -> None:
    assert casualty_summary(with_claims(snapshot)) is None


def demo_claims() -> tuple[tuple[ClaimView, ...], ...]:
    return (
        (
            claim("Armenia", "wounded", 4, "Armenian MoD", note=1),
            claim("Armenia", "killed", words="fatalities", note=1),
            claim("Armenia", "captured", None, "", high=12, words="up to a dozen"),
            claim("Azerbaijan", "killed", 7, "Azerbaijani MoD", low=5, high=10),
            claim("civilians", "displaced", 300, "UCDP"),
        ),
    )


def test_pdf_prints_claims_in_the_timeline_and_the_summary(snapshot, tmp_path: Path) -> None:
    made = with_claims(snapshot, *demo_claims())
    export_pdf(made, tmp_path / "claims.pdf")
    reader = PdfReader(tmp_path / "claims.pdf")
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    text = " ".join(pages)
    assert "Armenia · 4 wounded per Armenian MoD [1]" in text
    assert "Armenia · killed “fatalities” per Armenian MoD [1]" in text
    assert "Armenia · up to 12 captured “up to a dozen” unattributed" in text
    assert "Azerbaijan · 5–10 (best 7) killed per Azerbaijani MoD" in text
    assert "Civilians · 300 displaced per UCDP" in text
    assert SUMMARY_TITLE in [item.title for item in reader.outline if not isinstance(item, list)]
    summary = text[text.rindex(SUMMARY_TITLE) :]  # the section, which may run overleaf
    assert "Armenian MoD Azerbaijani MoD" in summary or "Azerbaijani MoD Armenian MoD" in summary
    assert "Unattributed" in summary.split() and "up to 12" in summary  # the header whole


def test_word_document_has_the_same_summary(snapshot, tmp_path: Path) -> None:
    made = with_claims(snapshot, *demo_claims())
    export_docx(made, tmp_path / "claims.docx")
    document = Document(str(tmp_path / "claims.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert SUMMARY_TITLE in headings
    table = next(t for t in document.tables if "Affected" in [c.text for c in t.rows[0].cells])
    header = [c.text for c in table.rows[0].cells]
    assert header[:4] == ["#", "Event", "Affected", "What"]
    assert set(header[4:]) == {"Armenian MoD", "Azerbaijani MoD", "UCDP", "Unattributed"}
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    wounded = next(r for r in rows if r[3] == "wounded")
    column = header.index("Armenian MoD")
    assert wounded[2] == "Armenia" and wounded[column].startswith("4")
    timeline = next(t for t in document.tables if "Casualties" in [c.text for c in t.rows[0].cells])
    cells = " ".join(row.cells[6].text for row in timeline.rows)
    assert "Armenia · 4 wounded" in cells and "per Armenian MoD" in cells


def test_every_tie_kind_has_a_colour_in_the_pdf_and_the_window() -> None:
    from briefing.export.alliance import KIND_COLOURS
    from briefing.gui.pictures.diagram import KIND_COLOURS as WINDOW_COLOURS
    from briefing.model.vocab import RelationshipKind

    assert set(KIND_COLOURS) == set(RelationshipKind)
    assert set(WINDOW_COLOURS) == {k.value for k in RelationshipKind}


def test_new_party_and_tie_kinds_print_in_words(demo_project, tmp_path: Path) -> None:
    from briefing.services import records
    from briefing.services.demo import uid

    with demo_project.engine.connect() as connection:
        ids = {
            slug: records.id_of(connection, kind, uid(slug))
            for kind, slug in (("relationship", "treaty-1997"), ("party", "turkey"))
        }
    records.update_record(demo_project, "relationship", ids["treaty-1997"],
                          {"kind": "ceasefire agreement"})  # fmt: skip
    records.update_record(demo_project, "party", ids["turkey"], {"kind": "alliance"})
    snapshot = build_snapshot(demo_project, 1)
    export_pdf(snapshot, tmp_path / "kinds.pdf")
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(tmp_path / "kinds.pdf").pages
    )
    assert "ceasefire agreement" in text
    export_docx(snapshot, tmp_path / "kinds.docx")
    cells = {c.text for t in Document(str(tmp_path / "kinds.docx")).tables for r in t.rows
             for c in r.cells}  # fmt: skip
    assert "ceasefire agreement" in cells


def test_the_pdf_summary_has_one_row_per_entry_each_claim_named_by_side(
    snapshot, tmp_path: Path
) -> None:
    made = with_claims(snapshot, *demo_claims())
    export_pdf(made, tmp_path / "claims.pdf")
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(tmp_path / "claims.pdf").pages]
    text = " ".join(pages)
    summary = text[text.rindex(SUMMARY_TITLE) : text.rindex("Source notes")]
    title = made.timeline()[0].title
    assert summary.count(" ".join(title.split()[:3])) == 1  # the entry once, not once per side
    assert "Armenia · 4 wounded" in summary and "Azerbaijan · 5–10 (best 7) killed" in summary
    assert "Civilians · 300 displaced" in summary
    assert "Affected" not in summary.split()
