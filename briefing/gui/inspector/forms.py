"""The form of each kind of record: which fields, in which order, with which checks."""

from __future__ import annotations

from typing import Any

from briefing.gui.inspector.claims import ClaimsField
from briefing.gui.inspector.fields import (
    ChoiceField,
    ColourField,
    CoordinatesField,
    DisplayField,
    Invalid,
    LanguageField,
    LineField,
    OptionalLineField,
    PartialDateField,
    TextField,
    UrlField,
)
from briefing.gui.inspector.form import RecordForm
from briefing.gui.inspector.link_fields import LinkListField, PartyRolesField, RecordChoiceField
from briefing.gui.inspector.time_fields import MomentField, UtcTimeField
from briefing.model import rules
from briefing.model.vocab import (
    CREDIBILITY_LABELS,
    PartyKind,
    Precision,
    RelationshipKind,
    RelationshipStatus,
    Reliability,
    SourceKind,
    StatementKind,
    Verification,
)
from briefing.services.grades import entry_grade
from briefing.services.record_choices import member_uuids


def _words(enum: Any) -> list[tuple[str, str]]:
    return [(member.value, member.value) for member in enum]


PRECISIONS = [(p.value, f"to the {p.value}") for p in Precision]
CREDIBILITY = [(n, f"{n} – {label}") for n, label in CREDIBILITY_LABELS.items()]
RELIABILITY = [(r.value, f"{r.value} – {r.label}") for r in Reliability]


class EntryForm(RecordForm):
    kind = "entry"

    def build(self) -> None:
        self.add("Title", LineField("title"))
        self.add("When", MomentField("start_utc", "zone", end_key="end_utc"),
                 "The time as reported, in the zone it was reported in")  # fmt: skip
        self.add("Precision", ChoiceField("precision", PRECISIONS))
        self.add("Place", LineField("place", placeholder="e.g. Jermuk, Armenia"))
        self.add("Coordinates", CoordinatesField())
        self.add("Parties", PartyRolesField(self.lookup))
        self.add("Casualties", ClaimsField(self.lookup),
                 "Casualty claims: each side's figures as each claimant gives them",
                 wide=True)  # fmt: skip
        self.add("Status", ChoiceField("status", _words(Verification)))
        self.add("Credibility", ChoiceField("credibility", CREDIBILITY))
        self.add("Grade", DisplayField(self._grade))
        self.add("Sources", LinkListField("sources", self.lookup, "source"))
        self.add("Description", TextField("description", lines=5))
        self.add("External id", OptionalLineField("external_id"),
                 "Identifier in an external data set, e.g. an ACLED event_id_cnty")  # fmt: skip

    def _grade(self, record: dict[str, Any]) -> str:
        if self.record_id is None:
            return ""
        with self.document.project.engine.connect() as connection:
            grade = entry_grade(connection, self.record_id)
        return grade.words if grade is not None else ""


class StatementForm(RecordForm):
    kind = "statement"
    title_key = "quote"

    def build(self) -> None:
        self.add("Speaker", RecordChoiceField("speaker", self.lookup, "party", "(unattributed)"))
        self.add("Person", LineField("person", placeholder="who spoke, if a person"))
        self.add("Person's title", LineField("person_title"))
        self.add("Said", MomentField("said_at", "zone", optional=True))
        self.add("Precision", ChoiceField("precision", PRECISIONS))
        self.add("Kind", ChoiceField("kind", _words(StatementKind)))
        self.add("Quote", TextField("quote", lines=5),
                 "Verbatim, in the language it was published in")  # fmt: skip
        self.add("Language", LanguageField("language", placeholder="en"))
        self.add("Translation", TextField("translation", lines=4),
                 "English, where the quote is in another language")  # fmt: skip
        self.add("About", RecordChoiceField("entry", self.lookup, "entry"),
                 "The timeline entry the statement is about")  # fmt: skip
        self.add("Source", RecordChoiceField("source", self.lookup, "source"))
        self.add("Contradicts", LinkListField("contradicts", self.lookup, "statement"))

    def heading_text(self, record: dict[str, Any]) -> str:
        quote = " ".join(str(record.get("quote") or "").split())
        return f"“{quote[:117]}…”" if len(quote) > 120 else f"“{quote}”"


class RelationshipForm(RecordForm):
    kind = "relationship"

    def build(self) -> None:
        self.add("Party", RecordChoiceField("party_a", self.lookup, "party", None))
        self.add("Relationship", ChoiceField("kind", _words(RelationshipKind)))
        self.add("With", RecordChoiceField("party_b", self.lookup, "party", None))
        self.add("Title", LineField("title"))
        self.add("Since", PartialDateField("since"))
        self.add("Until", PartialDateField("until"))
        self.add("Status", ChoiceField("status", _words(RelationshipStatus)))
        self.add("Sources", LinkListField("sources", self.lookup, "source"))
        self.add("Description", TextField("description", lines=4))


class PartyForm(RecordForm):
    kind = "party"
    title_key = "name"

    def build(self) -> None:
        self.add("Name", LineField("name"))
        self.add("Short name", LineField("short_name", placeholder="as shown in lists and charts"))
        self.add("Kind", ChoiceField("kind", _words(PartyKind)))
        parent = RecordChoiceField("parent", self.lookup, "party")
        parent.not_self = True
        self.add("Part of", parent, "e.g. a ministry is part of its state")
        self.add("Colour", ColourField())
        self.add("Description", TextField("description", lines=4))

    def validate(self, values: dict[str, Any]) -> None:
        parent = values.get("parent")
        if parent:
            with self.document.project.engine.connect() as connection:
                members = member_uuids(connection, self.record["uuid"])
            if parent in members:
                label = self.field_for("parent").caption
                raise Invalid(f"‘{label}’ {rules.party_cycle_reason()}.")


class SourceForm(RecordForm):
    kind = "source"

    def build(self) -> None:
        self.add("Title", LineField("title"))
        self.add("Publisher", LineField("publisher"))
        self.add("Author", LineField("author", placeholder="author or account handle"))
        self.add("Web address", UrlField("url", placeholder="https://…"))
        self.add("Kind", ChoiceField("kind", _words(SourceKind)))
        self.add("Reliability", ChoiceField("reliability", RELIABILITY),
                 "Admiralty source reliability")  # fmt: skip
        self.add("Published", UtcTimeField("published_at"))
        self.add("Accessed", UtcTimeField("accessed_at"))
        self.add("Description", TextField("description", lines=4))


FORMS: dict[str, type[RecordForm]] = {
    "entry": EntryForm,
    "statement": StatementForm,
    "relationship": RelationshipForm,
    "party": PartyForm,
    "source": SourceForm,
}
