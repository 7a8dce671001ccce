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
LETTERS = list("ab عرب()[]{}«» 12١٢.,-")


def _reordered(text: str, rtl: bool) -> str:
    """The characters in display order, unmirrored (as python-bidi's Rust reordering gives them)."""
    levels = scripts.bidi_levels(text, rtl)
    return "".join(text[index] for index in scripts.visual_order(levels))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12), st.booleans())
def test_display_order_matches_python_bidi(words: list[str], rtl: bool) -> None:
    """python-bidi's Rust reordering (unicode-bidi, with rule N0 for brackets) is the reference."""
    text = " ".join(words)
    assert _reordered(text, rtl) == get_display(text, base_dir="R" if rtl else "L")


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(LETTERS), min_size=1, max_size=16), st.booleans())
def test_brackets_pair_up_as_the_reference_orders_them(text: str, rtl: bool) -> None:
    """Nested, unmatched and crossed brackets around text of either direction and numbers."""
    assert _reordered(text, rtl) == get_display(text, base_dir="R" if rtl else "L")


def test_a_bracketed_arabic_date_in_an_english_sentence_keeps_its_brackets_together() -> None:
    text = "Arabic: اشتباكات (١٦ نوفمبر). CJK"
    assert scripts.visual_text(text) == "Arabic: (ربمفون ١٦) تاكابتشا. CJK"
    assert legacy_display(text) != scripts.visual_text(text)  # the older algorithm split them


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
