"""Every character of a briefing has a glyph in the shipped fonts; others are refused by name."""

from __future__ import annotations

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from briefing.errors import BriefingError
from briefing.export.fonts import missing_glyphs
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
    return {c for text in texts(snapshot) for c in text if not c.isspace()}


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
        ("中文 name", ["中", "文"]),
        ("emoji 🛰", ["🛰"]),
        ("invisible\u200b\u200e\x07 marks", []),
    ],
)
def test_missing_glyphs(text: str, missing: list[str]) -> None:
    assert missing_glyphs([text]) == missing


def test_a_character_without_glyph_is_refused_by_name(demo_project, tmp_path) -> None:
    records.update_record(demo_project, "statement", 1, {"quote": "他说：边境冲突"})
    with pytest.raises(BriefingError, match=r"cannot show 他 \(U\+4ED6\).*“他说：边境冲突”"):
        export_briefing(demo_project, 1, tmp_path / "out.pdf")
    assert not (tmp_path / "out.pdf").exists()


def test_decomposed_letters_are_composed(demo_project, tmp_path) -> None:
    records.update_record(demo_project, "entry", 3, {"title": "Mu\u0308dafie\u0307 border"})
    result = export_briefing(demo_project, 1, tmp_path / "out.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(result.path).pages)
    assert "Müdafiė border" in text
