"""``briefing check`` on a server: the schema is ours, and every record keeps the rules.

A server has no file to check byte by byte (PostgreSQL keeps its own pages
sound); what can go wrong is a table changed by hand or a row written around the
program. So: every table and column the program expects is there and nothing
foreign is, and every record, read back, passes the model's rules, as in a
file's whole check (:mod:`briefing.store.values`).
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from briefing.model import Base, codec, uuid_kinds

SERVER_TABLES = {
    "search_index",
    "search_word",
    "alembic_version",
    "tlp_release",
    "analyst_clearance",
    "edition_maker",
    "tombstone_latest",
    "released_id",
}
"""Tables a server project holds beside the models' own (full text, Alembic, clearances,
who froze each edition, the latest deletion of each record, who freed each id)."""


def schema_problems(connection: Connection, name: str) -> list[str]:
    rows = connection.execute(
        text(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema()"
        )
    )
    found: dict[str, set[str]] = {}
    for table, column in rows:
        found.setdefault(str(table), set()).add(str(column))
    problems = []
    for table in sorted(found.keys() - Base.metadata.tables.keys() - SERVER_TABLES):
        problems.append(f"{name} holds a table {table} that is not part of a project.")
    for table, model in sorted(Base.metadata.tables.items()):
        if table not in found:
            problems.append(f"{name} lacks the table {table}.")
            continue
        missing = {c.name for c in model.columns} - found[table]
        if missing:
            problems.append(f"{name}: the table {table} lacks {', '.join(sorted(missing))}.")
    return problems


def check_server_project(project: object, limit: int = 50) -> list[str]:
    """Every problem found, one sentence each; an empty list means the project is sound."""
    from briefing.store.values import _kind_problems, snapshot_problems

    name = str(getattr(project, "name", "the project"))
    with project.engine.connect() as connection:  # type: ignore[attr-defined]
        problems = schema_problems(connection, name)
        if problems:
            return problems
        for kind in codec.KINDS:
            problems += _kind_problems(connection, kind, limit - len(problems))
            if len(problems) >= limit:
                break
        if len(problems) < limit:
            problems += uuid_kinds.shared_in_project(connection, limit - len(problems))
        snapshots = connection.execute(text("SELECT id, snapshot FROM edition")).all()
    problems += [p for row_id, body in snapshots for p in snapshot_problems(row_id, body)]
    return [f"{name}: {p}" if not p.startswith(name) else p for p in problems[:limit]]
