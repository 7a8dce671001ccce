"""A search on a server reads its words once, as a constant the planner can weigh."""

from __future__ import annotations

from sqlalchemy import text

from briefing.model import fulltext, fulltext_server
from briefing.services.library_query import ListFilter, ordered_ids
from briefing.store import open_project


def test_a_connection_never_compiles_a_query_and_plans_each_for_its_values(
    server_address: str,
) -> None:
    with open_project(server_address, "Reader") as project, project.engine.connect() as c:
        assert c.execute(text("SHOW jit")).scalar_one() == "off"
        assert c.execute(text("SHOW plan_cache_mode")).scalar_one() == "force_custom_plan"


def test_the_words_are_folded_by_the_server_once(server_address: str) -> None:
    with open_project(server_address, "Reader") as project, project.engine.connect() as c:
        query = fulltext.search_words("Azərbaycan ağır ba", typing=True).query
        assert fulltext_server.tsquery_of(c, query) == "'azerbaycan' & 'agir' & 'ba':*"
        assert fulltext_server.tsquery_of(c, '"!"') is None


def test_a_new_project_tells_the_planner_how_index_rows_share_out(server_address: str) -> None:
    with open_project(server_address, "Reader") as project, project.engine.connect() as c:
        found = c.execute(
            text("SELECT count(*) FROM pg_statistic_ext WHERE stxname = 'search_index_kind'")
        ).scalar_one()
    assert found == 1


def test_a_search_asked_again_and_again_finds_the_same(server_demo_address: str) -> None:
    """Past psycopg's fifth run a statement is prepared; its plan must still fit each search."""
    with open_project(server_demo_address, "Reader") as project:
        with project.engine.connect() as connection:
            first = {
                words: ordered_ids(connection, "entry", ListFilter(text=words), limit=50)
                for words in ("border", "armen", "zzzz")
            }
            assert first["border"] and first["armen"] and not first["zzzz"]
            for _ in range(4):
                for words, ids in first.items():
                    assert ordered_ids(connection, "entry", ListFilter(text=words), limit=50) == ids
