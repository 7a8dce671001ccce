"""Effective labels on a team server: a record's label once what it depends on is counted.

A party inside a RED party is hidden with it, and a timeline entry naming a
hidden party is hidden too (its searchable text holds the name). Worked out in
each statement, that cost every analyst's query a walk of the parties and of the
entries naming them (about a millisecond per look-up at 100,000 entries). So each
party and entry carries ``eff_tlp``: the strictest of its own label and, for a
party, those of every party it is inside (its parent, that one's, and so on), for
an entry, the effective labels of the parties it names. A party's is worked out
from the labels up its chain, never from its parent's stored effective label: in a
cycle of parents (each inside the other) that label would feed itself and stay at
the strictest it ever was, and a cycle with no top would be filled with the
parties' own labels, leaving a party inside a RED one readable.
The markings' policies then compare one indexed column (:mod:`.pg_security`),
and the search words of parties and entries carry the same label
(:mod:`.pg_search`).

The column is written by triggers running as the project's owner (``SECURITY
DEFINER``, fixed search path), never by the caller: a row's label is worked out
before it is written (a value an analyst sends is replaced, and the policy's check
sees the label worked out; a parent that is not there counts as hidden, see
:data:`NO_PARENT`), and a change of a party's effective label is carried
to the parties inside it and the entries naming it; links added or removed redo
their entries. A label this program does not know counts as strictest, so no
clearance reads it. Installed with the team's other pieces (repeatable), the
column filled when added.
"""

from __future__ import annotations

from sqlalchemy import Connection

from briefing.model.vocab import Tlp
from briefing.store.pg_search import LABELLED_TABLES, OWNER_PATH

RANKS = "ARRAY[" + ", ".join(f"'{t.value}'" for t in Tlp) + "]"
UNKNOWN_RANK = len(Tlp) + 1
TABLES = LABELLED_TABLES


NO_PARENT = "NO PARENT"
"""The effective label of a party whose parent is not there (yet: a copy may store a party
before its parent, which then carries its label on): a label no clearance reads, so an
analyst naming a parent that does not exist is refused as one naming a hidden one is, and
cannot tell the two apart."""


def _rank(label: str) -> str:
    return f"coalesce(array_position({RANKS}, {label}), {UNKNOWN_RANK})"


FUNCTIONS = (
    f"""
CREATE OR REPLACE FUNCTION briefing_stricter(a text, b text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE {OWNER_PATH} AS $$
  SELECT CASE WHEN b IS NULL THEN a WHEN a IS NULL THEN b
              WHEN {_rank("b")} > {_rank("a")} THEN b ELSE a END
$$""",
    f"""
CREATE OR REPLACE FUNCTION briefing_party_effective(party integer, label text, parent integer)
RETURNS text LANGUAGE sql STABLE {OWNER_PATH} AS $$
  WITH RECURSIVE up(id, tlp, parent_id) AS (
    SELECT p.id, p.tlp::text, p.parent_id FROM party p WHERE p.id = parent AND p.id <> party
    UNION
    SELECT p.id, p.tlp::text, p.parent_id FROM party p JOIN up ON p.id = up.parent_id
    WHERE p.id <> party
  )
  SELECT briefing_stricter(label,
    (SELECT tlp FROM up ORDER BY {_rank("tlp")} DESC LIMIT 1))
$$""",
    f"""
CREATE OR REPLACE FUNCTION briefing_party_label() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER {OWNER_PATH} AS $$
BEGIN
  IF NEW.parent_id IS NOT NULL AND NEW.parent_id <> NEW.id
     AND NOT EXISTS (SELECT 1 FROM party WHERE id = NEW.parent_id) THEN
    NEW.eff_tlp := '{NO_PARENT}';
  ELSE
    NEW.eff_tlp := briefing_party_effective(NEW.id, NEW.tlp, NEW.parent_id);
  END IF;
  RETURN NEW;
END $$""",
    f"""
CREATE OR REPLACE FUNCTION briefing_party_relabelled() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER {OWNER_PATH} AS $$
BEGIN
  UPDATE party SET eff_tlp = NULL WHERE parent_id = NEW.id AND id <> NEW.id;
  UPDATE timeline_entry SET eff_tlp = NULL
  WHERE id IN (SELECT entry_id FROM entry_party WHERE party_id = NEW.id);
  RETURN NULL;
END $$""",
    f"""
CREATE OR REPLACE FUNCTION briefing_entry_label() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER {OWNER_PATH} AS $$
BEGIN
  NEW.eff_tlp := briefing_stricter(NEW.tlp, (
    SELECT p.eff_tlp FROM entry_party l JOIN party p ON p.id = l.party_id
    WHERE l.entry_id = NEW.id ORDER BY {_rank("p.eff_tlp")} DESC LIMIT 1));
  RETURN NEW;
END $$""",
    f"""
CREATE OR REPLACE FUNCTION briefing_links_added() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER {OWNER_PATH} AS $$
BEGIN
  UPDATE timeline_entry SET eff_tlp = NULL WHERE id IN (SELECT entry_id FROM added);
  RETURN NULL;
END $$""",
    f"""
CREATE OR REPLACE FUNCTION briefing_links_removed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER {OWNER_PATH} AS $$
BEGIN
  UPDATE timeline_entry SET eff_tlp = NULL WHERE id IN (SELECT entry_id FROM removed);
  RETURN NULL;
END $$""",
    f"""
CREATE OR REPLACE FUNCTION briefing_links_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER {OWNER_PATH} AS $$
BEGIN
  UPDATE timeline_entry SET eff_tlp = NULL
  WHERE id IN (SELECT entry_id FROM added UNION SELECT entry_id FROM removed);
  RETURN NULL;
END $$""",
)

OWNER_FUNCTIONS = (
    "briefing_party_effective(integer, text, integer)",
    "briefing_party_label()",
    "briefing_party_relabelled()",
    "briefing_entry_label()",
    "briefing_links_added()",
    "briefing_links_removed()",
    "briefing_links_changed()",
)

TRIGGERS = {
    ("party", "effective_label"): "BEFORE INSERT OR UPDATE ON party FOR EACH ROW"
    " EXECUTE FUNCTION briefing_party_label()",
    ("party", "effective_label_carried"): "AFTER UPDATE ON party FOR EACH ROW"
    " WHEN (OLD.eff_tlp IS DISTINCT FROM NEW.eff_tlp) EXECUTE FUNCTION briefing_party_relabelled()",
    ("party", "effective_label_born"): "AFTER INSERT ON party FOR EACH ROW"
    " EXECUTE FUNCTION briefing_party_relabelled()",
    ("timeline_entry", "effective_label"): "BEFORE INSERT OR UPDATE ON timeline_entry"
    " FOR EACH ROW EXECUTE FUNCTION briefing_entry_label()",
    ("entry_party", "effective_label_added"): "AFTER INSERT ON entry_party"
    " REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION briefing_links_added()",
    ("entry_party", "effective_label_removed"): "AFTER DELETE ON entry_party"
    " REFERENCING OLD TABLE AS removed FOR EACH STATEMENT"
    " EXECUTE FUNCTION briefing_links_removed()",
    ("entry_party", "effective_label_changed"): "AFTER UPDATE ON entry_party"
    " REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT"
    " EXECUTE FUNCTION briefing_links_changed()",
}
"""A party's change is carried on only when its effective label changed (a party stored
before its parent, as a copy may, is carried on when the parent comes)."""

INDEX = "CREATE INDEX IF NOT EXISTS ix_timeline_entry_eff ON timeline_entry (eff_tlp, id)"
"""An analyst's count of the timeline read from an index alone: the label the policy asks."""

FILL_PARTIES = """
UPDATE party p SET eff_tlp = e.eff
FROM (SELECT id, briefing_party_effective(id, tlp, parent_id) AS eff FROM party) e
WHERE e.id = p.id AND p.eff_tlp IS DISTINCT FROM e.eff"""
"""Every party's effective label, each from its own and its ancestors' labels."""

FILL_ENTRIES = f"""
UPDATE timeline_entry e SET eff_tlp = briefing_stricter(e.tlp, s.eff) FROM (
  SELECT x.id, (SELECT p.eff_tlp FROM entry_party l JOIN party p ON p.id = l.party_id
                WHERE l.entry_id = x.id ORDER BY {_rank("p.eff_tlp")} DESC LIMIT 1) AS eff
  FROM timeline_entry x
) s WHERE s.id = e.id AND e.eff_tlp IS DISTINCT FROM briefing_stricter(e.tlp, s.eff)"""


def install(connection: Connection) -> None:
    """Add the columns and triggers; fill the columns (repeatable; the owner's)."""
    run = connection.exec_driver_sql
    for table in TABLES:
        run(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS eff_tlp text")
    for sql in FUNCTIONS:
        run(sql)
    for (table, name), body in TRIGGERS.items():
        run(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        run(f"CREATE TRIGGER {name} {body}")
    for function in OWNER_FUNCTIONS:
        run(f"REVOKE EXECUTE ON FUNCTION {function} FROM PUBLIC")
    switched = [(t, n) for t, n in TRIGGERS if t in TABLES]
    for table, name in switched:
        run(f"ALTER TABLE {table} DISABLE TRIGGER {name}")
    run(FILL_PARTIES)
    run(FILL_ENTRIES)
    for table, name in switched:
        run(f"ALTER TABLE {table} ENABLE TRIGGER {name}")
    run(INDEX)


def is_current(connection: Connection) -> bool:
    """Whether the project has this version's effective labels (columns, triggers, walk)."""
    row = connection.exec_driver_sql(
        "SELECT count(*) FROM pg_catalog.pg_trigger WHERE left(tgname, 15) = 'effective_label'"
        " AND to_regprocedure('briefing_party_effective(integer, text, integer)') IS NOT NULL"
        " AND strpos((SELECT prosrc FROM pg_catalog.pg_proc"
        f" WHERE oid = to_regprocedure('briefing_party_label()')), '{NO_PARENT}') > 0"
    ).scalar_one()
    return int(row) == len(TRIGGERS)
