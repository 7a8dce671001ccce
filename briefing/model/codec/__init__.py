"""Records as plain dicts that refer to each other by UUID.

This one form serves JSON interchange, undo (a snapshot before an edit is put
back with :func:`load`), merging and share copies. It works on SQLAlchemy Core
with executemany, so loading 100,000 records costs little more than raw SQL.

The package reads in this order: :mod:`.fields` (kinds, tables, fields and their
document form), :mod:`.sql` (look-ups by id or UUID), :mod:`.dump` (reading),
:mod:`.rows` and :mod:`.links` (what :mod:`.load` writes).
"""

from __future__ import annotations

from briefing.model.codec.dump import dump, dump_all
from briefing.model.codec.fields import (
    DOCUMENT_KEYS,
    ITEM_COLUMNS,
    KIND_OF_TABLE,
    KINDS,
    TABLE_NAMES,
    Field,
    Records,
    fields,
    parse_time,
    stored_time,
    table,
    time_to_text,
)
from briefing.model.codec.load import BrokenRule, LoadResult, broken_rule, load
from briefing.model.codec.rows import Known
from briefing.model.codec.sql import ids_for_uuids, rows_where_in, uuids_for_ids

__all__ = [
    "DOCUMENT_KEYS",
    "ITEM_COLUMNS",
    "KINDS",
    "KIND_OF_TABLE",
    "TABLE_NAMES",
    "BrokenRule",
    "Field",
    "Known",
    "LoadResult",
    "Records",
    "broken_rule",
    "dump",
    "dump_all",
    "fields",
    "ids_for_uuids",
    "load",
    "parse_time",
    "rows_where_in",
    "stored_time",
    "table",
    "time_to_text",
    "uuids_for_ids",
]
