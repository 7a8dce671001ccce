"""Text is cut into runs of one script, each naming a font that has its letters."""

from __future__ import annotations

import pytest

from briefing.export.docx.scripts import font_of, has_rtl, is_rtl, script_runs
from briefing.export.docx.writer import docx_steps


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        ("Plain ASCII & <w:p>", [("Plain ASCII & <w:p>", None)]),
        ("Müdafiə Nazirliyi — Российская", [("Müdafiə Nazirliyi — Российская", None)]),
        ("Armen (Արմեն) said", [("Armen (", None), ("Արմեն) ", "DejaVu Sans"), ("said", None)]),
        (
            "ქართული და 中文",
            [("ქართული და ", "Noto Sans Georgian"), ("中文", "WenQuanYi Micro Hei")],
        ),
        ("وزارة الدفاع 2021", [("وزارة الدفاع 2021", "Noto Sans Arabic")]),
        ("", [("", None)]),
    ],
)
def test_runs_change_where_the_script_does(text: str, runs: list) -> None:
    assert list(script_runs(text)) == runs
    assert "".join(piece for piece, _ in script_runs(text)) == text


@pytest.mark.parametrize(
    ("text", "rtl", "any_rtl"),
    [
        ("وزارة الدفاع", True, True),
        ("«שלום» world", True, True),
        ("Armenia said «وزارة»", False, True),
        ("123 Armenia", False, False),
        ("🙂", False, False),
    ],
)
def test_direction(text: str, rtl: bool, any_rtl: bool) -> None:
    assert is_rtl(text) is rtl and has_rtl(text) is any_rtl


def test_scripts_have_fonts() -> None:
    assert font_of("ა") == "Noto Sans Georgian" and font_of("አ") == "Noto Sans Ethiopic"
    assert font_of("က") == "Noto Sans Myanmar" and font_of("क") == "Noto Sans Devanagari"
    assert font_of("ก") == "Noto Sans Thai" and font_of("한") == "WenQuanYi Micro Hei"
    assert font_of("a") is None and font_of("Ж") is None


def test_progress_rises_to_one(demo_project, tmp_path) -> None:
    from briefing.services.briefing_snapshot import build_snapshot

    steps = docx_steps(build_snapshot(demo_project, 1), tmp_path / "out.docx")
    seen = []
    while True:
        try:
            seen.append(next(steps).fraction)
        except StopIteration as done:
            result = done.value
            break
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) >= 5
    assert result.path.stat().st_size == result.size


@pytest.mark.parametrize("name", ["Table Text", "Table Heading", "Table Note", "Normal"])
def test_arabic_in_a_table_cell_has_the_size_and_line_of_the_latin_beside_it(name: str) -> None:
    """Complex-script runs take ``w:szCs`` (not ``w:sz``); table lines have one exact pitch."""
    from docx.enum.text import WD_LINE_SPACING
    from docx.oxml.ns import qn

    from briefing.export.docx.house import open_house

    style = open_house(None).styles[name]
    r_pr = style.element.rPr
    size = r_pr.find(qn("w:sz")).get(qn("w:val"))
    assert r_pr.find(qn("w:szCs")).get(qn("w:val")) == size
    if name != "Normal":
        assert style.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
        assert 1.1 < style.paragraph_format.line_spacing.pt / style.font.size.pt < 1.35
    order = [child.tag.split("}")[1] for child in r_pr]
    assert order.index("sz") < order.index("szCs")


def test_a_bold_style_is_bold_in_arabic_too() -> None:
    from docx.oxml.ns import qn

    from briefing.export.docx.house import open_house

    document = open_house(None)
    assert document.styles["Table Heading"].element.rPr.find(qn("w:bCs")) is not None
    assert document.styles["Heading 1"].element.rPr.find(qn("w:bCs")) is not None
