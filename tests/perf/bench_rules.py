"""Rules benchmark: checking every record of the 100k-entry project, beside the schema check.

Run by hand: ``python tests/perf/bench_rules.py [--entries N]``. Prints figures;
asserts nothing. The baseline is the compiled JSON Schema check of the same
document, which every JSON import already pays.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_store import make_document  # noqa: E402

from briefing.io.jsoncheck import first_problem  # noqa: E402
from briefing.model import rules  # noqa: E402
from briefing.model.codec import DOCUMENT_KEYS  # noqa: E402


def _seconds(action: object) -> float:
    start = time.perf_counter()
    action()  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=100_000)
    args = parser.parse_args()
    document = make_document(args.entries, args.entries // 4, args.entries // 50)
    records = {kind: document.get(key) or [] for kind, key in DOCUMENT_KEYS.items()}
    total = sum(len(v) for v in records.values())
    baseline = min(_seconds(lambda: first_problem(document)) for _ in range(3))
    found: list[rules.Problem] = []
    measured = min(_seconds(lambda: found.extend(rules.check_records(records))) for _ in range(3))
    print(f"records: {total:,} ({args.entries:,} entries); problems found: {len(found)}")
    print(f"schema check (baseline):  {baseline:6.2f} s")
    print(
        f"rules.check_records:      {measured:6.2f} s  ({measured / baseline:.1f}× baseline, "
        f"{measured / total * 1e6:.1f} µs per record)"
    )


if __name__ == "__main__":
    main()
