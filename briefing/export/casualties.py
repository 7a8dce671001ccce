"""Casualty claims in the brief: the timeline's casualties cell and the summary table.

Figures are claims. Each is printed as its claimant gave it — a single figure, a
range with a best estimate, or the claimant's own words — beside the others
about the same side, never added to another claimant's. The summary holds one
row per timeline entry, side affected and category, and one column per claimant;
the PDF prints one row per entry, each claim named by its side and category.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.platypus import Flowable, TableStyle

from briefing.export import claim_words, times
from briefing.export.cancel import Check, never
from briefing.export.chunked import ChunkedTable, RowSource
from briefing.export.claim_words import UNATTRIBUTED, figures_text, quoted, side_text
from briefing.export.column_widths import fitted_widths
from briefing.export.snapshot import BriefingSnapshot, ClaimView, EntryView
from briefing.export.styles import FRAME_WIDTH, HEADER_SHADE, RULE, SHADE, Styles
from briefing.export.text import CachedParagraph, plain
from briefing.model.vocab import ClaimCategory

SUMMARY_TITLE = "Casualty claims"
SUMMARY_KEY = (
    "Each column holds one claimant's figures as claimed, with the source note and the day "
    "of the claim. Figures of different claimants are never added together; a range gives "
    "the low and high estimates, with the best estimate where one was given."
)
CLAIMANT_COLUMNS = 4
"""Claimants with a column of their own; the rest share the last column, each named."""
OTHERS = "Other claimants"
CATEGORY_ORDER = tuple(c.value for c in ClaimCategory)
GREY = "#5A6270"


# ---------------------------------------------------------------------------- words


def figure_text(claim: ClaimView) -> str:
    """The claim's figure, else its words quoted, else ``unspecified``."""
    return claim_words.figure_text(claim, claim.words)


def words_beside(claim: ClaimView) -> str:
    """The claimant's words, quoted, where the claim also gives a figure (else they are it)."""
    return quoted(claim.words) if figures_text(claim) else ""


def claimant_text(claim: ClaimView) -> str:
    return claim.claimant or UNATTRIBUTED


def attribution(claim: ClaimView) -> str:
    """``per Armenian MoD``, or ``unattributed`` when no claimant is named."""
    return f"per {claim.claimant}" if claim.claimant else UNATTRIBUTED.lower()


def _category_rank(category: str) -> int:
    return CATEGORY_ORDER.index(category) if category in CATEGORY_ORDER else len(CATEGORY_ORDER)


# ---------------------------------------------------------------------------- the summary


@dataclass(frozen=True)
class SummaryRow:
    """One entry's claims about one side and category, per claimant column."""

    number: int | None
    event: str
    side: str
    category: str
    cells: tuple[tuple[ClaimView, ...], ...]


@dataclass(frozen=True)
class CasualtySummary:
    """The table's shape, shared by the PDF and the Word document."""

    claimants: tuple[str, ...]
    """Column headings; the last is :data:`OTHERS` when claimants outnumber the columns."""
    rows: tuple[SummaryRow, ...]

    @property
    def shared_column(self) -> bool:
        return bool(self.claimants) and self.claimants[-1] == OTHERS


def _columns(entries: tuple[EntryView, ...]) -> tuple[str, ...]:
    """Claimants, those with the most claims first; the last column shared if there are many."""
    counts = Counter(claimant_text(c) for e in entries for c in e.claims)
    ranked = sorted(counts, key=lambda name: (-counts[name], name == UNATTRIBUTED, name))
    if len(ranked) <= CLAIMANT_COLUMNS:
        return tuple(ranked)
    return (*ranked[: CLAIMANT_COLUMNS - 1], OTHERS)


def casualty_summary(snapshot: BriefingSnapshot) -> CasualtySummary | None:
    """The summary of every claim in the brief's timeline; None when it holds no claim."""
    entries = tuple(e for e in snapshot.timeline() if e.claims)
    if not entries:
        return None
    claimants = _columns(entries)
    own = {name: index for index, name in enumerate(claimants) if name != OTHERS}
    shared = len(claimants) - 1
    rows = []
    for number, entry in enumerate(snapshot.timeline(), start=1):
        groups: dict[tuple[str, str], list[list[ClaimView]]] = {}
        for claim in entry.claims:
            cells = groups.setdefault((claim.side, claim.category), [[] for _ in claimants])
            cells[own.get(claimant_text(claim), shared)].append(claim)
        sides = list(dict.fromkeys(side for side, _ in groups))
        ordered = sorted(groups, key=lambda key: (sides.index(key[0]), _category_rank(key[1])))
        for side, category in ordered:
            cells = tuple(tuple(cell) for cell in groups[(side, category)])
            rows.append(SummaryRow(number, entry.title, side, category, cells))
    return CasualtySummary(claimants, tuple(rows))


@dataclass(frozen=True)
class CellLine:
    """One claim in a summary cell: the figure, the claimant's words beside it, the details."""

    figure: str
    words: str
    detail: str


def cell_lines(claims: tuple[ClaimView, ...], shared: bool) -> list[CellLine]:
    """Each claim of a cell: ``49``, its words, and ``[2] · claimed 16 Nov 2021``."""
    found = []
    for claim in claims:
        detail = [claimant_text(claim)] if shared else []
        if claim.note is not None:
            detail.append(f"[{claim.note}]")
        if claim.claimed is not None:
            detail.append(f"claimed {times.local_clock(claim.claimed)}")
        found.append(CellLine(figure_text(claim), words_beside(claim), " · ".join(detail)))
    return found


# ---------------------------------------------------------------------------- PDF


def _grey(text: str, italic: bool = False) -> str:
    """Words beside a figure, in grey at the table size (never smaller: the type rules)."""
    body = f"<i>{plain(text)}</i>" if italic else plain(text)
    return f' <font color="{GREY}">{body}</font>' if text else ""


def timeline_cell(entry: EntryView, st: Styles) -> CachedParagraph:
    """The timeline table's casualties cell: per claim the side and figure, the words, who says so.

    ``Armenia · 4 wounded``, then the claimant's words in grey italics (they are
    the claim when no figure was given), then ``per Armenian MoD [2]`` in grey,
    run on in one line where the column allows.
    """
    lines = []
    for claim in entry.claims:
        figure = figures_text(claim)
        what = (
            f"<b>{plain(figure)}</b> {plain(claim.category)}" if figure else plain(claim.category)
        )
        if not figure and not claim.words.strip():
            what = f"{claim_words.UNSPECIFIED} {plain(claim.category)}"
        note = f" [{claim.note}]" if claim.note is not None else ""
        lines.append(
            f"{plain(side_text(claim.side))} · {what}"
            + _grey(quoted(claim.words), italic=True)
            + _grey(f"{attribution(claim)}{note}")
        )
    return CachedParagraph("<br/>".join(lines) or "—", st.cell)


def _pdf_cell(cells: list[tuple[SummaryRow, tuple[ClaimView, ...]]], shared: bool,
              st: Styles) -> CachedParagraph:  # fmt: skip
    """One claimant's claims about one entry: ``Armenia · <b>49</b> killed [2] · claimed …``."""
    parts = []
    for row, claims in cells:
        for line in cell_lines(claims, shared):
            parts.append(
                f"{plain(side_text(row.side))} · <b>{plain(line.figure)}</b> {plain(row.category)}"
                + _grey(line.words, italic=True)
                + _grey(line.detail)
            )
    return CachedParagraph("<br/>".join(parts) or "—", st.cell)


def _by_entry(summary: CasualtySummary) -> list[list[SummaryRow]]:
    """The summary's rows gathered per timeline entry, in order."""
    entries: list[list[SummaryRow]] = []
    for row in summary.rows:
        if entries and entries[-1][0].number == row.number:
            entries[-1].append(row)
        else:
            entries.append([row])
    return entries


SUMMARY_STYLE = TableStyle(
    [
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_SHADE),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, SHADE]),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor("#7A8796")),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
        ("LINEBEFORE", (2, 0), (-1, -1), 0.3, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
)


def summary_flowables(summary: CasualtySummary, st: Styles, check: Check = never) -> list[Flowable]:
    """The summary table and its key (the heading is the story builder's).

    One row per entry, so a long brief's table stays short: each claimant's
    column lists that claimant's claims about the entry, side by side with the
    other claimants' and never added to them.
    """
    fixed = [16.0, 130.0]
    rest = (FRAME_WIDTH - sum(fixed)) / max(len(summary.claimants), 1)
    weights = [*fixed, *(rest for _ in summary.claimants)]
    head = ["#", "Event", *summary.claimants]
    last = len(summary.claimants) - 1
    groups = _by_entry(summary)

    def make(index: int) -> list[Flowable]:
        group = groups[index]
        first = group[0]
        return [
            CachedParagraph(f"<b>{first.number}</b>", st.cell),
            CachedParagraph(plain(first.event), st.cell),
            *(
                _pdf_cell(
                    [(row, row.cells[i]) for row in group if row.cells[i]],
                    summary.shared_column and i == last,
                    st,
                )
                for i in range(len(summary.claimants))
            ),
        ]

    rows = RowSource(
        [[CachedParagraph(plain(h), st.cell_head) for h in head]], len(groups), make,
        styles=[SUMMARY_STYLE],
    )  # fmt: skip
    bounds = rows.measure(5.0, 1, check)
    rows.widths = fitted_widths(weights, bounds, FRAME_WIDTH, flex=1)
    table = ChunkedTable(rows)
    return [table, CachedParagraph(SUMMARY_KEY, st.small)]
