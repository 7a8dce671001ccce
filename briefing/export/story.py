"""The brief's content in reading order.

Cover and contents, bottom line up front, key judgments, the sections with their
prose and items, then the source notes.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from briefing.export import times
from briefing.export.alliance import alliance_flowables
from briefing.export.casualties import SUMMARY_TITLE, casualty_summary, summary_flowables
from briefing.export.changes import changes_flowables
from briefing.export.fonts import SANS, bold
from briefing.export.map_block import map_flowables
from briefing.export.notes import notes_table
from briefing.export.pages import LABEL_SIZE, Marks, TocLine, heading
from briefing.export.prose import markdown_flowables
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
from briefing.export.statements import statement_flowables
from briefing.export.styles import ACCENT, FRAME_WIDTH, HEADER_SHADE, RULE, SHADE, Styles
from briefing.export.tables import BriefTable, guard_headings
from briefing.export.text import CachedParagraph, clean, paragraphs, plain
from briefing.export.timeline import GRADE_KEY, timeline_table
from briefing.model.vocab import TLP_AUDIENCE, Tlp

JUDGMENT_KEY = (
    "Likelihood terms follow ICD 203 (for example, likely: 55–80 %). Confidence — low, "
    "moderate or high — rates the sources and reasoning behind a judgment, not its probability."
)


def label_box(label: Tlp) -> Table:
    style = ParagraphStyle(
        "label", fontName=bold(SANS), fontSize=LABEL_SIZE, leading=LABEL_SIZE + 2,
        textColor=colors.HexColor(label.colour),
    )  # fmt: skip
    width = stringWidth(label.marking, bold(SANS), LABEL_SIZE) + 12
    box = Table([[CachedParagraph(label.marking, style)]], colWidths=[width], hAlign="LEFT")
    box.setStyle(
        TableStyle(
            [("BACKGROUND", (0, 0), (-1, -1), colors.black), ("FONT", (0, 0), (-1, -1), SANS)]
        )
    )
    return box


class StoryBuilder:
    """Builds the flowables and the contents lines for one snapshot."""

    def __init__(self, snapshot: BriefingSnapshot, label: Tlp, st: Styles, marks: Marks) -> None:
        self.snapshot = snapshot
        self.label = label
        self.st = st
        self.marks = marks
        self.contents: list[tuple[str, str]] = []
        self.numbers = {e.uuid: n for n, e in enumerate(snapshot.timeline(), start=1)}
        self.map_placed = snapshot.map_placed  # by the analyst: not after the first timeline
        self.casualties = casualty_summary(snapshot)

    def build(self) -> list[Flowable]:
        s = self.snapshot
        if s.bluf.strip():
            self.contents.append(("bluf", "Bottom line up front"))
        if s.judgments:
            self.contents.append(("judgments", "Key judgments"))
        if s.changes is not None:
            self.contents.append(("changes", s.changes.title))
        for number, section in enumerate(s.sections, start=1):
            self.contents.append((f"section-{number}", f"{number}. {clean(section.heading)}"))
        if self.casualties is not None:
            self.contents.append(("casualties", SUMMARY_TITLE))
        if s.sources:
            self.contents.append(("notes", "Source notes"))
        story = [*self.cover(), PageBreak()]
        if s.bluf.strip():
            story += [self._heading("bluf"), self._shaded(markdown_flowables(s.bluf, self.st))]
        if s.judgments:
            story += [self._heading("judgments"), self.judgments()]
        if s.changes is not None:
            story += [self._heading("changes"), *changes_flowables(s.changes, self.st)]
        for number, section in enumerate(s.sections, start=1):
            story.append(self._heading(f"section-{number}"))
            story += markdown_flowables(section.body, self.st)
            for block in section.blocks:
                story += self.block(block)
        if self.casualties is not None:
            story += [self._heading("casualties"), *summary_flowables(self.casualties, self.st)]
        if s.sources:
            story += [self._heading("notes"), notes_table(s.sources, self.st)]
        return guard_headings(story)

    def _heading(self, key: str) -> Paragraph:
        title = dict(self.contents)[key]
        paragraph = heading(plain(title), self.st.heading, key, title)
        paragraph._heading = True  # type: ignore[attr-defined]
        return paragraph

    def cover(self) -> list[Flowable]:
        s, st = self.snapshot, self.st
        flow: list[Flowable] = [Spacer(1, 28)]
        flow.append(CachedParagraph("CONFLICT BRIEFING", st.meta_label))
        flow.append(Spacer(1, 6))
        flow.append(CachedParagraph(plain(s.title), st.title))
        if s.subtitle:
            flow.append(CachedParagraph(plain(s.subtitle), st.subtitle))
        flow += [Spacer(1, 10), self._facts(), Spacer(1, 22)]
        flow.append(CachedParagraph("Contents", st.subheading))
        for key, title in self.contents:
            flow.append(TocLine(plain(title), st.toc, key, self.marks))
        return flow

    def _facts(self) -> Table:
        s, st = self.snapshot, self.st
        as_of = "<br/>".join(plain(line) for line in times.as_of_lines(s.as_of, s.zone))
        marking: list[Flowable] = [
            label_box(self.label),
            Spacer(1, 3),
            CachedParagraph(f"Distribution: {plain(TLP_AUDIENCE[self.label])}.", st.meta),
        ]
        if self.label is not s.tlp:
            marking.append(
                CachedParagraph(
                    f"Raised from {s.tlp.marking} for this export because it includes "
                    "records marked more strictly.",
                    st.small,
                )
            )
        rows = [
            ("As of", CachedParagraph(as_of, st.meta)),
            ("Authors", CachedParagraph(plain(s.authors) or "—", st.meta)),
            ("Status", CachedParagraph(s.status.value.capitalize(), st.meta)),
            ("Marking", marking),
        ]
        table = Table(
            [[CachedParagraph(k, st.meta_label), v] for k, v in rows],
            colWidths=[70, FRAME_WIDTH - 70],
            hAlign="LEFT",
        )
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("FONT", (0, 0), (-1, -1), SANS),  # not Helvetica, which is not embedded
                    ("LINEABOVE", (0, 0), (-1, 0), 0.8, ACCENT),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                    ("TOPPADDING", (0, 0), (-1, -1), 5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        return table

    def _shaded(self, flowables: list[Flowable]) -> Table:
        box = BriefTable([[flowables]], colWidths=[FRAME_WIDTH])
        box.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                    ("LINEBEFORE", (0, 0), (0, -1), 3, ACCENT),
                    ("LEFTPADDING", (0, 0), (-1, -1), 10),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                    ("TOPPADDING", (0, 0), (-1, -1), 8),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        return box

    def _block_heading(self, title: str) -> list[Flowable]:
        """A heading kept with what follows by a guard (see :func:`guard_headings`)."""
        paragraph = CachedParagraph(title, self.st.block_heading)
        paragraph._heading = True  # type: ignore[attr-defined]
        return [paragraph]

    def judgments(self) -> Flowable:
        st = self.st
        rows: list[list[Flowable | list[Flowable]]] = [
            [CachedParagraph(h, st.cell_head) for h in ("", "Judgment", "Likelihood", "Confidence")]
        ]
        for number, judgment in enumerate(self.snapshot.judgments, start=1):
            rows.append(
                [
                    CachedParagraph(f"<b>{number}</b>", st.body),
                    paragraphs(judgment.text, st.body),
                    CachedParagraph(
                        f"<b>{judgment.likelihood.value}</b><br/>"
                        f'<font size="7.5" color="#5A6270">{judgment.likelihood.probability}'
                        "</font>",
                        st.body,
                    ),
                    CachedParagraph(f"<b>{judgment.confidence.value}</b>", st.body),
                ]
            )
        table = BriefTable(rows, colWidths=[18, FRAME_WIDTH - 18 - 150, 80, 70], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), HEADER_SHADE),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 1), (-1, -1), 5),
                ]
            )
        )
        return KeepTogether([table, CachedParagraph(JUDGMENT_KEY, st.small)])

    def block(self, block: Block) -> list[Flowable]:
        st = self.st
        if isinstance(block, TimelineBlock):
            table = timeline_table(block.entries, st, self.snapshot.source, self.numbers)
            key = CachedParagraph(GRADE_KEY, st.small)
            flow = [*self._block_heading("Timeline"), table, key]
            if not self.map_placed:
                self.map_placed = True
                flow += map_flowables(self.snapshot, st)
            return flow
        if isinstance(block, MapBlock):
            return map_flowables(self.snapshot, st)
        if isinstance(block, StatementBlock):
            statements = statement_flowables(block, st)
            return [*self._block_heading("Statements"), *statements]
        if isinstance(block, AllianceBlock):
            flow = [*self._block_heading("Alliance context"), *alliance_flowables(block, st)]
            return [KeepTogether(flow), Spacer(1, 8)]
        if isinstance(block, PartyBlock):
            return [
                CachedParagraph(
                    f"<b>{plain(p.name)}</b> ({plain(p.kind)})"
                    + (f" — {plain(p.description)}" if p.description else ""),
                    st.body,
                )
                for p in block.parties
            ]
        assert isinstance(block, SourceBlock)
        cited = "; ".join(f"[{n}] {plain(self.snapshot.source(n).title)}" for n in block.notes)
        return [CachedParagraph(f"Sources: {cited}", st.body)]
