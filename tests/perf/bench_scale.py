"""Scale benchmark: opening, `briefing info`, `--version` and JSON import at 100,000 or 1,000,000.

Run by hand: ``python tests/perf/bench_scale.py [--entries N] [--folder DIR]``. The
document and the project are generated once into DIR (default
``/tmp/briefing-scale-N``) and reused. Each figure is printed beside a baseline
measured in the same run. A cold cache is made by writing 3 to
``/proc/sys/vm/drop_caches`` where that is permitted; otherwise the figure says warm.
Targets at 1,000,000 entries: known file ≤ 0.5 s cold, ≤ 0.3 s warm; first open
(full check) ≤ 3 s cold; ``briefing info`` ≤ 0.5 s; ``--version`` ≤ 60 ms; import
≤ 3× raw executemany with peak memory ≤ 1 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

from bench_store import LOADED_TABLES, WORDS, ZONES, _stamp, _text, _time

ROOT = Path(__file__).resolve().parents[2]


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
                {**_stamp(u), "name": f"Party {i}", "kind": "armed force"}
                for i, u in enumerate(parties)
            ),
        )
        section(
            "sources",
            (
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
            ),
        )

        def entry_records():  # type: ignore[no-untyped-def]
            for _ in range(entries):
                u = new()
                if len(entry_ids) < 10_000:
                    entry_ids.append(u)
                yield {
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
                        {"side": "all sides", "category": "killed", "best": rng.randrange(0, 5)}
                    ],
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
                    **_stamp(new()),
                    "speaker": rng.choice(parties),
                    "said_at": _time(rng),
                    "quote": _text(rng, 25),
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


def child(code: str, env: dict[str, str] | None = None) -> tuple[float, float, dict]:
    """Run Python ``code`` in a fresh process: (wall s, CPU s, the JSON it printed last)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        check=True,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    lines = run.stdout.strip().splitlines()
    return wall, cpu, json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}


def process(*argv: str, env: dict[str, str] | None = None) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, *argv],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def drop_caches() -> bool:
    """Empty the page cache (root only); False when not permitted, so figures are warm."""
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def row(label: str, value: float, unit: str, baseline: float, base_label: str, target: str) -> None:
    ratio = value / baseline if baseline else float("nan")
    print(
        f"{label:<42}{value:>10.3f} {unit:<3}  {base_label:<34}{baseline:>9.3f} {unit:<3}"
        f" ×{ratio:6.2f}   target {target}"
    )


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
        drop_caches()
    return child(
        code.replace("sys.argv[1]", repr(args[0])).replace(
            "sys.argv[2]", repr(args[1]) if len(args) > 1 else "None"
        )
    )[2]["open"]


def bench_open(path: Path, folder: Path) -> None:
    memory = folder / "verified-files.json"
    can_drop = drop_caches()
    temperature = "cold" if can_drop else "warm (cache not dropped)"
    memory.unlink(missing_ok=True)
    first = timed(OPEN, str(memory), str(path), cold=True)
    front = timed(FRONT_TO_BACK, str(path), cold=True)
    quick = timed(QUICK_CHECK, str(path), cold=True)
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
    drop_caches()
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
    return child(code)[2]


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
    raw = child(raw_code)[2]
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
    args = parser.parse_args()
    folder = args.folder or Path(f"/tmp/briefing-scale-{args.entries}")
    document, project, imported = prepare(folder, args.entries)
    print(f"project: {project.stat().st_size / 1e6:.0f} MB, {args.entries} entries")
    bench_open(project, folder)
    bench_processes(project, folder)
    if not args.skip_import:
        bench_import(document, project, folder, args.entries <= 200_000, imported)


if __name__ == "__main__":
    main()
