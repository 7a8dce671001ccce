"""casualty claims, richer vocabularies and map items (file format 2)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 13:40:00

The single killed/wounded/captured figures of a timeline entry become casualty
claims about "all sides", claimed by the party that reported them; a casualty
note rides on the first claim, or, when there was no figure, is kept at the end
of the entry's description. Party and relationship kinds gain words, and a
section item may be a map.

SQLite changes a table by building it anew: the new table is created under a
temporary name, filled, the old one dropped and the new one renamed. This needs
foreign keys off (as SQLite's documentation prescribes), or dropping a table
would delete the rows that refer to it; the store runs migrations so, and checks
every link before the transaction commits. The tables are written as literal SQL
so that this migration stays what it is when the models change later.
"""

from __future__ import annotations

import re

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None
SCHEMA_VERSION = 2

TABLES = {
    "casualty_claim": (
        "CREATE TABLE casualty_claim ( id INTEGER NOT NULL, uuid VARCHAR(36) NOT NULL, entry_id "
        "INTEGER NOT NULL, position INTEGER NOT NULL, side VARCHAR(9) NOT NULL, party_id INTEGER, "
        "category VARCHAR(9) NOT NULL, low INTEGER, best INTEGER, high INTEGER, words TEXT NOT NULL, "
        "claimant_id INTEGER, source_id INTEGER, claimed_at VARCHAR(27), CONSTRAINT pk_casualty_claim"
        " PRIMARY KEY (id), CONSTRAINT ck_casualty_claim_figures_not_negative CHECK (coalesce(low, 0)"
        " >= 0 AND coalesce(best, 0) >= 0 AND coalesce(high, 0) >= 0), CONSTRAINT "
        "ck_casualty_claim_figures_in_order CHECK (coalesce(low, best, high, 0) <= coalesce(best, "
        "high, low, 0) AND coalesce(best, high, low, 0) <= coalesce(high, best, low, 0)), CONSTRAINT "
        "uq_casualty_claim_uuid UNIQUE (uuid), CONSTRAINT fk_casualty_claim_entry_id_timeline_entry "
        "FOREIGN KEY(entry_id) REFERENCES timeline_entry (id) ON DELETE CASCADE, CONSTRAINT "
        "ck_casualty_claim_claim_side CHECK (side IN ('party', 'civilians', 'unknown', 'all sides')),"
        " CONSTRAINT fk_casualty_claim_party_id_party FOREIGN KEY(party_id) REFERENCES party (id) ON "
        "DELETE SET NULL, CONSTRAINT ck_casualty_claim_claim_category CHECK (category IN ('killed', "
        "'wounded', 'captured', 'missing', 'displaced')), CONSTRAINT "
        "fk_casualty_claim_claimant_id_party FOREIGN KEY(claimant_id) REFERENCES party (id) ON DELETE"
        " SET NULL, CONSTRAINT fk_casualty_claim_source_id_source FOREIGN KEY(source_id) REFERENCES "
        "source (id) ON DELETE SET NULL )"
    ),
    "party": (
        "CREATE TABLE party ( name TEXT NOT NULL, short_name TEXT NOT NULL, kind VARCHAR(26) NOT "
        "NULL, parent_id INTEGER, colour TEXT NOT NULL, description TEXT NOT NULL, id INTEGER NOT "
        "NULL, uuid VARCHAR(36) NOT NULL, created_at VARCHAR(27) NOT NULL, updated_at VARCHAR(27) NOT"
        " NULL, updated_by TEXT NOT NULL, tlp VARCHAR(12) NOT NULL, tags TEXT NOT NULL, notes TEXT "
        "NOT NULL, CONSTRAINT pk_party PRIMARY KEY (id), CONSTRAINT ck_party_party_kind CHECK (kind "
        "IN ('state', 'ministry', 'armed force', 'armed group', 'official', 'organisation', 'outlet',"
        " 'alliance', 'international organisation', 'non-state armed group', 'militia', 'private "
        "military company')), CONSTRAINT fk_party_parent_id_party FOREIGN KEY(parent_id) REFERENCES "
        "party (id) ON DELETE SET NULL, CONSTRAINT uq_party_uuid UNIQUE (uuid), CONSTRAINT "
        "ck_party_tlp CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')) )"
    ),
    "relationship": (
        "CREATE TABLE relationship ( party_a_id INTEGER NOT NULL, party_b_id INTEGER NOT NULL, kind "
        "VARCHAR(19) NOT NULL, title TEXT NOT NULL, since TEXT NOT NULL, until TEXT NOT NULL, status "
        "VARCHAR(9) NOT NULL, description TEXT NOT NULL, id INTEGER NOT NULL, uuid VARCHAR(36) NOT "
        "NULL, created_at VARCHAR(27) NOT NULL, updated_at VARCHAR(27) NOT NULL, updated_by TEXT NOT "
        "NULL, tlp VARCHAR(12) NOT NULL, tags TEXT NOT NULL, notes TEXT NOT NULL, CONSTRAINT "
        "pk_relationship PRIMARY KEY (id), CONSTRAINT fk_relationship_party_a_id_party FOREIGN "
        "KEY(party_a_id) REFERENCES party (id) ON DELETE CASCADE, CONSTRAINT "
        "fk_relationship_party_b_id_party FOREIGN KEY(party_b_id) REFERENCES party (id) ON DELETE "
        "CASCADE, CONSTRAINT ck_relationship_relationship_kind CHECK (kind IN ('defence treaty', "
        "'military base', 'arms supply', 'political backing', 'mediation', 'peacekeeping', 'rivalry',"
        " 'membership', 'sanctions', 'ceasefire agreement', 'arms embargo')), CONSTRAINT "
        "ck_relationship_relationship_status CHECK (status IN ('in force', 'suspended', 'ended', "
        "'alleged')), CONSTRAINT uq_relationship_uuid UNIQUE (uuid), CONSTRAINT ck_relationship_tlp "
        "CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')) )"
    ),
    "timeline_entry": (
        "CREATE TABLE timeline_entry ( title TEXT NOT NULL, description TEXT NOT NULL, start_utc "
        "VARCHAR(27) NOT NULL, end_utc VARCHAR(27), zone TEXT NOT NULL, precision VARCHAR(6) NOT "
        "NULL, place TEXT NOT NULL, latitude DOUBLE, longitude DOUBLE, status VARCHAR(11) NOT NULL, "
        "credibility INTEGER NOT NULL, external_id TEXT, id INTEGER NOT NULL, uuid VARCHAR(36) NOT "
        "NULL, created_at VARCHAR(27) NOT NULL, updated_at VARCHAR(27) NOT NULL, updated_by TEXT NOT "
        "NULL, tlp VARCHAR(12) NOT NULL, tags TEXT NOT NULL, notes TEXT NOT NULL, CONSTRAINT "
        "pk_timeline_entry PRIMARY KEY (id), CONSTRAINT ck_timeline_entry_credibility_range CHECK "
        "(credibility BETWEEN 1 AND 6), CONSTRAINT ck_timeline_entry_end_after_start CHECK (end_utc "
        "IS NULL OR end_utc >= start_utc), CONSTRAINT ck_timeline_entry_precision CHECK (precision IN"
        " ('minute', 'hour', 'day', 'month')), CONSTRAINT ck_timeline_entry_verification CHECK "
        "(status IN ('confirmed', 'reported', 'unconfirmed', 'disputed', 'refuted')), CONSTRAINT "
        "uq_timeline_entry_external_id UNIQUE (external_id), CONSTRAINT uq_timeline_entry_uuid UNIQUE"
        " (uuid), CONSTRAINT ck_timeline_entry_tlp CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', "
        "'AMBER+STRICT', 'RED')) )"
    ),
    "section_item": (
        "CREATE TABLE section_item ( id INTEGER NOT NULL, uuid VARCHAR(36) NOT NULL, section_id "
        "INTEGER NOT NULL, position INTEGER NOT NULL, entry_id INTEGER, statement_id INTEGER, "
        "relationship_id INTEGER, party_id INTEGER, source_id INTEGER, is_map BOOLEAN DEFAULT 0 NOT "
        "NULL, CONSTRAINT pk_section_item PRIMARY KEY (id), CONSTRAINT ck_section_item_one_target "
        "CHECK ((entry_id IS NOT NULL) + (statement_id IS NOT NULL) + (relationship_id IS NOT NULL) +"
        " (party_id IS NOT NULL) + (source_id IS NOT NULL) + (is_map = 1) = 1), CONSTRAINT "
        "uq_section_item_uuid UNIQUE (uuid), CONSTRAINT fk_section_item_section_id_section FOREIGN "
        "KEY(section_id) REFERENCES section (id) ON DELETE CASCADE, CONSTRAINT "
        "fk_section_item_entry_id_timeline_entry FOREIGN KEY(entry_id) REFERENCES timeline_entry (id)"
        " ON DELETE CASCADE, CONSTRAINT fk_section_item_statement_id_statement FOREIGN "
        "KEY(statement_id) REFERENCES statement (id) ON DELETE CASCADE, CONSTRAINT "
        "fk_section_item_relationship_id_relationship FOREIGN KEY(relationship_id) REFERENCES "
        "relationship (id) ON DELETE CASCADE, CONSTRAINT fk_section_item_party_id_party FOREIGN "
        "KEY(party_id) REFERENCES party (id) ON DELETE CASCADE, CONSTRAINT "
        "fk_section_item_source_id_source FOREIGN KEY(source_id) REFERENCES source (id) ON DELETE "
        "CASCADE, CONSTRAINT ck_section_item_is_map CHECK (is_map IN (0, 1)) )"
    ),
}

INDEXES = {
    "casualty_claim": (
        "CREATE INDEX ix_casualty_claim_claimant_id ON casualty_claim (claimant_id)",
        "CREATE INDEX ix_casualty_claim_entry_id ON casualty_claim (entry_id)",
        "CREATE INDEX ix_casualty_claim_party_id ON casualty_claim (party_id)",
        "CREATE INDEX ix_casualty_claim_source_id ON casualty_claim (source_id)",
    ),
    "party": (
        "CREATE INDEX ix_party_parent_id ON party (parent_id)",
        "CREATE INDEX ix_party_updated_at ON party (updated_at)",
    ),
    "relationship": (
        "CREATE INDEX ix_relationship_party_a_id ON relationship (party_a_id)",
        "CREATE INDEX ix_relationship_party_b_id ON relationship (party_b_id)",
        "CREATE INDEX ix_relationship_updated_at ON relationship (updated_at)",
    ),
    "timeline_entry": (
        "CREATE INDEX ix_timeline_entry_start_utc ON timeline_entry (start_utc)",
        "CREATE INDEX ix_timeline_entry_status ON timeline_entry (status)",
        "CREATE INDEX ix_timeline_entry_updated_at ON timeline_entry (updated_at)",
    ),
    "section_item": (
        "CREATE INDEX ix_section_item_entry_id ON section_item (entry_id)",
        "CREATE INDEX ix_section_item_party_id ON section_item (party_id)",
        "CREATE INDEX ix_section_item_relationship_id ON section_item (relationship_id)",
        "CREATE INDEX ix_section_item_source_id ON section_item (source_id)",
        "CREATE INDEX ix_section_item_statement_id ON section_item (statement_id)",
    ),
}

_UUID = (
    "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || "
    "substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + abs(random()) % 4, 1) || "
    "substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))"
)

_FIGURES = (("killed", 0), ("wounded", 1), ("captured", 2))


def _columns(table: str) -> list[str]:
    return [row[1] for row in op.get_bind().exec_driver_sql(f"PRAGMA table_info({table})")]


def _recreate(table: str) -> None:
    """Build ``table`` anew from :data:`TABLES`, keeping every row of the columns it still has."""
    temporary = f"_format2_{table}"
    sql = TABLES[table].replace(f"CREATE TABLE {table} (", f"CREATE TABLE {temporary} (", 1)
    kept = [c for c in _columns(table) if re.search(rf"[(,] {c} ", TABLES[table])]
    names = ", ".join(f'"{c}"' for c in kept)
    op.execute(sql)
    op.execute(f"INSERT INTO {temporary} ({names}) SELECT {names} FROM {table}")
    op.execute(f"DROP TABLE {table}")
    op.execute(f"ALTER TABLE {temporary} RENAME TO {table}")
    for index in INDEXES[table]:
        op.execute(index)


def _move_figures() -> None:
    """Each old figure becomes a claim; a note goes with the first, or into the description."""
    for category, position in _FIGURES:
        op.execute(
            "INSERT INTO casualty_claim (uuid, entry_id, position, side, party_id, category, "
            "best, words, claimant_id) "
            f"SELECT {_UUID}, id, {position}, 'all sides', NULL, '{category}', {category}, "
            f"CASE WHEN {' AND '.join(f'{c} IS NULL' for c, p in _FIGURES if p < position) or '1'}"
            " THEN casualty_note ELSE '' END, casualties_reported_by_id "
            f"FROM timeline_entry WHERE {category} IS NOT NULL"
        )
    op.execute(
        "UPDATE timeline_entry SET description = CASE WHEN description = '' THEN casualty_note "
        "ELSE description || char(10) || char(10) || 'Casualties: ' || casualty_note END "
        "WHERE casualty_note <> '' AND killed IS NULL AND wounded IS NULL AND captured IS NULL"
    )


SERVER_STEPS = (
    "CREATE TABLE casualty_claim ( id SERIAL NOT NULL, uuid VARCHAR(36) NOT NULL, entry_id "
    "INTEGER NOT NULL, position INTEGER NOT NULL, side VARCHAR(9) NOT NULL, party_id INTEGER, "
    "category VARCHAR(9) NOT NULL, low INTEGER, best INTEGER, high INTEGER, words TEXT NOT NULL, "
    "claimant_id INTEGER, source_id INTEGER, claimed_at VARCHAR(27), CONSTRAINT pk_casualty_claim"
    " PRIMARY KEY (id), CONSTRAINT ck_casualty_claim_figures_not_negative CHECK (coalesce(low, 0)"
    " >= 0 AND coalesce(best, 0) >= 0 AND coalesce(high, 0) >= 0), CONSTRAINT "
    "ck_casualty_claim_figures_in_order CHECK (coalesce(low, best, high, 0) <= coalesce(best, "
    "high, low, 0) AND coalesce(best, high, low, 0) <= coalesce(high, best, low, 0)), CONSTRAINT "
    "uq_casualty_claim_uuid UNIQUE (uuid), CONSTRAINT fk_casualty_claim_entry_id_timeline_entry "
    "FOREIGN KEY(entry_id) REFERENCES timeline_entry (id) ON DELETE CASCADE, CONSTRAINT "
    "ck_casualty_claim_claim_side CHECK (side IN ('party', 'civilians', 'unknown', 'all sides')),"
    " CONSTRAINT fk_casualty_claim_party_id_party FOREIGN KEY(party_id) REFERENCES party (id) ON "
    "DELETE SET NULL, CONSTRAINT ck_casualty_claim_claim_category CHECK (category IN ('killed', "
    "'wounded', 'captured', 'missing', 'displaced')), CONSTRAINT "
    "fk_casualty_claim_claimant_id_party FOREIGN KEY(claimant_id) REFERENCES party (id) ON DELETE"
    " SET NULL, CONSTRAINT fk_casualty_claim_source_id_source FOREIGN KEY(source_id) REFERENCES "
    "source (id) ON DELETE SET NULL )",
    *INDEXES["casualty_claim"],
    "ALTER TABLE party DROP CONSTRAINT ck_party_party_kind, ALTER COLUMN kind TYPE VARCHAR(26), "
    "ADD CONSTRAINT ck_party_party_kind CHECK (kind IN ('state', 'ministry', 'armed force', "
    "'armed group', 'official', 'organisation', 'outlet', 'alliance', 'international "
    "organisation', 'non-state armed group', 'militia', 'private military company'))",
    "ALTER TABLE relationship DROP CONSTRAINT ck_relationship_relationship_kind, ALTER COLUMN kind"
    " TYPE VARCHAR(19), ADD CONSTRAINT ck_relationship_relationship_kind CHECK (kind IN ('defence "
    "treaty', 'military base', 'arms supply', 'political backing', 'mediation', 'peacekeeping', "
    "'rivalry', 'membership', 'sanctions', 'ceasefire agreement', 'arms embargo'))",
    "ALTER TABLE timeline_entry DROP CONSTRAINT ck_timeline_entry_casualties_not_negative, "
    "DROP COLUMN killed, DROP COLUMN wounded, DROP COLUMN captured, "
    "DROP COLUMN casualties_reported_by_id, DROP COLUMN casualty_note",
    "ALTER TABLE section_item ADD COLUMN is_map BOOLEAN DEFAULT false NOT NULL, "
    "DROP CONSTRAINT ck_section_item_one_target, ADD CONSTRAINT ck_section_item_one_target CHECK "
    "(num_nonnulls(entry_id, statement_id, relationship_id, party_id, source_id) + is_map::int = 1)",
)
"""The same change on a PostgreSQL server, which alters tables in place."""


def _upgrade_server() -> None:
    op.execute(SERVER_STEPS[0])
    for index in INDEXES["casualty_claim"]:
        op.execute(index)
    for category, position in _FIGURES:
        op.execute(
            "INSERT INTO casualty_claim (uuid, entry_id, position, side, party_id, category, "
            "best, words, claimant_id) "
            f"SELECT gen_random_uuid()::text, id, {position}, 'all sides', NULL, '{category}', "
            f"{category}, CASE WHEN "
            f"{' AND '.join(f'{c} IS NULL' for c, p in _FIGURES if p < position) or 'true'}"
            " THEN casualty_note ELSE '' END, casualties_reported_by_id "
            f"FROM timeline_entry WHERE {category} IS NOT NULL"
        )
    op.execute(
        "UPDATE timeline_entry SET description = CASE WHEN description = '' THEN casualty_note "
        "ELSE description || chr(10) || chr(10) || 'Casualties: ' || casualty_note END "
        "WHERE casualty_note <> '' AND killed IS NULL AND wounded IS NULL AND captured IS NULL"
    )
    for statement in SERVER_STEPS[1 + len(INDEXES["casualty_claim"]) :]:
        op.execute(statement)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        _upgrade_server()
        return
    if bind.exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError("file format 2 is built with foreign keys off")
    op.execute(TABLES["casualty_claim"])
    for index in INDEXES["casualty_claim"]:
        op.execute(index)
    _move_figures()
    for table in ("party", "relationship", "timeline_entry", "section_item"):
        _recreate(table)
    broken = bind.exec_driver_sql("PRAGMA foreign_key_check").fetchone()
    if broken is not None:
        raise RuntimeError(f"a row of {broken[0]} refers to a missing {broken[2]} record")


def downgrade() -> None:
    raise NotImplementedError("file format 2 is not turned back into format 1")
