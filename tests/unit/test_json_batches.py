"""JSON import in batches: the same result and the same refusals as reading the document whole."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from record_strategies import JSON_VALUES

from briefing.errors import BriefingError, RecordError
from briefing.io import jsonstream
from briefing.io.jsondoc import export_json, import_json
from briefing.io.jsonstream import Field, Records, Syntax, read_pieces
from briefing.model import codec
from briefing.store import Project, create_project, open_project

KEYS = frozenset(codec.DOCUMENT_KEYS.values())


def refuse(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


@pytest.fixture
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read a few characters and three records at a time, so every boundary is crossed."""
    monkeypatch.setattr(jsonstream, "CHUNK", 7)
    monkeypatch.setattr(jsonstream, "BATCH", 3)


def pieces(text: str, whole: frozenset[str] = frozenset()) -> list[Field | Records]:
    return list(read_pieces(io.BytesIO(text.encode()), KEYS, refuse, whole))


def reassembled(parts: list[Field | Records]) -> dict[str, Any]:
    document: dict[str, Any] = {}
    for part in parts:
        if isinstance(part, Field):
            document[part.key] = part.value
        else:
            assert len(document.setdefault(part.key, [])) == part.start
            document[part.key] += part.batch
    return document


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    fields=st.dictionaries(st.text(max_size=8), JSON_VALUES, max_size=4),
    entries=st.lists(JSON_VALUES, max_size=10),
    indent=st.sampled_from([None, 0, 2]),
)
def test_pieces_put_together_are_the_document(
    fields: dict[str, Any], entries: list[Any], indent: int | None, small_pieces: None
) -> None:
    document = {**{k: v for k, v in fields.items() if k != "entries"}, "entries": entries}
    text = json.dumps(document, ensure_ascii=False, indent=indent)
    parts = pieces(text)
    assert reassembled(parts) == document
    assert all(len(p.batch) <= 3 for p in parts if isinstance(p, Records))


@pytest.mark.parametrize(
    "text",
    [
        '{"entries": [1, 2,, 3]}',
        '{"a": tru}',
        '{"a": 1 "b": 2}',
        '{\n  "entries": [\n    {"x": 1},\n    {"x": 2\n  ]\n}',
        '{"entries": [1, 2]} extra',
        '{"a": "unterminated',
        '{"a": 1.5e}',
        "{1: 2}",
    ],
)
def test_syntax_errors_name_the_line_and_column_json_names(text: str, small_pieces: None) -> None:
    with pytest.raises(json.JSONDecodeError) as whole:
        json.loads(text)
    with pytest.raises(Syntax) as streamed:
        pieces(text)
    assert (streamed.value.lineno, streamed.value.colno) == (whole.value.lineno, whole.value.colno)


def test_a_list_read_whole_comes_in_one_batch(small_pieces: None) -> None:
    parts = pieces('{"parties": [1, 2, 3, 4, 5], "entries": [1, 2, 3, 4, 5]}', KEYS - {"entries"})
    assert [(p.key, len(p.batch)) for p in parts if isinstance(p, Records)] == [
        ("parties", 5),
        ("entries", 3),
        ("entries", 2),
    ]


# ---------------------------------------------------------------------------- the import


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    path = tmp_path / "empty.brief"
    create_project(path, "Analyst").close()
    return path


def dump_all(project: Project) -> codec.Records:
    with project.engine.connect() as connection:
        return codec.dump_all(connection)


def test_an_import_in_batches_gives_the_same_project(
    demo_project: Project, empty: Path, tmp_path: Path, small_pieces: None
) -> None:
    path = tmp_path / "demo.json"
    export_json(demo_project, path)
    seen: list[tuple[int, int]] = []
    with open_project(empty, "Analyst") as copied:
        summary = import_json(copied, path, lambda stage, done, total: seen.append((done, total)))
        assert dump_all(copied) == dump_all(demo_project)
        again = import_json(copied, path)
    assert summary.added == {k: len(v) for k, v in dump_all(demo_project).items() if v}
    assert again.added == {} and again.updated == {}
    assert sum(again.unchanged.values()) == sum(summary.added.values())
    assert seen[-1] == (path.stat().st_size, path.stat().st_size)


def test_a_problem_in_a_later_batch_names_its_place_and_imports_nothing(
    demo_project: Project, empty: Path, tmp_path: Path, small_pieces: None
) -> None:
    path = tmp_path / "demo.json"
    export_json(demo_project, path)
    document = json.loads(path.read_text())
    assert len(document["entries"]) == 5
    document["entries"][4]["credibility"] = 9
    path.write_text(json.dumps(document, indent=1))
    before = empty.read_bytes()
    with open_project(empty, "Analyst") as copied:
        with pytest.raises(RecordError, match=r"entries\[4\] \(uuid"):
            import_json(copied, path)
    assert empty.read_bytes() == before


def test_a_repeated_uuid_in_another_batch_is_refused(
    demo_project: Project, empty: Path, tmp_path: Path, small_pieces: None
) -> None:
    path = tmp_path / "demo.json"
    export_json(demo_project, path)
    document = json.loads(path.read_text())
    document["entries"][4]["uuid"] = document["entries"][0]["uuid"]
    path.write_text(json.dumps(document))
    with open_project(empty, "Analyst") as copied:
        with pytest.raises(RecordError, match=r"entries\[4\] .*already used by entries\[0\]"):
            import_json(copied, path)
        assert dump_all(copied)["entry"] == []


def test_a_document_in_another_order_is_read_whole(
    demo_project: Project, empty: Path, tmp_path: Path, small_pieces: None
) -> None:
    path = tmp_path / "demo.json"
    export_json(demo_project, path)
    document = json.loads(path.read_text())
    reordered = {"entries": document.pop("entries"), **document}
    path.write_text(json.dumps(reordered))
    with open_project(empty, "Analyst") as copied:
        import_json(copied, path)
        assert dump_all(copied) == dump_all(demo_project)


def test_a_wrong_envelope_is_refused_before_any_record(
    empty: Path, tmp_path: Path, small_pieces: None
) -> None:
    path = tmp_path / "new.json"
    path.write_text('{"format": "conflict-briefing", "version": 9, "entries": [1, 2]}')
    with open_project(empty, "Analyst") as project:
        with pytest.raises(BriefingError, match="newer Conflict Briefing"):
            import_json(project, path)


def test_importing_through_the_command_line_draws_nothing_when_piped(
    demo_path: Path, empty: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from briefing.cli import main

    path = tmp_path / "demo.json"
    assert main(["export", str(demo_path), "-o", str(path)]) == 0
    copy = tmp_path / "copy.brief"
    shutil.copyfile(empty, copy)
    assert main(["import", str(copy), str(path)]) == 0
    captured = capsys.readouterr()
    assert "\r" not in captured.err and "Imported" in captured.out


def _grown_document(demo_project: Project, path: Path, entries: int) -> Path:
    """The demo's document with ``entries`` more entries, each with a long description."""
    export_json(demo_project, path)
    document = json.loads(path.read_text())
    model = document["entries"][0]
    for number in range(entries):
        copy = dict(model, uuid=f"00000000-0000-4000-8000-{number:012x}")
        copy["description"] = f"Entry {number}: " + "Արցախ ردود 前線 " * 600
        document["entries"].append(copy)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1))
    return path


def _peak_while_importing(path: Path, into: Path, read_whole: bool = False) -> int:
    import tracemalloc

    from briefing.io import jsondoc

    with open_project(into, "Analyst") as project:
        tracemalloc.start()
        try:
            if read_whole:
                jsondoc._import_whole(project, path)
            else:
                import_json(project, path)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()


def test_memory_stays_flat_as_the_document_grows(
    demo_project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Four times the entries: the import's peak grows by far less than the document does."""
    monkeypatch.setattr(jsonstream, "CHUNK", 1 << 15)
    monkeypatch.setattr(jsonstream, "BATCH", 50)
    small = _grown_document(demo_project, tmp_path / "small.json", 80)
    large = _grown_document(demo_project, tmp_path / "large.json", 320)
    growth = large.stat().st_size - small.stat().st_size
    peaks = {}
    for name, path in (("warm", small), ("small", small), ("large", large)):
        into = tmp_path / f"{name}.brief"
        create_project(into, "Analyst").close()
        peaks[name] = _peak_while_importing(path, into)
    assert peaks["large"] - peaks["small"] < growth / 4
    whole = tmp_path / "whole.brief"
    create_project(whole, "Analyst").close()
    read_whole = _peak_while_importing(large, whole, read_whole=True)
    assert read_whole - peaks["large"] > growth / 2  # the measure sees a document held whole


def test_check_constraints_are_on_again_after_an_import_and_after_a_refusal(
    demo_project: Project, empty: Path, tmp_path: Path, small_pieces: None
) -> None:
    """Tested per batch during the import; on again for every later write, whatever happened."""
    from briefing.io import deferred_checks

    path = tmp_path / "demo.json"
    export_json(demo_project, path)
    broken = tmp_path / "broken.json"
    document = json.loads(path.read_text())
    document["entries"][4]["credibility"] = 9
    broken.write_text(json.dumps(document))
    with open_project(empty, "Analyst") as project:
        with pytest.raises(RecordError):
            import_json(project, broken)
        import_json(project, path)
        with project.engine.connect() as connection:
            assert not deferred_checks.are_deferred(connection)
            with pytest.raises(Exception, match="CHECK constraint failed"):
                connection.exec_driver_sql("UPDATE timeline_entry SET credibility = 9")
