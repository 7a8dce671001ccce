"""Pages are filled where the content allows; a table's key never opens a page alone.

The demo's sections are lengthened sentence by sentence, so tables and the
alliance diagram meet the foot of a page at many heights; each PDF is read back
line by line with the height each line is printed at.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing.export.pdf import export_pdf
from briefing.export.snapshot import BriefingSnapshot
from briefing.export.timeline import GRADE_KEY
from briefing.services.briefing_snapshot import build_snapshot

SENTENCE = "The shelling continued through the night near Sotk, officials said. "
LEGEND = "Arrows run from the first party to the second"
LAST_ENTRY = "Armenia asks Russia to defend its"
"""The last row of the section's timeline (the same words are printed earlier too)."""


@pytest.fixture(scope="module")
def snapshot(demo_template: Path, tmp_path_factory) -> BriefingSnapshot:
    from briefing.store import open_project

    path = tmp_path_factory.mktemp("fill") / "demo.brief"
    path.write_bytes(demo_template.read_bytes())
    with open_project(path, "Analyst") as project:
        return build_snapshot(project, 1)


def _longer(snapshot: BriefingSnapshot, section: int, sentences: int) -> BriefingSnapshot:
    sections = list(snapshot.sections)
    body = sections[section].body + "\n\n" + SENTENCE * sentences
    sections[section] = dataclasses.replace(sections[section], body=body)
    return dataclasses.replace(snapshot, sections=tuple(sections))


def _pages(snapshot: BriefingSnapshot, path: Path) -> list[tuple[float, list[tuple[float, str]]]]:
    """Per page: its height and its body lines (without running header and footer), top first."""
    export_pdf(snapshot, path)
    pages = []
    for page in PdfReader(path).pages:
        found: list[tuple[float, str]] = []

        def visit(text, cm, tm, font, size, found=found) -> None:
            if text.strip():
                found.append((cm[5] + tm[5], text.strip()))

        page.extract_text(visitor_text=visit)
        height = float(page.mediabox.height)
        body = [f for f in found if 0.07 * height < f[0] < 0.93 * height]
        pages.append((height, sorted(body, reverse=True)))
    return pages


@pytest.mark.parametrize("sentences", range(3, 9))
def test_the_grading_key_never_opens_a_page(snapshot, tmp_path: Path, sentences: int) -> None:
    pages = _pages(_longer(snapshot, 0, sentences), tmp_path / "key.pdf")
    tops = [body[0][1] for _, body in pages if body]
    assert not [top for top in tops if GRADE_KEY.startswith(top[:30])]
    assert any(GRADE_KEY[:30] in line for _, body in pages for _, line in body)


def test_the_alliance_diagram_stays_under_the_timeline_when_it_fits(snapshot, tmp_path) -> None:
    """The diagram once went overleaf with its table's first row, leaving 40 % of a page empty."""
    pages = _pages(_longer(snapshot, 2, 18), tmp_path / "diagram.pdf")

    def page_of(words: str) -> int:
        return max(n for n, (_, body) in enumerate(pages) if any(words in t for _, t in body))

    assert page_of(LEGEND) == page_of(LAST_ENTRY)
    for height, body in pages[1:-1]:  # the cover and the last page may end early
        assert body[-1][0] < 0.40 * height  # no page is left nearly half empty
