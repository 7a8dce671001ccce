"""Reading one untrusted STIX object: typed look-ups that refuse in one sentence.

A bundle is checked twice: ``stix2.parse`` checks each object we map against
STIX 2.1, and these look-ups check the type of what we take from it (our
extension's fields included). The records then reach ``codec.load``, which asks
the validity rules (:mod:`briefing.model.rules`) about every value.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, TypeVar

from briefing.errors import RecordError
from briefing.io.stix import ids
from briefing.model.base import join_tags

E = TypeVar("E", bound=StrEnum)

MAX_TEXT = 1_000_000
"""Longest text read from a bundle (characters): a guard before the rules, which allow less."""


class StixObject:
    """One object of a bundle with its record extension (empty when it has none)."""

    def __init__(self, data: dict[str, Any], extension_id: str) -> None:
        self.data = data
        self.id: str = data["id"]
        self.type: str = data["type"]
        extensions = data.get("extensions")
        found = extensions.get(extension_id) if isinstance(extensions, dict) else None
        self.ours: dict[str, Any] = found if isinstance(found, dict) else {}

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def refuse(self, key: str, expected: str) -> RecordError:
        return RecordError(f"{self.id}: '{key}' {expected}.")

    def text(self, key: str, default: str = "", ours: bool = False) -> str:
        value = (self.ours if ours else self.data).get(key)
        if value is None:
            return default
        return self.checked_text(key, value)

    def checked_text(self, key: str, value: object) -> str:
        """A text from the bundle; what a text may hold is for the rules, which the codec asks."""
        if not isinstance(value, str) or len(value) > MAX_TEXT:
            raise self.refuse(key, f"must be a text of at most {MAX_TEXT:,} characters")
        return value

    def optional_text(self, key: str) -> str | None:
        value = self.ours.get(key)
        return None if value is None else self.text(key, ours=True)

    def count(self, key: str) -> int | None:
        """A casualty figure: a whole number (its range is for the rules)."""
        value = self.ours.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.refuse(key, "must be a whole number")
        return value

    def choice(self, key: str, enum: type[E], default: E | None, ours: bool = True) -> E | None:
        value = (self.ours if ours else self.data).get(key)
        if value is None:
            return default
        try:
            return enum(value)
        except ValueError:
            allowed = ", ".join(m.value for m in enum)
            raise self.refuse(key, f"must be one of {allowed}") from None

    def time(self, key: str, ours: bool = False) -> str | None:
        value = (self.ours if ours else self.data).get(key)
        if value is None:
            return None
        moment = ids.document_time(value)
        if moment is None:
            raise self.refuse(key, "must be a time in UTC (ISO 8601)")
        return moment

    def refs(self, key: str) -> list[str]:
        value = self.data.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.refuse(key, "must be a list of identifiers")
        return value

    def labels(self) -> str:
        labels = self.data.get("labels") or []
        if not isinstance(labels, list):
            raise self.refuse("labels", "must be a list of texts")
        texts = [self.checked_text("labels", label) for label in labels]
        return join_tags([label.replace(",", " ") for label in texts])
