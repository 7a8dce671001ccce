"""The Export Word… options: which briefing, the house template, and the changes section.

The template is a setting of the project, shown here with a button to choose
another and one to go back to the clean default; the export remembers it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import cast

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from briefing.gui.export_options import ExportOptionsDialog
from briefing.gui.plain_tip import plain_tip
from briefing.services.briefings import BriefingRow

TEMPLATE_FILTER = "Word documents and templates (*.docx *.dotx);;All files (*)"
NO_TEMPLATE = "None: a clean style like the PDF's"


@dataclass(frozen=True)
class WordOptions:
    briefing_id: int
    changes: bool
    template: Path | None


def ask_template_path(parent: QWidget | None, start: Path) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, "House template", str(start), TEMPLATE_FILTER)
    return Path(name) if name else None


class WordOptionsDialog(ExportOptionsDialog):
    """The PDF's options (briefing, changes section) and the house template."""

    def __init__(
        self,
        parent: QWidget | None,
        rows: list[BriefingRow],
        current: int | None,
        with_editions: set[int],
        changes: bool,
        template: Path | None,
        folder: Path,
    ) -> None:
        super().__init__(parent, rows, current, with_editions, changes)
        self.setWindowTitle("Export Word")
        self.template = template
        self._folder = folder
        self.template_label = QLabel()
        self.template_label.setObjectName("wordTemplate")
        self.template_label.setWordWrap(True)
        choose = QPushButton("Choose…")
        choose.setObjectName("wordTemplateChoose")
        choose.clicked.connect(self._choose)
        self.clear = QPushButton("Clear")
        self.clear.setObjectName("wordTemplateClear")
        self.clear.clicked.connect(lambda: self._set_template(None))
        row = QHBoxLayout()
        row.addWidget(self.template_label, 1)
        row.addWidget(choose)
        row.addWidget(self.clear)
        first = cast(QVBoxLayout, self.layout()).itemAt(0)
        form = cast(QFormLayout, first.layout() if first is not None else None)
        form.addRow("House template:", row)
        self._set_template(template)

    def _choose(self) -> None:
        start = self.template.parent if self.template else self._folder
        chosen = ask_template_path(self, start)
        if chosen is not None:
            self._set_template(chosen)

    def _set_template(self, template: Path | None) -> None:
        self.template = template
        self.template_label.setText(template.name if template else NO_TEMPLATE)
        self.template_label.setToolTip(plain_tip(str(template)) if template else "")
        self.clear.setEnabled(template is not None)

    def word_options(self) -> WordOptions:
        options = self.options()
        return WordOptions(options.briefing_id, options.changes, self.template)


def ask_word_options(
    parent: QWidget | None,
    rows: list[BriefingRow],
    current: int | None,
    with_editions: set[int],
    changes: bool,
    template: Path | None,
    folder: Path,
) -> WordOptions | None:
    """The briefing, the changes section and the template; None if cancelled."""
    dialog = WordOptionsDialog(parent, rows, current, with_editions, changes, template, folder)
    try:
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.word_options() if accepted else None
    finally:
        dialog.deleteLater()
