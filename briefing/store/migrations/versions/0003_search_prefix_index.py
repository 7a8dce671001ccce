"""prefix index for the full-text search of short word starts (file format 3)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 17:00:00

The SQLite full-text index gains prefix indexes of two and three letters
(FTS5's ``prefix='2 3'``), so that a search for a word being typed ("ba", "bab")
reads one list instead of merging the lists of every word it starts: on a
100,000-entry file, "ba*" went from about 240 ms to a fraction of a millisecond,
and the index from about 23 to 54 MB.

FTS5 fixes its prefix indexes when the table is created, so the table is dropped
and created again; the store refills it from the records after every upgrade
(:func:`briefing.model.fulltext.rebuild`), so nothing is lost. Only SQLite files
hold this index: on another database this step does nothing.
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None
SCHEMA_VERSION = 3

CREATE_FTS = (
    "CREATE VIRTUAL TABLE search_index USING fts5("
    "title, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
)
"""Written out, so that this migration stays what it is when the model's index changes."""


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TABLE search_index")
    op.execute(CREATE_FTS)


def downgrade() -> None:
    raise NotImplementedError("file format 3 is not turned back into format 2")
