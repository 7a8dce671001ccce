"""Reading an event data set's CSV file row by row: the loop ACLED and UCDP GED share.

A row becomes an event (by the data set's own ``to_event``) or a :class:`BadRow`
naming the line where the row starts and what is wrong with it; a file that is
not text, not CSV, or lacks the data set's columns is refused in one sentence
(:class:`DataSetError`). Cells are read by :func:`number`, :func:`whole_number`
and :func:`coordinate`, whose refusals name the column.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import IO, TypeVar

from briefing.errors import BriefingError, file_problem
from briefing.io.input_file import check_regular
from briefing.model import rules

Event = TypeVar("Event")


class DataSetError(BriefingError):
    """The file cannot be imported; nothing was changed."""


@dataclass(frozen=True)
class BadRow:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


def data_rows(
    lines: Iterable[str],
    name: str,
    header_problem: Callable[[list[str]], str | None],
    to_event: Callable[[int, dict[str, str]], Event],
) -> Iterator[Event | BadRow]:
    """Every data row as an event or a bad row, in file order.

    ``header_problem`` says why the header (column names stripped and lower-cased)
    is not the data set's (the end of a sentence naming the file), or None; ``to_event`` turns a row
    (column → text) into an event or raises ValueError naming what is wrong.
    """
    lines = iter(lines)
    first = next(lines, None)
    if first is None:
        raise DataSetError(f"{name} is empty.")
    reader = csv.reader(chain([first], lines), delimiter=separator(first), strict=True)
    try:
        header = [column.strip().lower() for column in next(reader)]
    except StopIteration:
        raise DataSetError(f"{name} is empty.") from None
    except csv.Error as error:
        raise DataSetError(f"{name} is not a CSV file ({error}).") from error
    twice = _repeated(header)
    if twice is not None:
        raise DataSetError(
            f"{name} names the column '{rules.shown(twice)}' more than once, so which one "
            "holds its values is unclear; nothing was imported."
        )
    problem = header_problem(header)
    if problem is not None:
        raise DataSetError(f"{name} {problem}")
    end = reader.line_num
    while True:
        start = end + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            # Where a row ends is unknown once the quoting is broken: what follows
            # would be read from the middle of a field, so reading stops here.
            yield BadRow(start, f"{_unreadable(error)}; the rest of the file was not read")
            return
        end = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            yield BadRow(start, f"{len(row)} fields where the header names {len(header)}")
            continue
        try:
            yield to_event(start, dict(zip(header, row, strict=False)))
        except ValueError as error:
            yield BadRow(start, str(error))


SEPARATORS = (",", ";", "\t")
"""Between a row's fields: commas, or semicolons or tabs as spreadsheets in many languages
write them (a program set to German or French saves "CSV" with semicolons)."""


def separator(first_line: str) -> str:
    """The character between the fields of a file whose first line (the header) is given.

    The one of :data:`SEPARATORS` that splits the header into the most columns
    (quoted text aside); a comma when none splits it.
    """
    counts = dict.fromkeys(SEPARATORS, 0)
    quoted = False
    for character in first_line:
        if character == '"':
            quoted = not quoted
        elif not quoted and character in counts:
            counts[character] += 1
    return max(SEPARATORS, key=lambda s: (counts[s], s == ","))


def _repeated(header: list[str]) -> str | None:
    """The first column name the header gives twice (unnamed columns aside), or None."""
    seen: set[str] = set()
    for column in header:
        if column in seen:
            return column
        if column:
            seen.add(column)
    return None


def _unreadable(error: csv.Error) -> str:
    """Why a row cannot be read as CSV, in words rather than the reader's."""
    message = str(error)
    if message.startswith("unexpected end of data"):
        return "a quoted field starts in this row and is never closed"
    if message.startswith("field larger than field limit"):
        return (
            f"a field holds more than {csv.field_size_limit():,} characters "
            "(perhaps a quote that is never closed)"
        )
    if "expected after" in message:
        return "a closing quote is followed by more text in the same field"
    return f"the row cannot be read as CSV ({message})"


class TextLines:
    """A file's lines, decoded as they are read, and how far into the file they are."""

    def __init__(self, stream: IO[str], name: str, data_set: str) -> None:
        self.stream = stream
        self.name = name
        self.data_set = data_set

    def __iter__(self) -> Iterator[str]:
        try:
            yield from self.stream
        except UnicodeDecodeError as error:
            raise DataSetError(
                f"{self.name} is not UTF-8 text, as {self.data_set} files are."
            ) from error
        except OSError as error:
            raise DataSetError(file_problem(self.name, error)) from error

    def bytes_read(self) -> int:
        """Bytes read so far (ahead of the lines given by a buffer's worth), for progress."""
        try:
            return int(self.stream.buffer.tell())  # type: ignore[attr-defined]
        except (AttributeError, OSError, ValueError):
            return 0


@contextmanager
def text_lines(path: Path, data_set: str) -> Iterator[TextLines]:
    """The file's lines, decoded as they are read; a file that is not UTF-8 is one sentence."""
    try:
        check_regular(path)
    except BriefingError as error:
        raise DataSetError(str(error)) from None
    try:
        stream = path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise DataSetError(file_problem(path.name, error)) from error
    try:
        yield TextLines(stream, path.name, data_set)
    finally:
        stream.close()


def number(text: str, column: str) -> float | None:
    """A cell's number, None when the cell is empty; ValueError names the column."""
    value = text.strip()
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"{column} '{rules.shown(value)}' is not a number") from None


def whole_number(text: str, column: str) -> int | None:
    """A cell's whole number (``12`` or ``12.0``), None when empty."""
    value = number(text, column)
    if value is None:
        return None
    if not value.is_integer():
        raise ValueError(f"{column} '{rules.shown(text.strip())}' is not a whole number")
    return int(value)


def count(text: str, column: str) -> int | None:
    """A cell's casualty figure: a whole number from 0 to the rules' largest, None when empty."""
    value = whole_number(text, column)
    if value is not None and not 0 <= value <= rules.MAX_COUNT:
        raise ValueError(
            f"{column} {rules.shown(text.strip())} must be from 0 to {rules.MAX_COUNT:,}"
        )
    return value


def coordinate(text: str, column: str, limit: float) -> float | None:
    """A cell's latitude or longitude within ±``limit`` degrees, None when empty.

    A decimal comma (``40,2``, as spreadsheets in many languages write it) is read
    as a decimal point: degrees within ±180 never need a thousands separator.
    """
    cell = text.strip()
    if "," in cell and "." not in cell and cell.count(",") == 1:
        text = cell.replace(",", ".")
    value = number(text, column)
    if value is not None and not -limit <= value <= limit:  # NaN fails too
        raise ValueError(f"{column} {rules.shown(text.strip())} is outside ±{limit:g}")
    return value
