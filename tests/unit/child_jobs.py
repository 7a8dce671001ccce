"""Work for the reading process in tests: module-level, so it travels to a fresh interpreter."""

from __future__ import annotations

import os
import struct
import time
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path

from briefing.io.csv_rows import DataSetError


def numbers(count: int, fail_at: int | None = None) -> Iterator[tuple[int, int]]:
    """(n, the pid that made it) for n below ``count``; a refusal at ``fail_at``."""
    for n in range(count):
        if n == fail_at:
            raise DataSetError("numbers.csv is not UTF-8 text, as UCDP files are.")
        yield n, os.getpid()


class Odd(Exception):
    """A failure that does not survive pickling (its arguments are not its ``args``)."""

    def __init__(self, a: int, b: int) -> None:
        super().__init__(f"odd {a}")


class OddRefusal(DataSetError):
    """A refusal that does not survive pickling."""

    def __init__(self, a: int, b: int) -> None:
        super().__init__(f"odd.csv has an odd row ({a}).")


def odd_refusal() -> Iterator[int]:
    yield 1
    raise OddRefusal(1, 2)


def failing(kind: str) -> Iterator[int]:
    """Two items, then a failure that is no refusal: a bug, or one that cannot travel."""
    yield 1
    yield 2
    if kind == "odd":
        raise Odd(1, 2)
    if kind == "lines":
        raise ValueError("side_c is not a column\n  a second line")
    raise KeyError("side_c")


def dying() -> Iterator[int]:
    """Items, then the process ends at once, as when the system kills it."""
    yield from range(1_200)
    os._exit(9)


class Poison:
    """Pickles, but cannot be unpickled: what the writer reads is garbage to it."""

    def __reduce__(self) -> tuple[object, tuple[()]]:
        return (_explode, ())


def _explode() -> None:
    raise ValueError("not an item")


def poisoned() -> Iterator[object]:
    yield from range(10)
    yield Poison()


def garbage_writer(writer: Connection, kind: str) -> None:
    """Send what the reading process never would, then stay until killed."""
    if kind == "bytes":
        writer.send_bytes(b"\x80\x05this is not a pickle")
    elif kind == "cut":
        writer.send_bytes(b"\x80\x05\x95\x10\x00\x00\x00\x00\x00\x00\x00")
    elif kind == "shape":
        writer.send(("items", 42))
    elif kind == "unknown":
        writer.send(("party", None))
    elif kind == "header":  # a length, then nothing: the process ends mid-message
        os.write(writer.fileno(), struct.pack("!i", 1_000))
        os._exit(0)
    elif kind == "silent":  # the process ends without a word
        os._exit(3)
    time.sleep(60)


def large_then_mark(count: int, marker: str) -> Iterator[str]:
    """``count`` items of a kilobyte each (far more than a pipe holds), then a file saying so."""
    for n in range(count):
        yield f"{n:>1024}"
    Path(marker).write_text("all made", encoding="utf-8")


def stuck(*args: object) -> Iterator[int]:
    """A reading that never gives a row, as on a stalled network drive."""
    time.sleep(120)
    yield 1
