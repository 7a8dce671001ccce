"""Rows read in a second process: the same items, refusals and entries as when read here
(UCDP GED and ACLED), and one sentence, nothing imported and no process left behind
whatever happens to that process."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from functools import partial
from pathlib import Path
from typing import Any

import child_jobs
import pytest
from test_acled import imported as acled_imported
from test_acled import rows as acled_rows
from test_acled import write as acled_write
from test_ucdp import imported, rows, write

from briefing.io import acled, child_rows, ucdp
from briefing.io.acled import run_acled_import
from briefing.io.acled_csv import streamed_rows
from briefing.io.child_rows import ReadingStopped
from briefing.io.csv_rows import BadRow, DataSetError
from briefing.io.ucdp import GedRowsError, import_ucdp, run_ucdp_import
from briefing.store import Project, open_project

STAMPS = ("created_at", "updated_at", "updated_by")
STOPPED = "Reading {} stopped unexpectedly; nothing was imported."


@pytest.fixture
def in_child(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file, however small, is read in a child process, however busy the machine."""
    monkeypatch.setattr(child_rows, "CHILD_FROM_BYTES", 0)
    monkeypatch.setattr(child_rows, "spare_core", lambda: True)


@pytest.fixture
def children(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pids of the reading processes started, as they start."""
    started: list[int] = []
    real = child_rows._started

    def spy(make: Any) -> Any:
        child = real(make)
        if child is not None:
            started.append(child[0].pid)
        return child

    monkeypatch.setattr(child_rows, "_started", spy)
    return started


def assert_reaped(pid: int) -> None:
    """The process ended and was waited for: not even a zombie is left of it."""
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
    with pytest.raises(ProcessLookupError):  # a zombie still takes signal 0
        os.kill(pid, 0)
    assert pid not in [child.pid for child in multiprocessing.active_children()]


def test_items_arrive_in_order_from_another_process(in_child: None, children: list[int]) -> None:
    items = list(child_rows.produced(partial(child_jobs.numbers, 2_345), 1, "numbers.csv"))
    assert [n for n, _ in items] == list(range(2_345))
    assert {pid for _, pid in items} == set(children) and os.getpid() not in children
    assert_reaped(children[0])


def test_a_small_file_is_read_here() -> None:
    items = list(child_rows.produced(partial(child_jobs.numbers, 3), 10, "numbers.csv"))
    assert {pid for _, pid in items} == {os.getpid()}


def test_a_large_file_is_read_here_when_no_core_is_free(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(child_rows, "CHILD_FROM_BYTES", 0)
    monkeypatch.setattr(child_rows.os, "getloadavg", lambda: (64.0, 64.0, 64.0))
    items = list(child_rows.produced(partial(child_jobs.numbers, 3), 10**9, "numbers.csv"))
    assert {pid for _, pid in items} == {os.getpid()}


def test_a_file_is_read_here_when_no_process_starts(
    in_child: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(self: Any) -> None:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(multiprocessing.get_context("spawn").Process, "start", refused)
    items = list(child_rows.produced(partial(child_jobs.numbers, 3), 1, "numbers.csv"))
    assert {pid for _, pid in items} == {os.getpid()}


def test_the_child_reads_ahead_while_the_writer_is_busy(
    in_child: None, children: list[int], tmp_path: Path
) -> None:
    """The writer takes one item and then stores for a while: the child makes the rest
    meanwhile (several chunks, megabytes more than a pipe holds), rather than waiting."""
    marker = tmp_path / "all-made"
    count = 3 * child_rows.CHUNK
    made = child_rows.produced(
        partial(child_jobs.large_then_mark, count, str(marker)), 1, "numbers.csv"
    )
    first = next(made)
    for _ in range(600):  # the writer is busy: it takes nothing for up to a minute
        if marker.exists():
            break
        time.sleep(0.1)
    assert marker.exists(), "the child waited for the writer instead of reading on"
    rest = list(made)
    assert [first, *rest] == [f"{n:>1024}" for n in range(count)]
    assert_reaped(children[0])


def test_a_refusal_in_the_child_is_the_same_sentence_here(
    in_child: None, children: list[int]
) -> None:
    made = child_rows.produced(partial(child_jobs.numbers, 1_200, 700), 1, "numbers.csv")
    with pytest.raises(DataSetError, match="numbers.csv is not UTF-8 text, as UCDP files are."):
        for _ in made:
            pass
    assert_reaped(children[0])


def test_a_refusal_that_cannot_travel_is_still_its_sentence(in_child: None) -> None:
    with pytest.raises(DataSetError, match=r"^odd.csv has an odd row \(1\).$"):
        list(child_rows.produced(child_jobs.odd_refusal, 1, "odd.csv"))


@pytest.mark.parametrize(
    ("kind", "said"),
    [
        ("key", "KeyError: 'side_c'"),
        ("lines", "ValueError: side_c is not a column"),
        ("odd", "Odd: odd 1"),
    ],
)
def test_a_failure_that_is_no_refusal_is_one_sentence(
    in_child: None, children: list[int], kind: str, said: str
) -> None:
    made = child_rows.produced(partial(child_jobs.failing, kind), 1, "odd.csv")
    with pytest.raises(ReadingStopped) as stopped:
        list(made)
    message = str(stopped.value)
    assert message == (
        f"Reading odd.csv failed on an unexpected problem ({said}); nothing was imported."
    )
    assert "\n" not in message and "Traceback" not in message
    assert "Traceback" in stopped.value.detail and "child_jobs.py" in stopped.value.detail
    assert stopped.value.__cause__ is None and stopped.value.__context__ is None
    assert_reaped(children[0])


def test_a_child_that_dies_is_one_sentence_never_a_wait(
    in_child: None, children: list[int]
) -> None:
    made = child_rows.produced(child_jobs.dying, 1, "dying.csv")
    seen = []
    with pytest.raises(ReadingStopped, match=STOPPED.format("dying.csv")):
        for item in made:
            seen.append(item)
    assert seen == list(range(1_000))  # the whole chunks it sent before it died, then the sentence
    assert_reaped(children[0])


def test_what_cannot_be_read_back_is_one_sentence(in_child: None, children: list[int]) -> None:
    with pytest.raises(ReadingStopped, match=STOPPED.format("poison.csv")):
        list(child_rows.produced(child_jobs.poisoned, 1, "poison.csv"))
    assert_reaped(children[0])


@pytest.mark.parametrize("kind", ["bytes", "cut", "shape", "unknown", "header", "silent"])
def test_garbage_on_the_pipe_is_one_sentence(
    in_child: None, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    started: list[int] = []

    def garbage_child(make: Any) -> tuple[Any, Any]:
        """A reading process that sends what the real one never would."""
        context = multiprocessing.get_context("spawn")
        reader, writer = context.Pipe(duplex=False)
        child = context.Process(target=child_jobs.garbage_writer, args=(writer, kind), daemon=True)
        child.start()
        writer.close()
        started.append(child.pid)
        return child, reader

    monkeypatch.setattr(child_rows, "_started", garbage_child)
    made = child_rows.produced(partial(child_jobs.numbers, 10), 1, "garbage.csv")
    with pytest.raises(ReadingStopped, match=STOPPED.format("garbage.csv")) as stopped:
        list(made)
    assert stopped.value.__cause__ is None and stopped.value.__suppress_context__
    assert_reaped(started[0])


def test_an_interrupt_while_the_child_starts_ends_it(
    in_child: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[int] = []
    start = multiprocessing.get_context("spawn").Process.start

    def interrupted(self: Any) -> None:
        start(self)
        started.append(self.pid)
        raise KeyboardInterrupt

    monkeypatch.setattr(multiprocessing.get_context("spawn").Process, "start", interrupted)
    with pytest.raises(KeyboardInterrupt):
        list(child_rows.produced(partial(child_jobs.numbers, 10**9), 1, "numbers.csv"))
    assert_reaped(started[0])


def test_stopping_early_ends_the_child(in_child: None, children: list[int]) -> None:
    made = child_rows.produced(partial(child_jobs.numbers, 10**9), 1, "numbers.csv")
    first = next(made)
    assert first[1] == children[0]
    made.close()
    assert_reaped(children[0])


def test_an_interrupt_ends_the_child(in_child: None, children: list[int]) -> None:
    made = child_rows.produced(partial(child_jobs.numbers, 10**9), 1, "numbers.csv")
    next(made)
    with pytest.raises(KeyboardInterrupt):
        made.throw(KeyboardInterrupt)
    assert_reaped(children[0])


def _content(project: Project) -> dict[str, dict[str, Any]]:
    return {
        key: {k: v for k, v in entry.items() if k not in STAMPS}
        for key, entry in imported(project).items()
    }


def _many(folder: Path, count: int) -> Path:
    table = [dict(rows()[n % 3], id=str(n), relid=f"R{n}") for n in range(count)]
    table[5]["side_a"] = "A side first seen here"
    return write(folder / f"many-{count}.csv", table)


def test_ucdp_entries_are_the_same_read_in_a_child(
    demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, children: list[int]
) -> None:
    table = [dict(rows()[n % 3], id=str(n), relid=f"R{n}") for n in range(1_200)]
    table[5]["side_a"] = "A side first seen here"
    path = write(tmp_path / "many.csv", table)
    other = tmp_path / "other.brief"
    other.write_bytes(demo_path.read_bytes())
    with open_project(demo_path, "Ana") as here:
        run_ucdp_import(here, path)
        expected = _content(here)
    assert children == []
    monkeypatch.setattr(child_rows, "CHILD_FROM_BYTES", 0)
    monkeypatch.setattr(child_rows, "spare_core", lambda: True)
    with open_project(other, "Ana") as there:
        steps = list(import_ucdp(there, path))
        assert steps[-1].report is not None and steps[-1].report.added == 1_200
        assert _content(there) == expected
        table[0].update(best="17", high="25", deaths_b="9")
        again = run_ucdp_import(there, write(tmp_path / "later.csv", table))
        assert (again.added, again.updated, again.unchanged) == (0, 1, 1_199)
    assert len(children) == 2


def test_a_child_killed_mid_import_imports_nothing(
    in_child: None,
    children: list[int],
    demo_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ucdp, "BATCH", 100)
    path = _many(tmp_path, 3_000)  # megabytes of entries: more than a pipe holds
    before = demo_path.read_bytes()
    with open_project(demo_path, "Ana") as project:
        steps = import_ucdp(project, path)
        next(steps)  # the first hundred entries are stored
        os.kill(children[0], signal.SIGKILL)
        with pytest.raises(ReadingStopped, match=STOPPED.format(path.name)):
            list(steps)
        assert_reaped(children[0])
        assert imported(project) == {}
    assert demo_path.read_bytes() == before


def test_an_import_from_a_thread_beside_busy_threads(
    in_child: None,
    children: list[int],
    demo_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What a window does: its threads hold locks while a loader thread imports."""
    path = _many(tmp_path, 1_200)
    other = tmp_path / "other.brief"
    other.write_bytes(demo_path.read_bytes())
    held = threading.Event()
    stop = threading.Event()
    locks = [threading.Lock() for _ in range(3)]

    def busy(lock: threading.Lock) -> None:
        with lock:
            held.set()
            stop.wait()

    others = [threading.Thread(target=busy, args=(lock,), daemon=True) for lock in locks]
    for thread in others:
        thread.start()
    held.wait()
    outcome: dict[str, Any] = {}

    def load() -> None:
        try:
            with open_project(demo_path, "Ana") as project:
                outcome["report"] = run_ucdp_import(project, path)
                outcome["content"] = _content(project)
        except BaseException as error:  # noqa: BLE001 - handed to the test's thread
            outcome["error"] = error

    loader = threading.Thread(target=load)
    loader.start()
    loader.join(600)  # a safety net against a hang, not a time limit
    stop.set()
    assert not loader.is_alive() and "error" not in outcome, outcome.get("error")
    assert outcome["report"].added == 1_200 and len(children) == 1
    assert_reaped(children[0])
    monkeypatch.setattr(child_rows, "spare_core", lambda: False)
    with open_project(other, "Ana") as project:
        run_ucdp_import(project, path)
        assert _content(project) == outcome["content"]
    assert len(children) == 1


def test_bad_rows_read_in_a_child_are_named_by_line(
    in_child: None, demo_path: Path, tmp_path: Path
) -> None:
    table = rows()
    table[1]["best"] = "many"
    path = write(tmp_path / "bad.csv", table)
    before = demo_path.read_bytes()
    with open_project(demo_path, "Ana") as project, pytest.raises(GedRowsError) as refused:
        run_ucdp_import(project, path)
    assert "bad.csv has 1 bad row (line 3: best 'many' is not a number)" in str(refused.value)
    assert demo_path.read_bytes() == before
    with open_project(demo_path, "Ana") as project:
        report = run_ucdp_import(project, path, skip_bad_rows=True)
    assert (report.added, report.skipped_count) == (2, 1)


def _acled_content(project: Project) -> dict[str, dict[str, Any]]:
    return {
        key: {k: v for k, v in entry.items() if k not in STAMPS}
        for key, entry in acled_imported(project).items()
    }


def test_acled_entries_are_the_same_shaped_in_a_child(
    demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, children: list[int]
) -> None:
    table = [
        dict(row, event_id_cnty=f"{row['event_id_cnty']}-{n}")
        for n in range(300)
        for row in acled_rows()
    ]
    table[7]["actor1"] = "ACLED"  # an actor with the claimant's name
    table[9]["timestamp"] = "1"
    table.append(dict(table[9], timestamp="2", notes="A later revision."))
    path = acled_write(tmp_path / "events.csv", table)
    other = tmp_path / "other.brief"
    other.write_bytes(demo_path.read_bytes())
    with open_project(demo_path, "Ana") as here:
        first = run_acled_import(here, path)
        expected = _acled_content(here)
    monkeypatch.setattr(child_rows, "CHILD_FROM_BYTES", 0)
    monkeypatch.setattr(child_rows, "spare_core", lambda: True)
    made_here = []
    entry = acled._Writer.entry
    monkeypatch.setattr(
        acled._Writer, "entry", lambda self, *a: made_here.append(os.getpid()) or entry(self, *a)
    )
    with open_project(other, "Ana") as there:
        report = run_acled_import(there, path)
        assert (report.added, report.parties_added) == (first.added, first.parties_added)
        assert _acled_content(there) == expected
        assert made_here == []  # every new entry was taken as the child shaped it
        again = run_acled_import(there, path)
        assert (again.added, again.updated, again.unchanged) == (0, 0, first.added)
    assert len(children) == 4  # two readings of the file per import
    for pid in children:
        assert_reaped(pid)


def test_what_is_sent_to_the_child_is_small(demo_path: Path, tmp_path: Path) -> None:
    """The shaping copy of the writer leaves behind the connection and what the project holds."""
    import pickle

    path = acled_write(tmp_path / "events.csv", acled_rows())
    with open_project(demo_path, "Ana") as project:
        run_acled_import(project, path)
        with project.engine.connect() as connection:
            writer = acled._Writer(connection, "Ana")
            writer.load_known()
            with streamed_rows(path) as read:
                writer.sort([row for row in read if not isinstance(row, BadRow)])
            assert writer.existing and writer.stamps
            shaper = acled._shaper(writer)
    assert shaper.connection is None and not (shaper.existing or shaper.stamps or shaper.buried)
    assert shaper.parties == writer.parties and shaper.parties is not writer.parties
    job = partial(acled._shaped, path, frozenset({2, 3}), shaper)
    assert len(pickle.dumps(job)) < 2_000 + 120 * len(shaper.parties)


FORCED_CLI = """
import signal, sys
signal.signal(signal.SIGINT, signal.default_int_handler)  # as on a terminal, even if started
# from a background job, which ignores Ctrl-C
from briefing.io import child_rows
child_rows.CHILD_FROM_BYTES = 0
child_rows.spare_core = lambda: True
from briefing.cli import main
raise SystemExit(main(sys.argv[1:]))
"""


def _spawned_children(parent: int) -> list[int]:
    """The reading processes ``parent`` started (Linux: read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent and b"spawn_main" in command:
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_ctrl_c_on_the_terminal_stops_the_import_and_its_child(
    demo_path: Path, tmp_path: Path
) -> None:
    path = _many(tmp_path, 20_000)
    before = demo_path.read_bytes()
    root = Path(child_rows.__file__).parents[2]
    command = [sys.executable, "-c", FORCED_CLI, "import", str(demo_path), str(path)]
    env = dict(os.environ, PYTHONPATH=str(root))
    with subprocess.Popen(
        command, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, start_new_session=True,  # its own group, as a terminal's foreground job
    ) as run:  # fmt: skip
        found: list[int] = []
        while not found and run.poll() is None:
            found = _spawned_children(run.pid)
            time.sleep(0.05)
        assert found, run.communicate()
        os.killpg(run.pid, signal.SIGINT)  # what Ctrl-C does: every process of the job
        out, err = run.communicate()
    assert (run.returncode, err, out) == (1, "error: interrupted\n", "")
    with pytest.raises(ProcessLookupError):
        os.kill(found[0], 0)
    assert demo_path.read_bytes() == before


FROZEN_START = """
import multiprocessing, runpy, sys
sys.frozen = True
seen = []
multiprocessing.freeze_support = lambda: seen.append("briefing.cli" in sys.modules)
sys.argv = ["briefing", "--version"]
try:
    runpy.run_module("briefing", run_name="__main__")
except SystemExit:
    pass
print(seen)
"""


def test_a_packaged_application_hands_a_reading_process_its_work_first() -> None:
    """In a bundle the reading process is the application itself, started again: it must take
    ``multiprocessing.freeze_support``'s turn before anything else runs."""
    root = Path(child_rows.__file__).parents[2]
    done = subprocess.run(
        [sys.executable, "-c", FROZEN_START],
        env=dict(os.environ, PYTHONPATH=str(root)),
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.splitlines()[-1] == "[False]"  # called once, before the program loads


class _Cancelled(Exception):
    pass


def test_a_stuck_reading_is_ended_by_the_check(in_child: None, children: list[int]) -> None:
    """The writer asks ``check`` while it waits; what it raises ends the child and goes on."""
    asked: list[float] = []

    def check() -> None:
        asked.append(time.monotonic())
        if len(asked) == 3:
            raise _Cancelled

    started = time.monotonic()
    with pytest.raises(_Cancelled):
        list(child_rows.produced(child_jobs.stuck, 1, "stalled.csv", check))
    assert time.monotonic() - started < 30  # the child would sleep 120 s
    assert len(asked) == 3
    assert_reaped(children[0])


def test_a_stuck_ucdp_import_is_cancelled_and_stores_nothing(
    in_child: None, children: list[int], demo_project: Project, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(ucdp, "_made", child_jobs.stuck)
    path = write(tmp_path / "ged.csv", rows())
    before = _content(demo_project)
    flag = []

    def check() -> None:
        flag.append(1)
        raise _Cancelled

    with pytest.raises(_Cancelled):
        list(import_ucdp(demo_project, path, check=check))
    assert _content(demo_project) == before
    assert_reaped(children[0])
