"""JSON text as every door reads it, and the door's sentence for text it refuses.

The rule itself (numbers JSON allows, each key once per object) lives in
:mod:`briefing.model.jsontext`, where the project file's readers follow it too;
it is named here as well for the doors that import it from here.
"""

from __future__ import annotations

from briefing.model.jsontext import (
    RepeatedKey,
    refuse_constant,
    too_deep,
    too_long_number,
    unique_object,
    why,
)

__all__ = ["RepeatedKey", "refuse_constant", "unique_object", "unreadable"]


def unreadable(name: str, error: ValueError | RecursionError) -> str:
    """The sentence refusing text ``json`` gave up on, in words rather than the parser's."""
    if too_deep(error) or too_long_number(error):
        return f"{name} {why(error)}; nothing was imported."
    return f"{name} is not a JSON document ({error})."
