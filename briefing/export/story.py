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
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from briefing.export import times
from briefing.export.alliance import alliance_flowables
from briefing.export.cancel import Check, never
from briefing.export.casualties import SUMMARY_TITLE, casualty_summary, summary_flowables
from briefing.export.changes import changes_flowables
from briefing.export.chunked import ChunkedTable
from briefing.export.fonts import SANS, bold
from briefing.export.map_block import map_flowables
from briefing.export.markings import stricter_records
from briefing.export.notes import Citations, notes_table
from briefing.export.overflow import TITLE as OVERFLOW_TITLE
from briefing.export.overflow import Overflow
from briefing.export.pages import LABEL_SIZE, Marks, TocLine, heading
from briefing.export.prose import markdown_flowables
from briefing.export.scope import scope_line
from briefing.export.snapshot import (
    AllianceBlock,
    Block,
    BriefingSnapshot,
    MapBlock,
    PartyBlock,
    SectionView,
    SourceBlock,
    StatementBlock,
    TimelineBlock,
)
from briefing.export.statements import Printed, statement_flowables
from briefing.export.styles import (
    ACCENT,
    FRAME_WIDTH,
    HEADER_SHADE,
    MEASURE,
    RULE,
    SHADE,
    Styles,
    wide_timeline,
)
from briefing.export.tables import BriefTable, guard_headings
from briefing.export.text import CachedParagraph, clean, paragraphs, plain
from briefing.export.timeline import GRADE_KEY, timeline_table
from briefing.model.vocab import TLP_AUDIENCE, Likelihood, Tlp

JUDGMENT_KEY = (
    "Likelihood terms follow ICD 203 (for example, likely: 55–80 %). Confidence — low, "
    "moderate or high — rates the sources and reasoning behind a judgment, not its probability."
)


BLOCK_TITLES = {
    TimelineBlock: "Timeline",
    StatementBlock: "Statements",
    AllianceBlock: "Alliance context",
}


def label_note(snapshot: BriefingSnapshot, label: Tlp) -> str:
    """Why the export's label differs from the briefing's, in words that are true."""
    if label is snapshot.tlp:
        return ""
    if stricter_records(snapshot, snapshot.tlp):
        return (
            f"Raised from {snapshot.tlp.marking} for this export because it includes records "
            "marked more strictly."
        )
    return (
        f"Raised from {snapshot.tlp.marking} for this export at the sender’s choice; the "
        f"briefing and every record it includes are marked {snapshot.tlp.marking} or lower."
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


def _key_kept(flowables: list[Flowable]) -> list[Flowable]:
    """A table's key (the paragraph after its last table) kept from opening a page alone."""
    tables = [i for i, f in enumerate(flowables) if isinstance(f, (BriefTable, ChunkedTable))]
    if tables and tables[-1] + 1 < len(flowables):
        key = flowables[tables[-1] + 1]
        if isinstance(key, Paragraph):
            flowables[tables[-1]].kept_below = key  # type: ignore[attr-defined]
    return flowables


class StoryBuilder:
    """Builds the flowables and the contents lines for one snapshot."""

    def __init__(
        self,
        snapshot: BriefingSnapshot,
        label: Tlp,
        st: Styles,
        marks: Marks,
        pages: str = "auto",
        check: Check = never,
    ) -> None:
        self.snapshot = snapshot
        self.check = check
        """Called before each block and row; raises to cancel (:mod:`briefing.export.cancel`)."""
        self.pages = pages
        """Timeline pages: by length, landscape or portrait (:data:`TIMELINE_PAGES`)."""
        self.label = label
        self.st = st
        self.marks = marks
        self.contents: list[tuple[str, str, int]] = []
        self.numbers = {e.uuid: n for n, e in enumerate(snapshot.timeline(), start=1)}
        self.map_placed = snapshot.map_placed  # by the analyst: not after the first timeline
        self.key_placed = False
        self.turned = False
        """The page already turned to landscape for the section's opening timeline."""
        self.casualties = casualty_summary(snapshot)
        self.citations = Citations()
        self.printed = Printed(marks, self.citations.marker)

    def build(self) -> list[Flowable]:
        s = self.snapshot
        story: list[Flowable] = []
        if s.bluf.strip():
            story += [self._heading("bluf", "Bottom line up front"), self._bluf()]
        if s.judgments:
            story += [self._heading("judgments", "Key judgments"), self.judgments()]
        if s.changes is not None:
            story += [self._heading("changes", s.changes.title)]
            story += changes_flowables(s.changes, self.st)
        for number, section in enumerate(s.sections, start=1):
            key = f"section-{number}"
            self.turned = self._opens_wide(section)
            if self.turned:  # the heading and intro go overleaf with the table they introduce
                story += [NextPageTemplate("wide"), PageBreak()]
            story.append(self._heading(key, f"{number}. {clean(section.heading)}"))
            story += markdown_flowables(section.body, self.st)
            for index, block in enumerate(section.blocks):
                self.check()
                story += self.block(block, f"{key}-{index}", section.heading)
        if self.casualties is not None:
            story += [self._heading("casualties", SUMMARY_TITLE)]
            story += _key_kept(summary_flowables(self.casualties, self.st, self.check))
        if s.sources:
            notes = notes_table(s.sources, self.st, self.citations)
            story += [self._heading("notes", "Source notes"), notes]
        overflow = Overflow(self.marks, self.st)
        overflow.cap(story)
        annex = overflow.annex()
        if annex:
            self.contents.append(("annex", OVERFLOW_TITLE, 0))
            self.contents += [(key, title, 1) for key, title, _ in overflow.items]
        return guard_headings([*self.cover(), PageBreak(), *story, *annex])

    def _opens_wide(self, section: SectionView) -> bool:
        """Whether a section starts with a timeline printed on landscape pages."""
        first = section.blocks[0] if section.blocks else None
        return isinstance(first, TimelineBlock) and wide_timeline(len(first.entries), self.pages)

    def _heading(self, key: str, title: str) -> Paragraph:
        self.contents.append((key, title, 0))
        paragraph = heading(plain(title), self.st.heading, key, title)
        paragraph._heading = True  # type: ignore[attr-defined]
        return paragraph

    def cover(self) -> list[Flowable]:
        s, st = self.snapshot, self.st
        flow: list[Flowable] = [Spacer(1, 20)]
        issuer = f" · {plain(s.organisation).upper()}" if s.organisation.strip() else ""
        flow.append(CachedParagraph(f"CONFLICT BRIEFING{issuer}", st.meta_label))
        flow.append(Spacer(1, 6))
        flow.append(CachedParagraph(plain(s.title), st.title))
        if s.subtitle:
            flow.append(CachedParagraph(plain(s.subtitle), st.subtitle))
        scope = scope_line(s)
        if scope:
            flow.append(CachedParagraph(plain(scope), st.summary))
        flow += [Spacer(1, 8), self._facts(), Spacer(1, 20)]
        flow.append(CachedParagraph("Contents", st.subheading))
        for key, title, level in self.contents:
            style = st.toc if level == 0 else st.toc_sub
            flow.append(TocLine(plain(title), style, key, self.marks))
        return flow

    def _facts(self) -> Table:
        s, st = self.snapshot, self.st
        as_of = "<br/>".join(plain(line) for line in times.as_of_lines(s.as_of, s.zone))
        marking: list[Flowable] = [
            label_box(self.label),
            Spacer(1, 3),
            CachedParagraph(f"Distribution: {plain(TLP_AUDIENCE[self.label])}.", st.meta),
        ]
        note = label_note(s, self.label)
        if note:
            marking.append(CachedParagraph(plain(note), st.small))
        rows = [("As of", CachedParagraph(as_of, st.meta))]
        if s.edition:
            rows.append(("Edition", CachedParagraph(plain(s.edition), st.meta)))
        if s.organisation.strip():
            rows.append(("Issued by", CachedParagraph(plain(s.organisation), st.meta)))
        rows += [
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

    def _bluf(self) -> Table:
        """The bottom line in a shaded box as wide as the prose measure."""
        flowables = markdown_flowables(self.snapshot.bluf, self.st, full_width=True)
        box = BriefTable([[flowables]], colWidths=[MEASURE + 20])
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

    def _block_heading(self, title: str, key: str) -> list[Flowable]:
        """A second-level heading (contents, bookmark), kept with what follows by a guard."""
        self.contents.append((key, title, 1))
        paragraph = heading(plain(title), self.st.block_heading, key, title, level=1)
        paragraph._heading = True  # type: ignore[attr-defined]
        return [paragraph]

    def judgments(self) -> Flowable:
        st = self.st
        cell = st.cell_body
        terms = max(stringWidth(t.value, bold(SANS), cell.fontSize) for t in Likelihood) + 10
        rows: list[list[Flowable | list[Flowable]]] = [
            [CachedParagraph(h, st.cell_head) for h in ("", "Judgment", "Likelihood", "Confidence")]
        ]
        for number, judgment in enumerate(self.snapshot.judgments, start=1):
            rows.append(
                [
                    CachedParagraph(f"<b>{number}</b>", cell),
                    paragraphs(judgment.text, cell),
                    CachedParagraph(
                        f"<b>{judgment.likelihood.value}</b><br/>"
                        f'<font color="#5A6270">{judgment.likelihood.probability}</font>',
                        cell,
                    ),
                    CachedParagraph(f"<b>{judgment.confidence.value}</b>", cell),
                ]
            )
        widths = [18, FRAME_WIDTH - 18 - terms - 76, terms, 76]
        table = BriefTable(rows, colWidths=widths, repeatRows=1)
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

    def block(self, block: Block, key: str, section: str) -> list[Flowable]:
        st = self.st
        title = BLOCK_TITLES.get(type(block), "")
        same = " ".join(clean(section).split()).casefold() == title.casefold()
        head = [] if not title or same else self._block_heading(title, key)
        if isinstance(block, TimelineBlock):
            return self._timeline(block, head)
        if isinstance(block, MapBlock):
            return map_flowables(self.snapshot, st)
        if isinstance(block, StatementBlock):
            return [*head, *statement_flowables(block, st, self.printed, self.check)]
        if isinstance(block, AllianceBlock):
            *figure, table = alliance_flowables(block, st)
            for flowable in figure:  # the block heading is kept with it by the guard
                flowable._heading = flowable._figure = True  # type: ignore[attr-defined]
            return [*head, *figure, table, Spacer(1, 8)]
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
        cite = self.citations.marker
        cited = "; ".join(f"{cite(n)} {plain(self.snapshot.source(n).title)}" for n in block.notes)
        return [CachedParagraph(f"Sources: {cited}", st.body)]

    def _timeline(self, block: TimelineBlock, head: list[Flowable]) -> list[Flowable]:
        """The table (on landscape pages when long), the grading key once, the map once."""
        wide = wide_timeline(len(block.entries), self.pages)
        table = timeline_table(
            block.entries, self.st, self.snapshot.source, self.numbers, wide,
            self.citations.marker, self.check,
        )  # fmt: skip
        flow = [*head, table]
        if not self.key_placed:
            self.key_placed = True
            table.kept_below = CachedParagraph(GRADE_KEY, self.st.small)
            flow.append(table.kept_below)
        if wide:
            if not self.turned:
                flow = [NextPageTemplate("wide"), PageBreak(), *flow]
            flow += [NextPageTemplate("page"), PageBreak()]
        self.turned = False
        if not self.map_placed:
            self.map_placed = True
            flow += map_flowables(self.snapshot, self.st)
        return flow
