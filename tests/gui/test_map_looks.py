"""How the map tab looks: dark with a dark window, light when saved, names inside the view."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QGraphicsSimpleTextItem

from briefing.gui.document import ProjectDocument
from briefing.gui.pictures.map_ink import DARK_MAP, LIGHT_MAP
from briefing.gui.pictures.map_widget import MapWidget
from briefing.gui.theme import dark_palette


@pytest.fixture
def map_tab(qtbot, demo_project) -> MapWidget:
    widget = MapWidget(ProjectDocument(demo_project))
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: not widget.loading)
    return widget


def lightness(image: QImage) -> float:
    """The mean lightness of a grid of the picture's pixels."""
    values = [
        image.pixelColor(x, y).lightness()
        for x in range(0, image.width(), 25)
        for y in range(0, image.height(), 25)
    ]
    return sum(values) / len(values)


def names_drawn(view) -> list[tuple[str, QRectF]]:  # noqa: ANN001
    """Each place name on the map with the viewport rectangle it is painted in."""
    found = []
    for item in view.scene().items():
        if isinstance(item, QGraphicsSimpleTextItem) and item.isVisible():
            box = item.deviceTransform(view.viewportTransform()).mapRect(item.boundingRect())
            found.append((item.text(), box))
    return found


def test_the_map_is_dark_in_a_dark_window_and_saved_light(map_tab, tmp_path) -> None:
    view = map_tab.map
    assert view.ink is LIGHT_MAP and lightness(view.viewport().grab().toImage()) > 180
    map_tab.setPalette(dark_palette())
    assert view.ink is DARK_MAP
    assert lightness(view.viewport().grab().toImage()) < 90
    assert all(item.brush().color().lightness() > 128 for item in view.scene().items()
               if isinstance(item, QGraphicsSimpleTextItem))  # fmt: skip
    saved = QImage(str(map_tab.export(tmp_path / "map.png")))
    assert lightness(saved) > 180  # a saved map is light whatever the window is
    assert view.ink is DARK_MAP and lightness(view.viewport().grab().toImage()) < 90


def test_names_stand_wholly_inside_the_view_and_clear_of_its_furniture(qtbot, map_tab) -> None:
    view = map_tab.map
    for _ in range(3):
        for key in (Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_Minus):
            qtbot.keyClick(view, key)
        qtbot.waitUntil(lambda: view._labels_rect == view.visible_rect(), timeout=3000)
        names = names_drawn(view)
        assert any(text == "Yerevan" for text, _ in names) or len(names) > 3
        inside = QRectF(view.viewport().rect())
        furniture = view.furniture()
        for text, box in names:
            assert inside.contains(box), text
            assert not any(box.intersects(f) for f in furniture), text
