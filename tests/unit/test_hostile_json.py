"""JSON documents and STIX bundles giving one key twice in an object: refused, not read one way.

``json`` keeps the last of two equal keys, other readers the first; a document
that says two things must not be imported as whichever the program happens to
keep, whether it is read whole or record list by record list.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from briefing.cli import main
from briefing.io import jsonstream


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str]:
    code = main([str(a) for a in args])
    return code, capsys.readouterr().err


def digest(path: Path) -> bytes:
    return hashlib.sha256(path.read_bytes()).digest()


@pytest.fixture
def exported(demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    """The demo project's JSON document and STIX bundle, as text."""
    texts = {}
    for suffix in ("json", "stix.json"):
        out = tmp_path / f"demo.{suffix}"
        assert run(capsys, "export", demo_path, "-o", out)[0] == 0
        texts[suffix] = out.read_text(encoding="utf-8")
    return texts


def twice(text: str, key: str, value: str, occurrence: int = 0) -> str:
    """``text`` with ``"key": value`` put before the ``occurrence``-th ``"key"``."""
    at = -1
    for _ in range(occurrence + 1):
        at = text.index(f'"{key}"', at + 1)
    return f'{text[:at]}"{key}": {value}, {text[at:]}'


CASES = [
    ("json", "format", '"conflict-briefing"', 0),  # the envelope: read whole
    ("json", "name", '"Someone else"', 0),  # inside a record list read in batches
    ("json", "tlp", '"CLEAR"', 3),
    ("stix.json", "type", '"bundle"', 0),
    ("stix.json", "name", '"Someone else"', 2),
]


@pytest.mark.parametrize("small", [False, True], ids=["whole", "batches"])
@pytest.mark.parametrize(("suffix", "key", "value", "occurrence"), CASES)
def test_a_key_given_twice_is_refused_and_nothing_is_imported(
    exported: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    small: bool,
    suffix: str,
    key: str,
    value: str,
    occurrence: int,
) -> None:
    if small:
        monkeypatch.setattr(jsonstream, "BATCH", 1)
        monkeypatch.setattr(jsonstream, "CHUNK", 64)
    project = tmp_path / "empty.brief"
    assert run(capsys, "new", project)[0] == 0
    document = tmp_path / f"twice.{suffix}"
    document.write_text(twice(exported[suffix], key, value, occurrence), encoding="utf-8")
    before = digest(project)

    code, err = run(capsys, "import", project, document)

    assert code == 1
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("error: twice.")
    assert f'the key "{key}" appears twice in one object' in err
    assert digest(project) == before


def test_the_same_document_without_the_repeated_key_imports(
    exported: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "empty.brief"
    assert run(capsys, "new", project)[0] == 0
    for suffix, text in exported.items():
        document = tmp_path / f"once.{suffix}"
        document.write_text(text, encoding="utf-8")
        assert run(capsys, "import", project, document)[0] == 0
