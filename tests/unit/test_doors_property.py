"""Property tests of the JSON and ACLED CSV doors with hostile input.

The invariant for every generated document or CSV file: refused in one
sentence naming the record (or line) and field, the project file byte for byte
unchanged; or accepted, and then every record obeys the rules and the project
is usable: dump, JSON export, a PDF of a briefing holding every record, search.
Never a traceback.
"""

from __future__ import annotations

import csv
import itertools
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from record_strategies import HOSTILE_TEXT, projects, spoiled_projects

from briefing.errors import BriefingError
from briefing.io.acled import run_acled_import
from briefing.io.csv_rows import SEPARATORS
from briefing.io.jsondoc import FORMAT, VERSION, export_json, import_json
from briefing.model import codec, fulltext, rules
from briefing.model.base import new_uuid
from briefing.model.vocab import Tlp
from briefing.services.pdf_export import export_briefing
from briefing.store import Project, create_project, open_project

SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_names = itertools.count()


@pytest.fixture(scope="module")
def empty_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("empty") / "empty.brief"
    create_project(path, "Template").close()
    return path


def fresh(template: Path, folder: Path) -> Path:
    path = folder / f"p{next(_names)}.brief"
    shutil.copyfile(template, path)
    return path


def assert_one_sentence(message: str) -> None:
    assert message and "\n" not in message and message.endswith((".", ")"))
    assert "Traceback" not in message
    message.encode("utf-8")  # printable: no lone surrogate reaches the user


def assert_usable(project: Project, folder: Path) -> None:
    """Every record obeys the rules and every way out of the project works."""
    with project.engine.connect() as connection:
        records = codec.dump_all(connection)
    assert rules.check_records(records) == []
    export_json(project, folder / f"out{next(_names)}.json")
    library = [(kind, r["uuid"]) for kind in rules.ITEM_KINDS for r in records[kind]]
    holder = {
        "uuid": new_uuid(), "title": "Everything", "as_of": "2021-11-17T00:00:00Z", "tlp": "RED",
        "sections": [{"uuid": new_uuid(), "heading": "All", "body": "",
                      "items": [{"uuid": new_uuid(), "kind": k, "ref": u} for k, u in library]}],
    }  # fmt: skip
    with project.transaction() as session:
        result = codec.load(session.connection(), {"briefing": [holder]})
    try:
        export_briefing(project, result.ids("briefing")[0], folder / "all.pdf", tlp=Tlp.RED)
    except BriefingError as error:  # the PDF's own refusal: characters its fonts lack
        assert "The PDF fonts cannot show" in str(error)
        assert_one_sentence(str(error))
    words = [
        w
        for r in records["entry"] + records["party"]
        for w in str(r.get("title") or r.get("name")).split()
    ]
    with project.engine.connect() as connection:
        for word in words[:3]:
            fulltext.search(connection, word)


def _document(records: codec.Records) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        **{codec.DOCUMENT_KEYS[kind]: batch for kind, batch in records.items()},
    }


def _try_json(document: dict[str, Any], template: Path, folder: Path) -> None:
    path = folder / f"d{next(_names)}.json"
    path.write_text(json.dumps(document, allow_nan=True), encoding="ascii")
    project_path = fresh(template, folder)
    before = project_path.read_bytes()
    with open_project(project_path, "Fuzz analyst") as project:
        try:
            import_json(project, path)
        except BriefingError as error:
            assert_one_sentence(str(error))
            refused = True
        else:
            refused = False
            assert_usable(project, folder)
    if refused:
        assert project_path.read_bytes() == before


@settings(SETTINGS, max_examples=30)
@given(case=spoiled_projects())
def test_json_door_with_one_hostile_value(
    case: tuple[codec.Records, str, int, str], empty_template: Path, tmp_path: Path
) -> None:
    records, kind, index, key = case
    _try_json(_document(records), empty_template, tmp_path)


@settings(SETTINGS, max_examples=10)
@given(records=projects())
def test_json_door_accepts_every_valid_project(
    records: codec.Records, empty_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / f"d{next(_names)}.json"
    path.write_text(json.dumps(_document(records)), encoding="utf-8")
    with open_project(fresh(empty_template, tmp_path), "Fuzz analyst") as project:
        import_json(project, path)
        assert_usable(project, tmp_path)


# ---------------------------------------------------------------------------- ACLED CSV

COLUMNS = [
    "event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type", "actor1",
    "inter1", "actor2", "assoc_actor_1", "iso", "country", "admin1", "location", "latitude",
    "longitude", "source", "notes", "fatalities", "civilian_targeting", "timestamp",
]  # fmt: skip
NORMAL = {
    "event_id_cnty": st.sampled_from(["ARM1", "AZE2", "ARM3", "TUR4"]),
    "event_date": st.sampled_from(["2021-11-16", "16 November 2021", "1 Jan 2000"]),
    "time_precision": st.sampled_from(["1", "2", "3", ""]),
    "event_type": st.sampled_from(["Battles", "Explosions/Remote violence", ""]),
    "sub_event_type": st.sampled_from(["Armed clash", "Shelling/artillery/missile attack"]),
    "actor1": st.sampled_from(["Military Forces of Armenia (2018-)", "Հայաստան", ""]),
    "inter1": st.sampled_from(["1", "State forces", ""]),
    "actor2": st.sampled_from(["Military Forces of Azerbaijan (2003-)", "Azərbaycan", ""]),
    "assoc_actor_1": st.sampled_from(["", "A; B", "Civilians (Armenia)"]),
    "iso": st.sampled_from(["51", "31", "", "999"]),
    "country": st.sampled_from(["Armenia", "Azerbaijan", ""]),
    "admin1": st.sampled_from(["Gegharkunik", ""]),
    "location": st.sampled_from(["Sotk", "Jermuk", ""]),
    "latitude": st.sampled_from(["40.2", "-12.5", ""]),
    "longitude": st.sampled_from(["45.9", "179.99", ""]),
    "source": st.sampled_from(["Invented Wire", ""]),
    "notes": st.text(max_size=30),
    "fatalities": st.sampled_from(["0", "3", "", "12.0"]),
    "civilian_targeting": st.sampled_from(["", "Civilian targeting"]),
    "timestamp": st.sampled_from(["1637107200", "", "1700000000"]),
}
HOSTILE_CELL = st.sampled_from(
    ["0001-01-01", "9999-12-31", "2021-13-01", "1800-01-01", "99999999999999999999999",
     "1e300", "-1e300", "inf", "nan", "-5", "1" * 5000, "\x00", "x" * 100_001, "y" * 1001,
     '"', "a,b", "a;b", "a\tb", "40,5", "line\nbreak", "<&>", "😀🇦🇲", "   "]
) | HOSTILE_TEXT.filter(lambda t: "\ud800" not in t and "\udfff" not in t)  # fmt: skip


@st.composite
def acled_rows(draw: st.DrawFn) -> list[dict[str, str]]:
    rows = []
    for _ in range(draw(st.integers(1, 4))):
        row = {column: draw(NORMAL[column]) for column in COLUMNS}
        for column in draw(st.lists(st.sampled_from(COLUMNS), max_size=3)):
            row[column] = draw(HOSTILE_CELL)
        rows.append(row)
    return rows


def write_csv(path: Path, rows: list[dict[str, str]], delimiter: str = ",") -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, COLUMNS, delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)


@settings(SETTINGS, max_examples=25)
@given(rows=acled_rows(), skip=st.booleans(), delimiter=st.sampled_from(SEPARATORS))
def test_acled_door_with_hostile_cells(
    rows: list[dict[str, str]], skip: bool, delimiter: str, empty_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / f"e{next(_names)}.csv"
    write_csv(path, rows, delimiter)
    project_path = fresh(empty_template, tmp_path)
    before = project_path.read_bytes()
    with open_project(project_path, "Fuzz analyst") as project:
        try:
            report = run_acled_import(project, path, skip_bad_rows=skip)
        except BriefingError as error:
            assert_one_sentence(str(error))
            for problem in getattr(error, "problems", ()):
                assert problem.line >= 2 and "\n" not in problem.reason
            refused = True
        else:
            refused = False
            assert all(row.line >= 2 for row in report.skipped)
            assert_usable(project, tmp_path)
    if refused:
        assert project_path.read_bytes() == before
