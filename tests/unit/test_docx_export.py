"""The demo briefing exported to Word, read back with python-docx."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from briefing.export.docx import export_docx
from briefing.export.docx.writer import DocxResult
from briefing.export.markings import MarkingError
from briefing.export.snapshot import BriefingSnapshot, SectionView
from briefing.model.vocab import Tlp
from briefing.services import records
from briefing.services.briefing_snapshot import build_snapshot
from briefing.services.docx_export import (
    export_briefing_docx,
    house_template,
    remember_template,
)
from briefing.services.pdf_export import export_history
from briefing.store import open_project

FIXTURES = Path(__file__).parent.parent / "fixtures" / "house"
HOUSE = FIXTURES / "house.docx"
HOSTILE = "<w:p><w:r><w:t>x</w:t></w:r></w:p> { MERGEFIELD x } & <b>bold</b> ]]>"


@dataclass
class Exported:
    result: DocxResult
    document: Document
    snapshot: BriefingSnapshot

    def paragraphs(self) -> Iterator[str]:
        body = self.document.element.body
        for p in body.iter(qn("w:p")):
            yield "".join(t.text or "" for t in p.iter(qn("w:t")))

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs())


def export(snapshot: BriefingSnapshot, path: Path, **options) -> Exported:
    result = export_docx(snapshot, path, **options)
    return Exported(result, docx.Document(str(path)), snapshot)


@pytest.fixture(scope="module")
def demo(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Exported:
    folder = tmp_path_factory.mktemp("docx")
    shutil.copyfile(demo_template, folder / "demo.brief")
    with open_project(folder / "demo.brief", "Ana") as project:
        snapshot = build_snapshot(project, 1)
    return export(snapshot, folder / "demo.docx")


def styled(document: Document, name: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style is not None and p.style.name == name]


def test_headings_follow_the_pdf(demo: Exported) -> None:
    sections = [f"{n}. {s.heading}" for n, s in enumerate(demo.snapshot.sections, start=1)]
    expected = [
        "Bottom line up front", "Key judgments", *sections, "Casualty claims", "Source notes"
    ]  # fmt: skip
    assert styled(demo.document, "Heading 1") == expected
    assert {"Timeline", "Statements", "Alliance context"} <= set(styled(demo.document, "Heading 2"))
    assert styled(demo.document, "Title") == [demo.snapshot.title]


def test_every_paragraph_and_table_has_a_named_style(demo: Exported) -> None:
    body = demo.document.element.body
    for p in body.iter(qn("w:p")):
        p_pr = p.find(qn("w:pPr"))
        assert p_pr is not None and p_pr.find(qn("w:pStyle")) is not None
    assert demo.document.tables
    assert {t.style.name for t in demo.document.tables} == {"Briefing Table"}


def test_marking_in_every_header_and_footer(demo: Exported) -> None:
    for section in demo.document.sections:
        for part in (section.header, section.footer):
            text = "".join(p.text for p in part.paragraphs)
            assert "TLP:GREEN" in text
    footer = "".join(p.text for p in demo.document.sections[0].footer.paragraphs)
    assert "As of 161800Z NOV 21" in footer
    runs = [r for p in demo.document.sections[0].header.paragraphs for r in p.runs]
    label = next(r for r in runs if "TLP:GREEN" in r.text)
    assert label.bold and label.font.size.pt >= 12
    assert str(label.font.color.rgb) == "33FF00"
    assert label._r.rPr.find(qn("w:shd")).get(qn("w:fill")) == "000000"


def test_page_numbers_and_contents_are_fields(demo: Exported) -> None:
    codes = [
        " ".join(t.text.split())
        for part in (demo.document.element, demo.document.sections[0].footer._element)
        for t in part.iter(qn("w:instrText"))
    ]
    assert 'TOC \\o "1-2" \\h \\z \\u' in codes
    assert "PAGE" in codes and "NUMPAGES" in codes
    settings = demo.document.settings.element
    assert settings.find(qn("w:updateFields")).get(qn("w:val")) == "true"


@pytest.mark.parametrize(
    "name",
    [
        "Արմեն Գրիգորյան",
        "Հայաստանի պաշտպանության նախարարություն",
        "Azərbaycan Müdafiə Nazirliyi",
        "Российская Федерация",
        "Armenia–Azerbaijan border clashes",
    ],
)
def test_names_come_back_intact(demo: Exported, name: str) -> None:
    assert name in demo.text


def test_armenian_runs_name_a_font_that_has_armenian(demo: Exported) -> None:
    runs = [
        r
        for r in demo.document.element.body.iter(qn("w:r"))
        if any("Արմեն" in (t.text or "") for t in r.iter(qn("w:t")))
    ]
    assert runs
    for run in runs:
        fonts = run.find(qn("w:rPr")).find(qn("w:rFonts"))
        assert fonts.get(qn("w:hAnsi")) == "DejaVu Sans"


def test_timeline_table_repeats_its_header(demo: Exported) -> None:
    table = next(t for t in demo.document.tables if t.rows[0].cells[1].text == "Local time")
    header = [c.text for c in table.rows[0].cells]
    assert header == [
        "#",
        "Local time",
        "UTC",
        "Event",
        "Place",
        "Parties",
        "Casualties",
        "Status",
        "Notes",
    ]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert table.rows[1].cells[0].text == "1"
    assert "Clashes on the Armenia–Azerbaijan border" in table.rows[1].cells[3].text


def test_judgments_have_likelihood_and_confidence_columns(demo: Exported) -> None:
    table = next(t for t in demo.document.tables if t.rows[0].cells[1].text == "Judgment")
    assert [c.text for c in table.rows[0].cells][2:] == ["Likelihood", "Confidence"]
    first = demo.snapshot.judgments[0]
    assert table.rows[1].cells[2].text.startswith(first.likelihood.value)
    assert table.rows[1].cells[3].text == first.confidence.value


def test_contradictions_stand_side_by_side(demo: Exported) -> None:
    tables = [t for t in demo.document.tables if t.rows[0].cells[0].text == "Statement"]
    assert tables
    assert [c.text for c in tables[0].rows[0].cells] == ["Statement", "Contradicted by"]


def test_note_numbers_match_the_sources(demo: Exported) -> None:
    table = next(t for t in demo.document.tables if t.rows[0].cells[0].text == "No.")
    rows = table.rows[1:]
    assert len(rows) == len(demo.snapshot.sources)
    for row, note in zip(rows, demo.snapshot.sources, strict=True):
        assert row.cells[0].text == f"[{note.number}]"
        assert row.cells[1].text.startswith(note.title)
        assert row.cells[2].text.startswith(note.reliability.value)
    body = demo.document.element.body
    marks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    assert {f"note_{n.number}" for n in demo.snapshot.sources} <= marks
    anchors = {h.get(qn("w:anchor")) for h in body.iter(qn("w:hyperlink"))} - {None}
    assert anchors and anchors <= marks


def _pictures(demo: Exported) -> dict[str, str]:
    found = {}
    for shape in demo.document.inline_shapes:
        properties = shape._inline.docPr
        found[properties.get("name")] = properties.get("descr")
    return found


def test_alliance_diagram_is_a_picture_with_alt_text(demo: Exported) -> None:
    description = _pictures(demo)["Alliance diagram"]
    assert description.startswith("Alliance diagram of") and "defence treaty" in description


def test_map_follows_the_first_timeline_with_numbered_markers_in_its_alt_text(
    demo: Exported,
) -> None:
    pictures = _pictures(demo)
    assert set(pictures) == {"Alliance diagram", "Map of events"}
    description = pictures["Map of events"]
    assert description.startswith("Map of ") and "1. Clashes on the Armenia" in description
    body = [p.text for p in demo.document.paragraphs]
    assert body.index("Map of events") > body.index("Timeline")


def test_document_properties_carry_the_marking(demo: Exported) -> None:
    props = demo.document.core_properties
    assert props.title == demo.snapshot.title
    assert props.author == demo.snapshot.authors
    assert "TLP:GREEN" in props.keywords
    assert props.category == "TLP:GREEN"


def test_clean_default_looks_like_the_pdf(demo: Exported) -> None:
    section = demo.document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.left_margin.mm) == 15
    assert demo.document.styles["Normal"].font.name == "DejaVu Sans"


def test_hostile_text_stays_literal(demo: Exported, tmp_path: Path) -> None:
    section = SectionView(HOSTILE, f"{HOSTILE}\n\n[link](javascript:alert(1))", ())
    snapshot = dataclasses.replace(
        demo.snapshot, title=HOSTILE, authors=HOSTILE, sections=(section,)
    )
    out = export(snapshot, tmp_path / "hostile.docx")
    assert styled(out.document, "Title") == [HOSTILE]
    assert f"1. {HOSTILE}" in styled(out.document, "Heading 1")
    codes = {t.text.split()[0] for t in out.document.element.iter(qn("w:instrText"))}
    assert codes == {"TOC"}  # the only field in the body is ours
    body = out.document.element.body
    rels = out.document.part.rels
    targets = [rels[h.get(qn("r:id"))].target_ref for h in body.iter(qn("w:hyperlink"))
               if h.get(qn("r:id"))]  # fmt: skip
    assert targets and all(t.startswith(("https://", "http://")) for t in targets)
    assert "link" in out.text and out.document.core_properties.title == HOSTILE


def test_markdown_becomes_word_structure(demo: Exported, tmp_path: Path) -> None:
    prose = (
        "## Assessment\n\nSome **bold**, *italic* and [a link](https://example.org).\n\n"
        "1. first\n2. second\n\n- bullet\n\n3. third\n4. fourth\n\n> quoted"
    )
    section = SectionView("Prose", prose, ())
    out = export(dataclasses.replace(demo.snapshot, sections=(section,)), tmp_path / "p.docx")
    assert "Assessment" in styled(out.document, "Heading 3")
    assert styled(out.document, "List Number") == ["first", "second", "third", "fourth"]
    assert styled(out.document, "List Bullet") == ["bullet"]
    assert styled(out.document, "Quote") == ["quoted"]
    numbered = [p for p in out.document.paragraphs if p.style.name == "List Number"]
    ids = [p._p.pPr.numPr.numId.val for p in numbered]
    assert ids[0] == ids[1] != ids[2] == ids[3]  # the second list restarts at its own 3
    runs = [r for p in out.document.paragraphs for r in p.runs]
    assert next(r for r in runs if r.text == "bold").bold
    assert next(r for r in runs if r.text == "italic").italic
    prose_paragraph = next(p for p in out.document.paragraphs if p.text.startswith("Some bold"))
    link = prose_paragraph._p.find(qn("w:hyperlink"))
    assert out.document.part.rels[link.get(qn("r:id"))].target_ref == "https://example.org"


def test_right_to_left_paragraphs_are_marked(demo: Exported, tmp_path: Path) -> None:
    section = SectionView("Arabic", "وزارة الدفاع الأذربيجانية تقول ذلك.\n\nშსს განცხადება", ())
    out = export(dataclasses.replace(demo.snapshot, sections=(section,)), tmp_path / "rtl.docx")
    arabic = next(p for p in out.document.paragraphs if p.text.startswith("وزارة"))
    assert arabic._p.pPr.find(qn("w:bidi")) is not None
    run = arabic.runs[0]._r
    assert run.rPr.find(qn("w:rtl")) is not None
    assert run.rPr.rFonts.get(qn("w:cs")) == "Noto Sans Arabic"
    georgian = next(p for p in out.document.paragraphs if p.text.startswith("შსს"))
    assert georgian._p.pPr.find(qn("w:bidi")) is None
    assert georgian.runs[0]._r.rPr.rFonts.get(qn("w:hAnsi")) == "Noto Sans Georgian"


def test_the_cover_says_what_this_briefing_includes(demo: Exported) -> None:
    from briefing.export.scope import scope_line

    line = scope_line(demo.snapshot)
    assert line.startswith("This briefing includes 2 key judgments, 5 timeline entries")
    assert line.endswith("5 statements, 5 relationships and 6 sources.")
    cover = list(demo.paragraphs())[:8]
    assert line in cover  # the same words as the PDF's cover, on Word's


def test_stricter_record_is_refused(demo_project, tmp_path: Path) -> None:
    records.update_record(demo_project, "entry", 3, {"tlp": "AMBER"})
    target = tmp_path / "out.docx"
    with pytest.raises(MarkingError, match="Raise the label to TLP:AMBER"):
        export_briefing_docx(demo_project, 1, target)
    assert not target.exists() and export_history(demo_project, 1) == []
    result = export_briefing_docx(demo_project, 1, target, tlp=Tlp.AMBER)
    document = docx.Document(str(result.path))
    assert "TLP:AMBER" in "".join(p.text for p in document.sections[0].header.paragraphs)
    assert [e.file_name for e in export_history(demo_project, 1)] == ["out.docx"]


def test_house_template_styles_apply(demo: Exported, tmp_path: Path) -> None:
    out = export(demo.snapshot, tmp_path / "house.docx", template=HOUSE)
    doc = out.document
    assert doc.styles["Normal"].font.name == "Georgia"
    assert str(doc.styles["Heading 1"].font.color.rgb) == "8B0000"
    section = doc.sections[0]
    assert round(section.left_margin.mm) == 30 and round(section.page_width.mm) == 216
    assert "Sample text of the template" not in out.text
    for header in (section.header, section.first_page_header):
        assert header._element.findall(".//" + qn("w:drawing")), "the logo is kept"
        assert "TLP:GREEN" in "".join(p.text for p in header.paragraphs)
    assert "TLP:GREEN" in "".join(p.text for p in section.first_page_footer.paragraphs)
    assert doc.core_properties.title == demo.snapshot.title
    assert styled(doc, "Heading 1")[0] == "Bottom line up front"


def test_template_lacking_styles_gets_ours(demo: Exported, tmp_path: Path) -> None:
    bare = docx.Document()
    bare.sections[0].left_margin = Mm(40)
    bare.save(tmp_path / "bare.docx")
    out = export(demo.snapshot, tmp_path / "out.docx", template=tmp_path / "bare.docx")
    assert "Table Text" in [s.name for s in out.document.styles]
    assert round(out.document.sections[0].left_margin.mm) == 40


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (None, "missing.docx", "does not exist"),
        (b"not a zip", "broken.docx", "is not a Word document"),
    ],
)
def test_unreadable_template_is_refused(demo, tmp_path, content, name, message) -> None:
    template = tmp_path / name
    if content is not None:
        template.write_bytes(content)
    target = tmp_path / "out.docx"
    with pytest.raises(Exception, match=message):
        export_docx(demo.snapshot, target, template=template)
    assert not target.exists()


def test_template_is_remembered_per_project(demo_project) -> None:
    assert house_template(demo_project) is None
    remember_template(demo_project, HOUSE)
    assert house_template(demo_project) == HOUSE
    remember_template(demo_project, None)
    assert house_template(demo_project) is None


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_converts_the_demo(demo: Exported, tmp_path: Path) -> None:
    from pypdf import PdfReader

    source = tmp_path / "demo.docx"
    shutil.copyfile(demo.result.path, source)
    profile = tmp_path / "profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    reader = PdfReader(tmp_path / "demo.pdf")
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert len(pages) >= 3
    assert all("TLP:GREEN" in page for page in pages)
    text = " ".join(pages)
    for name in (
        "Armenia–Azerbaijan border clashes",
        "Azərbaycan Müdafiə Nazirliyi",
        "Bottom line",
    ):
        assert name in text
    assert "unconfirme d" not in text  # the status column holds its longest word whole


def test_a_word_template_file_is_accepted(demo: Exported, tmp_path: Path) -> None:
    """A .dotx differs from a .docx only in its declared content type."""
    import zipfile

    dotx = tmp_path / "house.dotx"
    with zipfile.ZipFile(HOUSE) as source, zipfile.ZipFile(dotx, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "[Content_Types].xml":
                content = content.replace(
                    b"wordprocessingml.document.main+xml", b"wordprocessingml.template.main+xml"
                )
            target.writestr(item, content)
    out = export(demo.snapshot, tmp_path / "out.docx", template=dotx)
    assert out.document.styles["Normal"].font.name == "Georgia"
    types = zipfile.ZipFile(out.result.path).read("[Content_Types].xml")
    assert b"document.main+xml" in types and b"template.main+xml" not in types


def test_even_pages_and_later_sections_are_marked_too(demo: Exported, tmp_path: Path) -> None:
    from docx.enum.section import WD_SECTION

    template = docx.Document(str(HOUSE))
    template.settings.odd_and_even_pages_header_footer = True
    template.add_section(WD_SECTION.NEW_PAGE)
    template.save(tmp_path / "even.docx")
    out = export(demo.snapshot, tmp_path / "out.docx", template=tmp_path / "even.docx")
    for section in out.document.sections:
        for part in (section.header, section.footer, section.even_page_header,
                     section.even_page_footer, section.first_page_header):  # fmt: skip
            assert "TLP:GREEN" in "".join(p.text for p in part.paragraphs)


@pytest.mark.parametrize(
    "url", ["https://example.org/\ud800", "file:///etc/passwd", "java\x00script:x"]
)
def test_odd_source_links_never_break_the_document(demo: Exported, tmp_path, url) -> None:
    first = dataclasses.replace(demo.snapshot.sources[0], url=url)
    snapshot = dataclasses.replace(demo.snapshot, sources=(first, *demo.snapshot.sources[1:]))
    out = export(snapshot, tmp_path / "out.docx")
    targets = [rel.target_ref for rel in out.document.part.rels.values() if rel.is_external]
    assert all(t.startswith(("https://", "http://", "mailto:")) for t in targets)
    assert "\ud800" not in "".join(targets)
