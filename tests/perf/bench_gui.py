"""Editor window benchmark on a 100,000-entry project, each figure beside a bare Qt baseline.

Run by hand: ``python tests/perf/bench_gui.py [--entries N] [--file F] [--keep]``.
Prints figures, wall-clock and processor time with the load average; asserts
nothing. Targets: open to a painted timeline list ≤ 1.5 s; a search term typed
to the list updated ≤ 100 ms median; resident memory with the project open
≤ 400 MB; the Timeline Chart and Map tabs painted the first time they are
shown. The baseline is a bare QApplication with an empty QMainWindow, shown and
painted in the same process just before.

``--keep`` keeps the program's memory of verified files beside the project, so a
second run opens it as a known file instead of checking every page again.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_FOLDER = Path(tempfile.mkdtemp(prefix="bench-gui-"))
os.environ.setdefault("BRIEFING_SETTINGS_DIR", str(_FOLDER / "settings"))
os.environ.setdefault("BRIEFING_DATA_DIR", str(_FOLDER / "data"))
os.environ.setdefault("BRIEFING_ANALYST", "Bench")

from bench_common import load_average  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow  # noqa: E402
from scenario_words import WORDS, ZONES  # noqa: E402

from briefing.gui.app import application  # noqa: E402
from briefing.gui.main_window import MainWindow  # noqa: E402
from briefing.gui.settings import AppSettings  # noqa: E402
from briefing.model import codec  # noqa: E402
from briefing.store import create_project  # noqa: E402

STATUSES = ("confirmed", "reported", "unconfirmed", "disputed", "refuted")
SEARCHES = (
    "Jermuk", "artillery village", "Kalbajar drone", "Ermənistan", "peacekeepers treaty",
    "Sotk shelling", "Goris", "captured position", "Lachin", "ağır döyüş", "Syunik",
    "party", "baba",
)  # fmt: skip
"""Scenario words, then two words most records of the scale benchmark's file hold."""


def rss_mb() -> float:
    """Resident memory of this process, from /proc (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _time(rng: random.Random) -> str:
    moment = time.gmtime(1_577_836_800 + rng.randrange(0, 4 * 365 * 86400))
    return time.strftime("%Y-%m-%dT%H:%M:00Z", moment)


def generated_records(entries: int) -> dict[str, list[dict[str, Any]]]:
    """A deterministic library: 200 parties, 500 sources and ``entries`` timeline entries."""
    rng = random.Random(1116)
    new = lambda: str(uuid.UUID(int=rng.getrandbits(128), version=4))  # noqa: E731
    parties = [{"uuid": new(), "name": f"Party {n} {rng.choice(WORDS)}", "kind": "armed force"}
               for n in range(200)]  # fmt: skip
    sources = [{"uuid": new(), "title": " ".join(rng.choices(WORDS, k=6)), "kind": "news",
                "reliability": rng.choice("ABCDEF"), "published_at": _time(rng)}
               for _ in range(500)]  # fmt: skip
    party_ids = [p["uuid"] for p in parties]
    rows = [_entry(rng, party_ids, sources) for _ in range(entries)]
    return {"party": parties, "source": sources, "entry": rows}


def _entry(rng: random.Random, party_ids: list[str], sources: list[dict[str, Any]]) -> dict:
    initiator, target = rng.sample(party_ids, 2)
    return {
        "title": " ".join(rng.choices(WORDS, k=6)),
        "description": " ".join(rng.choices(WORDS, k=30)),
        "start_utc": _time(rng),
        "zone": rng.choice(ZONES),
        "precision": "minute",
        "place": rng.choice(WORDS),
        "claims": [{"side": "all sides", "category": "killed", "best": rng.randrange(0, 5)}],
        "status": rng.choice(STATUSES),
        "credibility": rng.randrange(1, 7),
        "tags": rng.choice(("", "border", "artillery")),
        "parties": [{"party": initiator, "role": "initiator"}, {"party": target, "role": "target"}],
        "sources": [rng.choice(sources)["uuid"]],
    }


def build_project(path: Path, entries: int) -> None:
    start = time.perf_counter()
    project = create_project(path, "Bench", title=f"{entries:,} entries")
    with project.transaction() as session:
        codec.load(session.connection(), generated_records(entries))
    project.close()
    size = path.stat().st_size / 1e6
    took = time.perf_counter() - start
    print(f"built {path.name}: {entries:,} entries, {size:.0f} MB in {took:.1f} s")


def marked_project(path: Path, entries: int, marks: tuple[str, ...]) -> Path:
    """The benchmark file at ``path``: built once with ``entries`` entries, then ``marks`` run."""
    if not path.exists():
        build_project(path, entries)
        with sqlite3.connect(path) as marking:
            for sql in marks:
                marking.execute(sql)
    return path


def wait_until(app: QApplication, done: Any, limit: float = 30.0, pause: float = 0.0) -> None:
    """Run the window's events until ``done()``; ``pause`` seconds between turns leave the
    interpreter to worker threads, as an idle event loop does."""
    deadline = time.perf_counter() + limit
    while not done():
        app.processEvents()
        if time.perf_counter() > deadline:
            raise TimeoutError("the window did not finish in time")
        if pause:
            time.sleep(pause)


def baseline(app: QApplication) -> tuple[float, float, float]:
    """An empty QMainWindow: seconds to show and paint it, resident MB, median ms to repaint."""
    start = time.perf_counter()
    window = QMainWindow()
    window.resize(1400, 900)
    window.show()
    window.grab()
    app.processEvents()
    seconds = time.perf_counter() - start
    memory = rss_mb()
    repaints = []
    for _ in range(11):
        start = time.perf_counter()
        window.grab()
        repaints.append((time.perf_counter() - start) * 1000)
    window.close()
    return seconds, memory, statistics.median(repaints)


def open_window(app: QApplication, path: Path) -> tuple[MainWindow, float]:
    """Seconds from nothing to the window showing the project with timeline rows painted."""
    start = time.perf_counter()
    window = MainWindow(AppSettings())
    window.resize(1400, 900)
    window.show()
    window.open_path(path)
    model = window.library.panes["entry"].model
    window.grab()  # paint now, as the screen would
    wait_until(app, lambda: model.pages_fetched > 0 and window.inspector.current is not None)
    return window, time.perf_counter() - start


def search_times(
    app: QApplication, window: MainWindow
) -> tuple[list[float], list[float], list[float]]:
    """Per term, ms from the keystroke completing it to the list repainted (wall, then CPU),
    and to every id in."""
    pane = window.library.panes["entry"]
    bar, model, table = pane.filter_bar, pane.model, pane.table
    painted, painted_cpu, complete = [], [], []
    for term in SEARCHES:
        bar.clear()
        wait_until(app, lambda: not model.is_loading)
        table.viewport().grab()
        resets: list[bool] = []

        def note_reset(resets: list[bool] = resets) -> None:
            resets.append(True)

        model.modelReset.connect(note_reset)
        start, cpu = time.perf_counter(), time.process_time()
        bar.search.setText(term)  # the last keystroke: the text is now complete
        wait_until(app, resets.__len__)
        table.viewport().grab()  # the list as the screen shows it
        painted.append((time.perf_counter() - start) * 1000)
        painted_cpu.append((time.process_time() - cpu) * 1000)
        model.finish_loading()  # what a pause in typing or scrolling to the end brings
        complete.append((time.perf_counter() - start) * 1000)
        model.modelReset.disconnect(note_reset)
    return painted, painted_cpu, complete


def tab_first_paint(
    app: QApplication, window: MainWindow, title: str, done: Any = lambda tab: True
) -> tuple[float, float, float]:
    """A workspace tab shown the first time: wall and CPU ms to its first paint, and wall ms
    until ``done(tab)`` (a map's markers read on a worker thread and painted)."""
    workspace = window.workspace
    index = next(i for i in range(workspace.count()) if workspace.tabText(i) == title)
    start, cpu = time.perf_counter(), time.process_time()
    workspace.setCurrentIndex(index)
    app.processEvents()
    tab = workspace.currentWidget()
    tab.grab()  # the tab as the screen shows it
    painted = (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000
    wait_until(app, lambda: done(tab), limit=300.0, pause=0.002)
    tab.grab()
    return *painted, (time.perf_counter() - start) * 1000


def project_from_arguments(description: str | None) -> Path:
    """The project named by ``--file`` or sized by ``--entries``, built on first use."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--file", type=Path, help="reuse (or create) this project file")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="remember the file as verified beside it, so the next run opens a known file",
    )
    args = parser.parse_args()
    path = args.file or Path(tempfile.gettempdir()) / f"bench-gui-{args.entries}.brief"
    if args.keep:
        os.environ["BRIEFING_DATA_DIR"] = str(path.with_name(path.name + ".data"))
    if not path.exists():
        build_project(path, args.entries)
    return path


def main() -> None:
    path = project_from_arguments(__doc__)
    app = application()
    base_seconds, base_memory, base_repaint = baseline(app)
    window, seconds = open_window(app, path)
    memory = rss_mb()
    rows = window.library.panes["entry"].model.total_count()
    painted, painted_cpu, complete = search_times(app, window)
    searched_load = load_average()
    chart = tab_first_paint(app, window, "Timeline Chart")
    chart_load = load_average()
    map_tab = tab_first_paint(app, window, "Map", lambda tab: not tab.loading)
    map_load = load_average()
    print(f"\nproject: {path} ({rows:,} timeline entries); {load_average()}")
    print(f"{'figure':<46}{'measured':>10}{'baseline':>12}  target")
    print(f"{'open to a painted timeline list':<46}{seconds * 1000:>7.0f} ms"
          f"{base_seconds * 1000:>9.0f} ms  ≤ 1500 ms")  # fmt: skip
    print(f"{'search typed to list repainted, median':<46}{statistics.median(painted):>7.0f} ms"
          f"{base_repaint:>9.1f} ms  ≤ 100 ms (baseline: a repaint)")  # fmt: skip
    print(f"{'  the same in CPU time, median':<46}{statistics.median(painted_cpu):>7.0f} ms")
    slowest = f"  slowest of {len(SEARCHES)} terms (wall, CPU)"
    print(f"{slowest:<46}{max(painted):>7.0f} ms{max(painted_cpu):>9.0f} ms")
    for term, wall, cpu in zip(SEARCHES, painted, painted_cpu, strict=True):
        print(f"    {term!r:<42}{wall:>7.0f} ms{cpu:>9.0f} ms")
    print(f"{'  then every matching id listed, median':<46}{statistics.median(complete):>7.0f} ms")
    print(f"    searches run at {searched_load}")
    for name, (wall, cpu, _) in (("Timeline Chart", chart), ("Map", map_tab)):
        print(f"{name + ' tab first paint (wall, CPU)':<46}{wall:>7.0f} ms{cpu:>9.0f} ms")
        print(f"    at {chart_load if name == 'Timeline Chart' else map_load}")
    print(f"{'  its markers painted too (wall)':<46}{map_tab[2]:>7.0f} ms")
    print(f"{'resident memory, project open':<46}{memory:>7.0f} MB{base_memory:>9.0f} MB  ≤ 400 MB")
    print(f"{'resident memory after the searches':<46}{rss_mb():>7.0f} MB")
    print(load_average())
    window.close()
    sys.exit(0)


if __name__ == "__main__":
    main()
