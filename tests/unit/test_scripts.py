"""Runs of text go to the first shipped font that has them; lines read in bidirectional order."""

from __future__ import annotations

import pytest
from bidi import get_display
from bidi.algorithm import get_display as legacy_display
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.export import scripts
from briefing.export.cmap import code_points
from briefing.export.fonts import SCRIPT_FONTS, font_chain, font_files
from briefing.resources import resource_path


def runs(text: str) -> list[tuple[str, str]]:
    return scripts.font_runs(text, font_chain())


def test_latin_armenian_and_cyrillic_stay_in_one_dejavu_run() -> None:
    text = "Müdafiə Nazirliyi, Արմեն, Российская"
    assert runs(text) == [("DejaVuSans", text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قال «السلام» 2021.", [("NotoSansArabic", "قال «السلام» 2021.")]),
        ("Said قال", [("DejaVuSans", "Said "), ("NotoSansArabic", "قال")]),
        ("שָׁלוֹם (עולם)", [("NotoSansHebrew", "שָׁלוֹם "), ("DejaVuSans", "("),
                            ("NotoSansHebrew", "עולם"), ("DejaVuSans", ")")]),
        ("ქართული", [("NotoSansGeorgian", "ქართული")]),
        ("中文 日本語 한국어", [("WenQuanYiMicroHei", "中文 日本語 한국어")]),
        ("ok 🛰", [("DejaVuSans", "ok "), ("Symbola", "🛰")]),
        ("x \U00017000 y", [("DejaVuSans", f"x {scripts.PLACEHOLDER} y")]),
    ],
)  # fmt: skip
def test_each_run_goes_to_the_first_font_that_has_it(text: str, expected) -> None:
    assert runs(text) == expected


def test_the_font_table_names_a_file_and_family_for_every_script() -> None:
    scripts_named = {font.script for font in SCRIPT_FONTS}
    assert {"Arabic", "Hebrew", "Georgian", "Ethiopic", "Myanmar", "Devanagari", "Thai"} <= (
        scripts_named
    )
    for name in font_files():
        assert resource_path("fonts", name).is_file()
    for font in SCRIPT_FONTS:
        assert resource_path("fonts", font.licence).is_file()


def test_persian_urdu_pashto_and_sorani_letters_are_in_the_arabic_font() -> None:
    arabic = code_points(resource_path("fonts", "NotoSansArabic-Regular.ttf"))
    assert all(ord(c) in arabic for c in "پچژگیکےۓڵێۆڕټځښډړږ")


@pytest.mark.parametrize(
    ("text", "direction"),
    [("قال John", "rtl"), ("John قال", "ltr"), ("2021 שלום", "rtl"), ("2021", "ltr"), ("", "ltr")],
)
def test_base_direction_is_the_first_strong_letter(text: str, direction: str) -> None:
    assert scripts.base_direction(text) == direction


def test_a_mixed_arabic_line_is_put_in_display_order() -> None:
    line = "قال John Smith إن 15 جندياً قتلوا"
    assert scripts.visual_text(line) == "اولتق ًايدنج 15 نإ John Smith لاق"


WORDS = ["قال", "שלום", "John", "Smith", "2021", "15", "(", ")", ".", ",", "-", "«", "»", "ب", "a"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12))
def test_display_order_matches_python_bidi(words: list[str]) -> None:
    """python-bidi's order: its Rust reordering (no mirroring) when no brackets pair up
    (the levels come from its older algorithm, which has no bracket-pair rule N0)."""
    text = " ".join(words)
    assert scripts.visual_text(text) == legacy_display(text)
    if not any(bracket in words for bracket in "()«»"):
        assert scripts.visual_text(text) == get_display(text)


@pytest.mark.parametrize("name", font_files())
def test_the_cmap_reader_agrees_with_fonttools(name: str) -> None:
    from fontTools.ttLib import TTFont

    font = TTFont(str(resource_path("fonts", name)), lazy=True, fontNumber=0)
    expected = {point for point, glyph in font.getBestCmap().items() if glyph != ".notdef"}
    assert code_points(resource_path("fonts", name)) == expected


def test_the_family_names_are_those_the_font_files_declare() -> None:
    from fontTools.ttLib import TTFont

    for font in SCRIPT_FONTS:
        declared = TTFont(str(resource_path("fonts", font.regular)), lazy=True, fontNumber=0)
        assert declared["name"].getBestFamilyName() == font.family_name
