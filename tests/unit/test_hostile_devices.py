"""A device or a folder given as the file to import is refused unread.

Reading a link to ``/dev/zero`` named ``events.csv`` never ends and fills memory,
and a pipe with no writer blocks forever; every door asks first whether it holds a
regular file. The cases here stay harmless if that check were lost (``/dev/null``
and a folder); a pipe or ``/dev/zero`` would hang or exhaust the machine instead.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from briefing.cli import main


def make(kind: str, path: Path) -> None:
    if kind == "device":
        path.symlink_to("/dev/null")
    else:
        path.mkdir()


@pytest.mark.parametrize("suffix", [".json", ".csv"])
@pytest.mark.parametrize("kind", ["device", "folder"])
def test_what_is_not_a_regular_file_is_refused_unread(
    demo_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    kind: str,
    suffix: str,
) -> None:
    source = tmp_path / f"incoming{suffix}"
    make(kind, source)
    before = hashlib.sha256(demo_path.read_bytes()).digest()

    code = main(["import", str(demo_path), str(source)])

    err = capsys.readouterr().err
    assert code == 1
    said = (
        "is a folder, not a file."
        if kind == "folder"
        else ("is not a regular file; nothing was imported from it.")
    )
    assert err == f"error: incoming{suffix} {said}\n"
    assert hashlib.sha256(demo_path.read_bytes()).digest() == before
