"""What an AMBER analyst can learn of a RED record from its id or UUID alone: no more than
that some record holds it, and only where a key must be unique across every label.

The desk's RED timeline entry and RED party (:func:`test_team_markings.desk`) stand for
records whose UUID the analyst guessed (an import derives UUIDs from a public data set's
ids) or whose id they counted to. Each attempt is plain SQL on the analyst's own project
connection, as a modified client would send it.
"""

from __future__ import annotations

import pytest
import test_team_markings as markings
from test_team_history import _admin_rows, _as_older

from briefing.model.base import new_uuid
from briefing.services import records
from briefing.store import open_project
from briefing.store.errors import ProjectError

desk = markings.desk
SECRET = markings.SECRET

_COPY = (
    "INSERT INTO {table} SELECT (jsonb_populate_record(NULL::{table}, to_jsonb(r)"
    " || jsonb_build_object({values}))).* FROM {table} r WHERE r.id = %(mine)s"
)
"""A copy of the analyst's own record, some of its columns given anew."""

_FRESH_ID = "'id', nextval(pg_get_serial_sequence('{table}', 'id'))"


def _outcome(address: str, sql: str, params: dict) -> str:
    """What the analyst is told: ``saved (N rows)`` or the refusal's sentence."""
    with open_project(address, "amber") as project:
        try:
            with project.transaction() as session:
                done = session.connection().exec_driver_sql(sql, params)
                return f"saved ({done.rowcount} rows)"
        except ProjectError as error:
            return str(error)


def _own(desk: dict, kind: str, values: dict) -> dict:
    with open_project(desk["AMBER"], "amber") as project:
        return records.create_record(project, kind, values).after[kind][0]


def _own_entry(desk: dict) -> dict:
    return _own(desk, "entry", {"title": "Mine", "start_utc": "2021-11-16T06:00:00Z"})


@pytest.mark.parametrize("key", ["uuid", "id"])
def test_a_hidden_records_text_cannot_be_read_through_a_conflicting_insert(desk, key) -> None:
    """``ON CONFLICT ... DO UPDATE ... WHERE`` weighs its condition on the row holding the
    key: on a hidden row a true condition and a false one must end alike."""
    mine = _own_entry(desk)
    red = desk["entry"]
    values = (
        f"{_FRESH_ID.format(table='timeline_entry')}, 'uuid', %(key)s::text"
        if key == "uuid"
        else "'id', %(key)s::integer, 'uuid', gen_random_uuid()::text"
    )
    told = {
        guess: _outcome(
            desk["AMBER"],
            _COPY.format(table="timeline_entry", values=values)
            + f" ON CONFLICT ({key}) DO UPDATE SET title = EXCLUDED.title"
            " WHERE timeline_entry.title LIKE %(guess)s",
            {"mine": mine["_id"], "key": red["uuid" if key == "uuid" else "_id"], "guess": guess},
        )
        for guess in (f"{SECRET[0]}%", "Q%")
    }
    assert len(set(told.values())) == 1, told
    assert SECRET not in next(iter(told.values()))
    assert _admin_rows(
        desk, "SELECT title FROM timeline_entry WHERE id = %(i)s", {"i": red["_id"]}
    ) == [(red["title"],)]


@pytest.mark.parametrize("key", ["uuid", "external_id"])
def test_a_key_a_hidden_record_holds_is_refused_as_one_a_seen_record_holds(desk, key) -> None:
    """The refusal names no constraint and nothing of the record holding the key; it reads the
    same whichever record that is, one the analyst reads or one hidden from them."""
    mine, seen = _own_entry(desk), _own_entry(desk)
    holders = {"seen": seen, "red": desk["entry"]}
    with open_project(desk["admin"], "postgres") as admin, admin.transaction() as session:
        for name, record in holders.items():
            session.connection().exec_driver_sql(
                "UPDATE timeline_entry SET external_id = %(x)s WHERE id = %(i)s",
                {"x": f"ARM{name}", "i": record["_id"]},
            )
    told = {}
    for name, record in holders.items():
        value = record["uuid"] if key == "uuid" else f"ARM{name}"
        told[name] = _outcome(
            desk["AMBER"],
            _COPY.format(
                table="timeline_entry",
                values=f"{_FRESH_ID.format(table='timeline_entry')}, 'uuid',"
                " gen_random_uuid()::text, 'external_id', NULL, %(k)s::text, %(v)s::text",
            ),
            {"mine": mine["_id"], "k": key, "v": value},
        )
    assert (
        told["red"]
        == told["seen"]
        == (
            "That timeline entry has the id, UUID or data-set id of a record the project already "
            "holds (perhaps one you may not read); nothing was saved."
        )
    )


@pytest.mark.parametrize("step", ["insert", "update"])
def test_a_hidden_parent_and_an_absent_one_are_refused_alike(desk, step) -> None:
    """A party's parent chosen by id: a RED party, or an id no party has."""
    mine = _own(desk, "party", {"name": "Mine", "kind": "armed group"})
    [(absent,)] = _admin_rows(desk, "SELECT max(id) + 1000 FROM party")
    sql = (
        _COPY.format(
            table="party",
            values=f"{_FRESH_ID.format(table='party')}, 'uuid', gen_random_uuid()::text,"
            " 'parent_id', %(p)s::integer",
        )
        if step == "insert"
        else "UPDATE party SET parent_id = %(p)s WHERE id = %(mine)s"
    )
    told = {
        name: _outcome(desk["AMBER"], sql, {"mine": mine["_id"], "p": parent})
        for name, parent in (("red", desk["party"]["_id"]), ("absent", absent))
    }
    assert told["red"] == told["absent"], told
    assert told["red"].startswith("Your clearance does not allow saving that party")


@pytest.mark.parametrize(
    "sql",
    [
        "INSERT INTO entry_party (entry_id, party_id) VALUES (%(mine)s, %(party)s)",
        "UPDATE statement SET speaker_id = %(party)s WHERE id = %(statement)s",
        "UPDATE statement SET entry_id = %(entry)s WHERE id = %(statement)s",
        "UPDATE relationship SET party_a_id = %(party)s WHERE id = %(relationship)s",
        "UPDATE casualty_claim SET entry_id = %(entry)s WHERE id = %(claim)s",
        "UPDATE section_item SET entry_id = %(entry)s, statement_id = NULL, party_id = NULL,"
        " relationship_id = NULL, source_id = NULL WHERE id = %(item)s",
    ],
)
def test_a_link_to_a_hidden_record_and_to_an_absent_one_are_refused_alike(desk, sql) -> None:
    mine = _own_entry(desk)
    ids = dict(
        zip(
            ("statement", "relationship", "claim", "item"),
            _admin_rows(
                desk,
                "SELECT (SELECT min(id) FROM statement WHERE tlp = 'CLEAR'),"
                " (SELECT min(id) FROM relationship WHERE tlp = 'CLEAR'),"
                " (SELECT min(id) FROM casualty_claim), (SELECT min(id) FROM section_item)",
            )[0],
            strict=True,
        )
    )
    told = {}
    for name, entry, party in (
        ("red", desk["entry"]["_id"], desk["party"]["_id"]),
        ("absent", 10**6, 10**6),
    ):
        told[name] = _outcome(
            desk["AMBER"], sql, {**ids, "mine": mine["_id"], "entry": entry, "party": party}
        )
    assert told["red"] == told["absent"] and not told["red"].startswith("saved"), told
    assert "constraint" not in told["red"]


def test_an_analyst_moves_none_of_their_records_to_a_hidden_records_uuid(desk) -> None:
    mine = _own_entry(desk)
    told = _outcome(
        desk["AMBER"],
        "UPDATE timeline_entry SET uuid = %(u)s WHERE id = %(mine)s",
        {"u": desk["entry"]["uuid"], "mine": mine["_id"]},
    )
    assert told.startswith("That timeline entry has the id, UUID or data-set id")
    again = _outcome(
        desk["AMBER"],
        "UPDATE timeline_entry SET uuid = %(u)s WHERE id = %(mine)s",
        {"u": new_uuid(), "mine": mine["_id"]},
    )
    assert again == "saved (1 rows)"


def test_an_older_project_gets_these_rules_from_its_administrator(desk) -> None:
    """A project whose pieces predate them (no key guard, no record of freed ids, the parent's
    label as before) gets them when its administrator opens it."""
    _as_older(
        desk,
        "DROP TRIGGER keys_kept ON timeline_entry",
        "DROP TABLE released_id",
        "CREATE OR REPLACE FUNCTION briefing_section_hides(section integer, labels text[])"
        " RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp"
        " AS $$ SELECT EXISTS (SELECT 1 FROM section_item i JOIN timeline_entry e"
        " ON e.id = i.entry_id WHERE i.section_id = section AND e.tlp <> ALL (labels)) $$",
        "CREATE OR REPLACE FUNCTION briefing_party_label() RETURNS trigger"
        " LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp"
        " AS $$ BEGIN NEW.eff_tlp := briefing_party_effective(NEW.id, NEW.tlp,"
        " NEW.parent_id); RETURN NEW; END $$",
    )
    test_a_hidden_records_text_cannot_be_read_through_a_conflicting_insert(desk, "uuid")
    test_a_hidden_parent_and_an_absent_one_are_refused_alike(desk, "update")
    test_an_id_a_hidden_record_holds_and_one_another_freed_are_told_alike(desk)
    test_whether_a_section_holds_hidden_items_is_told_only_of_a_briefing_one_reads(desk)


def test_an_id_a_hidden_record_holds_and_one_another_freed_are_told_alike(desk) -> None:
    """A row added with an id a hidden record holds is left out (the program then gives it
    the next id), as is one with an id another analyst's deletion freed; one the analyst's
    own deletion freed is kept, as their undo puts it back."""
    with open_project(desk["RED"], "red") as project:
        theirs = records.create_record(
            project, "entry", {"title": "Theirs", "start_utc": "2021-11-16T06:00:00Z"}
        ).after["entry"][0]
        records.delete_records(project, "entry", [theirs["_id"]])
    gone = _own_entry(desk)
    with open_project(desk["AMBER"], "amber") as project:
        records.delete_records(project, "entry", [gone["_id"]])
    mine = _own_entry(desk)
    values = "'id', %(id)s::integer, 'uuid', gen_random_uuid()::text, 'title', %(t)s::text"
    told = {
        name: _outcome(
            desk["AMBER"],
            _COPY.format(table="timeline_entry", values=values),
            {"mine": mine["_id"], "id": record_id, "t": name},
        )
        for name, record_id in (
            ("hidden", desk["entry"]["_id"]),
            ("freed", theirs["_id"]),
            ("mine", gone["_id"]),
        )
    }
    assert told == {"hidden": "saved (0 rows)", "freed": "saved (0 rows)", "mine": "saved (1 rows)"}
    kept = _admin_rows(
        desk,
        "SELECT id, title FROM timeline_entry WHERE id = ANY(%(ids)s) ORDER BY id",
        {"ids": [desk["entry"]["_id"], theirs["_id"], gone["_id"]]},
    )
    assert kept == sorted([(desk["entry"]["_id"], desk["entry"]["title"]), (gone["_id"], "mine")])


def test_no_analyst_counts_the_rows_naming_a_hidden_record(desk) -> None:
    """The owner's count of the rows naming a record, which a deletion weighs, is no function an
    analyst may call: given a hidden party's id it would tell that party is there."""
    import psycopg

    with psycopg.connect(desk["AMBER"]) as connection:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute("SELECT briefing_naming_rows('party', %s)", (desk["party"]["_id"],))


def test_an_older_project_takes_the_count_back_from_its_analysts(desk) -> None:
    """An earlier version let every analyst run the owner's count (its own check called it)."""
    from briefing.store.server.address import ServerAddress

    analyst = ServerAddress.parse(desk["AMBER"]).user
    _as_older(
        desk,
        "DROP TRIGGER deletion_counted ON party",
        f"GRANT EXECUTE ON FUNCTION briefing_naming_rows(text, integer) TO {analyst}",
    )
    test_no_analyst_counts_the_rows_naming_a_hidden_record(desk)


def test_whether_a_section_holds_hidden_items_is_told_only_of_a_briefing_one_reads(desk) -> None:
    """The owner's answer, which the rule keeping a section's hidden items asks, is the same
    for a section of a RED briefing holding a RED entry as for a section id no section has."""
    from briefing.services import briefings

    with open_project(desk["admin"], "postgres") as admin:
        red = records.create_record(
            admin, "briefing", {"title": "Eyes only", "as_of": "2021-11-16T05:00:00Z", "tlp": "RED"}
        ).after["briefing"][0]
        briefings.add_items(admin, red["_id"], [("entry", desk["entry"]["_id"])])
    [(section, absent)] = _admin_rows(
        desk,
        "SELECT min(id), (SELECT max(id) + 1000 FROM section) FROM section"
        " WHERE briefing_id = %(b)s",
        {"b": red["_id"]},
    )
    with open_project(desk["AMBER"], "amber") as project, project.engine.connect() as c:
        told = [
            c.exec_driver_sql(
                "SELECT briefing_section_hides(%(s)s, '{CLEAR,GREEN,AMBER}')", {"s": s}
            ).scalar_one()
            for s in (section, absent)
        ]
    assert told == [False, False]
