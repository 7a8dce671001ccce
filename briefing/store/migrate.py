"""Run Alembic migrations on an open connection and map revisions to schema versions."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def revision_for_version() -> dict[int, str]:
    """Schema version (``user_version``) → Alembic revision that produces it."""
    scripts = ScriptDirectory.from_config(alembic_config())
    mapping: dict[int, str] = {}
    for script in scripts.walk_revisions():
        version = getattr(script.module, "SCHEMA_VERSION", None)
        if version is not None:
            mapping[int(version)] = script.revision
    return mapping


def upgrade_to_head(connection: Connection) -> None:
    """Bring the schema to the newest version inside the caller's transaction."""
    command.upgrade(alembic_config(connection), "head")
