"""PDF export benchmark with every script: the 1,000-entry briefing, a quarter Arabic, a tenth CJK.

Run by hand: ``python tests/perf/bench_scripts.py [--entries N] [--statements N] [--runs N]``.
Prints the full export of the all-Latin briefing of ``bench_pdf.py`` and of the same
briefing with a quarter of its texts in Arabic (holding Latin names and numbers)
and a tenth in Chinese, measured in the same run. Target: ≤ 1.3× the all-Latin export.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_pdf import scenario  # noqa: E402

from briefing.export.styles import styles  # noqa: E402
from briefing.model import codec  # noqa: E402
from briefing.services.pdf_export import export_briefing  # noqa: E402
from briefing.store import create_project  # noqa: E402

ARABIC = (
    "اشتباكات حدودية قصف مدفعي وقف إطلاق النار قرية موقع وزارة الدفاع طائرة مسيرة ضحايا "
    "جرحى أسرى قوات حفظ السلام معاهدة بيان تقرير قال John Smith إن 15 جندياً في 2021"
).split()
CJK = "边境冲突炮击停火村庄阵地国防部无人机伤亡受伤俘虏维和部队条约声明报告"
FIELDS = {"entry": ("title", "description"), "statement": ("quote",), "source": ("title",)}


def _arabic(rng: random.Random, words: int) -> str:
    return " ".join(rng.choices(ARABIC, k=words)) + "."


def _cjk(rng: random.Random, length: int) -> str:
    return "".join(rng.choices(CJK, k=length)) + "。"


def mixed(records: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """The same records with a quarter of the texts in Arabic and a tenth in Chinese."""
    rng = random.Random(10)
    n = 0
    for kind, keys in FIELDS.items():
        for record in records[kind]:
            for key in keys:
                words = len(record[key].split())
                if n % 20 < 5:
                    record[key] = _arabic(rng, words)
                elif n % 10 == 7:
                    record[key] = _cjk(rng, words * 2)
                n += 1
    return records


def _project(folder: Path, name: str, records: dict[str, list[dict[str, Any]]]):
    project = create_project(folder / f"{name}.brief", "Bench")
    with project.transaction() as session:
        codec.load(session.connection(), records)
    return project


def _time(project: Any, out: Path) -> tuple[float, float, int]:
    start, cpu = time.perf_counter(), time.process_time()
    result = export_briefing(project, 1, out)
    return time.perf_counter() - start, time.process_time() - cpu, result.pages


def measure(entries: int, statements: int, runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        latin = _project(base, "latin", scenario(entries, statements))
        scripts = _project(base, "scripts", mixed(scenario(entries, statements)))
        styles()  # fonts registered once, outside both timings
        export_briefing(scripts, 1, base / "warm.pdf")  # shapers and caches warmed once
        ours: list[tuple[float, float, int]] = []
        plain: list[tuple[float, float, int]] = []
        for run in range(runs):
            plain.append(_time(latin, base / f"latin{run}.pdf"))
            ours.append(_time(scripts, base / f"scripts{run}.pdf"))
        sizes = [(base / f"{name}0.pdf").stat().st_size for name in ("latin", "scripts")]
        latin.close()
        scripts.close()
    o = [statistics.median(t[i] for t in ours) for i in (0, 1)]
    b = [statistics.median(t[i] for t in plain) for i in (0, 1)]
    print(f"briefing: {entries} timeline entries, {statements} statements; median of {runs} runs")
    print("                                          wall     CPU   pages    size")
    print(f"  all Latin (bench_pdf's briefing):     {b[0]:5.2f} s {b[1]:5.2f} s  {plain[0][2]:5d}"
          f"  {sizes[0] / 1e6:5.2f} MB")  # fmt: skip
    print(f"  a quarter Arabic, a tenth Chinese:    {o[0]:5.2f} s {o[1]:5.2f} s  {ours[0][2]:5d}"
          f"  {sizes[1] / 1e6:5.2f} MB")  # fmt: skip
    print(f"  ratio (wall): {o[0] / b[0]:.2f}×  (CPU): {o[1] / b[1]:.2f}×   target: ≤ 1.3×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--statements", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    measure(args.entries, args.statements, args.runs)


if __name__ == "__main__":
    main()
