"""Long fuzz run of the JSON and CSV doors: mutated documents imported into a project.

Not part of the test suite (the suite runs the same invariant as hypothesis
property tests in ``tests/unit/test_doors_property.py``). Run by hand::

    python tests/fuzz/fuzz_documents.py --cases 10000 [--seed 1] [--door json|csv]

With ``--door csv`` each case is an ACLED export (the shipped sample,
``samples/events.csv``) with one to three cells, rows or headers spoiled (the
same hostile values as text, missing and extra columns, duplicated event ids,
bytes that are not UTF-8), imported with or without ``--skip-bad-rows``; the
invariant is the same.

Each case takes the demo project's own export, applies one to three random
mutations (hostile values in any field, removed or extra fields, wrong types,
duplicated UUIDs, dangling references, cycles, self-ties, huge texts, NaN and
Infinity tokens) and imports it. The invariant: refused in one sentence with
the project file byte for byte unchanged, or accepted with every record obeying
the rules and the project still usable (dump, JSON export, search, and every
so often a PDF of a briefing holding every record). Anything else (a traceback)
is a failure. Prints the number of cases, how many were accepted and refused,
and each failure with its seed; exits 1 when there was any.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import random
import shutil
import signal
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Any

from briefing.errors import BriefingError
from briefing.io.jsondoc import export_json, import_json
from briefing.model import codec, fulltext, rules
from briefing.model.base import new_uuid
from briefing.model.vocab import Tlp
from briefing.services.demo import create_demo_project
from briefing.services.pdf_export import export_briefing
from briefing.store import Project, open_project

RESET_EVERY = 100
"""Cases imported into one project before starting again from a fresh demo copy."""
PDF_EVERY = 50
"""Accepted cases between two PDF exports (a PDF takes far longer than an import)."""

HOSTILE: list[Any] = [
    "", " ", "\x00", "a\ud800b", "\udfff", "x" * 100_001, "y" * 1_001, "<script>&amp;",
    "Հայաստան\u202e", "😀🇦🇲", "red", "#000", "#GGGGGG", "javascript:alert(1)",
    "file:///etc/passwd", "Asia", "../etc/passwd", "PINK",
    "0001-01-01T00:00:00+01:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59-05:00",
    "9999-12-31T23:59:59Z", "2021-13-01T00:00:00Z", "2021-02-30T00:00:00Z", "2021-11-16",
    "2021-11-16T07:00:00", "1799-12-31T23:59:59Z", "2200-01-01T00:00:00Z",
    "1800-01-01T00:00:00Z", "2199-12-31T23:59:59Z", "29 Aug 1997", "1997-02-30", "0999",
    2**64, -(2**63) - 1, 10**30, 10**400, 1e300, -1e300, float("nan"), float("inf"), -1, 0,
    7, 0.5, 3.0, True, False, None, [], {}, ["x"], {"a": 1},
]  # fmt: skip
VALID_TEXT = ["Sotk", "Հայաստան", "Azərbaycan", "Москва", "北京", "مرحبا", "<&>", "a, b, c"]


def _random_uuid(rng: random.Random) -> str:
    return str(__import__("uuid").UUID(int=rng.getrandbits(128), version=4))


def _records(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (key, record)
        for key in codec.DOCUMENT_KEYS.values()
        for record in document.get(key) or []
        if isinstance(record, dict)
    ]


def mutate(document: dict[str, Any], rng: random.Random) -> None:
    """One random change that a hostile or careless writer might make."""
    records = _records(document)
    if not records:
        return
    key, record = rng.choice(records)
    if not record:  # an empty object put in an earlier mutation
        record["uuid"] = rng.choice(HOSTILE)
    field = rng.choice(sorted(record))
    choice = rng.randrange(12)
    if choice < 4:
        record[field] = rng.choice(HOSTILE)
    elif choice == 4:
        record[field] = rng.choice(VALID_TEXT)  # often valid: exercises acceptance
    elif choice == 5:
        del record[field]
    elif choice == 6:
        record[rng.choice(["extra", "_id", "id", field + "x"])] = rng.choice(HOSTILE)
    elif choice == 7:  # a twin, or a new record
        twin = copy.deepcopy(record)
        if rng.random() < 0.5:
            twin["uuid"] = new_uuid()
        document[key].append(twin)
    elif choice == 8:  # a reference to nothing, or to the wrong kind
        others = [r.get("uuid") for _, r in records]
        record[field] = rng.choice([_random_uuid(rng), rng.choice(others)])
    elif choice == 9 and key == "parties":
        parties = [p for p in document["parties"] if isinstance(p, dict)]
        a, b = rng.choice(parties), rng.choice(parties)
        a["parent"], b["parent"] = b.get("uuid"), a.get("uuid")  # a cycle, or a party in itself
    elif choice == 9 and key == "relationships":
        record["party_b"] = record.get("party_a")
    elif choice == 10 and isinstance(record.get(field), list):
        record[field] = [rng.choice(HOSTILE)] + list(record[field])
    elif choice == 11:
        document[key][document[key].index(record)] = rng.choice(HOSTILE)
    else:
        record[field] = rng.choice(HOSTILE)
    if rng.random() < 0.02:
        document[rng.choice(["format", "version", "project", "exported_at"])] = rng.choice(HOSTILE)


SAMPLE_CSV = Path(__file__).resolve().parents[2] / "samples" / "events.csv"


def mutate_csv(rows: list[list[str]], rng: random.Random) -> None:
    """One random change to the cells of an ACLED export (header row first)."""
    row = rng.randrange(len(rows))
    cells = rows[row]
    choice = rng.randrange(8)
    if choice < 4 and cells:
        value = rng.choice(HOSTILE)
        cells[rng.randrange(len(cells))] = value if isinstance(value, str) else repr(value)
    elif choice == 4 and cells:
        cells[rng.randrange(len(cells))] = rng.choice(VALID_TEXT)
    elif choice == 5 and cells:
        del cells[rng.randrange(len(cells))]
    elif choice == 6:
        rows.append(list(rng.choice(rows[1:] or rows)))  # a repeated event id
    else:
        cells.append(str(rng.choice(HOSTILE)))


def csv_case(rows: list[list[str]], rng: random.Random, path: Path) -> bool:
    """Write a spoiled copy of the sample; False when the spoiled text cannot be written."""
    import csv
    import io

    rows = copy.deepcopy(rows)
    for _ in range(rng.randint(1, 3)):
        mutate_csv(rows, rng)
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    try:
        data = out.getvalue().encode("utf-8", "surrogatepass")
    except UnicodeEncodeError:
        return False
    if rng.random() < 0.05:
        data = data.replace(b",", b"\xff,", 1)
    path.write_bytes(data)
    return True


def import_csv(project: Project, path: Path, rng: random.Random) -> None:
    from briefing.io.acled import run_acled_import

    run_acled_import(project, path, skip_bad_rows=rng.random() < 0.5)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_sentence(message: str) -> str | None:
    """What is wrong with a refusal's message, or None when it is one clean sentence."""
    if not message or "\n" in message or "Traceback" in message:
        return f"not one sentence: {message[:200]!r}"
    try:
        message.encode("utf-8")
    except UnicodeEncodeError:
        return "the message holds a lone surrogate"
    if len(message) > 2000:
        return f"the message is {len(message)} characters long"
    return None


def _usable(project: Project, folder: Path, with_pdf: bool) -> str | None:
    with project.engine.connect() as connection:
        records = codec.dump_all(connection)
    problems = rules.check_records(records)
    if problems:
        return f"accepted a record that breaks a rule: {problems[0].sentence()}"
    export_json(project, folder / "out.json")
    with project.engine.connect() as connection:
        for record in records["entry"][:3]:
            fulltext.search(connection, str(record["title"]))
    if with_pdf:
        library = [(k, r["uuid"]) for k in rules.ITEM_KINDS for r in records[k]]
        items = [{"uuid": new_uuid(), "kind": k, "ref": u} for k, u in library]
        holder = {
            "uuid": new_uuid(), "title": "Everything", "as_of": "2021-11-17T00:00:00Z",
            "sections": [{"uuid": new_uuid(), "heading": "All", "items": items}],
        }  # fmt: skip
        with project.transaction() as session:
            result = codec.load(session.connection(), {"briefing": [holder]})
        try:
            export_briefing(project, result.ids("briefing")[0], folder / "all.pdf", tlp=Tlp.RED)
        except BriefingError as error:  # the PDF's own refusal of glyphs its fonts lack
            if "The PDF fonts cannot show" not in str(error):
                return f"the PDF was refused: {error}"
    return None


def _stop(number: int, frame: object) -> None:
    raise KeyboardInterrupt


def run(cases: int, seed: int, door: str = "json") -> int:
    folder = Path(tempfile.mkdtemp(prefix="fuzz-documents-"))
    template = folder / "demo-template.brief"
    create_demo_project(template, "Fuzz").close()
    with open_project(template, "Fuzz", read_only=True) as project:
        export_json(project, folder / "base.json")
    base = json.loads((folder / "base.json").read_text(encoding="utf-8"))
    import csv

    with SAMPLE_CSV.open(encoding="utf-8", newline="") as stream:
        sample_rows = list(csv.reader(stream))
    counts = {"accepted": 0, "refused": 0, "unwritable": 0}
    failures: list[str] = []
    project_path = folder / "project.brief"
    project: Project | None = None
    done = 0
    signal.signal(signal.SIGTERM, _stop)
    try:
        for case in range(cases):
            done = case
            if case and case % 1000 == 0:
                line = f"door: {door}  cases run: {case}  accepted: {counts['accepted']}"
                line += f"  refused: {counts['refused']}  failures: {len(failures)}"
                print(line, flush=True)
            if case % RESET_EVERY == 0:
                if project is not None:
                    project.close()
                shutil.copyfile(template, project_path)
                project = open_project(project_path, "Fuzz analyst")
            assert project is not None
            rng = random.Random(seed * 1_000_003 + case)
            if door == "csv":
                path = folder / "case.csv"
                if not csv_case(sample_rows, rng, path):
                    counts["unwritable"] += 1
                    continue
            else:
                document = copy.deepcopy(base)
                for _ in range(rng.randint(1, 3)):
                    mutate(document, rng)
                path = folder / "case.json"
                try:
                    path.write_text(json.dumps(document, allow_nan=True), encoding="ascii")
                except (ValueError, RecursionError):
                    counts["unwritable"] += 1
                    continue
            before = _digest(project_path)
            try:
                if door == "csv":
                    import_csv(project, path, rng)
                else:
                    import_json(project, path)
            except BriefingError as error:
                counts["refused"] += 1
                wrong = _one_sentence(str(error))
                if wrong is None and _digest(project_path) != before:
                    wrong = "a refused import changed the project file"
                if wrong:
                    failures.append(f"case {case} (seed {seed}): {wrong}")
                continue
            except Exception:  # noqa: BLE001 - a traceback is exactly what the run looks for
                failures.append(f"case {case} (seed {seed}): {traceback.format_exc()}")
                continue
            counts["accepted"] += 1
            try:
                wrong = _usable(project, folder, counts["accepted"] % PDF_EVERY == 1)
            except Exception:  # noqa: BLE001
                wrong = traceback.format_exc()
            if wrong:
                failures.append(f"case {case} (seed {seed}): {wrong}")
        done = cases
    except KeyboardInterrupt:
        print("stopped before the last case", flush=True)
    finally:
        if project is not None:
            project.close()
        shutil.rmtree(folder, ignore_errors=True)
    print(f"door: {door}  cases: {done}  accepted: {counts['accepted']}  "
          f"refused: {counts['refused']}  not writable as a file: {counts['unwritable']}  "
          f"failures: {len(failures)}")  # fmt: skip
    for failure in failures[:20]:
        print(failure)
    return 1 if failures else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--door", choices=("json", "csv"), default="json")
    args = parser.parse_args()
    sys.exit(run(args.cases, args.seed, args.door))


if __name__ == "__main__":
    main()
