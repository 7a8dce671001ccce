"""An entry's grade is asked for by name, from the same SQL the library's Grade column uses."""

from __future__ import annotations

from postgres import demo_project_on_both_back_ends  # noqa: F401  (file and server)

from briefing.model import codec
from briefing.services.demo import uid
from briefing.services.grades import entry_grade
from briefing.services.library_query import COLUMNS
from briefing.services.library_rows import fetch_rows


def test_the_grade_is_the_one_the_library_shows(demo_project) -> None:
    with demo_project.engine.connect() as connection:
        entry = codec.ids_for_uuids(connection, codec.table("entry"), [uid("clash")])[uid("clash")]
        grade = entry_grade(connection, entry)
        row = fetch_rows(connection, "entry", [entry])[entry]
    shown = row.cells[[c.key for c in COLUMNS["entry"]].index("grade")]
    assert grade is not None and grade.code == shown == "B3"
    assert grade.words == "B3: best source usually reliable; information possibly true"


def test_an_entry_that_is_gone_has_no_grade(demo_project) -> None:
    with demo_project.engine.connect() as connection:
        assert entry_grade(connection, 999_999) is None
