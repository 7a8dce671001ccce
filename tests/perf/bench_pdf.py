"""PDF export benchmark: a briefing of 1,000 timeline entries and 200 statements.

Run by hand: ``python tests/perf/bench_pdf.py [--entries N] [--statements N]
[--baseline CHECKOUT]``. Prints seconds and pages of the full export (snapshot read,
checks, layout, file) beside a bare ReportLab build of the same table and
paragraphs, and beside the same export by another checkout of the program (the
main branch, say), run in a child process in the same run. Targets: ≤ 5 s and
≤ 1.5× the bare build; against the baseline, half its pages in no more time.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate

from briefing.export.styles import styles
from briefing.model import codec
from briefing.services.pdf_export import export_briefing
from briefing.store import create_project

PLACES = ("Jermuk", "Sotk", "Kalbajar", "Lachin corridor", "Goris", "Tavush", "Nakhchivan")
WORDS = (
    "artillery border clash ceasefire village position ministry defence shelling drone "
    "casualties wounded captured peacekeepers treaty statement report Հայաստան Азербайджан "
    "Ermənistan ağır döyüş"
).split()
ZONES = ("Asia/Baku", "Asia/Yerevan", "Europe/Moscow", "UTC")


def _uid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choices(WORDS, k=words)).capitalize() + "."


def _time(rng: random.Random) -> str:
    moment = time.gmtime(1_577_836_800 + rng.randrange(0, 2 * 365 * 86400))
    return time.strftime("%Y-%m-%dT%H:%M:00Z", moment)


def scenario(entries: int, statements: int) -> dict[str, list[dict[str, Any]]]:
    """Records for the codec: parties, sources, entries, statements and one briefing."""
    rng = random.Random(4)
    parties = [
        {"uuid": _uid(rng), "name": name, "kind": "armed force", "colour": colour}
        for name, colour in (
            ("Armed Forces of Armenia", "#D90012"),
            ("Armed Forces of Azerbaijan", "#00B5E2"),
            ("Russian peacekeepers", "#3A4FA0"),
        )
    ]
    sources = [
        {"uuid": _uid(rng), "title": f"Report {n}: {_text(rng, 6)}", "kind": "news",
         "publisher": "Agency", "url": f"https://example.org/{n}", "reliability": "BCF"[n % 3]}
        for n in range(60)
    ]  # fmt: skip
    entry_records = [
        {"uuid": _uid(rng), "title": _text(rng, 6), "description": _text(rng, 40),
         "start_utc": _time(rng), "zone": rng.choice(ZONES), "precision": "minute",
         "place": rng.choice(PLACES), "status": "reported", "credibility": rng.randint(1, 6),
         "claims": [{"side": "party", "party": parties[1]["uuid"], "category": "killed",
                     "best": rng.choice([0, 1, 3]), "claimant": parties[0]["uuid"]},
                    {"side": "civilians", "category": "wounded", "low": 2, "high": 5}],
         "parties": [{"party": parties[0]["uuid"], "role": "initiator"},
                     {"party": parties[1]["uuid"], "role": "target"}],
         "sources": [s["uuid"] for s in rng.sample(sources, 2)]}
        for _ in range(entries)
    ]  # fmt: skip
    statement_records = [
        {"uuid": _uid(rng), "speaker": parties[n % 2]["uuid"], "said_at": _time(rng),
         "zone": "Asia/Baku", "precision": "day", "kind": "claim", "quote": _text(rng, 45),
         "language": "en", "source": rng.choice(sources)["uuid"],
         "entry": rng.choice(entry_records)["uuid"]}
        for n in range(statements)
    ]  # fmt: skip
    for first, second in zip(statement_records[::10], statement_records[1::10], strict=False):
        first["contradicts"] = [second["uuid"]]

    def items(kind: str, records: list[dict[str, Any]]) -> list[dict[str, str]]:
        return [{"uuid": _uid(rng), "kind": kind, "ref": r["uuid"]} for r in records]

    briefing = {
        "uuid": _uid(rng), "title": "Border incidents, two years", "as_of": "2021-12-31T12:00:00Z",
        "zone": "Asia/Yerevan", "authors": "Bench", "tlp": "CLEAR", "bluf": _text(rng, 60),
        "judgments": [], "sections": [
            {"uuid": _uid(rng), "heading": "Timeline", "body": _text(rng, 30),
             "items": items("entry", entry_records)},
            {"uuid": _uid(rng), "heading": "Statements", "body": _text(rng, 30),
             "items": items("statement", statement_records)},
        ],
    }  # fmt: skip
    return {"party": parties, "source": sources, "entry": entry_records,
            "statement": statement_records, "briefing": [briefing]}  # fmt: skip


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
    records = scenario(entries, statements)
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        project = create_project(base / "bench.brief", "Bench")
        with project.transaction() as session:
            codec.load(session.connection(), records)
        styles()
        times: list[tuple[float, float]] = []
        for run in range(runs):
            start, cpu = time.perf_counter(), time.process_time()
            result = export_briefing(project, 1, base / f"ours{run}.pdf")
            times.append((time.perf_counter() - start, time.process_time() - cpu))
        project.close()
    wall, cpu = (statistics.median(t[i] for t in times) for i in (0, 1))
    return {"wall": wall, "cpu": cpu, "pages": result.pages}


def baseline(checkout: Path, entries: int, statements: int, runs: int) -> dict[str, float]:
    """The same export by the program in ``checkout``, in a child process importing it."""
    env = {**os.environ, "PYTHONPATH": str(checkout.resolve())}
    command = [sys.executable, __file__, "--json", "--entries", str(entries),
               "--statements", str(statements), "--runs", str(runs)]  # fmt: skip
    output = subprocess.run(
        command, env=env, cwd=checkout, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def compare(checkout: Path, entries: int, statements: int, runs: int) -> None:
    ours = export_once(entries, statements, runs)
    theirs = baseline(checkout, entries, statements, runs)
    print(f"briefing: {entries} timeline entries, {statements} statements; median of {runs} runs")
    print("                                   wall     CPU   pages")
    for name, row in (("this checkout", ours), (f"baseline {checkout}", theirs)):
        print(f"  {name:32s} {row['wall']:5.2f} s {row['cpu']:5.2f} s  {int(row['pages']):4d}")
    print(
        f"  pages: {ours['pages'] / theirs['pages']:.2f}× the baseline (target ≤ 0.5×); "
        f"time: {ours['wall'] / theirs['wall']:.2f}× (target ≤ 1×)"
    )


def measure(entries: int, statements: int, runs: int) -> None:
    records = scenario(entries, statements)
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        project = create_project(base / "bench.brief", "Bench")
        with project.transaction() as session:
            codec.load(session.connection(), records)
        styles()  # fonts registered once, outside both timings
        ours: list[tuple[float, float]] = []
        bare: list[tuple[float, float]] = []
        for run in range(runs):
            start, cpu = time.perf_counter(), time.process_time()
            result = export_briefing(project, 1, base / f"ours{run}.pdf")
            ours.append((time.perf_counter() - start, time.process_time() - cpu))
            start, cpu = time.perf_counter(), time.process_time()
            bare_pages = bare_build(records, base / f"bare{run}.pdf")
            bare.append((time.perf_counter() - start, time.process_time() - cpu))
        project.close()
    o = [statistics.median(t[i] for t in ours) for i in (0, 1)]
    b = [statistics.median(t[i] for t in bare) for i in (0, 1)]
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
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.json:
        print(json.dumps(export_once(args.entries, args.statements, args.runs)))
    elif args.baseline is not None:
        compare(args.baseline, args.entries, args.statements, args.runs)
    else:
        measure(args.entries, args.statements, args.runs)


if __name__ == "__main__":
    main()
