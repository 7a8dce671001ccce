"""What the commands say, run as a user runs them: exact lines, exit status, files untouched."""

from __future__ import annotations

import csv
import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_files import execute
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing import cli
from briefing.errors import file_problem, not_a_file
from briefing.io import acled_csv, ucdp_csv
from briefing.io.csv_rows import DataSetError

FIXTURES = Path(__file__).parent.parent / "fixtures"
ACLED = FIXTURES / "acled" / "events.csv"
UCDP = FIXTURES / "ucdp" / "ged.csv"


def briefing(folder: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BRIEFING_ANALYST": "Process analyst"}
    return subprocess.run(
        [sys.executable, "-m", "briefing", *map(str, args)],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def table(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def refused(result: subprocess.CompletedProcess[str], project: Path, before: bytes) -> list[str]:
    """The refusal's stderr lines, once it is known nothing was printed or changed."""
    assert (result.returncode, result.stdout) == (1, "")
    assert project.read_bytes() == before
    return result.stderr.splitlines()


# ---------------------------------------------------------------------------- bad rows


def test_bad_acled_rows_are_each_named_once_then_one_sentence(
    demo_path: Path, tmp_path: Path
) -> None:
    rows = table(ACLED)
    rows[1]["longitude"] = "east"
    rows[3]["event_date"] = "31 Smarch 2021"
    bad = write(tmp_path / "bad.csv", rows)
    before = demo_path.read_bytes()
    assert refused(briefing(tmp_path, "import", demo_path, bad), demo_path, before) == [
        "problem: line 3: longitude 'east' is not a number",
        "problem: line 6: event_date '31 Smarch 2021' is not a date like 2021-11-16 "
        "or 16 November 2021",
        "error: Nothing was imported from bad.csv because of the 2 bad rows above; correct "
        "them, or run the import again with --skip-bad-rows to import the other rows.",
    ]


def test_one_bad_row_is_it(demo_path: Path, tmp_path: Path) -> None:
    rows = table(ACLED)
    rows[0]["fatalities"] = "-3"
    bad = write(tmp_path / "one.csv", rows)
    before = demo_path.read_bytes()
    assert refused(briefing(tmp_path, "import", demo_path, bad), demo_path, before) == [
        "problem: line 2: fatalities -3 is negative",
        "error: Nothing was imported from one.csv because of the bad row above; correct it, "
        "or run the import again with --skip-bad-rows to import the other rows.",
    ]


def test_more_bad_ged_rows_than_are_listed_are_counted(demo_path: Path, tmp_path: Path) -> None:
    first = table(UCDP)[0]
    rows = [{**first, "id": str(900 + n), "relid": f"X-{n}", "best": "many"} for n in range(5)]
    bad = write(tmp_path / "ged bad.csv", rows)
    before = demo_path.read_bytes()
    err = refused(briefing(tmp_path, "import", demo_path, bad), demo_path, before)
    assert err == [
        "problem: line 2: best 'many' is not a number",
        "problem: line 3: best 'many' is not a number",
        "problem: line 4: best 'many' is not a number",
        "error: Nothing was imported from ged bad.csv because of its 5 bad rows (the first 3 "
        "above); correct them, or run the import again with --skip-bad-rows to import the "
        "other rows.",
    ]


# ---------------------------------------------------------------------------- imported again


def test_a_document_imported_again_says_its_records_are_unchanged(
    demo_path: Path, tmp_path: Path
) -> None:
    assert briefing(tmp_path, "export", demo_path, "-o", "x.json").returncode == 0
    assert briefing(tmp_path, "new", "y.brief").returncode == 0
    first = briefing(tmp_path, "import", "y.brief", "x.json")
    again = briefing(tmp_path, "import", "y.brief", "x.json")
    kinds = "11 parties, 6 sources, 5 timeline entries, 6 statements, 6 relationships, 1 briefing"
    assert (first.returncode, first.stderr) == (0, "")
    assert first.stdout.splitlines() == [
        "Imported x.json: 35 records added, 0 updated, 0 unchanged.",
        f"  added: {kinds}",
    ]
    assert (again.returncode, again.stderr) == (0, "")
    assert again.stdout.splitlines() == [
        "Imported x.json: 0 records added, 0 updated, 35 unchanged.",
        f"  unchanged: {kinds}",
    ]
    acled = briefing(tmp_path, "import", "y.brief", ACLED)
    acled_again = briefing(tmp_path, "import", "y.brief", ACLED)
    assert acled.stdout.startswith("Imported events.csv: 5 timeline entries added, 0 updated")
    assert acled_again.stdout == (
        "Imported events.csv: 0 timeline entries added, 0 updated, 5 unchanged; 0 parties added.\n"
    )


# ---------------------------------------------------------------------------- cut headers


def cut(source: Path, size: int, folder: Path) -> Path:
    path = folder / f"cut {source.name}"
    path.write_bytes(source.read_bytes()[:size])
    return path


def test_an_acled_file_cut_within_its_header_is_refused_naming_what_it_lacks(
    demo_path: Path, tmp_path: Path
) -> None:
    path = cut(ACLED, 60, tmp_path)  # ...,time_precision,disorder_type,e
    before = demo_path.read_bytes()
    assert refused(briefing(tmp_path, "import", demo_path, path), demo_path, before) == [
        "error: cut events.csv ends within its header, at 'e', so it lacks the columns "
        "event_type, sub_event_type, actor1, assoc_actor_1, inter1, actor2 and 15 more that an "
        "ACLED import reads; nothing was imported."
    ]


def test_a_ged_file_cut_within_its_header_is_refused_as_ged(
    demo_path: Path, tmp_path: Path
) -> None:
    path = cut(UCDP, 60, tmp_path)  # id,relid,...,type_of_violence,confl
    before = demo_path.read_bytes()
    assert refused(briefing(tmp_path, "import", demo_path, path), demo_path, before) == [
        "error: cut ged.csv ends within its header, at 'confl', so it lacks the columns "
        "conflict_name, dyad_name, side_a, side_b, where_prec, where_coordinates and 12 more "
        "that a UCDP GED import reads; nothing was imported."
    ]


@pytest.mark.parametrize(("source", "reader"), [(ACLED, "acled"), (UCDP, "ucdp")])
def test_every_cut_within_the_first_line_is_refused(
    tmp_path: Path, source: Path, reader: str
) -> None:
    header = source.read_text(encoding="utf-8").splitlines()[0]
    for size in range(1, len(header) + 1):
        text = header[:size]
        path = tmp_path / "cut.csv"
        path.write_text(text, encoding="utf-8")
        assert ucdp_csv.is_ged_file(path) == (reader == "ucdp" and size >= 2)  # from "id"
        with pytest.raises(DataSetError, match=r"^cut\.csv ends within its header, at '"):
            if ucdp_csv.is_ged_file(path):
                list(ucdp_csv.read_rows(iter([text]), "cut.csv"))
            else:
                list(acled_csv.read_rows(text, "cut.csv"))


def test_a_whole_header_with_no_rows_is_read_as_no_rows() -> None:
    header = ACLED.read_text(encoding="utf-8").splitlines()[0]
    assert list(acled_csv.read_rows(header + "\n", "empty.csv")) == []


# ---------------------------------------------------------------------------- missing files

MISSING = [
    ("import", "{demo}", "gone.json"),
    ("import", "{demo}", "gone.csv"),
    ("import", "{demo}", "gone.stix.json"),
    ("info", "gone.brief"),
    ("check", "gone.brief"),
    ("search", "gone.brief", "Jermuk"),
    ("merge", "{demo}", "gone.brief"),
    ("share", "gone.brief", "-o", "out.brief"),
    ("edition", "gone.brief"),
    ("copy", "gone.brief", "out.brief"),
    ("upgrade", "gone.brief"),
    ("export", "gone.brief", "-o", "out.pdf"),
    ("export", "{demo}", "-o", "out.docx", "--template", "gone.docx"),
    ("map", "gone.brief", "-o", "out.png"),
]


@pytest.mark.parametrize("args", MISSING, ids=[" ".join(a) for a in MISSING])
def test_a_missing_file_is_worded_alike_by_every_command(
    demo_path: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    before = demo_path.read_bytes()
    result = briefing(tmp_path, *(a.format(demo=demo_path) for a in args))
    gone = next(a for a in args if a.startswith("gone"))
    assert refused(result, demo_path, before) == [f"error: {gone} does not exist."]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.brief"]


FOLDERS = [
    (("import", "{demo}", "folder.json"), "a file"),
    (("import", "{demo}", "folder.csv"), "a file"),
    (("info", "folder.brief"), "a project file"),
    (("merge", "{demo}", "folder.brief"), "a project file"),
    (("export", "{demo}", "-o", "out.docx", "--template", "folder.docx"), "a Word template"),
]


@pytest.mark.parametrize(("args", "what"), FOLDERS, ids=[" ".join(a) for a, _ in FOLDERS])
def test_a_folder_given_for_a_file_is_worded_alike(
    demo_path: Path, tmp_path: Path, args: tuple[str, ...], what: str
) -> None:
    folder = next(a for a in args if a.startswith("folder"))
    (tmp_path / folder).mkdir()
    before = demo_path.read_bytes()
    result = briefing(tmp_path, *(a.format(demo=demo_path) for a in args))
    assert refused(result, demo_path, before) == [f"error: {folder} is a folder, not {what}."]


def test_a_file_that_cannot_be_read_says_why_in_the_same_wording() -> None:
    denied = PermissionError(errno.EACCES, "Permission denied", "/x/locked.csv")
    assert file_problem("locked.csv", denied) == "locked.csv cannot be read (Permission denied)."
    assert file_problem("a.json", FileNotFoundError(errno.ENOENT, "")) == "a.json does not exist."
    assert not_a_file("b", is_folder=True, what="a project file") == (
        "b is a folder, not a project file."
    )


# ---------------------------------------------------------------------------- search columns


def on_a_terminal(folder: Path, *args: str | Path) -> tuple[int, str]:
    """Run with stdout on a pseudo-terminal, as a person at a terminal sees it."""
    import pty

    leader, follower = pty.openpty()
    env = {**os.environ, "BRIEFING_ANALYST": "Process analyst"}
    process = subprocess.Popen(
        [sys.executable, "-m", "briefing", *map(str, args)],
        cwd=folder,
        env=env,
        stdout=follower,
        stderr=subprocess.DEVNULL,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the follower side closed: everything is read
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return process.wait(timeout=120), b"".join(chunks).decode().replace("\r\n", "\n")


def test_search_on_a_terminal_has_a_header_line(demo_path: Path, tmp_path: Path) -> None:
    code, out = on_a_terminal(tmp_path, "search", demo_path, "ministry")
    assert code == 0
    assert out.splitlines()[:3] == [
        "Kind              Id  Title",
        "statement          2  Ministry of Defence of Armenia",
        "party              3  Ministry of Defence of Armenia",
    ]


def test_search_piped_is_one_tab_separated_line_per_hit(demo_path: Path, tmp_path: Path) -> None:
    result = briefing(tmp_path, "search", demo_path, "ministry")
    lines = result.stdout.splitlines()
    assert (result.returncode, result.stderr) == (0, "")
    assert lines[:2] == [
        "statement\t2\tMinistry of Defence of Armenia",
        "party\t3\tMinistry of Defence of Armenia",
    ]
    assert all(len(line.split("\t")) == 3 for line in lines)
    none = briefing(tmp_path, "search", demo_path, "zzzqqq")
    assert (none.returncode, none.stdout, none.stderr) == (0, "", "No matches.\n")


HOSTILE = st.lists(
    st.sampled_from([*"abc_,\"'<&;\t ", "Հայ", "عرب", "中文", "🙂", "\ud800", "1e999", "NaN"]),
    max_size=30,
).map("".join)


@settings(max_examples=60, deadline=None)
@given(tail=HOSTILE, reader=st.sampled_from(["acled", "ucdp"]))
def test_a_hostile_first_line_without_a_break_is_refused_in_one_sentence(
    tail: str, reader: str
) -> None:
    text = ("event_id_cnty,event_date," if reader == "acled" else "id,relid,") + tail
    with pytest.raises(DataSetError) as refusal:
        if reader == "acled":
            list(acled_csv.read_rows(text, "cut.csv"))
        else:
            list(ucdp_csv.read_rows(iter([text]), "cut.csv"))
    message = str(refusal.value)
    assert message.startswith("cut.csv ends within its header, at '") and "\n" not in message
    assert message.endswith("nothing was imported.")


def test_a_stix_bundle_imported_again_is_worded_as_a_document_is(
    demo_path: Path, tmp_path: Path
) -> None:
    bundle = FIXTURES / "stix" / "opencti_report.json"
    first = briefing(tmp_path, "import", demo_path, bundle)
    again = briefing(tmp_path, "import", demo_path, bundle)
    assert first.returncode == 0 and again.returncode == 0
    added = first.stdout.splitlines()[0]
    assert added.startswith("Imported opencti_report.json: ") and " 0 unchanged." in added
    total = int(added.split(": ")[1].split(" ")[0])
    assert again.stdout.splitlines()[0] == (
        f"Imported opencti_report.json: 0 records added, 0 updated, {total} unchanged."
    )


def test_a_missing_file_no_door_caught_is_worded_as_the_doors_word_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from briefing import cli, cli_files

    def gone(args: object) -> int:
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", "/far/away/x.brief")

    monkeypatch.setattr(cli_files, "cmd_info", gone)
    assert cli.main(["info", "x.brief"]) == 1
    assert capsys.readouterr().err == "error: x.brief does not exist.\n"


ESCAPES = [
    "UPDATE project_setting SET value = 'T' || char(27) || ']0;retitled' || char(7) "
    "WHERE key = 'title'",
    "UPDATE briefing SET title = 'B' || char(27) || '[2J' || char(155) || '31m' WHERE id = 1",
    "UPDATE party SET name = 'A' || char(27) || ']52;c;cHduZWQ=' || char(7) WHERE id = 1",
]


@pytest.mark.parametrize(
    "args",
    [["info"], ["edition"], ["edition", "--freeze"], ["export", "--briefing", "no such"]],
    ids=lambda a: " ".join(a),
)
def test_text_from_the_file_reaches_the_terminal_without_control_characters(
    demo_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    """A colleague's file may hold escape sequences a terminal obeys; the commands show none."""
    execute(demo_path, *ESCAPES)
    command, *options = args
    if command == "export":
        options = ["-o", str(demo_path.with_suffix(".pdf")), *options]
    cli.main([command, str(demo_path), *options])
    out, err = capsys.readouterr()
    shown = out + err
    assert shown.strip() and not any(c in shown for c in ("\x1b", "\x07", "\x9b"))
