"""The editor window: library on the left, workspace tabs in the middle, inspector on the right.

The window owns the open :class:`ProjectDocument` and passes it to what it
builds; views refresh from the document's ``changed`` and ``reloaded`` signals.
There is no Save: every edit is committed as it is made, so closing never asks.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoGroup
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QWidget,
)

from briefing.errors import BriefingError
from briefing.gui import dialogs, team_project
from briefing.gui.composer import ComposerWidget
from briefing.gui.contradictions import ContradictionsView
from briefing.gui.document import ProjectDocument
from briefing.gui.export_pdf import PdfExporter
from briefing.gui.exports.stix_dialogs import ExchangeActions
from briefing.gui.exports.word import WordExporter
from briefing.gui.inspector.panel import Inspector
from briefing.gui.library.view import TAB_TITLES, LibraryTabs
from briefing.gui.pdf_preview import PdfPreviewPane
from briefing.gui.pictures import RelationshipDiagramWidget, TimelineChartWidget
from briefing.gui.pictures.map_widget import MapSources, MapWidget, visible_span
from briefing.gui.plain_tip import plain_tip
from briefing.gui.read_only import ReadOnlyNotice
from briefing.gui.record_actions import RecordActions
from briefing.gui.settings import AppSettings, data_dir
from briefing.gui.sharing import SharingActions
from briefing.gui.shortcuts import ShortcutsDialog, shortcut_rows
from briefing.gui.start_page import StartPage
from briefing.gui.text_zoom import TextZoom
from briefing.gui.theme import follow_system
from briefing.gui.window_layout import (
    INSPECTOR_MIN_WIDTH,
    LIBRARY_MIN_WIDTH,
    fit_docks,
    restore_layout,
    save_layout,
)
from briefing.gui.window_menus import build_menus, fill_briefing_menu
from briefing.gui.workspace import Workspace, WorkspaceFactory
from briefing.model import field_rules
from briefing.services.library_query import LIST_KINDS, ListFilter
from briefing.services.records import Change
from briefing.store.project import Project, create_project, project_title

APP_TITLE = dialogs.APP_TITLE


class MainWindow(QMainWindow):
    """One window, one open project at a time."""

    projectOpened = Signal(object)
    """A project was opened; the argument is its :class:`ProjectDocument`."""
    projectClosed = Signal()

    def __init__(self, settings: AppSettings | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.settings = settings or AppSettings()
        self.document: ProjectDocument | None = None
        self._change_watch: team_project.ChangeWatch | None = None
        self.library: LibraryTabs | None = None
        self.inspector: Inspector | None = None
        self.read_only_reason = ""
        self._analyst = ""
        self._syncing = False
        self.undo_group = QUndoGroup(self)
        self._build_central()
        self._build_docks()
        self.records = RecordActions(self)
        self._build_actions()
        self.text_zoom = TextZoom(self, self.settings)
        follow_system(QApplication.instance())  # type: ignore[arg-type]
        for dock in (self.library_dock, self.inspector_dock):
            self.text_zoom.attach(dock)
        self._build_status_bar()
        self.read_only_notice = ReadOnlyNotice(self)
        self.banner = self.read_only_notice.banner
        self._add_briefing_workspaces()
        self._add_pdf_export()
        self._add_word_export()
        self.sharing = SharingActions(self)
        self.exchange = ExchangeActions(self)
        build_menus(self)
        restore_layout(self)
        self._show_no_project()

    # ------------------------------------------------------------------ building

    def _build_central(self) -> None:
        self.workspace = Workspace(self._inspected)
        self.workspace.recordActivated.connect(self.show_record)
        self.workspace.recordSelected.connect(self._on_workspace_selection)
        self.start_page = StartPage(self)
        self.start_page.setMinimumSize(1, 1)  # a project's docks may take the room it wants
        self.central_stack = QStackedWidget()
        self.central_stack.addWidget(self.start_page)
        self.central_stack.addWidget(self.workspace)
        self.setCentralWidget(self.central_stack)

    def _build_docks(self) -> None:
        self.library_dock = QDockWidget("Library", self)
        self.library_dock.setObjectName("libraryDock")
        self.inspector_dock = QDockWidget("Inspector", self)
        self.inspector_dock.setObjectName("inspectorDock")
        for dock, area in (
            (self.library_dock, Qt.DockWidgetArea.LeftDockWidgetArea),
            (self.inspector_dock, Qt.DockWidgetArea.RightDockWidgetArea),
        ):
            dock.setFeatures(
                QDockWidget.DockWidgetFeature.DockWidgetMovable
                | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                | QDockWidget.DockWidgetFeature.DockWidgetClosable
            )
            dock.setWidget(QWidget())
            self.addDockWidget(area, dock)

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        action.triggered.connect(lambda checked=False: slot())
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        key = QKeySequence.StandardKey
        self.new_action = self._action("&New Project…", self.new_project, key.New)
        self.open_action = self._action("&Open Project…", self.open_project_dialog, key.Open)
        self.open_team_action = self._action("Open &Team Project…", self.open_team_dialog)
        self.recent_menu = QMenu("Open &Recent", self)
        self.recent_menu.aboutToShow.connect(self.fill_recent_menu)
        self.demo_action = self._action("Open the &Demo Project", self.open_demo)
        self.save_as_action = self._action("Save &As…", self.save_as, key.SaveAs)
        self.close_action = self._action("&Close Project", self.close_project, key.Close)
        self.quit_action = self._action("&Quit", self.close, key.Quit)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.undo_action = self.undo_group.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(key.Undo)
        self.redo_action = self.undo_group.createRedoAction(self, "&Redo")
        self.redo_action.setShortcut(key.Redo)
        self.find_action = self._action("&Find in Library", self.focus_search, key.Find)
        self.refresh_action = self._action("&Refresh", self.reload_views, key.Refresh)
        self.about_action = self._action(f"&About {APP_TITLE}", self.show_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_qt_action = self._action("About &Qt", QApplication.aboutQt)
        self.shortcuts_action = self._action("&Keyboard Shortcuts", self.show_shortcuts)
        self.tab_actions = []
        for number, kind in enumerate(LIST_KINDS, start=1):
            action = self._action(
                f"Show {TAB_TITLES[kind]}", partial(self.show_library, kind), f"Ctrl+{number}"
            )
            self.tab_actions.append(action)
        self.project_actions = [
            self.save_as_action,
            self.close_action,
            self.find_action,
            self.refresh_action,
            *self.tab_actions,
        ]
        self.editing_actions: list[QAction] = []
        """Enabled only while a project is open for writing."""

    def _build_status_bar(self) -> None:
        self.saved_label = QLabel()
        self.saved_label.setObjectName("savedState")
        self.statusBar().addPermanentWidget(self.saved_label)
        self.team_label = QLabel()
        self.team_label.setObjectName("teamState")
        self.team_label.setContentsMargins(12, 0, 4, 0)
        self.statusBar().addPermanentWidget(self.team_label)

    # ------------------------------------------------------------------ analyst

    def analyst(self) -> str:
        """Who is editing: asked once, then remembered in the settings.

        A name every change would record against the rules (settings edited by hand,
        a very long paste) is asked again, as a project would refuse it.
        """
        if not self._analyst:
            name = self.settings.analyst_name()
            if not name or field_rules.line(name) is not None:
                name = dialogs.ask_analyst_name(self) or ""
                if field_rules.line(name) is not None:
                    name = ""
                if name:
                    self.settings.set_analyst_name(name)
            self._analyst = name or _login_name()
        return self._analyst

    # ------------------------------------------------------------------ projects

    def open_path(self, path: Path, read_only: bool = False) -> bool:
        """Open a project file in this window (closing the current one); False if refused."""
        path = Path(path)
        if self.document is not None and _same_file(self.document.project.path, path):
            return True
        project = dialogs.open_with_dialogs(self, path, self.analyst(), read_only=read_only)
        if project is None:
            if not path.exists():
                self.settings.forget_recent(path)
            return False
        reason = ""
        if project.read_only:
            reason = "it was opened read-only" if read_only else _read_only_reason(path)
        self.set_project(project, reason)
        return True

    def open_team_dialog(self) -> None:
        """File ▸ Open Team Project…: a project on the team's PostgreSQL server."""
        address = team_project.ask_address(self, team_project.recent_addresses(self.settings))
        if address:
            self.open_address(address)

    def open_address(self, address: str) -> bool:
        """Open a team project by its ``postgresql://`` address; False if refused or cancelled."""
        try:
            project = team_project.open_team_project(self, address)
        except BriefingError as error:
            dialogs.show_refusal(self, str(error))
            return False
        if project is None:
            return False
        self.set_project(project, "" if not project.read_only else "it was opened read-only")
        return True

    def open_requested(self, path: Path) -> None:
        """The system asked to open a file (macOS Finder, a file dropped on the Dock icon)."""
        if self.open_path(path):
            self.raise_()
            self.activateWindow()

    def set_project(self, project: Project, read_only_reason: str = "") -> None:
        """Show an already open project; the window takes charge of closing it."""
        self.close_project()
        document = ProjectDocument(project, self)
        self.document = document
        self.read_only_reason = read_only_reason or (
            "the file cannot be written" if project.read_only else ""
        )
        self.undo_group.addStack(document.undo_stack)
        self.undo_group.setActiveStack(document.undo_stack)
        document.changed.connect(self._on_changed)
        document.reloaded.connect(self.reload_views)
        document.failed.connect(self._on_failed)
        document.stale.connect(self._on_stale)
        self.library = LibraryTabs(document)
        self.library.currentRecordChanged.connect(self._on_library_record)
        self.library.editRequested.connect(self._edit_current)
        self.library.currentChanged.connect(lambda _: self.records.update_enabled())
        self.library.restore_state(self.settings)
        self.library.setMinimumWidth(LIBRARY_MIN_WIDTH)
        self.library_dock.setWidget(self.library)
        self.inspector = Inspector(document)
        self.inspector.setMinimumWidth(INSPECTOR_MIN_WIDTH)
        self.inspector.deleteRequested.connect(self.records.delete_records)
        self.inspector_dock.setWidget(self.inspector)
        self.records.attach(self.library)
        self.workspace.attach(document)
        if getattr(project, "is_server", False):
            team_project.add_recent_address(self.settings, project.address)
            self._change_watch = team_project.ChangeWatch(document)
        else:
            self.settings.add_recent(project.path)
        self.central_stack.setCurrentWidget(self.workspace)
        self._show_docks()
        self._clear_export_warnings()  # a restored layout may show the strip again
        self.saved_label.setText("All changes saved")
        self._update_read_only()
        self._update_title()
        if self.composer is not None:
            self.text_zoom.attach(self.composer)
        self.projectOpened.emit(document)
        QTimer.singleShot(0, self._select_first_record)

    def close_project(self) -> None:
        """Close the open project; nothing to save, everything already is."""
        if self.document is None:
            return
        if self.inspector is not None:
            self.inspector.commit_pending()
        self._clear_export_warnings()  # before the layout is saved with the strip in it
        save_layout(self)
        document = self.document
        self.document = None
        if self._change_watch is not None:
            self._change_watch.stop()
            self._change_watch = None
        self.projectClosed.emit()
        self.workspace.detach()
        self.records.attach(None)
        for dock in (self.library_dock, self.inspector_dock):
            old = dock.widget()
            dock.setWidget(QWidget())
            if old is not None:
                old.deleteLater()
        self.library = None
        self.inspector = None
        self.undo_group.removeStack(document.undo_stack)
        document.close()
        document.deleteLater()
        self._show_no_project()

    def _clear_export_warnings(self) -> None:
        """The strip speaks of the open project's exports; another project starts without it."""
        if self.pdf_exporter.warnings is not None:
            self.pdf_exporter.warnings.clear()

    def _show_docks(self) -> None:
        """The docks as the analyst left them with a project open, else at their default share."""
        self.library_dock.show()
        self.inspector_dock.show()
        state = self.settings.window_state("state")
        if state is None or not self.restoreState(state):
            fit_docks(self)

    def _show_no_project(self) -> None:
        self.read_only_reason = ""
        self.start_page.refresh(self.settings.recent_files())
        self.central_stack.setCurrentWidget(self.start_page)
        self.library_dock.hide()
        self.inspector_dock.hide()
        self.saved_label.setText("")
        self._update_read_only()
        self._update_title()

    def new_project(self) -> None:
        title = dialogs.ask_project_title(self)
        if title is None:
            return
        path = dialogs.ask_save_path(self, "New Project", f"{title}.brief")
        if path is None:
            return
        try:
            project = create_project(path, self.analyst(), title=title)
        except BriefingError as error:
            dialogs.show_refusal(self, str(error))
            return
        self.set_project(project)

    def open_project_dialog(self) -> None:
        folder = str(self.document.project.path.parent) if self.document else ""
        path = dialogs.ask_open_path(self, folder)
        if path is not None:
            self.open_path(path)

    def open_demo(self) -> None:
        from briefing.gui.app import ensure_demo_project

        try:
            path = ensure_demo_project()
        except BriefingError as error:
            dialogs.show_refusal(self, str(error))
            return
        self.open_path(path)

    def save_as(self) -> None:
        """Write a copy with SQLite's backup API, then continue working in the copy."""
        if self.document is None:
            return
        if self.inspector is not None:
            self.inspector.commit_pending()
        current = self.document.project.path
        path = dialogs.ask_save_path(
            self, "Save As", str(current.with_name(current.stem + " copy.brief"))
        )
        if path is None:
            return
        try:
            self.document.project.copy_to(path)
        except BriefingError as error:
            dialogs.show_failure(self, str(error))
            return
        self.open_path(path)
        self.statusBar().showMessage(f"Saved a copy as {path.name}; now working in the copy.", 8000)

    def fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_files()
        for path in recent:
            action = self.recent_menu.addAction(path.name)
            action.setToolTip(plain_tip(str(path)))
            action.setStatusTip(str(path))
            action.triggered.connect(lambda checked=False, p=path: self.open_path(p))
        if not recent:
            self.recent_menu.addAction("No recent projects").setEnabled(False)
        self.recent_menu.addSeparator()
        clear = self.recent_menu.addAction("Clear the List")
        clear.triggered.connect(self.settings.clear_recent)

    # ------------------------------------------------------------------ workspace

    def register_workspace(self, title: str, factory: WorkspaceFactory, lazy: bool = False) -> None:
        """Add a workspace tab built for every project opened from now on (and the open one).

        See :mod:`briefing.gui.workspace` for lazy tabs and the record signals a tab may have.
        """
        self.workspace.register(title, factory, lazy)

    def add_workspace_tab(self, widget: QWidget, title: str) -> int:
        """Place a widget for the open project in the centre; removed when the project closes."""
        return self.workspace.add_tab(widget, title)

    # ------------------------------------------------------------------ briefing workspaces

    def _add_briefing_workspaces(self) -> None:
        """The composer, the contradictions view and the pictures; "Add to Briefing"."""
        self.register_workspace("Briefing", ComposerWidget)
        self.register_workspace("Contradictions", ContradictionsView)
        self.register_workspace("Timeline Chart", TimelineChartWidget, lazy=True)
        self.register_workspace("Alliance Diagram", RelationshipDiagramWidget, lazy=True)
        self.register_workspace("Map", lambda d: MapWidget(d, self._map_sources()), lazy=True)
        self.add_to_briefing_action = self._action(
            "&Add to Briefing", self.add_to_briefing, "Ctrl+B"
        )
        self.add_to_briefing_action.setStatusTip(
            "Add the records selected in the library to the open briefing's current section"
        )
        self.editing_actions.append(self.add_to_briefing_action)

    @property
    def composer(self) -> ComposerWidget | None:
        return self.workspace.built(ComposerWidget)

    def add_to_briefing(self) -> None:
        """Add the library's selected records to the briefing open in the composer."""
        composer, library = self.composer, self.library
        if composer is None or library is None:
            return
        ids = library.current_pane().selected_ids()
        if not ids:
            self.statusBar().showMessage("Select records in the library to add them.", 5000)
            return
        composer.add_records([(library.current_kind, record_id) for record_id in ids])

    # ------------------------------------------------------------------ PDF

    def _add_pdf_export(self) -> None:
        """File ▸ Export PDF… and the PDF Preview tab, which lists the export history."""
        self.pdf_exporter = PdfExporter(self, self.settings)
        self.export_pdf_action = self._action("&Export PDF…", self.export_pdf, "Ctrl+Shift+E")
        self.export_pdf_action.setStatusTip("Export a briefing to a PDF file")
        self.project_actions.append(self.export_pdf_action)
        self.register_workspace(
            "PDF Preview",
            lambda document: PdfPreviewPane(document, self.pdf_exporter, self._open_briefing),
            lazy=True,
        )
        self.refresh_preview_action = self._action(
            "Refresh &Preview", self.refresh_preview, "Ctrl+Shift+R"
        )
        self.project_actions.append(self.refresh_preview_action)

    def refresh_preview(self) -> None:
        """Show the PDF Preview tab, from anywhere in the window, and lay it out again."""
        for index in range(self.workspace.count()):
            if self.workspace.tabText(index) == "PDF Preview":
                self.workspace.setCurrentIndex(index)
        preview = self.workspace.built(PdfPreviewPane)
        if preview is not None:
            preview.refresh()

    def show_about(self) -> None:
        settings_file = self.settings.qsettings.fileName()
        dialogs.show_about(self, data_dir(), settings_file)

    def show_shortcuts(self) -> None:
        fill_briefing_menu(self)
        ShortcutsDialog(shortcut_rows(self.menuBar()), self).exec()

    def _add_word_export(self) -> None:
        """File ▸ Export Word…; its exports show in the PDF Preview tab's history too."""
        self.word_exporter = WordExporter(self, self.settings)
        self.word_exporter.docxExported.connect(self.pdf_exporter.pdfExported)
        self.export_word_action = self._action("Export &Word…", self.export_word)
        self.export_word_action.setStatusTip(
            "Export a briefing to a Word document, in the project's house template"
        )
        self.project_actions.append(self.export_word_action)

    def export_word(self) -> None:
        """Export a briefing to Word, the one open in the composer unless another is chosen."""
        if self.document is None:
            return
        if self.inspector is not None:
            self.inspector.commit_pending()
        self.word_exporter.export(self.document, self._open_briefing())

    def _map_sources(self) -> MapSources:
        """What the map may show: the open briefing, the library's filter, the chart's time."""

        def library_filter() -> ListFilter | None:
            pane = self.library.panes.get("entry") if self.library is not None else None
            return pane.model.list_filter if pane is not None else None

        def timeline_span() -> tuple[datetime, datetime] | None:
            chart = self.workspace.built(TimelineChartWidget)
            return visible_span(chart.timeline) if chart is not None else None

        return MapSources(self._open_briefing, library_filter, timeline_span)

    def _open_briefing(self) -> int | None:
        composer = self.composer
        return composer.briefing_id if composer is not None else None

    def export_pdf(self) -> None:
        """Export a briefing, the one open in the composer unless another is chosen."""
        if self.document is None:
            return
        if self.inspector is not None:
            self.inspector.commit_pending()
        self.pdf_exporter.export(self.document, self._open_briefing())

    # ------------------------------------------------------------------ records

    def show_record(self, kind: str, record_id: int) -> None:
        """Make a record current in the library, the inspector and the workspace."""
        if self._syncing or self.library is None or self.inspector is None:
            return
        if kind in self.library.panes and self.library.select_record(kind, record_id):
            return  # the library's selection signal does the rest
        self._on_library_record(kind, record_id)

    def show_library(self, kind: str) -> None:
        if self.library is not None:
            self.library_dock.show()
            pane = self.library.show_kind(kind)
            pane.table.setFocus()

    def focus_search(self) -> None:
        if self.library is not None:
            self.library_dock.show()
            self.library.current_pane().filter_bar.focus_search()

    def _on_library_record(self, kind: str, record_id: int) -> None:
        self._follow(kind, record_id, None)
        self.records.update_enabled()

    def _on_workspace_selection(self, kind: str, record_id: int, origin: QWidget) -> None:
        """A tab's selection (the briefing outline's) moved: inspect it, the library stays."""
        self._follow(kind, record_id, origin)

    def _follow(self, kind: str, record_id: int, origin: QWidget | None) -> None:
        """Show a record in the inspector and every workspace tab but ``origin``."""
        if self.inspector is None or self._syncing:
            return
        self._syncing = True
        try:
            self.inspector.show_record(kind, record_id)
            if record_id:
                self.workspace.follow(kind, record_id, origin)
        finally:
            self._syncing = False

    def _inspected(self) -> tuple[str, int] | None:
        return self.inspector.current if self.inspector is not None else None

    def _edit_current(self) -> None:
        if self.inspector is not None and not self.document_read_only():
            self.inspector_dock.show()
            self.inspector.focus_first_field()

    def document_read_only(self) -> bool:
        return self.document is None or self.document.read_only

    def _select_first_record(self) -> None:
        if self.library is not None and self.library.current_pane().current_id() is None:
            self.library.current_pane().select_row(0)

    # ------------------------------------------------------------------ refresh

    def _on_changed(self, change: Change) -> None:
        if self.library is not None:
            self.library.apply_change(change)
        if self.inspector is not None:
            self.inspector.apply_change(change)
        self.saved_label.setText(f"All changes saved — {change.description}")
        self._update_title()

    def _on_failed(self, message: str) -> None:
        self.statusBar().showMessage(message, 10000)
        dialogs.show_failure(self, message)

    def _on_stale(self, error: BriefingError) -> None:
        """Someone else changed the record first: say who and when, offer to show their version.

        Asked once the refused field has shown the stored value again, so that
        reloading finds no unsaved input to save a second time.
        """
        self.statusBar().showMessage(str(error), 10000)
        QTimer.singleShot(0, partial(self._ask_reload, str(error)))

    def _ask_reload(self, message: str) -> None:
        if dialogs.ask_reload(self, message) and self.document is not None:
            self.document.reloaded.emit()  # every view, the composer and pictures too

    def reload_views(self) -> None:
        """Everything again from the file (another program committed to it)."""
        if self.document is None:
            return
        assert self.library is not None and self.inspector is not None
        self.library.reload()
        self.inspector.reload()
        self._update_title()
        by = "another analyst" if getattr(self.document.project, "is_server", False) else None
        self.statusBar().showMessage(
            f"The project was changed by {by}; reloaded."
            if by
            else "The project file was changed by another program; reloaded.",
            8000,
        )

    # ------------------------------------------------------------------ state

    def _update_read_only(self) -> None:
        """Enable what the open project allows; say plainly when it cannot be changed."""
        read_only = self.document is not None and self.document.read_only
        self.read_only_notice.show(self.read_only_reason if read_only else "")
        if self.inspector is not None:
            self.inspector.set_read_only(read_only)
        for action in self.project_actions:
            action.setEnabled(self.document is not None)
        for action in self.editing_actions:
            action.setEnabled(self.document is not None and not read_only)
        self.records.update_enabled()
        if read_only:
            self.saved_label.setText("Changes cannot be saved")

    def _update_title(self) -> None:
        if self.document is None:
            self.setWindowTitle(APP_TITLE)
            self.team_label.setText("")
            return
        project = self.document.project
        marker = " [read-only]" if project.read_only else ""
        team = ""
        self.team_label.setText("")
        if getattr(project, "is_server", False):
            team = f" ({team_project.title_note(project)})"
            self.team_label.setText(team_project.status_note(project))
        self.setWindowTitle(
            f"{project_title(project)} — {project.name}{team}{marker} — {APP_TITLE}"
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing never asks: every change is already saved."""
        self.close_project()
        save_layout(self)  # the geometry; the docks were saved with the project open
        event.accept()


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _read_only_reason(path: Path) -> str:
    from briefing.store.lock import read_lock

    holder = read_lock(path)
    if holder is not None and not holder.is_ours and not holder.is_stale:
        return f"{holder.describe()} has it open"
    return "the file or its folder cannot be written"
