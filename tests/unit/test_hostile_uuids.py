"""A UUID names one record: no door lets a record take the UUID of one of another kind.

Deletions, STIX identifiers and merges name a record by its UUID alone; a source
carrying a party's UUID would wipe the party's deletion, vanish from a STIX round
trip and confuse later merges. JSON and STIX imports refuse it with the project
unchanged; a merge leaves such a record out and lists it.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from hostile_files import execute

from briefing.cli import main
from briefing.io import jsonstream
from briefing.store import open_project


def digest(path: Path) -> bytes:
    return hashlib.sha256(path.read_bytes()).digest()


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def scalar(path: Path, sql: str) -> object:
    with open_project(path, "Ana", read_only=True) as project:
        with project.engine.connect() as connection:
            return connection.exec_driver_sql(sql).scalar()


@pytest.fixture
def document(demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    out = tmp_path / "demo.json"
    assert run(capsys, "export", demo_path, "-o", out)[0] == 0
    return json.loads(out.read_text(encoding="utf-8"))


def with_extra_source(document: dict, uuid: str) -> dict:
    extra = dict(document["sources"][0], uuid=uuid, title="Same UUID, other kind")
    return dict(document, sources=[*document["sources"], extra])


@pytest.mark.parametrize("small", [False, True], ids=["whole", "batches"])
@pytest.mark.parametrize("into", ["empty", "demo"])
def test_a_json_record_with_the_uuid_of_another_kind_is_refused(
    document: dict,
    demo_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    small: bool,
    into: str,
) -> None:
    if small:
        monkeypatch.setattr(jsonstream, "BATCH", 2)
    project = demo_path
    if into == "empty":
        project = tmp_path / "empty.brief"
        assert run(capsys, "new", project)[0] == 0
    party = document["parties"][3]["uuid"]
    path = tmp_path / "shared.json"
    path.write_text(json.dumps(with_extra_source(document, party)), encoding="utf-8")
    before = digest(project)

    code, _, err = run(capsys, "import", project, path)

    assert code == 1 and "Traceback" not in err and err.count("\n") == 1
    assert f"has the UUID {party} of a party; a UUID names one record only." in err
    assert digest(project) == before


def test_a_record_may_not_take_the_uuid_of_a_deleted_record_of_another_kind(
    document: dict, demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    uuid = "0f0f0f0f-0000-4000-8000-000000000001"
    execute(
        demo_path,
        "INSERT INTO tombstone (uuid, kind, deleted_at, deleted_by) "
        f"VALUES ('{uuid}', 'party', '2021-11-17T00:00:00.000000Z', 'Ana')",
    )
    path = tmp_path / "shared.json"
    path.write_text(json.dumps(with_extra_source(document, uuid)), encoding="utf-8")
    before = digest(demo_path)

    code, _, err = run(capsys, "import", demo_path, path)

    assert code == 1 and "of a deleted party" in err
    assert digest(demo_path) == before


def test_a_stix_object_with_the_uuid_of_another_kind_is_refused(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "demo.stix.json"
    assert run(capsys, "export", demo_path, "-o", out)[0] == 0
    bundle = json.loads(out.read_text(encoding="utf-8"))
    identity = next(o for o in bundle["objects"] if o["type"] == "identity")
    event = next(o for o in bundle["objects"] if o["type"] == "event")
    shadow = dict(identity, id="identity--" + event["id"].split("--")[1], name="Shadow")
    bundle["objects"].append(shadow)
    out.write_text(json.dumps(bundle), encoding="utf-8")
    project = tmp_path / "empty.brief"
    assert run(capsys, "new", project)[0] == 0
    before = digest(project)

    code, _, err = run(capsys, "import", project, out)

    assert code == 1 and "Traceback" not in err
    assert "The party ‘Shadow’ has the UUID" in err and "of a timeline entry" in err
    assert digest(project) == before


def test_a_merge_leaves_out_a_record_with_the_uuid_of_another_kind(
    demo_path: Path, demo_template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    theirs = tmp_path / "colleague.brief"
    shutil.copyfile(demo_template, theirs)
    party = scalar(theirs, "SELECT uuid FROM party ORDER BY id LIMIT 1")
    execute(
        theirs,
        f"UPDATE source SET uuid = '{party}', updated_at = '2026-01-01T00:00:00.000000Z' "
        "WHERE id = (SELECT min(id) FROM source)",
    )
    sources = scalar(demo_path, "SELECT count(*) FROM source")

    code, out, err = run(capsys, "merge", demo_path, theirs)

    assert code == 0 and "Traceback" not in err
    assert f"its UUID ({party}) also names a party, and a UUID names one record." in out
    assert "1 left out" in out
    assert scalar(demo_path, f"SELECT count(*) FROM source WHERE uuid = '{party}'") == 0
    assert scalar(demo_path, "SELECT count(*) FROM source") == sources
    assert run(capsys, "check", demo_path)[0] == 0


SHARED_IN_FILE = [
    (
        "two kinds",
        "UPDATE source SET uuid = (SELECT uuid FROM party WHERE id = 2) WHERE id = 1",
        "The source .* has the UUID .* of a party; a UUID names one record only.",
    ),
    (
        "deletion of another kind",
        "INSERT INTO tombstone SELECT uuid, 'party', '2021-11-16T00:00:00.000000Z', 'Mallory' "
        "FROM timeline_entry WHERE id = 1",
        "The timeline entry .* has the UUID .* of a deleted party",
    ),
]


@pytest.mark.parametrize(
    ("name", "sql", "words"), SHARED_IN_FILE, ids=[s[0] for s in SHARED_IN_FILE]
)
def test_check_reports_a_file_giving_one_uuid_to_two_kinds(
    demo_path: Path, capsys: pytest.CaptureFixture[str], name: str, sql: str, words: str
) -> None:
    execute(demo_path, sql)
    before = digest(demo_path)
    code, _, err = run(capsys, "check", demo_path)
    assert code == 1 and "Traceback" not in err
    (line,) = err.splitlines()
    assert re.search(words, line) and line.startswith("problem: demo.brief: ")
    assert digest(demo_path) == before


def test_a_deletion_of_the_records_own_kind_is_no_problem(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    execute(
        demo_path,
        "INSERT INTO tombstone SELECT uuid, 'party', '2021-11-16T00:00:00.000000Z', 'Ana' "
        "FROM party WHERE id = 1",
    )
    assert run(capsys, "check", demo_path)[0] == 0
