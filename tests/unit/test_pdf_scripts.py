"""Every script an analyst quotes reads back from the PDF, in prose, quotes, cells and headings.

What pypdf returns, and how it is compared:
- text is NFKC-normalised (an Arabic letter joined to its neighbours is written
  with its Unicode presentation form, which NFKC folds back to the letter) and
  compared without whitespace (lines break inside cells, CJK has no spaces);
- right-to-left text comes back in logical (reading) order, as the exporter
  writes each line's runs in that order: nothing to un-reverse;
- a vowel sign drawn before its consonant (Devanagari ि, Myanmar ေ and ြ) comes
  back in logical order too: the syllable's first glyph carries its whole text.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing.cli import main
from briefing.export.pdf import PdfResult
from briefing.services.pdf_export import export_briefing

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from world import SAMPLES, world_project  # noqa: E402

STANDARD_14 = {"Courier", "Helvetica", "Times-Roman", "Symbol", "ZapfDingbats"}


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> tuple[PdfResult, Path]:
    folder = tmp_path_factory.mktemp("world")
    project = world_project(folder / "world.brief")
    with project:
        result = export_briefing(project, 1, folder / "world.pdf")
    return result, folder / "world.brief"


@pytest.fixture(scope="module")
def text(world) -> str:
    reader = PdfReader(world[0].path)
    return squeeze(" ".join(page.extract_text() for page in reader.pages))


@pytest.mark.parametrize("sample", SAMPLES, ids=[s[1] for s in SAMPLES])
def test_each_script_reads_back_in_prose_quote_cell_and_heading(text: str, sample) -> None:
    _, script, party, quote, _ = sample
    assert squeeze(f"{script}: {quote}") in text  # the section's prose
    assert squeeze(f"“{quote}”") in text  # the statement card
    assert squeeze(f"{script}: {party}. {quote}") in text  # the event cell: title run on
    assert squeeze(f"{script} — {party}") in text  # the section heading (and contents)


def test_an_arabic_quote_keeps_its_latin_name_and_numbers_in_reading_order(text: str) -> None:
    assert squeeze("قال John Smith إن 15 جندياً قتلوا في 3 هجمات منذ عام 2021.") in text


def test_bookmarks_and_metadata_keep_every_script(world) -> None:
    reader = PdfReader(world[0].path)
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    for number, (_, script, party, _, _) in enumerate(SAMPLES, start=1):
        assert f"{number}. {script} — {party}" in titles
    assert reader.metadata.title == "نزاع الحدود — Border dispute"
    assert reader.metadata.author == "محلل 分析员"


def test_every_font_is_embedded_and_the_script_fonts_are_used(world) -> None:
    reader = PdfReader(world[0].path)
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            base = str(font["/BaseFont"]).lstrip("/")
            assert base.split("+")[-1] not in STANDARD_14 and "Helvetica" not in base
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, base
            names.add(base.split("+")[-1])
    for family in ("DejaVuSans", "NotoSansArabic", "NotoSansHebrew", "NotoSansGeorgian",
                   "NotoSansEthiopic", "NotoSansMyanmar", "NotoSansDevanagari", "NotoSansThai",
                   "WenQuanYiMicroHei", "Symbola"):  # fmt: skip
        assert any(name.replace("-", "").startswith(family) for name in names), family


def test_the_export_has_no_warning_when_every_character_has_a_font(world) -> None:
    assert [w for w in world[0].warnings if "no shipped font" in w] == []


def test_cli_warns_about_a_character_no_font_has_and_succeeds(world, tmp_path, capsys) -> None:
    from briefing.services import records
    from briefing.store import open_project

    brief = tmp_path / "w.brief"
    brief.write_bytes(world[1].read_bytes())
    with open_project(brief, "Analyst") as project:
        records.update_record(project, "statement", 2, {"quote": "Seal \U00017000 and \U0010fffd"})
    out = tmp_path / "w.pdf"
    assert main(["export", str(brief), "-o", str(out)]) == 0
    lines = [w for w in capsys.readouterr().err.strip().splitlines() if "no shipped font" in w]
    assert len(lines) == 1
    assert lines[0].startswith("warning: statement “وزارت امور خارجه ایران”, field quote:")
    assert "U+17000, U+10FFFD" in lines[0]
    assert "Seal □ and □" in " ".join(p.extract_text() for p in PdfReader(out).pages)


def test_a_word_in_another_script_stays_bold_inside_bold_text() -> None:
    from briefing.export.styles import styles
    from briefing.export.text import CachedParagraph, plain

    st = styles()
    paragraph = CachedParagraph(f"<b>Said {plain('الأول')}</b> {plain('ქართ')}", st.body)
    assert [f.fontName for f in paragraph.frags] == [
        "DejaVuSans-Bold", "NotoSansArabic-Bold", "DejaVuSans", "NotoSansGeorgian"
    ]  # fmt: skip
    heading = CachedParagraph(plain("ქართ"), st.heading)
    assert [f.fontName for f in heading.frags] == ["NotoSansGeorgian-Bold"]


def test_a_very_long_arabic_quote_splits_across_pages_and_reads_back(world, tmp_path) -> None:
    from briefing.services import records
    from briefing.store import open_project

    brief = tmp_path / "long.brief"
    brief.write_bytes(world[1].read_bytes())
    sentence = "قال John Smith إن 15 جندياً قتلوا في 3 هجمات منذ عام 2021. "
    with open_project(brief, "Analyst") as project:
        records.update_record(project, "statement", 1, {"quote": sentence * 200})
        result = export_briefing(project, 1, tmp_path / "long.pdf")
    assert result.pages > 6  # the world briefing alone is 6
    text = squeeze(" ".join(page.extract_text() for page in PdfReader(result.path).pages))
    assert text.count(squeeze(sentence)) >= 195  # a few are cut by the line ends of pages
