from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from briefing import __version__
from briefing.cli import main, resolve_briefing, tlp_label
from briefing.errors import BriefingError
from briefing.store import open_project
from briefing.store.lock import lock_path


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def run_process(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BRIEFING_ANALYST": "Process analyst"}
    return subprocess.run(
        [sys.executable, "-m", "briefing", *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_reader_that_stops_early_gets_no_error(demo_path: Path, tmp_path: Path) -> None:
    """``briefing search … | head -1``: the closed pipe is the reader's choice, not a failure."""
    process = subprocess.Popen(
        [sys.executable, "-m", "briefing", "search", str(demo_path), "Armenia"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # gone before the first line is written
    err = process.stderr.read().decode()
    process.wait(timeout=120)
    assert err == ""


COUNT_LINES = ("Parties:", "Sources:", "Timeline entries:", "Statements:", "Relationships:")


def counts(info_output: str) -> list[str]:
    return [line for line in info_output.splitlines() if line.startswith(COUNT_LINES)]


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> dict[str, subprocess.CompletedProcess[str]]:
    """The issue's chain, run as separate processes: demo, check, export, new, import, info ×2."""
    folder = tmp_path_factory.mktemp("chain")
    steps = {
        "demo": ("demo", "x.brief"),
        "check": ("check", "x.brief"),
        "export": ("export", "x.brief", "-o", "x.json"),
        "new": ("new", "y.brief"),
        "import": ("import", "y.brief", "x.json"),
        "info x": ("info", "x.brief"),
        "info y": ("info", "y.brief"),
    }
    return {name: run_process(folder, *args) for name, args in steps.items()}


def test_the_chain_of_commands_succeeds(chain: dict[str, subprocess.CompletedProcess[str]]) -> None:
    for name, result in chain.items():
        assert (name, result.returncode, result.stderr) == (name, 0, "")


def test_info_prints_the_same_counts_for_both_files(
    chain: dict[str, subprocess.CompletedProcess[str]],
) -> None:
    original, imported = chain["info x"].stdout, chain["info y"].stdout
    assert counts(original) == counts(imported)
    assert "Timeline entries: 5" in counts(original)
    assert original.splitlines()[-1] == imported.splitlines()[-1]  # the briefing line


def test_import_reports_what_it_added(chain: dict[str, subprocess.CompletedProcess[str]]) -> None:
    lines = chain["import"].stdout.splitlines()
    assert lines[0] == "Imported x.json: 35 records added, 0 updated, 0 unchanged."
    assert lines[1].startswith("  added: 11 parties, 6 sources, 5 timeline entries")
    assert lines[1].endswith("1 briefing")


@pytest.mark.parametrize(
    "args",
    [
        ("info", "missing.brief"),
        ("import", "x.brief", "bad.json"),
        ("export", "x.brief", "-o", "nowhere/x.json"),
        ("check", "bad.json"),
    ],
)
def test_bad_input_gives_one_error_line_and_status_1(
    tmp_path: Path, demo_path: Path, args: tuple[str, ...]
) -> None:
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    shutil.copyfile(demo_path, tmp_path / "x.brief")
    result = run_process(tmp_path, *args)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(("error: ", "problem: "))


@pytest.mark.parametrize(
    "args",
    [
        ("export", "x.brief"),
        ("import", "x.brief"),
        ("export", "x.brief", "-o", "x.pdf", "--tlp", "pink"),
    ],
)
def test_wrong_usage_gives_status_2(tmp_path: Path, args: tuple[str, ...]) -> None:
    result = run_process(tmp_path, *args)
    assert result.returncode == 2
    assert "usage: briefing" in result.stderr and "Traceback" not in result.stderr


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    for flag in ("--version", "--help"):
        with pytest.raises(SystemExit) as stopped:
            main([flag])
        assert stopped.value.code == 0
    out = capsys.readouterr().out
    assert __version__ in out and "import" in out and "export" in out


# ---------------------------------------------------------------------------- in process


@pytest.fixture
def demo_copy(demo_path: Path) -> Path:
    return demo_path


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("export", "{demo}", "-o", "{tmp}/x.txt"),
            "export writes .json, .stix.json, .misp.json, .pdf or .docx",
        ),
        (("import", "{demo}", "{tmp}/x.txt"), "import reads .json or .csv"),
        (("export", "{demo}", "-o", "{tmp}/x.json", "--briefing", "1"), "apply to PDF export"),
        (("import", "{demo}", "{tmp}/none.json"), "none.json does not exist"),
        (("new", "{demo}"), "demo.brief already exists"),
        (("info", "{tmp}"), "is a folder"),
    ],
)
def test_errors_in_process(
    capsys: pytest.CaptureFixture[str],
    demo_copy: Path,
    tmp_path: Path,
    args: tuple[str, ...],
    message: str,
) -> None:
    filled = [a.format(demo=demo_copy, tmp=tmp_path) for a in args]
    code, out, err = run(capsys, *filled)
    assert code == 1 and out == ""
    assert err.startswith("error: ") and message in err


def test_export_then_import_again_updates(
    capsys: pytest.CaptureFixture[str], demo_copy: Path, tmp_path: Path
) -> None:
    document = tmp_path / "demo.json"
    assert run(capsys, "export", demo_copy, "-o", document)[0] == 0
    assert json.loads(document.read_text(encoding="utf-8"))["format"] == "conflict-briefing"
    code, out, _ = run(capsys, "import", demo_copy, document)
    assert code == 0 and "  unchanged: 11 parties" in out
    assert "0 records added, 0 updated, 35 unchanged" in out
    assert "  added:" not in out and "  updated:" not in out


def test_import_into_a_read_only_file_changes_nothing(
    capsys: pytest.CaptureFixture[str], demo_copy: Path, tmp_path: Path
) -> None:
    document = tmp_path / "demo.json"
    run(capsys, "export", demo_copy, "-o", document)
    before = demo_copy.read_bytes()
    demo_copy.chmod(0o444)
    try:
        code, _, err = run(capsys, "import", demo_copy, document)
    finally:
        demo_copy.chmod(0o644)
    assert code == 1 and "read-only" in err
    assert demo_copy.read_bytes() == before


def test_import_into_a_file_someone_else_has_open_is_refused(
    capsys: pytest.CaptureFixture[str], demo_copy: Path, tmp_path: Path
) -> None:
    document = tmp_path / "demo.json"
    run(capsys, "export", demo_copy, "-o", document)
    lock_path(demo_copy).write_text(
        '{"analyst": "Bob", "host": "elsewhere", "pid": 1, "since": "2021-11-16T07:00:00+00:00"}'
    )
    code, _, err = run(capsys, "import", demo_copy, document)
    assert code == 1 and "is open by Bob on elsewhere" in err


def test_a_file_from_a_newer_program_is_refused(
    capsys: pytest.CaptureFixture[str], demo_copy: Path, tmp_path: Path
) -> None:
    shutil.copyfile(demo_copy, tmp_path / "copy.brief")
    with (tmp_path / "copy.brief").open("r+b") as stream:
        stream.seek(60)
        stream.write((99).to_bytes(4, "big"))
    code, _, err = run(capsys, "import", tmp_path / "copy.brief", tmp_path / "x.json")
    assert code == 1 and "file format 99" in err


@pytest.mark.parametrize(
    ("typed", "label"),
    [
        ("amber+strict", "AMBER+STRICT"),
        ("TLP:RED", "RED"),
        (" green ", "GREEN"),
        ("CLEAR", "CLEAR"),
    ],
)
def test_tlp_labels_as_typed(typed: str, label: str) -> None:
    assert tlp_label(typed) == label


@pytest.mark.parametrize(
    "wanted", ["1", "968843f7-e309-5f33-9245-c7ad06a6b139", "armenia–azerbaijan border clashes"]
)
def test_a_briefing_is_found_by_id_uuid_or_title(demo_copy: Path, wanted: str) -> None:
    with open_project(demo_copy, "Ana", read_only=True) as project:
        assert resolve_briefing(project, wanted).id == 1


@pytest.mark.parametrize("wanted", ["2", "Another briefing"])
def test_an_unknown_briefing_is_named(demo_copy: Path, wanted: str) -> None:
    with open_project(demo_copy, "Ana", read_only=True) as project:
        with pytest.raises(BriefingError, match=f"no briefing with the id or title '{wanted}'"):
            resolve_briefing(project, wanted)


@pytest.mark.parametrize("content", [b"hello\n", b"", b"SQLite format 3\x00" + b"\x00" * 200])
def test_check_and_info_refuse_a_file_that_is_no_project_in_the_same_words(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "NOTAPROJECT"
    path.write_bytes(content)
    said = {command: run(capsys, command, path) for command in ("check", "info")}
    assert said["check"] == said["info"]
    code, out, err = said["check"]
    assert code == 1 and out == "" and len(err.splitlines()) == 1
    assert err.startswith("error: NOTAPROJECT is ") and "Conflict Briefing project." in err
    assert "SQLite" not in err
    assert path.read_bytes() == content


def test_check_lists_real_problems_of_a_project_one_a_line(
    capsys: pytest.CaptureFixture[str], demo_copy: Path
) -> None:
    import sqlite3

    with sqlite3.connect(demo_copy) as connection:
        connection.execute("PRAGMA ignore_check_constraints = ON")
        connection.execute("UPDATE timeline_entry SET credibility = 9 WHERE id = 1")
    code, _out, err = run(capsys, "check", demo_copy)
    assert code == 1 and err.startswith("problem: ") and "error:" not in err
