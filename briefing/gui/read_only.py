"""Read-only mode made plain across the whole window.

A strip above the library, the workspace and the inspector says why and what
still works, and a badge stays in the status bar; the window title carries
"[read-only]". What actually refuses edits is each part's ``set_read_only`` and,
underneath them all, :meth:`ProjectDocument.run`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QSizePolicy, QToolBar

from briefing.gui.plain_tip import plain_tip

STRIP_STYLE = (
    "QToolBar#readOnlyBar { background: #FFF3C4; border: none;"
    " border-bottom: 1px solid #E0C060; padding: 0; }"
    "QLabel#readOnlyBanner { color: #4A3B00; padding: 5px 8px; }"
)
BADGE_STYLE = (
    "QLabel { background: #8A6D00; color: white; font-weight: bold;"
    " border-radius: 3px; padding: 1px 6px; }"
)


def banner_text(reason: str) -> str:
    return (
        f"<b>Read-only:</b> {reason}. You can read, search, copy and export, "
        "but not change anything. File ▸ Save As… makes a copy you can edit."
    )


class ReadOnlyNotice:
    """The strip across the top of the window and the status-bar badge."""

    def __init__(self, window: QMainWindow) -> None:
        self.bar = QToolBar("Read-only", window)
        self.bar.setObjectName("readOnlyBar")
        self.bar.setMovable(False)
        self.bar.setFloatable(False)
        self.bar.setStyleSheet(STRIP_STYLE)
        self.bar.toggleViewAction().setVisible(False)
        self.banner = QLabel()
        self.banner.setObjectName("readOnlyBanner")
        self.banner.setTextFormat(Qt.TextFormat.RichText)
        self.banner.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.bar.addWidget(self.banner)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.bar)
        self.badge = QLabel("READ-ONLY")
        self.badge.setObjectName("readOnlyBadge")
        self.badge.setStyleSheet(BADGE_STYLE)
        window.statusBar().addPermanentWidget(self.badge)
        self.show("")

    def show(self, reason: str) -> None:
        """Show the notice with the reason, or hide it when ``reason`` is empty."""
        self.banner.setText(banner_text(reason) if reason else "")
        self.banner.setToolTip(plain_tip(self.banner.text()))
        self.bar.setVisible(bool(reason))
        self.badge.setVisible(bool(reason))
        self.badge.setToolTip(plain_tip(reason[:1].upper() + reason[1:] + ".") if reason else "")
