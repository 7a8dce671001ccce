from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from briefing.cli import main
from briefing.io import acled
from briefing.io.acled import AcledRowsError, import_acled, run_acled_import
from briefing.io.acled_csv import AcledError, parse_day
from briefing.model import codec
from briefing.services import claims, records
from briefing.store import Project, open_project

FIXTURE = Path(__file__).parents[1] / "fixtures" / "acled" / "events.csv"


def rows() -> list[dict[str, str]]:
    with FIXTURE.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def write(path: Path, table: list[dict[str, str]], columns: list[str] | None = None) -> Path:
    columns = columns or list(table[0])
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(table)
    return path


def imported(project: Project) -> dict[str, dict[str, Any]]:
    with project.engine.connect() as connection:
        return {e["external_id"]: e for e in codec.dump(connection, "entry") if e["external_id"]}


def names(project: Project) -> dict[str, str]:
    with project.engine.connect() as connection:
        return dict(connection.exec_driver_sql("SELECT uuid, name FROM party").all())


def test_events_become_entries(demo_project: Project) -> None:
    report = run_acled_import(demo_project, FIXTURE)
    assert (report.added, report.updated, report.unchanged) == (5, 0, 0)
    entries = imported(demo_project)
    clash = entries["ARM90001"]
    assert clash["title"] == "Armed clash in Sotk"
    assert (clash["start_utc"], clash["zone"], clash["precision"]) == (
        "2021-11-15T20:00:00Z",  # midnight in Yerevan
        "Asia/Yerevan",
        "day",
    )
    assert clash["place"] == "Sotk, Vardenis, Gegharkunik, Armenia"
    assert (clash["latitude"], clash["longitude"], acled_killed(clash)) == (40.2, 45.9, 3)
    assert clash["description"].startswith("Synthetic test event: an exchange of fire")
    party = names(demo_project)
    roles = {(party[p["party"]], p["role"]) for p in clash["parties"]}
    assert roles == {
        ("Military Forces of Armenia (2018-)", "initiator"),
        ("Military Forces of Azerbaijan (2003-)", "target"),
    }
    rally = entries["ARM90003"]
    assert {party[p["party"]] for p in rally["parties"] if p["role"] == "involved"} == {
        "Students (Armenia)",
        "Women (Armenia)",
    }
    assert entries["ARM90004"]["precision"] == "month"
    assert "civilian targeting" in entries["AZE90005"]["tags"]
    source = records.get_record(demo_project, "source", source_id(demo_project, clash))
    assert (source["title"], source["kind"]) == ("ACLED event data", "dataset")


def acled_killed(entry: dict[str, Any]) -> int | None:
    """The fatalities ACLED claims for an entry (its one claim by the party ACLED)."""
    (claim,) = [c for c in entry["claims"] if c["claimant"] == acled.CLAIMANT["uuid"]]
    assert (claim["category"], claim["source"]) == ("killed", acled.uuid_for("source", "ACLED"))
    return claim["best"]


def source_id(project: Project, entry: dict[str, Any]) -> int:
    with project.engine.connect() as connection:
        found = records.id_of(connection, "source", entry["sources"][0])
    assert found is not None
    return found


def test_both_date_styles_give_the_same_day(demo_project: Project) -> None:
    run_acled_import(demo_project, FIXTURE)
    entries = imported(demo_project)
    assert entries["AZE90002"]["start_utc"] == "2021-11-15T20:00:00Z"  # "16 November 2021", Baku
    assert "second line of the notes" in entries["AZE90002"]["description"]


@pytest.mark.parametrize(
    "text", ["2021-11-16", "16 November 2021", "16 Nov 2021", " 16-November-2021 "]
)
def test_date_styles(text: str) -> None:
    assert parse_day(text) == date(2021, 11, 16)


def test_reimporting_a_newer_export_updates_entries(demo_project: Project, tmp_path: Path):
    run_acled_import(demo_project, FIXTURE)
    clash = imported(demo_project)["ARM90001"]
    with demo_project.engine.connect() as connection:
        clash_id = records.id_of(connection, "entry", clash["uuid"])
    assert clash_id is not None
    records.update_record(demo_project, "entry", clash_id, {"status": "disputed"})
    table = rows()
    table[0].update(fatalities="4", notes="Revised.", timestamp="1637300000")
    table[2].update(notes="Same timestamp, so not newer.")
    report = run_acled_import(demo_project, write(tmp_path / "newer.csv", table))
    assert (report.added, report.updated, report.unchanged) == (0, 1, 4)
    entries = imported(demo_project)
    assert len(entries) == 5
    assert (acled_killed(entries["ARM90001"]), entries["ARM90001"]["status"]) == (4, "disputed")
    assert entries["ARM90001"]["description"].startswith("Revised.")
    assert entries["ARM90001"]["uuid"] == clash["uuid"]
    assert entries["ARM90003"]["description"].startswith("Synthetic test event")


def test_an_entry_deleted_here_stays_deleted(demo_project: Project, tmp_path: Path) -> None:
    run_acled_import(demo_project, FIXTURE)
    rally = imported(demo_project)["ARM90003"]
    with demo_project.engine.connect() as connection:
        rally_id = records.id_of(connection, "entry", rally["uuid"])
    assert rally_id is not None
    records.delete_records(demo_project, "entry", [rally_id])
    stamps = {k: e["updated_at"] for k, e in imported(demo_project).items()}
    table = [{**row, "timestamp": "1700000000"} for row in rows()]
    table[0]["fatalities"] = "4"
    report = run_acled_import(demo_project, write(tmp_path / "newer.csv", table))
    # A newer ACLED timestamp with the same content here is unchanged, and keeps its stamp.
    assert (report.added, report.updated, report.unchanged, report.deleted_here) == (0, 1, 3, 1)
    assert "ARM90003" not in imported(demo_project)
    after = {k: e["updated_at"] for k, e in imported(demo_project).items()}
    assert [k for k in after if after[k] != stamps[k]] == ["ARM90001"]


def test_bad_rows_are_reported_by_line_and_nothing_is_imported(
    demo_project: Project, tmp_path: Path
) -> None:
    table = rows()
    table[0]["event_date"] = "31 Febtember 2021"
    table[2]["latitude"] = "140.5"
    table[3]["fatalities"] = "-2"
    table[4]["event_id_cnty"] = ""
    path = write(tmp_path / "bad.csv", table)
    with pytest.raises(AcledRowsError) as raised:
        run_acled_import(demo_project, path)
    problems = [str(p) for p in raised.value.problems]
    assert problems == [
        "line 2: event_date '31 Febtember 2021' is not a date like 2021-11-16 or 16 November 2021",
        "line 5: latitude 140.5 is outside ±90",  # the row before spans lines 3 and 4
        "line 6: fatalities -2 is negative",
        "line 7: event_id_cnty is empty",
    ]
    assert "nothing was imported" in str(raised.value)
    assert imported(demo_project) == {}


def test_skip_bad_rows_imports_the_rest(demo_project: Project, tmp_path: Path) -> None:
    table = rows()
    table[1]["timestamp"] = "soon"
    report = run_acled_import(demo_project, write(tmp_path / "bad.csv", table), True)
    assert [str(r) for r in report.skipped] == ["line 3: timestamp 'soon' is not a number"]
    assert sorted(imported(demo_project)) == ["ARM90001", "ARM90003", "ARM90004", "AZE90005"]


def test_missing_required_column_is_named(demo_project: Project, tmp_path: Path) -> None:
    columns = [c for c in rows()[0] if c != "event_date"]
    with pytest.raises(AcledError, match="lacks the column event_date, which"):
        run_acled_import(demo_project, write(tmp_path / "short.csv", rows(), columns))


def test_optional_columns_may_be_missing(demo_project: Project, tmp_path: Path) -> None:
    columns = ["event_id_cnty", "event_date", "event_type", "country", "notes"]
    report = run_acled_import(demo_project, write(tmp_path / "few.csv", rows(), columns))
    assert report.added == 5
    entry = imported(demo_project)["ARM90004"]
    assert (entry["title"], entry["zone"], entry["precision"]) == (
        "Strategic developments",
        "Asia/Yerevan",
        "day",
    )
    assert entry["parties"] == [] and entry["latitude"] is None


def test_extra_columns_are_ignored(demo_project: Project, tmp_path: Path) -> None:
    table = [{**row, "analyst_comment": "not ACLED"} for row in rows()]
    assert run_acled_import(demo_project, write(tmp_path / "extra.csv", table)).added == 5


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "is empty"), (b"\xff\xfe\x00bad", "not UTF-8")],
)
def test_unreadable_files(demo_project: Project, tmp_path: Path, content: bytes, message: str):
    path = tmp_path / "odd.csv"
    path.write_bytes(content)
    with pytest.raises(AcledError, match=message):
        run_acled_import(demo_project, path)


def test_progress_rises_to_the_total(demo_project: Project, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(acled, "BATCH", 2)
    steps = list(import_acled(demo_project, FIXTURE))
    done = [s.done for s in steps]
    assert len(steps) == 4 and done == sorted(done) and done[-1] == steps[-1].total
    assert steps[-1].report is not None and steps[-1].report.added == 5


def test_stopping_early_imports_nothing(
    demo_project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(acled, "BATCH", 2)
    stepper = import_acled(demo_project, FIXTURE)
    first = next(stepper)
    assert first.stage == "Writing entries"  # two of five entries are written by now
    stepper.close()
    assert imported(demo_project) == {}


def test_cli_import_csv(demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["import", str(demo_path), str(FIXTURE)]) == 0
    assert "5 timeline entries added" in capsys.readouterr().out
    table = rows()
    table[3]["longitude"] = "east"
    bad = write(tmp_path / "bad.csv", table)
    assert main(["import", str(demo_path), str(bad)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "problem: line 6: longitude 'east' is not a number"
    assert err[-1].startswith("error: Nothing was imported from bad.csv because of the bad row")
    assert main(["import", str(demo_path), str(bad), "--skip-bad-rows"]) == 0
    assert "skipped: line 6" in capsys.readouterr().err


def test_two_analysts_importing_one_export_merge_without_duplicates(
    demo_template: Path, tmp_path: Path
) -> None:
    from briefing.services.merge import merge_project

    paths = [tmp_path / "ana.brief", tmp_path / "bob.brief"]
    for path in paths:
        shutil.copyfile(demo_template, path)
        with open_project(path, path.stem) as project:
            run_acled_import(project, FIXTURE)
    with open_project(paths[0], "ana") as project:
        report = merge_project(project, paths[1])
        assert (report.added, report.conflicting) == (0, 0)
        assert len(imported(project)) == 5


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("event_date", "0001-01-01", "event_date 0001-01-01 is outside the dates"),
        ("event_date", "9999-12-31", "event_date 9999-12-31 is outside the dates"),
        ("event_date", "1800-01-01", "event_date 1800-01-01 is outside the dates"),  # UTC+4
        ("event_date", "2021-13-01", "is not a date like"),
        ("fatalities", "99999999999999999999999", "fatalities 99999999999999999999999 must be"),
        ("fatalities", "1e300", "fatalities 1e300 must be from 0 to"),
        ("fatalities", "inf", "is not a whole number"),
        ("fatalities", "nan", "is not a whole number"),
        ("timestamp", "1e300", "timestamp"),
        ("timestamp", "-5", "is not a time the program can show"),
        ("latitude", "1e300", "is outside ±90"),
        ("latitude", "nan", "is outside ±90"),
        ("longitude", "", "latitude is given without the other coordinate"),
        ("notes", "x" * 100_001, "notes holds 100,042 characters, more than the 100,000"),
        ("actor1", "y" * 1001, "actor ‘y"),
        ("event_id_cnty", "z" * 1001, "event_id_cnty holds 1,001 characters"),
    ],
)
def test_values_at_the_edges_are_bad_rows_by_line(
    demo_project: Project, tmp_path: Path, column: str, value: str, reason: str
) -> None:
    """Before, these ended in tracebacks (OverflowError, SQLite integer overflow) or were stored."""
    table = rows()
    table[0][column] = value
    path = write(tmp_path / "edge.csv", table)
    with pytest.raises(AcledRowsError) as raised:
        run_acled_import(demo_project, path)
    problems = [str(p) for p in raised.value.problems]
    assert len(problems) == 1 and problems[0].startswith("line 2: ") and reason in problems[0]
    assert len(str(raised.value)) < 600 and "\n" not in str(raised.value)
    assert imported(demo_project) == {}
    report = run_acled_import(demo_project, path, skip_bad_rows=True)
    assert [r.line for r in report.skipped] == [2] and len(imported(demo_project)) == 4


def test_fatalities_are_a_claim_by_acled_and_the_analysts_claims_stay(
    demo_project: Project, tmp_path: Path
) -> None:
    run_acled_import(demo_project, FIXTURE)
    entries = imported(demo_project)
    assert acled_killed(entries["ARM90001"]) == 3
    (claim,) = entries["ARM90001"]["claims"]
    assert (claim["side"], claim["claimant"]) == ("all sides", acled.CLAIMANT["uuid"])
    assert names(demo_project)[acled.CLAIMANT["uuid"]] == "ACLED"
    with demo_project.engine.connect() as connection:
        clash_id = records.id_of(connection, "entry", entries["ARM90001"]["uuid"])
    assert clash_id is not None
    own = {"side": "unknown", "category": "wounded", "words": "several wounded", "claimant": None}
    claims.add_claim(demo_project, clash_id, own)
    table = [{**row, "timestamp": "1700000000"} for row in rows()]
    table[0]["fatalities"] = "7"
    table[0]["civilian_targeting"] = "Civilian targeting"
    run_acled_import(demo_project, write(tmp_path / "newer.csv", table))
    clash = imported(demo_project)["ARM90001"]
    assert acled_killed(clash) == 7
    assert [c["side"] for c in clash["claims"]] == ["civilians", "unknown"]
    assert clash["claims"][1]["words"] == "several wounded"


def test_an_event_without_fatalities_has_no_acled_claim(
    demo_project: Project, tmp_path: Path
) -> None:
    table = rows()
    for row in table:
        row["fatalities"] = ""
    run_acled_import(demo_project, write(tmp_path / "none.csv", table))
    assert all(e["claims"] == [] for e in imported(demo_project).values())
    assert acled.CLAIMANT["uuid"] not in names(demo_project)


@pytest.mark.parametrize(
    ("inter", "kind"),
    [("1", "armed force"), ("2", "non-state armed group"), ("Political militia", "militia"),
     ("State forces", "armed force"), ("Rebel group", "non-state armed group"),
     ("Protesters", "organisation")],
)  # fmt: skip
def test_inter_codes_and_names_give_party_kinds(
    demo_project: Project, tmp_path: Path, inter: str, kind: str
) -> None:
    table = rows()[:1]
    table[0].update(actor1="Someone new", inter1=inter)
    run_acled_import(demo_project, write(tmp_path / "inter.csv", table))
    with demo_project.engine.connect() as connection:
        found = connection.exec_driver_sql(
            "SELECT kind FROM party WHERE name = 'Someone new'"
        ).scalar_one()
    assert found == kind
