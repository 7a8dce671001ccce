"""Ways to spoil a project file as an attacker or a broken disk would, for tests and fuzzing.

Each spoiler takes the path of a sound project file and changes it (or plants a
file beside it) in place. :func:`plant_journal` writes a rollback journal by
hand, in SQLite's own format, so that rolling it back turns the file into
another one.
"""

from __future__ import annotations

import shutil
import sqlite3
import struct
from collections.abc import Callable
from pathlib import Path

JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")
SECTOR = 512


def execute(path: Path, *statements: str, writable_schema: bool = False) -> None:
    """Run raw SQL on a file as the sqlite3 shell would (no checks, no triggers of ours)."""
    connection = sqlite3.connect(path)
    try:
        if writable_schema:
            connection.execute("PRAGMA writable_schema = ON")
        for statement in statements:
            connection.execute(statement)
        connection.commit()
    finally:
        connection.close()


def hide_in_schema(path: Path, kind: str, name: str, table: str, sql: str) -> None:
    """Add a schema row that SQLite itself would refuse to create (e.g. a reserved name)."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA writable_schema = ON")
        connection.execute(
            "INSERT INTO sqlite_master(type, name, tbl_name, rootpage, sql) VALUES (?, ?, ?, 0, ?)",
            (kind, name, table, sql),
        )
        version = connection.execute("PRAGMA schema_version").fetchone()[0]
        connection.execute(f"PRAGMA schema_version = {version + 1}")
        connection.commit()
    finally:
        connection.close()


def _checksum(nonce: int, page: bytes) -> int:
    total = nonce
    offset = len(page) - 200
    while offset > 0:
        total += page[offset]
        offset -= 200
    return total & 0xFFFFFFFF


def plant_journal(path: Path, becomes: Path) -> Path:
    """Write ``path``-journal so that SQLite's rollback turns ``path`` into ``becomes``.

    Both files must have the same page size. The journal holds every page of
    ``becomes`` that differs, as a hot journal left by a killed program would.
    """
    data, wanted = path.read_bytes(), becomes.read_bytes()
    page_size = struct.unpack(">H", wanted[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    pages = []
    for number in range(len(wanted) // page_size):
        page = wanted[number * page_size : (number + 1) * page_size]
        if data[number * page_size : (number + 1) * page_size] != page:
            pages.append((number + 1, page))
    nonce = 0x1234567
    header = JOURNAL_MAGIC + struct.pack(
        ">IIIII", len(pages), nonce, len(wanted) // page_size, SECTOR, page_size
    )
    body = b"".join(
        struct.pack(">I", number) + page + struct.pack(">I", _checksum(nonce, page))
        for number, page in pages
    )
    journal = path.with_name(path.name + "-journal")
    journal.write_bytes(header.ljust(SECTOR, b"\0") + body)
    return journal


def spoiled_copy(template: Path, folder: Path, spoil: Callable[[Path], None]) -> Path:
    """A copy of ``template`` in ``folder`` (created) changed by ``spoil``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / template.name
    shutil.copyfile(template, path)
    spoil(path)
    return path


def listing(folder: Path) -> dict[str, bytes]:
    """Every file of a folder with its bytes: what a refusal must leave exactly as it was."""
    return {
        p.name: (p.read_bytes() if p.is_file() and not p.is_symlink() else b"<not a file>")
        for p in sorted(folder.iterdir())
    }
