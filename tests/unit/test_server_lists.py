"""The library's lists and rows answer alike on a server and on a file holding the same project."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from briefing.services import library_rows
from briefing.services.library_query import (
    COLUMNS,
    LIST_KINDS,
    ListFilter,
    count_all,
    ordered_ids,
    tags_in_use,
)
from briefing.store import open_project

FILTERS = [
    ListFilter(),
    ListFilter(text="border"),
    ListFilter(text="Azerbaycan"),
    ListFilter(text="treat"),
    ListFilter(party_id=1),
    ListFilter(date_from=date(2021, 11, 16), date_to=date(2021, 11, 16)),
    ListFilter(tlp="CLEAR"),
    ListFilter(tag="border"),
]


@pytest.fixture(scope="module")
def both(demo_template: Path, server_templates, tmp_path_factory) -> dict[str, object]:
    from postgres import DEMO_TEMPLATE

    address = server_templates.new_database(DEMO_TEMPLATE)
    projects = {
        "file": open_project(demo_template, "Reader", read_only=True),
        "server": open_project(address, "Reader", read_only=True),
    }
    yield projects
    for project in projects.values():
        project.close()


def _answers(project: object, kind: str) -> list[object]:
    """Counts, tags and every list; text sorted by its words (a server collates by Unicode).

    SQLite's NOCASE folds ASCII letters only and orders by code point; a server
    orders such columns by the Unicode collation, so for them the same records
    must be listed, in an order that may differ where punctuation or non-Latin
    letters decide.
    """
    found: list[object] = []
    with project.engine.connect() as connection:  # type: ignore[attr-defined]
        found.append(count_all(connection, kind))
        found.append(tags_in_use(connection, kind))
        for chosen in FILTERS:
            for column in COLUMNS[kind]:
                for descending in (False, True):
                    ids = ordered_ids(connection, kind, chosen, column.key, descending)
                    collated = "COLLATE NOCASE" in column.sort_sql
                    found.append(sorted(ids) if collated else ids)
            found.append(ordered_ids(connection, kind, chosen, limit=3))
    return found


@pytest.mark.parametrize("kind", LIST_KINDS)
def test_every_list_filter_and_sort_answers_alike(both, kind: str) -> None:
    assert _answers(both["server"], kind) == _answers(both["file"], kind)


@pytest.mark.parametrize("kind", LIST_KINDS)
def test_the_rows_a_list_paints_are_alike(both, kind: str) -> None:
    pages = {}
    for name, project in both.items():
        with project.engine.connect() as connection:
            ids = ordered_ids(connection, kind)
            pages[name] = library_rows.fetch_rows(connection, kind, ids)
    assert pages["server"] == pages["file"]
