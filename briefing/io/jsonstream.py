"""Reading a large JSON document piece by piece: its fields, then its record lists in batches.

An interchange document can hold millions of records; parsed whole, Python
holds every one of them several times over. :func:`read_pieces` reads the text
a megabyte at a time and yields each top-level field as it ends and each record
list in batches, so memory stays flat in the document's size. Any layout of
white space is read (not only one record per line); syntax errors are reported
with the line and column of the whole file, as ``json.loads`` would.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from briefing.model.jsontext import unique_object

CHUNK = 1 << 20
BATCH = 2000
_SPACE = re.compile(r"[ \t\n\r]*")
_MARGIN = 32
"""A value ending this close to the end of what is read may be cut off: read more first."""


class Syntax(ValueError):
    """The text is not JSON: ``msg``, ``lineno`` and ``colno`` as json.JSONDecodeError has them."""

    def __init__(self, msg: str, lineno: int, colno: int) -> None:
        super().__init__(f"{msg}: line {lineno} column {colno}")
        self.msg, self.lineno, self.colno = msg, lineno, colno


class NotAnObject(ValueError):
    """The document is not a JSON object at its top: read it whole instead."""


@dataclass(frozen=True)
class Field:
    key: str
    value: Any


@dataclass(frozen=True)
class Records:
    """A batch of one record list; ``start`` is the index of its first record in the list."""

    key: str
    start: int
    batch: list[Any]


class _Text:
    """The document's text with a cursor, holding only what has not been consumed yet."""

    def __init__(self, stream: BinaryIO, parse_constant: Callable[[str], Any]) -> None:
        head = stream.read(4)
        encoding = json.detect_encoding(head)
        decoder = codecs.getincrementaldecoder(encoding)("strict")
        self._stream, self._decoder = stream, decoder
        self.text = decoder.decode(head)
        self.pos = 0
        self.eof = False
        self._line, self._column = 1, 0  # of text[0]
        self._json = json.JSONDecoder(
            parse_constant=parse_constant, object_pairs_hook=unique_object
        )

    def more(self) -> bool:
        """Drop what was consumed and read the next piece (as large as what is held).

        Positions held by the caller are then relative to ``pos``, which is 0.
        """
        if self.eof:
            return False
        dropped = self.text[: self.pos]
        newlines = dropped.count("\n")
        if newlines:
            self._line += newlines
            self._column = len(dropped) - dropped.rfind("\n") - 1
        else:
            self._column += len(dropped)
        data = self._stream.read(max(CHUNK, len(self.text) - self.pos))
        self.eof = not data
        self.text = self.text[self.pos :] + self._decoder.decode(data, final=self.eof)
        self.pos = 0
        return not self.eof

    def peek(self) -> str:
        """The next character that is not white space ('' at the end)."""
        while True:
            self.pos = _SPACE.match(self.text, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.text) or not self.more():
                return self.text[self.pos : self.pos + 1]

    def expect(self, wanted: str, message: str) -> None:
        if self.peek() != wanted:
            raise self.error(message, self.pos)
        self.pos += 1

    def value(self) -> Any:
        """The next JSON value, reading more text while it is cut off."""
        self.peek()
        while True:
            try:
                value, end = self._json.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as error:
                cut = error.pos >= len(self.text) - _MARGIN or error.msg.startswith("Unterminated")
                if cut and not self.eof:
                    self.more()
                    continue
                raise self.error(error.msg, error.pos) from None
            if end >= len(self.text) - _MARGIN and not self.eof:
                self.more()  # a number or a literal may go on in the next piece
                continue
            self.pos = end
            return value

    def error(self, message: str, pos: int) -> Syntax:
        before = self.text[:pos]
        newline = before.rfind("\n")
        line = self._line + before.count("\n")
        column = pos - newline if newline >= 0 else self._column + pos + 1
        return Syntax(message, line, column)


def read_pieces(
    stream: BinaryIO,
    record_keys: frozenset[str],
    parse_constant: Callable[[str], Any],
    whole: frozenset[str] = frozenset(),
) -> Iterator[Field | Records]:
    """The document's top-level fields in order; record lists in batches of :data:`BATCH`.

    Lists under ``whole`` come as one batch. Raises :class:`Syntax` on text that
    is not JSON, and :class:`NotAnObject` when the top is not an object.
    """
    text = _Text(stream, parse_constant)
    if text.peek() != "{":
        raise NotAnObject()
    text.pos += 1
    if text.peek() == "}":
        text.pos += 1
    else:
        while True:
            if text.peek() != '"':
                raise text.error("Expecting property name enclosed in double quotes", text.pos)
            key = text.value()
            text.expect(":", "Expecting ':' delimiter")
            if key in record_keys and text.peek() == "[":
                size = 1 << 62 if key in whole else BATCH
                yield from _records(text, key, size)
            else:
                yield Field(key, text.value())
            if text.peek() == ",":
                text.pos += 1
                continue
            text.expect("}", "Expecting ',' delimiter")
            break
    if text.peek() != "":
        raise text.error("Extra data", text.pos)


def _records(text: _Text, key: str, size: int) -> Iterator[Records]:
    text.pos += 1
    start, batch = 0, []
    if text.peek() == "]":
        text.pos += 1
        yield Records(key, 0, [])
        return
    while True:
        batch.append(text.value())
        if len(batch) >= size:
            yield Records(key, start, batch)
            start, batch = start + len(batch), []
        if text.peek() == ",":
            text.pos += 1
            continue
        text.expect("]", "Expecting ',' delimiter")
        break
    if batch or start == 0:
        yield Records(key, start, batch)
