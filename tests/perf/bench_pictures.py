"""Composer, contradictions view and pictures on a large project, beside a bare Qt baseline.

Run by hand: ``python tests/perf/bench_pictures.py [--entries N] [--file F]``. Prints
figures; asserts nothing. The baseline is an empty QGraphicsView of the same size,
shown and grabbed in the same process just before. The project is the one the
window benchmark builds (same generator, same file name), so the two can share it.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_gui import project_from_arguments  # noqa: E402
from PySide6.QtWidgets import QApplication, QGraphicsScene, QGraphicsView, QWidget  # noqa: E402

from briefing.gui.composer import ComposerWidget  # noqa: E402
from briefing.gui.contradictions import ContradictionsView  # noqa: E402
from briefing.gui.document import ProjectDocument  # noqa: E402
from briefing.gui.pictures import RelationshipDiagramWidget, TimelineChartWidget  # noqa: E402
from briefing.store import open_project  # noqa: E402

SIZE = (1000, 700)


def best_ms(action: Callable[[], object], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return min(times)


def shown(app: QApplication, widget: QWidget) -> QWidget:
    """Show and paint a widget, as a tab being opened would."""
    widget.resize(*SIZE)
    widget.show()
    app.processEvents()
    widget.grab()
    return widget


def main() -> None:
    path = project_from_arguments(__doc__)
    app = QApplication.instance() or QApplication([])
    baseline = best_ms(lambda: shown(app, QGraphicsView(QGraphicsScene())))
    project = open_project(path, "Bench", read_only=True)
    document = ProjectDocument(project)
    figures = [
        (name, best_ms(lambda cls=cls: shown(app, cls(document))))
        for name, cls in (
            ("timeline chart shown and painted", TimelineChartWidget),
            ("relationship diagram shown and painted", RelationshipDiagramWidget),
            ("composer shown and painted", ComposerWidget),
            ("contradictions view shown and painted", ContradictionsView),
        )
    ]
    chart = shown(app, TimelineChartWidget(document))
    assert isinstance(chart, TimelineChartWidget)
    figures.append(("timeline zoom ×4, redrawn", best_ms(lambda: chart.view.zoom(4.0))))
    figures.append(("timeline fit, redrawn", best_ms(chart.view.fit)))
    print(f"\nproject: {path}")
    print(f"{'figure':<44}{'measured':>10}{'baseline':>12}")
    for name, value in figures:
        print(f"{name:<44}{value:>7.0f} ms{baseline:>9.0f} ms")
    print("baseline: an empty QGraphicsView of the same size, shown and painted")
    project.close()


if __name__ == "__main__":
    main()
