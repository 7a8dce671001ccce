"""Hostile rows read in a second process give exactly what they give read here.

Each file (UCDP GED and ACLED rows with hostile cells: markup, Armenian, Arabic,
CJK, emoji, huge numbers, NaN, lone surrogates that make it no UTF-8) is read
both ways; the items (entries, bad rows) or the refusal must be the same.
Compared by ``repr`` so that a NaN, were one to get through, compares equal to
itself.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_doors_property import COLUMNS as ACLED_COLUMNS
from test_doors_property import HOSTILE_CELL, SETTINGS, acled_rows
from test_ucdp import rows

from briefing.errors import BriefingError
from briefing.io import acled, child_rows, ucdp

CELL = HOSTILE_CELL | st.sampled_from(
    ["العربية", "مدينة <غزة> & حلب", "中文地名", "東京都", "Հայաստան & Արցախ", "🙂🇦🇲", "NaN",
     "-nan", "1e400", "-0", "179769313486231570" * 20, "a\ud800b"]
)  # fmt: skip
_names = itertools.count()


@st.composite
def ged_table(draw: st.DrawFn) -> list[dict[str, str]]:
    columns = list(rows()[0])
    table = []
    for n in range(draw(st.integers(1, 5))):
        row = dict(rows()[n % 3], id=str(n), relid=f"R{n}")
        for column in draw(st.lists(st.sampled_from(columns), max_size=4)):
            row[column] = draw(CELL)
        table.append(row)
    return table


@st.composite
def acled_table(draw: st.DrawFn) -> list[dict[str, str]]:
    table = draw(acled_rows())
    for row in table:
        for column in draw(st.lists(st.sampled_from(ACLED_COLUMNS), max_size=2)):
            row[column] = draw(CELL)
    return table


def _write(folder: Path, table: list[dict[str, str]]) -> Path:
    """The rows as CSV; a lone surrogate is written as its bytes, so the file is no UTF-8."""
    path = folder / f"rows-{next(_names)}.csv"
    with path.open("w", encoding="utf-8", errors="surrogatepass", newline="") as stream:
        writer = csv.DictWriter(stream, list(table[0]))
        writer.writeheader()
        writer.writerows(table)
    return path


def _outcome(items: Callable[[], Iterator[Any]]) -> tuple[str, ...]:
    try:
        return ("items", repr(list(items())))
    except BriefingError as error:
        return ("refused", type(error).__name__, str(error))


def _both(make: Callable[[], Iterator[Any]], name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What ``make`` gives here, and what it gives read in a child process."""
    here = _outcome(make)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(child_rows, "CHILD_FROM_BYTES", 0)
        patch.setattr(child_rows, "spare_core", lambda: True)
        there = _outcome(lambda: child_rows.produced(make, 1, name))
    return here, there


@settings(SETTINGS, max_examples=8)
@given(table=ged_table())
def test_hostile_ged_rows_are_the_same_read_in_a_child(
    table: list[dict[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = _write(tmp_path_factory.mktemp("ged"), table)
    parties = {"government of armenia": "0f3c4e5a-0000-4000-8000-000000000001"}
    here, there = _both(partial(ucdp._made, path, parties), path.name)
    assert here == there


@settings(SETTINGS, max_examples=8)
@given(table=acled_table())
def test_hostile_acled_rows_are_the_same_read_in_a_child(
    table: list[dict[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = _write(tmp_path_factory.mktemp("acled"), table)
    here, there = _both(partial(acled._surveyed, path), path.name)
    assert here == there
    if here[0] == "refused":
        return
    keep = frozenset(row[2] for row in acled._surveyed(path) if isinstance(row, tuple))
    shaper = acled._shaper(acled._Writer(None, "Ana"))  # type: ignore[arg-type] - no project
    here, there = _both(partial(acled._shaped, path, keep, shaper), path.name)
    assert here == there
