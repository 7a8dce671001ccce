"""JSON documents and STIX bundles giving one key twice in an object: refused, not read one way.

``json`` keeps the last of two equal keys, other readers the first; a document
that says two things must not be imported as whichever the program happens to
keep, whether it is read whole or record list by record list.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.cli import main
from briefing.errors import BriefingError
from briefing.io import jsonstream
from briefing.io.jsondoc import import_json
from briefing.store import open_project


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


# ---------------------------------------------------------------------------- any object, any key


def _objects(value: object, path: tuple = ()) -> list[tuple]:
    """Paths of every JSON object in ``value`` that holds at least one key."""
    found = [path] if isinstance(value, dict) and value else []
    if isinstance(value, dict | list):
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, inner in items:
            found += _objects(inner, (*path, key))
    return found


def _with_key_twice(document: dict, path: tuple, key_index: int) -> tuple[str, str]:
    """The document's text with one key of the object at ``path`` written twice."""
    marker = "\ue000twice\ue000"
    copy = json.loads(json.dumps(document))
    parent = copy
    for step in path[:-1]:
        parent = parent[step]
    target = parent[path[-1]] if path else copy
    keys = list(target)
    key = keys[key_index % len(keys)]
    inner = json.dumps(target)
    twice = "{" + json.dumps(key) + ": " + json.dumps(target[key]) + ", " + inner[1:]
    if not path:
        return twice, key
    parent[path[-1]] = marker
    return json.dumps(copy).replace(json.dumps(marker), twice, 1), key


@pytest.fixture(scope="module")
def demo_document(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("twice")
    out = folder / "demo.json"
    assert main(["export", str(demo_template), "-o", str(out)]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_key_of_any_object_given_twice_is_refused(
    demo_document: dict, demo_template: Path, tmp_path: Path, data: st.DataObject
) -> None:
    paths = _objects(demo_document)
    path = data.draw(st.sampled_from(paths), label="object")
    text, key = _with_key_twice(demo_document, path, data.draw(st.integers(0, 50), label="key"))
    document = tmp_path / "twice.json"
    document.write_text(text, encoding="utf-8")
    project = tmp_path / "project.brief"
    shutil.copyfile(demo_template, project)
    before = digest(project)
    with pytest.raises(BriefingError) as refusal:
        with open_project(project, "Ana") as opened:
            import_json(opened, document)
    message = str(refusal.value)
    assert "appears twice in one object" in message and "\n" not in message
    assert digest(project) == before


# ---------------------------------------------------------------------------- what json gives up on

DEEP = "[" * 100_000 + "]" * 100_000
GIVEN_UP = [
    ("top.json", DEEP, "nests lists or objects too deeply to be read"),
    (
        "inner.json",
        '{"format": "conflict-briefing", "version": 2, "parties": [' + DEEP + "]}",
        "nests lists or objects too deeply to be read",
    ),
    (
        "bundle.json",
        '{"type": "bundle", "id": "bundle--0f0f0f0f-0000-4000-8000-000000000001", '
        '"objects": [' + DEEP + "]}",
        "nests lists or objects too deeply to be read",
    ),
    (
        "digits.json",
        '{"format": "conflict-briefing", "version": ' + "9" * 5000 + "}",
        "holds a number of more than 4,300 digits, too long to read",
    ),
]


@pytest.mark.parametrize(("name", "text", "words"), GIVEN_UP, ids=[g[0] for g in GIVEN_UP])
def test_what_the_parser_gives_up_on_is_refused_in_plain_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, words: str
) -> None:
    project = tmp_path / "empty.brief"
    assert run(capsys, "new", project)[0] == 0
    document = tmp_path / name
    document.write_text(text, encoding="utf-8")
    before = digest(project)

    code, err = run(capsys, "import", project, document)

    assert code == 1 and err.count("\n") == 1
    assert err == f"error: {name} {words}; nothing was imported.\n"
    assert "sys." not in err and "recursion" not in err
    assert digest(project) == before


@pytest.mark.parametrize(
    ("title", "words"),
    [
        ("Arm\x00enia", "holds a NUL character"),
        ("\ud800", "lone surrogate"),
        ("x" * 1001, "more than the 1,000 allowed"),
    ],
    ids=["NUL", "surrogate", "long"],
)
def test_a_project_title_breaking_the_line_rule_is_not_adopted(
    exported: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    title: str,
    words: str,
) -> None:
    """A new project takes the document's title: it is held to the rule of a line of text."""
    project = tmp_path / "empty.brief"
    assert run(capsys, "new", project)[0] == 0
    document = json.loads(exported["json"])
    document["project"]["title"] = title
    path = tmp_path / "titled.json"
    path.write_bytes(json.dumps(document).encode())
    before = digest(project)

    code, err = run(capsys, "import", project, path)

    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("error: titled.json: the project's title ") and words in err
    assert digest(project) == before
    assert run(capsys, "info", project)[0] == 0
