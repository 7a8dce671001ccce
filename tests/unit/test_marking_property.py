"""Property: random labels before and after a freeze, random deletions, a random ceiling.

Whatever the labels, a share copy, a JSON export with ``--max-tlp`` and a PDF
with its changes section, all marked at the ceiling, hold no word of a record
the marking rule keeps out: one marked more strictly now, deleted, or (for its
frozen text) marked more strictly when the edition was frozen. Each record
carries its own made-up words, so a word found names the record that leaked.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from briefing.errors import BriefingError
from briefing.io.jsondoc import export_json
from briefing.model.marking import releasable
from briefing.model.vocab import Tlp
from briefing.services import records
from briefing.services.editions import freeze_edition
from briefing.services.pdf_export import export_briefing
from briefing.services.share import write_share_copy
from briefing.store import Project, create_project

LETTERS = "abc"
LABELS = st.sampled_from(list(Tlp))


@dataclass
class Made:
    """One record of the example: its kind, id, uuid, words and labels."""

    kind: str
    id: int
    uuid: str
    name: str
    frozen: str
    before: Tlp
    after: Tlp
    deleted: bool = False
    needs: list[Made] = field(default_factory=list)

    def allowed_now(self, ceiling: Tlp) -> bool:
        return (
            not self.deleted
            and releasable(self.after, ceiling)
            and all(n.allowed_now(ceiling) for n in self.needs)
        )

    def forbidden(self, ceiling: Tlp) -> list[str]:
        """Its words a copy at ``ceiling`` may not hold."""
        words = [] if self.allowed_now(ceiling) else [self.name]
        if not (self.allowed_now(ceiling) and releasable(self.before, ceiling)):
            words.append(self.frozen)
        return words


def create(project: Project, kind: str, values: dict[str, Any]) -> tuple[int, str]:
    change = records.create_record(project, kind, values)
    return change.ids[kind][0], change.created_uuids[0]


def build(project: Project, data: st.DataObject) -> tuple[list[Made], Made]:
    """Records with labels drawn, a briefing holding them all, frozen, then relabelled."""
    made: list[Made] = []

    def add(kind: str, tag: str, values: dict[str, Any], frozen_key: str, **more: Any) -> Made:
        name, frozen = f"qx{tag}", f"qxfz{tag}"
        record_id, uuid = create(project, kind, {**values, frozen_key: frozen, "tlp": "CLEAR"})
        record = Made(kind, record_id, uuid, name, frozen, data.draw(LABELS), data.draw(LABELS))
        record.needs = more.get("needs", [])
        made.append(record)
        return record

    parties = [
        add("party", f"party{c}", {"name": f"qxparty{c}", "kind": "armed group"}, "description")
        for c in LETTERS
    ]
    source = add("source", "sourcea", {"title": "qxsourcea", "kind": "news"}, "description")
    entries = []
    for c in LETTERS:
        chosen = data.draw(st.lists(st.sampled_from(parties), unique_by=id, max_size=2))
        values = {
            "title": f"qxentry{c}",
            "start_utc": "2021-11-16T07:00:00Z",
            "parties": [{"party": p.uuid, "role": "involved"} for p in chosen],
            "sources": [source.uuid],
            "claims": [
                {
                    "side": "party",
                    "party": data.draw(st.sampled_from(parties)).uuid,
                    "category": "killed",
                    "best": 3,
                    "words": f"qxclaim{c}",
                    "claimant": data.draw(st.sampled_from(parties)).uuid,
                    "source": source.uuid,
                }
            ],  # fmt: skip
        }
        entries.append(add("entry", f"entry{c}", values, "description"))
    statements: list[Made] = []
    for c in LETTERS[:2]:
        values = {
            "quote": f"qxquote{c}",
            "kind": "claim",
            "speaker": data.draw(st.sampled_from(parties)).uuid,
            "entry": data.draw(st.sampled_from(entries)).uuid,
            "source": source.uuid,
            "contradicts": [s.uuid for s in statements if data.draw(st.booleans())],
        }
        statements.append(add("statement", f"quote{c}", values, "translation"))
    a, b = parties[0], parties[1]
    values = {"party_a": a.uuid, "party_b": b.uuid, "kind": "defence treaty", "title": "qxrela"}
    add("relationship", "rela", values, "description", needs=[a, b])
    items = [{"kind": m.kind, "ref": m.uuid} for m in made]
    values = {
        "title": "qxbrief",
        "as_of": "2021-11-17T00:00:00Z",
        "sections": [{"heading": "Everything", "body": "", "items": items}],
    }
    briefing = add("briefing", "brief", values, "bluf")
    freeze_project(project, made, briefing, data)
    return made, briefing


def freeze_project(project: Project, made: list[Made], briefing: Made, data: st.DataObject):
    """Label as before, freeze, then relabel, rewrite the frozen words and delete entries."""
    for record in made:
        records.update_record(project, record.kind, record.id, {"tlp": record.before.value})
    freeze_edition(project, briefing.id)
    keys = {"briefing": "bluf", "statement": "translation"}
    for record in made:
        values = {"tlp": record.after.value, keys.get(record.kind, "description"): "qxnow"}
        records.update_record(project, record.kind, record.id, values)
    for record in made:
        if record.kind == "entry" and data.draw(st.booleans()):
            records.delete_records(project, "entry", [record.id])
            record.deleted = True


def pdf_text(path: Path) -> bytes:
    reader = PdfReader(path)
    text = "".join(page.extract_text() for page in reader.pages)
    return "".join(text.split()).lower().encode()


def found(data: bytes, words: list[str]) -> list[str]:
    return [w for w in words if w.encode() in data]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_no_output_marked_at_a_ceiling_holds_a_stricter_word(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        with create_project(work / "p.brief", "Ana") as project:
            made, briefing = build(project, data)
            ceiling = data.draw(LABELS, label="ceiling")
            forbidden = [w for m in made for w in m.forbidden(ceiling)]
            write_share_copy(project, work / "share.brief", ceiling)
            assert found((work / "share.brief").read_bytes(), forbidden) == []
            export_json(project, work / "out.json", ceiling)
            assert found((work / "out.json").read_bytes(), forbidden) == []
            try:
                export_briefing(project, briefing.id, work / "out.pdf", ceiling, changes=True)
            except BriefingError:
                return  # refused: a stricter record is printed, or the label is too low
            assert found(pdf_text(work / "out.pdf"), forbidden) == []
