"""A record's form: fields laid out with their errors, each finished edit saved as one action.

Input that cannot be saved is shown at its field and never written; whether it
can be saved is asked of :mod:`briefing.model.rules`, the same rules every other
door obeys. Every edit that can be saved becomes exactly one
:meth:`ProjectDocument.run`, hence one transaction and one undo step.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from briefing.export.fonts import unknown_characters
from briefing.export.scripts import PLACEHOLDER
from briefing.gui.document import ProjectDocument
from briefing.gui.inspector.fields import ChoiceField, Field, Invalid, TagsField, TextField
from briefing.gui.inspector.link_fields import Lookup
from briefing.gui.theme import alarm_colour, caution_colour
from briefing.gui.wheel_guard import guard_wheel
from briefing.model import rules
from briefing.model.vocab import TLP_AUDIENCE, Tlp
from briefing.services import records
from briefing.services.claims import set_claims
from briefing.services.records import KIND_NAMES, Change
from briefing.services.stamps import stamp_of

FIELD_WORDS = {
    "start_utc": "start",
    "end_utc": "end",
    "said_at": "time",
    "party_a": "party",
    "party_b": "with",
}
"""Words for a field that shares its widget with others (a time with its zone and end)."""


class RecordForm(QWidget):
    """The fields of one kind of record, showing one record at a time."""

    kind = ""
    title_key = "title"
    deleteRequested = Signal(str, int)

    def __init__(self, document: ProjectDocument, lookup: Lookup) -> None:
        super().__init__()
        self.document = document
        self.lookup = lookup
        self.record: dict[str, Any] = {}
        self.record_id: int | None = None
        self.fields: list[Field] = []
        self._errors: dict[Field, QLabel] = {}
        self._shown: dict[Field, dict[str, Any] | None] = {}
        """What each field showed when loaded: only a change from it is the analyst's edit."""
        self._read_only = False
        self.heading = QLabel()
        self.heading.setObjectName("inspectorHeading")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.heading.setFont(font)
        self.delete_button = QPushButton(f"Delete {KIND_NAMES[self.kind]}")
        self.delete_button.clicked.connect(self._on_delete)
        self.footer = QLabel()
        self.footer.setWordWrap(True)
        self.footer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.footer.setStyleSheet("color: palette(placeholder-text);")
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.build()
        self._add_common()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.heading)
        layout.addLayout(self.form)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.delete_button)
        layout.addLayout(bottom)
        layout.addWidget(self.footer)
        layout.addStretch(1)

    # ------------------------------------------------------------------ building

    def build(self) -> None:
        """Add the kind's own fields with :meth:`add`."""
        raise NotImplementedError

    def add(self, label: str, field: Field, tip: str = "", wide: bool = False) -> Field:
        """Add a field with its label beside it, or above it when ``wide``.

        A wide field spans the form's width: a table or a quote needs every pixel of a
        narrow dock.
        """
        error = QLabel()
        error.setObjectName("fieldError")
        error.setWordWrap(True)
        error.hide()
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(1)
        column.addWidget(field.widget)
        column.addWidget(error)
        guard_wheel(field.widget)
        if tip:
            field.widget.setToolTip(tip)
        field.caption = label
        if wide:
            caption = QLabel(label)
            caption.setBuddy(field.widget)
            self.form.addRow(caption)
            self.form.addRow(holder)
        else:
            self.form.addRow(label, holder)
        self.fields.append(field)
        self._errors[field] = error
        field.edited.connect(lambda f=field: self._on_edited(f))
        return field

    def _add_common(self) -> None:
        options = [(t.value, t.marking) for t in Tlp]
        audience = {t.value: f"{t.marking}: {TLP_AUDIENCE[t]}" for t in Tlp}
        self.add("TLP", ChoiceField("tlp", options, audience), "Who may receive this record")
        self.add("Tags", TagsField())
        self.add("Notes", TextField("notes", lines=3), "Your own notes; not exported")

    # ------------------------------------------------------------------ showing

    def show_record(self, record_id: int) -> bool:
        """Load a record into the form; False if it no longer exists."""
        record = self.document.record(self.kind, record_id)
        if record is None:
            return False
        self.record_id = record_id
        self._load(record, keep_dirty=False)
        return True

    def refresh(self, record: dict[str, Any] | None = None) -> None:
        """Show the stored values again, keeping input the user has not finished with.

        ``record``: the record as a change just stored it, else read again.
        """
        if self.record_id is None:
            return
        if record is None:
            record = self.document.record(self.kind, self.record_id)
        if record is not None:
            self._load(record, keep_dirty=True)

    def _load(self, record: dict[str, Any], keep_dirty: bool) -> None:
        old = self.record
        self.record = record
        for field in self.fields:
            if keep_dirty and _has_focus(field.widget) and field.is_dirty(old):
                continue
            field.blockSignals(True)
            field.load(record)
            field.blockSignals(False)
            self._shown[field] = _shown_values(field)
            self._show_error(field, "")
        self.heading.setText(self.heading_text(record))
        self.footer.setText(_footer(record))

    def heading_text(self, record: dict[str, Any]) -> str:
        return str(record.get(self.title_key) or KIND_NAMES[self.kind]).strip()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for field in self.fields:
            field.set_read_only(read_only)
        self.delete_button.setEnabled(not read_only)

    def applies(self, change: Change) -> bool:
        return self.record_id is not None and self.record_id in change.ids.get(self.kind, ())

    # ------------------------------------------------------------------ saving

    def commit_pending(self) -> None:
        """Save whatever the user typed but has not finished (the selection is moving on)."""
        if self.record_id is None or self._read_only:
            return
        for field in self.fields:
            if field.is_dirty(self.record) and _shown_values(field) != self._shown.get(field):
                self._on_edited(field)

    def _on_edited(self, field: Field) -> None:
        if self.record_id is None or self._read_only:
            return
        try:
            values = field.values()
            self.validate(values)
        except Invalid as problem:
            self._show_error(field, str(problem))
            return
        self._show_error(field, "")
        shown = self._shown.get(field) or {}
        # Showing a record never writes it: a value the widget could not show as stored
        # (clamped, malformed) is written only once the analyst changes it.
        changed = {
            k: v
            for k, v in values.items()
            if self.record.get(k) != v and (k not in shown or shown[k] != v)
        }
        if not changed:
            return
        try:
            self._obeys_rules(field, changed)
        except Invalid as problem:
            self._show_error(field, str(problem))
            return
        record_id, kind, loaded = self.record_id, self.kind, stamp_of(self.record)
        if kind == "entry" and set(changed) == {"claims"}:  # named after the claim edited
            wanted = changed["claims"]
            change = self.document.run(lambda p: set_claims(p, record_id, wanted, loaded=loaded))
        else:
            change = self.document.run(
                lambda p: records.update_record(p, kind, record_id, changed, loaded=loaded)
            )
        if change is None:  # refused: show what is stored again
            field.blockSignals(True)
            field.load(self.record)
            field.blockSignals(False)

    def _obeys_rules(self, field: Field, changed: dict[str, Any]) -> None:
        """Raise :class:`Invalid` with the rules' reason when a changed value breaks a rule.

        An edit may not add a problem to the record (end before start, a party tied
        to itself…); problems the stored record already had are not the edit's.
        """
        for key, value in changed.items():
            reason = rules.check_value(self.kind, key, value)
            if reason is not None:
                raise Invalid(self._said(field, key, reason))
        had = {(p.field, p.reason) for p in rules.check_record(self.kind, self.record)}
        for problem in rules.check_record(self.kind, {**self.record, **changed}):
            if (problem.field, problem.reason) not in had:
                raise Invalid(self._said(field, problem.field, problem.reason))

    def _said(self, field: Field, key: str, reason: str) -> str:
        """A rule's reason as a sentence about the field: ‘Colour’ must be … ."""
        if len(field.keys) == 1:
            name = field.caption or key
        else:
            name = FIELD_WORDS.get(key, key.replace("_", " ")).capitalize()
        return f"‘{name}’ {reason}."

    def validate(self, values: dict[str, Any]) -> None:
        """Checks the rules cannot make from one record alone; raise :class:`Invalid`."""

    def _show_error(self, field: Field, message: str) -> None:
        """Show a refusal at the field, or else a note about characters the PDF cannot show."""
        label = self._errors[field]
        note = "" if message else _glyph_note(field)
        label.setText(message or note)
        colour = alarm_colour(self.palette()) if message else caution_colour(self.palette())
        label.setStyleSheet(f"color: {colour.name()};")
        label.setVisible(bool(message or note))
        field.widget.setProperty("invalid", bool(message))
        border = f"{{ border: 1px solid {colour.name()}; }}" if message else ""
        field.widget.setStyleSheet(
            f"QLineEdit, QComboBox, QDateTimeEdit, QPlainTextEdit {border}" if border else ""
        )

    def error_text(self, key: str) -> str:
        """The error shown at the field holding ``key`` ('' when none), for tests and tips."""
        for field, label in self._errors.items():
            if key in field.keys and label.isVisibleTo(self):
                return label.text()
        return ""

    def field_for(self, key: str) -> Field:
        return next(f for f in self.fields if key in f.keys)

    def _on_delete(self) -> None:
        if self.record_id is not None:
            self.deleteRequested.emit(self.kind, self.record_id)


def _shown_values(field: Field) -> dict[str, Any] | None:
    """The values a field's widgets hold now; None while they hold input that cannot be saved."""
    try:
        return field.values()
    except Invalid:
        return None


def _has_focus(widget: QWidget) -> bool:
    focused = QApplication.focusWidget()
    return focused is not None and (focused is widget or widget.isAncestorOf(focused))


def _footer(record: dict[str, Any]) -> str:
    created = _short_time(record.get("created_at"))
    updated = _short_time(record.get("updated_at"))
    who = record.get("updated_by") or "unknown"
    return f"Created {created}\nLast changed {updated} by {who}\nUUID {record.get('uuid', '')}"


def _short_time(value: Any) -> str:
    text = str(value or "")
    return text[:16].replace("T", " ") + " UTC" if text else "—"


def _glyph_note(field: Field) -> str:
    """A warning (not a refusal) when the field holds characters no shipped font has."""
    try:
        values = field.values()
    except Invalid:
        return ""
    texts = [v for v in values.values() if isinstance(v, str)]
    missing = sorted({c for text in texts for c in unknown_characters(text)})
    if not missing:
        return ""
    codes = ", ".join(f"U+{ord(c):04X}" for c in missing[:4]) + (" …" if len(missing) > 4 else "")
    return f"No shipped font has {codes}; the PDF prints {PLACEHOLDER} in its place."
