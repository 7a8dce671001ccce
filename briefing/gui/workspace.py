"""The workspace tabs in the middle of the window, built for each project opened.

Each tab is registered once as a factory taking the open
:class:`ProjectDocument`; a lazy tab is built the first time it is shown, so a
costly picture of a large project does not slow down opening it. Tabs talk to
the rest of the window through signals named by convention:

- ``recordActivated(kind, id)``: make that record current everywhere (the
  library too, which may switch its tab to show it);
- ``recordSelected(kind, id)``: the tab's own selection moved to a record; the
  inspector and the other tabs follow, the library stays as it is;
- a ``show_record(kind, id)`` method: the tab follows the current record.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QTabWidget, QWidget

from briefing.gui.document import ProjectDocument
from briefing.gui.workspace_tabs import WorkspaceTabBar

WorkspaceFactory = Callable[[ProjectDocument], QWidget]
Current = Callable[[], "tuple[str, int] | None"]
W = TypeVar("W", bound=QWidget)


class Workspace(QTabWidget):
    """Tabs made from registered factories for the open project; removed when it closes."""

    recordActivated = Signal(str, int)
    recordSelected = Signal(str, int, object)
    """A tab's selection moved to a record: kind, id and the tab, which needs not follow."""

    def __init__(self, current_record: Current, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workspace")
        self.setDocumentMode(True)
        # Every tab stays in sight at 1280 pixels: titles shorten rather than scroll away.
        bar = self.tab_bar = WorkspaceTabBar()
        self.setTabBar(bar)
        bar.setUsesScrollButtons(False)
        bar.setElideMode(Qt.TextElideMode.ElideRight)
        bar.setExpanding(False)
        self._current_record = current_record
        self._factories: list[tuple[str, WorkspaceFactory, bool]] = []
        self._widgets: list[QWidget] = []
        self._unbuilt: dict[QWidget, WorkspaceFactory] = {}
        self._document: ProjectDocument | None = None
        self.currentChanged.connect(self._build_if_lazy)

    # ------------------------------------------------------------------ registering

    def register(self, title: str, factory: WorkspaceFactory, lazy: bool = False) -> None:
        """Add a tab built for every project opened from now on (and the open one)."""
        self._factories.append((title, factory, lazy))
        if self._document is not None:
            self._add_tab(title, factory, lazy)

    def attach(self, document: ProjectDocument) -> None:
        """Build the tabs for a project just opened."""
        self._document = document
        for title, factory, lazy in self._factories:
            self._add_tab(title, factory, lazy)

    def detach(self) -> None:
        """Remove every tab: the project they show is closing."""
        self._document = None
        for index in reversed(range(self.count())):
            widget = self.widget(index)
            self.removeTab(index)
            if widget is not None:
                widget.deleteLater()
        self._widgets.clear()
        self._unbuilt.clear()

    # ------------------------------------------------------------------ tabs

    def _add_tab(self, title: str, factory: WorkspaceFactory, lazy: bool) -> None:
        if self._document is None:
            return
        if not lazy:
            self.add_tab(factory(self._document), title)
            return
        placeholder = QWidget()
        self._unbuilt[placeholder] = factory
        self.addTab(placeholder, title)

    def tabInserted(self, index: int) -> None:
        super().tabInserted(index)
        self.setTabToolTip(index, self.tabText(index))  # the whole title of a shortened tab
        self.tab_bar.fit_to(self.width())

    def tabRemoved(self, index: int) -> None:
        super().tabRemoved(index)
        self.tab_bar.fit_to(self.width())

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.tab_bar.fit_to(event.size().width())
        super().resizeEvent(event)

    def add_tab(self, widget: QWidget, title: str) -> int:
        """Place a widget for the open project and wire its record signals."""
        index = self.addTab(widget, title)
        self._wire(widget)
        return index

    def _build_if_lazy(self, index: int) -> None:
        """Build a lazy tab when it is first shown, in its place, following the current record."""
        placeholder = self.widget(index)
        factory = self._unbuilt.pop(placeholder, None) if placeholder is not None else None
        if placeholder is None or factory is None or self._document is None:
            return
        title = self.tabText(index)
        widget = factory(self._document)
        self.blockSignals(True)
        self.removeTab(index)
        self.insertTab(index, widget, title)
        self.setCurrentIndex(index)
        self.blockSignals(False)
        placeholder.deleteLater()
        self._wire(widget)
        current = self._current_record()
        follow = getattr(widget, "show_record", None)
        if current is not None and follow is not None:
            follow(*current)

    def _wire(self, widget: QWidget) -> None:
        self._widgets.append(widget)
        activated = getattr(widget, "recordActivated", None)
        if activated is not None:
            activated.connect(self.recordActivated)
        selected = getattr(widget, "recordSelected", None)
        if selected is not None:
            selected.connect(
                lambda kind, record_id: self.recordSelected.emit(kind, record_id, widget)
            )

    # ------------------------------------------------------------------ following

    @property
    def widgets(self) -> list[QWidget]:
        """The tabs built so far, in the order they were built."""
        return list(self._widgets)

    def built(self, kind: type[W]) -> W | None:
        """The tab of this class, once built (a lazy tab is built when first shown)."""
        return next((w for w in self._widgets if isinstance(w, kind)), None)

    def follow(self, kind: str, record_id: int, sender: QWidget | None = None) -> None:
        """Every built tab (but the one that moved) shows the record current."""
        for widget in self._widgets:
            follow = getattr(widget, "show_record", None)
            if widget is not sender and follow is not None:
                follow(kind, record_id)
