"""The page frame of the brief: TLP label, page X of Y, outline and contents in one pass.

Numbers that are only known at the end (the page count, the page of each
heading) are drawn as PDF form XObjects referenced on every page and defined
when the canvas is saved. So the document is laid out once — no second pass
for the table of contents — which keeps long exports close to a bare build.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Table

from briefing.export.fonts import SANS, bold
from briefing.export.lines import draw_line, fitted, line_width
from briefing.export.metadata import xmp_packet
from briefing.export.styles import (
    INK,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    MUTED,
    PAGE_SIZE,
    RULE,
    WIDE_SIZE,
    side_margin,
)
from briefing.export.text import CachedParagraph
from briefing.model.vocab import Tlp

TOTAL_FORM = "page-total"
LABEL_SIZE = 12.0
_LABEL_PAD = 3.5


@dataclass
class Marks:
    """Pages of headings, filled while drawing; read when the canvas is saved."""

    pages: dict[str, int] = field(default_factory=dict)
    wanted: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    """Keys whose page a cross-reference prints ("p. 3")."""
    total: int = 0


def toc_form(key: str) -> str:
    return f"toc-{key}"


def ref_form(key: str) -> str:
    return f"ref-{key}"


class BriefCanvas(Canvas):
    """A canvas that defines the page-number forms just before the file is written."""

    def __init__(self, *args: Any, marks: Marks, **kwargs: Any) -> None:
        kwargs["initialFontName"] = kwargs.get("initialFontName") or SANS  # not Helvetica
        super().__init__(*args, **kwargs)
        self.marks = marks

    def save(self) -> None:
        if len(self._code):
            self.showPage()
        self.marks.total = self.getPageNumber() - 1
        self._number_form(TOTAL_FORM, str(self.marks.total), right=False)
        for key in self.marks.wanted:
            page = self.marks.pages.get(key)
            self._number_form(toc_form(key), str(page) if page else "–", right=True)
        for key in dict.fromkeys(self.marks.refs):
            page = self.marks.pages.get(key)
            self._number_form(ref_form(key), str(page) if page else "–", right=False, size=8.5)
        super().save()

    def _number_form(self, name: str, text: str, right: bool, size: float = 0) -> None:
        self.beginForm(name, lowerx=-200, lowery=-10, upperx=200, uppery=30)
        self.setFont(SANS, size or (8 if not right else 10))
        self.setFillColor(MUTED if not right else INK)
        if right:
            self.drawRightString(0, 0, text)
        else:
            self.drawString(0, 0, text)
        self.endForm()


def draw_label(canvas: Canvas, label: Tlp, right: float, baseline: float) -> None:
    """The TLP label as FIRST prescribes: its colour on black, right-aligned, 12 pt."""
    text = label.marking
    width = canvas.stringWidth(text, bold(SANS), LABEL_SIZE)
    canvas.saveState()
    canvas.setFillColor(colors.black)
    canvas.rect(
        right - width - 2 * _LABEL_PAD,
        baseline - _LABEL_PAD - 0.5,
        width + 2 * _LABEL_PAD,
        LABEL_SIZE + 2 * _LABEL_PAD - 1,
        stroke=0,
        fill=1,
    )
    canvas.setFillColor(colors.HexColor(label.colour))
    canvas.setFont(bold(SANS), LABEL_SIZE)
    canvas.drawRightString(right - _LABEL_PAD, baseline, text)
    canvas.restoreState()


@dataclass(frozen=True)
class PageFrame:
    """What every page carries: label, running title, as-of time, page X of Y."""

    label: Tlp
    running_title: str
    as_of: str
    draft: bool

    def draw(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.setFont(SANS, 8)
        canvas.setFillColor(MUTED)
        self._header(canvas)
        self._footer(canvas, doc.page)
        canvas.restoreState()

    def _header(self, canvas: Canvas) -> None:
        width, height = canvas._pagesize
        baseline = height - MARGIN_TOP + 11
        margin = side_margin(width)
        canvas.line(margin, baseline - 7, width - margin, baseline - 7)
        title = ("DRAFT · " if self.draft else "") + self.running_title
        draw_line(canvas, margin, baseline, fitted(title, width * 0.62), SANS, 8)
        draw_label(canvas, self.label, width - margin, baseline)

    def _footer(self, canvas: Canvas, page: int) -> None:
        width = canvas._pagesize[0]
        baseline = MARGIN_BOTTOM - 24
        margin = side_margin(width)
        canvas.line(margin, MARGIN_BOTTOM - 9, width - margin, MARGIN_BOTTOM - 9)
        canvas.drawCentredString(width / 2, baseline, f"As of {self.as_of}")
        page_text = f"Page {page} of "
        canvas.drawString(margin, baseline, page_text)
        canvas.saveState()
        canvas.translate(margin + canvas.stringWidth(page_text, SANS, 8), baseline)
        canvas.doForm(TOTAL_FORM)  # the page count, known only at the end
        canvas.restoreState()
        draw_label(canvas, self.label, width - margin, baseline)


def heading(markup: str, style: Any, key: str, title: str, level: int = 0) -> Paragraph:
    """A heading paragraph that gets a bookmark, an outline entry and a contents page number."""
    paragraph = CachedParagraph(markup, style)
    paragraph._outline = (key, title, level)  # type: ignore[attr-defined]
    return paragraph


class TocLine(Flowable):
    """One contents line: the heading, dot leaders, and its page number (filled in at the end)."""

    def __init__(self, markup: str, style: Any, key: str, marks: Marks) -> None:
        super().__init__()
        self.paragraph = CachedParagraph(markup, style)
        self.key = key
        self.style = style
        marks.wanted.append(key)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        _, height = self.paragraph.wrap(available_width - 40, available_height)
        self.width, self.height = available_width, height + 2
        return self.width, self.height

    def draw(self) -> None:
        self.paragraph.drawOn(self.canv, 0, 2)
        lines = getattr(getattr(self.paragraph, "blPara", None), "lines", None) or [None]
        last = (len(lines) - 1) * self.style.leading  # leaders and number on the last line
        baseline = self.height - self.style.fontSize - 0.5 - last
        self._leaders(baseline)
        self.canv.saveState()
        self.canv.translate(self.width, baseline)
        self.canv.doForm(toc_form(self.key))
        self.canv.restoreState()
        self.canv.linkRect("", self.key, (0, 0, self.width, self.height), relative=1, thickness=0)

    def _text_end(self) -> float | None:
        """Where the heading's last line ends (None for a shaped line, which gets no dots)."""
        lines = getattr(self.paragraph, "blPara", None)
        if lines is None or not lines.lines or self.paragraph._complex:
            return None
        last = lines.lines[-1]
        extra = last.extraSpace if hasattr(last, "extraSpace") else last[0]
        return self.width - 40 - self.style.rightIndent - extra

    def _leaders(self, baseline: float) -> None:
        """Dots from the end of the heading's last line to just before the page number."""
        end_of_text = self._text_end()
        if end_of_text is None:
            return
        canvas = self.canv
        size = self.style.fontSize
        step = canvas.stringWidth(" .", SANS, size)
        x = end_of_text + 4
        x += (-x) % step  # dots of every line stand in the same columns
        canvas.saveState()
        canvas.setFont(SANS, size)
        canvas.setFillColor(MUTED)
        dots = max(int((self.width - 24 - x) // step), 0)
        canvas.drawString(x, baseline, " ." * dots)
        canvas.restoreState()


MIN_REF_SIZE = 6.5
"""The least size a cross-reference shrinks to in a narrow column before it is shortened."""


class PageRef(Flowable):
    """A one-line cross-reference ending in the page of ``key`` ("… p. 3"), linked to it."""

    def __init__(
        self, text: str, key: str, marks: Marks, size: float = 8.5, tail: str = ""
    ) -> None:
        super().__init__()
        self.text = text
        self.tail = tail
        self.key = key
        self.size = self.base_size = size
        marks.refs.append(key)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """One line: ``text`` shortened with "…" if need be, then ``tail`` whole, then the page."""
        self.size, room = self.base_size, available_width - 20
        whole = line_width(self.text + self.tail, SANS, self.size)
        if whole > room:  # a narrow column: a smaller size before a shortened text
            self.size = max(self.size * room / whole, MIN_REF_SIZE)
        self.width, self.height = available_width, self.size * 1.4
        room -= line_width(self.tail, SANS, self.size)
        self.line = fitted(self.text, room, self.size) + self.tail
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(MUTED)
        baseline = self.height - self.size
        draw_line(canvas, 0, baseline, self.line, SANS, self.size)
        end = line_width(self.line, SANS, self.size) + 2.5
        canvas.translate(end, baseline)
        canvas.doForm(ref_form(self.key))
        canvas.restoreState()
        canvas.linkRect("", self.key, (0, 0, end + 20, self.height), relative=1, thickness=0)


def anchor(flowable: Flowable, *keys: str) -> Flowable:
    """Make ``flowable`` the target of links and page references to each of ``keys``."""
    flowable._anchors = keys  # type: ignore[attr-defined]
    return flowable


class BriefDocTemplate(BaseDocTemplate):
    """Portrait and landscape pages with the page frame drawn on each, nested bookmarks."""

    def __init__(self, stream: Any, frame: PageFrame, marks: Marks, **info: Any) -> None:
        super().__init__(
            stream,
            pagesize=PAGE_SIZE,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            lang="en",
            **info,
        )
        self.addPageTemplates(
            [
                PageTemplate("page", [_frame("body", PAGE_SIZE)], onPage=frame.draw,
                             pagesize=PAGE_SIZE),
                PageTemplate("wide", [_frame("wide", WIDE_SIZE)], onPage=frame.draw,
                             pagesize=WIDE_SIZE),
            ]
        )  # fmt: skip
        self.marks = marks
        self.levels: list[int] = []

    def afterFlowable(self, flowable: Flowable) -> None:
        for key in getattr(flowable, "_anchors", ()):
            if key not in self.marks.pages:  # the first part of a flowable split across pages
                self.marks.pages[key] = self.page
                height = getattr(flowable, "height", None) or getattr(flowable, "_height", 0)
                self.canv.bookmarkHorizontalAbsolute(key, self.frame._y + height + 12)
        outline = getattr(flowable, "_outline", None)
        if outline is None:
            return
        key, title, level = outline
        if key in self.marks.pages:
            return
        self.marks.pages[key] = self.page
        top = self.frame._y + flowable.height + 12
        self.canv.bookmarkHorizontalAbsolute(key, top)
        level = min(level, (max(self.levels) + 1) if self.levels else 0)
        self.levels = [n for n in self.levels if n < level] + [level]
        self.canv.addOutlineEntry(title, key, level=level, closed=level > 0)


def _frame(name: str, size: tuple[float, float]) -> Frame:
    return Frame(
        side_margin(size[0]), MARGIN_BOTTOM, size[0] - 2 * side_margin(size[0]),
        size[1] - MARGIN_TOP - MARGIN_BOTTOM,
        id=name, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
    )  # fmt: skip


def _weight(flowable: Flowable) -> int:
    """Rough amount of layout work left in a flowable: rows for tables, else one."""
    if isinstance(flowable, Table):
        return len(flowable._cellvalues)
    return int(getattr(flowable, "rows_left", 1))  # a ChunkedTable's rows still to lay out


def layout(doc: BriefDocTemplate, story: list[Flowable]) -> Iterator[float]:
    """Lay the story out page by page, yielding the share done after each page.

    This is ``BaseDocTemplate.build`` unrolled, so that a caller can update a
    progress bar between pages without a thread.
    """
    total = max(sum(_weight(f) for f in story), 1)
    doc._startBuild(canvasmaker=lambda *a, **k: BriefCanvas(*a, marks=doc.marks, **k))
    canvas = doc.canv
    canvas.setCatalogEntry("Metadata", xmp_packet(doc))
    canvas.setViewerPreference("DisplayDocTitle", "true")  # the title, not the file name
    canvas.showOutline()  # open the bookmarks pane with the file
    canvas._doctemplate = doc
    page = doc.page
    reached = 0.0  # a table split on a page break repeats its header, adding weight
    try:
        while story:
            doc.clean_hanging()
            doc.handle_flowable(story)
            if doc.page != page:
                page = doc.page
                reached = max(reached, 1 - sum(_weight(f) for f in story) / total)
                yield reached
    finally:
        del canvas._doctemplate
    doc._endBuild()
