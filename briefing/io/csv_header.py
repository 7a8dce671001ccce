"""A data set's CSV file cut off within its first line, refused in one sentence.

A download stopped early can leave part of the header and nothing else. Read as
it stands, such a file holds no rows and would import nothing without a word;
instead it is refused, naming the columns it lacks.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence

from briefing.io.csv_rows import DataSetError, separator
from briefing.model import rules

NAMED = 6
"""Missing columns named in the sentence; the rest are counted."""


def is_cut(first_line: str) -> bool:
    """Whether a file's first line ends without a line break (the file ends within it)."""
    return not first_line.endswith(("\n", "\r"))


def whole_header(
    lines: Iterable[str], name: str, data_set: str, columns: Sequence[str]
) -> Iterator[str]:
    """``lines`` as they come, once the first is known to end with a line break.

    ``data_set`` names the import ("an ACLED import"); ``columns`` are the columns
    it reads, in the order the data set writes them.
    """
    lines = iter(lines)
    first = next(lines, None)
    if first is None:
        return
    if first and is_cut(first):
        raise DataSetError(cut_header(name, first, data_set, columns))
    yield first
    yield from lines


def cut_header(name: str, first_line: str, data_set: str, columns: Sequence[str]) -> str:
    """The sentence refusing a file that ends within its header."""
    try:
        cells = csv.reader([first_line], delimiter=separator(first_line))
        found = [c.strip().lower() for c in next(cells, [])]
    except csv.Error:
        found = []
    last = found[-1] if found else ""
    if not last and len(found) > 1:
        last = found[-2] + ","
    last = rules.shown(last)
    missing = [column for column in columns if column not in found[:-1]]
    if not missing:
        return (
            f"{name} ends within its header, at '{last}', and holds no rows; nothing was imported."
        )
    listed = ", ".join(missing[:NAMED])
    if len(missing) > NAMED:
        listed += f" and {len(missing) - NAMED} more"
    plural = "s" if len(missing) > 1 else ""
    return (
        f"{name} ends within its header, at '{last}', so it lacks the column{plural} {listed} "
        f"that {data_set} reads; nothing was imported."
    )
