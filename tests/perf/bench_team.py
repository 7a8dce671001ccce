"""Team project benchmark: a 100,000-entry project on a local PostgreSQL server beside the file.

Run by hand: ``python tests/perf/bench_team.py [--entries N] [--seconds S] [--analysts A]``.
Starts a throw-away server (as the test suite does), builds the project as a
file, copies it to the server, then measures in one run, each figure beside its
baseline:

- open to a painted timeline list, a search typed to the list repainted, one
  edit saved: on the server as its administrator and as an analyst cleared for
  AMBER (whom row-level security hides the RED records from: every tenth entry,
  and two parties with the entries naming them), beside the same on the file
  (target: within 2×). Wall time, and CPU time of the window's process plus its
  server process (the machine is shared, CPU is the steadier figure); and the
  statements one edit sends, the window's refresh after it included. The AMBER
  analyst also on a copy of the database under the markings' previous policies
  (hidden parties and entries worked out in each statement instead of read from
  each record's effective label): the baseline of that change, same run;
- ``A`` simulated analysts (threads, each its own login role cleared for AMBER,
  under row-level security, on its own connection) editing a shared pool of 200
  entries they may all see for ``S`` seconds: edits per second, p95 latency,
  refusals (someone else changed the entry first), and lost edits, which must be
  zero: per entry, the acknowledged edits form one unbroken chain of stamps
  (each found the stamp the previous one left) ending in what the server holds.
  Baseline: one such analyst alone on the same server for the same time. CPU
  seconds of this process (the analysts' threads) and of the server processes serving them.

Prints figures; asserts nothing; not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_gui import (  # noqa: E402  (sets the offscreen platform and private settings first)
    SEARCHES,
    marked_project,
    wait_until,
)
from postgres import start_server  # noqa: E402

from briefing.gui.app import application  # noqa: E402
from briefing.gui.main_window import MainWindow  # noqa: E402
from briefing.gui.settings import AppSettings  # noqa: E402
from briefing.services import records  # noqa: E402
from briefing.services.stamps import StaleRecord, stamp_of  # noqa: E402
from briefing.store import open_project  # noqa: E402
from briefing.store.copying import copy_project  # noqa: E402

POOL = 200
"""Entries the simulated analysts share, so that they do collide."""
ANALYST = "amber_analyst"
MARK_RED = (
    "UPDATE timeline_entry SET tlp = 'RED' WHERE id % 10 = 7",
    "UPDATE party SET tlp = 'RED' WHERE id IN (5, 17)",
)
"""Records only the administrator sees, marked in the file before it is copied."""


class Clock:
    """Wall and CPU seconds of this process plus the server process serving the window."""

    def __init__(self, backend: int | None) -> None:
        self.backend = backend

    def cpu(self) -> float:
        return time.process_time() + self.server()

    def server(self) -> float:
        """CPU seconds of the server process alone."""
        if not self.backend:
            return 0.0
        with open(f"/proc/{self.backend}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def open_to_painted(app, target) -> tuple[MainWindow, float]:
    """Seconds from nothing to the window showing the project with timeline rows painted."""
    start = time.perf_counter()
    window = MainWindow(AppSettings())
    window.resize(1400, 900)
    window.show()
    if isinstance(target, Path):
        window.open_path(target)
    else:
        window.open_address(target)
    model = window.library.panes["entry"].model
    window.grab()
    wait_until(app, lambda: model.pages_fetched > 0 and window.inspector.current is not None)
    return window, time.perf_counter() - start


def search_ms(app, window: MainWindow, clock: Clock) -> tuple[float, float]:
    """Median ms (wall, CPU) from a search term's last keystroke to the list repainted."""
    pane = window.library.panes["entry"]
    bar, model, table = pane.filter_bar, pane.model, pane.table
    times, cpu = [], []
    for term in SEARCHES:
        bar.clear()
        wait_until(app, lambda: not model.is_loading)
        resets: list[bool] = []
        model.modelReset.connect(lambda resets=resets: resets.append(True))
        start, used = time.perf_counter(), clock.cpu()
        bar.search.setText(term)
        wait_until(app, resets.__len__)
        table.viewport().grab()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((clock.cpu() - used) * 1000)
        model.modelReset.disconnect()
    bar.clear()
    return statistics.median(times), statistics.median(cpu)


def edit_ms(window: MainWindow, clock: Clock) -> tuple[float, float, int]:
    """Median ms (wall, CPU) of one saved edit through the window's document (an entry's title),
    and the statements it sent, the window's refresh after it included."""
    document = window.document
    assert document is not None
    with document.project.engine.connect() as connection:
        ids = [r[0] for r in connection.exec_driver_sql(_FIRST_ENTRIES)]  # those the role sees
    times, cpu, sent = [], [], []
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:  # noqa: ANN001
        statements.append(statement)

    event.listen(document.project.engine, "before_cursor_execute", count)
    for n, record_id in enumerate(ids):
        record = records.get_record(document.project, "entry", record_id)
        statements.clear()
        start, used = time.perf_counter(), clock.cpu()
        change = document.run(
            lambda p, r=record, i=record_id, n=n: records.update_record(
                p, "entry", i, {"title": f"Edited {n}"}, loaded=stamp_of(r)
            )
        )
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((clock.cpu() - used) * 1000)
        sent.append(len(statements))
        assert change is not None
    event.remove(document.project.engine, "before_cursor_execute", count)
    return statistics.median(times), statistics.median(cpu), int(statistics.median(sent))


_FIRST_ENTRIES = "SELECT id FROM timeline_entry ORDER BY id LIMIT 9"


def backend_of(window: MainWindow) -> int | None:
    """The server process serving the window's connection (None for a file)."""
    return backend_of_project(window.document.project)


def backend_of_project(project) -> int | None:  # noqa: ANN001
    """The server process serving the project's connection (None for a file)."""
    if not getattr(project, "is_server", False):
        return None
    with project.engine.connect() as connection:
        return int(connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one())


def window_figures(app, target) -> list[tuple]:
    """(wall, CPU) of opening to a painted list (s), a search (ms) and one edit (ms)."""
    start = time.process_time()
    window, opened = open_to_painted(app, target)
    clock = Clock(backend_of(window))
    figures = [(opened, time.process_time() - start)]
    figures.append(search_ms(app, window, clock))
    figures.append(edit_ms(window, clock))
    window.close()
    app.processEvents()
    return figures


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    refusals: int = 0
    acknowledged: list[tuple[str, tuple, tuple, str]] = field(default_factory=list)
    """(uuid, stamp found, stamp left, title written) of every acknowledged edit."""
    server_cpu: float = 0.0
    """CPU seconds of the server process serving this analyst's connection."""


def analyst(address: str, ids: list[int], seconds: float, seed: int, tally: Tally) -> None:
    """One analyst editing titles of entries from ``ids`` until ``seconds`` have passed."""
    rng = random.Random(seed)
    project = open_project(address, "")
    served = Clock(backend_of_project(project))
    used = served.server()
    try:
        deadline = time.perf_counter() + seconds
        n = 0
        while time.perf_counter() < deadline:
            record_id = rng.choice(ids)
            seen = records.get_record(project, "entry", record_id)
            title = f"analyst {seed} edit {n}"
            n += 1
            start = time.perf_counter()
            try:
                change = records.update_record(
                    project, "entry", record_id, {"title": title}, loaded=stamp_of(seen)
                )
            except StaleRecord:
                tally.refusals += 1
                continue
            finally:
                tally.latencies.append((time.perf_counter() - start) * 1000)
            after = change.after["entry"][0]
            tally.acknowledged.append((after["uuid"], stamp_of(seen), stamp_of(after), title))
        tally.server_cpu = served.server() - used
    finally:
        project.close()


def concurrent(address: str, analysts: list[str], seconds: float, ids: list[int]) -> dict:
    """``analysts`` (their addresses) editing at once; acknowledged edits checked as the owner."""
    tallies = [Tally() for _ in analysts]
    threads = [
        threading.Thread(target=analyst, args=(login, ids, seconds, n, tallies[n]))
        for n, login in enumerate(analysts)
    ]
    cpu = time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cpu = time.process_time() - cpu
    latencies = sorted(x for t in tallies for x in t.latencies)
    acknowledged = [a for t in tallies for a in t.acknowledged]
    return {
        "edits/s": len(acknowledged) / seconds,
        "p95 ms": latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("nan"),
        "refusals": sum(t.refusals for t in tallies),
        "edits": len(acknowledged),
        "lost": lost_edits(address, acknowledged),
        "client CPU s": cpu,
        "server CPU s": sum(t.server_cpu for t in tallies),
    }


def lost_edits(address: str, acknowledged: list) -> int:
    """Acknowledged edits missing from the end state: breaks in each entry's chain of stamps."""
    chains: dict[str, dict[tuple, tuple]] = {}
    titles: dict[tuple, str] = {}
    for uuid, found, left, title in acknowledged:
        chains.setdefault(uuid, {})[found] = left
        titles[left] = title
    lost = 0
    with open_project(address, "") as project, project.engine.connect() as connection:
        for uuid, links in chains.items():
            record_id = records.id_of(connection, "entry", uuid)
            final = records.get_record(project, "entry", record_id)
            starts = set(links) - set(links.values())
            if len(starts) != 1:
                lost += len(starts) - 1  # two edits found the same stamp: one overwrote the other
            stamp = next(iter(starts)) if starts else None
            walked = 0
            while stamp in links:
                stamp = links[stamp]
                walked += 1
            lost += len(links) - walked
            if stamp != stamp_of(final) or titles.get(stamp) != final["title"]:
                lost += 1
    return lost


def add_amber_analysts(address: str, count: int) -> list[str]:
    """Add ``count`` analysts cleared for AMBER (the server trusts local logins); their addresses.

    The tables are vacuumed and their statistics brought up to date first, as the
    server's own background worker does soon after a copy, so that every run plans alike.
    """
    import psycopg

    from briefing.store.pg_team import add_analyst

    names = [ANALYST, *(f"{ANALYST}_{n}" for n in range(1, count))]
    with psycopg.connect(address, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
        for name in names:
            add_analyst(connection, name, "AMBER", "unused: the test server trusts local logins")
    return [address.replace("//postgres@", f"//{name}@", 1) for name in names]


def previous_policies() -> dict[str, str]:
    """The markings' policies as they were before effective labels: hidden lists per statement.

    A party hidden when any party above it is (a recursive walk of the parties), an entry
    when it names a hidden party (a walk of the entries' parties), both worked out in
    each statement; the baseline the effective labels are measured against, same run.
    """
    from briefing.model.fulltext import KIND_CODES
    from briefing.store import pg_security as s

    label, parties, entries = s._LABEL, s.HIDDEN_PARTIES, s.HIDDEN_ENTRIES

    def word(kind: str) -> str:
        if kind in ("entry", "party"):
            return s._not_in("rec", entries if kind == "entry" else parties)
        return s._word_of_record(kind)

    return {
        "party": f"{label} AND {s._not_in('id', parties)}",
        "timeline_entry": f"{label} AND {s._not_in('id', entries)}",
        "statement": " AND ".join(
            (
                label,
                f"(speaker_id IS NULL OR {s._not_in('speaker_id', parties)})",
                s._seen_or_none("timeline_entry", "entry_id"),
                s._seen_or_none("source", "source_id"),
            )
        ),
        "relationship": f"{label} AND {s._not_in('party_a_id', parties)}"
        f" AND {s._not_in('party_b_id', parties)}",
        "search_word": f"{label} AND CASE kind "
        + " ".join(f"WHEN {code} THEN {word(kind)}" for kind, code in KIND_CODES.items())
        + " ELSE false END",
    }


def with_previous_policies(server, address: str) -> str:  # noqa: ANN001
    """A copy of the project at ``address`` under :func:`previous_policies`; its address."""
    import psycopg

    copy = server.new_database(template=address.rsplit("/", 1)[1], prefix="previous")
    with psycopg.connect(copy, autocommit=True) as connection:
        for table, condition in previous_policies().items():
            connection.execute(f"DROP POLICY cleared ON {table}")
            connection.execute(f"CREATE POLICY cleared ON {table} FOR ALL USING ({condition})")
        connection.execute(
            "CREATE INDEX IF NOT EXISTS ix_timeline_entry_label ON timeline_entry (tlp, id)"
        )
        connection.execute("VACUUM ANALYZE")
    return copy


def print_figures(entries: int, rows: dict, file_figures: list) -> None:
    print(f"\n{entries:,} entries, wall (CPU: window + its server process); load {load()}")
    labels = ("open to painted list", "search, median", "one edit, median")
    for role, figures in rows.items():
        print(
            f"\nserver, as {role:<24} server                 file (baseline)      ratio wall (CPU)"
        )
        for label, ours, base, unit in zip(
            labels, figures, file_figures, ("s", "ms", "ms"), strict=True
        ):
            ratio = ours[0] / base[0] if base[0] else float("nan")
            cpu_ratio = ours[1] / base[1] if base[1] else float("nan")
            print(
                f"{label:<22} {ours[0]:8.2f} {unit:<2} ({ours[1]:7.2f}) "
                f"{base[0]:8.2f} {unit:<2} ({base[1]:7.2f})   {ratio:5.2f}× ({cpu_ratio:5.2f}×)"
                "  ≤ 2×"
            )
        print(
            f"{'statements per edit':<22} {figures[2][2]:8d}              {file_figures[2][2]:8d}"
        )


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--analysts", type=int, default=8)
    parser.add_argument("--folder", type=Path, default=None)
    args = parser.parse_args()
    server = start_server()
    if isinstance(server, str):
        sys.exit(server)
    try:
        folder = args.folder or Path(f"/tmp/briefing-team-{args.entries}")
        folder.mkdir(parents=True, exist_ok=True)
        path = marked_project(folder / "team.brief", args.entries, MARK_RED)
        address = server.new_database()
        start = time.perf_counter()
        with open_project(path, "Bench", read_only=True) as source:
            copy_project(source, address)
        print(f"copied to the server in {time.perf_counter() - start:.1f} s")
        analysts = add_amber_analysts(address, max(args.analysts, 1))
        analyst_address = analysts[0]
        previous = with_previous_policies(server, address)
        previous_analyst = previous.replace("//postgres@", f"//{ANALYST}@", 1)
        app = application()
        file_figures = window_figures(app, path)
        rows = {
            "administrator": window_figures(app, address),
            "AMBER analyst": window_figures(app, analyst_address),
            "AMBER, previous policies": window_figures(app, previous_analyst),
        }
        print_figures(args.entries, rows, file_figures)
        with open_project(analyst_address, "") as project, project.engine.connect() as connection:
            ids = [  # entries every analyst may see
                r[0]
                for r in connection.exec_driver_sql(
                    f"SELECT id FROM timeline_entry ORDER BY id LIMIT {POOL}"
                )
            ]
        print(f"\nload average before the concurrent runs: {load()}")
        alone = concurrent(address, analysts[:1], args.seconds, ids)
        many = concurrent(address, analysts, args.seconds, ids)
        print(
            f"\n{args.analysts} AMBER analysts (each their own role) for {args.seconds:.0f} s"
            " beside 1 alone:"
        )
        keys = ("edits/s", "p95 ms", "edits", "refusals", "lost", "client CPU s", "server CPU s")
        for key in keys:
            print(f"  {key:<12} {many[key]:10.1f}   (alone: {alone[key]:.1f})")
        print(f"load average: {load()}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
