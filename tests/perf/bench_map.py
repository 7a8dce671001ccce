"""Map benchmark: the Map tab with 100,000 ACLED-like events and the PDF map of 1,000.

Run by hand: ``python tests/perf/bench_map.py [--entries N] [--file F]``. Prints
figures; asserts nothing. Targets: the tab's first paint ≤ 500 ms and a repaint
after a zoom step ≤ 50 ms, beside an empty QGraphicsView shown and painted in the
same run. The first paint is the tab with its base map, the entries being read on a
worker thread meanwhile; the moment their markers are painted too is given apart
(its processor time counts both threads). Then the PDF of a 1,000-entry briefing
with its map, beside the same PDF without the map (no entry placed).

Events cluster like ACLED rows do: around 300 villages of the Armenia–Azerbaijan
border region, a few kilometres apart, on the project the window benchmark builds.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_gui import generated_records  # noqa: E402
from PySide6.QtWidgets import QApplication, QGraphicsScene, QGraphicsView, QWidget  # noqa: E402

from briefing.export.pdf import export_pdf  # noqa: E402
from briefing.export.snapshot import TimelineBlock  # noqa: E402
from briefing.gui.document import ProjectDocument  # noqa: E402
from briefing.gui.pictures.map_widget import MapWidget  # noqa: E402
from briefing.model import codec  # noqa: E402
from briefing.services.briefing_snapshot import build_snapshot  # noqa: E402
from briefing.services.briefings import add_items, create_briefing  # noqa: E402
from briefing.store import create_project, open_project  # noqa: E402

SIZE = (1000, 700)
NAN = float("nan")
"""A processor time not measured (the figure is a wall time)."""


def place_entries(rows: list[dict], seed: int = 1116) -> None:
    """Give every entry a position near one of 300 villages, as ACLED's rows have."""
    rng = random.Random(seed)
    villages = [(rng.uniform(44.0, 47.5), rng.uniform(38.8, 41.3)) for _ in range(300)]
    for row in rows:
        lon, lat = rng.choice(villages)
        row["longitude"] = round(lon + rng.gauss(0, 0.03), 4)
        row["latitude"] = round(lat + rng.gauss(0, 0.03), 4)


def build(path: Path, entries: int) -> None:
    start = time.perf_counter()
    records = generated_records(entries)
    place_entries(records["entry"])
    project = create_project(path, "Bench", title=f"{entries:,} placed entries")
    with project.transaction() as session:
        codec.load(session.connection(), records)
    project.close()
    print(f"built {path.name}: {entries:,} entries in {time.perf_counter() - start:.1f} s")


CPU: list[float] = []
"""The processor time of each :func:`ms` call, in order: the machine may be shared."""


def ms(action: Callable[[], object]) -> float:
    """Wall-clock milliseconds of ``action``; its processor milliseconds go to :data:`CPU`."""
    start, cpu = time.perf_counter(), time.process_time()
    action()
    CPU.append((time.process_time() - cpu) * 1000)
    return (time.perf_counter() - start) * 1000


def cpu_of(action: Callable[[], float]) -> tuple[float, float]:
    """Wall and processor milliseconds of one measured action."""
    wall = action()
    return wall, CPU[-1]


def shown(app: QApplication, widget: QWidget) -> QWidget:
    widget.resize(*SIZE)
    widget.show()
    app.processEvents()
    widget.grab()
    return widget


def idle(app: QApplication, seconds: float) -> None:
    """Let the window's timers run, as between a user's actions."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.01)


def opened(app: QApplication, document: ProjectDocument) -> tuple[MapWidget, float, float]:
    """A map tab shown: wall and processor ms to its first paint (the base map, drawn and
    grabbed while the entries are read on a worker thread), and wall ms until its markers
    are painted too."""
    start = time.perf_counter()
    tab = MapWidget(document)
    first = cpu_of(lambda: ms(lambda: shown(app, tab)))
    assert tab.map.base_drawn(), "the first paint holds the base map"
    while tab.loading:
        app.processEvents()
        time.sleep(0.002)
    tab.map.viewport().grab()
    return tab, *first, (time.perf_counter() - start) * 1000


def answering(app: QApplication, document: ProjectDocument) -> list[float]:
    """Wall ms of each zoom step taken and painted while a tab's entries are being read."""
    tab = MapWidget(document)
    shown(app, tab)
    steps = []
    while tab.loading:
        start = time.perf_counter()
        tab.map.zoom(1.05 if len(steps) % 2 else 1 / 1.05)
        tab.map.viewport().grab()
        app.processEvents()
        steps.append((time.perf_counter() - start) * 1000)
    return steps


def tab_figures(app: QApplication, path: Path) -> list[tuple[str, float, float, float, float]]:
    base = min(
        cpu_of(lambda: ms(lambda: shown(app, QGraphicsView(QGraphicsScene())))) for _ in range(3)
    )
    project = open_project(path, "Bench", read_only=True)
    document = ProjectDocument(project)
    _, *cold, cold_markers = opened(app, document)
    runs = [opened(app, document) for _ in range(3)]
    warm = min((r[1], r[2]) for r in runs)
    warm_markers = min(r[3] for r in runs)
    during = answering(app, document)
    cpu_before = time.process_time()
    tab, *_ = opened(app, document)
    cpu_markers = (time.process_time() - cpu_before) * 1000  # this process, both threads
    view = tab.map
    rushed = [
        cpu_of(lambda: ms(lambda: (view.zoom(1.2), view.viewport().grab()))) for _ in range(8)
    ]
    view.fit()
    idle(app, 3.0)  # a user looks at the map before zooming: the idle time groups the levels
    steps = [cpu_of(lambda: ms(lambda: (view.zoom(1.2), view.viewport().grab()))) for _ in range(8)]
    settle = []
    for _ in range(4):
        view.zoom(1.2)
        settle.append(cpu_of(lambda: ms(lambda: (view.refresh_base(), view.viewport().grab()))))
    pan = cpu_of(lambda: ms(lambda: (view.pan(80, 0), view.viewport().grab())))

    def median(pairs: list[tuple[float, float]]) -> tuple[float, float]:
        return statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)

    out = [
        (f"map tab first paint, cold ({len(tab.loaded.events):,} events)", *cold, *base),
        ("map tab first paint, base map in memory", *warm, *base),
        ("  markers painted too, cold (wall)", cold_markers, NAN, *base),
        ("  markers painted too, base map in memory", warm_markers, cpu_markers, *base),
        ("zoom step while entries are read, median (wall)", statistics.median(during), NAN, *base),
        (f"zoom step while entries are read, worst of {len(during)}", max(during), NAN, *base),
        ("zoom step ×1.2 repainted (median of 8)", *median(steps), *base),
        ("zoom step ×1.2 repainted (worst of 8)", *max(steps), *base),
        ("zoom ×1.2 at once after first paint (median)", *median(rushed), *base),
        ("zoom ×1.2 at once after first paint (worst)", *max(rushed), *base),
        ("base map redrawn once zooming settles (median)", *median(settle), *base),
        ("pan by keys, repainted", *pan, *base),
    ]
    project.close()
    return out


def pdf_figures(entries: int) -> list[tuple[str, float, float]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pdf.brief"
        records = generated_records(entries)
        place_entries(records["entry"])
        records["briefing"] = []
        project = create_project(path, "Bench")
        with project.transaction() as session:
            codec.load(session.connection(), records)
        create_briefing(project, "Border incidents")
        add_items(project, 1, [("entry", i) for i in range(1, entries + 1)])
        snapshot = build_snapshot(project, 1)
        project.close()
        unplaced = replace(
            snapshot,
            sections=tuple(
                replace(
                    s,
                    blocks=tuple(
                        replace(b, entries=tuple(replace(e, latitude=None) for e in b.entries))
                        if isinstance(b, TimelineBlock)
                        else b
                        for b in s.blocks
                    ),
                )
                for s in snapshot.sections
            ),
        )
        with_map = min(
            cpu_of(lambda: ms(lambda: export_pdf(snapshot, Path(folder) / "a.pdf")))
            for _ in range(2)
        )
        without = min(
            cpu_of(lambda: ms(lambda: export_pdf(unplaced, Path(folder) / "b.pdf")))
            for _ in range(2)
        )
    return [(f"PDF of {entries:,} entries with the map", *with_map, *without)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--pdf-entries", type=int, default=1_000)
    parser.add_argument("--file", type=Path, help="reuse (or create) this project file")
    args = parser.parse_args()
    path = args.file or Path(tempfile.gettempdir()) / f"bench-map-{args.entries}.brief"
    if not path.exists():
        build(path, args.entries)
    app = QApplication.instance() or QApplication([])
    figures = tab_figures(app, path)
    pdf = pdf_figures(args.pdf_entries)
    print(f"\nproject: {path}")
    print(f"{'figure':<50}{'wall':>9}{'cpu':>9}{'baseline wall':>15}{'cpu':>9}")
    for name, wall, cpu, base_wall, base_cpu in figures + pdf:
        print(f"{name:<50}{wall:>6.0f} ms{cpu:>6.0f} ms{base_wall:>12.0f} ms{base_cpu:>6.0f} ms")
    print("cpu: processor time of this process alone, which other programs on the machine")
    print("do not stretch; wall: the time a user waits.")
    print("baseline: an empty QGraphicsView of the same size, shown and painted;")
    print("for the PDF, the same briefing exported without the map (no entry placed).")


if __name__ == "__main__":
    main()
