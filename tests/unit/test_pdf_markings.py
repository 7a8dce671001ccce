"""A briefing that includes records stricter than its TLP label is refused, unless raised."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing.export.markings import MarkingError
from briefing.model.vocab import Tlp
from briefing.services import records
from briefing.services.pdf_export import export_briefing, export_history


def mark(project, kind: str, record_id: int, label: str) -> None:
    records.update_record(project, kind, record_id, {"tlp": label})


@pytest.mark.parametrize(
    ("kind", "record_id", "named"),
    [
        ("statement", 1, "statement ‘Ministry of Defence of Armenia: There are fatalities"),
        ("entry", 3, "timeline entry ‘Clashes on the Armenia–Azerbaijan border’"),
        ("relationship", 1, "relationship ‘1997 Treaty of Friendship"),
        ("source", 2, "source ‘Statement on the fighting at the border’"),
        ("party", 3, "party ‘Ministry of Defence of Armenia’"),  # named as a speaker
    ],
)
def test_stricter_record_is_refused_by_name(demo_project, tmp_path, kind, record_id, named):
    mark(demo_project, kind, record_id, "AMBER")
    target = tmp_path / "out.pdf"
    with pytest.raises(MarkingError) as refused:
        export_briefing(demo_project, 1, target)
    message = str(refused.value)
    assert named in message and "(TLP:AMBER)" in message
    assert "Raise the label to TLP:AMBER" in message
    assert not target.exists() and export_history(demo_project, 1) == []


def test_raised_label_exports_and_marks_every_page(demo_project, tmp_path: Path) -> None:
    mark(demo_project, "statement", 1, "AMBER+STRICT")
    result = export_briefing(demo_project, 1, tmp_path / "out.pdf", tlp=Tlp.AMBER_STRICT)
    assert result.label is Tlp.AMBER_STRICT
    pages = [p.extract_text() for p in PdfReader(result.path).pages]
    assert all(p.count("TLP:AMBER+STRICT") >= 2 and "TLP:GREEN" not in p for p in pages[1:])
    assert "Raised from TLP:GREEN" in " ".join(pages[0].split())


@pytest.mark.parametrize(
    ("record_label", "override", "message"),
    [
        ("CLEAR", "CLEAR", "cannot carry the lower label TLP:CLEAR"),
        ("RED", "AMBER", "Raise the label to TLP:RED"),
    ],
)
def test_override_cannot_hide_a_marking(demo_project, tmp_path, record_label, override, message):
    mark(demo_project, "entry", 3, record_label)
    with pytest.raises(MarkingError, match=message):
        export_briefing(demo_project, 1, tmp_path / "out.pdf", tlp=Tlp(override))


def test_many_records_are_counted_not_all_listed(demo_project, tmp_path: Path) -> None:
    for kind, record_id in [("statement", n) for n in (1, 3, 4, 5, 6)] + [("entry", 3)]:
        mark(demo_project, kind, record_id, "RED")
    with pytest.raises(MarkingError, match=r"and 1 more\. Raise the label to TLP:RED"):
        export_briefing(demo_project, 1, tmp_path / "out.pdf")
