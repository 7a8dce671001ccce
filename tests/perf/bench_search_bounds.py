"""Search benchmark: thousands of pasted words beside one word, and beside bare FTS5.

Run by hand: ``python tests/perf/bench_search_bounds.py [--entries N]``. Prints
figures; asserts nothing. A search looks for the first ``MAX_TERMS`` words it
is given; the "unbounded" rows run the query every word used to make, straight
through SQLite (stopped after ``--cap`` seconds), for the figure before the bound.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import tempfile
import time
from pathlib import Path

from bench_common import median_ms, prose, row
from bench_store import make_document

from briefing.io.jsondoc import encode, import_json
from briefing.model import fulltext
from briefing.services.library_query import ListFilter, ordered_ids
from briefing.services.overview import search
from briefing.store import create_project, open_project

TOP_SQL = (
    "SELECT rowid, title, snippet(search_index, 1, '[', ']', '…', 12), rank "
    "FROM search_index WHERE search_index MATCH ? ORDER BY rank LIMIT 50"
)
ONE_WORD = "artillery"


def build(folder: Path, entries: int) -> Path:
    document = make_document(entries, entries // 5, entries // 20)
    source = folder / "bench.json"
    source.writeprose(encode(document), encoding="utf-8")
    path = folder / "bench.brief"
    project = create_project(path, "Bench", "Bench")
    import_json(project, source)
    project.close()
    return path


def unbounded_seconds(bare: sqlite3.Connection, typed: str, cap: float) -> float:
    """Seconds the query every typed word made takes through bare FTS5; ``cap`` when stopped.

    That query held each word as often as it was typed, as the search did before the bound.
    """
    query = " ".join(f'"{w}"*' for w in typed.replace('"', " ").split())
    started = time.perf_counter()
    bare.set_progress_handler(lambda: int(time.perf_counter() - started > cap), 10_000)
    try:
        bare.execute(TOP_SQL, (query,)).fetchall()
    except sqlite3.OperationalError:  # interrupted at the cap
        return cap
    finally:
        bare.set_progress_handler(None, 0)
    return time.perf_counter() - started


def bench(path: Path, pasted: str, cap: float) -> None:
    project = open_project(path, "Bench", read_only=True)
    bare = sqlite3.connect(path)
    words = fulltext.search_words(pasted)
    print(f"{len(pasted.split()):,} words pasted, {words.typed:,} different. Note: {words.note}")

    one = fulltext.fts_query(ONE_WORD)
    bare_one = median_ms(lambda: bare.execute(TOP_SQL, (one,)).fetchall(), 10)
    ours_one = median_ms(lambda: search(project, ONE_WORD), 10)
    row(f"search '{ONE_WORD}'", ours_one, "ms", bare_one, "bare FTS5, same word")
    bounded = words.query
    bare_many = median_ms(lambda: bare.execute(TOP_SQL, (bounded,)).fetchall(), 10)
    ours_many = median_ms(lambda: search(project, pasted), 10)
    row("search 5,000 words (bounded)", ours_many, "ms", bare_many, "bare FTS5, same bound")
    row("search 5,000 words (bounded)", ours_many, "ms", ours_one, "our one-word search")
    before = unbounded_seconds(bare, pasted, cap) * 1000
    stopped = " (stopped at the cap)" if before >= cap * 1000 else ""
    row("before: every word, bare FTS5", before, "ms", ours_many, f"bounded search{stopped}")

    with project.engine.connect() as connection:
        list_one = median_ms(
            lambda: ordered_ids(connection, "entry", ListFilter(text=ONE_WORD), limit=200), 5
        )
        list_many = median_ms(
            lambda: ordered_ids(connection, "entry", ListFilter(text=pasted), limit=200), 5
        )
    row("timeline list, 5,000 words", list_many, "ms", list_one, "timeline list, one word")
    bare.close()
    project.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--cap", type=float, default=120.0, help="seconds for the unbounded query")
    args = parser.parse_args()
    pasted = prose(random.Random(9), 5_000)  # prose-like: common words often, rare ones once
    with tempfile.TemporaryDirectory() as folder:
        path = build(Path(folder), args.entries)
        print(f"{args.entries:,} timeline entries")
        bench(path, pasted, args.cap)


if __name__ == "__main__":
    main()
