"""What the export benchmarks share: the 1,000-entry briefing, its project and the timing.

``bench_pdf.py`` and ``bench_docx.py`` (run by hand, not part of the suite) build the
same briefing of timeline entries with claims, statements with contradictions and
source notes, and report wall and processor seconds as medians of a few runs.
"""

from __future__ import annotations

import random
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from briefing.export.styles import styles
from briefing.model import codec
from briefing.store import create_project
from briefing.store.project import Project

T = TypeVar("T")

PLACES = ("Jermuk", "Sotk", "Kalbajar", "Lachin corridor", "Goris", "Tavush", "Nakhchivan")
WORDS = (
    "artillery border clash ceasefire village position ministry defence shelling drone "
    "casualties wounded captured peacekeepers treaty statement report Հայաստան Азербайджан "
    "Ermənistan ağır döyüş"
).split()
ZONES = ("Asia/Baku", "Asia/Yerevan", "Europe/Moscow", "UTC")


def _uid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choices(WORDS, k=words)).capitalize() + "."


def _time(rng: random.Random) -> str:
    moment = time.gmtime(1_577_836_800 + rng.randrange(0, 2 * 365 * 86400))
    return time.strftime("%Y-%m-%dT%H:%M:00Z", moment)


def scenario(entries: int, statements: int) -> dict[str, list[dict[str, Any]]]:
    """Records for the codec: parties, sources, entries, statements and one briefing."""
    rng = random.Random(4)
    parties = [
        {"uuid": _uid(rng), "name": name, "kind": "armed force", "colour": colour}
        for name, colour in (
            ("Armed Forces of Armenia", "#D90012"),
            ("Armed Forces of Azerbaijan", "#00B5E2"),
            ("Russian peacekeepers", "#3A4FA0"),
        )
    ]
    sources = [
        {"uuid": _uid(rng), "title": f"Report {n}: {_text(rng, 6)}", "kind": "news",
         "publisher": "Agency", "url": f"https://example.org/{n}", "reliability": "BCF"[n % 3]}
        for n in range(60)
    ]  # fmt: skip
    entry_records = [
        {"uuid": _uid(rng), "title": _text(rng, 6), "description": _text(rng, 40),
         "start_utc": _time(rng), "zone": rng.choice(ZONES), "precision": "minute",
         "place": rng.choice(PLACES), "status": "reported", "credibility": rng.randint(1, 6),
         "claims": [{"side": "party", "party": parties[1]["uuid"], "category": "killed",
                     "best": rng.choice([0, 1, 3]), "claimant": parties[0]["uuid"]},
                    {"side": "civilians", "category": "wounded", "low": 2, "high": 5}],
         "parties": [{"party": parties[0]["uuid"], "role": "initiator"},
                     {"party": parties[1]["uuid"], "role": "target"}],
         "sources": [s["uuid"] for s in rng.sample(sources, 2)]}
        for _ in range(entries)
    ]  # fmt: skip
    statement_records = [
        {"uuid": _uid(rng), "speaker": parties[n % 2]["uuid"], "said_at": _time(rng),
         "zone": "Asia/Baku", "precision": "day", "kind": "claim", "quote": _text(rng, 45),
         "language": "en", "source": rng.choice(sources)["uuid"],
         "entry": rng.choice(entry_records)["uuid"]}
        for n in range(statements)
    ]  # fmt: skip
    for first, second in zip(statement_records[::10], statement_records[1::10], strict=False):
        first["contradicts"] = [second["uuid"]]

    def items(kind: str, records: list[dict[str, Any]]) -> list[dict[str, str]]:
        return [{"uuid": _uid(rng), "kind": kind, "ref": r["uuid"]} for r in records]

    briefing = {
        "uuid": _uid(rng), "title": "Border incidents, two years", "as_of": "2021-12-31T12:00:00Z",
        "zone": "Asia/Yerevan", "authors": "Bench", "tlp": "CLEAR", "bluf": _text(rng, 60),
        "judgments": [], "sections": [
            {"uuid": _uid(rng), "heading": "Timeline", "body": _text(rng, 30),
             "items": items("entry", entry_records)},
            {"uuid": _uid(rng), "heading": "Statements", "body": _text(rng, 30),
             "items": items("statement", statement_records)},
        ],
    }  # fmt: skip
    return {"party": parties, "source": sources, "entry": entry_records,
            "statement": statement_records, "briefing": [briefing]}  # fmt: skip


@contextmanager
def bench_project(folder: Path, records: dict[str, list[dict[str, Any]]]) -> Iterator[Project]:
    """A new project in ``folder`` holding ``records``, fonts registered outside every timing."""
    project = create_project(folder / "bench.brief", "Bench")
    with project.transaction() as session:
        codec.load(session.connection(), records)
    styles()
    try:
        yield project
    finally:
        project.close()


def timed(work: Callable[[], T]) -> tuple[float, float, T]:
    """Wall seconds, processor seconds and the result of ``work``."""
    start, cpu = time.perf_counter(), time.process_time()
    result = work()
    return time.perf_counter() - start, time.process_time() - cpu, result


def medians(times: list[tuple[float, float]]) -> tuple[float, float]:
    """The median wall and processor seconds of several runs."""
    return statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)
