"""The brief as a published product: breaks, repeats, links, fonts, notes, pinned internals."""

from __future__ import annotations

import getpass
import re
from pathlib import Path

import pytest
import reportlab
from pypdf import PdfReader
from pypdf.generic import NameObject

from briefing.export import pages, tables
from briefing.export.changes import word_diff
from briefing.export.story import label_note
from briefing.model.vocab import Tlp
from briefing.services import records
from briefing.services.briefing_snapshot import build_snapshot
from briefing.services.pdf_export import export_briefing, remember_organisation

HEADINGS = ("Bottom line up front", "Key judgments", "Timeline", "Statements", "Source notes")
SENTENCE = "The shelling continued through the night near Sotk, officials said. "


def _export(project, path: Path, tlp: Tlp | None = None) -> tuple[PdfReader, list[list[str]]]:
    export_briefing(project, 1, path, tlp)
    reader = PdfReader(path)
    lines = [[" ".join(ln.split()) for ln in p.extract_text().splitlines() if ln.strip()]
             for p in reader.pages]  # fmt: skip
    return reader, lines


def _body(page: list[str]) -> list[str]:
    """A page's lines without the running header and footer."""
    return [ln for ln in page if not re.search(r"TLP:|^Page \d+ of|^As of \d", ln)]


@pytest.fixture
def long_demo(demo_project, tmp_path: Path):
    records.update_record(demo_project, "entry", 1, {"description": SENTENCE * 300})
    return _export(demo_project, tmp_path / "long.pdf")


def test_no_heading_is_the_last_line_of_a_page(demo_project, tmp_path: Path, long_demo) -> None:
    for _, lines in (_export(demo_project, tmp_path / "d.pdf"), long_demo):
        for page in lines[1:]:
            body = _body(page)
            assert body and body[-1] not in HEADINGS
            assert not re.fullmatch(r"\d+\. .{1,60}", body[-1]) or "." in body[-1][3:]


def test_no_text_is_printed_twice(demo_project, tmp_path: Path) -> None:
    _, lines = _export(demo_project, tmp_path / "d.pdf")
    seen: dict[str, int] = {}
    for page in lines[1:]:
        for line in _body(page):
            if len(line) > 40 and not line[0].isdigit() and not line.startswith("About:"):
                seen[line] = seen.get(line, 0) + 1
    assert [line for line, count in seen.items() if count > 1] == []
    text = " ".join(" ".join(p) for p in lines)
    assert text.count("Likelihood terms follow ICD 203") == 1
    assert text.count("Notes: source note number and Admiralty grade") == 1
    assert "quoted on p." in text  # the statement quoted earlier is referenced, not repeated


def test_a_long_cell_is_continued_in_the_annex_not_repeated(long_demo) -> None:
    _, lines = long_demo
    text = " ".join(" ".join(p) for p in lines)
    assert "Continued in A1, p." in text and "Annex: continued texts" in text
    assert text.count("officials said.") == 300


def _links(reader: PdfReader) -> list[tuple[int, int, float, Rect]]:
    """Internal links: (page it is on, page it goes to, height it goes to, where it is)."""
    numbers = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
    found = []
    for n, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") == "/Link" and "/Dest" in annot:
                dest = annot["/Dest"]
                rect = tuple(float(v) for v in annot["/Rect"])
                found.append((n, numbers[dest[0].idnum], float(dest[3]), rect))
    return found


def test_citation_links_resolve(demo_project, tmp_path: Path) -> None:
    reader, lines = _export(demo_project, tmp_path / "d.pdf")
    notes_page = next(n for n, page in enumerate(lines) if n and "Source notes" in page)
    links = _links(reader)
    height = float(reader.pages[0].mediabox.height)
    assert all(0 < y <= height for _, _, y, _ in links)  # every link lands on a page
    to_notes = [(n, y) for n, target, y, _ in links if target >= notes_page and n < notes_page]
    sources = build_snapshot(demo_project, 1).sources
    assert len({y for _, y in to_notes}) >= len(sources)  # a marker for every note
    back = [target for n, target, _, _ in links if n >= notes_page and target < notes_page]
    assert len(back) >= len(sources)  # each note links back to where it was first cited


Rect = tuple[float, ...]


def test_every_font_is_embedded_and_the_file_has_language_and_xmp(
    demo_project, tmp_path: Path
) -> None:
    reader, _ = _export(demo_project, tmp_path / "d.pdf")
    for page in reader.pages:
        resources = [page["/Resources"]]
        for xobject in (page["/Resources"].get("/XObject") or {}).values():
            resources.append(xobject.get_object().get("/Resources") or {})
        for resource in resources:
            for font in (resource.get("/Font") or {}).values():
                font = font.get_object()
                descendants = font.get("/DescendantFonts") or [font]
                for part in descendants:
                    descriptor = part.get_object().get("/FontDescriptor")
                    assert descriptor is not None, font["/BaseFont"]
                    keys = set(descriptor.get_object())
                    assert keys & {"/FontFile", "/FontFile2", "/FontFile3"}, font["/BaseFont"]
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert b"<dc:title>" in root[NameObject("/Metadata")].get_object().get_data()


def test_no_account_name_is_printed(demo_project, tmp_path: Path, monkeypatch) -> None:
    from briefing.services.editions import freeze_edition

    login = getpass.getuser()
    demo_project.analyst = login
    freeze_edition(demo_project, 1)
    records.update_record(demo_project, "briefing", 1, {"bluf": "A **new** bottom line."})
    path = tmp_path / "c.pdf"
    export_briefing(demo_project, 1, path, changes=True)
    text = " ".join(p.extract_text() for p in PdfReader(path).pages)
    assert "Changes since edition 1" in text
    assert f"by {login}" not in text and "**" not in text


def test_the_tlp_note_is_true_in_both_cases(demo_project, tmp_path: Path) -> None:
    snapshot = build_snapshot(demo_project, 1)
    assert "because it includes records" not in label_note(snapshot, Tlp.AMBER)
    assert "or lower" in label_note(snapshot, Tlp.AMBER)
    records.update_record(demo_project, "entry", 1, {"tlp": "AMBER"})
    stricter = build_snapshot(demo_project, 1)
    assert "because it includes records marked more strictly" in label_note(stricter, Tlp.AMBER)
    _, lines = _export(demo_project, tmp_path / "a.pdf", Tlp.AMBER)
    assert "because it includes records marked more strictly" in " ".join(lines[0])
    assert label_note(snapshot, snapshot.tlp) == ""


def test_the_cover_names_organisation_and_scope(demo_project, tmp_path: Path) -> None:
    remember_organisation(demo_project, "  Caucasus   Desk ")
    _, lines = _export(demo_project, tmp_path / "o.pdf")
    cover = " ".join(lines[0])
    assert "Issued by Caucasus Desk" in cover and "CAUCASUS DESK" in cover
    assert "This briefing includes 2 key judgments, 5 timeline entries" in cover
    assert "5 statements, 5 relationships and 6 sources." in cover  # the project holds 6 statements


def test_missing_bottom_line_and_weak_confirmation_warn(demo_project, tmp_path: Path) -> None:
    records.update_record(demo_project, "briefing", 1, {"bluf": "", "judgments": []})
    result = export_briefing(demo_project, 1, tmp_path / "w.pdf")
    assert any("no bottom line" in w for w in result.warnings)
    assert any("no key judgments" in w for w in result.warnings)


def test_changed_words_are_marked_and_markdown_rendered() -> None:
    old, new = word_diff(
        "The **army** held " + "x " * 40 + "the ridge.", "The army held " + "x " * 40 + "the hill."
    )
    assert "**" not in old + new and "<strike>" in old and "<u>" in new
    assert "ridge." in old and "hill." in new and "…" in new


PINNED = ("5.1.",)
"""ReportLab versions whose internals the paginator was checked against."""


def test_reportlab_internals_the_paginator_relies_on_are_there() -> None:
    """Fails loudly when ReportLab changes: re-check pages.py and tables.py, then re-pin."""
    assert reportlab.Version.startswith(PINNED), (
        f"ReportLab {reportlab.Version} is not a checked version {PINNED}: the paginator uses "
        "BaseDocTemplate._startBuild/handle_flowable/_endBuild, LongTable._splitRows/_calc/"
        "_cellvalues/_argW, Frame._aH/_y and Paragraph.blPara; check them and update PINNED."
    )
    from reportlab.platypus import BaseDocTemplate, Frame, LongTable

    for owner, names in (
        (BaseDocTemplate, ("_startBuild", "handle_flowable", "_endBuild", "clean_hanging")),
        (LongTable, ("_splitRows", "_calc")),
        (Frame, ("_reset", "_add")),
    ):
        for name in names:
            assert callable(getattr(owner, name, None)), f"{owner.__name__}.{name} is gone"
    assert tables.frame_height and pages.PageRef


def test_reportlab_measures_text_with_its_c_accelerator() -> None:
    """Without ``_rl_accel`` every width and escape is done in Python: the 1,000-row brief slows."""
    from reportlab.lib import rl_accel

    assert not rl_accel._py_funcs, f"pure-Python fallbacks in use: {sorted(rl_accel._py_funcs)}"
    assert "instanceStringWidthTTF" in rl_accel._c_funcs


def test_headings_at_the_top_of_a_page_stand_at_the_same_height(demo_project, tmp_path) -> None:
    reader, _ = _export(demo_project, tmp_path / "d.pdf")
    tops = []
    for page in reader.pages[1:]:
        found: list[tuple[float, float, str]] = []

        def visit(text, cm, tm, font, size, found=found) -> None:
            if text.strip():
                found.append((cm[5] + tm[5], size * tm[0], text.strip()))

        page.extract_text(visitor_text=visit)
        height = float(page.mediabox.height)
        body = [f for f in found if 0.08 * height < f[0] < 0.92 * height]
        y, size, text = max(body)
        if size >= 12:  # the page opens with a heading
            tops.append(y + 0.76 * size)  # its cap line
    assert len(tops) >= 3 and max(tops) - min(tops) < 1.5


def test_a_long_timeline_fits_seven_rows_to_a_landscape_page(tmp_path: Path) -> None:
    import importlib.util

    from briefing.model import codec
    from briefing.store import create_project

    spec = importlib.util.spec_from_file_location(
        "bench_pdf", Path(__file__).parents[1] / "perf" / "bench_pdf.py"
    )
    bench = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(bench)  # type: ignore[union-attr]
    with create_project(tmp_path / "long.brief", "Bench") as project:
        with project.transaction() as session:
            codec.load(session.connection(), bench.scenario(70, 0))
        result = export_briefing(project, 1, tmp_path / "long.pdf")
    reader = PdfReader(result.path)
    wide = [p for p in reader.pages if float(p.mediabox.width) > float(p.mediabox.height)]
    assert 1 < len(wide) <= 70 / 7 + 1
    # The section's heading opens the landscape pages with its table, not a portrait page alone.
    assert "1. Timeline" in wide[0].extract_text()
    tall = [p for p in reader.pages[1:] if p not in wide]
    assert not any("1. Timeline" in p.extract_text() for p in tall)


@pytest.mark.parametrize(
    "text",
    [SENTENCE * 40, ("Line of a list\n" * 200), "Short. " + "word " * 400 + "end. " + SENTENCE * 20,
     "Է. " * 10 + "Հայաստան " * 300 + ". Done.", "。".join(["句子"] * 900)],
)  # fmt: skip
def test_long_text_is_cut_only_between_sentences_or_lines(text: str) -> None:
    from briefing.export.text import pieces

    parts = pieces(text)
    assert "".join(parts) == text and len(parts) > 1
    for part in parts[:-1]:
        assert part.endswith(("\n", ". ", "。")), part[-20:]


_PUNCT = ",.;:()[]“”\"'‘’«»"


def _cut_words(path: Path, words: set[str]) -> list[str]:
    """Words of ``words`` whose start and end were both printed as pieces (a cut word)."""
    printed = {
        token.strip(_PUNCT)
        for page in PdfReader(path).pages
        for token in page.extract_text().split()
    }
    return sorted(
        f"{w[:k]}|{w[k:]}"
        for w in words
        for k in range(2, len(w) - 1)
        if w[:k] in printed and w[k:] in printed
    )


def _timeline_words(snapshot) -> set[str]:
    found: set[str] = set()
    for entry in snapshot.timeline():
        texts = [entry.title, entry.description, entry.place, entry.status.value]
        texts += [p.label for p in entry.parties]
        texts += [f"{c.words} {c.claimant}" for c in entry.claims]
        found.update(t.strip(_PUNCT) for text in texts for t in text.split())
    return found - {""}


@pytest.mark.parametrize("landscape_rows", [0, 14])
def test_no_word_of_the_timeline_is_cut_across_lines(
    demo_project, tmp_path: Path, landscape_rows: int
) -> None:
    from briefing.services.briefings import add_items

    for n in range(landscape_rows):  # enough rows for landscape pages
        change = records.create_record(demo_project, "entry", {
            "title": f"Shelling of Nagorno-Karabakh villages {n}", "place": "Sotk–Kut road",
            "start_utc": "2021-11-17T06:00Z",
        })  # fmt: skip
        add_items(demo_project, 1, [("entry", change.ids["entry"][0])])
    snapshot = build_snapshot(demo_project, 1)
    export_briefing(demo_project, 1, tmp_path / "d.pdf")
    assert "Nagorno-Karabakh" in _timeline_words(snapshot)
    assert _cut_words(tmp_path / "d.pdf", _timeline_words(snapshot)) == []


def test_a_column_too_wide_for_the_page_is_cut_and_the_others_keep_their_words() -> None:
    from briefing.export.column_widths import Bounds, fitted_widths

    bounds = [Bounds(13, 13), Bounds(40, 80), Bounds(9000, 9000), Bounds(31, 31)]
    widths = fitted_widths([14, 50, 118, 34], bounds, 482, flex=2)
    assert abs(sum(widths) - 482) < 1e-6
    assert widths[0] == 13 and widths[1] == 40 and widths[3] == 31  # their longest words fit
    ample = fitted_widths([14, 50, 118, 34], [Bounds(13, 13)] * 4, 482, flex=2, floor=100)
    assert ample[2] >= 100 and abs(sum(ample) - 482) < 1e-6


def test_when_every_column_holds_a_huge_word_none_is_cut_below_the_least_width() -> None:
    from briefing.export.column_widths import LEAST, Bounds, fitted_widths

    widths = fitted_widths([14] + [60] * 8, [Bounds(9000, 9000)] * 9, 482, flex=3)
    assert abs(sum(widths) - 482) < 1e-6 and min(widths) >= LEAST
