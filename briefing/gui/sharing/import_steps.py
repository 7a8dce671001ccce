"""An event import's steps run on a worker thread, the project's connection lent a step at a time.

An ACLED or UCDP import reads its file in a second process (:mod:`briefing.io.child_rows`)
and waits for it between batches: on the window's thread that wait held the window
unpainted, and a reading process stuck on a stalled network drive froze it for good.
Here the steps run on a worker (:func:`briefing.gui.exports.worker.run_steps`), so every
wait, and ending the reading process after a Cancel, happens there while the window
paints and answers.

The steps write through the project's one connection, which the window's thread also
reads (a row painted for the first time, the check for other programs' commits). While a
step runs, such a read waits for the step to end (:class:`Lent`), so the connection is
never used by two threads at once; between steps the window reads as before, inside the
import's open transaction, as it did when the steps ran on its own thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator

from sqlalchemy import Engine, event

from briefing.export.cancel import Progress
from briefing.io.event_import import EventReport, ImportProgress

LAST_BEFORE_REPORT = 0.99
"""The most a step before the report shows: Cancel is honoured until the report."""


class Lent:
    """The project's connection, used by one worker thread a step at a time.

    Within ``with Lent(engine) as lent``, a connection taken from the engine on
    another thread than the worker's waits while the worker runs a step, and holds
    the worker back until it is given back.

    A connection is known to be given back by the pool's ``reset`` event, which the
    pool sends for every connection closed. Its ``checkin`` event is not enough: the
    project's pool hands out one shared connection, and when two threads hold it at
    once only the first to close it is told as a check-in; a window's read that
    closed second kept the worker waiting for ever.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.lock = threading.RLock()
        self.worker: threading.Thread | None = None
        self._held = threading.local()

    def __enter__(self) -> Lent:
        event.listen(self.engine, "checkout", self._taken)
        event.listen(self.engine, "reset", self._given_back)
        return self

    def __exit__(self, *exc_info: object) -> None:
        event.remove(self.engine, "checkout", self._taken)
        event.remove(self.engine, "reset", self._given_back)

    def _taken(self, *args: object) -> None:
        if threading.current_thread() is not self.worker:
            self.lock.acquire()
            self._held.count = getattr(self._held, "count", 0) + 1

    def _given_back(self, *args: object) -> None:
        if getattr(self._held, "count", 0):
            self._held.count -= 1
            self.lock.release()

    def steps(
        self, steps: Generator[ImportProgress, None, None], name: str
    ) -> Generator[Progress, None, EventReport | None]:
        """The import's steps as an export's, each run holding the connection; its report.

        Runs on the worker thread; closing it (Cancel) closes the import there, holding
        the connection, which rolls the import back and ends its reading process.
        """
        self.worker = threading.current_thread()
        try:
            while True:
                with self.lock:
                    step = next(steps, None)
                if step is None or step.report is not None:
                    return None if step is None else step.report
                fraction = min(step.done / max(step.total, 1), LAST_BEFORE_REPORT)
                yield Progress(fraction, f"{step.stage} of {name}…")
        finally:
            with self.lock:
                steps.close()

    def waiting(self, check: Callable[[], None]) -> Callable[[], None]:
        """``check`` for the import's waits for its reading process, inside a step.

        The worker does not use the connection while it waits, so the window's thread
        may have it meanwhile, as between steps: a row painted or a Cancel heard while
        a reading process stalls on a network drive.
        """

        def lent_back() -> None:
            self.lock.release()
            try:
                check()
            finally:
                self.lock.acquire()

        return lent_back
