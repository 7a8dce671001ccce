"""An import's steps on a worker thread borrow the project's connection a step at a time."""

from __future__ import annotations

import threading
import time

from briefing.gui.sharing.import_steps import Lent
from briefing.io.event_import import EventReport, ImportProgress


def test_a_read_on_the_window_thread_waits_for_the_running_step(demo_project) -> None:
    order: list[str] = []
    started = threading.Event()
    report = EventReport("x.csv", 1, 0, 0, 0, ())

    def steps():
        with demo_project.engine.connect():
            started.set()
            time.sleep(0.3)  # a step storing a batch, or waiting for the reading process
            order.append("step")
        yield ImportProgress(1, 2, "Reading rows")
        yield ImportProgress(2, 2, "Done", report)

    with Lent(demo_project.engine) as lent:
        results: list[object] = []
        worker = threading.Thread(
            target=lambda: results.extend(_drained(lent.steps(steps(), "x.csv"))), daemon=True
        )
        worker.start()
        assert started.wait(5)
        with demo_project.engine.connect() as connection:  # a row painted meanwhile
            order.append("read")
            connection.exec_driver_sql("SELECT count(*) FROM timeline_entry").scalar()
        worker.join(10)
        assert not worker.is_alive(), "the import's steps wait for ever"
    assert order == ["step", "read"]
    assert results[-1] is report
    assert results[0].message == "Reading rows of x.csv…" and results[0].fraction == 0.5


def _drained(steps):
    try:
        while True:
            yield next(steps)
    except StopIteration as done:
        yield done.value


def test_a_read_closed_after_the_step_s_own_connection_frees_the_next_step(demo_project) -> None:
    """Both hold the shared connection at once; the window's read is the second to close it."""
    started, read_closed = threading.Event(), threading.Event()
    report = EventReport("x.csv", 1, 0, 0, 0, ())

    def steps():
        with demo_project.engine.connect():  # the step's own connection, closed first
            started.set()
            time.sleep(0.3)
        yield ImportProgress(1, 2, "Reading rows")
        yield ImportProgress(2, 2, "Done", report)

    with Lent(demo_project.engine) as lent:
        results: list[object] = []

        def work() -> None:
            drained = _drained(lent.steps(steps(), "x.csv"))
            results.append(next(drained))
            read_closed.wait(5)  # between steps: the window reads meanwhile
            results.extend(drained)

        worker = threading.Thread(target=work, daemon=True)
        worker.start()
        assert started.wait(5)
        with demo_project.engine.connect() as connection:  # waits for the step, then reads
            connection.exec_driver_sql("SELECT count(*) FROM timeline_entry").scalar()
        read_closed.set()
        worker.join(10)
        assert not worker.is_alive(), "the import's next step waits for ever"
    assert results[-1] is report
