"""The inspector: the form of whatever record is selected, anywhere in the window."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QScrollArea, QStackedWidget, QWidget

from briefing.gui.document import ProjectDocument
from briefing.gui.inspector.form import RecordForm
from briefing.gui.inspector.forms import FORMS
from briefing.gui.inspector.link_fields import Lookup
from briefing.services.records import Change

EMPTY_TEXT = (
    "Select a record in the library to see and edit it here.\n\n"
    "Every change is saved as soon as you finish a field; Undo takes it back."
)
BRIEFING_TEXT = "Briefings are edited in the Briefing tab."


class Inspector(QScrollArea):
    """Shows one form per kind, created when first needed."""

    deleteRequested = Signal(str, int)

    def __init__(self, document: ProjectDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inspector")
        self.document = document
        self.lookup = Lookup(document)
        self.forms: dict[str, RecordForm] = {}
        self._read_only = document.read_only
        self.stack = QStackedWidget()
        self.placeholder = QLabel(EMPTY_TEXT)
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setMargin(24)
        self.stack.addWidget(self.placeholder)
        self.setWidget(self.stack)
        self.setWidgetResizable(True)
        # A form narrower than its fields scrolls sideways rather than losing its right edge.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.current: tuple[str, int] | None = None

    def form(self, kind: str) -> RecordForm:
        if kind not in self.forms:
            form = FORMS[kind](self.document, self.lookup)
            form.set_read_only(self._read_only)
            form.deleteRequested.connect(self.deleteRequested)
            self.forms[kind] = form
            self.stack.addWidget(form)
        return self.forms[kind]

    def current_form(self) -> RecordForm | None:
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, RecordForm) else None

    def show_record(self, kind: str, record_id: int) -> None:
        """Show a record's form (saving what was being typed in the previous one)."""
        if self.current == (kind, record_id):
            return
        self.commit_pending()
        if kind not in FORMS or not record_id:
            self._show_placeholder(BRIEFING_TEXT if kind == "briefing" else EMPTY_TEXT)
            return
        form = self.form(kind)
        if not form.show_record(record_id):
            self._show_placeholder(EMPTY_TEXT)
            return
        self.current = (kind, record_id)
        self.stack.setCurrentWidget(form)
        self.verticalScrollBar().setValue(0)

    def _show_placeholder(self, text: str) -> None:
        self.current = None
        self.placeholder.setText(text)
        self.stack.setCurrentWidget(self.placeholder)

    def focus_first_field(self) -> None:
        """Put the cursor in the shown record's first field, its text selected, to type over."""
        form = self.current_form()
        if form is None or not form.fields:
            return
        self.ensureWidgetVisible(form.fields[0].widget)
        widget = form.fields[0].widget
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        if isinstance(widget, QComboBox) and widget.lineEdit() is not None:
            widget = widget.lineEdit()  # a picker's "(unattributed)" is typed over, not into
        select_all = getattr(widget, "selectAll", None)
        if select_all is not None:
            select_all()

    def commit_pending(self) -> None:
        form = self.current_form()
        if form is not None:
            form.commit_pending()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for form in self.forms.values():
            form.set_read_only(read_only)

    def apply_change(self, change: Change) -> None:
        """Show what changed: names in pickers, and the shown record's own fields."""
        self.lookup.forget(set(change.ids))
        if self.current is None:
            return
        kind, record_id = self.current
        written = next((r for r in change.after.get(kind, ()) if r.get("_id") == record_id), None)
        gone = written is None and not change.keeps_records()
        if gone and self.document.record(kind, record_id) is None:
            self._show_placeholder(EMPTY_TEXT)
            return
        form = self.forms[kind]
        if set(change.ids) - {kind}:  # names of other records shown in it may have changed
            form.refresh()
        elif form.applies(change):  # as the change left it: no need to read it again
            form.refresh({k: v for k, v in written.items() if k != "_id"} if written else None)

    def reload(self) -> None:
        self.lookup.forget()
        if self.current is None:
            return
        kind, record_id = self.current
        self.current = None
        self.show_record(kind, record_id)
