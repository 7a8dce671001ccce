"""A project full of values at the edges of what the rules allow, and of what a file may hold.

Valid edges: the earliest and latest times in zones far west and far east, the
largest counts, the longest texts (without a single space, in Armenian and
Latin letters), the extreme coordinates. Malformed values, which the program
never writes, are put in by another program while the window has the file open.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from briefing.model import rules
from briefing.services import briefings, records
from briefing.services.demo import create_demo_project, uid
from briefing.store import open_project

EARLIEST = "1800-01-01T00:00:00Z"
LATEST = "2199-12-31T23:59:59.999999Z"
WEST = "America/Los_Angeles"  # 1800 local mean time: 31 Dec 1799 on the wall clock
EAST = "Pacific/Kiritimati"  # UTC+14: 1 Jan 2200 on the wall clock


def unbroken(letters: str, size: int) -> str:
    """``size`` characters without a space or any other place to break a line."""
    return (letters * (size // len(letters) + 1))[:size]


LONG_TEXT = unbroken("Հայաստանx", rules.MAX_TEXT)
LONG_LINE = unbroken("Azərbaycan", rules.MAX_LINE)


@dataclass(frozen=True)
class EdgeProject:
    path: Path
    ids: dict[str, list[int]]
    """The edge records' ids by kind, in the order they were made."""


def build_edge_project(path: Path) -> EdgeProject:
    """The demo project plus one record of each kind at every edge; the demo briefing shows them."""
    create_demo_project(path, "Edge values").close()
    project = open_project(path, "Edge maker")
    ids: dict[str, list[int]] = {}

    def add(record_kind: str, **values: object) -> None:
        change = records.create_record(project, record_kind, values)
        ids.setdefault(record_kind, []).extend(change.ids[record_kind])

    try:
        add("party", name=LONG_LINE, short_name=LONG_LINE[:200], kind="state",
            description=LONG_TEXT, colour="#000000")  # fmt: skip
        add("source", title=LONG_LINE, kind="news", reliability="F", publisher=LONG_LINE,
            author=LONG_LINE, url="https://example.org/" + unbroken("a", rules.MAX_URL - 20),
            published_at=LATEST, accessed_at=EARLIEST, description=LONG_TEXT)  # fmt: skip
        add("entry", title="Earliest, spanning to the latest", start_utc=EARLIEST,
            end_utc=LATEST, zone=WEST, precision="minute")  # fmt: skip
        add("entry", title="Latest", start_utc=LATEST, zone=EAST, precision="minute",
            claims=[claim("killed", best=rules.MAX_COUNT), claim("wounded", best=0),
                    claim("captured", low=0, high=rules.MAX_COUNT)])  # fmt: skip
        add("entry", title=LONG_LINE, start_utc="2021-11-16T07:00:30.250000Z", zone="Asia/Baku",
            place=LONG_LINE, description=LONG_TEXT, latitude=-90.0, longitude=180.0,
            claims=[claim("killed", best=rules.MAX_COUNT, words=LONG_LINE),
                    claim("wounded", best=3)],
            tags=unbroken("t", rules.MAX_TAGS),
            notes=LONG_TEXT, parties=[{"party": uid("armenia"), "role": "initiator"}])  # fmt: skip
        add("statement", quote=LONG_TEXT, translation=LONG_TEXT, kind="claim",
            said_at=EARLIEST, zone=WEST, person=LONG_LINE, person_title=LONG_LINE,
            speaker=uid("armenia"))  # fmt: skip
        add("statement", quote="Said at the latest time", kind="warning", said_at=LATEST,
            zone=EAST)  # fmt: skip
        add("relationship", party_a=uid("armenia"), party_b=uid("russia"), kind="defence treaty",
            title=LONG_LINE, since="1000", until="2199-12-31", description=LONG_TEXT)  # fmt: skip
        with project.engine.connect() as connection:
            briefing_id = records.id_of(connection, "briefing", uid("briefing"))
        assert briefing_id is not None
        wanted = [(kind, i) for kind in ("entry", "statement", "relationship") for i in ids[kind]]
        briefings.add_items(project, briefing_id, wanted)
    finally:
        project.close()
    return EdgeProject(path, ids)


def claim(category: str, **figures: object) -> dict[str, object]:
    """A claim about an unknown side with the given figures."""
    return {"side": "unknown", "category": category, **figures}


MALFORMED = (
    "UPDATE timeline_entry SET zone = 'Mars/Olympus', latitude = 'north' WHERE id = :entry",
    "UPDATE casualty_claim SET best = 'many' WHERE entry_id = :entry AND category = 'killed'",
    "UPDATE casualty_claim SET best = 2.5 WHERE entry_id = :entry AND category = 'wounded'",
    "UPDATE casualty_claim SET words = 1e300 WHERE entry_id = :other",
    "UPDATE timeline_entry SET tags = 42, notes = x'ff00fe' WHERE id = :other",
    "UPDATE statement SET said_at = '9999-12-31T23:59:59.999999Z', zone = '' WHERE id = :said",
    "UPDATE source SET published_at = 'yesterday', accessed_at = 42 WHERE id = :source",
    "UPDATE party SET colour = 'red' WHERE id = :party",
)
"""Values the program never writes, as a hostile or damaged file may hold them."""


def write_malformed(path: Path, edge: EdgeProject) -> None:
    """Another program puts malformed values into the file (as a damaged copy may hold)."""
    names = {
        "entry": edge.ids["entry"][2],
        "other": edge.ids["entry"][0],
        "said": edge.ids["statement"][1],
        "source": edge.ids["source"][0],
        "party": edge.ids["party"][0],
    }
    connection = sqlite3.connect(path)
    try:
        with connection:
            for statement in MALFORMED:
                connection.execute(statement, names)
    finally:
        connection.close()
