"""Import a STIX 2.1 bundle: all or nothing, records with a known UUID updated.

A bundle is untrusted. It is read as JSON (no NaN, no runaway nesting), every
object must name its type and identifier, each object we map is checked with
``stix2.parse``, and the records made from them go through ``codec.load`` in one
transaction, so a refusal is one sentence and leaves the project as it was.
Objects that map to nothing are skipped and listed by type and identifier.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import stix2

from briefing.errors import BriefingError, RecordError, file_problem
from briefing.io import import_changes
from briefing.io.input_file import check_regular, is_regular
from briefing.io.jsondoc import _forget_deletions
from briefing.io.jsontext import unreadable
from briefing.io.stix import ids
from briefing.io.stix.objects import EVENT_EXTENSION, RECORD_EXTENSION
from briefing.io.stix.reading import StixObject
from briefing.io.stix.records import Mapper
from briefing.model import codec, uuid_kinds
from briefing.model.jsontext import refuse_constant, unique_object
from briefing.model.rules import shown
from briefing.store.project import Project

MAX_BYTES = 512 * 1024 * 1024
"""Largest bundle read (a bundle of 100,000 objects is well under this)."""

_CHECKED = {"identity", "location", "event", "note", "relationship", "report"}
"""Types we map, so ``stix2`` checks them before we read them."""


@dataclass(frozen=True)
class StixImport:
    """What an import added and updated per record kind, and the objects it skipped."""

    added: dict[str, int]
    updated: dict[str, int]
    unchanged: dict[str, int] = field(default_factory=dict)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Records the bundle holds."""
        return sum(self.added.values()) + sum(self.updated.values()) + sum(self.unchanged.values())


_BUNDLE_TYPE = re.compile(r'"type"\s*:\s*"bundle"')


def is_bundle(path: Path) -> bool:
    """Tell a STIX bundle by its content: a JSON object whose "type" is "bundle".

    Only the first 64 KiB are read; our own JSON documents never carry a "type" key.
    """
    if not is_regular(path):
        return False
    try:
        with Path(path).open("rb") as stream:
            head = stream.read(65536).decode("utf-8", errors="ignore")
    except OSError:
        return False
    start = head.lstrip("\ufeff \t\r\n")
    return start.startswith("{") and _BUNDLE_TYPE.search(head) is not None


def read_bundle(path: Path) -> dict[str, Any]:
    """Parse a file and check that it is a STIX bundle."""
    name = path.name
    check_regular(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise BriefingError(f"{name} is larger than {MAX_BYTES // 2**20} MB; it was not read.")
        data = path.read_bytes()
    except OSError as error:
        raise BriefingError(file_problem(name, error)) from error
    try:
        bundle = json.loads(data, parse_constant=refuse_constant, object_pairs_hook=unique_object)
    except json.JSONDecodeError as error:
        raise BriefingError(
            f"{name} is not a JSON document (line {error.lineno}, column {error.colno}: "
            f"{error.msg})."
        ) from error
    except (ValueError, RecursionError, UnicodeDecodeError) as error:
        raise BriefingError(unreadable(name, error)) from error
    if not isinstance(bundle, dict) or bundle.get("type") != "bundle":
        raise BriefingError(f'{name} is not a STIX bundle (its "type" is not "bundle").')
    objects = bundle.get("objects", [])
    if not isinstance(objects, list):
        raise BriefingError(f'{name} is not a STIX bundle ("objects" is not a list).')
    return bundle


def latest_objects(bundle: dict[str, Any], extension_id: str) -> dict[str, StixObject]:
    """Objects by identifier; of several versions of one object, the last modified."""
    found: dict[str, StixObject] = {}
    for number, data in enumerate(bundle.get("objects", []), start=1):
        if not isinstance(data, dict):
            raise RecordError(f"Object {number} of the bundle is not a JSON object.")
        stix_type, stix_id = data.get("type"), data.get("id")
        if not isinstance(stix_type, str) or not isinstance(stix_id, str):
            raise RecordError(f"Object {number} of the bundle has no type or no identifier.")
        if ids.uuid_of(stix_id) is None or ids.type_of(stix_id) != stix_type:
            raise RecordError(
                f"Object {number} of the bundle has an identifier that is not "
                f"'{shown(stix_type)}--' and a UUID ({shown(stix_id, 80)})."
            )
        earlier = found.get(stix_id)
        if earlier is None or _version(data) >= _version(earlier.data):
            found[stix_id] = StixObject(data, extension_id)
    return found


def _version(data: dict[str, Any]) -> str:
    return ids.document_time(data.get("modified")) or ""


def check_objects(objects: dict[str, StixObject]) -> None:
    """Refuse an object we would map that is not valid STIX 2.1, naming it and the reason."""
    for o in objects.values():
        if o.type not in _CHECKED or (o.type == "event" and not _oasis_event(o)):
            continue
        try:
            stix2.parse(o.data, allow_custom=True)
        except RecursionError:
            raise RecordError(f"{o.id} is nested too deeply to read.") from None
        except Exception as error:  # stix2 raises many kinds; each one is a refusal here
            reason = " ".join(str(error).split())[:300].rstrip(".")
            raise RecordError(f"{o.id} is not valid STIX 2.1: {reason}.") from error


def _oasis_event(o: StixObject) -> bool:
    """An OASIS event SDO; OpenCTI writes events of its own without the extension."""
    extensions = o.get("extensions")
    return isinstance(extensions, dict) and EVENT_EXTENSION in extensions


def _merged(connection: Any, records: codec.Records) -> codec.Records:
    """Records with a known UUID keep the fields the bundle does not carry."""
    result: codec.Records = {}
    for kind in codec.KINDS:
        batch = records.get(kind) or []
        if not batch:
            continue
        found = codec.ids_for_uuids(connection, codec.table(kind), [r["uuid"] for r in batch])
        old = {r["uuid"]: r for r in codec.dump(connection, kind, list(found.values()))}
        result[kind] = [{**old.get(r["uuid"], {}), **r} for r in batch]
    return result


def import_stix(project: Project, path: Path) -> StixImport:
    """Store every record a bundle holds, all or nothing; list what maps to nothing.

    A record equal in content to ours stays as it is (unchanged); one that differs
    is stamped as :mod:`briefing.io.import_changes` says.
    """
    path = Path(path)
    bundle = read_bundle(path)
    try:
        objects = latest_objects(bundle, RECORD_EXTENSION)
        check_objects(objects)
        with project.transaction() as session:
            connection = session.connection()

            def exists(kind: str, uuid: str) -> bool:
                return bool(codec.ids_for_uuids(connection, codec.table(kind), [uuid]))

            mapper = Mapper(objects, exists)
            records = mapper.run()
            records = _merged(connection, records)
            before = import_changes.current(connection, records)
            result = codec.load(connection, records)
            uuid_kinds.refuse_shared(connection, records)
            updated, unchanged = import_changes.settle(
                connection, records, before, result.updated, project.analyst
            )
            _forget_deletions(connection, records)
    except RecordError as error:
        raise RecordError(f"Nothing was imported from {path.name}: {error}") from error
    return StixImport(
        added={k: len(v) for k, v in result.inserted.items() if v},
        updated=updated,
        unchanged=unchanged,
        skipped=sorted(mapper.skipped),
    )
