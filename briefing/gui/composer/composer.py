"""The briefing composer: the project's briefings and, for the open one, everything in it.

This widget is the controller: its parts show values and announce edits; it
turns each edit into one composer action through the document (one
transaction, one undo step) and refreshes the parts when the change comes back.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QMainWindow,
    QScrollArea,
    QSplitter,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from briefing.errors import BriefingError
from briefing.gui import dialogs
from briefing.gui.composer.briefing_list import BriefingList
from briefing.gui.composer.formatted_text import FormattedTextEdit
from briefing.gui.composer.icons import kind_icon
from briefing.gui.composer.judgments import JudgmentsEditor, JudgmentsModel
from briefing.gui.composer.layout import TwoPanes, banner_label, heading_label
from briefing.gui.composer.marking import MarkingCheck
from briefing.gui.composer.metadata import MetadataForm
from briefing.gui.composer.outline_model import RECORD_ROLE, OutlineModel
from briefing.gui.composer.outline_view import OutlineView
from briefing.gui.composer.section_editor import SectionEditor
from briefing.gui.document import Action, ProjectDocument
from briefing.gui.tool_strip import ToolStrip
from briefing.model.vocab import counted
from briefing.services import briefings
from briefing.services.briefings import BriefingContent, OutlineSection
from briefing.services.records import Change
from briefing.services.stamps import Stamp

LIBRARY_KINDS = ("entry", "statement", "relationship", "party", "source")


class ComposerWidget(QWidget):
    """Compose briefings: list, cover facts, bottom line, key judgments, outline, section text."""

    recordActivated = Signal(str, int)
    """A record in the outline was opened (double-click or Enter)."""
    recordSelected = Signal(str, int)
    """The outline's current row became a record, so other views can follow."""

    def __init__(self, document: ProjectDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self._briefing_id: int | None = None
        self._content: BriefingContent | None = None
        self._restoring = False
        self._build()
        self._make_actions()
        self._connect()
        self.set_read_only(document.read_only)
        self.refresh()

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        self.briefing_list = BriefingList()
        self.metadata = MetadataForm()
        self.bluf = FormattedTextEdit()
        self.bluf.setPlaceholderText(
            "The bottom line, first: what the reader must know (Markdown)."
        )
        self.bluf.setMinimumHeight(90)
        self.judgments_model = JudgmentsModel(self.document, self)
        self.judgments = JudgmentsEditor(self.judgments_model)
        self.outline_model = OutlineModel(self.document, self)
        self.outline_model.before_edit = self._commit_pending
        self.outline = OutlineView(self.outline_model)
        self.section_editor = SectionEditor()
        self.banner = banner_label()
        self.marking = MarkingCheck(self.document.project, self.isVisible, self)
        self.marking.checked.connect(self._show_marking)
        self.document.closing.connect(self.marking.stop)
        front = QWidget()
        front_layout = QVBoxLayout(front)
        front_layout.setContentsMargins(4, 4, 4, 4)
        front_layout.addWidget(heading_label("Cover"))
        front_layout.addWidget(self.metadata)
        front_layout.addWidget(heading_label("Bottom line up front"))
        front_layout.addWidget(self.bluf, 2)
        front_layout.addWidget(heading_label("Key judgments"))
        front_layout.addWidget(self.judgments, 3)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(front)
        briefings_box = QWidget()
        briefings_layout = QVBoxLayout(briefings_box)
        briefings_layout.setContentsMargins(4, 4, 4, 4)
        briefings_layout.addWidget(heading_label("Briefings"))
        briefings_layout.addWidget(self.briefing_list)
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(briefings_box)
        left.addWidget(scroll)
        left.setStretchFactor(1, 1)
        left.setSizes([110, 590])
        outline_box = QWidget()
        self._outline_layout = QVBoxLayout(outline_box)
        self._outline_layout.setContentsMargins(4, 4, 4, 4)
        self._outline_layout.addWidget(heading_label("Outline"))
        self._outline_layout.addWidget(self.outline, 1)  # the tool row goes above, once made
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(outline_box)
        right.addWidget(self.section_editor)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        self.panes = TwoPanes(left, right, ("Cover and Judgments", "Outline"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.banner)
        layout.addWidget(self.panes, 1)

    def _action(
        self, text: str, slot: Callable[[], object], keys: list[QKeySequence] | None = None
    ) -> QAction:
        action = QAction(text, self)
        action.triggered.connect(slot)
        if keys:
            action.setShortcuts(keys)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        return action

    def _make_actions(self) -> None:
        key = QKeySequence
        self.add_section_action = self._action("Add Section", self.add_section)
        self.remove_action = self._action(
            "Remove from Briefing", self.remove_selected, [key(key.StandardKey.Delete)]
        )
        self.move_up_action = self._action(
            "Move Up", lambda: self.move_selected(-1), [key("Ctrl+Up"), key("Alt+Up")]
        )
        self.move_down_action = self._action(
            "Move Down", lambda: self.move_selected(+1), [key("Ctrl+Down"), key("Alt+Down")]
        )
        self.show_record_action = self._action("Show Record", self._on_show_record)
        self.add_map_action = self._action("Add Map of Events", self.add_map, [key("Ctrl+Shift+M")])
        self.new_action = self._action("New Briefing", self.new_briefing)
        self.delete_action = self._action("Delete Briefing…", self.delete_briefing)
        outline_actions = [
            self.add_section_action,
            self.remove_action,
            self.move_up_action,
            self.move_down_action,
            self.show_record_action,
            self.add_map_action,
        ]
        style = self.style()
        icons = (
            QStyle.StandardPixmap.SP_FileDialogNewFolder,
            QStyle.StandardPixmap.SP_DialogDiscardButton,
            QStyle.StandardPixmap.SP_ArrowUp,
            QStyle.StandardPixmap.SP_ArrowDown,
        )
        for action, icon, short in zip(
            outline_actions, icons, ("Section", "Remove", "Up", "Down"), strict=False
        ):
            action.setIcon(style.standardIcon(icon))
            action.setIconText(short)
            action.setToolTip(
                f"{action.text()} ({action.shortcut().toString()})".replace(" ()", "")
            )
        self.outline.addActions(outline_actions)
        self.outline_tools = ToolStrip()
        for action in outline_actions[:4]:
            self.outline_tools.add_action(action)
        self.add_map_action.setIcon(kind_icon("map"))
        self.add_map_action.setIconText("Map")
        self.add_map_action.setToolTip(
            "Add Map of Events (Ctrl+Shift+M): the brief prints the map where it stands"
        )
        self.outline_tools.add_action(self.add_map_action)
        self.outline_tools.add_stretch()
        self._outline_layout.insertWidget(1, self.outline_tools)

    def _connect(self) -> None:
        document = self.document
        document.changed.connect(self._on_changed)
        document.reloaded.connect(self.refresh)
        document.failed.connect(lambda _message: self.refresh(force=True))
        document.stale.connect(lambda _error: self.refresh(force=True))  # show what is stored
        for field in (self.bluf, self.section_editor.body):
            field.setAside.connect(self._on_set_aside)
        self.briefing_list.chosen.connect(self.open_briefing)
        self.briefing_list.newRequested.connect(self.new_briefing)
        self.briefing_list.deleteRequested.connect(lambda _id: self.delete_briefing())
        self.metadata.edited.connect(self._on_metadata_edited)
        self.bluf.committed.connect(
            lambda text: self._on_metadata_edited({"bluf": text}, self.bluf.seen)
        )
        self.judgments.addRequested.connect(self.add_judgment)
        self.judgments.removeRequested.connect(self._on_remove_judgment)
        self.judgments.moveRequested.connect(self._on_move_judgment)
        self.outline.recordActivated.connect(self.recordActivated)
        self.outline.selectionModel().currentChanged.connect(self._on_outline_current)
        self.section_editor.headingEdited.connect(self._on_heading_edited)
        self.section_editor.bodyEdited.connect(self._on_body_edited)

    # ------------------------------------------------------------------ showing

    @property
    def briefing_id(self) -> int | None:
        return self._briefing_id

    @property
    def content(self) -> BriefingContent | None:
        return self._content

    def open_briefing(self, briefing_id: int | None) -> None:
        """Show another briefing, saving any text typed into this one first."""
        if briefing_id == self._briefing_id:
            return
        self._commit_pending()
        self._briefing_id = briefing_id
        self.refresh(force=True)

    def _on_set_aside(self, _text: str) -> None:
        """Say where refused text went, after the window has said why it was refused."""
        window = self.window()
        if isinstance(window, QMainWindow):
            message = (
                "Your text was not saved and is on the clipboard: paste it into the stored "
                "version if it is still wanted."
            )
            QTimer.singleShot(0, lambda: window.statusBar().showMessage(message, 30000))

    def refresh(self, force: bool = False) -> None:
        """Read the briefing list and the open briefing from the project and show them."""
        if self.document.project.closed:
            return
        rows = briefings.list_briefings(self.document.project)
        ids = [row.id for row in rows]
        if self._briefing_id not in ids:
            self._briefing_id = ids[0] if ids else None
        self.briefing_list.set_rows(rows, self._briefing_id)
        content = None
        if self._briefing_id is not None:
            try:
                content = briefings.load_briefing(self.document.project, self._briefing_id)
            except BriefingError:
                content = None
        self._show(content, force)

    def _show(self, content: BriefingContent | None, force: bool) -> None:
        selected = self.outline.selected_uuids()
        current = self.outline.current_uuid()
        collapsed = self.outline.collapsed_uuids()
        self._content = content
        self.metadata.set_content(content)
        self.bluf.set_saved_text(content.bluf if content else "", force=force, seen=self._seen())
        self.bluf.setEnabled(content is not None)
        self.judgments_model.set_content(content)
        self.judgments.setEnabled(content is not None)
        self._restoring = True  # the same row again is not the analyst choosing a record
        try:
            self.outline_model.set_content(content)
            self.outline.restore(selected, current, collapsed)
        finally:
            self._restoring = False
        self.section_editor.show_section(self._current_section(), force=force, seen=self._seen())
        self.marking.schedule(content.id if content else None)
        for action in (self.add_section_action, self.delete_action, self.add_map_action):
            action.setEnabled(content is not None and not self.document.read_only)

    def _show_marking(self, refusal: str) -> None:
        self.banner.setText(f"⚠ {refusal}" if refusal else "")
        self.banner.setVisible(bool(refusal))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.marking.pending:
            self.marking.run()

    def _current_section(self) -> OutlineSection | None:
        if self._content is None or not self._content.sections:
            return None
        section = self.outline_model.section_at(self.outline.currentIndex())
        return self._content.sections[section if section is not None else 0]

    def set_read_only(self, read_only: bool) -> None:
        self.metadata.set_read_only(read_only)
        self.bluf.setReadOnly(read_only)
        self.judgments.set_read_only(read_only)
        self.section_editor.set_read_only(read_only)
        self.briefing_list.set_read_only(read_only)
        for action in (
            self.new_action,
            self.remove_action,
            self.move_up_action,
            self.move_down_action,
        ):
            action.setEnabled(not read_only)

    def _on_changed(self, change: Change) -> None:
        if change.touches("briefing") or self._includes_any(change):
            self.refresh()
        elif self._content is not None and any(change.touches(k) for k in LIBRARY_KINDS):
            self.marking.schedule(self._content.id)  # a cited source or a named party, perhaps

    def _includes_any(self, change: Change) -> bool:
        """Whether the change touches a record this briefing includes (or names, for parties)."""
        if self._content is None:
            return False
        if change.touches("party"):
            return any(section.items for section in self._content.sections)
        included = {(i.kind, i.record_id) for s in self._content.sections for i in s.items}
        return any(
            (kind, i) in included for kind in LIBRARY_KINDS for i in change.ids.get(kind, ())
        )

    # ------------------------------------------------------------------ actions

    def _commit_pending(self) -> None:
        """Save text still being typed, so it becomes its own undo step before the next one."""
        self.section_editor.commit()
        self.bluf.commit()

    def _seen(self) -> Stamp:
        """The open briefing's stamp as shown: an edit expects to find it (None: none open)."""
        return self._content.stamp if self._content is not None else None

    def _run(self, action: Action) -> Change | None:
        self._commit_pending()
        return self.document.run(action)

    def new_briefing(self) -> Change | None:
        change = self._run(lambda p: briefings.create_briefing(p))
        if change is not None:
            self._briefing_id = change.ids["briefing"][0]
            self.refresh(force=True)
            self.metadata.title.setFocus()
            self.metadata.title.selectAll()
        return change

    def delete_briefing(self) -> Change | None:
        content = self._content
        if content is None:
            return None
        if not dialogs.confirm_delete(
            self,
            f"Delete the briefing ‘{content.title}’ with its sections and key judgments?\n\n"
            "The library records it includes stay. Undo brings the briefing back.",
        ):
            return None
        briefing_id = content.id
        return self._run(lambda p: briefings.delete_briefing(p, briefing_id, loaded=self._seen()))

    def add_records(
        self, records: list[tuple[str, int]], section_index: int | None = None
    ) -> Change | None:
        """Add library records to a section: ``section_index``, else the outline's current one.

        The main window's "Add to Briefing" action calls this with the library's selection.
        """
        if self._content is None:
            self.document.failed.emit("Open or create a briefing first, then add records to it.")
            return None
        if section_index is None:
            section_index = self.outline_model.section_at(self.outline.currentIndex())
        briefing_id, wanted = self._content.id, list(records)
        return self._run(
            lambda p: briefings.add_items(
                p, briefing_id, wanted, section_index, loaded=self._seen()
            )
        )

    def add_map(self) -> Change | None:
        """Place the map of events after the current item (or in the current section)."""
        if self._content is None:
            return None
        index = self.outline.currentIndex()
        section = self.outline_model.section_at(index)
        key = self.outline_model.item_key(index)
        at = key[1] + 1 if key is not None else None
        briefing_id = self._content.id
        return self._run(
            lambda p: briefings.add_map(p, briefing_id, section, at, loaded=self._seen())
        )

    def add_section(self) -> Change | None:
        if self._content is None:
            return None
        briefing_id = self._content.id
        current = self.outline_model.section_at(self.outline.currentIndex())
        at = None if current is None else current + 1
        change = self._run(
            lambda p: briefings.add_section(p, briefing_id, index=at, loaded=self._seen())
        )
        if change is not None:
            row = at if at is not None else self.outline_model.rowCount() - 1
            self.outline.setCurrentIndex(self.outline_model.index(row, 0))
            self.section_editor.heading.setFocus()
            self.section_editor.heading.selectAll()
        return change

    def remove_selected(self) -> Change | None:
        """Delete key: remove the selected items; a lone section after asking if it holds text."""
        if self._content is None:
            return None
        rows = self.outline.selectionModel().selectedRows(0)
        keys = [k for k in (self.outline_model.item_key(i) for i in rows) if k is not None]
        briefing_id = self._content.id
        if keys:
            return self._run(
                lambda p: briefings.remove_items(p, briefing_id, keys, loaded=self._seen())
            )
        section = self.outline_model.section_at(self.outline.currentIndex())
        if section is None:
            return None
        content = self._content.sections[section]
        if (content.items or content.body.strip()) and not self._confirm_section(content):
            return None
        return self._run(
            lambda p: briefings.remove_section(p, briefing_id, content.uuid, loaded=self._seen())
        )

    def _confirm_section(self, section: OutlineSection) -> bool:
        return dialogs.confirm_delete(
            self,
            f"Remove the section ‘{section.heading}’ with its text and "
            f"{counted('included record', len(section.items))}?\n\nThe library records stay.",
        )

    def move_selected(self, delta: int) -> Change | None:
        """Ctrl/Alt+Up/Down: move the current item (across sections at the ends) or section."""
        if self._content is None:
            return None
        index = self.outline.currentIndex()
        briefing_id, sections = self._content.id, self._content.sections
        key = self.outline_model.item_key(index)
        if key is None:
            section = self.outline_model.section_at(index)
            if section is None or not 0 <= section + delta < len(sections):
                return None
            uuid = sections[section].uuid
            return self._run(
                lambda p: briefings.move_section(
                    p, briefing_id, uuid, section + delta, loaded=self._seen()
                )
            )
        target = _item_target(key, delta, [len(s.items) for s in sections])
        if target is None:
            return None
        return self._run(
            lambda p: briefings.move_items(p, briefing_id, [key], *target, loaded=self._seen())
        )

    def add_judgment(self) -> Change | None:
        if self._content is None:
            return None
        briefing_id = self._content.id
        change = self._run(
            lambda p: briefings.add_judgment(
                p, briefing_id, "New key judgment.", loaded=self._seen()
            )
        )
        if change is not None:
            row = self.judgments_model.rowCount() - 1
            index = self.judgments_model.index(row, 0)
            self.judgments.table.setCurrentIndex(index)
            self.judgments.table.edit(index)
        return change

    def _on_remove_judgment(self, row: int) -> None:
        if self._content is not None:
            briefing_id = self._content.id
            self._run(lambda p: briefings.remove_judgment(p, briefing_id, row, loaded=self._seen()))

    def _on_move_judgment(self, row: int, to: int) -> None:
        if self._content is not None:
            briefing_id = self._content.id
            if self._run(
                lambda p: briefings.move_judgment(p, briefing_id, row, to, loaded=self._seen())
            ):
                self.judgments.table.setCurrentIndex(self.judgments_model.index(to, 0))

    def _on_metadata_edited(self, values: dict[str, object], seen: Stamp = None) -> None:
        """Save metadata; ``seen`` is the stamp the typed text was begun on (else as shown)."""
        if self._content is not None:
            briefing_id = self._content.id
            self._run(
                lambda p: briefings.edit_metadata(
                    p, briefing_id, loaded=seen or self._seen(), **values
                )
            )

    def _on_heading_edited(self, uuid: str, heading: str) -> None:
        if self._content is not None and heading:
            briefing_id = self._content.id
            self.document.run(
                lambda p: briefings.edit_section(
                    p, briefing_id, uuid, heading=heading, loaded=self._seen()
                )
            )

    def _on_body_edited(self, uuid: str, body: str) -> None:
        if self._content is not None:
            briefing_id = self._content.id
            seen = self.section_editor.body.seen  # the stamp the typing was begun on
            self.document.run(
                lambda p: briefings.edit_section(p, briefing_id, uuid, body=body, loaded=seen)
            )

    def _on_outline_current(self, current: QModelIndex, previous: QModelIndex) -> None:
        self.section_editor.show_section(self._current_section(), seen=self._seen())
        record = current.data(RECORD_ROLE) if current.isValid() else None
        if record is not None and not self._restoring:
            self.recordSelected.emit(*record)

    def _on_show_record(self) -> None:
        record = self.outline.currentIndex().data(RECORD_ROLE)
        if record is not None:
            self.recordActivated.emit(*record)


def _item_target(key: tuple[int, int], delta: int, sizes: list[int]) -> tuple[int, int] | None:
    """(section, row) for moving the item at ``key`` one step; across sections at the ends."""
    section, row = key
    if delta < 0:
        if row > 0:
            return section, row - 1
        return (section - 1, -1) if section > 0 else None
    if row < sizes[section] - 1:
        return section, row + 2
    return (section + 1, 0) if section + 1 < len(sizes) else None
