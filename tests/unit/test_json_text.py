"""JSON text from a file or another program is read one way or not at all, wherever it is read."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QMimeData
from record_strategies import JSON_VALUES
from sqlalchemy import text

from briefing.gui.library.mime import MIME_TYPE, decode_records, encode_records, read_payload
from briefing.model import jsontext
from briefing.services.sync_point import PREFIX, read_sync_points
from briefing.store.project import Project

TWO_WAY = [
    ('{"a": 1, "a": 2}', "appears twice"),
    ('[{"b": {"c": 1, "c": 1}}]', "appears twice"),
    ('{"n": NaN}', "NaN is not a number"),
    ("[-Infinity]", "Infinity is not a number"),
    ("[" * 100_000 + "]" * 100_000, "too deeply"),
    ("1" * 5000, "digits"),
    ("{", "is not JSON"),
]


@pytest.mark.parametrize(("text_", "words"), TWO_WAY, ids=[t[1] for t in TWO_WAY])
def test_text_read_two_ways_or_not_at_all_is_refused_in_words(text_: str, words: str) -> None:
    with pytest.raises(jsontext.UnreadableJson, match=words) as refusal:
        jsontext.read(text_)
    assert "\n" not in str(refusal.value)


@settings(max_examples=200, deadline=None)
@given(JSON_VALUES)
def test_what_json_writes_reads_back_the_same(value: object) -> None:
    assert jsontext.read(json.dumps(value)) == value


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.text(), JSON_VALUES, min_size=1, max_size=4), st.data())
def test_any_object_giving_a_key_twice_is_refused(value: dict, data: st.DataObject) -> None:
    key = data.draw(st.sampled_from(sorted(value)))
    again = data.draw(JSON_VALUES)
    repeated = json.dumps(value)[:-1] + f", {json.dumps(key)}: {json.dumps(again)}}}"
    with pytest.raises(jsontext.UnreadableJson, match="appears twice"):
        jsontext.read(repeated)


def test_a_sync_point_read_two_ways_is_ignored(demo_project: Project) -> None:
    peer = "0f0e0d0c-0b0a-4908-8706-050403020100"
    value = '{"seen": "2021-11-16T00:00:00.000000Z", "seen": "2199-01-01T00:00:00.000000Z"}'
    with demo_project.engine.begin() as connection:
        connection.execute(
            text("INSERT INTO project_setting(key, value) VALUES (:k, :v)"),
            {"k": PREFIX + peer, "v": value},
        )
        assert peer not in read_sync_points(connection)


def dropped(payload: bytes, mime_type: str = MIME_TYPE) -> QMimeData:
    data = QMimeData()
    data.setData(mime_type, payload)
    return data


HOSTILE_DROPS = [
    b'[{"kind": "entry", "id": 1e999}]',
    b'[{"kind": "entry", "id": 100000000000000000000000000000}]',
    b'[{"kind": "entry", "id": 1.5}]',
    b'[{"kind": "entry", "id": true}]',
    b'[{"kind": "entry", "id": -1}]',
    b'[{"kind": 7, "id": 1}]',
    b'[{"kind": "entry", "id": 2, "id": 1}]',
    b'{"kind": "entry", "id": 1}',
    b'[["entry", 1]]',
    b"[" * 100_000,
    b"\xff\xfe\x00",
]


@pytest.mark.parametrize("payload", HOSTILE_DROPS)
def test_a_drop_from_another_program_carries_nothing_unless_it_is_ours(payload: bytes) -> None:
    assert decode_records(dropped(payload)) == []


def test_records_we_drag_come_back_as_they_went() -> None:
    records = [("entry", 3), ("party", 1)]
    assert decode_records(encode_records(records)) == records
    assert read_payload(dropped(b"[1]"), "text/other") is None
