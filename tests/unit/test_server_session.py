"""Every connection to a team server sorts a long list in memory, the list loader's own too."""

from __future__ import annotations

from sqlalchemy import text

from briefing.store import open_project


def test_a_long_search_list_is_sorted_in_memory_on_every_connection(server_address: str) -> None:
    with open_project(server_address, "Reader") as project:
        with project.engine.connect() as connection:
            assert connection.execute(text("SHOW work_mem")).scalar_one() == "32MB"
        with project.reading() as connection:  # the worker reading the rest of a long list
            assert connection.execute(text("SHOW work_mem")).scalar_one() == "32MB"
