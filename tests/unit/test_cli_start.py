"""The command answers --version, --help and wrong usage without loading the database stack."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import sys
from briefing.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
heavy = ("sqlalchemy", "PySide6", "alembic", "reportlab", "briefing.model", "briefing.store")
print("HEAVY:" + ",".join(sorted(m for m in sys.modules if m.startswith(heavy))))
"""


def loaded_by(*argv: str, data: Path | None = None) -> tuple[list[str], str]:
    """The heavy modules a run of ``briefing ARGV`` imported, and what it wrote to stderr."""
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    if data is not None:
        env["BRIEFING_DATA_DIR"] = str(data)
    run = subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    last = run.stdout.rsplit("HEAVY:", 1)[1].strip()
    return [m for m in last.split(",") if m], run.stderr


@pytest.mark.parametrize(
    "argv",
    [
        ("--version",),
        ("--help",),
        ("info", "--help"),
        ("share",),
        ("search", "x.brief"),
        ("--no-such-option",),
        ("export", "x.brief"),
    ],
)
def test_usage_answers_without_the_database_stack(argv: tuple[str, ...]) -> None:
    heavy, _ = loaded_by(*argv)
    assert heavy == []


def test_a_wrong_argument_is_still_explained(tmp_path: Path) -> None:
    _, stderr = loaded_by("share", "x.brief")
    assert "-o/--output" in stderr


def test_a_command_that_runs_loads_what_it_needs(demo_path: Path) -> None:
    heavy, _ = loaded_by("info", str(demo_path))
    assert "sqlalchemy" in heavy


def test_info_on_a_known_file_counts_without_the_orm(demo_path: Path, tmp_path: Path) -> None:
    first, _ = loaded_by("info", str(demo_path), data=tmp_path)
    assert "sqlalchemy.orm" in first  # a file new to this machine: its values meet the rules
    heavy, stderr = loaded_by("info", str(demo_path), data=tmp_path)
    assert stderr == ""
    assert "sqlalchemy.orm" not in heavy
    assert not [m for m in heavy if m.startswith(("briefing.model.library", "briefing.model.base"))]


def test_the_mapped_classes_load_together_at_first_use() -> None:
    probe = (
        "import sys\nfrom briefing.model import ProjectSetting\n"
        "print(sorted(m for m in sys.modules if m.startswith('briefing.model.')))"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        check=True,
    )
    for module in ("base", "claims", "document", "library"):
        assert f"'briefing.model.{module}'" in run.stdout


def test_a_driver_error_from_a_damaged_file_is_one_sentence(monkeypatch, capsys) -> None:
    import sqlite3

    from briefing import cli

    def damaged(args) -> int:
        raise sqlite3.OperationalError("invalid fts5 file format (found 0, expected 4)")

    parser = cli.build_parser()
    monkeypatch.setattr(cli, "build_parser", lambda: parser)
    parser.set_defaults(handler=damaged)
    for action in parser._subparsers._group_actions:
        for sub in action.choices.values():
            sub.set_defaults(handler=damaged)
    assert cli.main(["info", "x.brief"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: the project file could not be used: invalid fts5")
    assert "Traceback" not in err and err.count("\n") == 1
