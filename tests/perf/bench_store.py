"""Store benchmark: bulk JSON import, `briefing info`, search and one edit, each beside a baseline.

Run by hand: ``python tests/perf/bench_store.py [--entries N]``. Prints figures;
asserts nothing. Targets (issue 2): import ≤ 5× raw ``executemany`` of the same
rows; ``briefing info`` ≤ 1 s as a whole process; search top 50 ≤ 20 ms and
≤ 2× the bare FTS5 query; one committed edit, median milliseconds.
"""

from __future__ import annotations

import argparse
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scenario_words import WORDS, ZONES

from briefing.io.jsondoc import FORMAT, VERSION, encode, import_json
from briefing.model import fulltext
from briefing.services.records import update_record
from briefing.store import create_project, open_project


def _vocabulary(size: int = 20_000) -> tuple[list[str], list[float]]:
    """Words with Zipf frequencies, as in real prose: a few very common, most rare.

    The scenario's words sit at ranks 20 onwards, so searching for them matches
    a realistic few percent of records rather than nearly all of them.
    """
    rng = random.Random(7)
    syllables = [c + v for c in "bdgklmnprstvz" for v in "aeiou"]
    synthetic = {"".join(rng.choices(syllables, k=rng.randrange(2, 5))) for _ in range(size)}
    words = sorted(synthetic - set(WORDS))
    words = words[:20] + WORDS + words[20:size]
    weights = [1 / (rank + 1) for rank in range(len(words))]
    total, running, cumulative = sum(weights), 0.0, []
    for weight in weights:
        running += weight / total
        cumulative.append(running)
    return words, cumulative


VOCABULARY, CUMULATIVE = _vocabulary()


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choices(VOCABULARY, cum_weights=CUMULATIVE, k=words))


def _time(rng: random.Random) -> str:
    seconds = rng.randrange(0, 4 * 365 * 86400)
    moment = time.gmtime(1_577_836_800 + seconds)
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", moment)


def _stamp(u: str) -> dict[str, Any]:
    return {
        "uuid": u,
        "created_at": "2021-11-16T18:00:00Z",
        "updated_at": "2021-11-16T18:00:00Z",
        "updated_by": "Bench",
        "tlp": "CLEAR",
        "tags": "",
        "notes": "",
    }


def make_document(entries: int, statements: int, sources: int, parties: int = 200) -> dict:
    """A deterministic interchange document of the given size."""
    rng = random.Random(1121)
    new = lambda: str(uuid.UUID(int=rng.getrandbits(128), version=4))  # noqa: E731
    party_ids = [new() for _ in range(parties)]
    source_ids = [new() for _ in range(sources)]
    entry_ids = [new() for _ in range(entries)]
    doc: dict[str, Any] = {"format": FORMAT, "version": VERSION}
    doc["parties"] = [
        {**_stamp(u), "name": f"Party {i} {rng.choice(WORDS)}", "kind": "armed force"}
        for i, u in enumerate(party_ids)
    ]
    doc["sources"] = [
        {
            **_stamp(u),
            "title": _text(rng, 8),
            "publisher": _text(rng, 2),
            "url": f"https://example.org/{i}",
            "published_at": _time(rng),
            "kind": "news",
            "reliability": rng.choice("ABCDEF"),
        }
        for i, u in enumerate(source_ids)
    ]
    doc["entries"] = [
        {
            **_stamp(u),
            "title": _text(rng, 6),
            "description": _text(rng, 30),
            "start_utc": _time(rng),
            "zone": rng.choice(ZONES),
            "precision": "hour",
            "place": rng.choice(WORDS),
            "latitude": rng.uniform(38, 41),
            "longitude": rng.uniform(44, 47),
            "claims": [
                {"uuid": new(), "side": "all sides", "category": "killed",
                 "best": rng.randrange(0, 5), "words": ""}
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
            **_stamp(new()),
            "speaker": rng.choice(party_ids),
            "said_at": _time(rng),
            "quote": _text(rng, 25),
            "kind": rng.choice(("claim", "denial", "accusation")),
            "entry": rng.choice(entry_ids),
            "source": rng.choice(source_ids),
            "contradicts": [],
        }
        for _ in range(statements)
    ]
    return doc


def _median_ms(action: Callable[[], object], times: int) -> float:
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def _row(label: str, value: float, unit: str, baseline: float, note: str) -> None:
    ratio = value / baseline if baseline else float("nan")
    figures = f"{value:>10.3f} {unit:<3} baseline {baseline:>9.3f} {unit:<3} ×{ratio:5.2f}"
    print(f"{label:<34}{figures}  {note}")


LOADED_TABLES = (
    "party",
    "source",
    "timeline_entry",
    "entry_party",
    "entry_source",
    "statement",
    "statement_contradiction",
    "relationship",
    "relationship_source",
)


class Clock:
    """Wall and CPU seconds of a block; CPU time suffers less from a busy machine."""

    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


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
    path.write_text(encode(document), encoding="utf-8")
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
        _row(label, seconds, "s", getattr(rows_only, what), "raw executemany, rows")
        _row(label, seconds, "s", getattr(with_index, what), "raw executemany, rows + FTS rows")
    return target


def _empty(folder: Path, name: str) -> Path:
    create_project(folder / name, "Bench").close()
    return folder / name


def bench_info(path: Path) -> None:
    """Wall time of whole processes, and their CPU time, which a busy machine inflates less."""

    def run(*args: str) -> tuple[float, float]:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([sys.executable, *args], check=True, capture_output=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime

    info = [run("-m", "briefing", "info", str(path)) for _ in range(5)]
    bare = [run("-c", "pass") for _ in range(5)]
    for index, what in ((0, "wall"), (1, "CPU")):
        ours = statistics.median(sample[index] for sample in info)
        base = statistics.median(sample[index] for sample in bare)
        _row(f"briefing info, process ({what})", ours, "s", base, "python -c pass")


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
        ours = _median_ms(lambda q=query: search(project, q, limit=50), 20)
        fts = fulltext.fts_query(query)
        raw = _median_ms(lambda f=fts: bare.execute(sql, (f,)).fetchall(), 20)
        (matches,) = bare.execute(
            "SELECT count(*) FROM search_index WHERE search_index MATCH ?", (fts,)
        ).fetchone()
        _row(f"search top 50 '{query}'", ours, "ms", raw, f"bare FTS5 query; {matches} match")
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

    ours = _median_ms(edit, 30)
    project.close()
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute("PRAGMA synchronous = FULL")

    def raw_edit() -> None:
        raw.execute("BEGIN")
        raw.execute(
            "UPDATE timeline_entry SET title = ? WHERE id = ?", (str(next(counter)), ids[0])
        )
        raw.execute("COMMIT")

    baseline = _median_ms(raw_edit, 30)
    raw.close()
    _row("one edit committed (median)", ours, "ms", baseline, "raw UPDATE + COMMIT")


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
