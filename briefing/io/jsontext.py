"""The doors' sentence for JSON text they refuse.

The rule itself (numbers JSON allows, each key once per object) lives in
:mod:`briefing.model.jsontext`, where the project file's readers follow it too.
"""

from __future__ import annotations

from briefing.model.jsontext import too_deep, too_long_number, why


def unreadable(name: str, error: ValueError | RecursionError) -> str:
    """The sentence refusing text ``json`` gave up on, in words rather than the parser's."""
    if too_deep(error) or too_long_number(error):
        return f"{name} {why(error)}; nothing was imported."
    return f"{name} is not a JSON document ({error})."
