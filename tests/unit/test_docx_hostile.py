"""Any text a project can hold exports to Word as literal text, and never crashes the export."""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.export.docx import export_docx
from briefing.export.docx.runs import literal
from briefing.export.snapshot import BriefingSnapshot, JudgmentView, SectionView
from briefing.model.vocab import Confidence, Likelihood
from briefing.services.briefing_snapshot import build_snapshot
from briefing.store import open_project

PIECES = [
    "<w:p>", "</w:t>", "{ MERGEFIELD x }", "{ INCLUDETEXT \"c:\\\\x\" }", "&", "&amp;", "]]>",
    "Արմեն Գրիգորյան", "Müdafiə", "وزارة الدفاع", "שלום", "中文", "ქართული", "🙂", "👩🏽‍💻",
    "\ud800", "\udfff", "\ufffe", "\x00", "\x0b", "\u202e", "\u200f", "\n", "\t", "**",
    "[x](javascript:1)", "[y](https://example.org/\ud800\x01)", "<https://a.example/\ufffe>",
    "9" * 40, "NaN", "-1e309",
]  # fmt: skip
TEXT = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=8).map("".join)


@pytest.fixture(scope="module")
def snapshot(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> BriefingSnapshot:
    folder = tmp_path_factory.mktemp("hostile")
    shutil.copyfile(demo_template, folder / "demo.brief")
    with open_project(folder / "demo.brief", "Ana", read_only=True) as project:
        return build_snapshot(project, 1)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=TEXT, body=TEXT, judgment=TEXT, tag=TEXT)
def test_hostile_text_exports_literally(snapshot, title, body, judgment, tag) -> None:
    section = SectionView(title, body, snapshot.sections[0].blocks)
    changed = dataclasses.replace(
        snapshot,
        title=title,
        subtitle=judgment,
        authors=tag,
        tags=(tag,),
        sections=(section,),
        judgments=(JudgmentView(judgment, Likelihood.LIKELY, Confidence.LOW),),
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "out.docx"
        export_docx(changed, path)
        document = docx.Document(str(path))
    titles = [p.text for p in document.paragraphs if p.style.name == "Title"]
    assert titles == [literal(title)]
    judgments = document.tables[0].rows[1].cells[1].text
    assert judgments == literal(judgment)
    fields = {t.text.split()[0] for t in document.element.body.iter(qn("w:instrText"))}
    assert fields == {"TOC"}
