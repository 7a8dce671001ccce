"""The PDF preview tab: the open briefing laid out as its PDF.

Laying out a brief takes a second or more. The first time the tab is shown the
briefing is read and laid out a step at a time between the window's events, so
the window stays usable, under a progress bar with Cancel; that layout is
dropped and begun again if the project changes meanwhile. After that
the preview is made when the analyst asks (Refresh Preview), never on each
keystroke; a note says when the project has changed since. The preview is
written to a temporary file and is not an export, so it is not added to the
history shown under it.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QAction, QResizeEvent, QShowEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from briefing.export.pdf import PdfResult
from briefing.gui.document import ProjectDocument
from briefing.gui.export_history import ExportHistoryView
from briefing.gui.export_pdf import PdfExporter
from briefing.gui.preview_render import PreviewRender
from briefing.gui.tool_strip import ToolStrip
from briefing.model.vocab import counted
from briefing.services.briefings import BriefingRow, list_briefings
from briefing.services.records import Change

ZOOM_STEP = 1.25
ZOOM_RANGE = (0.25, 4.0)
PLACEHOLDER = (
    "Refresh Preview lays out the briefing open in the Briefing tab exactly as "
    "File ▸ Export PDF… would print it. The preview is not recorded as an export."
)


class PdfPreviewPane(QWidget):
    """QtPdf view of the current briefing, page and zoom controls, and its export history."""

    def __init__(
        self,
        document: ProjectDocument,
        exporter: PdfExporter,
        current_briefing: Callable[[], int | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.exporter = exporter
        self.current_briefing = current_briefing
        self.previewed: BriefingRow | None = None
        self.stale = False
        self._folder = Path(tempfile.mkdtemp(prefix="briefing-preview-"))
        self._serial = 0
        folder = self._folder
        self.render = PreviewRender(self)
        self.render.finished.connect(self._on_rendered)
        self.render.failed.connect(self._on_render_failed)
        self.render.progressed.connect(self._on_render_progress)
        self._first_shown = False
        self._rendering: BriefingRow | None = None
        render = self.render
        self.destroyed.connect(render.cancel)
        self.destroyed.connect(lambda: shutil.rmtree(folder, ignore_errors=True))
        self._build()
        self._connect()
        self._update_controls()

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        self.pdf = QPdfDocument(self)
        self.view = QPdfView()
        self.view.setObjectName("pdfPreview")
        self.view.setDocument(self.pdf)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.placeholder = QLabel(PLACEHOLDER)
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setMargin(24)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self.view)
        self.status = QLabel()
        self.status.setObjectName("previewStatus")
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setAccessibleName("Preview progress")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop laying out the preview")
        self.cancel_button.clicked.connect(self.stop_rendering)
        self.progress_row = QWidget()
        row = QHBoxLayout(self.progress_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        self.progress_row.hide()
        self.history = ExportHistoryView()
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(4, 4, 4, 0)
        top_layout.addWidget(self._build_tools())
        top_layout.addWidget(self.status)
        top_layout.addWidget(self.progress_row)
        top_layout.addWidget(self.stack, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(self.history)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([700, 130])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def _tool(
        self, text: str, icon: QStyle.StandardPixmap | None, slot: Callable[[], object]
    ) -> QAction:
        """An action with a flat button in the tool row, so it can be found at a glance."""
        action = QAction(text, self)
        action.triggered.connect(lambda checked=False: slot())
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        self._row.add_action(action)
        return action

    def _build_tools(self) -> ToolStrip:
        pixmap = QStyle.StandardPixmap
        self._row = ToolStrip()
        self.refresh_action = self._tool("Refresh Preview", pixmap.SP_BrowserReload, self.refresh)
        self.refresh_action.setToolTip(
            "Lay out the open briefing again (View ▸ Refresh Preview, Ctrl+Shift+R)"
        )
        self.addAction(self.refresh_action)
        self._row.add_spacing(12)
        self.previous_action = self._tool("Previous", pixmap.SP_ArrowUp, lambda: self.go_by(-1))
        self.page_box = QSpinBox()
        self.page_box.setAccessibleName("Page")
        self.page_box.setMinimum(1)
        self.page_box.valueChanged.connect(lambda page: self.go_to(page - 1))
        self._row.add_widget(self.page_box)
        self.page_count = QLabel("of 0")
        self._row.add_widget(self.page_count)
        self.next_action = self._tool("Next", pixmap.SP_ArrowDown, lambda: self.go_by(+1))
        self._row.add_spacing(12)
        self.zoom_out_action = self._tool("−", None, lambda: self.zoom_by(1 / ZOOM_STEP))
        self.zoom_out_action.setToolTip("Zoom out")
        self.zoom_label = QLabel()
        self.zoom_label.setMinimumWidth(48)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._row.add_widget(self.zoom_label)
        self.zoom_in_action = self._tool("+", None, lambda: self.zoom_by(ZOOM_STEP))
        self.zoom_in_action.setToolTip("Zoom in")
        self.fit_width_action = self._tool("Fit Width", None, lambda: self.fit(True))
        self.fit_page_action = self._tool("Fit Page", None, lambda: self.fit(False))
        self._row.add_stretch()
        return self._row

    def _connect(self) -> None:
        self.document.changed.connect(self._on_changed)
        self.document.reloaded.connect(self._on_reloaded)
        self.document.closing.connect(self.render.cancel)
        self.exporter.pdfExported.connect(lambda _briefing_id: self.refresh_history())
        self.exporter.running.connect(self.render.hold)
        self.view.pageNavigator().currentPageChanged.connect(self._on_page_changed)
        self.view.zoomFactorChanged.connect(lambda _zoom: self._update_zoom_label())
        self.view.zoomModeChanged.connect(lambda _mode: self._update_zoom_label())

    # ------------------------------------------------------------------ preview

    def refresh(self) -> bool:
        """Lay out the current briefing into a temporary PDF and show it; False if not made."""
        row = self._current_row()
        if row is None:
            self.status.setText("No briefing is open: create one in the Briefing tab.")
            return False
        self.render.cancel()  # the analyst's own refresh replaces a layout under way
        self.progress_row.hide()
        self._serial += 1
        path = self._folder / f"preview-{self._serial}.pdf"
        result = self.exporter.write(
            self.document.project, row.id, path, record=False, changes=self.exporter.include_changes
        )
        if result is None:
            return False
        return self._show_pdf(row, result)

    def _show_pdf(self, row: BriefingRow, result: PdfResult) -> bool:
        """Show a laid-out preview in place of the last, on the page that was shown."""
        path = result.path
        page = self.view.pageNavigator().currentPage()
        old = self.pdf.status() != QPdfDocument.Status.Null
        self.pdf.close()
        if self.pdf.load(str(path)) != QPdfDocument.Error.None_:
            self.status.setText("The preview could not be read back; export the PDF instead.")
            return False
        for stale in self._folder.glob("preview-*.pdf"):
            if stale != path:
                stale.unlink(missing_ok=True)
        self.previewed = row
        self.stale = False
        self.stack.setCurrentWidget(self.view)
        self._update_controls()
        self.go_to(min(page, self.pdf.pageCount() - 1) if old else 0)
        made = datetime.now().strftime("%H:%M")
        label = result.label.marking
        self.status.setText(
            f"Preview of ‘{row.title}’, {label}, {_pages(result.pages)}, laid out at {made}."
        )
        self.refresh_history()
        return True

    def render_in_background(self) -> bool:
        """Lay out the current briefing between events; False if there is none to show."""
        row = self._current_row()
        if row is None:
            self.status.setText("No briefing is open: create one in the Briefing tab.")
            return False
        self._serial += 1
        path = self._folder / f"preview-{self._serial}.pdf"
        self._rendering = row
        self.status.setText(f"Laying out ‘{row.title}’…")
        self.progress.setValue(0)
        self.progress_row.show()
        self.render.start(self.document.project, row.id, path, self.exporter.include_changes)
        return True

    def stop_rendering(self) -> None:
        """Cancel: drop the layout under way (its read too); Refresh Preview begins it again."""
        if not self.render.busy:
            return
        self.render.cancel()
        self.progress_row.hide()
        self.status.setText("The preview was stopped; Refresh Preview lays it out.")

    def _on_render_progress(self, run: int, fraction: float, message: str) -> None:
        if run == self.render.run:
            self.progress.setValue(round(fraction * 100))
            self.progress.setFormat(f"{message} %p%")

    def _on_rendered(self, run: int, result: PdfResult) -> None:
        if run == self.render.run and self._rendering is not None:
            self.progress_row.hide()
            self._show_pdf(self._rendering, result)

    def _on_render_failed(self, run: int, message: str, marking: bool) -> None:
        if run != self.render.run:
            return
        self.progress_row.hide()
        hint = " Refresh Preview to choose a label for the preview." if marking else ""
        self.status.setText(f"{message}{hint}")

    def page_count_shown(self) -> int:
        return self.pdf.pageCount()

    def go_to(self, page: int) -> None:
        if 0 <= page < self.pdf.pageCount():
            navigator = self.view.pageNavigator()
            navigator.jump(page, QPointF(), navigator.currentZoom())

    def go_by(self, delta: int) -> None:
        self.go_to(self.view.pageNavigator().currentPage() + delta)

    def zoom(self) -> float:
        """The scale pages are drawn at, also when fitted to the width or the page.

        QPdfView keeps its last custom factor while fitting, so a zoom step from a
        fitted page would jump; this computes the fitted scale as QPdfView does.
        """
        mode = self.view.zoomMode()
        if mode == QPdfView.ZoomMode.Custom or self.pdf.pageCount() == 0:
            return self.view.zoomFactor()
        size = self.pdf.pagePointSize(self.view.pageNavigator().currentPage())
        scale = self.view.screen().logicalDotsPerInch() / 72
        margins = self.view.documentMargins()
        port = self.view.viewport()
        wide = (port.width() - margins.left() - margins.right()) / (size.width() * scale)
        if mode == QPdfView.ZoomMode.FitToWidth:
            return wide
        high = (port.height() - margins.top() - margins.bottom()) / (size.height() * scale)
        return min(wide, high)

    def zoom_by(self, factor: float) -> None:
        low, high = ZOOM_RANGE
        zoom = min(max(self.zoom() * factor, low), high)
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(zoom)

    def fit(self, width: bool) -> None:
        mode = QPdfView.ZoomMode
        self.view.setZoomMode(mode.FitToWidth if width else mode.FitInView)

    # ------------------------------------------------------------------ history and state

    def refresh_history(self) -> None:
        """Show the export history of the briefing open in the composer."""
        if self.document.project.closed:
            return
        row = self._current_row()
        self.history.show_briefing(
            self.document.project, row.id if row else None, row.title if row else ""
        )

    def _current_row(self) -> BriefingRow | None:
        rows = list_briefings(self.document.project)
        wanted = self.current_briefing()
        found = next((r for r in rows if r.id == wanted), None)
        return found or (rows[0] if rows else None)

    def _mark_stale(self, why: str) -> None:
        if self.previewed is not None and not self.stale:
            self.stale = True
            self.status.setText(f"{self.status.text()} {why} Refresh Preview to see it.")

    def _on_changed(self, change: Change) -> None:
        if self.render.busy:  # what it lays out is already out of date: begin again
            self.render.cancel()
            if self.isVisible():
                self.render_in_background()
            else:
                self._first_shown = False
                self.progress_row.hide()
        self._mark_stale("The project has changed since.")
        if self.isVisible():
            self.refresh_history()

    def _on_reloaded(self) -> None:
        self._mark_stale("The file was changed by another program since.")
        self.refresh_history()

    def _on_page_changed(self, page: int) -> None:
        self.page_box.blockSignals(True)
        self.page_box.setValue(page + 1)
        self.page_box.blockSignals(False)

    def _update_controls(self) -> None:
        count = self.pdf.pageCount()
        self.page_box.setMaximum(max(count, 1))
        self.page_count.setText(f"of {count}")
        for action in (
            self.previous_action,
            self.next_action,
            self.zoom_in_action,
            self.zoom_out_action,
            self.fit_width_action,
            self.fit_page_action,
        ):
            action.setEnabled(count > 0)
        self.page_box.setEnabled(count > 0)
        self._update_zoom_label()

    def _update_zoom_label(self) -> None:
        self.zoom_label.setText(f"{self.zoom():.0%}" if self.pdf.pageCount() else "")

    def resizeEvent(self, event: QResizeEvent) -> None:
        """A fitted page changes scale with the pane."""
        super().resizeEvent(event)
        self._update_zoom_label()

    def showEvent(self, event: QShowEvent) -> None:
        """The composer may have opened another briefing while this tab was hidden."""
        super().showEvent(event)
        self.refresh_history()
        if not self._first_shown and self.previewed is None:
            self._first_shown = True
            self.render_in_background()
            return
        row = self._current_row()
        if self.previewed is not None and row is not None and row.id != self.previewed.id:
            self.status.setText(
                f"This preview shows ‘{self.previewed.title}’; Refresh Preview to show "
                f"‘{row.title}’."
            )


def _pages(count: int) -> str:
    return counted("page", count)
