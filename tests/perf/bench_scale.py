"""Scale benchmark: opening, `briefing info`, `--version` and JSON import at 100,000 or 1,000,000.

Run by hand: ``python tests/perf/bench_scale.py [--entries N] [--folder DIR]``. The
document and the project are generated once into DIR (default
``/tmp/briefing-scale-N``) and reused. Each figure is printed beside a baseline
measured in the same run, with the load average of the machine. A cold cache is
made by evicting the project file's pages (``posix_fadvise``), which leaves
other files cached; where that is not possible the figure says warm.
Targets at 1,000,000 entries: known file ≤ 0.5 s cold, ≤ 0.3 s warm; first open
(full check) ≤ 3 s cold; ``briefing info`` ≤ 0.5 s; ``--version`` ≤ 60 ms; import
≤ 3× raw executemany with peak memory ≤ 1 GB.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import uuid
from pathlib import Path

from bench_common import (
    LOADED_TABLES,
    child,
    evict,
    load_average,
    median_ms,
    moment,
    process,
    prose,
    row,
    stamp,
)
from scenario_words import WORDS, ZONES


def write_document(path: Path, entries: int, statements: int, sources: int) -> None:
    """A deterministic interchange document written record by record (never held whole)."""
    rng = random.Random(1121)
    new = lambda: str(uuid.UUID(int=rng.getrandbits(128), version=4))  # noqa: E731
    parties = [new() for _ in range(200)]
    source_ids = [new() for _ in range(sources)]
    entry_ids: list[str] = []
    dumps = lambda r: json.dumps(r, ensure_ascii=False)  # noqa: E731
    with path.open("w", encoding="utf-8") as out:
        out.write('{\n  "format": "conflict-briefing",\n  "version": 1')

        def section(key: str, records) -> None:  # type: ignore[no-untyped-def]
            out.write(f',\n  "{key}": [')
            separator = "\n    "
            for record in records:
                out.write(separator + dumps(record))
                separator = ",\n    "
            out.write("\n  ]")

        section(
            "parties",
            (
                {**stamp(u), "name": f"Party {i}", "kind": "armed force"}
                for i, u in enumerate(parties)
            ),
        )
        section(
            "sources",
            (
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
            ),
        )

        def entry_records():  # type: ignore[no-untyped-def]
            for _ in range(entries):
                u = new()
                if len(entry_ids) < 10_000:
                    entry_ids.append(u)
                yield {
                    **stamp(u),
                    "title": prose(rng, 6),
                    "description": prose(rng, 30),
                    "start_utc": moment(rng),
                    "zone": rng.choice(ZONES),
                    "precision": "hour",
                    "place": rng.choice(WORDS),
                    "latitude": rng.uniform(38, 41),
                    "longitude": rng.uniform(44, 47),
                    "killed": rng.randrange(0, 5),  # version 1: one figure per entry
                    "status": "reported",
                    "credibility": rng.randrange(1, 7),
                    "parties": [
                        {"party": p, "role": r}
                        for p, r in zip(
                            rng.sample(parties, 2), ("initiator", "target"), strict=True
                        )
                    ],
                    "sources": [rng.choice(source_ids)],
                }

        section("entries", entry_records())
        section(
            "statements",
            (
                {
                    **stamp(new()),
                    "speaker": rng.choice(parties),
                    "said_at": moment(rng),
                    "quote": prose(rng, 25),
                    "kind": rng.choice(("claim", "denial", "accusation")),
                    "entry": rng.choice(entry_ids),
                    "source": rng.choice(source_ids),
                    "contradicts": [],
                }
                for _ in range(statements)
            ),
        )
        out.write("\n}\n")


# ---------------------------------------------------------------------------- measuring


OPEN = """
import json, sys, time
from pathlib import Path
start = time.perf_counter()
from briefing.store import open_project
from briefing.store.trust import VerifiedFiles
memory = VerifiedFiles(Path(sys.argv[1]))
t0 = time.perf_counter()
project = open_project(Path(sys.argv[2]), "Bench", read_only=True, memory=memory)
t1 = time.perf_counter()
project.close()
print(json.dumps({"open": t1 - t0}))
"""

HEADER = """
import json, sys, time
t0 = time.perf_counter()
with open(sys.argv[1], "rb") as f:
    f.read(100)
print(json.dumps({"open": time.perf_counter() - t0}))
"""

FRONT_TO_BACK = """
import json, sys, time
t0 = time.perf_counter()
with open(sys.argv[1], "rb", buffering=0) as f:
    while f.read(8 << 20):
        pass
print(json.dumps({"open": time.perf_counter() - t0}))
"""

QUICK_CHECK = """
import json, sqlite3, sys, time
t0 = time.perf_counter()
c = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
c.execute("PRAGMA quick_check").fetchall()
print(json.dumps({"open": time.perf_counter() - t0}))
"""


def timed(code: str, *args: str, cold: bool) -> float:
    if cold:
        evict(Path(args[-1]))
    return child(
        code.replace("sys.argv[1]", repr(args[0])).replace(
            "sys.argv[2]", repr(args[1]) if len(args) > 1 else "None"
        )
    )[2]["open"]


def bench_open(path: Path, folder: Path) -> None:
    memory = folder / "verified-files.json"
    can_drop = evict(path)
    temperature = "cold" if can_drop else "warm (cache not dropped)"
    memory.unlink(missing_ok=True)
    first_wall, first_cpu, first_json = child(
        OPEN.replace("sys.argv[1]", repr(str(memory))).replace("sys.argv[2]", repr(str(path)))
    )
    first = first_json["open"]
    evict(path)
    _, front_cpu, front_json = child(FRONT_TO_BACK.replace("sys.argv[1]", repr(str(path))))
    front = front_json["open"]
    quick = timed(QUICK_CHECK, str(path), cold=True)
    row(f"first open, full check, CPU of all threads ({temperature})", first_cpu, "s",
        front_cpu, "CPU reading front to back", "")  # fmt: skip
    row(
        f"first open, full check ({temperature})",
        first,
        "s",
        front,
        "reading the file front to back",
        "≤ 3 s",
    )
    row(
        f"  before: SQLite quick_check alone ({temperature})",
        quick,
        "s",
        front,
        "reading the file front to back",
        "",
    )
    known_cold = statistics.median(timed(OPEN, str(memory), str(path), cold=True) for _ in range(3))
    header_cold = statistics.median(timed(HEADER, str(path), cold=True) for _ in range(3))
    row(
        f"open a known file ({temperature})",
        known_cold,
        "s",
        header_cold,
        "reading the header",
        "≤ 0.5 s",
    )
    known_warm = statistics.median(
        timed(OPEN, str(memory), str(path), cold=False) for _ in range(5)
    )
    header_warm = statistics.median(timed(HEADER, str(path), cold=False) for _ in range(5))
    row("open a known file (warm)", known_warm, "s", header_warm, "reading the header", "≤ 0.3 s")


def bench_processes(path: Path, folder: Path) -> None:
    env = {"BRIEFING_DATA_DIR": str(folder)}
    process("-m", "briefing", "info", str(path), env=env)  # known from here on
    bare = [process("-c", "pass") for _ in range(7)]
    version = [process("-m", "briefing", "--version") for _ in range(7)]
    info = [process("-m", "briefing", "info", str(path), env=env) for _ in range(5)]
    evict(path)
    info_cold = process("-m", "briefing", "info", str(path), env=env)
    for index, what in ((0, "wall"), (1, "CPU")):
        base = statistics.median(s[index] for s in bare)
        row(
            f"briefing --version ({what})",
            statistics.median(s[index] for s in version),
            "s",
            base,
            "python -c pass",
            "≤ 0.06 s",
        )
        row(
            f"briefing info, known file ({what})",
            statistics.median(s[index] for s in info),
            "s",
            base,
            "python -c pass",
            "≤ 0.5 s",
        )
    row(
        "briefing info, known file, cold (wall)",
        info_cold[0],
        "s",
        statistics.median(s[0] for s in bare),
        "python -c pass",
        "≤ 0.5 s",
    )


IMPORT = """
import json, resource, sys, time
from pathlib import Path
from briefing.io import jsondoc
from briefing.store import open_project
project = open_project(Path(sys.argv[1]), "Bench")
t0 = time.perf_counter()
if sys.argv[3] == "whole":
    jsondoc._import_whole(project, Path(sys.argv[2]))
else:
    jsondoc.import_json(project, Path(sys.argv[2]))
seconds = time.perf_counter() - t0
project.close()
print(json.dumps({"s": seconds, "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

RAW = """
import json, resource, sqlite3, sys, time
filled = sqlite3.connect(sys.argv[1])
target = sqlite3.connect(sys.argv[2], isolation_level=None)
target.execute("PRAGMA synchronous = FULL")
t0 = time.perf_counter()
target.execute("BEGIN")
for name in TABLES:
    cursor = filled.execute(f"SELECT * FROM {name}")
    marks = ",".join("?" * len(cursor.description))
    target.executemany(f"INSERT INTO {name} VALUES ({marks})", cursor)
cursor = filled.execute("SELECT rowid, title, body FROM search_index")
target.executemany("INSERT INTO search_index(rowid, title, body) VALUES (?, ?, ?)", cursor)
target.execute("COMMIT")
seconds = time.perf_counter() - t0
print(json.dumps({"s": seconds, "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def empty_project(path: Path) -> Path:
    path.unlink(missing_ok=True)
    child(f"from briefing.store import create_project; create_project({str(path)!r}).close()")
    return path


def run_import(document: Path, target: Path, how: str) -> dict:
    code = (
        IMPORT.replace("sys.argv[1]", repr(str(target)))
        .replace("sys.argv[2]", repr(str(document)))
        .replace("sys.argv[3]", repr(how))
    )
    _, cpu, out = child(code)
    return {**out, "cpu": cpu}


def bench_import(
    document: Path, project: Path, folder: Path, whole: bool, ours: dict | None
) -> None:
    """Import beside raw executemany; ``ours`` is the import that built the project, if timed."""
    size = document.stat().st_size / 1e6
    print(f"document: {size:.0f} MB of JSON")
    ours = ours or run_import(document, empty_project(folder / "import.brief"), "batches")
    raw_code = (
        RAW.replace("TABLES", repr(LOADED_TABLES))
        .replace("sys.argv[1]", repr(str(project)))
        .replace("sys.argv[2]", repr(str(empty_project(folder / "raw.brief"))))
    )
    _, raw_cpu, raw = child(raw_code)
    raw["cpu"] = raw_cpu
    if "cpu" in ours:
        row("JSON import, in batches (CPU, whole process)", ours["cpu"], "s", raw["cpu"],
            "raw executemany, rows + FTS", "≤ 3×")  # fmt: skip
    row(
        "JSON import, in batches (wall)",
        ours["s"],
        "s",
        raw["s"],
        "raw executemany, rows + FTS",
        "≤ 3×",
    )
    row(
        "JSON import, in batches (peak RSS)",
        ours["rss"],
        "MB",
        raw["rss"],
        "raw executemany, rows + FTS",
        "≤ 1024 MB",
    )
    if whole:
        before = run_import(document, empty_project(folder / "whole.brief"), "whole")
        row(
            "  before: read whole (wall)",
            before["s"],
            "s",
            raw["s"],
            "raw executemany, rows + FTS",
            "",
        )
        row(
            "  before: read whole (peak RSS)",
            before["rss"],
            "MB",
            raw["rss"],
            "raw executemany, rows + FTS",
            "",
        )


SEARCH_WORDS = (
    "party", "baba", "artillery", "drone ministry", "part*", "arti*", "Lach*", "drone mini*",
    "bab*", "ba*",
)  # fmt: skip
"""As typed on the command line (whole words): a word every entry holds (its parties are
"Party n"), the text's most common word, a rare word, two words; then prefixes (``*``):
of four letters, which the index has no prefix list for (the first held by every entry),
so the search walks their three-letter start newest first; then of three and two letters,
which without a prefix index merge every word they start."""


def bench_search(path: Path) -> None:
    """Top 50 beside bare FTS5 of the same shape, and beside the old shape (prefix, ranked)."""
    import sqlite3

    from sqlalchemy import create_engine
    from sqlalchemy.pool import StaticPool

    from briefing.model import fulltext
    from briefing.store.verify import open_read_only

    engine = create_engine("sqlite://", creator=lambda: open_read_only(path), poolclass=StaticPool)
    bare = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    select = "SELECT rowid, title, snippet(search_index, 1, '[', ']', '…', 12), rank "
    where = "FROM search_index WHERE search_index MATCH ? "
    with engine.connect() as connection:
        for typed in SEARCH_WORDS:
            results = fulltext.search_results(connection, typed, 50)
            ours = median_ms(lambda t=typed: fulltext.search_results(connection, t, 50))
            query = fulltext.search_words(typed, typing=False).query
            order = "rank" if results.ranked else "rowid DESC"
            shape = select if results.ranked else select.replace(", rank", "")
            same = median_ms(
                lambda q=query, o=order, s=shape: bare.execute(
                    f"{s}{where}ORDER BY {o} LIMIT 50", (q,)
                ).fetchall()
            )
            how = "ranked" if results.ranked else "newest"
            row(f"search top 50 '{typed}' ({how})", ours, "ms", same, "bare FTS5, same shape",
                "≤ 20 ms, ≤ 2×")  # fmt: skip
            old = " ".join(f'"{w}"*' for w in fulltext.search_words(typed).words)
            before = median_ms(
                lambda q=old: bare.execute(
                    f"{select}{where}ORDER BY rank LIMIT 50", (q,)
                ).fetchall(),
                3,
            )
            row("  before: every word a prefix, all ranked", before, "ms", same,
                "bare FTS5, same shape", "")  # fmt: skip
    bare.close()
    engine.dispose()


CHECK_CPU = """
import json, resource, sys, time
from pathlib import Path
from briefing.store.verify import check_file
t0 = time.perf_counter()
problems = check_file(Path(sys.argv[1]))
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"open": time.perf_counter() - t0, "cpu": usage.ru_utime + usage.ru_stime}))
"""

INTEGRITY_CPU = """
import json, resource, sqlite3, sys, time
t0 = time.perf_counter()
c = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
c.execute("PRAGMA integrity_check").fetchall()
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"open": time.perf_counter() - t0, "cpu": usage.ru_utime + usage.ru_stime}))
"""


def bench_check(path: Path) -> None:
    """``briefing check`` (everything, every record through the rules) beside integrity_check."""
    ours = child(CHECK_CPU.replace("sys.argv[1]", repr(str(path))))[2]
    bare = child(INTEGRITY_CPU.replace("sys.argv[1]", repr(str(path))))[2]
    for key, what in (("open", "wall"), ("cpu", "CPU")):
        row(f"briefing check, warm ({what})", ours[key], "s", bare[key],
            "SQLite integrity_check alone", "")  # fmt: skip


def prepare(folder: Path, entries: int) -> tuple[Path, Path, dict | None]:
    folder.mkdir(parents=True, exist_ok=True)
    document = folder / "scale.json"
    project = folder / "scale.brief"
    imported = None
    if not document.exists():
        print(f"writing {document} …", flush=True)
        write_document(document, entries, entries // 5, max(entries // 20, 100))
    if not project.exists():
        print(f"importing into {project} …", flush=True)
        imported = run_import(document, empty_project(project), "batches")
    return document, project, imported


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--folder", type=Path)
    parser.add_argument("--skip-import", action="store_true", help="reuse; do not time import")
    parser.add_argument("--skip-check", action="store_true", help="do not time briefing check")
    args = parser.parse_args()
    folder = args.folder or Path(f"/tmp/briefing-scale-{args.entries}")
    document, project, imported = prepare(folder, args.entries)
    print(f"project: {project.stat().st_size / 1e6:.0f} MB, {args.entries} entries")
    print(load_average())
    bench_open(project, folder)
    bench_processes(project, folder)
    bench_search(project)
    if not args.skip_check:
        bench_check(project)
    if not args.skip_import:
        bench_import(document, project, folder, args.entries <= 200_000, imported)
    print(load_average())


if __name__ == "__main__":
    main()
