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


def loaded_by(*argv: str) -> tuple[list[str], str]:
    """The heavy modules a run of ``briefing ARGV`` imported, and what it wrote to stderr."""
    run = subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
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
