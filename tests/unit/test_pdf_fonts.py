"""Every character has a glyph in the shipped fonts; others print as □ with a warning."""

from __future__ import annotations

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from briefing.export import scripts
from briefing.export.fonts import font_chain
from briefing.export.pdf import texts
from briefing.resources import resource_path
from briefing.services import records
from briefing.services.briefing_snapshot import build_snapshot
from briefing.services.pdf_export import export_briefing

FACES = [
    f"{family}{face}.ttf"
    for family in ("DejaVuSans", "DejaVuSansCondensed")
    for face in ("", "-Bold", "-Oblique", "-BoldOblique")
]


@pytest.fixture(scope="module")
def demo_characters(demo_template) -> set[str]:
    from briefing.store import open_project

    with open_project(demo_template, "Ana", read_only=True) as project:
        snapshot = build_snapshot(project, 1)
    return {c for _, _, text in texts(snapshot) for c in text if not c.isspace()}


@pytest.mark.parametrize("face", FACES)
def test_every_demo_character_has_a_glyph(demo_characters: set[str], face: str) -> None:
    cmap = TTFont(resource_path("fonts", face)).getBestCmap()
    assert {"ə", "ı", "Ա", "ր", "Ф"} <= demo_characters
    assert sorted(c for c in demo_characters if ord(c) not in cmap) == []


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("Armen Grigoryan Արմեն, Müdafiə, Российская", []),
        ("Türkiye Cumhuriyeti, Ağrı, Şırnak, İğdır", []),
        ("中文 name, عربي, עברית, ქართული, አማርኛ, မြန်မာ, हिन्दी, ไทย, 한국어, 🛰", []),
        ("private \U0010fffd and Tangut \U00017000", ["\U0010fffd", "\U00017000"]),
        ("invisible\u200b\u200e\x07 marks", []),
    ],
)
def test_unknown_characters(text: str, missing: list[str]) -> None:
    assert scripts.unknown(text, font_chain()) == missing


def test_a_character_without_glyph_prints_as_a_box_with_a_warning(demo_project, tmp_path) -> None:
    records.update_record(demo_project, "statement", 1, {"quote": "He said \U00017000 twice"})
    result = export_briefing(demo_project, 1, tmp_path / "out.pdf")
    assert len(result.warnings) == 1
    assert result.warnings[0].startswith("statement “")
    assert "field quote" in result.warnings[0] and "U+17000" in result.warnings[0]
    text = " ".join(page.extract_text() for page in PdfReader(result.path).pages)
    assert f"He said {scripts.PLACEHOLDER} twice" in text


def test_decomposed_letters_are_composed(demo_project, tmp_path) -> None:
    records.update_record(demo_project, "entry", 3, {"title": "Mu\u0308dafie\u0307 border"})
    result = export_briefing(demo_project, 1, tmp_path / "out.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(result.path).pages)
    assert "Müdafiė border" in text
