"""Casualty claims in the pictures: chart dots and map markers sized by the best estimate."""

from __future__ import annotations

import pytest

from briefing.gui.document import ProjectDocument
from briefing.gui.pictures import TimelineChartWidget
from briefing.gui.pictures.diagram import items_for
from briefing.gui.pictures.timeline_scene import MARKER
from briefing.model import codec
from briefing.services import charts, records
from briefing.services.demo import uid
from briefing.services.map_events import map_events


def entry_id(project, slug: str) -> int:
    with project.engine.connect() as connection:
        return codec.ids_for_uuids(connection, codec.table("entry"), [uid(slug)])[uid(slug)]


def killed(side: str, best: int, claimant: str) -> dict:
    return {"side": "party", "party": uid(side), "category": "killed", "best": best,
            "claimant": uid(claimant)}  # fmt: skip


@pytest.fixture
def claimed(demo_project):
    """The clash with each side's dead as each ministry claims them, and a rival claim."""
    clash = entry_id(demo_project, "clash")
    claims = [killed("armenia", 49, "arm-mod"), killed("azerbaijan", 50, "aze-mod"),
              killed("azerbaijan", 200, "arm-mod")]  # fmt: skip
    records.update_record(demo_project, "entry", clash, {"claims": claims})
    return demo_project, clash


def test_best_estimates_never_add_rival_claims(claimed) -> None:
    project, clash = claimed
    events = {e.entry_id: e for e in charts.timeline_chart(project).events}
    assert events[clash].casualties == 99  # 49 + the lower of 50 and 200, never 299
    placed = {e.key: e.casualties for e in map_events(project).events}
    assert placed[clash] == 99
    assert placed[entry_id(project, "captives-videos")] == 12  # "up to a dozen"
    assert placed[entry_id(project, "request-russia")] == 0  # no claim with a figure


def test_the_chart_draws_a_claimed_event_larger(qtbot, claimed) -> None:
    project, clash = claimed
    widget = TimelineChartWidget(ProjectDocument(project))
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    qtbot.waitExposed(widget)
    shapes = {int(i.data(1)): i for i in items_for(widget.view.scene(), "entry")}
    sizes = {key: item.path().boundingRect().height() for key, item in shapes.items()}
    assert sizes[clash] > MARKER
    assert sizes[entry_id(project, "request-russia")] == MARKER
    assert "best estimate: 99" in shapes[clash].toolTip()
