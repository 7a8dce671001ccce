"""PDF export benchmark: a briefing of 1,000 timeline entries and 200 statements.

Run by hand: ``python tests/perf/bench_pdf.py [--entries N] [--statements N]
[--baseline CHECKOUT | --baseline-ref REF | --bare]``. Prints seconds (wall and
processor) and pages of the full export (snapshot read, checks, layout, file)
beside the same export by the program as it was before the publication work
(:data:`BASELINE_REF`, unpacked from git into a temporary folder), or by another
checkout, run in a child process in the same run; ``--bare`` compares with a bare
ReportLab build of the same table and paragraphs instead. Targets: against the
baseline, half its pages in no more processor time; ≤ 1.5× the bare build.

``bench_large.py`` measures 10,000 entries, PDF and Word, with peak memory.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).parent))

from export_bench import bench_project, medians, scenario, timed  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate  # noqa: E402

from briefing.export.styles import styles  # noqa: E402
from briefing.services.pdf_export import export_briefing  # noqa: E402

__all__ = ["scenario"]

BASELINE_REF = "34c5c34"
"""The main branch just before the publication work landed: it prints the same brief
(timeline, statements, casualty claims table, notes) in the earlier layout."""


def bare_build(records: dict[str, list[dict[str, Any]]], path: Path) -> int:
    """The same table rows and quote paragraphs with ReportLab alone: no checks, no furniture."""
    st = styles()
    cell = st.cell
    rows = [
        [
            Paragraph(h, st.cell_head)
            for h in ("Local", "UTC", "Event", "Place", "Parties", "Casualties", "Status", "Notes")
        ]
    ]
    for e in sorted(records["entry"], key=lambda e: e["start_utc"]):
        rows.append([
            Paragraph(escape(e["start_utc"]), cell), Paragraph(escape(e["start_utc"]), cell),
            [Paragraph(f"<b>{escape(e['title'])}</b>", cell),
             Paragraph(escape(e["description"]), cell)],
            Paragraph(escape(e["place"]), cell),
            Paragraph("Armed Forces of Armenia (initiator)<br/>Azerbaijan (target)", cell),
            Paragraph(f"Azerbaijan · {e['claims'][0]['best']} killed<br/>per Armenia<br/>"
                      "Civilians · 2–5 wounded<br/>unattributed", cell),
            Paragraph(f"{e['status']}<br/>credibility {e['credibility']}", cell),
            Paragraph("[1] B3<br/>[2] C3", cell),
        ])  # fmt: skip
    story: list[Any] = [LongTable(rows, colWidths=[62] * 2 + [126] + [50] * 4 + [36],
                                  repeatRows=1, splitInRow=1)]  # fmt: skip
    for s in records["statement"]:
        story.append(Paragraph("Armed Forces of Armenia — claim [3]", st.card_head))
        story.append(Paragraph(f"“{escape(s['quote'])}”", st.card_quote))
    pages: list[int] = []
    doc = SimpleDocTemplate(str(path), pagesize=A4)
    doc.build(story, onLaterPages=lambda canvas, d: pages.append(d.page))
    return len(pages) + 1


def export_once(entries: int, statements: int, runs: int) -> dict[str, float]:
    """Median wall and CPU seconds and the pages of this checkout's export."""
    with (
        tempfile.TemporaryDirectory() as folder,
        bench_project(Path(folder), scenario(entries, statements)) as project,
    ):
        runs_done = [
            timed(lambda run=run: export_briefing(project, 1, Path(folder) / f"ours{run}.pdf"))
            for run in range(runs)
        ]
    wall, cpu = medians([(w, c) for w, c, _ in runs_done])
    return {"wall": wall, "cpu": cpu, "pages": runs_done[-1][2].pages}


def baseline(checkout: Path, entries: int, statements: int, runs: int) -> dict[str, float]:
    """The same export by the program in ``checkout``, in a child process importing it."""
    env = {**os.environ, "PYTHONPATH": str(checkout.resolve())}
    command = [sys.executable, __file__, "--json", "--entries", str(entries),
               "--statements", str(statements), "--runs", str(runs)]  # fmt: skip
    output = subprocess.run(
        command, env=env, cwd=checkout, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def unpacked(ref: str, folder: Path) -> Path:
    """The program at git ``ref``, unpacked into ``folder`` (the working tree is not touched)."""
    root = Path(__file__).resolve().parents[2]
    archive = subprocess.run(
        ["git", "archive", "--format=tar", ref, "briefing", "resources"],
        cwd=root, capture_output=True, check=True,
    ).stdout  # fmt: skip
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def compare(
    checkout: Path, entries: int, statements: int, runs: int, name: str | None = None
) -> None:
    ours = export_once(entries, statements, runs)
    theirs = baseline(checkout, entries, statements, runs)
    print(f"briefing: {entries} timeline entries, {statements} statements; median of {runs} runs")
    print("                                   wall     CPU   pages")
    for label, row in (("this checkout", ours), (f"baseline {name or checkout}", theirs)):
        print(f"  {label:32s} {row['wall']:5.2f} s {row['cpu']:5.2f} s  {int(row['pages']):4d}")
    print(
        f"  pages: {ours['pages'] / theirs['pages']:.2f}× the baseline (target ≤ 0.5×); "
        f"CPU: {ours['cpu'] / theirs['cpu']:.2f}× (target ≤ 1×); wall: "
        f"{ours['wall'] / theirs['wall']:.2f}× (the machine is shared: CPU is the steadier)"
    )


def measure(entries: int, statements: int, runs: int) -> None:
    records = scenario(entries, statements)
    with tempfile.TemporaryDirectory() as folder, bench_project(Path(folder), records) as project:
        base = Path(folder)
        ours: list[tuple[float, float]] = []
        bare: list[tuple[float, float]] = []
        for run in range(runs):
            out = base / f"o{run}.pdf"
            wall, cpu, result = timed(lambda out=out: export_briefing(project, 1, out))
            ours.append((wall, cpu))
            wall, cpu, bare_pages = timed(lambda run=run: bare_build(records, base / f"b{run}.pdf"))
            bare.append((wall, cpu))
    o, b = medians(ours), medians(bare)
    print(f"briefing: {entries} timeline entries, {statements} statements; median of {runs} runs")
    print("                                            wall     CPU   pages")
    print(
        f"  export (snapshot, checks, layout, file): {o[0]:5.2f} s {o[1]:5.2f} s  {result.pages:4d}"
    )
    print(
        f"  bare ReportLab, same table and quotes:   {b[0]:5.2f} s {b[1]:5.2f} s  {bare_pages:4d}"
    )
    print(f"  ratio (wall): {o[0] / b[0]:.2f}×  (CPU): {o[1] / b[1]:.2f}×")
    print("  targets: ≤ 5 s and ≤ 1.5× the bare build")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--statements", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="another checkout to compare with")
    parser.add_argument("--baseline-ref", default=BASELINE_REF, help="a git ref to compare with")
    parser.add_argument("--bare", action="store_true", help="compare with bare ReportLab")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.json:
        print(json.dumps(export_once(args.entries, args.statements, args.runs)))
    elif args.bare:
        measure(args.entries, args.statements, args.runs)
    elif args.baseline is not None:
        compare(args.baseline, args.entries, args.statements, args.runs)
    else:
        with tempfile.TemporaryDirectory() as folder:
            print(f"baseline: git {args.baseline_ref}")
            checkout = unpacked(args.baseline_ref, Path(folder))
            compare(checkout, args.entries, args.statements, args.runs, args.baseline_ref)


if __name__ == "__main__":
    main()
