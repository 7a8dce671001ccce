"""Reading a briefing a step at a time: progress while it is read, and a stop that leaves nothing.

The window and the terminal read a large briefing through :func:`snapshot_steps`;
the snapshot it returns is the one :func:`build_snapshot` reads in one go.
"""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

import pytest

from briefing import terminal
from briefing.cli import main
from briefing.export.cancel import Progress, scaled
from briefing.model import codec
from briefing.services import briefing_snapshot
from briefing.services.briefing_snapshot import READING, build_snapshot, snapshot_steps
from briefing.services.pdf_export import export_history
from briefing.store import create_project, open_project

ENTRIES = 700


def _scenario(entries: int) -> dict:
    spec = importlib.util.spec_from_file_location(
        "export_bench", Path(__file__).parents[1] / "perf" / "export_bench.py"
    )
    bench = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(bench)  # type: ignore[union-attr]
    return bench.scenario(entries, 10)


@pytest.fixture(scope="module")
def large_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("large") / "large.brief"
    with create_project(path, "Bench") as project, project.transaction() as session:
        codec.load(session.connection(), _scenario(ENTRIES))
    return path


@pytest.fixture
def large(large_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "large.brief"
    path.write_bytes(large_template.read_bytes())
    return path


def _run(steps) -> tuple[list[Progress], object]:
    seen = []
    while True:
        try:
            seen.append(next(steps))
        except StopIteration as done:
            return seen, done.value


def test_the_read_reports_progress_and_returns_what_a_whole_read_returns(large: Path) -> None:
    with open_project(large, "Ana") as project:
        seen, stepped = _run(snapshot_steps(project, 1))
        whole = build_snapshot(project, 1)
    assert stepped == whole
    assert len(stepped.timeline()) == ENTRIES
    fractions = [s.fraction for s in seen]
    assert fractions == sorted(fractions) and 0.0 <= fractions[0] and fractions[-1] < 1.0
    assert len(seen) >= 2 * ENTRIES // briefing_snapshot._CHUNK  # several steps, not one
    assert {s.message for s in seen} == {READING}


def test_closing_the_read_ends_it_and_leaves_the_project_as_it_was(large: Path) -> None:
    before = large.read_bytes()
    with open_project(large, "Ana") as project:
        steps = snapshot_steps(project, 1)
        for _ in range(3):
            next(steps)
        steps.close()
        with pytest.raises(StopIteration):
            next(steps)
        assert len(build_snapshot(project, 1).timeline()) == ENTRIES  # the project still reads
    assert large.read_bytes() == before


def test_scaled_maps_progress_and_passes_the_result_and_the_close() -> None:
    closed = []

    def part():
        try:
            yield Progress(0.0, "a")
            yield Progress(0.5, "b")
            yield Progress(1.0, "c")
            return "done"
        finally:
            closed.append(True)

    seen, result = _run(scaled(part(), 0.2, 0.6))
    assert [s.fraction for s in seen] == [0.2, pytest.approx(0.4), 0.6] and result == "done"
    outer = scaled(part(), 0.0, 1.0)
    next(outer)
    outer.close()
    assert closed == [True, True]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("suffix", ["pdf", "docx"])
def test_the_terminal_bar_shows_the_read(large: Path, tmp_path: Path, monkeypatch, suffix) -> None:
    screen = _Terminal()
    monkeypatch.setattr(terminal.sys, "stderr", screen)
    monkeypatch.setattr(terminal, "SHOW_AFTER_SECONDS", 0.0)
    monkeypatch.setattr(terminal, "REDRAW_SECONDS", 0.0)
    assert main(["export", str(large), "-o", str(tmp_path / f"x.{suffix}")]) == 0
    label = "Exporting PDF" if suffix == "pdf" else "Exporting Word"
    lines = [line for line in screen.getvalue().split("\r") if line.startswith(label)]
    reading = [line for line in lines if READING in line]
    assert len(set(reading)) >= 3  # the bar moves while reading
    assert lines.index(reading[-1]) < len(lines) - 1  # then the export goes on under it
    assert "\r\033[K" in screen.getvalue()  # the bar is cleared when the export ends


@pytest.mark.parametrize("suffix", ["pdf", "docx"])
def test_ctrl_c_while_reading_writes_nothing_and_says_so(
    large: Path, tmp_path: Path, monkeypatch, capsys, suffix
) -> None:
    before = large.read_bytes()
    built = []
    real = briefing_snapshot._Builder._entry

    def entry(self, record):
        built.append(1)
        if len(built) == 300:
            raise KeyboardInterrupt
        return real(self, record)

    monkeypatch.setattr(briefing_snapshot._Builder, "_entry", entry)
    out = tmp_path / f"x.{suffix}"
    assert main(["export", str(large), "-o", str(out)]) == 1
    error = capsys.readouterr().err
    assert error == f"error: Export stopped; x.{suffix} was not written.\n"
    assert not out.exists() and list(tmp_path.iterdir()) == [large]
    assert large.read_bytes() == before
    with open_project(large, "Ana", read_only=True) as project:
        assert export_history(project, 1) == []
