"""UCDP GED import: events, sides, casualty claims, re-import, bad rows, and hostile cells."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_doors_property import HOSTILE_CELL, SETTINGS, assert_one_sentence, assert_usable, fresh

from briefing.cli import main
from briefing.errors import BriefingError
from briefing.io import ucdp
from briefing.io.csv_rows import SEPARATORS
from briefing.io.ucdp import GedRowsError, import_ucdp, run_ucdp_import
from briefing.io.ucdp_csv import is_ged_file
from briefing.model import codec
from briefing.model.claim_figures import ClaimFigures, best_estimates, compact_summary
from briefing.services import claims, records
from briefing.store import Project, create_project, open_project

FIXTURE = Path(__file__).parents[1] / "fixtures" / "ucdp" / "ged.csv"
ACLED = Path(__file__).parents[1] / "fixtures" / "acled" / "events.csv"
_names = itertools.count()


def rows() -> list[dict[str, str]]:
    with FIXTURE.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def write(path: Path, table: list[dict[str, str]], delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, list(rows()[0]), delimiter=delimiter)
        writer.writeheader()
        writer.writerows(table)
    return path


def imported(project: Project) -> dict[str, dict[str, Any]]:
    with project.engine.connect() as connection:
        return {
            e["external_id"]: e
            for e in codec.dump(connection, "entry")
            if (e["external_id"] or "").startswith("UCDP-GED:")
        }


def names(project: Project) -> dict[str, str]:
    with project.engine.connect() as connection:
        return dict(connection.exec_driver_sql("SELECT uuid, name FROM party").all())


def figures(entry: dict[str, Any], party_names: dict[str, str]) -> list[ClaimFigures]:
    return [
        ClaimFigures(party_names.get(c["party"], c["side"]), c["category"], c["low"], c["best"],
                     c["high"])
        for c in entry["claims"]
    ]  # fmt: skip


def test_events_become_entries_with_sides_and_claims(demo_project: Project) -> None:
    report = run_ucdp_import(demo_project, FIXTURE)
    assert (report.added, report.updated, report.unchanged) == (3, 0, 0)
    entries = imported(demo_project)
    clash = entries["UCDP-GED:900001"]
    assert clash["title"] == "Government of Armenia - Government of Azerbaijan in Sotk village"
    assert (clash["start_utc"], clash["zone"], clash["precision"]) == (
        "2021-11-15T20:00:00Z",
        "Asia/Yerevan",
        "day",
    )
    assert clash["place"] == "Sotk village, Vardenis, Gegharkunik province, Armenia"
    assert (clash["latitude"], clash["longitude"]) == (40.2, 45.9)
    assert "Clash at the border (synthetic test event)" in clash["description"]
    assert "exact place (UCDP where_prec)" in clash["description"]
    party = names(demo_project)
    assert {party[p["party"]] for p in clash["parties"]} == {
        "Government of Armenia",
        "Government of Azerbaijan",
    }
    assert all(c["claimant"] == ucdp.CLAIMANT["uuid"] for c in clash["claims"])
    assert all(c["source"] == ucdp.SOURCE["uuid"] for c in clash["claims"])
    shown = figures(clash, party)
    assert compact_summary(shown) == (
        "Government of Armenia 6 k · Government of Azerbaijan 7 k · unk 2 k · all 15 k"
    )
    total = [c for c in clash["claims"] if c["side"] == "all sides"]
    assert [(c["low"], c["best"], c["high"]) for c in total] == [(12, 15, 20)]
    assert best_estimates(shown) == {"killed": 15}
    week = entries["UCDP-GED:900002"]
    assert (week["start_utc"], week["end_utc"]) == ("2021-11-13T20:00:00Z", "2021-11-17T20:00:00Z")
    assert "the week (UCDP date_prec)" in week["description"]
    assert week["zone"] == "Asia/Baku"
    one_sided = entries["UCDP-GED:900003"]
    assert one_sided["precision"] == "month"
    assert {party[p["party"]] for p in one_sided["parties"]} == {"Invented armed group ‹Հ›"}
    assert [c["side"] for c in one_sided["claims"]] == ["civilians", "all sides"]
    assert "<b>&amp;</b>" in one_sided["description"]  # text, kept as written


def test_reimporting_a_later_release_updates_entries_and_keeps_the_analysts_work(
    demo_project: Project, tmp_path: Path
) -> None:
    run_ucdp_import(demo_project, FIXTURE)
    clash = imported(demo_project)["UCDP-GED:900001"]
    with demo_project.engine.connect() as connection:
        clash_id = records.id_of(connection, "entry", clash["uuid"])
    assert clash_id is not None
    records.update_record(demo_project, "entry", clash_id, {"status": "disputed"})
    mine = {"side": "civilians", "category": "displaced", "words": "hundreds fled", "best": None}
    claims.add_claim(demo_project, clash_id, mine)
    table = rows()
    table[0].update(best="17", high="25", deaths_b="9")
    report = run_ucdp_import(demo_project, write(tmp_path / "later.csv", table))
    assert (report.added, report.updated, report.unchanged) == (0, 1, 2)
    clash = imported(demo_project)["UCDP-GED:900001"]
    assert clash["status"] == "disputed"
    total = [c for c in clash["claims"] if c["side"] == "all sides"]
    assert [(c["low"], c["best"], c["high"]) for c in total] == [(12, 17, 25)]
    assert [c["words"] for c in clash["claims"] if c["claimant"] is None] == ["hundreds fled"]
    assert len(imported(demo_project)) == 3


def test_a_bad_row_is_named_by_line_and_nothing_is_imported(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = rows()
    table[1]["best"] = "many"
    path = write(tmp_path / "bad.csv", table)
    before = demo_path.read_bytes()
    with open_project(demo_path, "Ana") as project, pytest.raises(GedRowsError) as refused:
        run_ucdp_import(project, path)
    assert "bad.csv has 1 bad row (line 3: best 'many' is not a number)" in str(refused.value)
    assert [p.line for p in refused.value.problems] == [3]
    assert demo_path.read_bytes() == before
    assert main(["import", str(demo_path), str(path)]) == 1
    err = capsys.readouterr().err
    assert "problem: line 3: best 'many' is not a number" in err
    assert err.strip().splitlines()[-1].startswith("error: Nothing was imported from bad.csv")
    assert main(["import", str(demo_path), str(path), "--skip-bad-rows"]) == 0
    out, err = capsys.readouterr()
    assert "2 timeline entries added" in out and "1 bad row skipped" in out
    assert "skipped: line 3" in err


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("date_start", "16/11/2021", "date_start '16/11/2021' is not a date"),
        ("date_prec", "9", "date_prec '9' is not 1 to 5"),
        ("latitude", "91", "latitude 91 is outside ±90"),
        ("longitude", "nan", "longitude nan is outside ±180"),
        ("low", "30", "low is above the best figure"),
        ("deaths_a", "-1", "deaths_a -1 must be from 0"),
        ("deaths_a", "1e300", "deaths_a 1e300 must be from 0"),
        ("id", "", "best"),
        ("date_end", "2021-11-01", "date_end is before date_start"),
        ("side_a", "x" * 1001, "side_a"),
    ],
)
def test_bad_cells_give_one_reason(
    demo_project: Project, tmp_path: Path, column: str, value: str, reason: str
) -> None:
    table = rows()[:1]
    table[0][column] = value
    if column == "id":
        table[0]["relid"] = ""
        reason = "id and relid are empty"
    with pytest.raises(GedRowsError) as refused:
        run_ucdp_import(demo_project, write(tmp_path / "cell.csv", table))
    assert reason in str(refused.value)
    assert_one_sentence(str(refused.value))


def test_relid_names_the_event_when_id_is_missing(demo_project: Project, tmp_path: Path) -> None:
    table = rows()[:1]
    table[0]["id"] = ""
    run_ucdp_import(demo_project, write(tmp_path / "relid.csv", table))
    assert list(imported(demo_project)) == ["UCDP-GED:ARM-2021-1-900-1"]


def test_an_entry_deleted_here_stays_deleted(demo_project: Project) -> None:
    run_ucdp_import(demo_project, FIXTURE)
    gone = imported(demo_project)["UCDP-GED:900002"]
    with demo_project.engine.connect() as connection:
        gone_id = records.id_of(connection, "entry", gone["uuid"])
    assert gone_id is not None
    records.delete_records(demo_project, "entry", [gone_id])
    report = run_ucdp_import(demo_project, FIXTURE)
    assert (report.added, report.deleted_here, report.unchanged) == (0, 1, 2)


def test_the_import_door_tells_ged_from_acled_by_the_header(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert is_ged_file(FIXTURE) and not is_ged_file(ACLED)
    renamed = tmp_path / "events-2021.csv"
    renamed.write_bytes(FIXTURE.read_bytes())
    assert main(["import", str(demo_path), str(renamed)]) == 0
    assert "3 timeline entries added" in capsys.readouterr().out
    assert main(["import", str(demo_path), str(ACLED)]) == 0
    with open_project(demo_path, "Ana") as project:
        external = {e["external_id"] for e in codec.dump_all(project.engine.connect())["entry"]}
    assert "UCDP-GED:900001" in external and "ARM90001" in external


def test_progress_goes_forward_to_the_end(demo_project: Project, tmp_path: Path) -> None:
    table = [dict(rows()[0], id=str(n), relid=f"R{n}") for n in range(12_000)]
    steps = list(import_ucdp(demo_project, write(tmp_path / "many.csv", table)))
    done = [s.done for s in steps]
    assert done == sorted(done) and len(steps) >= 3
    assert steps[-1].done == steps[-1].total and steps[-1].report is not None
    assert steps[-1].report.added == 12_000


COLUMNS = list(rows()[0])


@st.composite
def ged_rows(draw: st.DrawFn) -> list[dict[str, str]]:
    table = []
    for n in range(draw(st.integers(1, 4))):
        row = dict(rows()[n % 3])
        row["id"] = str(draw(st.integers(1, 3)))
        for column in draw(st.lists(st.sampled_from(COLUMNS), max_size=3)):
            row[column] = draw(HOSTILE_CELL)
        table.append(row)
    return table


@settings(SETTINGS, max_examples=25)
@given(table=ged_rows(), skip=st.booleans(), delimiter=st.sampled_from(SEPARATORS))
def test_ucdp_door_with_hostile_cells(
    table: list[dict[str, str]],
    skip: bool,
    delimiter: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    folder = tmp_path_factory.mktemp("ged")
    template = folder / "template.brief"
    if not template.exists():
        create_project(template, "Template").close()
    path = write(folder / f"g{next(_names)}.csv", table, delimiter)
    project_path = fresh(template, folder)
    before = project_path.read_bytes()
    with open_project(project_path, "Fuzz analyst") as project:
        try:
            report = run_ucdp_import(project, path, skip_bad_rows=skip)
        except BriefingError as error:
            assert_one_sentence(str(error))
            for problem in getattr(error, "problems", ()):
                assert problem.line >= 2 and "\n" not in problem.reason
            refused = True
        else:
            refused = False
            assert all(row.line >= 2 for row in report.skipped)
            assert_usable(project, folder)
    if refused:
        assert project_path.read_bytes() == before


@pytest.mark.parametrize(
    "content",
    [b"", b"\xff\xfe\x00\x00garbage", b"id,date_start\n1,2021-11-16\n", b'"unclosed\n'],
)
def test_files_that_are_not_ged_get_one_sentence(
    content: bytes, demo_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "ged.csv"
    path.write_bytes(content)
    before = demo_path.read_bytes()
    with open_project(demo_path, "Ana") as project, pytest.raises(BriefingError) as refused:
        run_ucdp_import(project, path)
    assert_one_sentence(str(refused.value))
    assert demo_path.read_bytes() == before
