"""Reading a large data set in a second process while this one writes it.

An import spends about as long reading, checking and shaping rows as SQLite
spends storing them. For a large file, :func:`produced` runs the reading half in
a child process, which sends what it made back over a pipe in pickled chunks,
so the two halves run on two cores; the writer (this process) stores each chunk
as it arrives. A thread here takes the chunks off the pipe as they come (up to
:data:`AHEAD` of them), so the child reads on while the writer stores a batch:
a pipe holds less than one chunk, and without it the two took turns. The child
only computes: it never touches the project (the file stays this process's alone).

The child is a fresh interpreter (multiprocessing's "spawn"), never a fork: a
fork copies this process as it is, locks held by its other threads (the
window's, a loader's) included, and such a copy can hang. So what the child
needs travels to it: ``make`` is a module-level function, or a
:func:`functools.partial` of one, with small picklable arguments (the file's
path, the parties by name), and the child makes exactly what this process would
have made. Starting it costs the package's import (about 0.4 s of CPU), which
only a large file repays. A packaged application passes the child's command
line on through ``multiprocessing.freeze_support`` (``briefing/__main__.py``).

For a small file, and when no core is free (:func:`spare_core`), the same
generator simply runs here: the second process costs more CPU in all
(pickling, the import, the two halves' caches), which only a free core repays.
Measured on two cores busy with other work, a 100,000-row UCDP import took 70 s
in two processes against 64 s in one.

Whatever happens to the child, the writer stops with one sentence
(:class:`ReadingStopped`) and the caller's transaction rolls back: a refusal
raised in the child (a file that is not UTF-8, say) is raised here as the same
sentence; any other failure there is told in words, its traceback kept on the
error (``detail``) and logged at INFO (never printed unless logging is set up);
a child that dies (killed, out of memory) or
sends what cannot be read is noticed at once, never waited for. Closing the
generator (a cancelled dialog) or an interrupt (Ctrl-C) ends the child and
waits for it, so none is left behind; the child ignores Ctrl-C itself, leaving
the decision to this process.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import queue
import signal
import threading
import traceback
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager, suppress
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

from briefing.errors import BriefingError
from briefing.io.csv_rows import DataSetError

Item = TypeVar("Item")

CHUNK = 500
"""Items per pickled message: large enough to cost little per item, small enough to overlap."""
AHEAD = 24
"""Chunks the child may send ahead of the writer: about two of an import's batches, so
it reads on while the writer stores one (the pipe alone holds less than a chunk)."""
CHECK_SECONDS = 0.2
"""How often a wait for the child asks whether to stop (see :func:`produced`)."""
CHILD_FROM_BYTES = 4_000_000
"""Files smaller than this are read here: starting a process would cost more than it saves."""
_ENDED_WAIT = 5.0
"""Seconds a child that sent its end is given to leave before it is killed."""

_log = logging.getLogger(__name__)
"""Details for whoever configures logging; at INFO, so nothing reaches a terminal by default."""


class ReadingStopped(DataSetError):
    """The reading process stopped before the end; ``detail`` keeps what it said, if anything."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (str(self), self.detail))


def spare_core() -> bool:
    """Whether a core is free for the second process: the load leaves one idle."""
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # no load average here (Windows)
        return False
    return load < (os.cpu_count() or 1) - 0.5


Check = Callable[[], None]
"""Called while waiting for the reading process; raises to stop (a window's Cancel)."""


def never() -> None:
    """The check of a reading that is only stopped by closing it."""


def produced(
    make: Callable[[], Iterator[Item]], size: int, name: str, check: Check = never
) -> Generator[Item, None, None]:
    """The items ``make()`` yields, made in a child process when the file (``size`` bytes) is large.

    ``make`` must pickle (a module-level function or a ``functools.partial`` of
    one). ``name`` names the file in the one sentence said if the child stops
    unexpectedly. Close the generator (``contextlib.closing``) when stopping
    early: that ends the child. While it waits for the child, ``check`` is called
    every :data:`CHECK_SECONDS`; what it raises (a window's Cancel) ends the child
    and goes on, even when the child is stuck (a stalled network drive).
    """
    if size < CHILD_FROM_BYTES or not spare_core():
        yield from make()
        return
    started = None
    drain: _Drain | None = None
    finished = False
    try:
        started = _started(make)
        if started is None:  # no second process to be had: read here
            yield from make()
            return
        drain = _Drain(*started)
        while True:
            kind, payload = drain.next_message(name, check)
            if kind == "items":
                yield from payload
            elif kind == "end":
                finished = True
                return
            else:
                raise _told(kind, payload, name)
    finally:  # a stop, a refusal, an interrupt: the child is ended and waited for
        if started is not None:
            _reap(started[0], finished, drain)
            started[1].close()


class _Drain:
    """A thread taking the child's messages off the pipe as they come, a few chunks ahead.

    Without it the child waits on a full pipe whenever the writer stores a batch,
    and the two halves take turns instead of running side by side. The thread only
    moves bytes (reading a pipe lets go of the interpreter's lock); the writer's
    thread decodes and checks them (:func:`_decoded`).
    """

    def __init__(self, child: BaseProcess, reader: Connection) -> None:
        self.child, self.reader = child, reader
        self.queue: queue.Queue[tuple[bool, Any]] = queue.Queue(AHEAD)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="briefing-rows-drain", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            while not self.stop.is_set():
                data = _received(self.child, self.reader)
                if not self._put((True, data)):
                    return
        except Exception as error:  # noqa: BLE001 - told by the writer's thread, in one sentence
            self._put((False, error))

    def _put(self, item: tuple[bool, Any]) -> bool:
        """Queue an item unless the writer stopped meanwhile; whether it was queued."""
        while not self.stop.is_set():
            try:
                self.queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def next_message(self, name: str, check: Check) -> tuple[str, Any]:
        """The next message, or :class:`ReadingStopped` as :func:`_decoded` says.

        ``check`` is called while waiting; what it raises goes on.
        """
        while True:
            try:
                ok, payload = self.queue.get(timeout=CHECK_SECONDS)
                break
            except queue.Empty:
                check()
        if not ok:
            raise _stopped(name, payload) from None
        return _decoded(payload, name)

    def close(self) -> None:
        """Stop taking messages and wait for the thread (the child is ended first)."""
        self.stop.set()
        self.thread.join()


def _started(make: Callable[[], Iterator[Any]]) -> tuple[BaseProcess, Connection] | None:
    """A child process running ``make``, and the pipe's end to read it from; None if none starts.

    An interrupt while it starts ends it again before going on.
    """
    context = multiprocessing.get_context("spawn")
    reader, writer = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(make, writer), name="briefing-rows", daemon=True)
    try:
        with _interrupts_held():  # the child starts deaf to Ctrl-C (see _child)
            child.start()
    except Exception:  # noqa: BLE001 - any failure to start means reading here instead
        _log.info("The reading process did not start; reading here.", exc_info=True)
        reader.close()
        return None
    except BaseException:
        reader.close()
        if child.pid is not None:
            _reap(child, False)
        raise
    finally:
        writer.close()  # the child holds its own: its end is the pipe's end
    return child, reader


def _received(child: BaseProcess, reader: Connection) -> bytes:
    """The next message's bytes; EOFError if the child ended and said nothing more.

    Waits on the pipe and on the child together, so a child that died is noticed
    even if something else still held the pipe open.
    """
    if not reader.poll():
        wait([reader, child.sentinel])
    if not reader.poll():  # the child ended, and said nothing more
        raise EOFError("the reading process ended")
    return reader.recv_bytes()


def _decoded(data: bytes, name: str) -> tuple[str, Any]:
    """A message's kind and payload, or :class:`ReadingStopped` if it cannot be read."""
    try:
        kind, payload = pickle.loads(data)
        if kind not in ("items", "end", "error", "failure") or (
            kind == "items" and not isinstance(payload, list)
        ):
            raise ValueError(f"unexpected message {kind!r}")
    except Exception as error:  # noqa: BLE001 - a cut message, garbage: all the same to the user
        raise _stopped(name, error) from None
    return kind, payload


def _stopped(name: str, error: BaseException) -> ReadingStopped:
    _log.info("Reading %s stopped: %r", name, error)
    return ReadingStopped(
        f"Reading {name} stopped unexpectedly; nothing was imported.", repr(error)
    )


def _told(kind: str, payload: Any, name: str) -> BriefingError:
    """The error the child sent: its own refusal as it is, anything else in one sentence."""
    if kind == "error" and isinstance(payload, BriefingError):
        return payload
    what, detail = payload if isinstance(payload, tuple) and len(payload) == 2 else ("?", "")
    _log.info("Reading %s failed in the reading process:\n%s", name, detail)
    return ReadingStopped(
        f"Reading {name} failed on an unexpected problem ({what}); nothing was imported.",
        str(detail),
    )


def _reap(child: BaseProcess, finished: bool, drain: _Drain | None = None) -> None:
    """End the child unless it finished; wait for it and the drain, so nothing is left."""
    if finished:
        child.join(_ENDED_WAIT)
    if child.exitcode is None:
        child.kill()
        child.join()
    if drain is not None:  # the pipe is at its end now: the thread's read returns
        drain.close()
    child.close()


@contextmanager
def _interrupts_held() -> Iterator[None]:
    """Ctrl-C held back from this thread while it starts a child, which inherits the mask."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    from multiprocessing import resource_tracker

    resource_tracker.ensure_running()  # starting, it unblocks Ctrl-C here: let it start first
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _child(make: Callable[[], Iterator[Any]], writer: Connection) -> None:
    """Run in the child: send ``make()``'s items in chunks, then the end or what went wrong.

    Ctrl-C reaches every process of the terminal; the child ignores it and
    lets this process decide (it ends the child when it stops).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    with suppress(OSError), writer:  # the pipe is closed: the writer wants nothing more
        try:
            chunk: list[Any] = []
            for item in make():
                chunk.append(item)
                if len(chunk) >= CHUNK:
                    _send(writer, ("items", chunk))
                    chunk = []
            if chunk:
                _send(writer, ("items", chunk))
            _send(writer, ("end", None))
            return
        except BriefingError as error:
            message: tuple[str, Any] = ("error", _sendable(error))
        except Exception as error:  # noqa: BLE001 - told to the writer in words, with its traceback
            what = (f"{type(error).__name__}: {error}".splitlines() or ["?"])[0][:200]
            message = ("failure", (what, traceback.format_exc()))
        _send(writer, message)


def _send(writer: Connection, message: tuple[str, Any]) -> None:
    writer.send_bytes(pickle.dumps(message, pickle.HIGHEST_PROTOCOL))


def _sendable(error: BriefingError) -> BriefingError:
    """The refusal itself when it survives pickling, else one that says the same."""
    try:
        return pickle.loads(pickle.dumps(error))  # type: ignore[no-any-return]
    except Exception:  # noqa: BLE001 - any refusal that cannot travel is told in words
        return DataSetError(str(error))
