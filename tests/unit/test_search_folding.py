"""Letters the tokenizer keeps apart (ə, ı) are found by their Latin look-alikes."""

from __future__ import annotations

import pytest
from postgres import demo_project_on_both_back_ends  # noqa: F401  (file and server)

from briefing.model import fulltext
from briefing.services import records


def found(project, words: str) -> set[tuple[str, int]]:
    with project.engine.connect() as connection:
        return {(hit.kind, hit.record_id) for hit in fulltext.search(connection, words)}


@pytest.mark.parametrize("typed", ["Müdafiə", "Mudafie", "müdafie", "MÜDAFİƏ"])
def test_either_spelling_finds_the_azerbaijani_ministry(demo_project, typed: str) -> None:
    assert ("party", 4) in found(demo_project, typed)


def test_an_edit_keeps_the_folded_copy_in_step(demo_project) -> None:
    records.update_record(demo_project, "entry", 3, {"place": "Qaraqışlaq"})
    assert ("entry", 3) in found(demo_project, "Qaraqislaq")
    assert ("entry", 3) in found(demo_project, "Qaraqışlaq")
    records.update_record(demo_project, "entry", 3, {"place": "Border"})
    assert ("entry", 3) not in found(demo_project, "Qaraqislaq")


def test_text_without_such_letters_is_indexed_once(demo_project) -> None:
    entry_code = fulltext.KIND_CODES["entry"]
    with demo_project.engine.connect() as connection:
        title = connection.exec_driver_sql(
            f"SELECT title FROM search_index WHERE rowid = 3 * 8 + {entry_code}"
        ).scalar_one()
    assert title == "Clashes on the Armenia–Azerbaijan border"


@pytest.mark.parametrize(
    ("written", "typed"),
    [
        ("كَتَبَ الوزيرُ بيانًا", "كتب"),  # harakat in the text, none typed
        ("كتب الوزير بيانا", "كَتَبَ"),  # none in the text, harakat typed
        ("وزارة الدفاع", "وزاره"),  # teh marbuta and heh
        ("وزیر امور خارجه ایران", "وزير"),  # Persian ye, Arabic ye typed
        ("وزير الخارجية", "وزیر"),  # and the other way round
        ("کشور", "كشور"),  # Persian and Arabic kaf
        ("إعلان", "اعلان"),  # alef with hamza below
        ("שָׁלוֹם לְכֻלָּם", "שלום"),  # niqqud in the text
        ("שלום לכולם", "שָׁלוֹם"),  # niqqud typed
    ],
)
def test_arabic_persian_and_hebrew_are_found_with_or_without_marks(
    demo_project, written: str, typed: str
) -> None:
    records.update_record(demo_project, "statement", 1, {"quote": written})
    assert ("statement", 1) in found(demo_project, typed)


def test_marks_do_not_split_a_word(demo_project) -> None:
    records.update_record(demo_project, "statement", 1, {"quote": "كَتَبَ"})
    assert ("statement", 1) not in found(demo_project, "بب")
    assert fulltext.fold("كَتَبَ") == "كتب"
