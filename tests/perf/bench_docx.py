"""Word export benchmark: the PDF benchmark's briefing of 1,000 entries and 200 statements.

Run by hand: ``python tests/perf/bench_docx.py [--entries N] [--statements N]``.
Prints seconds of the full Word export (snapshot read, checks, document, file)
beside the full PDF export of the same briefing, in the same run.
Target: the Word export takes no longer than the PDF export (≤ 1×).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from export_bench import bench_project, medians, scenario, timed  # noqa: E402

from briefing.services.docx_export import export_briefing_docx  # noqa: E402
from briefing.services.pdf_export import export_briefing  # noqa: E402


def measure(entries: int, statements: int, runs: int) -> None:
    word: list[tuple[float, float]] = []
    pdf: list[tuple[float, float]] = []
    with (
        tempfile.TemporaryDirectory() as folder,
        bench_project(Path(folder), scenario(entries, statements)) as project,
    ):
        base = Path(folder)
        for run in range(runs):
            wall, cpu, docx_result = timed(
                lambda run=run: export_briefing_docx(project, 1, base / f"b{run}.docx")
            )
            word.append((wall, cpu))
            wall, cpu, pdf_result = timed(
                lambda run=run: export_briefing(project, 1, base / f"b{run}.pdf")
            )
            pdf.append((wall, cpu))
    w, p = medians(word), medians(pdf)
    print(f"briefing: {entries} timeline entries, {statements} statements; median of {runs} runs")
    print("                                       wall     CPU   size")
    print(f"  Word export (.docx):              {w[0]:6.2f} s {w[1]:6.2f} s  "
          f"{docx_result.size / 1e6:5.2f} MB, {docx_result.pages or '?'} pages")  # fmt: skip
    print(f"  PDF export of the same (baseline):{p[0]:6.2f} s {p[1]:6.2f} s  "
          f"{pdf_result.size / 1e6:5.2f} MB, {pdf_result.pages} pages")  # fmt: skip
    print(f"  ratio Word / PDF (wall): {w[0] / p[0]:.2f}×  (CPU): {w[1] / p[1]:.2f}×")
    print("  target: ≤ 1× the PDF export")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--statements", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    measure(args.entries, args.statements, args.runs)


if __name__ == "__main__":
    main()
