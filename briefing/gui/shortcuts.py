"""Help ▸ Keyboard Shortcuts: every shortcut, read from the menus themselves.

The list is built from the same actions the menus show, so it cannot drift
from them: a shortcut added to a menu appears here, under that menu's name.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMenuBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


def shortcut_rows(bar: QMenuBar) -> list[tuple[str, str, str]]:
    """(menu, command, keys) for every menu action with a shortcut, in menu order."""
    rows: list[tuple[str, str, str]] = []
    for top in bar.actions():
        menu = top.menu()
        if menu is not None:
            _collect(menu.title().replace("&", ""), menu.actions(), rows)
    return rows


def _collect(path: str, actions: list[QAction], rows: list[tuple[str, str, str]]) -> None:
    for action in actions:
        sub = action.menu()
        if sub is not None:
            _collect(f"{path} ▸ {sub.title().replace('&', '')}", sub.actions(), rows)
            continue
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
        keys = [k for k in keys if k]
        if keys:
            rows.append((path, action.text().replace("&", "").rstrip("…"), ", ".join(keys)))


class ShortcutsDialog(QDialog):
    """A table of the window's shortcuts: menu, command, keys."""

    def __init__(self, rows: list[tuple[str, str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard Shortcuts")
        self.table = QTableWidget(len(rows), 3)
        self.table.setHorizontalHeaderLabels(["Menu", "Command", "Keys"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(560, 520)
