"""The demo briefing exported to PDF, read back with pypdf."""

from __future__ import annotations

import hashlib
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing.export.pdf import PdfResult
from briefing.export.snapshot import BriefingSnapshot
from briefing.services.briefing_snapshot import build_snapshot
from briefing.services.pdf_export import ExportEntry, export_briefing, export_history, export_steps
from briefing.store import open_project

PAGES = 6


@dataclass
class Exported:
    result: PdfResult
    reader: PdfReader
    pages: list[str]
    snapshot: BriefingSnapshot
    history: list[ExportEntry]

    @property
    def text(self) -> str:
        return " ".join(self.pages)


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def demo(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Exported:
    folder = tmp_path_factory.mktemp("pdf")
    shutil.copyfile(demo_template, folder / "demo.brief")
    with open_project(folder / "demo.brief", "Ana") as project:
        snapshot = build_snapshot(project, 1)
        result = export_briefing(project, 1, folder / "demo.pdf")
        history = export_history(project, 1)
    reader = PdfReader(folder / "demo.pdf")
    pages = [words(page.extract_text()) for page in reader.pages]
    return Exported(result, reader, pages, snapshot, history)


def test_page_count_is_printed_on_every_page(demo: Exported) -> None:
    assert demo.result.pages == len(demo.reader.pages) == PAGES
    for number, text in enumerate(demo.pages, start=1):
        assert f"Page {number} of {PAGES}" in text
        assert "As of 161800Z NOV 21" in text


@pytest.mark.parametrize(
    "name",
    [
        "Արմեն Գրիգորյան",  # Armenian
        "Հայաստանի պաշտպանության նախարարություն",
        "Azərbaycan Müdafiə Nazirliyi",  # Azerbaijani ə
        "Российская Федерация",  # Russian
        "Armenia–Azerbaijan border clashes",
        "Nagorno-Karabakh",
    ],
)
def test_names_come_back_intact(demo: Exported, name: str) -> None:
    assert name in demo.text


def test_tlp_label_in_header_and_footer_of_every_page(demo: Exported) -> None:
    width, height = (float(v) for v in demo.reader.pages[0].mediabox.upper_right)
    for page in demo.reader.pages:
        found: list[tuple[float, float, float]] = []

        def visit(text, cm, tm, font, size, found=found) -> None:
            if text.strip() == "TLP:GREEN":
                found.append((size * tm[0], cm[4] + tm[4], cm[5] + tm[5]))

        page.extract_text(visitor_text=visit)
        right = [(s, y) for s, x, y in found if x > width / 2 and s >= 12]
        assert any(y > 0.9 * height for _, y in right)  # header
        assert any(y < 0.1 * height for _, y in right)  # footer
        content = page.get_contents().get_data()
        assert b"0 0 0 rg" in content and re.search(rb"\.2 1 0 rg", content)  # #33FF00 on black


def test_contents_and_outline_agree_with_the_pages(demo: Exported) -> None:
    outline = [(item.title, demo.reader.get_destination_page_number(item) + 1)
               for item in demo.reader.outline if not isinstance(item, list)]  # fmt: skip
    titles = [title for title, _ in outline]
    assert titles == [
        "Bottom line up front",
        "Key judgments",
        "1. What happened",
        "2. What each side says",
        "3. Alliance context",
        "Casualty claims",
        "Source notes",
    ]
    for title, page in outline:
        line = re.escape(title) + r"[ .]* " + str(page)  # the contents line, with its leaders
        assert re.search(line, demo.pages[0])
        assert title in demo.pages[page - 1]  # the heading on that page


def test_bluf_and_key_judgments_come_first(demo: Exported) -> None:
    second = demo.pages[1]
    assert second.index("Bottom line up front") < second.index("Key judgments")
    assert second.index("Key judgments") < second.index("1. What happened")
    assert "likely 55–80 %" in second and "moderate" in second


def test_note_numbers_match_the_sources(demo: Exported) -> None:
    notes = demo.snapshot.sources
    assert [n.number for n in notes] == list(range(1, len(notes) + 1))
    last = demo.text[demo.text.rindex("Source notes") :]
    for note in notes:
        assert f"[{note.number}] ↩ cited {note.title}" in last
    body = demo.text[demo.text.index("Bottom line up front") : demo.text.rindex("Source notes")]
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", body)}
    assert cited == {n.number for n in notes}
    armenian_mod = next(n for n in notes if n.publisher == "Ministry of Defence of Armenia")
    assert f"Ministry of Defence of Armenia — accusation [{armenian_mod.number}]" in demo.text


def test_contradicting_statements_side_by_side(demo: Exported) -> None:
    block = demo.snapshot.sections[1].blocks[0]
    hub = block.statements[0]
    assert hub.attribution == "Ministry of Defence of Azerbaijan"
    assert {s.attribution for s in hub.contradicts} == {
        "Ministry of Defence of Armenia",
        "Armen Grigoryan (Արմեն Գրիգորյան), Secretary of the Security Council of Armenia",
    }
    later = demo.snapshot.sections[2].blocks[0].statements[0]
    assert later.contradicts == () and later.contradicted_earlier == (hub.attribution,)
    assert "Statement Contradicted by" in demo.text


def test_timeline_shows_local_time_and_utc(demo: Exported) -> None:
    """Local time, its zone, the date-time group (UTC to the minute) and the place, together."""
    assert "16 Nov 2021, 11:00 Baku, UTC+4 160700Z NOV 21" in demo.text


def test_links_are_the_source_urls_only(demo: Exported) -> None:
    uris = {
        annotation.get_object()["/A"]["/URI"]
        for page in demo.reader.pages
        for annotation in page.get("/Annots", [])
        if "/A" in annotation.get_object()
    }
    assert uris == {"https://pic.twitter.com/8MdhDyzzH6", "https://pic.twitter.com/5JP86fhfnE"}


def test_metadata(demo: Exported) -> None:
    meta = demo.reader.metadata
    assert meta.title == "Armenia–Azerbaijan border clashes"
    assert meta.author == "Demo analyst"
    assert meta.subject.startswith("Fighting one year after the Russia-brokered ceasefire")
    assert "TLP:GREEN" in meta["/Keywords"]
    assert meta.creator.startswith("Conflict Briefing ")


def test_fonts_are_embedded_dejavu(demo: Exported) -> None:
    fonts = {}
    for page in demo.reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"] \
                if "/DescendantFonts" in font else font.get("/FontDescriptor")  # fmt: skip
            fonts[str(font["/BaseFont"])] = descriptor is not None and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2")
            )
    used = {name for name in fonts if "Helvetica" not in name}
    assert used and all("DejaVu" in name and fonts[name] for name in used)


def test_export_is_recorded_with_its_hash(demo: Exported) -> None:
    (entry,) = demo.history
    data = demo.result.path.read_bytes()
    assert entry.sha256 == demo.result.sha256 == hashlib.sha256(data).hexdigest()
    assert (entry.pages, entry.analyst, entry.file_name) == (PAGES, "Ana", "demo.pdf")


def test_progress_rises_to_one_and_returns_the_result(demo_project, tmp_path: Path) -> None:
    steps = export_steps(demo_project, 1, tmp_path / "out.pdf")
    fractions = []
    while True:
        try:
            fractions.append(next(steps).fraction)
        except StopIteration as done:
            result = done.value
            break
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert len(fractions) >= result.pages
    assert len(export_history(demo_project, 1)) == 1


def test_a_failed_export_leaves_no_file(demo_project, tmp_path: Path) -> None:
    from briefing.errors import BriefingError

    target = tmp_path / "missing" / "out.pdf"
    with pytest.raises(BriefingError, match="Cannot write out.pdf"):
        export_briefing(demo_project, 1, target)
    assert not target.exists() and export_history(demo_project, 1) == []


def test_pdf_and_word_read_the_changes_for_the_label_they_print(
    demo_project, monkeypatch, tmp_path: Path
) -> None:
    from dataclasses import replace

    from briefing.export.cancel import run_to_end
    from briefing.model.vocab import Tlp
    from briefing.services import briefing_snapshot, pdf_export

    seen: list[object] = []

    def changes_section(project, briefing_id, label=None):
        seen.append(label)
        return None

    monkeypatch.setattr(briefing_snapshot, "changes_section", changes_section)
    monkeypatch.setattr(pdf_export, "changes_section", changes_section)
    for word in (False, True):
        job = run_to_end(pdf_export.job_steps(demo_project, 1, tmp_path, Tlp.AMBER, True, word))
        assert job.word is word and job.tlp is Tlp.AMBER
    assert seen == [Tlp.AMBER, Tlp.AMBER]
    raised = pdf_export.relabelled(demo_project, job, Tlp.RED)  # the same read, marked RED
    assert raised.tlp is Tlp.RED and raised.snapshot.sections is job.snapshot.sections
    assert seen[-1] is Tlp.RED
    pdf_export.relabelled(demo_project, replace(job, changes=False), Tlp.RED)
    assert len(seen) == 3  # no changes section asked for: none read
