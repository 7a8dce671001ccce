"""What an ACLED or UCDP GED import of hostile rows makes of a fresh project, as plain data.

Shared by the test that compares it with a snapshot taken before the imports were
made faster (``tests/fixtures/imports/hostile_snapshot.json``) and by the line
that wrote that snapshot (``python tests/unit/import_snapshot.py OUT``). The rows
are fixed, not drawn, so both runs read the very same files.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parents[1] / "fixtures"
CELLS = (
    "<b>Gegharkunik</b> & Syunik", "Հայաստան & Արցախ", "مدينة <غزة> & حلب", "中文地名 東京都",
    "😀🇦🇲 emoji", "Azərbaycan Respublikası", "كَتَبَ", "a,b \"quoted\"", "line\nbreak",
    "   ", "99999999999999999999999", "nan", "-5", "1e300", "12.0", "", "0", "\x00",
)  # fmt: skip
GED_COLUMNS = (
    "side_a", "dyad_name", "conflict_name", "where_coordinates", "adm_1", "country",
    "source_headline", "source_article", "side_b", "deaths_a", "best", "latitude",
    "deaths_civilians", "date_start", "high",
)  # fmt: skip
ACLED_COLUMNS = (
    "actor1", "notes", "location", "admin1", "country", "source", "actor2", "fatalities",
    "assoc_actor_1", "latitude", "event_type", "sub_event_type", "event_date",
)  # fmt: skip
SEARCHED = (
    "Հայաստան", "Արցախ", "غزة", "حلب", "東京都", "Azerbaycan", "Azərbaycan", "كتب",
    "Gegharkunik", "quoted", "emoji", "Armenia", "Government", "shelling", "Syunik",
)  # fmt: skip


def _table(fixture: Path, columns: tuple[str, ...], ids: dict[str, str]) -> list[dict[str, str]]:
    """40 rows from the data set's fixture, one or two cells of each made hostile, in a fixed
    pattern; ``ids`` names the id columns and their prefixes."""
    with fixture.open(encoding="utf-8", newline="") as stream:
        base = list(csv.DictReader(stream))
    table = []
    for n in range(40):
        row = dict(base[n % len(base)])
        row.update({column: f"{prefix}{n}" for column, prefix in ids.items()})
        for k in range(1 + n % 2):
            row[columns[(n + 7 * k) % len(columns)]] = CELLS[(n + 5 * k) % len(CELLS)]
        table.append(row)
    return table


def ged_table() -> list[dict[str, str]]:
    return _table(FIXTURES / "ucdp" / "ged.csv", GED_COLUMNS, {"id": "", "relid": "R"})


def acled_table() -> list[dict[str, str]]:
    table = _table(FIXTURES / "acled" / "events.csv", ACLED_COLUMNS, {"event_id_cnty": "HOS"})
    table.append({**table[3], "notes": "A later telling, same timestamp."})  # the later wins
    return table


def write(path: Path, table: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, list(table[0]))
        writer.writeheader()
        writer.writerows(table)
    return path


def snapshot(folder: Path) -> dict[str, Any]:
    """Both data sets imported (bad rows skipped) into fresh projects: reports, records, hits."""
    from briefing.io.acled import run_acled_import
    from briefing.io.ucdp import run_ucdp_import

    found = {}
    for name, table, run in (
        ("ged", ged_table(), run_ucdp_import), ("acled", acled_table(), run_acled_import),
    ):  # fmt: skip
        found[name] = _imported(folder, name, write(folder / f"{name}.csv", table), run)
    return found


def _imported(folder: Path, name: str, path: Path, run: Any) -> dict[str, Any]:
    from briefing.model import codec, fulltext
    from briefing.store import create_project

    project = create_project(folder / f"{name}.brief", "Snapshot")
    try:
        report = run(project, path, skip_bad_rows=True)
        with project.engine.connect() as connection:
            records = {
                kind: sorted(
                    (_plain(r) for r in codec.dump(connection, kind)), key=lambda r: r["uuid"]
                )
                for kind in ("entry", "party", "source")
            }
            hits = {
                word: sorted(
                    (hit.kind, hit.title) for hit in fulltext.search(connection, word, limit=500)
                )
                for word in SEARCHED
            }
    finally:
        project.close()
    return {
        "report": [report.summary, [str(bad) for bad in report.skipped]],
        "records": records,
        "hits": hits,
    }


def _plain(record: dict[str, Any]) -> dict[str, Any]:
    """A record without what says when it was written."""
    return {k: v for k, v in record.items() if k not in ("created_at", "updated_at", "_id")}


def as_json(value: Any) -> Any:
    """The value as JSON reads it back (tuples become lists)."""
    return json.loads(json.dumps(value, ensure_ascii=False, sort_keys=True))


if __name__ == "__main__":  # python tests/unit/import_snapshot.py OUT FOLDER
    out, scratch = Path(sys.argv[1]), Path(sys.argv[2])
    scratch.mkdir(parents=True, exist_ok=True)
    text = json.dumps(snapshot(scratch), ensure_ascii=False, sort_keys=True, indent=1)
    out.write_text(text + "\n", encoding="utf-8")
