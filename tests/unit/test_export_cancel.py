"""Cancelling an export while its content is put together: it stops there and writes nothing."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from briefing.export.cancel import CancelFlag, ExportCancelled
from briefing.export.docx.writer import docx_steps
from briefing.export.pdf import pdf_steps
from briefing.services.briefing_snapshot import build_snapshot
from briefing.store import open_project


@pytest.fixture(scope="module")
def snapshot(demo_template: Path, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("cancel")
    shutil.copyfile(demo_template, folder / "demo.brief")
    with open_project(folder / "demo.brief", "Ana") as project:
        return build_snapshot(project, 1)


def _cancelled_after(calls: int) -> tuple[CancelFlag, Callable[[], None], list[int]]:
    """A flag set at the ``calls``-th check, as a window sets it while the rows are made."""
    flag, seen = CancelFlag(), []

    def check() -> None:
        seen.append(1)
        if len(seen) == calls:
            flag.cancel()
        flag.check()

    return flag, check, seen


@pytest.mark.parametrize("word", [False, True])
def test_a_set_flag_stops_the_export_inside_the_step_and_no_file_is_left(
    snapshot, tmp_path: Path, word: bool
) -> None:
    flag, check, seen = _cancelled_after(3)
    target = tmp_path / ("brief.docx" if word else "brief.pdf")
    steps = (
        docx_steps(snapshot, target, check=check)
        if word
        else pdf_steps(snapshot, target, check=check)
    )
    with pytest.raises(ExportCancelled):
        for _ in steps:
            pass
    assert len(seen) == 3 and flag.cancelled
    assert list(tmp_path.iterdir()) == []


def test_an_unset_flag_lets_the_export_finish(snapshot, tmp_path: Path) -> None:
    flag = CancelFlag()
    for _ in pdf_steps(snapshot, tmp_path / "brief.pdf", check=flag.check):
        pass
    assert (tmp_path / "brief.pdf").read_bytes().startswith(b"%PDF")
