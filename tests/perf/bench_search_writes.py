"""How a team server writes its search rows: a copy, and an analyst's edit, beside the old way.

Run by hand: ``python tests/perf/bench_search_writes.py [--entries N] [--edits E]``.
Starts a throw-away server (as the test suite does), builds a project file
(every tenth entry RED, as ``bench_team.py``) and measures, in one run:

- copying the file to the server with the search words written once at the end,
  beside the words written by their triggers statement by statement;
- one edit of an entry as the administrator and as an analyst cleared for AMBER,
  the index rows rewritten by the server's ``briefing_reindex`` (as the owner), beside
  the client's own DELETE and INSERT under row-level security (the analyst given
  back the writing it had for the measure).

Wall time and CPU time (this process plus the server process serving it: the
machine is shared, CPU is the steadier figure). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_gui import marked_project  # noqa: E402
from postgres import start_server  # noqa: E402
from sqlalchemy import text  # noqa: E402

from briefing.model import fulltext, fulltext_server  # noqa: E402
from briefing.services import records  # noqa: E402
from briefing.store import open_project, pg_search  # noqa: E402
from briefing.store.copying import copy_project  # noqa: E402

MARK_RED = "UPDATE timeline_entry SET tlp = 'RED' WHERE id % 10 = 7"
ANALYST = "amber_bench"
TICK = os.sysconf("SC_CLK_TCK")


def server_cpu(pid: int) -> float:
    """CPU seconds of a server process (with its reaped children, for the postmaster)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return sum(int(f) for f in fields[11:15]) / TICK


def timed_copy(path: Path, server, postmaster: int, words_at_end: bool) -> str:
    """Copy ``path`` to a new database; (wall, CPU) printed; the database's address."""
    address = server.new_database()
    real = pg_search.words_written_at_the_end
    if not words_at_end:
        pg_search.words_written_at_the_end = lambda connection: contextlib.nullcontext()
    try:
        cpu, wall = server_cpu(postmaster) + time.process_time(), time.perf_counter()
        with open_project(path, "Bench", read_only=True) as source:
            copy_project(source, address)
        time.sleep(0.5)  # the copy's server process ends and is counted
        used = server_cpu(postmaster) + time.process_time() - cpu
        wall = time.perf_counter() - wall - 0.5
    finally:
        pg_search.words_written_at_the_end = real
    how = "words once at the end" if words_at_end else "words per statement (before)"
    print(f"  copy, {how:<30} {wall:7.1f} s   CPU {used:6.1f} s")
    return address


def client_reindex(connection, code: int, ids) -> None:
    """The index rows rewritten by the client itself, as before (the baseline)."""
    kind, wanted = fulltext.KIND_BY_CODE[code], sorted(ids)
    marks = ",".join(str(int(i)) for i in wanted)
    rowids = ",".join(str(int(i) * 8 + code) for i in wanted)
    connection.execute(text(f"DELETE FROM search_index WHERE rowid IN ({rowids})"))
    connection.execute(text(fulltext.server_insert_sql(kind, f"WHERE t.id IN ({marks})")))


def edits(address: str, label: str, count: int, rounds: int) -> None:
    """Median (wall, CPU) ms of an entry's title edit, server-written beside client-written."""
    figures: dict[str, list[tuple[float, float]]] = {"server": [], "client": []}
    real = fulltext_server.reindex
    with open_project(address, label) as project:
        with project.engine.connect() as connection:  # the project's one connection
            backend = int(connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one())
            ids = [
                int(r[0])
                for r in connection.exec_driver_sql(
                    "SELECT id FROM timeline_entry WHERE mod(id, 10) <> 7"
                    f" ORDER BY id LIMIT {count}"
                )
            ]
        for n in range(rounds):
            for way in figures:
                fulltext_server.reindex = real if way == "server" else client_reindex
                for k, record_id in enumerate(ids):
                    cpu = server_cpu(backend) + time.process_time()
                    wall = time.perf_counter()
                    values = {"title": f"Edited {way} {n} {k}"}
                    records.update_record(project, "entry", record_id, values)
                    figures[way].append(
                        (
                            (time.perf_counter() - wall) * 1000,
                            (server_cpu(backend) + time.process_time() - cpu) * 1000,
                        )
                    )
    fulltext_server.reindex = real
    for way, name in (("server", "by the server"), ("client", "by the client (before)")):
        wall = statistics.median(w for w, _ in figures[way])
        cpu = statistics.median(c for _, c in figures[way])
        print(f"  edit as {label:<13} {name:<24} {wall:7.1f} ms  CPU {cpu:6.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--edits", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--folder", type=Path, default=None)
    args = parser.parse_args()
    server = start_server()
    if isinstance(server, str):
        sys.exit(server)
    try:
        folder = args.folder or Path(f"/tmp/briefing-search-writes-{args.entries}")
        folder.mkdir(parents=True, exist_ok=True)
        path = marked_project(folder / "team.brief", args.entries, (MARK_RED,))
        postmaster = int((server.folder / "data" / "postmaster.pid").read_text().split()[0])
        print(f"{args.entries:,} entries; load {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        before = timed_copy(path, server, postmaster, words_at_end=False)
        # dropped, so that its vacuuming is not counted in the next copy's CPU time
        server.execute(f"DROP DATABASE {before.rsplit('/', 1)[1]}")
        address = timed_copy(path, server, postmaster, words_at_end=True)
        import psycopg

        from briefing.store.pg_team import add_analyst

        with psycopg.connect(address, autocommit=True) as connection:
            connection.execute("VACUUM ANALYZE")
            add_analyst(connection, ANALYST, "AMBER", "unused: the test server trusts")
        edits(address, "postgres", args.edits, args.rounds)
        with psycopg.connect(address, autocommit=True) as connection:  # for the baseline only
            connection.execute(f"GRANT INSERT, UPDATE, DELETE ON search_index TO {ANALYST}")
        pg_search.is_current = lambda connection: True  # else refused: it may write the index
        edits(address.replace("//postgres@", f"//{ANALYST}@", 1), ANALYST, args.edits, args.rounds)
        print(f"load {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
