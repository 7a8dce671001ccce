"""Export benchmark at 10,000 timeline entries: PDF and Word, seconds, pages and peak memory.

Run by hand: ``python tests/perf/bench_large.py [--entries N] [--statements N]``.
The project is written once; each export then runs in a child process of its
own, so its peak memory (``ru_maxrss``) is its own. Printed beside baselines
measured in the same run: the snapshot read alone (what every export starts
from) and the memory of the process with the project open, before exporting.
With ``--word-pages`` LibreOffice lays the Word file out to count its pages
(at 10,000 rows that took over 15 minutes here). Also how long Cancel
takes to stop a PDF export in the middle of putting the brief together (the step
that, for 10,000 rows, takes the longest before the first page), and the longest
step of the stepped read (how long Cancel can wait while the briefing is read).
Not part of the suite.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from export_bench import scenario, timed  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from briefing.export.cancel import CancelFlag, ExportCancelled  # noqa: E402
from briefing.export.pdf import pdf_steps  # noqa: E402
from briefing.export.styles import styles  # noqa: E402
from briefing.model import codec  # noqa: E402
from briefing.services.briefing_snapshot import build_snapshot, snapshot_steps  # noqa: E402
from briefing.services.docx_export import export_briefing_docx  # noqa: E402
from briefing.services.pdf_export import export_briefing  # noqa: E402
from briefing.store import create_project, open_project  # noqa: E402

CANCEL_AFTER = 0.5
"""Seconds into putting the brief together at which Cancel is pressed."""


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(kind: str, path: Path, word_pages: bool = False) -> dict[str, float]:
    """One measurement in this (child) process: ``pdf``, ``docx``, ``snapshot`` or ``cancel``."""
    styles()  # fonts registered outside the timing, as in the window
    with open_project(path, "Bench") as project:
        before = _peak_mb()
        out = path.with_suffix(f".{kind}")
        if kind == "pdf":
            wall, cpu, result = timed(lambda: export_briefing(project, 1, out))
            pages = float(result.pages)
        elif kind == "docx":
            wall, cpu, result = timed(lambda: export_briefing_docx(project, 1, out))
            pages = float(result.pages or (_word_pages(out) if word_pages else 0))
        elif kind == "snapshot":
            wall, cpu, _ = timed(lambda: build_snapshot(project, 1))
            pages = 0.0
        elif kind == "steps":
            return {**_read_steps(project), "before": before, "peak": _peak_mb()}
        else:
            return {"stop": _cancel_delay(project, out), "before": before, "peak": _peak_mb()}
    return {"wall": wall, "cpu": cpu, "pages": pages, "before": before, "peak": _peak_mb()}


def _read_steps(project) -> dict[str, float]:
    """The stepped read: how many steps, and the longest (wall and CPU) between two of them."""
    wall, cpu, longest, longest_cpu, count = time.perf_counter(), time.process_time(), 0.0, 0.0, 0
    for _ in snapshot_steps(project, 1):
        now, now_cpu = time.perf_counter(), time.process_time()
        longest, longest_cpu = max(longest, now - wall), max(longest_cpu, now_cpu - cpu)
        wall, cpu, count = now, now_cpu, count + 1
    return {"steps": float(count), "longest": longest, "longest_cpu": longest_cpu}


def _word_pages(path: Path) -> int:
    """Pages of a Word file as LibreOffice lays it out (0 when it is not installed or too slow)."""
    office = shutil.which("soffice")
    if office is None:
        return 0
    try:
        subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", str(path.parent),
                        str(path)], capture_output=True, timeout=900, check=True)  # fmt: skip
    except (subprocess.SubprocessError, OSError):
        return 0
    return len(PdfReader(path.with_suffix(".pdf")).pages)


def _cancel_delay(project, out: Path) -> float:
    """Seconds from Cancel (a flag set while the story is put together) to the export's stop."""
    flag = CancelFlag()
    snapshot = build_snapshot(project, 1)
    steps = pdf_steps(snapshot, out, check=flag.check)
    pressed: list[float] = []

    def press() -> None:
        pressed.append(time.perf_counter())
        flag.cancel()

    timer = threading.Timer(CANCEL_AFTER, press)
    try:
        for step in steps:
            if step.message == "Putting the brief together":
                timer.start()  # the next step is that one
            elif step.message.startswith("Laid out"):
                raise SystemExit("the brief was put together before Cancel: raise --entries")
    except ExportCancelled:
        stopped = time.perf_counter()
    timer.cancel()
    assert not out.exists()
    return stopped - pressed[0]


def run_child(kind: str, path: Path, word_pages: bool = False) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", kind, str(path)]
    command += ["--word-pages"] if word_pages else []
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


KINDS = ("snapshot", "steps", "pdf", "docx", "cancel")


def measure(
    entries: int, statements: int, word_pages: bool, kinds: tuple[str, ...] = KINDS
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "large.brief"
        with create_project(path, "Bench") as project, project.transaction() as session:
            codec.load(session.connection(), scenario(entries, statements))
        rows = {kind: run_child(kind, path, word_pages) for kind in kinds}
    print(f"briefing: {entries} timeline entries, {statements} statements; one run each")
    print("                                       wall      CPU   pages   peak MB (open: MB)")
    for kind, name in (("pdf", "PDF export"), ("docx", "Word export"),
                       ("snapshot", "baseline: snapshot read alone")):  # fmt: skip
        if kind not in rows:
            continue
        row = rows[kind]
        pages = f"{int(row['pages']):6d}" if row["pages"] else "     –"
        print(f"  {name:34s} {row['wall']:6.1f} s {row['cpu']:6.1f} s {pages}   "
              f"{row['peak']:7.0f} ({row['before']:.0f})")  # fmt: skip
    if "steps" in rows:
        _print_steps(rows["steps"])
    if "cancel" in rows:
        print(f"  Cancel pressed {CANCEL_AFTER:.1f} s into putting the PDF together: stopped "
              f"{rows['cancel']['stop'] * 1000:.0f} ms later, no file left")  # fmt: skip


def _print_steps(steps: dict[str, float]) -> None:
    print(f"  the read a step at a time: {steps['steps']:.0f} steps, the longest "
          f"{steps['longest'] * 1000:.0f} ms wall / {steps['longest_cpu'] * 1000:.0f} ms CPU "
          f"(Cancel waits at most that), peak {steps['peak']:.0f} MB")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--statements", type=int, default=200)
    parser.add_argument("--word-pages", action="store_true", help="count Word pages (slow)")
    parser.add_argument("--only", nargs="+", choices=KINDS, help="measure only these")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]), args.word_pages)))
    else:
        measure(args.entries, args.statements, args.word_pages, tuple(args.only or KINDS))


if __name__ == "__main__":
    main()
