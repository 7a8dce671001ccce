"""What changed between two editions, as a tree: added, removed and changed, with fields."""

from __future__ import annotations

from PySide6.QtGui import QBrush, QResizeEvent
from PySide6.QtWidgets import QHeaderView, QTreeWidgetItem, QWidget

from briefing.gui.plain_tip import plain_tip
from briefing.gui.sharing.wrapping import WrappingTree
from briefing.gui.theme import readable
from briefing.model.vocab import counted
from briefing.services.editions import EditionDiff, FieldChange, ItemChange
from briefing.services.records import KIND_NAMES

GROUP_COLOURS = {"Added": "#1E6B2E", "Removed": "#A02222", "Changed": "#7A5200", "Cover": "#1F4E79"}


def kind_name(kind: str) -> str:
    """``entry`` → ``Timeline entry``; sections and key judgments keep their words."""
    return KIND_NAMES.get(kind, kind).capitalize()


def describe(change: ItemChange) -> str:
    return f"{kind_name(change.kind)} ‘{change.title}’"


class ChangesTree(WrappingTree):
    """Shows one :class:`EditionDiff`; top-level rows are the groups, with counts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("editionChanges")
        self.setColumnCount(3)
        self.setHeaderLabels(["Change", "Before", "After"])
        self.setAlternatingRowColors(True)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(0, 280)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """The first column keeps about two fifths of the width; before and after share the rest."""
        super().resizeEvent(event)
        self.header().resizeSection(0, max(160, self.viewport().width() * 2 // 5))

    def show_diff(self, diff: EditionDiff | None) -> None:
        self.clear()
        if diff is None:
            return
        if diff.is_empty:
            item = QTreeWidgetItem(["No changes."])
            self.addTopLevelItem(item)
            item.setFirstColumnSpanned(True)
            return
        if diff.briefing_fields:
            group = self._group("Cover", len(diff.briefing_fields), "field")
            for cover_field in diff.briefing_fields:
                group.addChild(self._field(cover_field))
        for title, changes in (("Added", diff.added), ("Removed", diff.removed)):
            if changes:
                group = self._group(title, len(changes), "item")
                for change in changes:
                    self._add_row(group, change)
        if diff.changed:
            group = self._group("Changed", len(diff.changed), "item")
            for change in diff.changed:
                row = self._add_row(group, change)
                for field in change.fields:
                    row.addChild(self._field(field))
        self.expandAll()

    def _group(self, title: str, count: int, noun: str) -> QTreeWidgetItem:
        label = f"{title}: {counted(noun, count)}"
        item = QTreeWidgetItem([label])
        font = item.font(0)
        font.setBold(True)
        item.setFont(0, font)
        item.setForeground(0, QBrush(readable(GROUP_COLOURS[title], self.palette())))
        self.addTopLevelItem(item)
        item.setFirstColumnSpanned(True)
        return item

    def _add_row(self, group: QTreeWidgetItem, change: ItemChange) -> QTreeWidgetItem:
        """A row naming the change across the whole width: before and after are its fields'."""
        where = f" — in ‘{change.section}’" if change.is_item else ""
        item = QTreeWidgetItem([describe(change) + where])
        item.setToolTip(0, plain_tip(item.text(0)))
        group.addChild(item)
        item.setFirstColumnSpanned(True)
        return item

    def _field(self, change: FieldChange) -> QTreeWidgetItem:
        item = QTreeWidgetItem([change.label, change.old or "—", change.new or "—"])
        for column in (1, 2):
            item.setToolTip(column, plain_tip(item.text(column)))
        return item

    def lines(self) -> list[str]:
        """Every row as indented text, for tests and for copying."""
        found: list[str] = []

        def walk(item: QTreeWidgetItem | None, depth: int) -> None:
            if item is None:
                return
            texts = [item.text(c) for c in range(self.columnCount()) if item.text(c)]
            found.append("  " * depth + " | ".join(texts))
            for index in range(item.childCount()):
                walk(item.child(index), depth + 1)

        for index in range(self.topLevelItemCount()):
            walk(self.topLevelItem(index), 0)
        return found
