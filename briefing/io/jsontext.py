"""JSON text as every door reads it: numbers JSON allows, and each key once per object.

``json`` accepts ``NaN`` and ``Infinity`` and keeps the last of two equal keys;
other readers keep the first or refuse. A document whose meaning depends on the
reader (a colleague's viewer shows one name, the import stores another) is
refused instead, in the words of a ``ValueError`` the door puts in its sentence.
"""

from __future__ import annotations

import sys
from typing import Any

from briefing.model import rules


class RepeatedKey(ValueError):
    """An object gives one key twice."""


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
                    f'the key "{rules.shown(key)}" appears twice in one object, '
                    "and readers differ on which one counts"
                )
            seen.add(key)
    return found


def unreadable(name: str, error: ValueError | RecursionError) -> str:
    """The sentence refusing text ``json`` gave up on, in words rather than the parser's."""
    if isinstance(error, RecursionError):
        return f"{name} nests lists or objects too deeply to be read; nothing was imported."
    if "digits" in str(error) and "limit" in str(error):
        return (
            f"{name} holds a number of more than {sys.get_int_max_str_digits():,} digits, "
            "too long to read; nothing was imported."
        )
    return f"{name} is not a JSON document ({error})."
