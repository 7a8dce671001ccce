"""The merge dialog: what merging a colleague's file will do, and a choice for each conflict.

Each record changed on both sides is a row (its kind and title) with a choice:
keep ours, take theirs, or keep both as separate records. Below it, one line per
differing field shows our version beside theirs. Above, a list names the records
their deletions remove and what of their file is left out, and why.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from briefing.gui.plain_tip import plain_tip
from briefing.gui.sharing.wrapping import WrappingTree
from briefing.gui.theme import readable
from briefing.model.vocab import counted
from briefing.services.merge import MergePlan, Resolution
from briefing.services.merge_view import field_pairs, time_text
from briefing.services.records import KIND_NAMES

CHOICES = {
    Resolution.OURS: "Keep ours",
    Resolution.THEIRS: "Take theirs",
    Resolution.BOTH: "Keep both",
}
ALL_BUTTONS = {
    Resolution.OURS: "Keep Ours for All",
    Resolution.THEIRS: "Take Theirs for All",
    Resolution.BOTH: "Keep Both for All",
}
UUID_ROLE = Qt.ItemDataRole.UserRole + 1


MUTED = "#5A6270"


def edited_text(record: Mapping[str, Any]) -> str:
    """Who last edited this version, and when."""
    when = time_text(str(record.get("updated_at") or ""))
    return f"edited by {record.get('updated_by') or 'unknown'}, {when}"


def plan_summary(plan: MergePlan) -> str:
    """The counts, in one sentence."""
    text = (
        f"From {plan.their_name}: {counted('record', plan.added)} to add, {plan.updated} to "
        f"update, {plan.deleted} to delete; {len(plan.conflicts)} changed on both sides"
    )
    if plan.editions:
        text += f"; {counted('frozen edition', len(plan.editions))} to add"
    if plan.left_out:
        text += f"; {len(plan.left_out)} left out as invalid (listed below)"
    return text + "."


def listed_parts(plan: MergePlan) -> list[str]:
    """The records the merge deletes and the parts of their file it leaves out, one line each."""
    deletes = [f"Deletes {name}" for name in plan.deleting]
    return deletes + [f"Left out: {sentence}" for sentence in plan.left_out_sentences]


class MergeDialog(QDialog):
    """Shows a :class:`MergePlan`; :meth:`choices` says how each conflict is to be settled."""

    def __init__(
        self, plan: MergePlan, names: Mapping[str, str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mergeDialog")
        self.setWindowTitle(f"Merge {plan.their_name} into {plan.our_name}")
        self.plan = plan
        self._combos: dict[str, QComboBox] = {}
        layout = QVBoxLayout(self)
        summary = QLabel(plan_summary(plan))
        summary.setObjectName("mergeSummary")
        summary.setTextFormat(Qt.TextFormat.PlainText)
        summary.setWordWrap(True)
        layout.addWidget(summary)
        self.listed = QListWidget()
        self.listed.setObjectName("mergeListed")
        self.listed.setWordWrap(True)
        self.listed.addItems(listed_parts(plan))
        self.listed.setVisible(self.listed.count() > 0)
        self.listed.setMaximumHeight(160)
        layout.addWidget(self.listed)
        self.tree = self._conflict_tree(names)
        if plan.conflicts:
            explain = QLabel(
                "These records were changed in both files since they last agreed. For each, "
                "keep this project's version, take your colleague's, or keep both as "
                "separate records."
            )
            explain.setWordWrap(True)
            layout.addWidget(explain)
            layout.addWidget(self.tree, 1)
            layout.addLayout(self._all_buttons())
        else:
            self.tree.hide()
            layout.addWidget(QLabel("No record was changed on both sides."))
            layout.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.merge_button = buttons.addButton("Merge", QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(960, 560 if plan.conflicts else 180)

    def _conflict_tree(self, names: Mapping[str, str]) -> WrappingTree:
        tree = WrappingTree()
        tree.setObjectName("conflicts")
        tree.setColumnCount(4)
        tree.setHeaderLabels(
            [
                "Record, and each field that differs",
                f"Ours ({self.plan.our_name})",
                f"Theirs ({self.plan.their_name})",
                "Keep",
            ]
        )
        tree.setAlternatingRowColors(True)
        tree.setSelectionMode(QTreeWidget.SelectionMode.NoSelection)
        header = tree.header()
        header.setStretchLastSection(False)
        for column, mode in enumerate(
            (
                QHeaderView.ResizeMode.Interactive,
                QHeaderView.ResizeMode.Stretch,
                QHeaderView.ResizeMode.Stretch,
                QHeaderView.ResizeMode.ResizeToContents,
            )
        ):
            header.setSectionResizeMode(column, mode)
        header.resizeSection(0, 300)
        for conflict in self.plan.conflicts:
            row = QTreeWidgetItem(
                [
                    f"{KIND_NAMES[conflict.kind].capitalize()} ‘{conflict.title}’",
                    edited_text(conflict.ours),
                    edited_text(conflict.theirs),
                ]
            )
            row.setData(0, UUID_ROLE, conflict.uuid)
            row.setToolTip(0, plain_tip(row.text(0)))
            font = row.font(0)
            font.setBold(True)
            row.setFont(0, font)
            for column in (1, 2):
                row.setForeground(column, QBrush(readable(MUTED, self.palette())))
            for pair in field_pairs(conflict, names):
                child = QTreeWidgetItem([pair.label, pair.ours, pair.theirs])
                for column, value in enumerate((pair.label, pair.ours, pair.theirs)):
                    child.setToolTip(column, plain_tip(value))
                row.addChild(child)
            tree.addTopLevelItem(row)
            combo = QComboBox()
            for resolution, label in CHOICES.items():
                combo.addItem(label, resolution.value)
            combo.setAccessibleName(f"Keep which version of {row.text(0)}")
            tree.setItemWidget(row, 3, combo)
            self._combos[conflict.uuid] = combo
        tree.expandAll()
        return tree

    def _all_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(QLabel("For every record above:"))
        self.all_buttons: dict[Resolution, QPushButton] = {}
        for resolution, text in ALL_BUTTONS.items():
            button = QPushButton(text)
            button.setAutoDefault(False)
            button.clicked.connect(lambda checked=False, r=resolution: self.set_all(r))
            row.addWidget(button)
            self.all_buttons[resolution] = button
        row.addStretch(1)
        return row

    # ------------------------------------------------------------------ choices

    def set_choice(self, uuid: str, resolution: Resolution) -> None:
        combo = self._combos[uuid]
        combo.setCurrentIndex(combo.findData(resolution.value))

    def set_all(self, resolution: Resolution) -> None:
        for uuid in self._combos:
            self.set_choice(uuid, resolution)

    def choices(self) -> dict[str, Resolution]:
        """How each conflict is to be settled, by the conflicting record's UUID."""
        return {uuid: Resolution(combo.currentData()) for uuid, combo in self._combos.items()}
