"""A picture saved as PNG is written safely: a link planted at its name is not followed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage

from briefing.gui.document import ProjectDocument
from briefing.gui.pictures import RelationshipDiagramWidget


def test_a_link_at_the_picture_name_is_not_followed(qtbot, demo_project, tmp_path: Path) -> None:
    folder = tmp_path / "pictures"
    folder.mkdir()
    victim = folder / "victim.txt"
    victim.write_text("precious")
    (folder / "diagram.png").symlink_to(victim)
    widget = RelationshipDiagramWidget(ProjectDocument(demo_project))
    qtbot.addWidget(widget)
    widget.resize(800, 600)
    widget.show()
    qtbot.waitExposed(widget)
    path = widget.export(folder / "diagram.png")
    assert victim.read_text() == "precious"
    assert not path.is_symlink() and QImage(str(path)).width() > 100
    assert sorted(p.name for p in folder.iterdir()) == ["diagram.png", "victim.txt"]
