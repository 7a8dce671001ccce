"""The brief's content in the PDF's reading order, written into the Word document.

Cover with the facts and the contents field, bottom line up front, key judgments,
changes since the last edition, the sections with their prose and items, then the
source notes. :meth:`Body.steps` yields how far it is, for a progress bar.
"""

from __future__ import annotations

from collections.abc import Iterator

from docx.enum.text import WD_BREAK

from briefing.export import times
from briefing.export.cancel import Check, never
from briefing.export.casualties import SUMMARY_TITLE, casualty_summary
from briefing.export.docx.alliance import add_alliance
from briefing.export.docx.casualties import add_casualty_summary
from briefing.export.docx.changes import add_changes
from briefing.export.docx.fields import add_contents, add_label
from briefing.export.docx.map import add_map
from briefing.export.docx.notes import add_notes, cite
from briefing.export.docx.prose import Lists, add_prose
from briefing.export.docx.runs import Look, add_text
from briefing.export.docx.sheet import Sheet
from briefing.export.docx.statements import add_statements
from briefing.export.docx.timeline import add_timeline
from briefing.export.scope import scope_line
from briefing.export.snapshot import (
    AllianceBlock,
    Block,
    BriefingSnapshot,
    MapBlock,
    PartyBlock,
    SourceBlock,
    StatementBlock,
    TimelineBlock,
)
from briefing.export.story import JUDGMENT_KEY
from briefing.model.vocab import TLP_AUDIENCE, Tlp


class Body:
    """Writes one snapshot into a :class:`Sheet`."""

    def __init__(
        self, sheet: Sheet, snapshot: BriefingSnapshot, label: Tlp, check: Check = never
    ) -> None:
        self.sheet = sheet
        self.check = check
        """Called before each row of a long table; raises to cancel (see ``export.cancel``)."""
        self.snapshot = snapshot
        self.label = label
        self.lists = Lists(sheet)
        self.casualties = casualty_summary(snapshot)
        self.contents = self._contents()
        self.numbers = {entry.uuid: n for n, entry in enumerate(snapshot.timeline(), start=1)}
        self.map_placed = snapshot.map_placed  # by the analyst: not after the first timeline

    def _contents(self) -> list[tuple[str, str]]:
        s = self.snapshot
        found = []
        if s.bluf.strip():
            found.append(("bluf", "Bottom line up front"))
        if s.judgments:
            found.append(("judgments", "Key judgments"))
        if s.changes is not None:
            found.append(("changes", s.changes.title))
        for number, section in enumerate(s.sections, start=1):
            found.append((f"section_{number}", f"{number}. {section.heading}"))
        if self.casualties is not None:
            found.append(("casualties", SUMMARY_TITLE))
        if s.sources:
            found.append(("notes", "Source notes"))
        return found

    def steps(self) -> Iterator[float]:
        """Write everything; yields the share done after each part."""
        s, doc = self.snapshot, self.sheet.document
        self.cover()
        yield 0.05
        if s.bluf.strip():
            self._heading("bluf")
            add_prose(self.sheet, doc, s.bluf, self.lists)
        if s.judgments:
            self._heading("judgments")
            self.judgments()
        if s.changes is not None:
            self._heading("changes")
            add_changes(self.sheet, s.changes)
        yield 0.1
        for number, section in enumerate(s.sections, start=1):
            self._heading(f"section_{number}")
            add_prose(self.sheet, doc, section.body, self.lists)
            for block in section.blocks:
                self.block(block)
                yield 0.1 + 0.8 * number / (len(s.sections) + 1)
        if self.casualties is not None:
            self._heading("casualties")
            add_casualty_summary(self.sheet, self.casualties, self.check)
        if s.sources:
            self._heading("notes")
            add_notes(self.sheet, s.sources)
        yield 1.0

    def _heading(self, key: str) -> None:
        paragraph = self.sheet.para(self.sheet.document, "Heading 1", dict(self.contents)[key])
        self.sheet.bookmarks.add(paragraph, key)

    def cover(self) -> None:
        sheet, s, doc = self.sheet, self.snapshot, self.sheet.document
        sheet.para(doc, "Cover Label", "CONFLICT BRIEFING")
        sheet.para(doc, "Title", s.title)
        if s.subtitle:
            sheet.para(doc, "Subtitle", s.subtitle)
        scope = scope_line(s)
        if scope:
            sheet.para(doc, "Normal", scope)
        facts = [
            ("As of", times.as_of_lines(s.as_of, s.zone)),
            ("Authors", [s.authors or "—"]),
            ("Status", [s.status.value.capitalize()]),
        ]
        for name, lines in facts:
            sheet.para(doc, "Cover Label", name)
            paragraph = sheet.para(doc, "Normal")
            for index, line in enumerate(lines):
                if index:
                    paragraph.add_run().add_break()
                add_text(paragraph, line)
        sheet.para(doc, "Cover Label", "Marking")
        add_label(sheet.para(doc, "Normal"), self.label)
        sheet.para(doc, "Normal", f"Distribution: {TLP_AUDIENCE[self.label]}.")
        if self.label is not s.tlp:
            sheet.para(doc, "Caption", f"Raised from {s.tlp.marking} for this export because it "
                       "includes records marked more strictly.")  # fmt: skip
        add_contents(sheet, self.contents)
        sheet.para(doc, "Normal").add_run().add_break(WD_BREAK.PAGE)

    def judgments(self) -> None:
        sheet = self.sheet
        table = sheet.table(("", "Judgment", "Likelihood", "Confidence"), (18, 355, 80, 70))
        for number, judgment in enumerate(self.snapshot.judgments, start=1):
            index, text, likelihood, confidence = sheet.row(table)
            sheet.para(index, "Table Text", str(number), Look(bold=True))
            sheet.para(text, "Table Text", judgment.text)
            sheet.para(likelihood, "Table Text", judgment.likelihood.value, Look(bold=True))
            sheet.para(likelihood, "Table Note", judgment.likelihood.probability)
            sheet.para(confidence, "Table Text", judgment.confidence.value, Look(bold=True))
        sheet.para(sheet.document, "Caption", JUDGMENT_KEY)

    def block(self, block: Block) -> None:
        sheet, doc = self.sheet, self.sheet.document
        if isinstance(block, TimelineBlock):
            sheet.para(doc, "Heading 2", "Timeline")
            add_timeline(sheet, block.entries, self.snapshot.source, self.numbers, self.check)
            if not self.map_placed:
                self.map_placed = True
                add_map(sheet, self.snapshot)
        elif isinstance(block, MapBlock):
            add_map(sheet, self.snapshot)
        elif isinstance(block, StatementBlock):
            sheet.para(doc, "Heading 2", "Statements")
            add_statements(sheet, block, self.check)
        elif isinstance(block, AllianceBlock):
            sheet.para(doc, "Heading 2", "Alliance context")
            add_alliance(sheet, block)
        elif isinstance(block, PartyBlock):
            for party in block.parties:
                paragraph = sheet.para(doc, "Normal", party.name, Look(bold=True))
                add_text(paragraph, f" ({party.kind})")
                if party.description:
                    add_text(paragraph, f" — {party.description}")
        elif isinstance(block, SourceBlock):
            paragraph = sheet.para(doc, "Normal", "Sources: ")
            for index, number in enumerate(block.notes):
                if index:
                    add_text(paragraph, "; ")
                cite(sheet, paragraph, [number])
                add_text(paragraph, f" {self.snapshot.source(number).title}")
