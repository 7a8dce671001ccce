"""JSON text from outside the program, read one way only: the rule every reader of it follows.

``json`` accepts ``NaN`` and ``Infinity`` and keeps the last of two equal keys;
SQLite's JSON functions keep the first, and other readers refuse. Text whose
meaning depends on the reader (the open check sees one frozen briefing, the
export prints another; a colleague's viewer shows one name, the import stores
another) is refused instead. This covers every JSON text that came from a file
or another program: interchange documents and STIX bundles (:mod:`briefing.io`),
frozen editions, sync points, lock files, the memory of verified files, and
drag-and-drop payloads.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from briefing.model.field_rules import shown


class RepeatedKey(ValueError):
    """An object gives one key twice."""


class UnreadableJson(ValueError):
    """Text this rule refuses; its words follow the text's name ("the lock file <words>")."""


def refuse_constant(name: str) -> Any:
    """``parse_constant`` for ``json``: NaN and Infinity are not JSON numbers."""
    raise ValueError(f"{name} is not a number JSON allows")


def unique_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``object_pairs_hook`` for ``json``: the object, refused when a key comes twice."""
    found = dict(pairs)
    if len(found) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise RepeatedKey(
                    f'the key "{shown(key)}" appears twice in one object, '
                    "and readers differ on which one counts"
                )
            seen.add(key)
    return found


def too_deep(error: BaseException) -> bool:
    """True when ``json`` gave up on text because it nests too deeply."""
    return isinstance(error, RecursionError)


def too_long_number(error: BaseException) -> bool:
    """True when ``json`` gave up on a whole number of more digits than Python converts."""
    return "digits" in str(error) and "limit" in str(error)


def why(error: ValueError | RecursionError) -> str:
    """Why ``json`` with this rule's hooks gave up on a text: words following the text's name."""
    if too_deep(error):
        return "nests lists or objects too deeply to be read"
    if too_long_number(error):
        return (
            f"holds a number of more than {sys.get_int_max_str_digits():,} digits, too long to read"
        )
    return f"is not JSON ({error})"


def read(text: str | bytes | bytearray) -> Any:
    """The value of JSON ``text`` read by this rule; :class:`UnreadableJson` says why not.

    Bytes are decoded as ``json`` decodes them (UTF-8, -16 or -32).
    """
    try:
        return json.loads(text, parse_constant=refuse_constant, object_pairs_hook=unique_object)
    except (ValueError, RecursionError) as error:
        raise UnreadableJson(why(error)) from None
