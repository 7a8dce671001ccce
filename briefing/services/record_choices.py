"""Records offered in pickers and filters, named the way an analyst recognises them."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text

from briefing.services.library_rows import party_label_of


@dataclass(frozen=True)
class Choice:
    """A record offered in a picker: its id, UUID and the words that name it."""

    id: int
    uuid: str
    label: str


_CHOICE_SQL = {
    "party": "SELECT id, uuid, name, short_name FROM party ORDER BY name COLLATE NOCASE",
    "source": "SELECT id, uuid, title, publisher FROM source ORDER BY title COLLATE NOCASE",
    "entry": "SELECT id, uuid, title, substr(start_utc, 1, 10) FROM timeline_entry "
    "ORDER BY start_utc DESC",
    "statement": "SELECT t.id, t.uuid, substr(t.quote, 1, 90), "
    f"{party_label_of('speaker_id')} FROM statement t ORDER BY t.said_at DESC",
}


def choices(connection: Connection, kind: str, limit: int = 5000) -> list[Choice]:
    """Records of a kind to pick from, labelled the way the analyst recognises them."""
    rows = connection.execute(text(f"{_CHOICE_SQL[kind]} LIMIT :n"), {"n": limit})
    return choices_from_rows(kind, list(rows))


def choice_for_uuid(connection: Connection, kind: str, uuid: str) -> Choice | None:
    """One record as a choice, for a picker whose current value is beyond its list."""
    sql = _CHOICE_SQL[kind].split(" ORDER BY ")[0]
    where = " WHERE t.uuid = :u" if kind == "statement" else " WHERE uuid = :u"
    row = connection.execute(text(sql + where), {"u": uuid}).first()
    if row is None:
        return None
    found = choices_from_rows(kind, [row])
    return found[0] if found else None


def choices_from_rows(kind: str, rows: Sequence[Any]) -> list[Choice]:
    result = []
    for id_, uuid, main, extra in rows:
        label = " ".join((main or "").split())
        if kind == "party" and extra and extra not in label:
            label = f"{label} ({extra})"
        elif kind in ("source", "entry") and extra:
            label = f"{label} — {extra}"
        elif kind == "statement":
            label = f"{extra or 'Unattributed'}: “{label}”"
        result.append(Choice(id_, uuid, label))
    return result


def party_choices_for_filter(connection: Connection) -> list[Choice]:
    """Parties for the party filter, those not part of another first: the usual choices."""
    rows = connection.execute(
        text(
            "SELECT id, uuid, name, short_name FROM party "
            "ORDER BY parent_id IS NOT NULL, name COLLATE NOCASE"
        )
    )
    return choices_from_rows("party", list(rows))


def member_uuids(connection: Connection, party_uuid: str) -> set[str]:
    """A party, its members, their members and so on: none of them can be its parent."""
    rows = connection.execute(
        text(
            "WITH RECURSIVE tree(id) AS (SELECT id FROM party WHERE uuid = :u UNION "
            "SELECT p.id FROM party p JOIN tree ON p.parent_id = tree.id) "
            "SELECT uuid FROM party WHERE id IN tree"
        ),
        {"u": party_uuid},
    )
    return set(rows.scalars())


def folded(text: str) -> str:
    """Text as a name is compared when typed: no case, no accents, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def matching(offered: Sequence[Choice], typed: str) -> list[Choice]:
    """The choices a typed name means: the exact name if there is one, else every prefix match.

    Case and accents are ignored, so ‘erdogan’ finds ‘Erdoğan’. One result is
    the analyst's choice; several mean the name must be typed further; none, that
    no such record exists yet.
    """
    wanted = folded(typed)
    if not wanted:
        return []
    exact = [c for c in offered if wanted in (folded(c.label), folded(_name_part(c.label)))]
    if exact:
        return exact[:1] if len({c.uuid for c in exact}) == 1 else exact
    return [c for c in offered if folded(c.label).startswith(wanted)]


def _name_part(label: str) -> str:
    """A party's name without the short name shown after it: ‘Ministry of Defence (MoD)’."""
    return label.rsplit(" (", 1)[0] if label.endswith(")") else label
