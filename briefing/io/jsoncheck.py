"""Check an interchange document against its JSON Schema, and word the first problem.

``jsonschema`` is the authority and words the problem; a compiled
``fastjsonschema`` validator of the same schema only lets a sound document
through quickly, since checking 100,000 records with ``jsonschema`` alone takes
far longer than storing them.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from briefing.model.codec import DOCUMENT_KEYS
from briefing.model.rules import shown
from briefing.resources import resource_path

RECORD_KEYS = tuple(DOCUMENT_KEYS.values())

_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
    "array": "a list",
    "object": "an object",
}


@cache
def document_schema() -> dict[str, Any]:
    """The JSON Schema shipped in ``resources/schema/project.schema.json``."""
    path = resource_path("schema", "project.schema.json")
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(document_schema())


@cache
def _quick_check() -> Any:
    return fastjsonschema.compile(document_schema(), use_formats=False)


def first_problem(document: Any, offset: int = 0) -> str | None:
    """One sentence naming the record and field of the first problem, or None if sound.

    ``offset`` is added to a record's index in its list: a document read in
    batches names records by their place in the whole document.
    """
    try:
        _quick_check()(document)
        return None
    except fastjsonschema.JsonSchemaException:
        pass
    error = next(_validator().iter_errors(document), None)
    if error is None:
        return None
    return describe(error, document, offset).encode("utf-8", "replace").decode("utf-8")


def record_label(document: Any, key: str, index: int, offset: int = 0) -> str:
    """How a record is named in messages: ``statements[3] (uuid …)``."""
    label = f"{key}[{index + offset}]"
    try:
        uuid = document[key][index].get("uuid")
    except (AttributeError, IndexError, KeyError, TypeError):
        uuid = None
    return f"{label} (uuid {shown(uuid)})" if isinstance(uuid, str) else label


def _where(error: ValidationError, document: Any, offset: int = 0) -> tuple[str, str]:
    """(record label, dotted field path within it) for an error's location."""
    path = list(error.absolute_path)
    if len(path) >= 2 and path[0] in RECORD_KEYS and isinstance(path[1], int):
        record, rest = record_label(document, str(path[0]), path[1], offset), path[2:]
    else:
        record, rest = "the document", path
    field = ""
    for part in rest:
        field += f"[{part}]" if isinstance(part, int) else (f".{part}" if field else str(part))
    return record, field


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return shown(text, 60)


def _problem(error: ValidationError) -> str:
    """What is wrong with the value, as the end of a sentence."""
    kind, expected, value = error.validator, error.validator_value, error.instance
    if kind == "enum":
        return f"must be one of {', '.join(map(str, expected))} (not {_shown(value)})"
    if kind == "const":
        return f"must be {_shown(expected)} (not {_shown(value)})"
    if kind == "type":
        types = [expected] if isinstance(expected, str) else expected
        words = " or ".join(_TYPE_WORDS.get(t, t) for t in types)
        return f"must be {words} (not {_shown(value)})"
    if kind == "pattern":
        return f"must be {error.schema.get('description', 'well formed')} (not {_shown(value)})"
    if kind == "minimum":
        return f"must be at least {expected} (not {_shown(value)})"
    if kind == "maximum":
        return f"must be at most {expected} (not {_shown(value)})"
    if kind == "uniqueItems":
        return "lists the same value twice"
    return error.message


def describe(error: ValidationError, document: Any, offset: int = 0) -> str:
    """Word a schema error as one sentence naming the record and the field."""
    record, field = _where(error, document, offset)
    if error.validator == "required":
        missing = next(k for k in error.validator_value if k not in error.instance)
        name = f"{field}.{missing}" if field else missing
        return f"{record}: field '{name}' is missing."
    if error.validator == "additionalProperties":
        known = error.schema.get("properties", {})
        extra = sorted(k for k in error.instance if k not in known)
        name = f"{field}.{shown(extra[0])}" if field else shown(extra[0])
        return f"{record}: field '{name}' is not a known field."
    if not field:
        return f"{record} {_problem(error)}."
    return f"{record}: field '{field}' {_problem(error)}."
