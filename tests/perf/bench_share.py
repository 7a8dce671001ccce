"""Share copy and JSON export at a ceiling, each beside a raw baseline from the same run.

Run by hand: ``python tests/perf/bench_share.py [--entries N]``. Prints figures;
asserts nothing. The project holds N invented entries, a tenth of them RED, and a
briefing of 500 items frozen as an edition. Baselines: for the share copy, raw
sqlite3 ``VACUUM INTO`` of the same file followed by a ``VACUUM`` (the least any
redacted copy costs); for the JSON export at GREEN, the same export of the whole
project without a ceiling.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("BRIEFING_ANALYST", "Bench")
sys.path.insert(0, str(Path(__file__).parent))

from bench_sharing import build_base  # noqa: E402

from briefing.io.jsondoc import export_json  # noqa: E402
from briefing.model.vocab import Tlp  # noqa: E402
from briefing.services import records  # noqa: E402
from briefing.services.editions import freeze_edition  # noqa: E402
from briefing.services.share import write_share_copy  # noqa: E402
from briefing.store import open_project  # noqa: E402


def prepare(path: Path, entries: int) -> None:
    build_base(path, entries)
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE timeline_entry SET tlp = 'RED' WHERE id % 10 = 0")
        uuids = [r[0] for r in connection.execute("SELECT uuid FROM timeline_entry LIMIT 500")]
    connection.close()
    with open_project(path, "Bench") as project:
        items = [{"kind": "entry", "ref": u} for u in uuids]
        values = {
            "title": "Bench",
            "as_of": "2021-11-17T00:00:00Z",
            "tlp": "GREEN",
            "sections": [{"heading": "All", "body": "", "items": items}],
        }
        briefing = records.create_record(project, "briefing", values).ids["briefing"][0]
        freeze_edition(project, briefing)


CPU: list[float] = []
"""Processor seconds of each :func:`seconds` call (SQLite's work included): the machine may
be shared, and other programs stretch the wall-clock time but not this."""


def seconds(action: object) -> float:
    start, cpu = time.perf_counter(), time.process_time()
    action()  # type: ignore[operator]
    CPU.append(time.process_time() - cpu)
    return time.perf_counter() - start


def raw_copy(path: Path, out: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("VACUUM INTO ?", (str(out),))
    connection.close()
    copy = sqlite3.connect(out)
    copy.execute("VACUUM")
    copy.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        path = work / "bench.brief"
        prepare(path, args.entries)
        size = path.stat().st_size / 1e6
        print(f"project: {args.entries} entries, {size:.0f} MB")
        baseline = seconds(lambda: raw_copy(path, work / "raw.brief"))
        baseline_cpu = CPU[-1]
        with open_project(path, "Bench", read_only=True) as project:
            share = seconds(
                lambda: write_share_copy(project, work / "share.brief", Tlp.GREEN, overwrite=True)
            )
            share_cpu = CPU[-1]
            whole = seconds(lambda: export_json(project, work / "all.json"))
            green = seconds(lambda: export_json(project, work / "green.json", Tlp.GREEN))
        print(
            f"share copy at GREEN: {share:6.2f} s (cpu {share_cpu:5.2f} s)   "
            f"baseline VACUUM INTO + VACUUM: {baseline:6.2f} s (cpu {baseline_cpu:5.2f} s)"
        )
        print(f"JSON export at GREEN: {green:6.2f} s   baseline whole export: {whole:6.2f} s")


if __name__ == "__main__":
    main()
