"""Mutated project files, for the hostile-file property tests and the long fuzz run.

A :class:`Mutation` is plain data (a family and its arguments), so the suite's
hypothesis strategy (:func:`mutations`) and the fuzz run's seeded generator
(:func:`random_mutation`) make the same cases, and a failing case prints as
something one can replay. :func:`check_invariant` states what every case must
satisfy: refused in one sentence with every file beside it unchanged, or
accepted and then usable (open, check, info, search, merge into another
project, which must stay sound; a GREEN share copy, which must pass ``check``;
JSON export, whose document must import into a new project, and PDF export of
each briefing). Opening runs SQLite's quick check,
which does not compare indexes with their tables; ``check`` does. So a file whose
indexes alone are damaged may open: its readers then refuse in one sentence
("the file is damaged"), never with a traceback.
"""

from __future__ import annotations

import contextlib
import io
import random
import shutil
import sqlite3
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hostile_files import execute, hide_in_schema, listing, plant_journal
from hypothesis import strategies as st

from briefing.cli import main
from briefing.errors import BriefingError
from briefing.store import open_project
from briefing.store.verify import check_file

PAGE = 4096

COLUMNS = [
    ("timeline_entry", "start_utc"),
    ("timeline_entry", "end_utc"),
    ("casualty_claim", "best"),
    ("timeline_entry", "credibility"),
    ("timeline_entry", "latitude"),
    ("timeline_entry", "title"),
    ("timeline_entry", "description"),
    ("timeline_entry", "zone"),
    ("timeline_entry", "uuid"),
    ("timeline_entry", "updated_at"),
    ("party", "name"),
    ("party", "colour"),
    ("party", "parent_id"),
    ("party", "tlp"),
    ("source", "url"),
    ("source", "reliability"),
    ("source", "published_at"),
    ("statement", "quote"),
    ("statement", "entry_id"),
    ("relationship", "party_b_id"),
    ("relationship", "since"),
    ("briefing", "as_of"),
    ("briefing", "bluf"),
    ("section_item", "entry_id"),
    ("entry_source", "source_id"),
    ("edition", "snapshot"),
    ("edition", "frozen_at"),
    ("tombstone", "kind"),
    ("tombstone", "deleted_at"),
    ("project_setting", "value"),
]

VALUES = [
    "'yesterday'",
    "'many'",
    "9e999",
    "-9e999",
    "-5",
    "0",
    "1.5",
    "99999",
    "9223372036854775807",
    "-9223372036854775808",
    "x'ff00fe'",
    "CAST(x'eda080' AS TEXT)",
    "CAST(x'c3' AS TEXT)",
    "'javascript:alert(1)'",
    "'Z'",
    "NULL",
    "''",
    "'<b>&amp;</b> <para>'",
    "'Հայաստան Azərbaycan 中文 مرحبا 🙂'",
    "'0001-01-01T00:00:00.000000Z'",
    "'9999-12-31T23:59:59.999999Z'",
    "'2021-13-01T00:00:00.000000Z'",
    "'2021-02-30T00:00:00.000000Z'",
    "'1750-01-01T00:00:00.000000Z'",
    "'2190-01-01T00:00:00.000000Z'",
    "'2021-11-16T07:00:00Z'",
    "'not json'",
    "'{\"sections\": 1}'",
    "'[]'",
    "'Asia'",
    "'red'",
    "'dragon'",
    "id",
    "replace(hex(zeroblob(60000)), '00', 'a')",
    "'Arm' || char(0) || 'enia'",
    '\'{"briefing": {}, "judgments": [], "sections": [], "briefing": {"title": 1}}\'',
]

HOSTILE_SQL = [
    "CREATE TRIGGER {name} AFTER UPDATE ON party BEGIN UPDATE party SET tlp = 'CLEAR'; END",
    "CREATE VIEW {name} AS SELECT * FROM party",
    "CREATE TABLE {name}(x)",
    "CREATE INDEX {name} ON party(name)",
    "CREATE TABLE sqlite_stat1(tbl,idx,stat)",
    "CREATE TABLE sqlite_sequence(name,seq)",
]
NAMES = [
    "evil",
    "sqlite_evil",
    "sqlite_autoindex_party_1",
    "sqlite_stat1",
    "party",
    "sqlite_master",
]


@dataclass(frozen=True)
class Mutation:
    """One way to spoil a file: ``family`` and its arguments (see :func:`apply`)."""

    family: str
    args: tuple[Any, ...]

    def __str__(self) -> str:
        return f"{self.family}{self.args!r}"


def _flip(path: Path, flips: tuple[tuple[int, int], ...]) -> None:
    data = bytearray(path.read_bytes())
    for offset, mask in flips:
        data[offset % len(data)] ^= mask or 1
    path.write_bytes(bytes(data))


def _swap(path: Path, a: int, b: int) -> None:
    data = bytearray(path.read_bytes())
    pages = len(data) // PAGE
    a, b = a % pages, b % pages
    first, second = data[a * PAGE : (a + 1) * PAGE], data[b * PAGE : (b + 1) * PAGE]
    data[a * PAGE : (a + 1) * PAGE], data[b * PAGE : (b + 1) * PAGE] = second, first
    path.write_bytes(bytes(data))


def _truncate(path: Path, cut: int) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: cut % len(data)])


def _schema_row(path: Path, row: int, old: str, new: str) -> None:
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute("SELECT rowid, sql FROM sqlite_master").fetchall()
        rowid, sql = rows[row % len(rows)]
        changed = (sql or "").replace(old, new, 1) if old else new
    finally:
        connection.close()
    execute(
        path,
        f"UPDATE sqlite_master SET sql = {_quote(changed)} WHERE rowid = {rowid}",
        writable_schema=True,
    )


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _value(path: Path, table: str, column: str, value: str, row: int, check: bool) -> None:
    statements = ["PRAGMA foreign_keys = OFF"]
    if not check:
        statements.append("PRAGMA ignore_check_constraints = ON")
    target = f"(SELECT rowid FROM {table} ORDER BY rowid LIMIT 1 OFFSET {row})"
    statements.append(f"UPDATE {table} SET {column} = {value} WHERE rowid = {target}")
    execute(path, *statements)


def _insert_edition(path: Path, snapshot: str) -> None:
    execute(
        path,
        "PRAGMA foreign_keys = OFF",
        "INSERT INTO edition(uuid, briefing_id, number, frozen_at, frozen_by, snapshot) "
        "VALUES ('f0220000-0000-4000-8000-000000000099', 1, 99, "
        f"'2021-11-16T00:00:00.000000Z', 'Fuzz', {snapshot})",
    )


def _hidden(path: Path, kind: str, name: str, sql: str) -> None:
    hide_in_schema(path, kind, name, "party", sql.format(name=name))


def _journal(path: Path, inner: Mutation) -> None:
    other = path.with_name("journal-source.tmp")
    shutil.copyfile(path, other)
    try:
        apply(other, inner)
        size = other.stat().st_size
        if size and size % PAGE == 0 and other.read_bytes()[16:18] == PAGE.to_bytes(2, "big"):
            plant_journal(path, other)
    finally:
        other.unlink(missing_ok=True)


def _planted(path: Path, suffix: str, data: bytes) -> None:
    path.with_name(path.name + suffix).write_bytes(data)


def apply(path: Path, mutation: Mutation) -> None:
    """Spoil ``path`` (and what lies beside it) as ``mutation`` says."""
    family, args = mutation.family, mutation.args
    try:
        if family == "flip":
            _flip(path, args[0])
        elif family == "swap":
            _swap(path, *args)
        elif family == "truncate":
            _truncate(path, *args)
        elif family == "schema":
            _schema_row(path, *args)
        elif family == "hidden":
            _hidden(path, *args)
        elif family == "sql":
            execute(path, args[0].format(name=args[1]))
        elif family == "value":
            _value(path, *args)
        elif family == "edition":
            _insert_edition(path, args[0])
        elif family == "journal":
            _journal(path, args[0])
        elif family == "planted":
            _planted(path, *args)
        else:
            raise ValueError(family)
    except sqlite3.Error:
        pass  # a mutation SQLite itself refuses to make leaves the file as it got


# ---------------------------------------------------------------------------- generating

_BASIC = ("flip", "swap", "truncate", "schema", "hidden", "sql", "value", "edition", "planted")


def random_mutation(rng: random.Random, size: int, depth: int = 0) -> Mutation:
    """A mutation drawn by a seeded generator (the long fuzz run)."""
    family = rng.choice((*_BASIC, "value", "value", "journal") if depth == 0 else _BASIC)
    if family == "flip":
        count = rng.choice((1, 1, 2, 8, 64))
        spots = [rng.randrange(100) if rng.random() < 0.3 else rng.randrange(size)]
        spots += [rng.randrange(size) for _ in range(count - 1)]
        return Mutation("flip", (tuple((s, rng.randrange(1, 256)) for s in spots),))
    if family == "swap":
        return Mutation("swap", (rng.randrange(64), rng.randrange(64)))
    if family == "truncate":
        cut = rng.randrange(size) if rng.random() < 0.5 else PAGE * rng.randrange(1, 64)
        return Mutation("truncate", (cut,))
    if family == "schema":
        old, new = rng.choice(SCHEMA_EDITS)
        return Mutation("schema", (rng.randrange(64), old, new))
    if family == "hidden":
        kind = rng.choice(("trigger", "view", "table", "index"))
        return Mutation("hidden", (kind, rng.choice(NAMES), rng.choice(HOSTILE_SQL)))
    if family == "sql":
        return Mutation("sql", (rng.choice(HOSTILE_SQL), rng.choice(("evil", "peek", "x"))))
    if family == "value":
        table, column = rng.choice(COLUMNS)
        args = (table, column, rng.choice(VALUES), rng.randrange(3), rng.random() < 0.5)
        return Mutation("value", args)
    if family == "edition":
        return Mutation("edition", (rng.choice(VALUES),))
    if family == "journal":
        return Mutation("journal", (random_mutation(rng, size, depth + 1),))
    suffix = rng.choice(("-journal", "-wal", "-shm", ".lock"))
    return Mutation("planted", (suffix, rng.randbytes(rng.choice((0, 28, 600, 5000)))))


SCHEMA_EDITS = [
    ("", "CREATE TABLE party(x)"),
    ("NOT NULL", ""),
    ("CHECK", "CHECK (1) OR"),
    ("party", "source"),
    ("", ""),
    ("", "CREATE TRIGGER t AFTER INSERT ON party BEGIN SELECT 1; END"),
    ("(", "( evil INTEGER,"),
]


@st.composite
def mutations(draw: st.DrawFn, size: int) -> Mutation:
    """The hypothesis strategy: a seed drawn by hypothesis, the case made by the generator."""
    seed = draw(st.integers(min_value=0, max_value=2**32 - 1))
    return random_mutation(random.Random(seed), size)


# ---------------------------------------------------------------------------- the invariant


@dataclass
class Outcome:
    refused: bool
    failure: str = ""
    unchecked: str = ""
    """A traceback from an export of a file that opens but that ``check`` refuses."""


def _cli(*args: str | Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, err.getvalue()


def _one_line_errors(code: int, err: str, allowed: tuple[int, ...]) -> str:
    if code not in allowed:
        return f"exit status {code}: {err.strip()[:300]}"
    if code == 1 and not all(
        line.startswith(("error: ", "problem: ", "note: ")) for line in err.splitlines()
    ):
        return f"an error that is not one sentence per line: {err[:300]}"
    return ""


def check_invariant(path: Path, template: Path, work: Path) -> Outcome:
    """Open ``path``: a refusal must change nothing; an accepted file must be usable."""
    before = listing(path.parent)
    try:
        project = open_project(path, "Fuzz")
    except BriefingError as refusal:
        message = str(refusal)
        if "\n" in message or not message.strip():
            return Outcome(True, f"a refusal that is not one sentence: {message!r}")
        after = listing(path.parent)
        if after != before:
            changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
            return Outcome(True, f"refused ({message}) but changed {changed}")
        return Outcome(True)
    except Exception:  # noqa: BLE001 - the invariant is that nothing else escapes
        return Outcome(False, "open: " + traceback.format_exc(limit=-3))
    project.close()
    try:
        problems = check_file(path)
        failure = _usable(path, template, work, problems)
    except Exception:  # noqa: BLE001
        return Outcome(False, "use: " + traceback.format_exc(limit=-3))
    try:
        failure = failure or _exports(path, work) or _share(path, work)
    except Exception:  # noqa: BLE001
        return Outcome(False, "export: " + traceback.format_exc(limit=-3))
    return Outcome(False, failure)


def _run(steps: list[tuple[tuple[str | Path, ...], tuple[int, ...]]]) -> str:
    for args, allowed in steps:
        failure = _one_line_errors(*_cli(*args), allowed)
        if failure:
            return f"{args[0]}: {failure}"
    return ""


def _usable(path: Path, template: Path, work: Path, problems: list[str]) -> str:
    if any("\n" in p for p in problems):
        return f"check gave a problem that is not one line: {problems}"
    ours = work / "ours.brief"
    shutil.copyfile(template, ours)
    failure = _run(
        [
            (("info", path), (0, 1)),
            (("search", path, "border"), (0, 1)),
            (("merge", ours, path), (0, 1)),
        ]
    )
    spoiled = check_file(ours)
    if spoiled:
        return f"merge copied something bad into ours: {spoiled[:3]}"
    return failure


def _exports(path: Path, work: Path) -> str:
    steps: list[tuple[tuple[str | Path, ...], tuple[int, ...]]] = [
        (("export", path, "-o", work / "out.json"), (0, 1)),
    ]
    steps += [
        (("export", path, "-o", work / "out.pdf", "--briefing", str(b)), (0, 1))
        for b in _briefing_ids(path)
    ]
    return _run(steps) or _round_trip(work / "out.json", work / "round.brief")


def _round_trip(document: Path, fresh: Path) -> str:
    """A document the export wrote imports into a new project: it writes nothing we refuse."""
    if not document.exists():
        return ""
    fresh.unlink(missing_ok=True)
    failure = _run([(("new", fresh), (0,)), (("import", fresh, document), (0,))])
    document.unlink()
    return f"the exported document does not import again: {failure}" if failure else ""


def _share(path: Path, work: Path) -> str:
    """A GREEN share copy is refused in one sentence, or written and sound."""
    copy = work / "share" / "copy.brief"
    copy.parent.mkdir(exist_ok=True)
    failure = _run([(("share", path, "-o", copy, "--max-tlp", "GREEN"), (0, 1))])
    if failure or not copy.exists():
        return failure
    spoiled = check_file(copy)
    return f"the share copy does not pass check: {spoiled[:3]}" if spoiled else ""


def _briefing_ids(path: Path) -> list[int]:
    with open_project(path, "Fuzz", read_only=True) as project:
        with project.engine.connect() as connection:
            return [r[0] for r in connection.exec_driver_sql("SELECT id FROM briefing")]
