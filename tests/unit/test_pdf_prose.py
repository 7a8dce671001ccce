"""Markdown prose becomes paragraph markup through markdown-it-py, escaped and checked."""

from __future__ import annotations

import pytest

from briefing.export.prose import PROSE_LIMIT, markdown_flowables
from briefing.export.styles import styles


def rendered(source: str) -> list[tuple[str, str | None]]:
    return [(f.text, getattr(f, "bulletText", None)) for f in markdown_flowables(source, styles())]


@pytest.mark.parametrize(
    ("source", "markup"),
    [
        ("**bold** and *italic*", "<b>bold</b> and <i>italic</i>"),
        ("[site](https://example.org/?a=1&b=2)",
         '<a href="https://example.org/?a=1&amp;b=2" color="rgb(31,78,121)">site</a>'),
        ("[x](javascript:alert(1))", "[x](javascript:alert(1))"),
        ("**[x](file:///etc/passwd)**", "<b>[x](file:///etc/passwd)</b>"),
        ("<b>raw</b> & co", "&lt;b&gt;raw&lt;/b&gt; &amp; co"),
        ("![chart](https://example.org/c.png)", "[image: chart]"),
        ("`a<b>`", '<font face="DejaVuSansCondensed">a&lt;b&gt;</font>'),
        ("line one  \nline two", "line one<br/>line two"),
    ],
)  # fmt: skip
def test_inline_markup(source: str, markup: str) -> None:
    assert rendered(source) == [(markup, None)]


def test_lists_keep_their_numbers_and_nesting() -> None:
    source = "- a\n- b\n\n  3. c\n  4. d\n- e"
    items = markdown_flowables(source, styles())
    assert [(f.text, f.bulletText) for f in items] == [
        ("a", "•"), ("b", "•"), ("c", "3."), ("d", "4."), ("e", "•"),
    ]  # fmt: skip
    assert items[2].style.leftIndent > items[0].style.leftIndent


def test_long_paragraph_is_cut_into_well_formed_pieces() -> None:
    source = "**" + "Lorem ipsum dolor sit amet. " * 4000 + "end** tail"
    pieces = rendered(source)
    assert len(pieces) > 1
    for text, _ in pieces:
        assert text.count("<b>") == text.count("</b>") == 1
        assert len(text) <= PROSE_LIMIT + len("<b></b>")
        assert text.replace("</b>", "").endswith(("amet. ", "tail"))  # cut between sentences
    assert "".join(t.replace("<b>", "").replace("</b>", "") for t, _ in pieces) == (
        "Lorem ipsum dolor sit amet. " * 4000 + "end tail"
    )
