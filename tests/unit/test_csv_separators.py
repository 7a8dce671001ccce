"""Data sets saved by a spreadsheet with semicolons or tabs import as the comma file does."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_doors_property import SETTINGS

from briefing.cli import main
from briefing.io.acled import run_acled_import
from briefing.io.csv_rows import SEPARATORS, coordinate, separator
from briefing.io.ucdp import run_ucdp_import
from briefing.io.ucdp_csv import is_ged_file
from briefing.model import codec
from briefing.store import Project, open_project

FIXTURES = Path(__file__).parents[1] / "fixtures"
GED = FIXTURES / "ucdp" / "ged.csv"
ACLED = FIXTURES / "acled" / "events.csv"
KEPT = ("external_id", "title", "start_utc", "end_utc", "place", "latitude", "longitude")


def rewritten(source: Path, target: Path, delimiter: str, decimal_comma: bool = False) -> Path:
    """``source``'s rows written again with another separator (and decimal commas)."""
    with source.open(encoding="utf-8-sig", newline="") as stream:
        table = list(csv.reader(stream))
    if decimal_comma:
        columns = [c.lower() for c in table[0]]
        places = [columns.index("latitude"), columns.index("longitude")]
        for row in table[1:]:
            for n in places:
                row[n] = row[n].replace(".", ",")
    with target.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream, delimiter=delimiter).writerows(table)
    return target


def entries(path: Path) -> list[tuple[Any, ...]]:
    """What an import made of each event: fields and claims, sorted by external id."""
    with open_project(path) as project, project.engine.connect() as connection:
        return sorted(
            (*(e[k] for k in KEPT), tuple((c["side"], c["best"]) for c in e["claims"]))
            for e in codec.dump(connection, "entry")
            if e["external_id"]
        )


@pytest.mark.parametrize("delimiter", [";", "\t"])
@pytest.mark.parametrize(
    ("fixture", "importer"), [(GED, run_ucdp_import), (ACLED, run_acled_import)]
)
def test_a_file_with_another_separator_imports_the_same_events(
    demo_project: Project, tmp_path: Path, fixture: Path, importer: Any, delimiter: str
) -> None:
    copy = tmp_path / "copy.brief"
    shutil.copyfile(demo_project.path, copy)
    importer(demo_project, fixture)
    with open_project(copy) as project:
        other = rewritten(fixture, tmp_path / "saved.csv", delimiter, decimal_comma=True)
        report = importer(project, other)
    assert report.added > 0 and not report.skipped
    assert entries(copy) == entries(demo_project.path)


def test_the_door_tells_a_semicolon_ged_file_from_acled(tmp_path: Path, capsys) -> None:
    ged = rewritten(GED, tmp_path / "ged.csv", ";")
    assert is_ged_file(ged)
    assert not is_ged_file(rewritten(ACLED, tmp_path / "acled.csv", ";"))
    assert main(["demo", str(tmp_path / "p.brief")]) == 0
    assert main(["import", str(tmp_path / "p.brief"), str(ged)]) == 0
    assert "3 timeline entries added" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("cell", "value"),
    [("40,25", 40.25), ("-45,9", -45.9), (" 40.25 ", 40.25), ("", None)],
)
def test_a_decimal_comma_in_a_coordinate_is_a_decimal_point(cell: str, value: float) -> None:
    assert coordinate(cell, "latitude", 90) == value


@pytest.mark.parametrize("cell", ["1,234,5", "40,2.5", "95,5", "forty"])
def test_a_coordinate_that_is_no_number_in_range_is_refused_by_column(cell: str) -> None:
    with pytest.raises(ValueError, match="latitude"):
        coordinate(cell, "latitude", 90)


NAME = st.text(st.characters(blacklist_characters=',;\t"\r\n'), min_size=1, max_size=12)


@SETTINGS
@given(st.lists(NAME, min_size=2, max_size=30), st.sampled_from(SEPARATORS), st.booleans())
def test_the_separator_is_the_one_the_header_was_written_with(
    names: list[str], delimiter: str, quote_all: bool
) -> None:
    line = delimiter.join(f'"{n}"' if quote_all else n for n in names) + "\r\n"
    assert separator(line) == delimiter


@given(st.text(max_size=200))
def test_the_separator_is_always_one_of_three(line: str) -> None:
    assert separator(line) in SEPARATORS
