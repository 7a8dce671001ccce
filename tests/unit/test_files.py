import errno
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing import files
from briefing.files import FileWriteError


def test_writes_whole_file_and_leaves_no_private_folder(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    files.write_text(target, ["{", '"a": 1', "}"])
    assert target.read_text() == '{"a": 1}'
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_a_link_at_the_target_is_replaced_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    target = tmp_path / "out.pdf"
    target.symlink_to(victim)
    files.write_bytes(target, b"new")
    assert victim.read_text() == "precious"
    assert not target.is_symlink() and target.read_bytes() == b"new"


@pytest.mark.parametrize("planted", ["out.pdf.part", ".out.pdf.part", "out.pdf.lock.tmp"])
def test_planted_links_beside_the_target_are_never_followed(tmp_path: Path, planted: str) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (tmp_path / planted).symlink_to(victim)
    files.write_bytes(tmp_path / "out.pdf", b"new")
    assert victim.read_text() == "precious"


def test_failure_inside_the_block_leaves_the_target_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / "brief.pdf"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), files.output_stream(target) as stream:
        stream.write(b"half")
        raise RuntimeError("killed")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["brief.pdf"]


def test_full_disk_is_one_sentence_and_target_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "brief.pdf"
    target.write_bytes(b"old")

    def full(*_: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "replace", full)
    with pytest.raises(FileWriteError, match=r"^Cannot write brief.pdf: the disk is full\.$"):
        files.write_bytes(target, b"new")
    assert target.read_bytes() == b"old"


def test_missing_folder_is_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(FileWriteError, match="the folder does not exist"):
        files.write_bytes(tmp_path / "nowhere" / "x.pdf", b"x")


def test_overwrite_refused_when_asked(tmp_path: Path) -> None:
    target = tmp_path / "copy.brief"
    target.write_bytes(b"theirs")
    with pytest.raises(FileWriteError, match="already exists"):
        files.write_bytes(target, b"ours", overwrite=False)
    assert target.read_bytes() == b"theirs"


def test_leftovers_of_a_dead_process_are_removed(tmp_path: Path) -> None:
    dead = tmp_path / ".share.brief.999999999.abcd.partial"
    dead.mkdir()
    (dead / "share.brief").write_bytes(b"unredacted")
    alive = tmp_path / f".share.brief.{os.getpid()}.efgh.partial"
    alive.mkdir()
    files.write_bytes(tmp_path / "share.brief", b"redacted")
    assert not dead.exists()
    assert alive.exists()


def test_lone_surrogate_is_refused_in_one_sentence(tmp_path: Path) -> None:
    target = tmp_path / "x.json"
    with pytest.raises(FileWriteError, match="not valid Unicode"):
        files.write_text(target, "a\ud800b")
    assert not target.exists()


@settings(max_examples=50, deadline=None)
@given(
    data=st.binary(max_size=4096),
    name=st.text(
        alphabet=st.characters(blacklist_categories=["Cs", "Cc"], blacklist_characters="/\\"),
        min_size=1,
        max_size=40,
    ).filter(lambda n: n not in {".", ".."}),
)
def test_any_bytes_any_name_round_trip(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, name: str
) -> None:
    folder = tmp_path_factory.mktemp("w")
    target = folder / name
    try:
        files.write_bytes(target, data)
    except FileWriteError as error:
        assert "\n" not in str(error)
        return
    assert target.read_bytes() == data
    assert [p.name for p in folder.iterdir()] == [name]
