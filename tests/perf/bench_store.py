"""Store benchmark: bulk JSON import, `briefing info`, search and one edit, each beside a baseline.

Run by hand: ``python tests/perf/bench_store.py [--entries N]``. Prints figures;
asserts nothing. Targets (issue 2): import ≤ 5× raw ``executemany`` of the same
rows; ``briefing info`` ≤ 1 s as a whole process; search top 50 ≤ 20 ms and
≤ 2× the bare FTS5 query; one committed edit, median milliseconds.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import tempfile
import uuid
from pathlib import Path
from typing import Any

from bench_common import LOADED_TABLES, Clock, median_ms, moment, process, prose, row, stamp
from scenario_words import WORDS, ZONES

from briefing.io.jsondoc import FORMAT, VERSION, encode, import_json
from briefing.model import fulltext
from briefing.services.records import update_record
from briefing.store import create_project, open_project


def make_document(entries: int, statements: int, sources: int, parties: int = 200) -> dict:
    """A deterministic interchange document of the given size."""
    rng = random.Random(1121)
    new = lambda: str(uuid.UUID(int=rng.getrandbits(128), version=4))  # noqa: E731
    party_ids = [new() for _ in range(parties)]
    source_ids = [new() for _ in range(sources)]
    entry_ids = [new() for _ in range(entries)]
    doc: dict[str, Any] = {"format": FORMAT, "version": VERSION}
    doc["parties"] = [
        {**stamp(u), "name": f"Party {i} {rng.choice(WORDS)}", "kind": "armed force"}
        for i, u in enumerate(party_ids)
    ]
    doc["sources"] = [
        {
            **stamp(u),
            "title": prose(rng, 8),
            "publisher": prose(rng, 2),
            "url": f"https://example.org/{i}",
            "published_at": moment(rng),
            "kind": "news",
            "reliability": rng.choice("ABCDEF"),
        }
        for i, u in enumerate(source_ids)
    ]
    doc["entries"] = [
        {
            **stamp(u),
            "title": prose(rng, 6),
            "description": prose(rng, 30),
            "start_utc": moment(rng),
            "zone": rng.choice(ZONES),
            "precision": "hour",
            "place": rng.choice(WORDS),
            "latitude": rng.uniform(38, 41),
            "longitude": rng.uniform(44, 47),
            "claims": [
                {
                    "uuid": new(),
                    "side": "all sides",
                    "category": "killed",
                    "best": rng.randrange(0, 5),
                    "words": "",
                }
            ],  # fmt: skip
            "status": "reported",
            "credibility": rng.randrange(1, 7),
            "parties": [
                {"party": p, "role": r}
                for p, r in zip(rng.sample(party_ids, 2), ("initiator", "target"), strict=True)
            ],
            "sources": [rng.choice(source_ids)],
        }
        for u in entry_ids
    ]
    doc["statements"] = [
        {
            **stamp(new()),
            "speaker": rng.choice(party_ids),
            "said_at": moment(rng),
            "quote": prose(rng, 25),
            "kind": rng.choice(("claim", "denial", "accusation")),
            "entry": rng.choice(entry_ids),
            "source": rng.choice(source_ids),
            "contradicts": [],
        }
        for _ in range(statements)
    ]
    return doc


def raw_executemany(filled: Path, empty: Path, with_index: bool) -> Clock:
    """Time to executemany the rows of ``filled`` into the same schema in ``empty``."""
    source = sqlite3.connect(filled)
    tables = {t: source.execute(f"SELECT * FROM {t}").fetchall() for t in LOADED_TABLES}
    index_rows = source.execute("SELECT rowid, title, body FROM search_index").fetchall()
    source.close()
    target = sqlite3.connect(empty, isolation_level=None)
    for pragma in ("journal_mode = DELETE", "foreign_keys = ON", "synchronous = FULL"):
        target.execute(f"PRAGMA {pragma}")
    with Clock() as clock:
        target.execute("BEGIN")
        for name, rows in tables.items():
            if rows:
                marks = ",".join("?" * len(rows[0]))
                target.executemany(f"INSERT INTO {name} VALUES ({marks})", rows)
        if with_index:
            target.executemany(
                "INSERT INTO search_index(rowid, title, body) VALUES (?, ?, ?)", index_rows
            )
        target.execute("COMMIT")
    target.close()
    return clock


def bench_import(folder: Path, document: dict[str, Any]) -> Path:
    path = folder / "bench.json"
    path.writeprose(encode(document), encoding="utf-8")
    size = path.stat().st_size / 1e6
    target = folder / "bench.brief"
    project = create_project(target, "Bench")
    with Clock() as ours:
        summary = import_json(project, path)
    project.close()
    rows_only, with_index = (
        raw_executemany(target, _empty(folder, f"raw{n}.brief"), flag)
        for n, flag in ((1, False), (2, True))
    )
    print(f"document: {summary.total} records, {size:.0f} MB of JSON")
    for what in ("wall", "cpu"):
        seconds = getattr(ours, what)
        label = f"import_json ({what})"
        row(label, seconds, "s", getattr(rows_only, what), "raw executemany, rows")
        row(label, seconds, "s", getattr(with_index, what), "raw executemany, rows + FTS rows")
    return target


def _empty(folder: Path, name: str) -> Path:
    create_project(folder / name, "Bench").close()
    return folder / name


def bench_info(path: Path) -> None:
    """Wall time of whole processes, and their CPU time, which a busy machine inflates less."""

    info = [process("-m", "briefing", "info", str(path)) for _ in range(5)]
    bare = [process("-c", "pass") for _ in range(5)]
    for index, what in ((0, "wall"), (1, "CPU")):
        ours = statistics.median(sample[index] for sample in info)
        base = statistics.median(sample[index] for sample in bare)
        row(f"briefing info, process ({what})", ours, "s", base, "python -c pass")


SEARCHES = ("artillery", "border clash", "Հայաստան", "drone ministry", "Lach", "baba")
"""Scenario words, a prefix, and "baba": the most common word of the text, in most records."""


def bench_search(path: Path) -> None:
    from briefing.services.overview import search

    project = open_project(path, "Bench", read_only=True)
    bare = sqlite3.connect(path)
    sql = (
        "SELECT rowid, title, snippet(search_index, 1, '[', ']', '…', 12), rank "
        "FROM search_index WHERE search_index MATCH ? ORDER BY rank LIMIT 50"
    )
    for query in SEARCHES:
        ours = median_ms(lambda q=query: search(project, q, limit=50), 20)
        fts = fulltext.fts_query(query)
        raw = median_ms(lambda f=fts: bare.execute(sql, (f,)).fetchall(), 20)
        (matches,) = bare.execute(
            "SELECT count(*) FROM search_index WHERE search_index MATCH ?", (fts,)
        ).fetchone()
        row(f"search top 50 '{query}'", ours, "ms", raw, f"bare FTS5 query; {matches} match")
    bare.close()
    project.close()


def bench_edit(path: Path) -> None:
    project = open_project(path, "Bench")
    with project.engine.connect() as connection:
        ids = [r[0] for r in connection.exec_driver_sql("SELECT id FROM timeline_entry LIMIT 30")]
    counter = iter(range(10**6))

    def edit() -> None:
        update_record(
            project, "entry", ids[next(counter) % 30], {"title": f"Edited {next(counter)}"}
        )

    ours = median_ms(edit, 30)
    project.close()
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute("PRAGMA synchronous = FULL")

    def raw_edit() -> None:
        raw.execute("BEGIN")
        raw.execute(
            "UPDATE timeline_entry SET title = ? WHERE id = ?", (str(next(counter)), ids[0])
        )
        raw.execute("COMMIT")

    baseline = median_ms(raw_edit, 30)
    raw.close()
    row("one edit committed (median)", ours, "ms", baseline, "raw UPDATE + COMMIT")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--statements", type=int, default=20_000)
    parser.add_argument("--sources", type=int, default=5_000)
    args = parser.parse_args()
    document = make_document(args.entries, args.statements, args.sources)
    with tempfile.TemporaryDirectory() as folder:
        path = bench_import(Path(folder), document)
        del document
        bench_info(path)
        bench_search(path)
        bench_edit(path)


if __name__ == "__main__":
    main()
