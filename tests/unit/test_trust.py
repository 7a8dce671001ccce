"""Verification that costs once: a known, unchanged file skips the whole-file checks only."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from briefing.services.merge import merge_project
from briefing.services.records import update_record
from briefing.store import ProjectRefused, open_project
from briefing.store.trust import VerifiedFiles, data_folder, stamp_of


class Checks:
    """Counts the whole-file checks that ran (they report progress; the known path does not)."""

    def __init__(self) -> None:
        self.events: list[tuple[str, int, int]] = []

    def __call__(self, stage: str, done: int, total: int) -> None:
        self.events.append((stage, done, total))

    @property
    def whole(self) -> bool:
        return any(stage == "checking" for stage, _, _ in self.events)


def open_checked(path: Path, memory: VerifiedFiles, read_only: bool = False) -> bool:
    """Open and close ``path``; True when the whole-file checks ran."""
    checks = Checks()
    open_project(path, "Analyst", read_only=read_only, memory=memory, progress=checks).close()
    return checks.whole


@pytest.fixture
def memory(tmp_path: Path) -> VerifiedFiles:
    return VerifiedFiles(tmp_path / "memory" / "verified-files.json")


def settle() -> None:
    """Let the file system's clock move on, so a later write gets a later time."""
    time.sleep(0.02)


def test_a_known_unchanged_file_skips_the_whole_file_checks(
    demo_path: Path, memory: VerifiedFiles
) -> None:
    assert open_checked(demo_path, memory)
    assert not open_checked(demo_path, memory)
    assert not open_checked(demo_path, memory, read_only=True)


def test_without_a_memory_every_open_checks_the_whole_file(demo_path: Path) -> None:
    checks = Checks()
    open_project(demo_path, "Analyst", progress=checks).close()
    open_project(demo_path, "Analyst", progress=checks).close()
    assert [e for e in checks.events if e[0] == "checking" and e[1] == 0] == [
        ("checking", 0, 1000)
    ] * 2


def test_reading_ahead_reports_the_bytes_of_the_file(
    demo_path: Path, memory: VerifiedFiles
) -> None:
    checks = Checks()
    open_project(demo_path, "Analyst", memory=memory, progress=checks).close()
    reading = [e for e in checks.events if e[0] == "reading"]
    assert reading[-1] == ("reading", demo_path.stat().st_size, demo_path.stat().st_size)


@pytest.mark.parametrize("advice", [True, False])
def test_reading_ahead_covers_the_whole_file_with_or_without_advice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, advice: bool
) -> None:
    """Asked of the system where it takes advice, read through where it does not."""
    from briefing.store import trust

    path = tmp_path / "large.bin"
    path.write_bytes(os.urandom(3 * 1000 + 7))
    monkeypatch.setattr(trust, "READ_AHEAD_ADVICE", 1000)
    monkeypatch.setattr(trust, "READ_AHEAD_CHUNK", 1000)
    if not advice:
        monkeypatch.delattr(os, "posix_fadvise", raising=False)
    checks = Checks()
    trust.read_ahead(path, checks)
    done = [d for stage, d, total in checks.events if stage == "reading" and total == 3007]
    assert done == [1000, 2000, 3000, 3007]


def test_our_own_edits_refresh_the_memory(demo_path: Path, memory: VerifiedFiles) -> None:
    project = open_project(demo_path, "Analyst", memory=memory)
    update_record(project, "entry", 1, {"title": "Edited here"})
    project.close()
    assert memory.knows(demo_path, stamp_of(demo_path))
    assert not open_checked(demo_path, memory)


def test_a_file_changed_by_another_program_is_checked_again(
    demo_path: Path, memory: VerifiedFiles
) -> None:
    open_checked(demo_path, memory)
    settle()
    with sqlite3.connect(demo_path) as connection:
        connection.execute("UPDATE timeline_entry SET title = 'Changed outside' WHERE id = 1")
    connection.close()
    assert open_checked(demo_path, memory)


def test_a_commit_by_another_program_during_the_session_is_not_remembered(
    demo_path: Path, memory: VerifiedFiles
) -> None:
    open_checked(demo_path, memory)
    project = open_project(demo_path, "Analyst", memory=memory)
    with sqlite3.connect(demo_path) as connection:
        connection.execute("UPDATE timeline_entry SET title = 'Changed outside' WHERE id = 1")
    connection.close()
    project.close()
    assert open_checked(demo_path, memory)


def test_a_copy_is_a_new_file(demo_path: Path, memory: VerifiedFiles, tmp_path: Path) -> None:
    open_checked(demo_path, memory)
    copy = tmp_path / "copy.brief"
    shutil.copy2(demo_path, copy)
    assert open_checked(copy, memory)
    os.replace(copy, demo_path)  # the same name, the same times, another file
    assert open_checked(demo_path, memory)


def test_a_file_merged_elsewhere_is_checked_again(
    demo_path: Path, demo_template: Path, memory: VerifiedFiles, tmp_path: Path
) -> None:
    other = tmp_path / "colleague.brief"
    shutil.copyfile(demo_template, other)
    with open_project(other, "Colleague") as theirs:
        update_record(theirs, "entry", 1, {"title": "Their reading"})
    open_checked(demo_path, memory)
    settle()
    with open_project(demo_path, "Analyst on another machine") as ours:
        merge_project(ours, other)
    assert open_checked(demo_path, memory)


def test_bytes_patched_into_a_known_file_are_found(demo_path: Path, memory: VerifiedFiles) -> None:
    open_checked(demo_path, memory)
    settle()
    page_size = int.from_bytes(demo_path.read_bytes()[16:18], "big")
    with demo_path.open("r+b") as stream:
        stream.seek(page_size * 3 + 8)
        stream.write(b"\xff" * 64)
    with pytest.raises(ProjectRefused, match="damaged"):
        open_project(demo_path, "Analyst", memory=memory)


def test_a_hostile_file_is_refused_whatever_the_memory_says(
    demo_path: Path, memory: VerifiedFiles
) -> None:
    with sqlite3.connect(demo_path) as connection:
        connection.execute("CREATE VIEW planted AS SELECT 1")
    connection.close()
    memory.remember(demo_path, stamp_of(demo_path))  # a memory that vouches for it
    with pytest.raises(ProjectRefused, match="planted"):
        open_project(demo_path, "Analyst", memory=memory)


def test_a_header_not_ours_is_refused_whatever_the_memory_says(
    demo_path: Path, memory: VerifiedFiles
) -> None:
    data = bytearray(demo_path.read_bytes())
    data[68:72] = (0x12345678).to_bytes(4, "big")
    demo_path.write_bytes(bytes(data))
    memory.remember(demo_path, stamp_of(demo_path))
    with pytest.raises(ProjectRefused, match="another program"):
        open_project(demo_path, "Analyst", memory=memory)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x00\xff garbage",
        b'{"files": []}',
        b"[1, 2, 3]",
        b'{"files": {"x": 1}}',
        b"[" * 100_000,
        '{"files": {"\ud800": {}}}'.encode("utf-8", "surrogatepass"),
    ],
)
def test_a_corrupt_memory_is_ignored(
    demo_path: Path, memory: VerifiedFiles, content: bytes
) -> None:
    memory.path.parent.mkdir(parents=True, exist_ok=True)
    memory.path.write_bytes(content)
    assert open_checked(demo_path, memory)
    assert not open_checked(demo_path, memory)  # and rewritten whole at close


def test_a_memory_entry_for_another_state_vouches_for_nothing(
    demo_path: Path, memory: VerifiedFiles
) -> None:
    open_checked(demo_path, memory)
    entries = json.loads(memory.path.read_text())
    for entry in entries["files"].values():
        entry["counter"] += 1
    memory.path.write_text(json.dumps(entries))
    assert open_checked(demo_path, memory)


def test_a_memory_giving_a_key_twice_vouches_for_nothing(
    demo_path: Path, memory: VerifiedFiles
) -> None:
    open_checked(demo_path, memory)
    entries = json.loads(memory.path.read_text())["files"]
    memory.path.write_text(f'{{"files": {{}}, "files": {json.dumps(entries)}}}')
    assert open_checked(demo_path, memory)


def test_a_memory_that_is_a_link_is_ignored(
    demo_path: Path, memory: VerifiedFiles, tmp_path: Path
) -> None:
    open_checked(demo_path, memory)
    target = tmp_path / "elsewhere.json"
    memory.path.rename(target)
    memory.path.symlink_to(target)
    assert open_checked(demo_path, memory)


def test_the_memory_lives_in_the_data_folder(tmp_path: Path) -> None:
    assert VerifiedFiles.default().path.parent == data_folder()
    assert data_folder() == Path(os.environ["BRIEFING_DATA_DIR"])


def test_a_journal_beside_a_known_file_brings_the_whole_check_back(
    demo_path: Path, memory: VerifiedFiles
) -> None:
    from briefing.store.verify import verify_file

    open_checked(demo_path, memory)
    journal = demo_path.with_name(demo_path.name + "-journal")
    journal.write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + bytes(504))
    checks = Checks()
    try:
        verify_file(demo_path, memory=memory, progress=checks)
    except ProjectRefused:
        pass  # SQLite may not read it without rolling the journal back: refused, not trusted
    assert any(stage == "reading" for stage, _, _ in checks.events)
