"""The window's question about bad rows: each named once, counted in full, nothing imported yet."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from briefing.gui.sharing import ask
from briefing.io.csv_rows import BadRow


def _answered(qtbot, problems: tuple[BadRow, ...], count: int, shot: str = "") -> QMessageBox:
    seen: list[QMessageBox] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box)
        if shot:
            box.grab().save(shot)
        box.button(QMessageBox.StandardButton.Cancel).click()

    QTimer.singleShot(0, answer)
    assert ask.ask_skip_bad_rows(None, "ged.csv", problems, count=count) is False
    return seen[0]


def test_more_bad_rows_than_listed_are_counted_and_each_listed_one_is_named_once(
    qtbot, tmp_path
) -> None:
    problems = tuple(BadRow(line, "best 'many' is not a number") for line in (2, 3, 4))
    box = _answered(qtbot, problems, 10, str(tmp_path / "box.png"))
    assert box.windowTitle() == "Bad rows in the event data file"
    assert box.text() == "ged.csv has 10 bad rows; nothing has been imported yet."
    detail = box.informativeText()
    assert detail.count("line 2:") == 1 and "… and 7 more" in detail
    assert detail.endswith(
        "Import the other rows and leave them out, or cancel and correct the file."
    )
    assert box.detailedText() == ""  # four lines: no need for Show Details


def test_one_bad_row_is_it(qtbot) -> None:
    box = _answered(qtbot, (BadRow(6, "longitude 'east' is not a number"),), 1)
    assert box.text() == "ged.csv has 1 bad row; nothing has been imported yet."
    assert box.informativeText() == (
        "line 6: longitude 'east' is not a number\n\n"
        "Import the other rows and leave it out, or cancel and correct the file."
    )
