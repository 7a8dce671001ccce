"""One field edit writes that record's row, not its links again, and still keeps every rule."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from briefing.errors import RecordError
from briefing.services import records
from briefing.services.demo import uid
from briefing.services.stamps import stamp_of


def _written_tables(project, action) -> set[str]:
    """The tables ``action`` deleted from or inserted into."""
    written: set[str] = set()

    def seen(conn, cursor, statement, parameters, context, executemany) -> None:
        words = statement.split()
        if words[0].upper() in ("DELETE", "INSERT"):
            written.add(words[2].lower())

    event.listen(project.engine, "before_cursor_execute", seen)
    try:
        action()
    finally:
        event.remove(project.engine, "before_cursor_execute", seen)
    return written


def _entry_with_links(project) -> dict:
    with project.engine.connect() as connection:
        found = connection.exec_driver_sql(
            "SELECT e.id FROM timeline_entry e WHERE EXISTS (SELECT 1 FROM entry_party p"
            " WHERE p.entry_id = e.id) AND EXISTS (SELECT 1 FROM casualty_claim c"
            " WHERE c.entry_id = e.id) ORDER BY e.id LIMIT 1"
        ).scalar_one()
    return {**records.get_record(project, "entry", found), "_id": found}


def test_a_title_edit_keeps_the_links_without_writing_them(demo_store) -> None:
    entry = _entry_with_links(demo_store)
    entry_id = entry["_id"]
    changes = []
    written = _written_tables(
        demo_store,
        lambda: changes.append(
            records.update_record(
                demo_store, "entry", entry_id, {"title": "Renamed"}, loaded=stamp_of(entry)
            )
        ),
    )
    assert not written & {"entry_party", "entry_source", "casualty_claim"}
    after = records.get_record(demo_store, "entry", entry_id)
    assert after["title"] == "Renamed"
    for key in ("parties", "sources", "claims"):
        assert after[key] == entry[key] == changes[0].after["entry"][0][key]


def test_a_changed_link_group_is_written_and_the_others_kept(demo_store) -> None:
    entry = _entry_with_links(demo_store)
    entry_id = entry["_id"]
    parties = entry["parties"][:1]
    written = _written_tables(
        demo_store,
        lambda: records.update_record(demo_store, "entry", entry_id, {"parties": parties}),
    )
    assert "entry_party" in written and "casualty_claim" not in written
    after = records.get_record(demo_store, "entry", entry_id)
    assert after["parties"] == parties
    assert after["claims"] == entry["claims"] and after["sources"] == entry["sources"]


def test_an_edit_breaking_a_rule_is_still_refused_in_one_sentence(demo_store) -> None:
    entry = _entry_with_links(demo_store)
    entry_id = entry["_id"]
    with pytest.raises(RecordError) as refused:
        records.update_record(demo_store, "entry", entry_id, {"credibility": 9})
    assert "credibility" in str(refused.value)
    assert records.get_record(demo_store, "entry", entry_id) == {
        k: v for k, v in entry.items() if k != "_id"
    }


def test_statement_contradictions_are_kept_by_an_edit_of_its_quote(demo_store) -> None:
    with demo_store.engine.connect() as connection:
        statement_id = records.id_of(connection, "statement", uid("aze-mod-provocation"))
    before = records.get_record(demo_store, "statement", statement_id)
    assert before["contradicts"]
    records.update_record(demo_store, "statement", statement_id, {"quote": "Said again."})
    after = records.get_record(demo_store, "statement", statement_id)
    assert after["quote"] == "Said again." and after["contradicts"] == before["contradicts"]
