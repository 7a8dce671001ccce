"""The search tables of a team server are written by the server alone, and always tell the truth.

``search_index`` and ``search_word`` are derived from the records. An analyst
who could write them could hide a record from everyone's searches or plant false
hits; words written with the rights of whoever edits could go stale or keep a
wrong label for records that editor cannot see. So analysts only read them, and
the server rewrites them as the project's owner: after any mix of edits,
relabels, deletions and rebuilds, each analyst's search finds what a file
copied by that analyst finds, and nothing above their clearance.
"""

from __future__ import annotations

import pytest
import test_team_markings as markings

from briefing.model import fulltext
from briefing.model.codec import TABLE_NAMES
from briefing.services import records
from briefing.store import open_project
from briefing.store.errors import ProjectError

SECRET, run, _searched = markings.SECRET, markings.run, markings._searched
desk = markings.desk
"""The demo project with RED records, an AMBER and a RED analyst (the markings' fixture)."""

EMPTY = {"hits": [], "entries": [], "parties": [], "count": 0, "words": 0}
"""What :func:`_searched` gives when nothing is found ("words": those starting as the RED word)."""


def _nothing(found: dict) -> bool:
    """Nothing found, whatever the count of words starting as the RED word."""
    return {**found, "words": 0} == EMPTY


WRITES = (
    "INSERT INTO search_word (word, kind, rec, tlp) VALUES ('planted', 3, {entry}, '{label}')",
    "UPDATE search_word SET word = 'planted' WHERE rec = {entry}",
    "DELETE FROM search_word WHERE rec = {entry}",
    "INSERT INTO search_index (rowid, title, body) VALUES ({entry} * 8 + 7, 'planted', '')",
    "UPDATE search_index SET body = 'planted' WHERE rowid = {entry} * 8 + 3",
    "DELETE FROM search_index WHERE rowid = {entry} * 8 + 3",
)

SERVER_WRITTEN = ("search_index", "search_word", "analyst_clearance", "tlp_release")
"""Tables no analyst may write: derived by the server, or the administrator's."""


def _a_seen_entry(project) -> tuple[int, str]:
    with project.engine.connect() as connection:
        row = connection.exec_driver_sql(
            "SELECT id, tlp FROM timeline_entry ORDER BY id LIMIT 1"
        ).one()
    return int(row[0]), str(row[1])


@pytest.mark.parametrize("statement", WRITES)
def test_an_analyst_cannot_write_the_search_tables(desk, statement) -> None:
    with open_project(desk["AMBER"], "amber") as project:
        entry, label = _a_seen_entry(project)
        with pytest.raises(ProjectError, match="permission denied"), project.transaction() as s:
            s.connection().exec_driver_sql(statement.format(entry=entry, label=label))
    with open_project(desk["admin"], "postgres") as admin, admin.engine.connect() as connection:
        words = connection.exec_driver_sql(
            f"SELECT count(*) FROM search_word WHERE rec = {entry} AND kind = 3"
        ).scalar_one()
        planted = connection.exec_driver_sql(
            "SELECT count(*) FROM search_word WHERE word = 'planted'"
        ).scalar_one()
    assert words > 0 and planted == 0


def test_no_analyst_holds_a_write_grant_on_a_server_written_table(desk) -> None:
    with open_project(desk["admin"], "postgres") as admin, admin.engine.connect() as connection:
        for label in ("AMBER", "RED"):
            role = desk[label].split("//")[1].split("@")[0]
            writable = connection.exec_driver_sql(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = 'public' AND c.relkind = 'r' AND ("
                " has_table_privilege(%(r)s, c.oid, 'INSERT')"
                " OR has_table_privilege(%(r)s, c.oid, 'UPDATE')"
                " OR has_table_privilege(%(r)s, c.oid, 'DELETE')"
                " OR has_table_privilege(%(r)s, c.oid, 'TRUNCATE'))",
                {"r": role},
            ).scalars()
            assert not set(writable) & set(SERVER_WRITTEN), label
            assert connection.exec_driver_sql(
                "SELECT has_table_privilege(%(r)s, 'search_word', 'SELECT')", {"r": role}
            ).scalar_one()


def test_the_word_triggers_run_as_the_owner_on_a_fixed_path(desk) -> None:
    role = desk["AMBER"].split("//")[1].split("@")[0]
    with open_project(desk["admin"], "postgres") as admin, admin.engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT proname, prosecdef, array_to_string(proconfig, ' '),"
            " has_function_privilege(%(r)s, oid, 'EXECUTE') FROM pg_proc"
            " WHERE proname LIKE 'briefing_words_%%'",
            {"r": role},
        ).all()
    assert len(rows) == 5
    for name, definer, config, executable in rows:
        assert definer and "search_path=pg_catalog, public, pg_temp" in config, name
        assert not executable, name


def _create(project, kind: str, values: dict) -> dict:
    return records.create_record(project, kind, values).after[kind][0]


def _entry(title: str, label: str, **more) -> dict:
    return {"title": title, "start_utc": "2021-11-20T05:00:00Z", "tlp": label, **more}


def _uuids_found(where: str, words: str) -> set[tuple[str, str]]:
    """(kind, uuid) of every record a search of ``words`` finds in the project at ``where``."""
    found = set()
    with open_project(where, "reader") as project, project.engine.connect() as connection:
        for hit in fulltext.search_results(connection, words, limit=500).hits:
            uuid = connection.exec_driver_sql(
                f"SELECT uuid FROM {TABLE_NAMES[hit.kind]} WHERE id = {int(hit.record_id)}"
            ).scalar_one()
            found.add((hit.kind, str(uuid)))
    return found


RED_WORDS = (SECRET, "Brackenholt", "Quillmere", "Marrowgate", "Gloamfield")


def _words_tell_the_truth(desk: dict, made: dict, tmp_path, capsys) -> None:
    for words in RED_WORDS:
        assert _searched(desk["AMBER"], words) == EMPTY, words
    assert _searched(desk["AMBER"], "Sallowfen")["entries"] == [made["sallow"]]
    assert _searched(desk["AMBER"], "Hollowmere")["parties"] == [made["named"]]
    assert _searched(desk["AMBER"], "Thornwick") == EMPTY
    red = _searched(desk["RED"], "Hollowmere")
    assert red["entries"] == [made["naming"]] and red["parties"] == [made["named"]]
    assert _nothing(_searched(desk["RED"], "Thornwick"))
    assert _nothing(_searched(desk["RED"], "Quillmere"))
    assert _searched(desk["RED"], "Marrowgate")["entries"] == [made["moved"]]
    with open_project(desk["admin"], "postgres") as admin, admin.engine.connect() as connection:
        labels = dict(
            connection.exec_driver_sql(
                "SELECT word, string_agg(DISTINCT tlp, ',') FROM search_word"
                " WHERE word IN ('quillmere', 'marrowgate', 'sallowfen', 'brackenholt')"
                " GROUP BY word"
            ).all()
        )
        gone = connection.exec_driver_sql(
            f"SELECT count(*) FROM search_index WHERE rowid = {made['gone']} * 8 + 2"
        ).scalar_one()
    assert labels == {"marrowgate": "RED", "sallowfen": "AMBER", "brackenholt": "RED"}
    assert gone == 0
    for label in ("AMBER", "RED"):  # the same search on a file copied by that analyst
        copy = tmp_path / f"{label}-{len(list(tmp_path.iterdir()))}.brief"
        status, said = run(capsys, "copy", desk[label], copy)
        assert status == 0, said
        for words in (*RED_WORDS, "Sallowfen", "Hollowmere", "Thornwick", "strike", "border"):
            assert _uuids_found(desk[label], words) == _uuids_found(str(copy), words), words


def test_the_words_stay_true_through_others_edits_relabels_deletions_and_rebuilds(
    desk, tmp_path, capsys
) -> None:
    with open_project(desk["admin"], "postgres") as admin:
        named = _create(admin, "party", {"name": "Thornwick brigade", "kind": "armed group"})
        made = {
            "named": named["_id"],
            "gone": _create(
                admin, "source", {"title": "Quillmere archive", "kind": "news", "tlp": "RED"}
            )["_id"],
            "moved": _create(admin, "entry", _entry("Marrowgate crossing", "AMBER"))["_id"],
            "sallow": _create(admin, "entry", _entry("Sallowfen shelling", "RED"))["_id"],
            "naming": _create(
                admin,
                "entry",
                _entry(
                    "Gloamfield raid", "RED", parties=[{"party": named["uuid"], "role": "involved"}]
                ),
            )["_id"],
        }
    with open_project(desk["RED"], "red") as red:
        records.update_record(red, "entry", desk["entry"]["_id"], {"title": "Brackenholt strike"})
        records.update_record(red, "entry", made["moved"], {"tlp": "RED"})
        records.update_record(red, "entry", made["sallow"], {"tlp": "AMBER"})
        records.delete_records(red, "source", [made["gone"]])
    with open_project(desk["AMBER"], "amber") as amber:  # names a RED entry it cannot see
        records.update_record(amber, "party", made["named"], {"name": "Hollowmere brigade"})
    _words_tell_the_truth(desk, made, tmp_path, capsys)
    with open_project(desk["admin"], "postgres") as admin, admin.engine.begin() as connection:
        connection.exec_driver_sql("TRUNCATE search_index")
        assert connection.exec_driver_sql("SELECT count(*) FROM search_word").scalar_one() == 0
        fulltext.rebuild(connection)
    _words_tell_the_truth(desk, made, tmp_path, capsys)


def test_an_analysts_own_edit_moves_the_words(desk) -> None:
    with open_project(desk["admin"], "postgres") as admin:
        entry = _create(admin, "entry", _entry("Wrenmoor checkpoint", "AMBER"))["_id"]
    with open_project(desk["AMBER"], "amber") as amber:
        records.update_record(amber, "entry", entry, {"title": "Oxbristle checkpoint"})
    for label in ("AMBER", "RED"):
        assert _searched(desk[label], "Oxbristle")["entries"] == [entry], label
        assert _nothing(_searched(desk[label], "Wrenmoor")), label
    with open_project(desk["AMBER"], "amber") as amber:
        records.delete_records(amber, "entry", [entry])
    with open_project(desk["admin"], "postgres") as admin, admin.engine.connect() as connection:
        left = connection.exec_driver_sql(
            f"SELECT count(*) FROM search_word WHERE rec = {entry} AND kind = 3"
        ).scalar_one()
    assert left == 0


def test_a_project_from_before_gets_read_only_words_from_its_administrator(desk) -> None:
    role = desk["AMBER"].split("//")[1].split("@")[0]
    with open_project(desk["admin"], "postgres") as admin, admin.engine.begin() as connection:
        run_sql = connection.exec_driver_sql  # as the previous version left it
        run_sql(f'GRANT INSERT, UPDATE, DELETE ON search_word, search_index TO "{role}"')
        for name in ("added", "removed", "changed", "truncated", "relabelled"):
            run_sql(f"ALTER FUNCTION briefing_words_{name}() SECURITY INVOKER RESET search_path")
        run_sql("DROP FUNCTION IF EXISTS briefing_reindex(integer, integer[])")
        entry = run_sql("SELECT min(id) FROM timeline_entry WHERE tlp <> 'RED'").scalar_one()
        run_sql(f"UPDATE search_index SET title = 'Forgedhit' WHERE rowid = {entry} * 8 + 3")
        run_sql(f"DELETE FROM search_word WHERE rec = {entry} AND kind = 3")
        run_sql("INSERT INTO search_word VALUES ('plantedword', 3, 1, 'CLEAR')")
    with pytest.raises(ProjectError, match="its administrator must open it once"):
        open_project(desk["AMBER"], "amber")
    open_project(desk["admin"], "postgres").close()
    test_the_word_triggers_run_as_the_owner_on_a_fixed_path(desk)
    with open_project(desk["admin"], "postgres") as admin, admin.engine.connect() as connection:
        forged = connection.exec_driver_sql(
            "SELECT count(*) FROM search_index WHERE title = 'Forgedhit'"
        ).scalar_one()
        planted = connection.exec_driver_sql(
            "SELECT count(*) FROM search_word WHERE word IN ('forgedhit', 'plantedword')"
        ).scalar_one()
        words = connection.exec_driver_sql(
            f"SELECT count(*) FROM search_word WHERE rec = {entry} AND kind = 3"
        ).scalar_one()
    assert forged == 0 and planted == 0 and words > 0
    assert _searched(desk["AMBER"], "Forgedhit") == EMPTY
    with open_project(desk["AMBER"], "amber") as project:
        entry, _label = _a_seen_entry(project)
        with pytest.raises(ProjectError, match="permission denied"), project.transaction() as s:
            s.connection().exec_driver_sql(f"DELETE FROM search_word WHERE rec = {entry}")
        records.update_record(project, "entry", entry, {"title": "Oxbristle checkpoint"})
    assert _searched(desk["AMBER"], "Oxbristle")["entries"] == [entry]


def test_a_copy_to_a_server_writes_the_words_once_and_leaves_them_kept_up(
    demo_path, blank_database
) -> None:
    from briefing.store.copying import copy_project

    with open_project(demo_path, "reader", read_only=True) as source:
        copy_project(source, blank_database)
    words = "SELECT word, kind, rec, tlp FROM search_word ORDER BY 1, 2, 3"
    with open_project(blank_database, "postgres") as project:
        with project.engine.connect() as connection:
            copied = connection.exec_driver_sql(words).all()
            switches = connection.exec_driver_sql(
                "SELECT DISTINCT tgenabled FROM pg_trigger WHERE tgname LIKE 'search_words_%%'"
            ).scalars()
            indexes = connection.exec_driver_sql(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'search_word' ORDER BY 1"
            ).scalars()
            assert list(switches) == ["O"]  # every word trigger fires again
            assert list(indexes) == ["ix_search_word_record", "search_word_pkey"]
        with project.engine.begin() as connection:
            fulltext.rebuild(connection)  # the words as the triggers write them
            assert connection.exec_driver_sql(words).all() == copied
        entry = _create(project, "entry", _entry("Wrenmoor checkpoint", "AMBER"))["_id"]
    assert len(copied) > 100
    assert _searched(blank_database, "Wrenmoor")["entries"] == [entry]


def test_no_analyst_can_create_functions_the_owners_functions_would_call(desk) -> None:
    with open_project(desk["admin"], "postgres") as admin, admin.engine.begin() as connection:
        connection.exec_driver_sql("GRANT CREATE ON SCHEMA public TO PUBLIC")  # as before 15
    with pytest.raises(ProjectError, match="its administrator must open it once"):
        open_project(desk["AMBER"], "amber")
    open_project(desk["admin"], "postgres").close()
    with open_project(desk["AMBER"], "amber") as project:
        with pytest.raises(ProjectError, match="permission denied"), project.transaction() as s:
            s.connection().exec_driver_sql(
                "CREATE FUNCTION public.mod(bigint, integer) RETURNS bigint LANGUAGE sql RETURN 3"
            )


def test_only_analysts_have_index_rows_rewritten_and_only_of_known_kinds(desk) -> None:
    role = desk["AMBER"].split("//")[1].split("@")[0]
    with open_project(desk["admin"], "postgres") as admin, admin.engine.connect() as connection:
        for function in (
            "briefing_reindex(integer, integer[])",
            "briefing_reindex_entries_of(integer[])",
        ):
            rights = connection.exec_driver_sql(
                "SELECT has_function_privilege('public', %(f)s, 'EXECUTE'),"
                " has_function_privilege(%(r)s, %(f)s, 'EXECUTE')",
                {"f": function, "r": role},
            ).one()
            assert tuple(rights) == (False, True), function
    with open_project(desk["AMBER"], "amber") as project:
        entry, _label = _a_seen_entry(project)
        with pytest.raises(ProjectError, match="no kind of record has the code 9"):
            with project.transaction() as s:
                s.connection().exec_driver_sql(f"SELECT briefing_reindex(9, ARRAY[{entry}])")


def test_two_analysts_rewriting_one_row_at_once_both_succeed(desk) -> None:
    import threading

    with open_project(desk["AMBER"], "amber") as one, open_project(desk["RED"], "red") as two:
        entry, _ = _a_seen_entry(one)
        call = f"SELECT briefing_reindex(3, ARRAY[{entry}])"
        failures: list[Exception] = []
        with one.engine.connect() as first, two.engine.connect() as second:
            first.exec_driver_sql(call)
            waiting = second.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()

            def rewrite() -> None:
                try:
                    second.exec_driver_sql(call)
                    second.commit()
                except Exception as error:  # noqa: BLE001 - reported below
                    failures.append(error)

            thread = threading.Thread(target=rewrite)
            thread.start()
            with open_project(desk["admin"], "postgres") as admin:
                with admin.engine.connect() as watcher:
                    while (
                        thread.is_alive()
                        and not watcher.exec_driver_sql(
                            "SELECT count(*) FROM pg_stat_activity"
                            f" WHERE pid = {waiting} AND wait_event_type = 'Lock'"
                        ).scalar_one()
                    ):
                        watcher.rollback()
            first.commit()
            thread.join()
        assert failures == []
    with open_project(desk["admin"], "postgres") as admin, admin.engine.connect() as connection:
        rows = connection.exec_driver_sql(
            f"SELECT count(*) FROM search_index WHERE rowid = {entry} * 8 + 3"
        ).scalar_one()
        words = connection.exec_driver_sql(
            f"SELECT count(*) FROM search_word WHERE rec = {entry} AND kind = 3"
        ).scalar_one()
    assert rows == 1 and words > 0
