"""Read one briefing and everything it prints into an export snapshot, in one session.

Records are loaded in bulk per kind (a briefing may reference thousands), then
laid out in reading order: consecutive items of one kind form a block, timeline
blocks are sorted by time, and source notes are numbered in order of first use.
:func:`snapshot_steps` yields its progress every few hundred records, so a window
can show a bar and stop the read (closing the generator ends the session).
"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from briefing.errors import BriefingError
from briefing.export.cancel import Progress, run_to_end
from briefing.export.snapshot import (
    AllianceBlock,
    Block,
    BriefingSnapshot,
    ClaimView,
    EntryView,
    JudgmentView,
    MapBlock,
    Marked,
    Moment,
    PartyBlock,
    PartyPart,
    PartyView,
    RelationshipView,
    SectionView,
    SourceBlock,
    SourceNote,
    StatementBlock,
    StatementView,
    TimelineBlock,
)
from briefing.model import (
    Briefing,
    CasualtyClaim,
    Party,
    Relationship,
    SectionItem,
    Source,
    Statement,
    TimelineEntry,
    split_tags,
    statement_contradiction,
)
from briefing.model.base import RecordMixin
from briefing.model.rules import MAP_ITEM
from briefing.model.vocab import ClaimSide, Precision, Tlp
from briefing.services.edition_section import changes_section
from briefing.services.editions import edition_changes, list_editions
from briefing.store.interface import ProjectStore
from briefing.store.project import project_title

_CHUNK = 250
"""Records read by one statement: a step of the read (about 0.1 s of timeline entries)."""
_BUILT_STEP = 250
"""Timeline entries turned into views between two progress steps."""
READING = "Reading the briefing"
_KIND_OF_ITEM = (
    ("entry", "entry_id"),
    ("statement", "statement_id"),
    ("relationship", "relationship_id"),
    ("party", "party_id"),
    ("source", "source_id"),
)

R = TypeVar("R", bound=RecordMixin)
ORGANISATION_KEY = "organisation"
"""The project setting naming the organisation that issues its briefs."""


def edition_label(project: ProjectStore, briefing_id: int) -> str:
    """The edition in words: "Edition 2", or "Draft after edition 2" once edited since."""
    numbers = [e.number for e in list_editions(project, briefing_id)]
    if not numbers:
        return ""
    latest = max(numbers)
    if edition_changes(project, briefing_id).is_empty:
        return f"Edition {latest}"
    return f"Draft after edition {latest}"


def build_snapshot(
    project: ProjectStore, briefing_id: int, changes: bool = False, label: Tlp | None = None
) -> BriefingSnapshot:
    """Everything the PDF of one briefing shows, read in one session: :func:`snapshot_steps`."""
    return run_to_end(snapshot_steps(project, briefing_id, changes, label))


def snapshot_steps(
    project: ProjectStore, briefing_id: int, changes: bool = False, label: Tlp | None = None
) -> Generator[Progress, None, BriefingSnapshot]:
    """Read the snapshot, yielding progress (0 to 1) every few hundred records.

    With ``changes``, the snapshot also carries what changed since the previous
    edition (see :mod:`briefing.services.edition_section`), holding only what the
    marking rule lets into a document marked ``label`` (default: the briefing's).
    Every record whose text the snapshot holds is listed in ``included`` with its
    label, for the export's marking check. Closing the generator stops the read.
    """
    yield Progress(0.0, READING)
    with project.session() as session:
        briefing = session.get(Briefing, briefing_id)
        if briefing is None:
            raise BriefingError("That briefing no longer exists.")
        snapshot = yield from _Builder(session).build(briefing, project_title(project))
    yield Progress(0.97, READING)
    snapshot = replace(
        snapshot,
        organisation=project.setting(ORGANISATION_KEY),
        edition=edition_label(project, briefing_id),
    )
    if changes:
        snapshot = replace(snapshot, changes=changes_section(project, briefing_id, label))
    return snapshot


def _load(
    session: Session, model: type[R], ids: Iterable[int], found: dict[int, R]
) -> Iterator[int]:
    """Records of one model by id into ``found``, in chunks, yielding how many each chunk read."""
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        rows = session.scalars(select(model).where(model.id.in_(chunk)))
        found.update((row.id, row) for row in rows)
        yield len(chunk)


def attribution(statement: Statement) -> str:
    """Who said it: person, title, party — without naming the person twice."""
    speaker = statement.speaker.name if statement.speaker is not None else ""
    person, title = statement.person, statement.person_title
    if speaker and person and speaker.startswith(person):
        parts = [speaker, title]
    else:
        parts = [person, title, speaker]
    return ", ".join(p for p in parts if p) or "Unattributed"


def _moment(record: Any, attribute: str) -> Moment | None:
    value = getattr(record, attribute)
    return None if value is None else Moment(value, record.zone, record.precision)


def _party_view(party: Party) -> PartyView:
    return PartyView(
        party.uuid, party.name, party.label, party.kind.value, party.colour, party.description,
        key=party.id, parent=party.parent_id,
    )  # fmt: skip


def _runs(items: Sequence[SectionItem]) -> list[tuple[str, list[int]]]:
    """Consecutive items of one kind, as (kind, record ids); each map item a run of its own."""
    runs: list[tuple[str, list[int]]] = []
    for item in items:
        if item.is_map:
            runs.append((MAP_ITEM, []))
            continue
        kind, column = next((k, c) for k, c in _KIND_OF_ITEM if getattr(item, c) is not None)
        if not runs or runs[-1][0] != kind:
            runs.append((kind, []))
        runs[-1][1].append(getattr(item, column))
    return runs


class _Builder:
    """Resolves items into blocks, numbering sources and noting every record printed."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.notes: dict[int, int] = {}
        self.note_sources: list[Source] = []
        self.included: dict[str, Marked] = {}
        self.records: dict[str, dict[int, Any]] = {}
        self.contradictions: dict[int, list[int]] = {}
        self.shown_pairs: set[frozenset[int]] = set()
        self.done = 0
        self.total = 1
        """Records to read plus timeline entries to lay out: the read's progress counts these."""

    def build(
        self, briefing: Briefing, title_of_project: str
    ) -> Generator[Progress, None, BriefingSnapshot]:
        sections = list(briefing.sections)
        items = self._items([s.id for s in sections])
        yield self._progress(0)
        yield from self._prefetch(items)
        views = []
        for s in sections:
            blocks = yield from self._blocks(items.get(s.id, []))
            views.append(SectionView(s.heading, s.body, blocks))
        return BriefingSnapshot(
            uuid=briefing.uuid,
            title=briefing.title,
            subtitle=briefing.subtitle,
            as_of=briefing.as_of,
            zone=briefing.zone,
            authors=briefing.authors,
            tlp=briefing.tlp,
            status=briefing.status,
            tags=tuple(split_tags(briefing.tags)),
            bluf=briefing.bluf,
            judgments=tuple(
                JudgmentView(j.text, j.likelihood, j.confidence) for j in briefing.judgments
            ),
            sections=tuple(views),
            sources=tuple(self._note(s, n) for n, s in enumerate(self.note_sources, start=1)),
            included=tuple(self.included.values()),
            project_title=title_of_project,
        )

    # ------------------------------------------------------------------ loading

    def _items(self, section_ids: list[int]) -> dict[int, list[SectionItem]]:
        grouped: dict[int, list[SectionItem]] = {}
        if not section_ids:
            return grouped
        rows = self.session.scalars(
            select(SectionItem)
            .where(SectionItem.section_id.in_(section_ids))
            .order_by(SectionItem.section_id, SectionItem.position)
        )
        for item in rows:
            grouped.setdefault(item.section_id, []).append(item)
        return grouped

    def _progress(self, count: int) -> Progress:
        self.done += count
        return Progress(min(0.95 * self.done / self.total, 0.95), READING)

    def _prefetch(self, items: dict[int, list[SectionItem]]) -> Iterator[Progress]:
        wanted: dict[str, set[int]] = {kind: set() for kind, _ in _KIND_OF_ITEM}
        for section_items in items.values():
            for item in section_items:
                for kind, column in _KIND_OF_ITEM:
                    if getattr(item, column) is not None:
                        wanted[kind].add(getattr(item, column))
        self.contradictions = self._contradictions(wanted["statement"])
        yield self._progress(0)
        partners = {o for others in self.contradictions.values() for o in others}
        wanted["statement"] |= partners
        self.total = max(sum(len(ids) for ids in wanted.values()) + len(wanted["entry"]), 1)
        models = {"entry": TimelineEntry, "statement": Statement, "relationship": Relationship,
                  "party": Party, "source": Source}  # fmt: skip
        for kind, model in models.items():
            self.records[kind] = {}
            for count in _load(self.session, model, wanted[kind], self.records[kind]):
                yield self._progress(count)
        about = {s.entry_id for s in self.records["statement"].values() if s.entry_id}
        self.records["about"] = {}
        for _ in _load(self.session, TimelineEntry, about, self.records["about"]):
            yield self._progress(0)

    def _contradictions(self, statement_ids: set[int]) -> dict[int, list[int]]:
        table = statement_contradiction
        found: dict[int, list[int]] = {}
        wanted = sorted(statement_ids)
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            rows = self.session.execute(
                select(table.c.statement_id, table.c.other_id).where(
                    or_(table.c.statement_id.in_(chunk), table.c.other_id.in_(chunk))
                )
            )
            for a, b in rows:
                found.setdefault(a, []).append(b)
                found.setdefault(b, []).append(a)
        return {k: sorted(set(v)) for k, v in found.items()}

    # ------------------------------------------------------------------ blocks

    def _blocks(self, items: list[SectionItem]) -> Generator[Progress, None, tuple[Block, ...]]:
        blocks: list[Block] = []
        for kind, ids in _runs(items):
            if kind == MAP_ITEM:
                blocks.append(MapBlock())
                continue
            records = [self.records[kind][i] for i in ids if i in self.records[kind]]
            if kind == "entry":
                records.sort(key=lambda e: e.start_utc)
                views = []
                for record in records:
                    views.append(self._entry(record))
                    if len(views) % _BUILT_STEP == 0:
                        yield self._progress(_BUILT_STEP)
                blocks.append(TimelineBlock(tuple(views)))
            elif kind == "statement":
                blocks.append(self._statements(records))
            elif kind == "relationship":
                blocks.append(self._alliance(records))
            elif kind == "party":
                blocks.append(PartyBlock(tuple(self._party(p) for p in records)))
            else:
                blocks.append(SourceBlock(tuple(self._cite(s) for s in records)))
        return tuple(blocks)

    def _entry(self, entry: TimelineEntry) -> EntryView:
        self._mark("timeline entry", entry, entry.title)
        parts = sorted(entry.parties, key=lambda p: (p.role.value, p.party.label))
        return EntryView(
            uuid=entry.uuid,
            title=entry.title,
            description=entry.description,
            start=Moment(entry.start_utc, entry.zone, entry.precision),
            end=_moment(entry, "end_utc"),
            place=entry.place,
            parties=tuple(
                PartyPart(self._party(p.party).label, p.role, p.party.colour) for p in parts
            ),
            status=entry.status,
            credibility=entry.credibility,
            notes=tuple(self._cite(s) for s in sorted(entry.sources, key=lambda s: s.id)),
            latitude=entry.latitude,
            longitude=entry.longitude,
            claims=tuple(self._claim(c) for c in entry.claims),
        )

    def _claim(self, claim: CasualtyClaim) -> ClaimView:
        """A claim as printed; its parties and source count as printed (for the marking)."""
        side = claim.side.value
        if claim.side is ClaimSide.PARTY:
            side = self._party(claim.party).label if claim.party is not None else "unknown"
        claimant = self._party(claim.claimant).label if claim.claimant is not None else ""
        when = claim.claimed_at
        return ClaimView(
            side=side,
            category=claim.category.value,
            low=claim.low,
            best=claim.best,
            high=claim.high,
            words=claim.words,
            claimant=claimant,
            note=self._cite(claim.source) if claim.source is not None else None,
            claimed=None if when is None else Moment(when, "UTC", Precision.DAY),
        )

    def _pending(self, statement_id: int) -> list[int]:
        """Statements this one contradicts whose pairing has not been printed yet."""
        return [
            o
            for o in self.contradictions.get(statement_id, [])
            if frozenset((statement_id, o)) not in self.shown_pairs
            and o in self.records["statement"]
        ]

    def _statements(self, statements: list[Statement]) -> StatementBlock:
        """Statements in print order; the one contradicted most often faces all its rivals."""
        views: list[StatementView] = []
        seen: set[int] = set()
        loaded = self.records["statement"]
        for statement in statements:
            if self._pending(statement.id):
                candidates = [statement.id, *self._pending(statement.id)]
                left = max(candidates, key=lambda i: len(self._pending(i)))
                right = self._pending(left)
                self.shown_pairs.update(frozenset((left, o)) for o in right)
                seen.update([left, *right])
                views.append(self._statement(loaded[left], [loaded[o] for o in right]))
            elif statement.id not in seen:
                seen.add(statement.id)
                views.append(self._statement(statement, []))
        return StatementBlock(tuple(views))

    def _statement(
        self, statement: Statement, partners: list[Statement], beside: bool = False
    ) -> StatementView:
        """One statement; ``partners`` print beside it, ``beside`` marks it as such a partner."""
        who = attribution(statement)
        self._mark("statement", statement, f"{who}: {statement.quote}")
        if statement.speaker is not None:
            self._party(statement.speaker)
        note = self._cite(statement.source) if statement.source is not None else None
        about = self.records["about"].get(statement.entry_id) if statement.entry_id else None
        if about is not None:
            self._mark("timeline entry", about, about.title)
        loaded = self.records["statement"]
        earlier: tuple[str, ...] = ()
        if not partners and not beside:
            earlier = tuple(
                attribution(loaded[o]) for o in self.contradictions.get(statement.id, [])
            )
        return StatementView(
            uuid=statement.uuid,
            attribution=who,
            kind=statement.kind,
            said=_moment(statement, "said_at"),
            quote=statement.quote,
            language=statement.language,
            translation=statement.translation,
            about=about.title if about is not None else "",
            note=note,
            contradicts=tuple(self._statement(p, [], beside=True) for p in partners),
            contradicted_earlier=earlier,
        )

    def _alliance(self, relationships: list[Relationship]) -> AllianceBlock:
        views = []
        parties: dict[str, PartyView] = {}
        for r in relationships:
            self._mark("relationship", r, r.title)
            a, b = self._party(r.party_a), self._party(r.party_b)
            parties.setdefault(a.uuid, a)
            parties.setdefault(b.uuid, b)
            notes = tuple(self._cite(s) for s in sorted(r.sources, key=lambda s: s.id))
            views.append(
                RelationshipView(
                    r.uuid, a, b, r.kind, r.title, r.since, r.until, r.status, r.description, notes
                )
            )
        return AllianceBlock(tuple(views), tuple(parties.values()))

    # ------------------------------------------------------------------ bookkeeping

    def _party(self, party: Party) -> PartyView:
        self._mark("party", party, party.name)
        return _party_view(party)

    def _cite(self, source: Source) -> int:
        """The note number of a source, numbering it on first use."""
        if source.id not in self.notes:
            self._mark("source", source, source.title)
            self.note_sources.append(source)
            self.notes[source.id] = len(self.note_sources)
        return self.notes[source.id]

    def _mark(self, kind: str, record: RecordMixin, title: str) -> None:
        if record.uuid not in self.included:
            short = title if len(title) <= 60 else title[:59] + "…"
            self.included[record.uuid] = Marked(kind, short, record.tlp, record.uuid)

    @staticmethod
    def _note(source: Source, number: int) -> SourceNote:
        return SourceNote(
            number=number,
            uuid=source.uuid,
            title=source.title,
            publisher=source.publisher,
            author=source.author,
            url=source.url,
            kind=source.kind,
            reliability=source.reliability,
            published_at=source.published_at,
            accessed_at=source.accessed_at,
            description=source.description,
        )
