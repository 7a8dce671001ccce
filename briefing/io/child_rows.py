"""Reading a large data set in a second process while this one writes it.

An import spends about as long reading, checking and shaping rows as SQLite
spends storing them. For a large file on Linux, :func:`produced` runs the
reading half in a forked child process, which sends what it made back over a
pipe in pickled chunks, so the two halves run on two cores; the writer (this
process) stores each chunk as it arrives. The child only computes: it never
touches the project (the file stays this process's alone) and leaves by
``os._exit``, running nothing of this process's at exit. It inherits what this
process knew when it forked (the parties by name, for instance), so it makes
exactly what this process would have made.

Elsewhere (no fork that is safe beside a window's threads: macOS, Windows), for
a small file, and when no core is free (:func:`spare_core`), the same generator
simply runs here: the second process costs more CPU in all (pickling, and the
two halves' caches), which only a free core repays. Measured on two cores busy
with other work, a 100,000-row UCDP import took 70 s in two processes against
64 s in one. A refusal raised in the
child (a file that is not UTF-8, say) is raised here, as the same sentence.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
from collections.abc import Callable, Generator, Iterator
from typing import Any, TypeVar

from briefing.io.csv_rows import DataSetError

Item = TypeVar("Item")

CHUNK = 500
"""Items per pickled message: large enough to cost little per item, small enough to overlap."""
CHILD_FROM_BYTES = 4_000_000
"""Files smaller than this are read here: starting a process would cost more than it saves."""
_BUFFER = 1 << 20


def can_fork() -> bool:
    """Whether a child process can be forked safely here (Linux)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def spare_core() -> bool:
    """Whether a core is free for the second process: the load leaves one idle."""
    try:
        load = os.getloadavg()[0]
    except OSError:
        return False
    return load < (os.cpu_count() or 1) - 0.5


def produced(
    make: Callable[[], Iterator[Item]], size: int, name: str
) -> Generator[Item, None, None]:
    """The items ``make()`` yields, made in a child process when the file (``size`` bytes) is large.

    ``name`` names the file in the one sentence said if the child stops unexpectedly.
    Close the generator (``contextlib.closing``) when stopping early: that ends the child.
    """
    if size < CHILD_FROM_BYTES or not can_fork() or not spare_core():
        yield from make()
        return
    yield from _from_child(make, name)


def _from_child(make: Callable[[], Iterator[Item]], name: str) -> Generator[Item, None, None]:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: make, send, leave
        os.close(read_end)
        _child(make, write_end)
    os.close(write_end)
    finished = False
    try:
        with os.fdopen(read_end, "rb", buffering=_BUFFER) as stream:
            while True:
                try:
                    kind, payload = pickle.load(stream)
                except (EOFError, pickle.UnpicklingError):
                    raise DataSetError(
                        f"Reading {name} stopped unexpectedly; nothing was imported."
                    ) from None
                if kind == "items":
                    yield from payload
                elif kind == "error":
                    raise payload
                else:
                    finished = True
                    return
    finally:
        if not finished:  # the import stopped first: the child's work is not wanted
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        os.waitpid(pid, 0)


def _child(make: Callable[[], Iterator[Any]], write_end: int) -> None:
    """Run in the forked child: send ``make()``'s items in chunks, then the end or the error."""
    code = 0
    try:
        with os.fdopen(write_end, "wb", buffering=_BUFFER) as stream:
            try:
                chunk: list[Any] = []
                for item in make():
                    chunk.append(item)
                    if len(chunk) >= CHUNK:
                        pickle.dump(("items", chunk), stream, pickle.HIGHEST_PROTOCOL)
                        chunk = []
                if chunk:
                    pickle.dump(("items", chunk), stream, pickle.HIGHEST_PROTOCOL)
                pickle.dump(("end", None), stream, pickle.HIGHEST_PROTOCOL)
            except BrokenPipeError:
                code = 1
            except BaseException as error:  # noqa: BLE001 - every failure goes to the writer
                pickle.dump(("error", _sendable(error)), stream, pickle.HIGHEST_PROTOCOL)
    except BaseException:  # noqa: BLE001 - the writer sees the pipe close and says so
        code = 1
    finally:
        os._exit(code)


def _sendable(error: BaseException) -> BaseException:
    """The error itself when it survives pickling, else one that says the same."""
    try:
        return pickle.loads(pickle.dumps(error))  # type: ignore[no-any-return]
    except Exception:  # noqa: BLE001 - any error that cannot travel is told in words
        return DataSetError(str(error))
