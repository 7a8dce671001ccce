"""File ▸ Save a Copy for Sharing…: the strictest label the copy may hold, and the notes.

The copy is written by :func:`briefing.services.share.write_share_copy`; this
module asks what to leave out and where to write, then says what was left out.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from briefing.errors import BriefingError
from briefing.gui.composer.metadata import tlp_icon
from briefing.gui.sharing import ask
from briefing.model.codec import KINDS
from briefing.model.vocab import TLP_AUDIENCE, Tlp, counted
from briefing.services.share import ShareReport, write_share_copy
from briefing.store.project import Project

TITLE = "Save a Copy for Sharing"


class ShareDialog(QDialog):
    """Asks for the strictest TLP label the copy may hold and whether to remove the notes."""

    def __init__(self, project_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shareDialog")
        self.setWindowTitle(TITLE)
        intro = QLabel(
            f"Writes a compacted copy of {project_name} that a colleague can open and merge "
            "back. Records and briefings marked more strictly than the label below are left "
            "out, with any frozen edition holding them, and so is the export history; nothing "
            "left out can be recovered from the copy."
        )
        intro.setWordWrap(True)
        self.label = QComboBox()
        self.label.setObjectName("maxTlp")
        for tlp in Tlp:
            self.label.addItem(tlp_icon(tlp), f"{tlp.marking} — {TLP_AUDIENCE[tlp]}", tlp.value)
        self.label.setCurrentIndex(self.label.findData(Tlp.GREEN.value))
        self.strip_notes = QCheckBox("Remove my private notes (the Notes field of every record)")
        self.strip_notes.setChecked(True)
        form = QFormLayout()
        form.addRow("Strictest label in the copy:", self.label)
        form.addRow("", self.strip_notes)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        choose = buttons.addButton("Choose File…", QDialogButtonBox.ButtonRole.AcceptRole)
        choose.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(620, self.sizeHint().height())

    def set_choice(self, max_tlp: Tlp, strip_notes: bool) -> None:
        self.label.setCurrentIndex(self.label.findData(max_tlp.value))
        self.strip_notes.setChecked(strip_notes)

    def max_tlp(self) -> Tlp:
        return Tlp(self.label.currentData())

    def notes_stripped(self) -> bool:
        return self.strip_notes.isChecked()


def left_out(report: ShareReport) -> str:
    """What the copy does not hold, one line each."""
    lines = [
        f"{counted(kind, count)} marked more strictly than {report.max_tlp.marking}"
        for kind in KINDS
        if (count := report.removed.get(kind, 0))
    ]
    if report.editions_removed:
        frozen = counted("frozen edition", report.editions_removed)
        lines.append(f"{frozen} holding such records")
    if report.notes_stripped:
        lines.append("the notes of every record")
    lines.append("the export history")
    return "Left out:\n" + "\n".join(f"• {line}" for line in lines)


def suggested_path(project: Project) -> Path:
    return project.path.with_name(f"{project.path.stem} for sharing.brief")


def save_share_copy(parent: QWidget | None, project: Project) -> ShareReport | None:
    """The whole flow; the report, or None if no copy was written."""
    dialog = ShareDialog(project.name, parent)
    try:
        if not ask.exec_dialog(dialog):
            return None
        max_tlp, strip_notes = dialog.max_tlp(), dialog.notes_stripped()
    finally:
        dialog.deleteLater()
    path = ask.ask_share_path(parent, suggested_path(project))
    if path is None:
        return None
    try:
        # The file dialog has already asked before replacing an existing file.
        report = write_share_copy(project, path, max_tlp, strip_notes, overwrite=True)
    except BriefingError as error:
        ask.show_refusal(parent, TITLE, str(error))
        return None
    ask.show_report(parent, TITLE, report.summary, left_out(report))
    return report
