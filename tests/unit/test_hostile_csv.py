"""Hostile event data set files: broken quoting and ambiguous headers, in ACLED and UCDP GED.

A quote that is never closed must not swallow the rows after it without a word,
and a header naming a column twice must not let one of two values win unseen.
"""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pytest

from briefing.cli import main

FIXTURES = Path(__file__).parents[1] / "fixtures"
DATA_SETS = {
    "acled": (FIXTURES / "acled" / "events.csv", "fatalities"),
    "ucdp": (FIXTURES / "ucdp" / "ged.csv", "best"),
}


def table(data_set: str) -> list[list[str]]:
    """The data set's sample rows, with no cell that needs quoting."""
    rows = csv.reader(io.StringIO(DATA_SETS[data_set][0].read_text(encoding="utf-8")))
    return [[" ".join(c.replace('"', " ").replace(",", " ").split()) for c in r] for r in rows]


def written(rows: list[list[str]]) -> str:
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return text.getvalue()


def import_refused(capsys: pytest.CaptureFixture[str], project: Path, data: Path, *flags: str):
    """Run the import as a user would; return (exit code, stderr) with the file unchanged."""
    before = hashlib.sha256(project.read_bytes()).digest()
    code = main(["import", str(project), str(data), *flags])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if not flags:
        assert hashlib.sha256(project.read_bytes()).digest() == before
    return code, err


@pytest.mark.parametrize("data_set", sorted(DATA_SETS))
def test_a_quote_never_closed_is_refused_not_swallowing_the_rows_after_it(
    data_set: str, demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = table(data_set)
    assert len(rows) >= 4
    rows[1][-1] = '"' + rows[1][-1]  # opens a quote that nothing closes
    data = tmp_path / "open-quote.csv"
    data.write_text("".join(",".join(row) + "\r\n" for row in rows), encoding="utf-8")

    code, err = import_refused(capsys, demo_path, data)

    assert code == 1
    assert "line 2: a quoted field starts in this row and is never closed" in err
    assert "the rest of the file was not read" in err


@pytest.mark.parametrize("data_set", sorted(DATA_SETS))
def test_a_runaway_quote_longer_than_a_field_stops_the_reading(
    data_set: str, demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = table(data_set)
    cells = list(rows[1])
    cells[-1] = '"' + cells[-1]
    filler = "".join(f"{row[0]}-{n},x\r\n" for n in range(4000) for row in rows[2:3])
    data = tmp_path / "runaway.csv"
    data.write_text(written(rows[:1]) + ",".join(cells) + "\r\n" + filler * 3, encoding="utf-8")

    code, err = import_refused(capsys, demo_path, data, "--skip-bad-rows")

    assert code == 0
    lines = [line for line in err.splitlines() if line.startswith("skipped")]
    assert len(lines) == 1, err
    assert "characters (perhaps a quote that is never closed)" in lines[0]
    assert "field limit" not in err


@pytest.mark.parametrize("data_set", sorted(DATA_SETS))
def test_a_header_naming_a_column_twice_is_refused(
    data_set: str, demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = table(data_set)
    column = DATA_SETS[data_set][1]
    rows = [rows[0] + [column.upper()]] + [row + ["999"] for row in rows[1:]]
    data = tmp_path / "twice.csv"
    data.write_text(written(rows), encoding="utf-8")

    code, err = import_refused(capsys, demo_path, data)

    assert code == 1
    assert err.strip() == (
        f"error: twice.csv names the column '{column}' more than once, so which one holds "
        "its values is unclear; nothing was imported."
    )
