"""Project text reaches the PDF as literal text: no markup, no file read, nothing fetched."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing.export.fonts import register_fonts
from briefing.export.prose import markdown_flowables
from briefing.export.styles import styles
from briefing.export.text import paragraphs, plain, safe_url
from briefing.services import records
from briefing.services.pdf_export import export_briefing

CASES = [
    '<img src="/etc/passwd"/>',
    "<b>unclosed bold",
    "Tom & Jerry",
    '<font size="90" color="red">shout</font>',
    '<a href="file:///etc/passwd">click</a>',
    "<para><br/></para> &nbsp;",
]
FIELDS = [
    ("statement", 1, "quote"),
    ("statement", 1, "translation"),
    ("entry", 3, "title"),
    ("entry", 3, "description"),
    ("relationship", 1, "description"),
    ("source", 1, "title"),
    ("party", 1, "short_name"),
    ("briefing", 1, "bluf"),
    ("briefing", 1, "title"),
]


def exported_text(project, tmp_path: Path) -> tuple[str, PdfReader]:
    path = tmp_path / "out.pdf"
    export_briefing(project, 1, path)
    reader = PdfReader(path)
    return " ".join(" ".join(p.extract_text().split()) for p in reader.pages), reader


@pytest.mark.parametrize("case", CASES)
def test_plain_text_is_escaped(case: str) -> None:
    markup = plain(case)
    assert "<" not in markup.replace("<br/>", "") and "&nbsp;" not in markup
    (paragraph,) = paragraphs(case, styles().body)
    assert paragraph.getPlainText() == case


@pytest.mark.parametrize("case", CASES)
def test_markdown_keeps_raw_html_as_text(case: str) -> None:
    (paragraph,) = markdown_flowables(f"Before {case} after", styles())
    assert paragraph.getPlainText() == f"Before {case} after".replace("&nbsp;", "\xa0")


@pytest.mark.parametrize(("kind", "record_id", "field"), FIELDS)
def test_every_case_exports_as_literal_text(demo_project, tmp_path, kind, record_id, field):
    payload = " ".join(CASES[:5])
    records.update_record(demo_project, kind, record_id, {field: payload})
    text, _ = exported_text(demo_project, tmp_path)
    squeezed = text.replace(" ", "")  # narrow table cells break long tokens across lines
    for case in CASES[:5]:
        assert case.replace(" ", "") in squeezed


def test_hundred_kilobytes_of_markup_export_as_text(demo_project, tmp_path: Path) -> None:
    piece = 'Lorem ipsum & <img src="/etc/passwd"/> <b>dolor. '
    quote = piece * (100_000 // len(piece))
    records.update_record(demo_project, "statement", 1, {"quote": quote})
    records.update_record(demo_project, "briefing", 1, {"bluf": quote})
    text, reader = exported_text(demo_project, tmp_path)
    assert len(reader.pages) > 40
    assert text.count("Lorem") == text.count("<b>dolor.") == 2 * quote.count("Lorem")


def test_one_huge_word_is_broken_across_lines(demo_project, tmp_path: Path) -> None:
    records.update_record(demo_project, "entry", 3, {"description": "x" * 20_000})
    text, _ = exported_text(demo_project, tmp_path)
    assert text.replace(" ", "").count("x" * 50) >= 20_000 // 50 - 5


def test_nothing_is_read_or_fetched(demo_project, tmp_path: Path, monkeypatch) -> None:
    register_fonts()
    records.update_record(
        demo_project, "briefing", 1,
        {"bluf": '![map](http://example.org/map.png) ![x](/etc/passwd) <img src="/etc/passwd"/>'},
    )  # fmt: skip

    def refuse(*args, **kwargs):
        raise AssertionError("the export tried to read a file or reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr("reportlab.lib.utils.open_for_read", refuse)
    text, reader = exported_text(demo_project, tmp_path)
    assert "[image: map]" in text and '<img src="/etc/passwd"/>' in text
    for page in reader.pages:
        objects = page["/Resources"].get("/XObject", {})
        assert all(o.get_object()["/Subtype"] != "/Image" for o in objects.values())


def test_only_web_and_mail_links_become_links(demo_project, tmp_path: Path) -> None:
    records.update_record(
        demo_project, "briefing", 1,
        {"bluf": "[a](javascript:alert(1)) [b](file:///etc/passwd) [c](https://example.org/c) "
                 "[d](mailto:desk@example.org) [e](data:text/html,x)"},
    )  # fmt: skip
    with demo_project.transaction() as session:  # every door refuses it; an old file may hold it
        session.connection().exec_driver_sql(
            "UPDATE source SET url = 'file:///etc/passwd' WHERE id = 1"
        )
    text, reader = exported_text(demo_project, tmp_path)
    uris = {
        a.get_object()["/A"]["/URI"]
        for page in reader.pages
        for a in page.get("/Annots", [])
        if "/A" in a.get_object()
    }
    assert "https://example.org/c" in uris and "mailto:desk@example.org" in uris
    assert not any(u.startswith(("javascript", "file", "data")) for u in uris)
    assert "file:///etc/passwd" in text  # printed, not linked


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://example.org/a?b=1&c=2", True),
        ("HTTP://EXAMPLE.ORG", True),
        ("mailto:desk@example.org", True),
        ("file:///etc/passwd", False),
        ("javascript:alert(1)", False),
        ("/etc/passwd", False),
        ("https://exa mple.org", False),
        ("", False),
    ],
)
def test_safe_url(url: str, allowed: bool) -> None:
    assert (safe_url(url) is not None) is allowed
