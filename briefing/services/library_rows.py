"""What a library list shows of each record: one line of text per column, read a page at a time.

Times are written fixed-width, rounded to their precision (``2021-11-16 11:00
+04`` local, ``2021-11-16 07:00Z`` UTC), so that columns read and sort at a glance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, text

from briefing.model.times import date_group, zone_or_utc
from briefing.model.vocab import Reliability, admiralty_grade
from briefing.services.entry_claims import claim_summaries

PARTY_LABEL_SQL = "coalesce(nullif({a}.short_name, ''), {a}.name)"
ENTRY_PARTIES_SQL = (
    "(SELECT group_concat(ep.role || ':' || " + PARTY_LABEL_SQL.format(a="p") + ", '|') "
    "FROM entry_party ep JOIN party p ON p.id = ep.party_id WHERE ep.entry_id = t.id)"
)
BEST_RELIABILITY_SQL = (
    "(SELECT min(s.reliability) FROM entry_source es JOIN source s ON s.id = es.source_id "
    "WHERE es.entry_id = t.id)"
)


def party_label_of(column: str) -> str:
    """SQL for the short label of the party a column of alias ``t`` refers to."""
    return "(SELECT " + PARTY_LABEL_SQL.format(a="p") + f" FROM party p WHERE p.id = t.{column})"


# ---------------------------------------------------------------------------- times
# A list's own style (see briefing.model.times): fixed width, so columns read and sort.


def _moment(stored: str | datetime | None) -> datetime | None:
    """The stored time; None when there is none or the text is not a time (a damaged file)."""
    if stored is None or stored == "":
        return None
    if isinstance(stored, datetime):
        return stored
    try:
        moment = datetime.fromisoformat(stored)  # stored text ends in Z: an aware UTC time
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo is not None else None


def _unreadable(stored: object) -> str:
    """What a list shows of a stored time that is not one: the text, short, marked."""
    return "" if stored is None or stored == "" else f"? {str(stored)[:27]}"


def _rounded(moment: datetime, precision: str) -> str:
    """Fixed-width text that claims no more than the precision, so columns read and sort."""
    year = f"{moment.year:04d}"  # the C library writes year 1 as '1'
    if precision == "month":
        return f"{year}-{moment:%m}"
    if precision == "day":
        return f"{year}-{moment:%m-%d}"
    if precision == "hour":
        return f"{year}-{moment:%m-%d %H}h"
    return f"{year}-{moment:%m-%d %H:%M}"


def local_text(stored: str | datetime | None, zone: str, precision: str) -> str:
    """The time in the zone it was reported in, e.g. ``2021-11-16 11:00 +04``."""
    moment = _moment(stored)
    if moment is None:
        return _unreadable(stored)
    try:
        local = moment.astimezone(zone_or_utc(zone))
    except (OverflowError, ValueError):  # beyond year 1 or 9999 in that zone: show UTC
        return utc_text(moment, precision)
    suffix = "" if precision in ("day", "month") else f" {_offset(local)}"
    return _rounded(local, precision) + suffix


def _offset(local: datetime) -> str:
    """``+04``, ``+05:30``; before standard time, local mean time: ``-07:52:58``."""
    seconds = int((local.utcoffset() or timedelta()).total_seconds())
    sign, seconds = ("-" if seconds < 0 else "+"), abs(seconds)
    hours, minutes, rest = seconds // 3600, seconds // 60 % 60, seconds % 60
    text = f"{sign}{hours:02d}"
    if minutes or rest:
        text += f":{minutes:02d}"
    return text + (f":{rest:02d}" if rest else "")


def utc_text(stored: str | datetime | None, precision: str) -> str:
    """The instant in UTC, e.g. ``2021-11-16 07:00Z``."""
    moment = _moment(stored)
    if moment is None:
        return _unreadable(stored)
    suffix = "" if precision in ("day", "month") else "Z"
    return _rounded(moment.astimezone(UTC), precision) + suffix


def dtg(stored: str | datetime | None) -> str:
    """Military date-time group, ``DDHHMMZ MON YY`` (e.g. ``160700Z NOV 21``)."""
    moment = _moment(stored)
    return "" if moment is None else date_group(moment)


# ---------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class ListRow:
    """What a list shows of one record: one text per column, plus tips and styling facts."""

    id: int
    cells: tuple[str, ...]
    tips: dict[int, str] = field(default_factory=dict)
    tlp: str = "CLEAR"
    status: str = ""
    colour: str = ""


SHOWN_CHARS = 2_000
"""Characters of a long text a list reads for its cell or tip (it shows fewer)."""
_START, _END = "substr(", f", 1, {SHOWN_CHARS})"

_ROW_SQL = {
    "entry": (
        "SELECT t.id, t.start_utc, t.zone, t.precision, t.title, t.place, "
        f"{ENTRY_PARTIES_SQL}, t.status, {BEST_RELIABILITY_SQL}, "
        f"t.credibility, t.tlp, {_START}t.description{_END} FROM timeline_entry t"
    ),
    "statement": (
        "SELECT t.id, t.said_at, t.zone, t.precision, "
        f"{party_label_of('speaker_id')}, t.person, t.kind, {_START}t.quote{_END}, "
        f"{_START}t.translation{_END}, "
        "(SELECT e.title FROM timeline_entry e WHERE e.id = t.entry_id), "
        "(SELECT s.reliability FROM source s WHERE s.id = t.source_id), "
        "(SELECT count(*) FROM statement_contradiction c "
        "WHERE t.id IN (c.statement_id, c.other_id)), t.tlp, "
        "(SELECT s.title FROM source s WHERE s.id = t.source_id) FROM statement t"
    ),
    "relationship": (
        f"SELECT t.id, {party_label_of('party_a_id')}, t.kind, {party_label_of('party_b_id')}, "
        f"t.title, t.since, t.until, t.status, t.tlp, {_START}t.description{_END} "
        "FROM relationship t"
    ),
    "party": (
        "SELECT t.id, t.name, t.short_name, t.kind, "
        f"{party_label_of('parent_id')}, t.tlp, t.colour, {_START}t.description{_END} FROM party t"
    ),
    "source": (
        "SELECT t.id, t.title, t.publisher, t.author, t.kind, t.reliability, t.published_at, "
        f"t.tlp, t.url, {_START}t.description{_END} FROM source t"
    ),
}


def fetch_rows(connection: Connection, kind: str, ids: Sequence[int]) -> dict[int, ListRow]:
    """The rows of the given records (ids that no longer exist are simply absent)."""
    if not ids:
        return {}
    marks = ",".join(str(int(i)) for i in ids)
    result = connection.execute(text(f"{_ROW_SQL[kind]} WHERE t.id IN ({marks})"))
    if kind == "entry":
        claims = claim_summaries(connection, ids)
        return {row[0]: _entry_row(row, claims.get(row[0], "")) for row in result}
    build = _ROW_BUILDERS[kind]
    return {row[0]: build(row) for row in result}


def _first_line(value: str, limit: int = 200) -> str:
    line = " ".join((value or "").split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _parties_text(packed: str | None) -> str:
    """``initiator:A|target:B|involved:C`` → ``A → B; C``, the way an analyst reads it."""
    roles: dict[str, list[str]] = {"initiator": [], "target": [], "involved": []}
    for part in (packed or "").split("|"):
        role, _, name = part.partition(":")
        if name:
            roles.setdefault(role, []).append(name)
    for names in roles.values():
        names.sort(key=str.casefold)
    by, at = ", ".join(roles["initiator"]), ", ".join(roles["target"])
    sides = f"{by} → {at}" if by and at else f"{by} (initiator)" if by else ""
    sides = sides or (f"{at} (target)" if at else "")
    involved = ", ".join(roles["involved"])
    return "; ".join(p for p in (sides, involved) if p)


def _entry_row(r: Any, claims: str = "") -> ListRow:
    (id_, start, zone, precision, title, place, parties, status, best, credibility, tlp,
     description) = r  # fmt: skip
    moment = _moment(start)
    local, utc = local_text(moment, zone, precision), utc_text(moment, precision)
    cells = (
        local,
        utc,
        title,
        place,
        _parties_text(parties),
        claims,
        status,
        admiralty_grade(best, credibility),
        tlp,
    )
    tips = {
        0: f"{local} ({zone})",
        1: dtg(moment),
        2: _first_line(description, 400),
    }
    if claims:
        tips[5] = f"Casualty claims by side: {claims} (k killed, w wounded, c captured, "
        tips[5] += "m missing, d displaced; figures of different claimants apart)"
    return ListRow(id_, cells, tips, tlp, status)


def _statement_row(r: Any) -> ListRow:
    (id_, said, zone, precision, speaker, person, kind, quote, translation, entry, reliability,
     contradicts, tlp, source_title) = r  # fmt: skip
    who = person or speaker or "Unattributed"
    if person and speaker and speaker not in person:
        who = f"{person} ({speaker})"
    moment = _moment(said)
    cells = (
        local_text(moment, zone, precision),
        who,
        kind,
        _first_line(quote),
        entry or "",
        reliability or "",
        str(contradicts) if contradicts else "",
        utc_text(moment, precision),
        tlp,
    )
    tips = {3: _first_line(translation or quote, 600), 5: source_title or "No source"}
    return ListRow(id_, cells, tips, tlp, kind)


def _relationship_row(r: Any) -> ListRow:
    id_, party_a, kind, party_b, title, since, until, status, tlp, description = r
    cells = (party_a or "", kind, party_b or "", title, since, until, status, tlp)
    return ListRow(id_, cells, {3: _first_line(description, 400)}, tlp, status)


def _party_row(r: Any) -> ListRow:
    id_, name, short_name, kind, parent, tlp, colour, description = r
    cells = (name, short_name, kind, parent or "", tlp)
    return ListRow(id_, cells, {0: _first_line(description, 400)}, tlp, kind, colour)


def _source_row(r: Any) -> ListRow:
    id_, title, publisher, author, kind, reliability, published, tlp, url, description = r
    grade = Reliability(reliability)
    cells = (
        title,
        publisher,
        author,
        kind,
        f"{grade.value} – {grade.label}",
        utc_text(published, "minute"),
        tlp,
    )
    return ListRow(id_, cells, {0: url or _first_line(description, 400)}, tlp, reliability)


_ROW_BUILDERS = {
    "entry": _entry_row,
    "statement": _statement_row,
    "relationship": _relationship_row,
    "party": _party_row,
    "source": _source_row,
}
